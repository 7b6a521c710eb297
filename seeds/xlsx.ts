import ExcelJS from 'exceljs';
import type { Catalog } from './schema.js';
import { SHEETS, FIELD_LABELS, fieldHeader, type Column, type SheetDef, type SheetKey } from './xlsx-columns.js';
import { encodeCell } from './xlsx-cells.js';

export { readCatalogXlsx, type XlsxReadResult } from './xlsx-read.js';

/**
 * Writing the catalog as an Excel workbook (the format officials keep their lists in).
 * Layout and cell conventions: seeds/xlsx-columns.ts. Reading: seeds/xlsx-read.ts.
 */

const README_LINES = [
  '基层减负助手 — 清单导入模板',
  '',
  '每张表一行一条记录，第一行是列名（不要改列名；鼠标停在列名上可看说明）。带 * 的列必须填写。',
  '“清单”表：每份官方清单一行（类型、所属地区、官方条数、文号、生效日期、版本）。',
  '“事项”表：清单里的每一项；“清单编号”要与“清单”表一致，“编号”全表唯一（如 C01、N05、T17）。',
  '“岗位”表：岗位目录；“部门”“地区”“联系人”表：事项和清单引用的部门、地区和查不到答案时的联系人。',
  '多个值：别名、岗位、部门用“、”分隔；来源、职责每行一条；事项字段（材料、去哪办 …）要写成多条时，每行以“• ”开头。',
  '是/否 列填“是”或“否”；日期写成 2024-06-01。',
  '导入时任何一行有错，整个文件都不会生效，并列出“文件:行号: 原因”；全部无误才生成新的清单版本。',
  '文件里没有的表（例如只交“事项”和“清单”两张表）沿用当前数据库中的内容。',
];

/** Item field keys to give columns to: the known ones in their order, then any others in use. */
function fieldKeys(catalog: Catalog | undefined): string[] {
  const known = Object.keys(FIELD_LABELS);
  if (!catalog) return known;
  const used = new Set(catalog.items.flatMap((i) => Object.keys(i.fields)));
  return [...known.filter((k) => used.has(k)), ...[...used].filter((k) => !known.includes(k)).sort()];
}

function rowsOf(key: SheetKey, c: Catalog): Record<string, unknown>[] {
  switch (key) {
    case 'version':
      return [{ version: c.version }];
    case 'regions':
      return c.regions;
    case 'departments':
      return c.departments;
    case 'contacts':
      return c.contacts;
    case 'lists':
      return c.lists;
    case 'items':
      return c.items;
    case 'posts':
      return c.posts;
  }
}

function addSheet(wb: ExcelJS.Workbook, def: SheetDef, rows: Record<string, unknown>[], fields: string[]): void {
  const ws = wb.addWorksheet(def.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const extra: Column[] = def.key === 'items' ? fields.map((k) => ({ key: `fields.${k}`, label: fieldHeader(k), kind: 'value' as const })) : [];
  const cols = [...def.columns, ...extra];
  ws.columns = cols.map((col) => ({
    header: col.required ? `${col.label}*` : col.label,
    key: col.key,
    width: col.kind === 'text' && /name|basis|note|where_to_go/.test(col.key) ? 40 : col.kind === 'lines' || col.kind === 'value' ? 36 : 14,
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  cols.forEach((col, i) => {
    const cell = header.getCell(i + 1);
    if (col.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    const note = [col.required ? '* 必填' : '', col.note ?? '', `（${col.key.replace(/^fields\./, '')}）`].filter(Boolean).join('\n');
    cell.note = note;
  });
  for (const r of rows) {
    const values: (string | number | null)[] = cols.map((col) => {
      const v = col.key.startsWith('fields.') ? (r.fields as Record<string, unknown>)[col.key.slice(7)] : r[col.key];
      return encodeCell(col.kind, v);
    });
    const row = ws.addRow(values);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
}

function workbook(catalog: Catalog | undefined): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '基层减负助手';
  const readme = wb.addWorksheet('说明');
  readme.getColumn(1).width = 110;
  README_LINES.forEach((l, i) => {
    const cell = readme.getCell(i + 1, 1);
    cell.value = l;
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
  const fields = fieldKeys(catalog);
  for (const def of SHEETS) addSheet(wb, def, catalog ? rowsOf(def.key, catalog) : [], fields);
  return wb;
}

/** Writes the whole catalog to an .xlsx file (import it back to get the same catalog). */
export async function exportCatalogXlsx(catalog: Catalog, file: string): Promise<void> {
  await workbook(catalog).xlsx.writeFile(file);
}

/** Writes an empty workbook with every sheet, the expected columns and a 说明 sheet. */
export async function writeTemplateXlsx(file: string): Promise<void> {
  await workbook(undefined).xlsx.writeFile(file);
}
