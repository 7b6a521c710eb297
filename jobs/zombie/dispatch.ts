import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { OutboundPort } from '../../bot/outbound.js';
import { cardsPerAdmin, listSuggestions, markCarded } from '../../db/groups/suggestions.js';
import { rows, ts } from '../../db/groups/sql.js';
import type { Logger } from '../../lib/log.js';
import { loadAdmins } from './admins.js';
import { cardSendBody, suggestionCard } from './cards.js';
import { evaluateGroups, loadRules } from './evaluate.js';

export interface DispatchOptions {
  cycle: string;
  now: Date;
  configAdmins: readonly string[];
  defaultRegion: string;
  log?: Logger;
}

export interface DispatchResult {
  sent: number;
  /** Left queued for the next run (per-admin cap reached). */
  carried: number;
  /** Queued but the region has no admin. */
  noAdmin: number;
  /** Carried-over suggestions whose group no longer qualifies (closed as `expired`). */
  expired: number;
}

/** Outbound job id of a suggestion card: one card per group and cycle, ever. */
export function suggestJobId(groupId: number, cycle: string): string {
  return `suggest:${groupId}:${cycle}`;
}

/**
 * Sends the cards of queued suggestions, oldest first (carry-over before new ones), at most
 * `cap_per_admin` per admin and cycle. Serialized by a transaction-level advisory lock, so two
 * dispatchers never both pick a suggestion; the outbound job id is deterministic, so a dispatcher that
 * dies after enqueuing and before committing is harmless when run again.
 */
export async function dispatchSuggestions(db: Db, outbound: OutboundPort, o: DispatchOptions): Promise<DispatchResult> {
  const res: DispatchResult = { sent: 0, carried: 0, noAdmin: 0, expired: 0 };
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7270001)`);
    let queued = await listSuggestions(tx, ['queued']);
    // Carried-over suggestions are re-checked: a group that spoke again or got exempted meanwhile drops out.
    const stale = queued.filter((s) => s.cycle !== o.cycle);
    if (stale.length > 0) {
      const verdicts = await evaluateGroups(tx, { now: o.now, defaultRegion: o.defaultRegion, groupIds: stale.map((s) => s.groupId) });
      const still = new Set(verdicts.filter((v) => v.verdict === 'suggest').map((v) => v.groupId));
      const gone = stale.filter((s) => !still.has(s.groupId)).map((s) => s.id);
      if (gone.length > 0) {
        const r = await rows<{ id: number }>(
          tx,
          sql`UPDATE group_suggestions SET state = 'expired', updated_at = ${ts(o.now)}
              WHERE state = 'queued' AND id IN (SELECT value::bigint FROM json_array_elements_text(${JSON.stringify(gone)}::json))
              RETURNING id`,
        );
        res.expired = r.length;
        const goneSet = new Set(gone);
        queued = queued.filter((s) => !goneSet.has(s.id));
      }
    }
    const admins = await loadAdmins(tx, o.configAdmins);
    const rulesFor = await loadRules(tx);
    const counts = await cardsPerAdmin(tx, o.cycle);
    const carded: { id: number; recipients: string[] }[] = [];
    for (const s of queued) {
      const region = s.region || o.defaultRegion;
      const rules = rulesFor(region);
      const to = admins.adminsFor(region);
      if (to.length === 0) {
        res.noAdmin++;
        continue;
      }
      if (to.some((u) => (counts.get(u) ?? 0) >= rules.cap_per_admin)) {
        res.carried++;
        continue;
      }
      for (const u of to) counts.set(u, (counts.get(u) ?? 0) + 1);
      await outbound.enqueue({
        method: 'message/send',
        jobId: suggestJobId(s.groupId, s.cycle),
        body: cardSendBody(suggestionCard(s, rules), to),
      });
      carded.push({ id: s.id, recipients: to });
    }
    res.sent = (await markCarded(tx, carded, o.cycle, o.now)).length;
  });
  if (res.noAdmin > 0) o.log?.warn({ noAdmin: res.noAdmin }, 'zombie suggestions without any admin for their region');
  return res;
}
