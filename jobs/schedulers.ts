import type { Logger } from '../lib/log.js';
import type { Queues } from './queues.js';

/**
 * Recurring work, declared once at boot as BullMQ job schedulers with stable ids and
 * `tz: 'Asia/Shanghai'` (upsert: restarting never duplicates a schedule).
 */
export async function registerSchedulers(queues: Queues, log: Logger): Promise<void> {
  const registered: string[] = [];
  // Capabilities add their schedulers here (e.g. zombie-scan daily 09:00, weekly-digest Monday 09:00).
  void queues;
  log.debug({ registered }, 'job schedulers registered');
}
