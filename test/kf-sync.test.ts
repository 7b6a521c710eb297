import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelayedError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { startFakeWecom, type FakeWecom } from './fake-wecom/server.js';
import { createTestDb } from './support/db.js';
import { testPrefix, testRedisUrl } from './support/redis.js';
import { WecomApi } from '../bot/wecom-api/client.js';
import { createKfSyncProcessor, type KfSyncPayload, type KfSyncResult } from '../jobs/kf-sync.js';
import { getKfCursor, kfActions } from '../db/kf/sync.js';
import type { KfMsg } from '../bot/kf-message.js';
import { silentLogger } from '../lib/log.js';

const log = silentLogger();
const KF = 'wkSYNCTEST00000000000000001';

let db: Awaited<ReturnType<typeof createTestDb>>;
let fake: FakeWecom;
let redis: Redis;
let api: WecomApi;
const prefix = testPrefix();

/** The smallest Job the processor uses: data, id, and moveToDelayed (recorded). */
function stubJob(data: KfSyncPayload) {
  const delayed: number[] = [];
  const job = { id: `j${Math.random()}`, data, moveToDelayed: async (ts: number) => void delayed.push(ts) } as unknown as Job<KfSyncPayload, KfSyncResult>;
  return { job, delayed };
}

beforeAll(async () => {
  db = await createTestDb();
  fake = await startFakeWecom();
  fake.kf.addAccount(KF);
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  api = new WecomApi({ baseUrl: fake.url, corpId: fake.corpId, secret: fake.secret, agentId: fake.agentId, redis, prefix, log });
}, 60_000);

afterAll(async () => {
  await redis?.quit();
  await fake?.close();
  await db?.close();
});

describe('kf-sync processor', () => {
  it('a crash in the middle of a batch: the cursor is not advanced, handled messages are not handled again', async () => {
    const msgs = ['一', '二', '三'].map((t) => fake.kf.pushCustomerText(KF, 'wmX', t));
    const seen: string[] = [];
    let failOnce = true;
    const handle = async (m: KfMsg) => {
      if (m.text === '二' && failOnce) {
        failOnce = false;
        throw new Error('database went away');
      }
      seen.push(m.msgId);
      return { action: 'test' };
    };
    const p = createKfSyncProcessor({ db: db.db, redis, prefix, api, log, handle });
    await expect(p(stubJob({ openKfId: KF, token: 't1' }).job)).rejects.toThrow('database went away');
    expect(await getKfCursor(db.db, KF)).toBeUndefined();
    expect(seen).toEqual([msgs[0]!.msgid]);
    const r = await p(stubJob({ openKfId: KF, token: 't1' }).job);
    expect(r).toMatchObject({ status: 'synced', handled: 2 });
    expect(seen).toEqual(msgs.map((m) => m.msgid));
    expect((await getKfCursor(db.db, KF))?.cursor).toBeTruthy();
    expect((await kfActions(db.db, KF)).map((a) => a.status)).toEqual(['done', 'done', 'done']);
  });

  it('one sync per account at a time: a second job finds the lock taken and is delayed, not run', async () => {
    fake.kf.pushCustomerText(KF, 'wmY', '四');
    fake.stallNext('kf/sync_msg', 400);
    let inFlight = 0;
    let maxInFlight = 0;
    const counting = {
      kfSyncMsg: async (b: Record<string, unknown>) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await api.kfSyncMsg(b);
        } finally {
          inFlight--;
        }
      },
    };
    const p = createKfSyncProcessor({ db: db.db, redis, prefix, api: counting, log, handle: async () => ({ action: 'test' }), busyDelayMs: 250 });
    const a = stubJob({ openKfId: KF, token: 'ta' });
    const b = stubJob({ openKfId: KF, token: 'tb' });
    const first = p(a.job);
    await new Promise((r) => setTimeout(r, 50));
    await expect(p(b.job)).rejects.toBeInstanceOf(DelayedError);
    expect(b.delayed).toHaveLength(1);
    expect(b.delayed[0]! - Date.now()).toBeGreaterThan(100);
    await expect(first).resolves.toMatchObject({ status: 'synced', handled: 1 });
    expect(maxInFlight).toBe(1);
    // Lock released: the delayed job now runs (and finds nothing new).
    await expect(p(b.job)).resolves.toMatchObject({ status: 'synced', handled: 0 });
  });

  it('without WeCom credentials the job finishes without calling anything', async () => {
    const p = createKfSyncProcessor({ db: db.db, redis, prefix, api: undefined, log, handle: async () => ({ action: 'x' }) });
    await expect(p(stubJob({ openKfId: KF, token: 't' }).job)).resolves.toMatchObject({ status: 'no_api' });
  });

  it('a transient error (HTTP 502) surfaces for BullMQ to retry and leaves the cursor where it was', async () => {
    const before = await getKfCursor(db.db, KF);
    fake.kf.pushCustomerText(KF, 'wmZ', '五');
    fake.httpErrorNext('kf/sync_msg', 502);
    const p = createKfSyncProcessor({ db: db.db, redis, prefix, api, log, handle: async () => ({ action: 'test' }) });
    await expect(p(stubJob({ openKfId: KF, token: 't' }).job)).rejects.toThrow();
    expect(await getKfCursor(db.db, KF)).toEqual(before);
    await expect(p(stubJob({ openKfId: KF, token: 't' }).job)).resolves.toMatchObject({ handled: 1 });
  });
});
