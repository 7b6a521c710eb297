import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { Config } from '../lib/config.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { OutboundPort } from '../bot/outbound.js';
import type { GroupChatApi } from '../jobs/zombie/groupchat-api.js';
import type { CatalogService } from './catalog-qa/service.js';

/**
 * What handlers receive from bin/ (the composition root). Capabilities add their own fields here;
 * handlers never open connections themselves.
 */
export interface AppDeps {
  db: Db;
  /** May be unavailable (e.g. Redis down); handlers must degrade, not crash. */
  redis: Redis | undefined;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Outbound WeCom sends (queued as `send-message` jobs; `dry` in development). */
  outbound: OutboundPort;
  /** The self-built app's AgentID (for message/send bodies). */
  agentId: number;
  /** Adds a job by name (see jobs/job-map.ts); `jobId` makes it idempotent. */
  enqueueJob(name: string, data: unknown, opts?: { jobId?: string; delay?: number }): Promise<void>;
  /** Customer-group API (jobs/zombie/groupchat-api.ts createGroupChatApi); undefined without credentials. */
  groupChatApi?: GroupChatApi;
  /** The catalog and its search engine (reloaded in every process when it changes). */
  catalog: CatalogService;
}
