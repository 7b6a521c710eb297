/**
 * The zombie-group jobs, for bin/ to wire: `createZombieProcessors(deps)` returns one processor per job
 * name, `registerZombieSchedulers(queues)` declares the recurring ones (stable ids, Asia/Shanghai).
 */
import type { FlowProducer, JobsOptions, Queue } from 'bullmq';
import type { Db } from '../../db/client.js';
import type { OutboundPort } from '../../bot/outbound.js';
import type { Queryable } from '../../db/groups/sql.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { Processors } from '../queues.js';
import { createWeeklyDigestProcessor } from './digest.js';
import { createZombieFollowupProcessor } from './followup.js';
import type { GroupChatApi } from './groupchat-api.js';
import { createZombieDispatchProcessor, createZombieScanBatchProcessor, createZombieScanProcessor } from './scan.js';
import { createCustomerGroupSyncProcessor } from './sync.js';

export const ZOMBIE_JOB_NAMES = [
  'zombie-scan',
  'zombie-scan-batch',
  'zombie-dispatch',
  'zombie-followup',
  'weekly-digest',
  'customer-group-sync',
] as const;

export interface ZombieDeps {
  db: Db;
  outbound: OutboundPort;
  clock: Clock;
  log: Logger;
  /** A FlowProducer on the same connection and prefix as the queues (for the scan fan-out). */
  flow: FlowProducer;
  /** config.adminUserIds (WECOM_ADMIN_USERIDS). */
  configAdmins: readonly string[];
  /** config.defaultRegion. */
  defaultRegion: string;
  /** Customer-group API (createGroupChatApi(api)); undefined without WeCom credentials. */
  groupChatApi?: GroupChatApi;
  /** Groups per scan batch. Default 1 000. */
  batchSize?: number;
  /** Overrides for the scan's batch/dispatch job options (tests). */
  jobOptions?: Partial<JobsOptions>;
  /** Unanswered Q&A counter for the digest (default: rows of `unanswered_questions` if it exists). */
  unanswered?: (db: Queryable) => Promise<number | null>;
}

export function createZombieProcessors(d: ZombieDeps): Processors {
  const base = { db: d.db, outbound: d.outbound, clock: d.clock, log: d.log, configAdmins: d.configAdmins, defaultRegion: d.defaultRegion };
  return {
    'zombie-scan': createZombieScanProcessor({ ...base, flow: d.flow, batchSize: d.batchSize, jobOptions: d.jobOptions }),
    'zombie-scan-batch': createZombieScanBatchProcessor(base),
    'zombie-dispatch': createZombieDispatchProcessor(base),
    'zombie-followup': createZombieFollowupProcessor({ ...base, groupChatApi: d.groupChatApi }),
    'weekly-digest': createWeeklyDigestProcessor({ ...base, unanswered: d.unanswered }),
    'customer-group-sync': createCustomerGroupSyncProcessor({ db: d.db, clock: d.clock, log: d.log, groupChatApi: d.groupChatApi }),
  };
}

/** Stable scheduler ids (upserted at boot: restarting never duplicates a schedule). */
export const ZOMBIE_SCHEDULES = {
  'zombie-scan': { id: 'zombie-scan-daily', pattern: '0 9 * * *' },
  'weekly-digest': { id: 'weekly-digest-monday', pattern: '0 9 * * 1' },
  'customer-group-sync': { id: 'customer-group-sync-daily', pattern: '0 8 * * *' },
} as const;

/**
 * Declares: zombie-scan daily 09:00, weekly-digest Monday 09:00, customer-group-sync daily 08:00
 * (before the scan), all in Asia/Shanghai.
 */
export async function registerZombieSchedulers(queues: {
  'zombie-scan': Queue;
  'weekly-digest': Queue;
  'customer-group-sync': Queue;
}, tz = 'Asia/Shanghai'): Promise<string[]> {
  const ids: string[] = [];
  for (const name of ['zombie-scan', 'weekly-digest', 'customer-group-sync'] as const) {
    const s = ZOMBIE_SCHEDULES[name];
    await queues[name].upsertJobScheduler(s.id, { pattern: s.pattern, tz }, { name, data: {} });
    ids.push(s.id);
  }
  return ids;
}
