/**
 * After an admin approves: the owner is asked to dissolve the group; `zombie-followup` jobs (delayed
 * remind_days and escalate_days) remind the owner, then tell the admins. A follow-up whose suggestion
 * is no longer `approved` (dissolved, undone, kept…) does nothing, so stale jobs need no cancelling.
 */
import type { Job } from 'bullmq';
import type { Db } from '../../db/client.js';
import type { OutboundPort } from '../../bot/outbound.js';
import { markDismissed } from '../../db/groups/decisions.js';
import { getSuggestion, type SuggestionRow } from '../../db/groups/suggestions.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import { loadAdmins } from './admins.js';
import { escalationText, reminderText } from './cards.js';
import type { GroupChatApi } from './groupchat-api.js';
import { loadRules } from './evaluate.js';

export interface ZombieFollowupPayload {
  suggestionId: number;
  step: 'remind' | 'escalate';
}

export interface FollowupDeps {
  db: Db;
  outbound: OutboundPort;
  clock: Clock;
  log: Logger;
  configAdmins: readonly string[];
  defaultRegion: string;
  groupChatApi?: GroupChatApi;
}

/**
 * For a customer group: asks WeCom whether it still exists; if not, records the dissolution.
 * Returns true when the group is (now) known to be dissolved.
 */
export async function verifyCustomerGroupGone(
  d: Pick<FollowupDeps, 'db' | 'groupChatApi' | 'clock'>,
  s: Pick<SuggestionRow, 'groupId' | 'chatId' | 'groupSource'>,
): Promise<boolean | undefined> {
  if (s.groupSource !== 'customer' || !d.groupChatApi) return undefined;
  const g = await d.groupChatApi.get(s.chatId);
  if (g) return false;
  await markDismissed(d.db, { groupId: s.groupId, actor: 'bot', verifiedBy: 'groupchat/get', now: d.clock.now() });
  return true;
}

export function createZombieFollowupProcessor(d: FollowupDeps) {
  return async (job: Job<ZombieFollowupPayload>): Promise<string> => {
    const s = await getSuggestion(d.db, job.data.suggestionId);
    if (!s || s.state !== 'approved') return 'nothing to do';
    if (await verifyCustomerGroupGone(d, s)) return 'dissolved (verified)';
    const rules = (await loadRules(d.db))(s.region || d.defaultRegion);
    if (job.data.step === 'remind') {
      const to = s.groupOwner ?? s.decidedBy;
      if (!to) return 'no owner';
      await d.outbound.enqueue({
        method: 'message/send',
        jobId: `remind:${s.id}`,
        body: { touser: to, msgtype: 'text', text: { content: reminderText(s) } },
      });
      return 'reminded';
    }
    const admins = (await loadAdmins(d.db, d.configAdmins)).adminsFor(s.region || d.defaultRegion);
    if (admins.length === 0) return 'no admin';
    await d.outbound.enqueue({
      method: 'message/send',
      jobId: `escalate:${s.id}`,
      body: { touser: admins.join('|'), msgtype: 'text', text: { content: escalationText(s, s.groupOwner, rules.escalate_days) } },
    });
    return 'escalated';
  };
}
