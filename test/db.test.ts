import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { createTestDb } from './support/db.js';
import { outbox } from '../db/schema/index.js';
import { connectDb } from '../db/client.js';

describe('embedded database', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.close());

  it('applies migrations and is shared by a second connection pool over the socket', async () => {
    await t.db.insert(outbox).values({ jobId: 'j1', method: 'message/send', payload: { a: 1 }, status: 'dry' });
    const other = connectDb(t.url);
    const rows = await other.db.select().from(outbox);
    await other.close();
    expect(rows.map((r) => r.jobId)).toEqual(['j1']);
  });
});
