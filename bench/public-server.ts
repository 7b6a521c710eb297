// A stand-alone server for `npm run bench -- public` when the running service does not serve the public
// routes yet: the koa app with registerPublicRoutes exactly as bin/ wires it (shared catalog engine on
// the seeded embedded database, Redis per-IP limiter on a private redis-server). Prints `LISTENING <port>`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import { Redis } from 'ioredis';
import { registerPublicRoutes } from '../bot/http/public-routes.js';
import { createIpRateLimiter } from '../bot/http/ip-rate-limit.js';
import { connectDb, migrateDb } from '../db/client.js';
import { ensureSeeded } from '../db/catalog/index.js';
import { startEmbeddedDb } from '../db/embedded.js';
import { CatalogService } from '../handlers/catalog-qa/service.js';
import { createPublicSite, kfLinkFromDb } from '../handlers/public/index.js';
import { startRedisServer } from '../lib/redis-server.js';
import { silentLogger } from '../lib/log.js';

const log = silentLogger();
const embedded = await startEmbeddedDb(undefined);
const handle = connectDb(embedded.url);
await migrateDb(handle.db);
await ensureSeeded(handle.db);
const redisServer = await startRedisServer(undefined);
const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
const service = await CatalogService.load({ db: handle.db, log, defaultRegion: '北城街道', redisPrefix: 'bench' });
const site = createPublicSite({ engine: service.engine, catalog: () => service.catalog, defaultRegion: '北城街道', kfLink: kfLinkFromDb(handle.db, () => service.catalog) });
const app = new Koa({ proxy: true });
const router = new Router();
registerPublicRoutes(router, { ...site, rateLimit: createIpRateLimiter(redis, 'bench', { log }) });
app.use(router.routes());
const server = http.createServer(app.callback());
server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${(server.address() as AddressInfo).port}`));
const stop = async () => {
  server.close();
  redis.disconnect();
  await redisServer.stop();
  await handle.close();
  await embedded.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
