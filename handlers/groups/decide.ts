/**
 * What follows an admin decision, shared by card clicks and 1:1 commands: the database decision (one
 * transaction, audit-logged), then the card updated for every recipient, and for an approval the
 * owner's "please dissolve" card plus delayed reminder / escalation jobs.
 */
import type { AppDeps } from '../deps.js';
import { decide, type DecideInput, type DecideResult } from '../../db/groups/decisions.js';
import type { SuggestionRow } from '../../db/groups/suggestions.js';
import { getOutbox } from '../../db/queries/outbox.js';
import { DAY_MS } from '../../lib/clock.js';
import { cardSendBody, cardUpdateBody, decidedCard, ownerCard } from '../../jobs/zombie/cards.js';
import { suggestJobId } from '../../jobs/zombie/dispatch.js';
import { loadRules } from '../../jobs/zombie/evaluate.js';
import type { Rules } from '../../jobs/zombie/rules.js';

type Deps = Pick<AppDeps, 'db' | 'outbound' | 'enqueueJob' | 'config' | 'log'>;

export interface DecisionOutcome {
  result: DecideResult;
  rules?: Rules;
  /** Set for approvals whose owner is unknown (the admin must contact someone). */
  ownerUnknown?: boolean;
}

export async function rulesForRegion(deps: Pick<AppDeps, 'db' | 'config'>, region: string): Promise<Rules> {
  return (await loadRules(deps.db))(region || deps.config.defaultRegion);
}

/** Until-date of a decision with a number of days (keep / snooze), from `now`. */
export function daysFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/** The response code to update a sent card: the click's, else the one WeCom returned when sending. */
async function responseCodeFor(deps: Deps, s: SuggestionRow, fromClick: string | undefined): Promise<string | undefined> {
  if (fromClick) return fromClick;
  if (!s.cardedCycle) return undefined;
  const row = await getOutbox(deps.db, suggestJobId(s.groupId, s.cycle));
  const rc = (row?.result as { response_code?: unknown } | null | undefined)?.response_code;
  return typeof rc === 'string' && rc !== '' ? rc : undefined;
}

/** Decides, then performs the outbound consequences. Never throws for outbound problems (logged). */
export async function applyDecision(deps: Deps, input: DecideInput): Promise<DecisionOutcome> {
  const result = await decide(deps.db, input);
  if (result.kind !== 'ok') return { result };
  const s = result.suggestion;
  const rules = await rulesForRegion(deps, s.region);
  const out: DecisionOutcome = { result, rules };
  try {
    const rc = await responseCodeFor(deps, s, input.responseCode);
    if (rc && s.recipients && s.recipients.length > 0) {
      await deps.outbound.enqueue({
        method: 'message/update_template_card',
        jobId: `decided:${s.id}`,
        body: cardUpdateBody(decidedCard(s, rules, input.decision, input.actor, input.now), s.recipients, rc),
      });
    }
    if (input.decision === 'approve') {
      const owner = s.groupOwner;
      if (!owner) {
        out.ownerUnknown = true;
      } else {
        await deps.outbound.enqueue({
          method: 'message/send',
          jobId: `ask-owner:${s.id}`,
          body: cardSendBody(ownerCard(s, input.actor), [owner]),
        });
      }
      await deps.enqueueJob('zombie-followup', { suggestionId: s.id, step: 'remind' }, { jobId: `remind-${s.id}`, delay: rules.remind_days * DAY_MS });
      await deps.enqueueJob('zombie-followup', { suggestionId: s.id, step: 'escalate' }, { jobId: `escalate-${s.id}`, delay: rules.escalate_days * DAY_MS });
    }
  } catch (err) {
    deps.log.error({ err, suggestionId: s.id }, 'decision recorded but a follow-up send failed to queue');
  }
  return out;
}
