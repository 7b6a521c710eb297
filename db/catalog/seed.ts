import type { Db } from '../client.js';
import { loadSeedCatalog, SEED_DIR } from '../../seeds/load.js';
import { catalogVersion, saveCatalog } from './store.js';

/**
 * Seeds an empty database from the seed YAML (used by `npm start`). Does nothing when a catalog
 * version exists, so imports made later are never overwritten. Safe when several processes start
 * together (the save re-checks under a lock). Throws CatalogLoadError if the seeds are invalid.
 */
export async function ensureSeeded(db: Db, seedDir: string = SEED_DIR): Promise<{ seeded: boolean; versionId: number }> {
  const existing = await catalogVersion(db);
  if (existing) return { seeded: false, versionId: existing.id };
  const catalog = await loadSeedCatalog(seedDir);
  const versionId = await saveCatalog(db, catalog, { source: 'seed', note: '首次启动自动导入种子数据', onlyIfEmpty: true });
  const now = await catalogVersion(db);
  return { seeded: now?.source === 'seed' && now.id === versionId, versionId };
}
