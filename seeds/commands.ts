import path from 'node:path';
import type { Db } from '../db/client.js';
import { loadCatalog, saveCatalog } from '../db/catalog/store.js';
import type { Catalog } from './schema.js';
import { formatCatalogError } from './errors.js';
import { importCatalogFile } from './import.js';
import { exportCatalogXlsx, exportCatalogYaml, writeTemplateXlsx } from './export.js';

/**
 * The `catalog import | export | template` commands, independent of any CLI parser: bin/cli.ts
 * parses arguments, calls these and prints `message` (and exits non-zero when `ok` is false).
 */
export interface CommandResult {
  ok: boolean;
  /** What to print, in Chinese (several lines). */
  message: string;
  /** catalog_versions.id created by an import. */
  versionId?: number;
  /** Files written by export / template. */
  files?: string[];
}

/** Shown at most; the rest is summarised as a count. */
const MAX_ERRORS_SHOWN = 50;

function summary(c: Catalog): string {
  return `清单 ${c.lists.length} 份、事项 ${c.items.length} 条、岗位 ${c.posts.length} 个、地区 ${c.regions.length} 个、部门 ${c.departments.length} 个、联系人 ${c.contacts.length} 个`;
}

/** JSON with object keys sorted (jsonb from the database does not keep key order). */
function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

const SECTION_NAMES: Record<string, string> = {
  version: '版本',
  regions: '地区',
  departments: '部门',
  contacts: '联系人',
  lists: '清单',
  items: '事项',
  posts: '岗位',
};

/** Added / removed / changed item and post counts between two catalogs. */
export function diffCatalogs(before: Catalog | undefined, after: Catalog): { added: number; removed: number; changed: number } {
  const old = new Map([...(before?.items ?? []), ...(before?.posts ?? [])].map((x) => [`${'duties' in x ? 'p' : 'i'}:${x.id}`, stable(x)]));
  let added = 0;
  let changed = 0;
  const seen = new Set<string>();
  for (const x of [...after.items, ...after.posts]) {
    const k = `${'duties' in x ? 'p' : 'i'}:${x.id}`;
    seen.add(k);
    const prev = old.get(k);
    if (prev === undefined) added++;
    else if (prev !== stable(x)) changed++;
  }
  return { added, removed: [...old.keys()].filter((k) => !seen.has(k)).length, changed };
}

/**
 * Imports a .yaml / .xlsx file or a folder as a NEW catalog version, in one transaction.
 * Any bad row → nothing is applied and every problem is listed as `file:row: reason`.
 */
export async function catalogImport(
  db: Db,
  target: string,
  opts: { log?: (line: string) => void; onProgress?: (done: number, total: number) => void; note?: string } = {},
): Promise<CommandResult> {
  const base = await loadCatalog(db);
  opts.log?.(`读取 ${target} …`);
  const res = await importCatalogFile(target, { base, onProgress: opts.onProgress });
  const warn = res.warnings.map((w) => `提示：${w}`);
  if (!res.catalog) {
    const shown = res.errors.slice(0, MAX_ERRORS_SHOWN).map(formatCatalogError);
    const more = res.errors.length > MAX_ERRORS_SHOWN ? [`……另有 ${res.errors.length - MAX_ERRORS_SHOWN} 处问题`] : [];
    return {
      ok: false,
      message: [`导入失败：发现 ${res.errors.length} 处问题，数据库未做任何修改。`, ...shown, ...more, ...warn].join('\n'),
    };
  }
  opts.log?.('校验通过，正在写入数据库 …');
  const versionId = await saveCatalog(db, res.catalog, { source: path.basename(target), note: opts.note });
  const d = diffCatalogs(base, res.catalog);
  const kept = base ? Object.keys(SECTION_NAMES).filter((s) => !res.sections.includes(s as never)).map((s) => SECTION_NAMES[s]) : [];
  return {
    ok: true,
    versionId,
    message: [
      `导入成功：新版本 #${versionId}（${res.catalog.version}）。`,
      summary(res.catalog),
      `与上一版相比：新增 ${d.added}、删除 ${d.removed}、修改 ${d.changed}（事项和岗位）。`,
      ...(kept.length ? [`文件中没有的部分沿用上一版：${kept.join('、')}`] : []),
      ...warn,
    ].join('\n'),
  };
}

/** Exports the current catalog as an .xlsx file or a folder of YAML files. */
export async function catalogExport(db: Db, opts: { format: 'yaml' | 'xlsx'; out?: string }): Promise<CommandResult> {
  const c = await loadCatalog(db);
  if (!c) return { ok: false, message: '数据库里还没有清单数据：先运行 npm start（自动导入种子数据）或 catalog import。' };
  const stem = `catalog-v${c.versionId ?? 0}`;
  if (opts.format === 'xlsx') {
    const file = opts.out ?? `${stem}.xlsx`;
    await exportCatalogXlsx(c, file);
    return { ok: true, files: [file], message: `已导出版本 #${c.versionId} 到 ${file}\n${summary(c)}` };
  }
  const dir = opts.out ?? stem;
  const files = await exportCatalogYaml(c, dir);
  return { ok: true, files, message: `已导出版本 #${c.versionId} 到文件夹 ${dir}（${files.length} 个 YAML 文件）\n${summary(c)}` };
}

/** Writes an empty workbook with the expected sheets and columns. */
export async function catalogTemplate(out = 'catalog-template.xlsx'): Promise<CommandResult> {
  await writeTemplateXlsx(out);
  return { ok: true, files: [out], message: `已生成导入模板 ${out}：填写后用 catalog import ${out} 导入。` };
}
