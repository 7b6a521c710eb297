import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from './sql.js';
import { jsonParam, ms, rows, ts } from './sql.js';

/**
 * What a scan needs about each active group, loaded set-based: one statement with one aggregate over
 * activity (last message, messages and senders in the broadcast window), plus the active exemption,
 * snooze and open suggestion. Cost: linear in groups + events, whatever the number of groups.
 */
export interface GroupRow {
  id: number;
  chatId: string;
  name: string | null;
  source: string;
  owner: string | null;
  orgUnit: string | null;
  region: string | null;
  kind: string;
  taskEnd: string | null;
  createdAtMs: number | null;
  firstSeenAtMs: number;
  memberCount: number | null;
  webhookKey: string | null;
  lastNoticeAtMs: number | null;
  lastActivityMs: number | null;
  recentMessages: number;
  /** 0 none, 1 all from one sender, 2 two or more. */
  recentSenders: number;
  soleSender: string | null;
  exemptReason: string | null;
  exemptUntilMs: number | null;
  snoozedUntilMs: number | null;
  openSuggestionId: number | null;
  openState: string | null;
}

export interface LoadFactsOptions {
  now: Date;
  /** Restrict to these group ids (a scan batch); all active groups otherwise. */
  groupIds?: readonly number[];
  /** Region used when a group has none. */
  defaultRegion: string;
  /** Start of the broadcast window per region; `defaultSince` for regions not listed. */
  windows: { region: string; since: Date }[];
  defaultSince: Date;
}

export async function loadGroupFacts(db: Queryable, o: LoadFactsOptions): Promise<GroupRow[]> {
  const idFilter: SQL = o.groupIds
    ? sql`AND id IN (SELECT value::bigint FROM json_array_elements_text(${jsonParam(o.groupIds)}))`
    : sql``;
  const windows = o.windows.map((w) => ({ region: w.region, since: w.since.toISOString() }));
  const raw = await rows<Record<string, unknown>>(
    db,
    sql`
    WITH g AS (
      SELECT * FROM groups WHERE status = 'active' ${idFilter}
    ), w AS (
      SELECT * FROM json_to_recordset(${jsonParam(windows)}) AS x(region text, since timestamptz)
    ), act AS (
      SELECT a.group_id,
        max(a.at) AS last_at,
        count(*) FILTER (WHERE a.at >= coalesce(w.since, ${ts(o.defaultSince)}))::int AS recent,
        min(a.actor) FILTER (WHERE a.at >= coalesce(w.since, ${ts(o.defaultSince)})) AS s_min,
        max(a.actor) FILTER (WHERE a.at >= coalesce(w.since, ${ts(o.defaultSince)})) AS s_max
      FROM group_activity a
      JOIN g ON g.id = a.group_id
      LEFT JOIN w ON w.region = coalesce(g.region, ${o.defaultRegion})
      WHERE a.at <= ${ts(o.now)} AND a.kind <> 'bot'
      GROUP BY a.group_id
    ), ex AS (
      SELECT DISTINCT ON (e.group_id) e.group_id, e.reason, e.until
      FROM group_exemptions e JOIN g ON g.id = e.group_id
      WHERE e.revoked_at IS NULL AND e.until > ${ts(o.now)}
      ORDER BY e.group_id, e.until DESC
    ), sn AS (
      SELECT s.group_id, max(s.snoozed_until) AS until
      FROM group_suggestions s JOIN g ON g.id = s.group_id
      WHERE s.state = 'snoozed' AND s.snoozed_until > ${ts(o.now)}
      GROUP BY s.group_id
    ), op AS (
      SELECT s.group_id, s.id, s.state
      FROM group_suggestions s JOIN g ON g.id = s.group_id
      WHERE s.state IN ('queued', 'pending', 'approved')
    )
    SELECT g.id::float8 AS id, g.chat_id, g.name, g.source, g.owner, g.org_unit, g.region, g.kind,
      g.task_end::text AS task_end, ${ms(sql`g.created_at`)} AS created_ms, ${ms(sql`g.first_seen_at`)} AS first_ms,
      g.member_count, g.webhook_key, ${ms(sql`g.last_notice_at`)} AS notice_ms,
      ${ms(sql`act.last_at`)} AS last_ms, coalesce(act.recent, 0) AS recent,
      CASE WHEN act.s_min IS NULL THEN 0 WHEN act.s_min = act.s_max THEN 1 ELSE 2 END AS senders,
      CASE WHEN act.s_min = act.s_max THEN act.s_min END AS sole,
      ex.reason AS ex_reason, ${ms(sql`ex.until`)} AS ex_until, ${ms(sql`sn.until`)} AS sn_until,
      op.id::float8 AS op_id, op.state AS op_state
    FROM g
    LEFT JOIN act ON act.group_id = g.id
    LEFT JOIN ex ON ex.group_id = g.id
    LEFT JOIN sn ON sn.group_id = g.id
    LEFT JOIN op ON op.group_id = g.id
    ORDER BY g.id`,
  );
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return raw.map((r) => ({
    id: Number(r.id),
    chatId: String(r.chat_id),
    name: (r.name as string | null) ?? null,
    source: String(r.source),
    owner: (r.owner as string | null) ?? null,
    orgUnit: (r.org_unit as string | null) ?? null,
    region: (r.region as string | null) ?? null,
    kind: String(r.kind),
    taskEnd: (r.task_end as string | null) ?? null,
    createdAtMs: n(r.created_ms),
    firstSeenAtMs: Number(r.first_ms),
    memberCount: n(r.member_count),
    webhookKey: (r.webhook_key as string | null) ?? null,
    lastNoticeAtMs: n(r.notice_ms),
    lastActivityMs: n(r.last_ms),
    recentMessages: Number(r.recent),
    recentSenders: Number(r.senders),
    soleSender: (r.sole as string | null) ?? null,
    exemptReason: (r.ex_reason as string | null) ?? null,
    exemptUntilMs: n(r.ex_until),
    snoozedUntilMs: n(r.sn_until),
    openSuggestionId: n(r.op_id),
    openState: (r.op_state as string | null) ?? null,
  }));
}

export interface MemberSetRow {
  groupId: number;
  orgUnit: string;
  name: string | null;
  chatId: string;
  createdAtMs: number;
  members: string[];
}

/**
 * Member sets of active groups that have an org unit (for duplicate detection), optionally only for
 * the given org units. One grouped query.
 */
export async function loadMemberSets(db: Queryable, orgUnits?: readonly string[]): Promise<MemberSetRow[]> {
  const filter = orgUnits ? sql`AND g.org_unit IN (SELECT value FROM json_array_elements_text(${jsonParam(orgUnits)}))` : sql``;
  const raw = await rows<Record<string, unknown>>(
    db,
    sql`
    SELECT g.id::float8 AS id, g.org_unit, g.name, g.chat_id,
      ${ms(sql`coalesce(g.created_at, g.first_seen_at)`)} AS created_ms, json_agg(gm.user_id) AS members
    FROM groups g JOIN group_members gm ON gm.group_id = g.id
    WHERE g.status = 'active' AND g.org_unit IS NOT NULL ${filter}
    GROUP BY g.id`,
  );
  return raw.map((r) => ({
    groupId: Number(r.id),
    orgUnit: String(r.org_unit),
    name: (r.name as string | null) ?? null,
    chatId: String(r.chat_id),
    createdAtMs: Number(r.created_ms),
    members: r.members as string[],
  }));
}
