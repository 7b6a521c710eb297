/**
 * The zombie-group capability wired as bin/ wires it, for tests: real database (PGlite), real Redis
 * (random prefix), real BullMQ queues/workers/flow, the fake WeCom server, a ManualClock.
 */
import { Redis } from 'ioredis';
import { FlowProducer, type Worker, type Processor } from 'bullmq';
import { WecomApi } from '../../bot/wecom-api/client.js';
import { Bot } from '../../bot/bot.js';
import type { OutboundPort } from '../../bot/outbound.js';
import type { Update } from '../../bot/update.js';
import { createOutboundPort, createSendMessageProcessor } from '../../jobs/send-message.js';
import { createQueues, createWorkers, type Processors, type Queues } from '../../jobs/queues.js';
import { JOB_NAMES, type JobName } from '../../jobs/job-map.js';
import { createZombieProcessors } from '../../jobs/zombie/index.js';
import { createGroupChatApi } from '../../jobs/zombie/groupchat-api.js';
import { registerGroupHandlers, recordGroupActivity } from '../../handlers/groups/index.js';
import type { AppDeps } from '../../handlers/deps.js';
import { loadConfig } from '../../lib/config.js';
import { ManualClock, systemClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import type { Db } from '../../db/client.js';
import { testPrefix, testRedisUrl } from './redis.js';
import type { FakeWecom } from '../fake-wecom/server.js';

export const log = silentLogger();

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Harness {
  prefix: string;
  conn: Redis;
  queues: Queues;
  flow: FlowProducer;
  outbound: OutboundPort;
  clock: ManualClock;
  api: WecomApi;
  bot: Bot<AppDeps>;
  deps: AppDeps;
  processors: Processors;
  workers: Worker[];
  startWorkers(wrap?: Partial<Record<JobName, (p: Processor) => Processor>>): Worker[];
  stopWorkers(force?: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(
  db: Db,
  fake: FakeWecom,
  o: { now: string; admins?: string; batchSize?: number; stalledMs?: number },
): Promise<Harness> {
  const prefix = testPrefix();
  const conn = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const queues = createQueues(conn, prefix, log, JOB_NAMES);
  const flow = new FlowProducer({ connection: conn, prefix });
  const outbound = createOutboundPort(queues['send-message'], { backoff: { type: 'exponential', delay: 50 } });
  const clock = new ManualClock(o.now);
  const config = loadConfig({ WECOM_ADMIN_USERIDS: o.admins ?? 'admin01', DEFAULT_REGION: '北城街道' });
  const api = new WecomApi({ baseUrl: fake.url, corpId: fake.corpId, secret: fake.secret, agentId: fake.agentId, redis: conn, prefix, log });
  const groupChatApi = createGroupChatApi(api);
  const deps: AppDeps = {
    db,
    redis: conn,
    config,
    clock,
    log,
    outbound,
    agentId: fake.agentId,
    groupChatApi,
    catalog: undefined as unknown as AppDeps['catalog'], // the group handlers never use the catalog
    async enqueueJob(name, data, opts) {
      await (queues[name as JobName] as unknown as { add: (n: string, d: unknown, o: unknown) => Promise<unknown> }).add(name, data, opts ?? {});
    },
  };
  const bot = new Bot<AppDeps>({ deps, log, outbound });
  bot.use(recordGroupActivity);
  registerGroupHandlers(bot);
  const processors: Processors = {
    'send-message': createSendMessageProcessor({ api, db, redis: conn, prefix, log, clock: systemClock }),
    ...createZombieProcessors({
      db,
      outbound,
      clock,
      log,
      flow,
      configAdmins: config.adminUserIds,
      defaultRegion: config.defaultRegion,
      groupChatApi,
      batchSize: o.batchSize ?? 10,
      jobOptions: { backoff: { type: 'fixed', delay: 100 } },
    }),
  };
  const h: Harness = {
    prefix,
    conn,
    queues,
    flow,
    outbound,
    clock,
    api,
    bot,
    deps,
    processors,
    workers: [],
    startWorkers(wrap = {}) {
      const ps: Processors = {};
      for (const [name, p] of Object.entries(processors) as [JobName, Processor][]) {
        const w = wrap[name];
        (ps as Record<string, Processor>)[name] = w ? w(p) : p;
      }
      const ws = createWorkers(conn, prefix, ps, log, {
        // Fast stall detection only where a test kills a worker mid-job (the scan batches); a short lock
        // on send-message would let a busy machine re-run a send that is merely slow.
        options: o.stalledMs
          ? { 'zombie-scan-batch': { stalledInterval: o.stalledMs, lockDuration: o.stalledMs * 3, maxStalledCount: 5 } }
          : {},
      });
      h.workers.push(...ws);
      return ws;
    },
    async stopWorkers(force = false) {
      await Promise.all(h.workers.map((w) => w.close(force)));
      h.workers = [];
    },
    async close() {
      await h.stopWorkers(true);
      await flow.close();
      for (const q of Object.values(queues)) {
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      await conn.quit();
    },
  };
  return h;
}

/** A card click update as the app callback parser produces it. */
export function cardClick(p: { userId: string; taskId: string; eventKey: string; responseCode?: string; n?: number }): Update {
  return {
    type: 'card_click',
    channel: 'app',
    dedupeKey: `click-${p.userId}-${p.taskId}-${p.eventKey}-${p.n ?? 0}`,
    msgId: undefined,
    userId: p.userId,
    chatId: undefined,
    chatType: 'single',
    createTime: Math.floor(Date.now() / 1000),
    eventKey: p.eventKey,
    taskId: p.taskId,
    cardType: 'button_interaction',
    responseCode: p.responseCode,
  };
}

/** A text update (1:1 on the app, or @-mention in a group on the AI bot). */
export function textUpdate(p: { userId: string; text: string; chatId?: string; msgId?: string; at?: Date }): Update {
  const group = p.chatId !== undefined;
  return {
    type: 'text',
    channel: group ? 'aibot' : 'app',
    dedupeKey: p.msgId ?? `m-${Math.random()}`,
    msgId: p.msgId ?? `m-${Math.random().toString(36).slice(2)}`,
    userId: p.userId,
    chatId: p.chatId,
    chatType: group ? 'group' : 'single',
    createTime: Math.floor((p.at ?? new Date()).getTime() / 1000),
    text: p.text,
    source: 'text',
  };
}
