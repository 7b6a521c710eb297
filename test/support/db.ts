import { startEmbeddedDb } from '../../db/embedded.js';
import { connectDb, migrateDb, type DbHandle } from '../../db/client.js';

/** A fresh, migrated in-memory PGlite served over a local socket: a real database per test file. */
export async function createTestDb(): Promise<DbHandle & { url: string }> {
  const embedded = await startEmbeddedDb(undefined);
  const handle = connectDb(embedded.url);
  await migrateDb(handle.db);
  return {
    ...handle,
    url: embedded.url,
    async close() {
      await handle.close();
      await embedded.stop();
    },
  };
}
