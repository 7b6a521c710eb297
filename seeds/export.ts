import fs from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from './schema.js';
import { catalogToYamlFiles } from './yaml-format.js';

export { exportCatalogXlsx, writeTemplateXlsx } from './xlsx.js';

/**
 * Writes the catalog as YAML in the seeds/ layout (catalog.yaml, regions.yaml, certificates.yaml …)
 * into `dir` (created if needed). Returns the paths written. Importing the folder gives the same catalog.
 */
export async function exportCatalogYaml(catalog: Catalog, dir: string): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of catalogToYamlFiles(catalog)) {
    const file = path.join(dir, name);
    await fs.writeFile(file, text, 'utf8');
    written.push(file);
  }
  return written;
}
