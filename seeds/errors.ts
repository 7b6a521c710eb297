/**
 * A problem found while reading or checking catalog data. `row` is a spreadsheet row or a YAML
 * line (1-based); `path` says where inside the file (e.g. `lists[0].items[3].name`, or a sheet name).
 * Reasons are Chinese: officials read them.
 */
export interface CatalogError {
  file: string;
  row?: number;
  path?: string;
  reason: string;
}

/** `file:row: path: reason`, leaving out what is unknown. */
export function formatCatalogError(e: CatalogError): string {
  const where = [e.file, e.row === undefined ? undefined : String(e.row)].filter(Boolean).join(':');
  return `${where}: ${e.path ? `${e.path}: ` : ''}${e.reason}`;
}

/** Thrown by loaders that must not continue on bad data (e.g. seeding at start-up). */
export class CatalogLoadError extends Error {
  constructor(readonly errors: CatalogError[]) {
    super(
      `catalog has ${errors.length} error(s):\n` +
        errors.slice(0, 50).map(formatCatalogError).join('\n') +
        (errors.length > 50 ? `\n… and ${errors.length - 50} more` : ''),
    );
    this.name = 'CatalogLoadError';
  }
}
