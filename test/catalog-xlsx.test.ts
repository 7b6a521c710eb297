import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDb } from './support/db.js';
import { loadSeedCatalog } from '../seeds/load.js';
import type { Catalog } from '../seeds/schema.js';
import { exportCatalogXlsx, exportCatalogYaml, writeTemplateXlsx } from '../seeds/export.js';
import { importCatalogFile } from '../seeds/import.js';
import { formatCatalogError } from '../seeds/errors.js';
import { catalogImport, catalogExport, catalogTemplate } from '../seeds/commands.js';
import { ensureSeeded, loadCatalog, catalogVersion } from '../db/catalog/index.js';

let t: Awaited<ReturnType<typeof createTestDb>>;
let seeds: Catalog;
let dir: string;
let exported: string;

beforeAll(async () => {
  t = await createTestDb();
  seeds = await loadSeedCatalog();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'catalog-xlsx-'));
  exported = path.join(dir, 'all.xlsx');
  await exportCatalogXlsx(seeds, exported);
  await ensureSeeded(t.db);
});
afterAll(async () => {
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** Copies the exported workbook, lets `edit` change it, and returns the new file. */
async function edited(name: string, edit: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(exported);
  edit(wb);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}
const sheet = (wb: ExcelJS.Workbook, name: string) => wb.getWorksheet(name)!;
/** Column number of a header (headers of required columns end with "*"). */
const colOf = (ws: ExcelJS.Worksheet, label: string) => {
  let n = 0;
  ws.getRow(1).eachCell((c, i) => {
    if (String(c.value).replace(/\*$/, '') === label) n = i;
  });
  if (!n) throw new Error(`no column ${label}`);
  return n;
};
const rowOfId = (ws: ExcelJS.Worksheet, id: string) => {
  for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === id) return r;
  throw new Error(`no row ${id}`);
};

describe('xlsx export / import', () => {
  it('round-trips the whole catalog: export to xlsx, import back → the same catalog, with progress', async () => {
    const progress: [number, number][] = [];
    const r = await importCatalogFile(exported, { onProgress: (d, n) => progress.push([d, n]) });
    expect(r.errors).toEqual([]);
    expect(r.catalog).toEqual(seeds);
    const last = progress.at(-1)!;
    expect(last[0]).toBe(last[1]);
    expect(last[1]).toBeGreaterThan(seeds.items.length);
  });

  it('round-trips through YAML export too', async () => {
    const out = path.join(dir, 'yaml');
    const files = await exportCatalogYaml(seeds, out);
    expect(files.map((f) => path.basename(f))).toContain('certificates.yaml');
    const r = await importCatalogFile(out);
    expect(r.errors).toEqual([]);
    expect(r.catalog).toEqual(seeds);
  });

  it('writes a template with every sheet and the required columns', async () => {
    const file = path.join(dir, 'template.xlsx');
    await writeTemplateXlsx(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '版本', '地区', '清单', '事项', '岗位', '部门', '联系人']);
    const items = sheet(wb, '事项');
    expect(items.rowCount).toBe(1);
    for (const label of ['编号', '清单编号', '名称', '别名', '去哪办', '替代方式', '材料']) expect(colOf(items, label)).toBeGreaterThan(0);
    expect(String(items.getRow(1).getCell(1).note ?? '')).toContain('必填');
    // The empty template imports as "nothing to import", never as an empty catalog.
    const r = await importCatalogFile(file, { base: seeds });
    expect(r.catalog).toBeUndefined();
    expect(r.errors[0]!.reason).toContain('没有可导入的内容');
  });

  it('a missing required column is reported on the header row and nothing is applied', async () => {
    const file = await edited('missing-col.xlsx', (wb) => sheet(wb, '事项').spliceColumns(colOf(sheet(wb, '事项'), '名称'), 1));
    const before = await catalogVersion(t.db);
    const res = await catalogImport(t.db, file);
    expect(res.ok).toBe(false);
    expect(res.message).toContain('missing-col.xlsx:1: 事项: 缺少必需的列：名称');
    expect(res.message).toContain('数据库未做任何修改');
    expect(await catalogVersion(t.db)).toEqual(before);
  });

  it('a duplicate id, an unknown list, a bad date and a bad yes/no are reported by row; the database is unchanged', async () => {
    let dupRow = 0;
    let listRow = 0;
    let dateRow = 0;
    let boolRow = 0;
    const file = await edited('bad-rows.xlsx', (wb) => {
      const items = sheet(wb, '事项');
      dupRow = rowOfId(items, 'N06');
      items.getRow(dupRow).getCell(1).value = 'N05';
      listRow = rowOfId(items, 'T26');
      items.getRow(listRow).getCell(colOf(items, '清单编号')).value = 'no-such-list';
      boolRow = rowOfId(items, 'C01');
      items.getRow(boolRow).getCell(colOf(items, '已核实')).value = '也许';
      const lists = sheet(wb, '清单');
      dateRow = rowOfId(lists, 'bc-township-basic');
      lists.getRow(dateRow).getCell(colOf(lists, '生效日期')).value = '2024-13-45';
    });
    const before = await loadCatalog(t.db);
    const r = await importCatalogFile(file, { base: before });
    expect(r.catalog).toBeUndefined();
    const text = r.errors.map(formatCatalogError);
    expect(text).toContain(`bad-rows.xlsx:${dupRow}: 事项: 编号重复："N05"已在第${rowOfIdIn(before!, 'N05')}行出现`);
    expect(text).toContain(`bad-rows.xlsx:${dateRow}: 清单: 生效日期：不是有效日期`);
    expect(text).toContain(`bad-rows.xlsx:${boolRow}: 事项: 已核实：应填"是"或"否"，不是"也许"`);
    // Cross references are checked once the rows themselves are valid: fix the others, keep the unknown list.
    const onlyList = await edited('bad-list.xlsx', (wb) => {
      const items = sheet(wb, '事项');
      items.getRow(rowOfId(items, 'T26')).getCell(colOf(items, '清单编号')).value = 'no-such-list';
    });
    const res = await catalogImport(t.db, onlyList);
    expect(res.ok).toBe(false);
    expect(res.message).toContain(`bad-list.xlsx:${listRow}: 事项: T26：所属清单不存在：no-such-list`);
    expect(await loadCatalog(t.db)).toEqual(before);
  });

  it('a valid import creates a new version with the change; a partial workbook keeps the other sections', async () => {
    const before = await catalogVersion(t.db);
    const file = await edited('alias.xlsx', (wb) => {
      const items = sheet(wb, '事项');
      const cell = items.getRow(rowOfId(items, 'N05')).getCell(colOf(items, '别名'));
      cell.value = `${String(cell.value)}、开个良民证`;
      // Only 版本 + 事项 are sent: the other sheets are removed.
      for (const name of ['地区', '清单', '岗位', '部门', '联系人']) wb.removeWorksheet(sheet(wb, name).id);
    });
    const progress: number[] = [];
    const res = await catalogImport(t.db, file, { onProgress: (d) => progress.push(d) });
    expect(res.ok, res.message).toBe(true);
    expect(res.versionId).toBeGreaterThan(before!.id);
    expect(res.message).toContain('修改 1');
    expect(res.message).toContain('沿用上一版');
    expect(progress.length).toBeGreaterThan(0);
    const now = await loadCatalog(t.db);
    expect(now?.versionId).toBe(res.versionId);
    expect(now?.items.find((i) => i.id === 'N05')?.aliases).toContain('开个良民证');
    expect(now?.regions).toEqual(seeds.regions);
    expect(now?.posts).toEqual(seeds.posts);
  });

  it('refuses files that are not workbooks, and paths that do not exist, with a clear reason', async () => {
    const junk = path.join(dir, 'junk.xlsx');
    await fs.writeFile(junk, 'this is not a zip');
    const a = await importCatalogFile(junk);
    expect(a.catalog).toBeUndefined();
    expect(a.errors[0]!.reason).toContain('无法读取 Excel 文件');
    const b = await importCatalogFile(path.join(dir, 'nope.xlsx'));
    expect(b.errors[0]!.reason).toContain('找不到');
    const txt = path.join(dir, 'a.txt');
    await fs.writeFile(txt, 'x');
    expect((await importCatalogFile(txt)).errors[0]!.reason).toContain('只支持');
  });

  it('export and template commands write files that import back', async () => {
    const x = await catalogExport(t.db, { format: 'xlsx', out: path.join(dir, 'cmd.xlsx') });
    expect(x.ok).toBe(true);
    const current = await loadCatalog(t.db);
    const { versionId: _v, savedAt: _s, ...data } = current!;
    expect((await importCatalogFile(x.files![0]!)).catalog).toEqual(data);
    const y = await catalogExport(t.db, { format: 'yaml', out: path.join(dir, 'cmd-yaml') });
    expect(y.files!.length).toBeGreaterThan(5);
    expect((await importCatalogFile(path.join(dir, 'cmd-yaml'))).catalog).toEqual(data);
    const tpl = await catalogTemplate(path.join(dir, 'cmd-template.xlsx'));
    expect(tpl.message).toContain('catalog import');
    await expect(fs.stat(tpl.files![0]!)).resolves.toBeTruthy();
  });
});

/** Row of an item in the exported workbook: header is row 1, items follow in catalog order. */
function rowOfIdIn(c: Catalog, id: string): number {
  return c.items.findIndex((i) => i.id === id) + 2;
}
