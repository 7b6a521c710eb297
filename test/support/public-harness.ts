/**
 * The public site served by the real koa app (createHttpApp + registerPublicRoutes), on a seeded
 * database with the shared catalog engine, the Redis per-IP limiter (random prefix) and, optionally,
 * a stored 微信客服 link.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Bot } from '../../bot/bot.js';
import { Deduper } from '../../bot/dedupe.js';
import { createMetrics } from '../../bot/metrics.js';
import { createHttpApp } from '../../bot/http/app.js';
import { registerPublicRoutes } from '../../bot/http/public-routes.js';
import { createIpRateLimiter } from '../../bot/http/ip-rate-limit.js';
import { ensureSeeded } from '../../db/catalog/index.js';
import type { Db } from '../../db/client.js';
import { CatalogService } from '../../handlers/catalog-qa/service.js';
import { createPublicSite, kfLinkFromDb } from '../../handlers/public/index.js';
import { systemClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { TEST_CREDS } from './service.js';
import { testPrefix, testRedisUrl } from './redis.js';

const log = silentLogger();

export interface PublicHarness {
  url: string;
  redis: Redis;
  close(): Promise<void>;
}

export async function startPublicHarness(db: Db, o: { limit?: number; publicBaseUrl?: string; limiterNow?: () => number } = {}): Promise<PublicHarness> {
  const prefix = testPrefix();
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  await ensureSeeded(db);
  const service = await CatalogService.load({ db, log, defaultRegion: '北城街道', redisPrefix: prefix });
  const site = createPublicSite({ engine: service.engine, catalog: () => service.catalog, defaultRegion: '北城街道', kfLink: kfLinkFromDb(db, () => service.catalog) });
  const outbound = { enqueue: async () => {} };
  const app = createHttpApp({
    trustProxy: true, // each test request carries its own X-Forwarded-For (as behind a proxy)
    aibot: { token: TEST_CREDS.aibotToken, aesKey: TEST_CREDS.aibotAesKey, receiveId: '' },
    app: { token: TEST_CREDS.appToken, aesKey: TEST_CREDS.appAesKey, receiveId: TEST_CREDS.corpId, agentId: TEST_CREDS.appAgentId },
    bot: new Bot<unknown>({ deps: {}, log, outbound }),
    deduper: new Deduper(redis, prefix, log),
    outbound,
    metrics: createMetrics(),
    log,
    clock: systemClock,
    maxSkewSeconds: 3600,
    readiness: async () => ({ ok: true }),
    extraRoutes: [
      (r) =>
        registerPublicRoutes(r, {
          ...site,
          rateLimit: createIpRateLimiter(redis, prefix, { limit: o.limit ?? 60, log, ...(o.limiterNow ? { now: o.limiterNow } : {}) }),
          ...(o.publicBaseUrl ? { publicBaseUrl: o.publicBaseUrl } : {}),
        }),
    ],
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    redis,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await redis.quit();
    },
  };
}
