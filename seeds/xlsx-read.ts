import ExcelJS from 'exceljs';
import path from 'node:path';
import type { z } from 'zod';
import { catalogItemSchema, catalogListSchema, contactSchema, departmentSchema, postSchema, regionSchema } from './schema.js';
import { SHEETS, fieldHeader, fieldKeyOf, type Column, type SheetDef, type SheetKey } from './xlsx-columns.js';
import { decodeCell, cellText, normaliseEnum } from './xlsx-cells.js';
import { emptyParts, type CatalogParts } from './yaml-format.js';
import type { CatalogError } from './errors.js';

/** What reading a workbook gives: parts, where each record came from, problems and notes. */
export interface XlsxReadResult {
  parts: CatalogParts;
  /** `${entity}:${id}` → file, sheet and row, to put cross-reference errors on the right row. */
  where: Map<string, RowRef>;
  errors: CatalogError[];
  warnings: string[];
}

export interface RowRef {
  file: string;
  sheet: string;
  row: number;
}

const SCHEMAS: Record<Exclude<SheetKey, 'version'>, z.ZodType> = {
  regions: regionSchema.strict(),
  departments: departmentSchema.strict(),
  contacts: contactSchema.strict(),
  lists: catalogListSchema.strict(),
  items: catalogItemSchema.strict(),
  posts: postSchema.strict(),
};
const ENTITY: Record<Exclude<SheetKey, 'version'>, string> = {
  regions: 'region',
  departments: 'department',
  contacts: 'contact',
  lists: 'list',
  items: 'item',
  posts: 'post',
};

const clean = (h: string) => h.replace(/[*＊\s]/g, '').toLowerCase();

function findSheet(wb: ExcelJS.Workbook, def: SheetDef): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((ws) => ws.name.trim() === def.name || ws.name.trim().toLowerCase() === def.key);
}

/**
 * Reads a catalog workbook. Every bad cell or row becomes an error with its row number
 * (`file:row: 表名: 列名：原因`); a sheet missing a required column is reported once, on row 1.
 * Sheets that are absent are simply not in `parts.present` (the importer decides what that means).
 */
export async function readCatalogXlsx(
  file: string,
  opts: { onProgress?: (done: number, total: number) => void } = {},
): Promise<XlsxReadResult> {
  const base = path.basename(file);
  const parts = emptyParts();
  const where = new Map<string, RowRef>();
  const errors: CatalogError[] = [];
  const warnings: string[] = [];
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (e) {
    errors.push({ file: base, reason: `无法读取 Excel 文件（${(e as Error).message.slice(0, 120)}）` });
    return { parts, where, errors, warnings };
  }
  const known = new Set(SHEETS.flatMap((d) => [d.name, d.key]).concat('说明'));
  for (const ws of wb.worksheets) if (!known.has(ws.name.trim())) warnings.push(`忽略了不认识的工作表"${ws.name}"`);

  const sheets = SHEETS.map((def) => ({ def, ws: findSheet(wb, def) })).filter((s): s is { def: SheetDef; ws: ExcelJS.Worksheet } => !!s.ws);
  const total = sheets.reduce((n, s) => n + Math.max(0, s.ws.rowCount - 1), 0);
  let done = 0;
  const tick = (force = false) => {
    if (opts.onProgress && (force || done % 50 === 0)) opts.onProgress(done, total);
  };

  for (const { def, ws } of sheets) {
    const err = (row: number, reason: string) => errors.push({ file: base, row, path: def.name, reason });
    // Header: map each column number to a column definition or an item field.
    const byHeader = new Map<string, Column>();
    for (const col of def.columns) {
      byHeader.set(clean(col.label), col);
      byHeader.set(clean(col.key), col);
    }
    const colAt = new Map<number, Column>();
    const seen = new Set<string>();
    let headerOk = true;
    ws.getRow(1).eachCell({ includeEmpty: false }, (cell, n) => {
      const h = cellText(cell.value).trim();
      if (!h) return;
      let col = byHeader.get(clean(h));
      if (!col && def.key === 'items') {
        const fk = fieldKeyOf(h.replace(/[*＊]/g, ''));
        if (fk) col = { key: `fields.${fk}`, label: fieldHeader(fk), kind: 'value' };
      }
      if (!col) {
        err(1, `不认识的列"${h}"`);
        headerOk = false;
        return;
      }
      if (seen.has(col.key)) {
        err(1, `列"${h}"重复`);
        headerOk = false;
      }
      seen.add(col.key);
      colAt.set(n, col);
    });
    const missing = def.columns.filter((c) => c.required && !seen.has(c.key));
    if (missing.length) {
      err(1, `缺少必需的列：${missing.map((c) => c.label).join('、')}`);
      headerOk = false;
    }
    // A sheet with only its header row counts as absent: its section is kept from the current catalog.
    const hasData = Array.from({ length: Math.max(0, ws.rowCount - 1) }, (_, i) => ws.getRow(i + 2)).some((row) =>
      Array.isArray(row.values) ? row.values.some((v) => cellText(v ?? null).trim() !== '') : false,
    );
    if (hasData || !headerOk) parts.present!.add(def.key);
    if (!headerOk) {
      done += Math.max(0, ws.rowCount - 1);
      tick(true);
      continue;
    }

    for (let r = 2; r <= ws.rowCount; r++) {
      done++;
      tick();
      const row = ws.getRow(r);
      const obj: Record<string, unknown> = {};
      const fields: Record<string, unknown> = {};
      let empty = true;
      let cellErrors = false;
      for (const [n, col] of colAt) {
        const raw = row.getCell(n).value;
        if (cellText(raw).trim()) empty = false;
        const d = decodeCell(col.kind, raw);
        if ('error' in d) {
          err(r, `${col.label}：${d.error}`);
          cellErrors = true;
          continue;
        }
        if (d.value === undefined) continue;
        if (col.key.startsWith('fields.')) fields[col.key.slice(7)] = d.value;
        else obj[col.key] = col.key === 'level' || col.key === 'kind' ? normaliseEnum(col.key, d.value) : d.value;
      }
      if (empty || cellErrors) continue;
      if (def.key === 'version') {
        if (typeof obj.version !== 'string') err(r, '版本：不能为空');
        else if (parts.version !== undefined) err(r, '版本：只能填一行');
        else parts.version = obj.version;
        continue;
      }
      if (def.key === 'items') obj.fields = fields;
      const res = SCHEMAS[def.key].safeParse(obj);
      if (!res.success) {
        for (const issue of res.error.issues) {
          const [k, sub] = issue.path as (string | number)[];
          const label = k === 'fields' && typeof sub === 'string' ? fieldHeader(sub) : def.columns.find((c) => c.key === k)?.label ?? String(k ?? '');
          err(r, `${label ? `${label}：` : ''}${issue.message}`);
        }
        continue;
      }
      const data = res.data as { id?: string; code?: string };
      const id = data.id ?? data.code ?? '';
      const key = `${ENTITY[def.key]}:${id}`;
      const prev = where.get(key);
      if (prev) {
        err(r, `编号重复："${id}"已在第${prev.row}行出现`);
        continue;
      }
      where.set(key, { file: base, sheet: def.name, row: r });
      (parts[def.key] as unknown[]).push(res.data);
    }
  }
  tick(true);
  return { parts, where, errors, warnings };
}
