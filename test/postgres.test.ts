import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTempPostgres, type TempPostgres } from './support/postgres.js';
import { startTestService, TEST_CREDS, type TestService } from './support/service.js';
import { post, sealed } from './support/http.js';
import { aibotTextMessage, openReply } from '../bot/simulator.js';
import { inboundMessages } from '../db/schema/index.js';

// The same migrations and the same service against a real PostgreSQL server.
describe('real PostgreSQL', () => {
  let pg: TempPostgres;
  let svc: TestService;
  beforeAll(async () => {
    pg = await startTempPostgres();
    svc = await startTestService({ env: { DATABASE_URL: pg.url } });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await pg?.stop();
  });

  it('applies every migration and answers a callback, storing it in PostgreSQL', async () => {
    const version = await svc.infra.db.pool.query<{ v: string }>('select version() as v');
    expect(version.rows[0]!.v).toMatch(/^PostgreSQL \d+/);
    expect(version.rows[0]!.v).not.toMatch(/wasm|emscripten/i);
    const res = await post(svc.url, sealed(TEST_CREDS, 'aibot', aibotTextMessage({ text: '帮助', msgId: 'pg-smoke-1' })));
    expect(JSON.parse(openReply(TEST_CREDS, 'aibot', res.body)).stream.content).toContain('基层减负助手');
    await svc.runtime.flushInbound();
    const rows = await svc.infra.db.db.select().from(inboundMessages);
    expect(rows.map((r) => r.msgId)).toContain('pg-smoke-1');
  });
});
