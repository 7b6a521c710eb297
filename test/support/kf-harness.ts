/**
 * The 微信客服 capability wired as bin/ wires it, for tests: the real koa app with the real callback
 * crypto (app channel, receiveid = CorpID), the router with registerKfHandlers, real BullMQ queues and
 * workers (kf-sync + send-message), a real database (PGlite), the test Redis (random prefix), the
 * shared catalog engine on the seed catalog, and the fake WeCom server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { Bot } from '../../bot/bot.js';
import { Deduper } from '../../bot/dedupe.js';
import { createMetrics, type BotMetrics } from '../../bot/metrics.js';
import { createHttpApp } from '../../bot/http/app.js';
import { WecomApi } from '../../bot/wecom-api/client.js';
import { buildXml } from '../../bot/callback/xml.js';
import { sealCallback } from '../../bot/simulator.js';
import type { Db } from '../../db/client.js';
import { CatalogService } from '../../handlers/catalog-qa/service.js';
import { ensureSeeded } from '../../db/catalog/index.js';
import type { AppDeps } from '../../handlers/deps.js';
import { createKfConversation, registerKfHandlers, registerKfMetrics } from '../../handlers/kf/index.js';
import { JOB_NAMES, type JobName } from '../../jobs/job-map.js';
import { createKfSyncProcessor, KF_SYNC_JOB_OPTIONS } from '../../jobs/kf-sync.js';
import { createQueues, createWorkers, type Queues } from '../../jobs/queues.js';
import { createOutboundPort, createSendMessageProcessor, toBullJobId } from '../../jobs/send-message.js';
import { loadConfig } from '../../lib/config.js';
import { systemClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import type { Catalog } from '../../seeds/schema.js';
import type { FakeWecom } from '../fake-wecom/server.js';
import { post } from './http.js';
import { TEST_CREDS } from './service.js';
import { testPrefix, testRedisUrl } from './redis.js';

export const log = silentLogger();

export interface KfHarness {
  url: string;
  prefix: string;
  db: Db;
  redis: Redis;
  queues: Queues;
  metrics: BotMetrics;
  catalog: Catalog;
  /** Posts an encrypted, signed kf_msg_or_event callback; returns the HTTP status and body. */
  signal(openKfId: string, token: string, createTime?: number): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function startKfHarness(db: Db, fake: FakeWecom, o: { busyDelayMs?: number } = {}): Promise<KfHarness> {
  const prefix = testPrefix();
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix, log, JOB_NAMES);
  const outbound = createOutboundPort(queues['send-message'], { backoff: { type: 'fixed', delay: 50 } });
  const config = loadConfig({ DEFAULT_REGION: '北城街道' });
  const api = new WecomApi({ baseUrl: fake.url, corpId: fake.corpId, secret: fake.secret, agentId: fake.agentId, redis, prefix, log });
  await ensureSeeded(db);
  const service = await CatalogService.load({ db, log, defaultRegion: config.defaultRegion, redisPrefix: prefix });
  const catalog = service.catalog;
  const deps: AppDeps = {
    db,
    redis,
    config,
    clock: systemClock,
    log,
    outbound,
    agentId: fake.agentId,
    catalog: service,
    async enqueueJob(name, data, opts) {
      const extra = name === 'kf-sync' ? KF_SYNC_JOB_OPTIONS : {};
      await (queues[name as JobName] as unknown as { add: (n: string, d: unknown, o: unknown) => Promise<unknown> }).add(name, data, {
        ...extra,
        ...(opts?.jobId ? { jobId: toBullJobId(opts.jobId) } : {}),
      });
    },
  };
  const bot = new Bot<AppDeps>({ deps, log, outbound });
  registerKfHandlers(bot);
  const metrics = createMetrics();
  registerKfMetrics(metrics.registry, db);
  const handle = createKfConversation({ db, clock: systemClock, outbound, api, engine: service.engine, catalog: () => service.catalog });
  const workers: Worker[] = createWorkers(redis, prefix, {
    'send-message': createSendMessageProcessor({ api, db, redis, prefix, log, clock: systemClock }),
    'kf-sync': createKfSyncProcessor({ db, redis, prefix, api, log, handle, busyDelayMs: o.busyDelayMs ?? 100 }),
  }, log);
  const app = createHttpApp({
    aibot: { token: TEST_CREDS.aibotToken, aesKey: TEST_CREDS.aibotAesKey, receiveId: '' },
    app: { token: TEST_CREDS.appToken, aesKey: TEST_CREDS.appAesKey, receiveId: TEST_CREDS.corpId, agentId: TEST_CREDS.appAgentId },
    bot: bot as Bot<unknown>,
    deduper: new Deduper(redis, prefix, log),
    outbound,
    metrics,
    log,
    clock: systemClock,
    maxSkewSeconds: 3600,
    readiness: async () => ({ ok: true }),
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    prefix,
    db,
    redis,
    queues,
    metrics,
    catalog,
    async signal(openKfId, token, createTime = Math.floor(Date.now() / 1000)) {
      const xml = buildXml({ ToUserName: TEST_CREDS.corpId, CreateTime: createTime, MsgType: 'event', Event: 'kf_msg_or_event', Token: token, OpenKfId: openKfId });
      const res = await post(url, sealCallback(TEST_CREDS, 'app', xml));
      return { status: res.status, body: res.body };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await redis.quit();
    },
  };
}

/** Polls until `fn` returns something truthy (15 s by default). */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves when every queue of the harness is idle (no waiting, active or delayed jobs). */
export async function settle(h: KfHarness, timeoutMs = 15_000): Promise<void> {
  await waitFor('queues to settle', async () => {
    for (const name of ['kf-sync', 'send-message'] as const) {
      const c = await h.queues[name].getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(c).some((n) => n > 0)) return false;
    }
    return true;
  }, timeoutMs);
}
