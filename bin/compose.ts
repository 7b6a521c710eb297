import http from 'node:http';
import type { Worker } from 'bullmq';
import type { Config, WecomCredentials } from '../lib/config.js';
import type { Logger } from '../lib/log.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { loadOrCreateDevCredentials } from '../lib/dev-credentials.js';
import { Bot } from '../bot/bot.js';
import { Deduper } from '../bot/dedupe.js';
import { createMetrics, type BotMetrics } from '../bot/metrics.js';
import { createHttpApp } from '../bot/http/app.js';
import type { OutboundPort, OutboundRequest } from '../bot/outbound.js';
import { WecomApi } from '../bot/wecom-api/client.js';
import { recordInboundMany, outboxCounts, type InboundRecord } from '../db/messages-store.js';
import { Batcher } from '../lib/batcher.js';
import type { AppDeps } from '../handlers/deps.js';
import { registerHandlers } from '../handlers/index.js';
import { CatalogService } from '../handlers/catalog-qa/service.js';
import { createKfConversation, registerKfMetrics } from '../handlers/kf/index.js';
import { createKfSyncProcessor, KF_SYNC_JOB_OPTIONS } from '../jobs/kf-sync.js';
import { createPublicSite, kfLinkFromDb } from '../handlers/public/index.js';
import { registerPublicRoutes } from '../bot/http/public-routes.js';
import { createIpRateLimiter } from '../bot/http/ip-rate-limit.js';
import { registerImportRoutes } from '../bot/http/import-routes.js';
import { FlowProducer } from 'bullmq';
import { createZombieProcessors } from '../jobs/zombie/index.js';
import { createGroupChatApi } from '../jobs/zombie/groupchat-api.js';
import { activityApi } from './commands/groups.js';
import { unansweredCount } from '../db/qa.js';
import { DAY_MS } from '../lib/clock.js';
import { Redis } from 'ioredis';
import { JOB_NAMES } from '../jobs/job-map.js';
import { createQueues, createWorkers, type Queues } from '../jobs/queues.js';
import { createProcessors } from '../jobs/processors.js';
import { registerSchedulers } from '../jobs/schedulers.js';
import { createOutboundPort, toBullJobId } from '../jobs/send-message.js';
import type { Infra } from './infra.js';

export interface Credentials {
  creds: WecomCredentials;
  /** True when generated for development: outbound calls are written to the outbox as `dry`. */
  dev: boolean;
  file?: string;
  created?: boolean;
}

export function resolveCredentials(config: Config): Credentials {
  if (config.wecom) return { creds: config.wecom, dev: false };
  const { creds, created, file } = loadOrCreateDevCredentials(config.dataDir);
  return { creds, dev: true, file, created };
}

export interface Runtime {
  bot: Bot<AppDeps>;
  deps: AppDeps;
  queues: Queues;
  outbound: OutboundPort;
  metrics: BotMetrics;
  api: WecomApi | undefined;
  workers: Worker[];
  server?: http.Server;
  /** Writes buffered inbound-message rows now (tests, shutdown). */
  flushInbound(): Promise<void>;
  /** Graceful shutdown: HTTP → workers → queues (Redis and database are closed by Infra). */
  close(): Promise<void>;
}

export interface ComposeOptions {
  web: boolean;
  worker: boolean;
  clock?: Clock;
  /** Listen on this port instead of config.port (tests use 0). */
  port?: number;
}

