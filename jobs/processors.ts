import type { Redis } from 'ioredis';
import type { Logger } from '../lib/log.js';
import type { Clock } from '../lib/clock.js';
import type { Db } from '../db/client.js';
import type { WecomApi } from '../bot/wecom-api/client.js';
import type { Processors } from './queues.js';
import { createSendMessageProcessor } from './send-message.js';

/** What processors need; bin/ builds it. */
export interface ProcessorDeps {
  db: Db;
  redis: Redis;
  prefix: string;
  api: WecomApi | undefined;
  log: Logger;
  clock: Clock;
}

/** One processor per job name (each in its own file); capabilities add theirs here. */
export function createProcessors(d: ProcessorDeps): Processors {
  return {
    'send-message': createSendMessageProcessor({ api: d.api, db: d.db, redis: d.redis, prefix: d.prefix, log: d.log, clock: d.clock }),
  };
}
