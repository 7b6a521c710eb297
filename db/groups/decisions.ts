import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { appendAudit } from './audit.js';
import { rows, ts, type Queryable } from './sql.js';
import { getSuggestion, latestSuggestionOfGroup, type SuggestionRow } from './suggestions.js';

/**
 * Admin decisions on a group, each in one transaction with the suggestion row locked, so two clicks at
 * once (or a click and a command) cannot both decide. Every decision appends to the audit log.
 */
export type Decision = 'approve' | 'keep' | 'snooze' | 'exempt';

export interface DecideInput {
  /** From a card click (task_id); undefined for a 1:1 command. */
  suggestionId?: number;
  /** Required for commands (the group named in the command). */
  groupId?: number;
  decision: Decision;
  actor: string;
  reason?: string;
  /** keep / exempt: exemption end; snooze: when the group is evaluated again. */
  until?: Date;
  responseCode?: string;
  now: Date;
}

export type DecideResult =
  | { kind: 'ok'; suggestion: SuggestionRow; before: string }
  | { kind: 'not_found' }
  | { kind: 'already'; suggestion: SuggestionRow }
  | { kind: 'dismissed'; suggestion?: SuggestionRow };

const STATE_AFTER: Record<Decision, string> = { approve: 'approved', keep: 'kept', snooze: 'snoozed', exempt: 'kept' };

export async function decide(db: Db, d: DecideInput): Promise<DecideResult> {
  return db.transaction(async (tx) => {
    let s: SuggestionRow | undefined;
    if (d.suggestionId !== undefined) {
      s = await getSuggestion(tx, d.suggestionId, true);
      if (!s) return { kind: 'not_found' };
      // A card decides only what is still waiting for a decision.
      if (s.state !== 'pending' && s.state !== 'queued') return { kind: 'already', suggestion: s };
    } else {
      if (d.groupId === undefined) return { kind: 'not_found' };
      const group = await lockGroup(tx, d.groupId);
      if (!group) return { kind: 'not_found' };
      if (group.status === 'dismissed') return { kind: 'dismissed' };
      const latest = await latestSuggestionOfGroup(tx, d.groupId, true);
      if (latest && ['queued', 'pending', 'approved'].includes(latest.state)) {
        if (latest.state === 'approved' && d.decision === 'approve') return { kind: 'already', suggestion: latest };
        s = latest;
      } else {
        s = await insertManualSuggestion(tx, d.groupId, group.region, d.now);
      }
    }
    if (s.groupStatus === 'dismissed') return { kind: 'dismissed', suggestion: s };
    const before = s.state;
    const state = STATE_AFTER[d.decision];
    await tx.execute(sql`
      UPDATE group_suggestions SET state = ${state}, decision = ${d.decision}, decided_by = ${d.actor},
        decided_at = ${ts(d.now)}, reason = ${d.reason ?? null},
        snoozed_until = ${d.decision === 'snooze' && d.until ? ts(d.until) : null},
        response_code = coalesce(${d.responseCode ?? null}, response_code), updated_at = ${ts(d.now)}
      WHERE id = ${s.id}`);
    if ((d.decision === 'keep' || d.decision === 'exempt') && d.until) {
      await tx.execute(sql`
        INSERT INTO group_exemptions (group_id, reason, approver, until, suggestion_id, created_at)
        VALUES (${s.groupId}, ${d.reason ?? '管理员保留'}, ${d.actor}, ${ts(d.until)}, ${s.id}, ${ts(d.now)})`);
    }
    await appendAudit(
      tx,
      [
        {
          actor: d.actor,
          action: d.decision,
          groupId: s.groupId,
          suggestionId: s.id,
          detail: { before, after: state, reason: d.reason ?? null, until: d.until?.toISOString() ?? null },
          evidence: { signals: s.signals, snapshot: s.snapshot },
        },
      ],
      d.now,
    );
    const after = await getSuggestion(tx, s.id);
    return { kind: 'ok', suggestion: after!, before };
  });
}

async function lockGroup(tx: Queryable, groupId: number): Promise<{ status: string; region: string | null } | undefined> {
  const r = await rows<{ status: string; region: string | null }>(
    tx,
    sql`SELECT status, region FROM groups WHERE id = ${groupId} FOR UPDATE`,
  );
  return r[0];
}

