import type { OutboundRequest } from '../bot/outbound.js';
import type { ZombieScanPayload, ZombieScanBatchPayload, ZombieDispatchPayload } from './zombie/scan.js';
import type { ZombieFollowupPayload } from './zombie/followup.js';
import type { WeeklyDigestPayload } from './zombie/digest.js';
import type { KfSyncPayload } from './kf-sync.js';

/**
 * Every job name and its payload type. Each name is its own BullMQ queue with one processor file
 * (`jobs/<name>.ts`). Add new jobs here first.
 */
export interface JobMap {
  /** One outbound WeCom call (message/send, update_template_card, webhook, kf). */
  'send-message': OutboundRequest;
  /** Daily zombie-group scan coordinator (fans out batches under a dispatch parent). */
  'zombie-scan': ZombieScanPayload;
  /** One batch of groups to evaluate. */
  'zombie-scan-batch': ZombieScanBatchPayload;
  /** Sends the capped suggestion cards once every batch of a cycle is done (flow parent). */
  'zombie-dispatch': ZombieDispatchPayload;
  /** Owner reminder / admin escalation after an approval (delayed). */
  'zombie-followup': ZombieFollowupPayload;
  /** Monday digest to admins. */
  'weekly-digest': WeeklyDigestPayload;
  /** Daily customer-group (客户群) sync, resumable. */
  'customer-group-sync': Record<string, never>;
  /** Pull and answer 微信客服 messages of one account (open_kfid), one sync at a time per account. */
  'kf-sync': KfSyncPayload;
}

export type JobName = keyof JobMap;

export const JOB_NAMES: JobName[] = [
  'send-message',
  'zombie-scan',
  'zombie-scan-batch',
  'zombie-dispatch',
  'zombie-followup',
  'weekly-digest',
  'customer-group-sync',
  'kf-sync',
];
