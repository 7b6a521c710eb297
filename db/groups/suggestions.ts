import { sql } from 'drizzle-orm';
import type { Queryable } from './sql.js';
import { jsonParam, ms, rows, ts } from './sql.js';

/** What the card shows, frozen at scan time. */
export interface SuggestionSnapshot {
  chatId: string;
  name: string | null;
  owner: string | null;
  orgUnit: string | null;
  memberCount: number | null;
  /** Epoch ms or null. */
  lastActivityMs: number | null;
  source: string;
}

export interface NewSuggestion {
  groupId: number;
  region: string;
  signals: { code: string; evidence: string }[];
  snapshot: SuggestionSnapshot;
}

/**
 * Inserts suggestions for one cycle in one statement, skipping groups that already have a suggestion in
 * this cycle or an open one (unique indexes → ON CONFLICT DO NOTHING), and writes one audit entry per
 * new suggestion. Safe to run twice or from two workers at once. Returns the new ids.
 */
export async function recordSuggestions(db: Queryable, items: NewSuggestion[], cycle: string, now: Date): Promise<number[]> {
  if (items.length === 0) return [];
  const data = items.map((i) => ({ group_id: i.groupId, region: i.region, signals: i.signals, snapshot: i.snapshot }));
  const r = await rows<{ id: number }>(
    db,
    sql`
    WITH ins AS (
      INSERT INTO group_suggestions (group_id, cycle, region, signals, snapshot, state, created_at, updated_at)
      SELECT group_id, ${cycle}, region, signals::jsonb, snapshot::jsonb, 'queued', ${ts(now)}, ${ts(now)}
      FROM json_to_recordset(${jsonParam(data)}) AS r(group_id bigint, region text, signals json, snapshot json)
      ORDER BY group_id
      ON CONFLICT DO NOTHING
      RETURNING id, group_id, signals, snapshot
    ), aud AS (
      INSERT INTO audit_log (at, actor, action, group_id, suggestion_id, detail, evidence)
      SELECT ${ts(now)}, 'bot', 'suggest', group_id, id, ${JSON.stringify({ cycle })}::jsonb,
        jsonb_build_object('signals', signals, 'snapshot', snapshot)
      FROM ins
    )
    SELECT id::float8 AS id FROM ins ORDER BY id`,
  );
  return r.map((x) => Number(x.id));
}

export interface SuggestionRow {
  id: number;
  groupId: number;
  cycle: string;
  region: string;
  signals: { code: string; evidence: string }[];
  snapshot: SuggestionSnapshot;
  state: string;
  recipients: string[] | null;
  cardedCycle: string | null;
  responseCode: string | null;
  decision: string | null;
  decidedBy: string | null;
  decidedAtMs: number | null;
  reason: string | null;
  snoozedUntilMs: number | null;
  createdAtMs: number;
  /** From the group row. */
  chatId: string;
  groupName: string | null;
  groupSource: string;
  groupOwner: string | null;
  groupStatus: string;
}

const SELECT = sql`
  SELECT s.id::float8 AS id, s.group_id::float8 AS group_id, s.cycle, s.region, s.signals, s.snapshot, s.state,
    s.recipients, s.carded_cycle, s.response_code, s.decision, s.decided_by, ${ms(sql`s.decided_at`)} AS decided_ms,
    s.reason, ${ms(sql`s.snoozed_until`)} AS snoozed_ms, ${ms(sql`s.created_at`)} AS created_ms,
    g.chat_id, g.name AS group_name, g.source AS group_source, g.owner AS group_owner, g.status AS group_status
  FROM group_suggestions s JOIN groups g ON g.id = s.group_id`;

export function toSuggestion(r: Record<string, unknown>): SuggestionRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    groupId: Number(r.group_id),
    cycle: String(r.cycle),
    region: String(r.region),
    signals: (r.signals as SuggestionRow['signals']) ?? [],
    snapshot: r.snapshot as SuggestionSnapshot,
    state: String(r.state),
    recipients: (r.recipients as string[] | null) ?? null,
    cardedCycle: (r.carded_cycle as string | null) ?? null,
    responseCode: (r.response_code as string | null) ?? null,
    decision: (r.decision as string | null) ?? null,
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAtMs: n(r.decided_ms),
    reason: (r.reason as string | null) ?? null,
    snoozedUntilMs: n(r.snoozed_ms),
    createdAtMs: Number(r.created_ms),
    chatId: String(r.chat_id),
    groupName: (r.group_name as string | null) ?? null,
    groupSource: String(r.group_source),
    groupOwner: (r.group_owner as string | null) ?? null,
    groupStatus: String(r.group_status),
  };
}

/** One suggestion with its group, optionally locked FOR UPDATE (inside a transaction). */
export async function getSuggestion(db: Queryable, id: number, lock = false): Promise<SuggestionRow | undefined> {
  const r = await rows<Record<string, unknown>>(db, sql`${SELECT} WHERE s.id = ${id} ${lock ? sql`FOR UPDATE OF s` : sql``}`);
  return r[0] ? toSuggestion(r[0]) : undefined;
}

/** Suggestions in the given states, oldest first (the queue order for carry-over). */
export async function listSuggestions(db: Queryable, states: readonly string[], limit = 10_000): Promise<SuggestionRow[]> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`${SELECT} WHERE s.state IN (SELECT value FROM json_array_elements_text(${jsonParam(states)}))
        ORDER BY s.created_at, s.id LIMIT ${limit}`,
  );
  return r.map(toSuggestion);
}

/** The latest suggestion of a group (any state), optionally locked. */
export async function latestSuggestionOfGroup(db: Queryable, groupId: number, lock = false): Promise<SuggestionRow | undefined> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`${SELECT} WHERE s.group_id = ${groupId} ORDER BY s.id DESC LIMIT 1 ${lock ? sql`FOR UPDATE OF s` : sql``}`,
  );
  return r[0] ? toSuggestion(r[0]) : undefined;
}

/** How many cards each admin already received in a cycle. */
export async function cardsPerAdmin(db: Queryable, cycle: string): Promise<Map<string, number>> {
  const r = await rows<{ recipients: string[] | null }>(
    db,
    sql`SELECT recipients FROM group_suggestions WHERE carded_cycle = ${cycle}`,
  );
  const out = new Map<string, number>();
  for (const x of r) for (const u of x.recipients ?? []) out.set(u, (out.get(u) ?? 0) + 1);
  return out;
}

/** Marks queued suggestions as carded (state pending) for a cycle; returns the ids actually changed. */
export async function markCarded(
  db: Queryable,
  items: { id: number; recipients: string[] }[],
  cycle: string,
  now: Date,
): Promise<number[]> {
  if (items.length === 0) return [];
  const r = await rows<{ id: number }>(
    db,
    sql`
    UPDATE group_suggestions s SET state = 'pending', recipients = i.recipients::jsonb, carded_cycle = ${cycle},
      updated_at = ${ts(now)}
    FROM json_to_recordset(${jsonParam(items)}) AS i(id bigint, recipients json)
    WHERE s.id = i.id AND s.state = 'queued'
    RETURNING s.id::float8 AS id`,
  );
  return r.map((x) => Number(x.id));
}
