import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogSchema, type Catalog } from './schema.js';
import { CatalogLoadError, type CatalogError } from './errors.js';
import { emptyParts, parseCatalogYaml, type CatalogParts } from './yaml-format.js';
import { checkCatalog } from './validate.js';

/** The folder holding the project's seed YAML (this file's folder). */
export const SEED_DIR = path.dirname(fileURLToPath(import.meta.url));

/** YAML files of a folder, sorted by name (stable load order). */
export async function yamlFilesIn(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir);
  return names.filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => path.join(dir, n));
}

/**
 * Turns parts read from files into a Catalog and checks it (zod shape + cross references).
 * Cross-reference problems are reported against `file` (the folder or file that was read).
 */
export function assembleCatalog(parts: CatalogParts, file: string, errors: CatalogError[]): Catalog | undefined {
  if (parts.version === undefined) errors.push({ file, reason: '缺少版本（version）' });
  const candidate = {
    version: parts.version ?? '',
    regions: parts.regions,
    lists: parts.lists,
    items: parts.items,
    posts: parts.posts,
    departments: parts.departments,
    contacts: parts.contacts,
  };
  const shaped = catalogSchema.safeParse(candidate);
  if (!shaped.success) {
    for (const i of shaped.error.issues) errors.push({ file, path: i.path.join('.'), reason: i.message });
    return undefined;
  }
  for (const issue of checkCatalog(shaped.data)) errors.push({ file, path: `${issue.entity} ${issue.id}`, reason: issue.reason });
  return errors.length ? undefined : shaped.data;
}

/**
 * Reads YAML catalog data from one file or every *.yaml / *.yml file of a folder.
 * Never throws on bad data: returns the errors (`file:line: path: reason`) and no catalog.
 */
export async function readYamlCatalog(target: string): Promise<{ catalog?: Catalog; errors: CatalogError[] }> {
  const errors: CatalogError[] = [];
  const stat = await fs.stat(target);
  const files = stat.isDirectory() ? await yamlFilesIn(target) : [target];
  if (!files.length) return { errors: [{ file: target, reason: '文件夹里没有 .yaml 文件' }] };
  const parts = emptyParts();
  for (const f of files) parseCatalogYaml(await fs.readFile(f, 'utf8'), path.basename(f), parts, errors);
  if (errors.length) return { errors };
  const catalog = assembleCatalog(parts, path.basename(target), errors);
  return catalog ? { catalog, errors } : { errors };
}

/**
 * Loads and validates the seed catalog (default: seeds/). Throws CatalogLoadError listing every
 * problem as `file:line: path: reason` — seeds are ours, so bad seeds are a bug to fix, not to skip.
 */
export async function loadSeedCatalog(dir: string = SEED_DIR): Promise<Catalog> {
  const { catalog, errors } = await readYamlCatalog(dir);
  if (!catalog) throw new CatalogLoadError(errors);
  return catalog;
}
