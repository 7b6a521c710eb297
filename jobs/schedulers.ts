import type { Logger } from '../lib/log.js';
import type { Queues } from './queues.js';
import { registerZombieSchedulers } from './zombie/index.js';

/**
 * Recurring work, declared once at boot as BullMQ job schedulers with stable ids and
 * `tz: 'Asia/Shanghai'` (upsert: restarting never duplicates a schedule).
 */
export async function registerSchedulers(queues: Queues, log: Logger, tz = 'Asia/Shanghai'): Promise<void> {
  const registered = await registerZombieSchedulers(queues, tz);
  log.debug({ registered }, 'job schedulers registered');
}