/** A suggestion row for a decision made by command on a group the scan did not flag (yet). */
async function insertManualSuggestion(tx: Queryable, groupId: number, region: string | null, now: Date): Promise<SuggestionRow> {
  const r = await rows<{ id: number }>(
    tx,
    sql`
    INSERT INTO group_suggestions (group_id, cycle, region, signals, snapshot, state, created_at, updated_at)
    SELECT g.id, ${`manual-${now.getTime()}-${randomBytes(4).toString('hex')}`}, coalesce(g.region, ''), '[]'::jsonb,
      jsonb_build_object('chatId', g.chat_id, 'name', g.name, 'owner', g.owner, 'orgUnit', g.org_unit,
        'memberCount', g.member_count, 'lastActivityMs', null, 'source', g.source),
      'queued', ${ts(now)}, ${ts(now)}
    FROM groups g WHERE g.id = ${groupId}
    RETURNING id::float8 AS id`,
  );
  return (await getSuggestion(tx, Number(r[0]!.id), true))!;
}

export type UndoResult =
  | { kind: 'ok'; suggestion: SuggestionRow; before: string }
  | { kind: 'none' }
  | { kind: 'too_late'; suggestion: SuggestionRow }
  | { kind: 'dismissed'; suggestion: SuggestionRow };

/**
 * Undoes the latest decision on a group if it was made less than `windowMs` ago (default 24 h):
 * the suggestion becomes `undone` (the next scan evaluates the group afresh) and exemptions it created
 * are revoked. A group already dissolved cannot be undone.
 */
export async function undoDecision(
  db: Db,
  o: { groupId: number; actor: string; now: Date; windowMs?: number },
): Promise<UndoResult> {
  const windowMs = o.windowMs ?? 24 * 3_600_000;
  return db.transaction(async (tx) => {
    const s = await latestDecided(tx, o.groupId);
    // Only the latest decision can be undone, once.
    if (!s || s.state === 'undone') return { kind: 'none' };
    if (s.state === 'dismissed') return { kind: 'dismissed', suggestion: s };
    if (s.decidedAtMs === null || o.now.getTime() - s.decidedAtMs > windowMs) return { kind: 'too_late', suggestion: s };
    await tx.execute(sql`UPDATE group_suggestions SET state = 'undone', updated_at = ${ts(o.now)} WHERE id = ${s.id}`);
    await tx.execute(sql`UPDATE group_exemptions SET revoked_at = ${ts(o.now)} WHERE suggestion_id = ${s.id} AND revoked_at IS NULL`);
    await appendAudit(
      tx,
      [{ actor: o.actor, action: 'undo', groupId: s.groupId, suggestionId: s.id, detail: { undone: s.decision, before: s.state } }],
      o.now,
    );
    return { kind: 'ok', suggestion: s, before: s.state };
  });
}

async function latestDecided(tx: Queryable, groupId: number): Promise<SuggestionRow | undefined> {
  const r = await rows<{ id: number }>(
    tx,
    sql`SELECT id::float8 AS id FROM group_suggestions
        WHERE group_id = ${groupId} AND decided_at IS NOT NULL AND state IN ('approved', 'kept', 'snoozed', 'dismissed', 'undone')
        ORDER BY decided_at DESC, id DESC LIMIT 1 FOR UPDATE`,
  );
  return r[0] ? getSuggestion(tx, Number(r[0].id)) : undefined;
}

/**
 * Records that a group was dissolved (owner's confirmation, a dismiss event or groupchat/get): group
 * `dismissed`, its approved suggestion `dismissed`, and an audit entry with the member snapshot.
 * Returns false when the group was already dismissed (nothing written).
 */
export async function markDismissed(
  db: Db,
  o: { groupId: number; actor: string; verifiedBy: string; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const g = await rows<{ status: string }>(tx, sql`SELECT status FROM groups WHERE id = ${o.groupId} FOR UPDATE`);
    if (!g[0] || g[0].status === 'dismissed') return false;
    const members = await rows<{ m: string[] | null }>(
      tx,
      sql`SELECT json_agg(user_id ORDER BY user_id) AS m FROM group_members WHERE group_id = ${o.groupId}`,
    );
    await tx.execute(sql`UPDATE groups SET status = 'dismissed', dismissed_at = ${ts(o.now)}, updated_at = ${ts(o.now)} WHERE id = ${o.groupId}`);
    const sug = await rows<{ id: number }>(
      tx,
      sql`UPDATE group_suggestions SET state = 'dismissed', updated_at = ${ts(o.now)}
          WHERE group_id = ${o.groupId} AND state IN ('queued', 'pending', 'approved') RETURNING id::float8 AS id`,
    );
    await appendAudit(
      tx,
      [
        {
          actor: o.actor,
          action: 'dismissed',
          groupId: o.groupId,
          suggestionId: sug[0] ? Number(sug[0].id) : null,
          detail: { verifiedBy: o.verifiedBy },
          evidence: { members: members[0]?.m ?? [] },
        },
      ],
      o.now,
    );
    return true;
  });
}
