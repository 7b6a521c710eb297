import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { createTestDb } from './support/db.js';
import { connectDb } from '../db/client.js';
import { recordInboundMany } from '../db/messages-store.js';
import { outbox } from '../db/schema/index.js';

// The embedded database is shared by many connections (several pools, the CLI): it must behave.
describe('PGlite served over a socket to many clients', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.close());

  it('runs 600 concurrent statements and transactions from two pools without a failure or a hang', async () => {
    const a = connectDb(t.url, { max: 8 });
    const b = connectDb(t.url, { max: 8 });
    const errors: string[] = [];
    const tasks: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      tasks.push(recordInboundMany(a.pool, [{ channel: 'aibot', dedupeKey: `k${i}`, type: 'text', reply: { i }, handlerMs: 1 }]).catch((e: Error) => errors.push(e.message)));
      tasks.push(
        b.db.insert(outbox).values({ jobId: `j${i}`, method: 'm', payload: { i }, status: 'dry' }).onConflictDoNothing().catch((e: Error) => errors.push(e.message)),
      );
      tasks.push(
        a.db
          .transaction(async (tx) => {
            const r = await tx.execute<{ n: number }>(sql`select ${i}::int as n`);
            await tx.execute(sql`select pg_sleep(0)`);
            expect(r.rows[0]!.n).toBe(i);
          })
          .catch((e: Error) => errors.push(e.message)),
      );
    }
    await Promise.all(tasks);
    expect(errors).toEqual([]);
    const counts = await t.db.execute<{ n: number }>(sql`select (select count(*) from inbound_messages)::int + (select count(*) from outbox)::int as n`);
    expect(counts.rows[0]!.n).toBe(400);
    await a.close();
    await b.close();
  }, 60_000);

  it('keeps another client out of an open transaction and rolls it back when its client disappears', async () => {
    const c1 = new pg.Client({ connectionString: t.url });
    const c2 = new pg.Client({ connectionString: t.url });
    await c1.connect();
    await c2.connect();
    await c1.query('begin');
    await c1.query(`insert into outbox (job_id, method, payload, status) values ('tx1', 'm', '{}', 'dry')`);
    // c2 waits for c1's transaction instead of running inside it.
    let c2Done = false;
    const c2Query = c2.query(`select count(*)::int as n from outbox where job_id = 'tx1'`).then((r) => {
      c2Done = true;
      return r.rows[0].n as number;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(c2Done).toBe(false);
    // c1 vanishes mid-transaction: its insert is rolled back and c2 proceeds.
    c1.on('error', () => {});
    (c1 as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await c2Query).toBe(0);
    await c2.end();
  }, 30_000);
});
