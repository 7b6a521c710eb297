import fs from 'node:fs/promises';
import path from 'node:path';
import { catalogSchema, type Catalog } from './schema.js';
import type { CatalogError } from './errors.js';
import { emptyParts, parseCatalogYaml, type CatalogParts, type CatalogSection } from './yaml-format.js';
import { readCatalogXlsx, type RowRef } from './xlsx-read.js';
import { checkCatalog } from './validate.js';

/** Larger files are refused before parsing (a catalog is a few hundred KB). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface ImportOptions {
  /**
   * The current catalog: sections the file does not contain (a workbook without the 地区 sheet,
   * a YAML file without `regions:`) are taken from it. Without a base, absent sections are empty.
   */
  base?: Catalog;
  /** Called while reading spreadsheet rows (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportResult {
  /** The complete, checked catalog; undefined when there is any error (nothing may be applied). */
  catalog?: Catalog;
  errors: CatalogError[];
  warnings: string[];
  /** Sections read from the file(s); the others came from `base`. */
  sections: CatalogSection[];
}

const SECTIONS: CatalogSection[] = ['version', 'regions', 'departments', 'contacts', 'lists', 'items', 'posts'];
const KIND = (f: string) => (/\.ya?ml$/i.test(f) ? 'yaml' : /\.xlsx$/i.test(f) ? 'xlsx' : undefined);

function mergeInto(into: CatalogParts, from: CatalogParts, file: string, errors: CatalogError[]): void {
  for (const s of from.present ?? []) into.present!.add(s);
  if (from.version !== undefined) {
    if (into.version !== undefined && into.version !== from.version) errors.push({ file, reason: `版本与其他文件不一致（${into.version} / ${from.version}）` });
    into.version ??= from.version;
  }
  into.regions.push(...from.regions);
  into.departments.push(...from.departments);
  into.contacts.push(...from.contacts);
  into.lists.push(...from.lists);
  into.items.push(...from.items);
  into.posts.push(...from.posts);
}

/**
 * Reads catalog data from a .yaml/.yml file, an .xlsx workbook, or a folder of them, and checks
 * it completely: shape (zod), unique ids, and every cross reference. Any problem is returned as
 * `{file, row, reason}` and no catalog is returned — the caller applies all or nothing.
 */
export async function importCatalogFile(target: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const errors: CatalogError[] = [];
  const warnings: string[] = [];
  const name = path.basename(target);
  let stat;
  try {
    stat = await fs.stat(target);
  } catch {
    return { errors: [{ file: name, reason: '找不到这个文件或文件夹' }], warnings, sections: [] };
  }
  const files = stat.isDirectory()
    ? (await fs.readdir(target)).filter((n) => KIND(n)).sort().map((n) => path.join(target, n))
    : [target];
  if (!files.length) return { errors: [{ file: name, reason: '文件夹里没有 .yaml / .xlsx 文件' }], warnings, sections: [] };

  const parts = emptyParts();
  const where = new Map<string, RowRef>();
  for (const f of files) {
    const base = path.basename(f);
    const kind = KIND(f);
    if (!kind) {
      errors.push({ file: base, reason: '只支持 .yaml、.yml 和 .xlsx 文件' });
      continue;
    }
    const size = (await fs.stat(f)).size;
    if (size > MAX_IMPORT_BYTES) {
      errors.push({ file: base, reason: `文件太大（${Math.round(size / 1024 / 1024)} MB，上限 ${MAX_IMPORT_BYTES / 1024 / 1024} MB）` });
      continue;
    }
    if (kind === 'yaml') {
      const one = emptyParts();
      parseCatalogYaml(await fs.readFile(f, 'utf8'), base, one, errors);
      mergeInto(parts, one, base, errors);
    } else {
      const r = await readCatalogXlsx(f, { onProgress: opts.onProgress });
      errors.push(...r.errors);
      warnings.push(...r.warnings.map((w) => `${base}: ${w}`));
      for (const [k, v] of r.where) if (!where.has(k)) where.set(k, v);
      mergeInto(parts, r.parts, base, errors);
    }
  }
  const sections = SECTIONS.filter((s) => parts.present!.has(s));
  if (errors.length) return { errors, warnings, sections };
  if (!sections.length) return { errors: [{ file: name, reason: '文件里没有可导入的内容' }], warnings, sections };

  const b = opts.base;
  const pick = <K extends Exclude<CatalogSection, 'version'>>(k: K): Catalog[K] => (parts.present!.has(k) ? parts[k] : (b?.[k] ?? [])) as Catalog[K];
  const version = parts.version ?? b?.version;
  if (version === undefined) return { errors: [{ file: name, reason: '缺少版本（YAML 的 version，或 Excel 的“版本”表）' }], warnings, sections };
  const shaped = catalogSchema.safeParse({
    version,
    regions: pick('regions'),
    departments: pick('departments'),
    contacts: pick('contacts'),
    lists: pick('lists'),
    items: pick('items'),
    posts: pick('posts'),
  });
  if (!shaped.success) {
    for (const i of shaped.error.issues) errors.push({ file: name, path: i.path.join('.'), reason: i.message });
    return { errors, warnings, sections };
  }
  if (!shaped.data.lists.length || !shaped.data.items.length)
    errors.push({ file: name, reason: '导入后将没有任何清单或事项，已拒绝（请检查是否选错了文件）' });
  for (const issue of checkCatalog(shaped.data)) {
    const at = where.get(`${issue.entity}:${issue.id}`);
    errors.push(at ? { file: at.file, row: at.row, path: at.sheet, reason: `${issue.id}：${issue.reason}` } : { file: name, path: `${issue.entity} ${issue.id}`, reason: issue.reason });
  }
  if (errors.length) return { errors, warnings, sections };
  return { catalog: shaped.data, errors, warnings, sections };
}
