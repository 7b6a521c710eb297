import type { Redis } from 'ioredis';
import type { Db } from '../../db/client.js';
import { loadCatalog } from '../../db/catalog/index.js';
import type { Catalog } from '../../seeds/schema.js';
import type { Logger } from '../../lib/log.js';
import { createCatalogEngine, type CatalogEngine } from '../catalog-search/engine.js';

/**
 * The catalog as this process answers from: the current version loaded from the database and its
 * search index. When the catalog changes (import, alias), the changer publishes on Redis and every
 * process reloads and rebuilds its index.
 */
export class CatalogService {
  private constructor(
    private catalogValue: Catalog,
    readonly engine: CatalogEngine,
    private readonly db: Db,
    private readonly log: Logger,
    private readonly channel: string,
    private readonly publisher: Redis | undefined,
  ) {}

  static async load(o: { db: Db; log: Logger; defaultRegion: string; redisPrefix: string; publisher?: Redis | undefined }): Promise<CatalogService> {
    const catalog = (await loadCatalog(o.db)) ?? emptyCatalog();
    const engine = createCatalogEngine(catalog, { defaultRegion: o.defaultRegion });
    return new CatalogService(catalog, engine, o.db, o.log, `${o.redisPrefix}:catalog-changed`, o.publisher);
  }

  get catalog(): Catalog {
    return this.catalogValue;
  }

  /** Reloads the current version from the database and rebuilds the index. */
  async reload(): Promise<void> {
    const catalog = await loadCatalog(this.db);
    if (!catalog) return;
    this.catalogValue = catalog;
    this.engine.rebuild(catalog);
    this.log.info({ version: catalog.version, stats: this.engine.stats().docs }, 'catalog index rebuilt');
  }

  /** Tells every process (this one included, via its subscription) that the catalog changed. */
  async publishChanged(versionId: number): Promise<void> {
    await this.reload();
    try {
      await this.publisher?.publish(this.channel, String(versionId));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not publish catalog change; other processes reload on restart');
    }
  }

  /** Subscribes a dedicated Redis connection to catalog changes. */
  async subscribe(subscriber: Redis): Promise<void> {
    subscriber.on('message', (channel: string) => {
      if (channel !== this.channel) return;
      this.reload().catch((err: Error) => this.log.error({ err: err.message }, 'catalog reload failed'));
    });
    await subscriber.subscribe(this.channel);
  }
}

function emptyCatalog(): Catalog {
  return { version: 'empty', regions: [], lists: [], items: [], posts: [], departments: [], contacts: [] } as unknown as Catalog;
}
