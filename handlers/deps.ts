import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { Config } from '../lib/config.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';

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
}