export async function compose(config: Config, infra: Infra, log: Logger, credentials: Credentials, o: ComposeOptions): Promise<Runtime> {
  const clock = o.clock ?? systemClock;
  const { creds } = credentials;
  const queues = createQueues(infra.bullConnection, config.redisPrefix, log, JOB_NAMES);
  const outbound = createOutboundPort(queues['send-message']);
  const api = credentials.dev
    ? undefined
    : new WecomApi({
        baseUrl: config.wecomApiBase,
        corpId: creds.corpId,
        secret: creds.appSecret,
        agentId: creds.appAgentId,
        redis: infra.redis,
        prefix: config.redisPrefix,
        log,
      });
  // The catalog (seeded by openInfra when empty): load the current version and follow changes from other processes.
  const catalog = await CatalogService.load({ db: infra.db.db, log, defaultRegion: config.defaultRegion, redisPrefix: config.redisPrefix, publisher: infra.redis });
  const subscriber = new Redis({ ...(infra.bullConnection as object), lazyConnect: true });
  subscriber.on('error', (err) => log.debug({ err: err.message }, 'catalog subscriber connection error'));
  await subscriber.connect().then(
    () => catalog.subscribe(subscriber),
    (err: Error) => log.warn({ err: err.message }, 'catalog change notifications unavailable (Redis down)'),
  );
  const deps: AppDeps = {
    catalog,
    db: infra.db.db,
    redis: infra.redis,
    config,
    clock,
    log,
    outbound,
    agentId: creds.appAgentId,
    ...(api ? { groupChatApi: createGroupChatApi(api) } : {}),
    async enqueueJob(name, data, opts) {
      const queue = (queues as unknown as Record<string, import('bullmq').Queue | undefined>)[name];
      if (!queue) throw new Error(`unknown job ${name}`);
      await queue.add(name, data, {
        ...(name === 'kf-sync' ? KF_SYNC_JOB_OPTIONS : {}),
        ...(opts?.jobId ? { jobId: toBullJobId(opts.jobId) } : {}),
        ...(opts?.delay ? { delay: opts.delay } : {}),
      });
    },
  };
  const metrics = createMetrics(() => outboxCounts(infra.db.db));
  registerKfMetrics(metrics.registry, infra.db.db);

  // Inbound messages are written behind, in batches: the callback path never waits for the database.
  const inboundLog = new Batcher<InboundRecord>((rows) => recordInboundMany(infra.db.pool, rows), {
    maxItems: 1000,
    maxDelayMs: 250,
    onError: (err, count) => log.error({ err, count }, 'could not store inbound messages'),
  });
  const bot = new Bot<AppDeps>({
    deps,
    log,
    outbound,
    recorder: async (update, reply, handlerMs) =>
      inboundLog.add({
        channel: update.channel,
        dedupeKey: update.dedupeKey,
        msgId: update.msgId,
        type: update.type,
        chatId: update.chatId,
        chatType: update.chatType,
        userId: update.userId,
        text: update.type === 'text' ? update.text.slice(0, 4000) : undefined,
        reply,
        handlerMs,
        receivedAt: clock.now(),
      }),
  });
  const handlers = await registerHandlers(bot, deps);

  const workers: Worker[] = [];
  let flow: FlowProducer | undefined;
  if (o.worker) {
    flow = new FlowProducer({ connection: infra.bullConnection, prefix: config.redisPrefix });
    flow.on('error', (err) => log.error({ err }, 'flow producer error'));
    const processors = createProcessors({ db: infra.db.db, redis: infra.redis, prefix: config.redisPrefix, api, log, clock });
    Object.assign(
      processors,
      createZombieProcessors({
        db: infra.db.db,
        outbound,
        clock,
        log,
        flow,
        configAdmins: config.adminUserIds,
        defaultRegion: config.defaultRegion,
        ...(deps.groupChatApi ? { groupChatApi: deps.groupChatApi } : {}),
        unanswered: () => unansweredCount(infra.db.db, new Date(clock.now().getTime() - 7 * DAY_MS)),
      }),
    );
    processors['kf-sync'] = createKfSyncProcessor({
      db: infra.db.db,
      redis: infra.redis,
      prefix: config.redisPrefix,
      api,
      log,
      handle: createKfConversation({ db: infra.db.db, clock, outbound, api, engine: catalog.engine, catalog: () => catalog.catalog }),
    });
    workers.push(...createWorkers(infra.bullConnection, config.redisPrefix, processors, log));
    await registerSchedulers(queues, log, config.tz);
  }

  let server: http.Server | undefined;
  if (o.web) {
    const app = createHttpApp({
      aibot: { token: creds.aibotToken, aesKey: creds.aibotAesKey, receiveId: '' },
      app: { token: creds.appToken, aesKey: creds.appAesKey, receiveId: creds.corpId, agentId: creds.appAgentId },
      bot: bot as Bot<unknown>,
      deduper: new Deduper(infra.redis, config.redisPrefix, log),
      outbound,
      metrics,
      log,
      clock,
      maxSkewSeconds: config.callbackMaxSkewSeconds,
      trustProxy: config.trustProxy,
      readiness: async () => ({
        database: await infra.db.db.execute('select 1').then(() => true, () => false),
        redis: await infra.redis.ping().then((r) => r === 'PONG', () => false),
      }),
      extraRoutes: [
        (r) =>
          registerImportRoutes(r, {
            apiToken: config.apiToken,
            log,
            activity: (body) => activityApi(infra.db.db, body, { now: clock.now(), botSenderIds: config.botSenderIds }),
          }),
        (r) =>
          registerPublicRoutes(r, {
            ...createPublicSite({
              engine: catalog.engine,
              catalog: () => catalog.catalog,
              defaultRegion: config.defaultRegion,
              kfLink: kfLinkFromDb(infra.db.db, () => catalog.catalog),
            }),
            rateLimit: createIpRateLimiter(infra.redis, config.redisPrefix, { log }),
            ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
          }),
      ],
    });
    server = http.createServer(app.callback());
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(o.port ?? config.port, config.host, () => resolve());
    });
  }

  return {
    bot,
    deps,
    queues,
    outbound,
    metrics,
    api,
    workers,
    server,
    async close() {
      if (server) {
        await new Promise<void>((resolve) => {
          server!.close(() => resolve());
          server!.closeIdleConnections();
        });
      }
      // Workers finish their in-flight jobs before closing; nothing is lost.
      await Promise.all(workers.map((w) => w.close()));
      await flow?.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await inboundLog.close();
      await handlers.close();
      subscriber.disconnect();
    },
    flushInbound: () => inboundLog.flush(),
  };
}

export type { OutboundRequest };
