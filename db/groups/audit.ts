import { sql } from 'drizzle-orm';
import type { Queryable } from './sql.js';
import { jsonParam, rows, ts } from './sql.js';

/** One audit entry: who did what to which group, when, and what it was based on. */
export interface AuditEntry {
  actor: string;
  action: string;
  groupId?: number | null;
  suggestionId?: number | null;
  detail?: unknown;
  evidence?: unknown;
}

/** Appends entries (the table is append-only: a trigger refuses UPDATE and DELETE). */
export async function appendAudit(db: Queryable, entries: AuditEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  const data = entries.map((e) => ({
    actor: e.actor,
    action: e.action,
    group_id: e.groupId ?? null,
    suggestion_id: e.suggestionId ?? null,
    detail: e.detail ?? null,
    evidence: e.evidence ?? null,
  }));
  await db.execute(sql`
    INSERT INTO audit_log (at, actor, action, group_id, suggestion_id, detail, evidence)
    SELECT ${ts(now)}, actor, action, group_id, suggestion_id, detail::jsonb, evidence::jsonb
    FROM json_to_recordset(${jsonParam(data)}) AS r(actor text, action text, group_id bigint, suggestion_id bigint, detail json, evidence json)`);
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  groupId: number | null;
  suggestionId: number | null;
  detail: unknown;
  evidence: unknown;
}

/** The audit entries of a group (oldest first), or all when groupId is undefined. */
export async function listAudit(db: Queryable, groupId?: number): Promise<AuditRow[]> {
  const where = groupId === undefined ? sql`` : sql`WHERE group_id = ${groupId}`;
  const r = await rows<Record<string, unknown>>(
    db,
    sql`SELECT id::float8 AS id, at::text AS at, actor, action, group_id::float8 AS group_id,
      suggestion_id::float8 AS suggestion_id, detail, evidence FROM audit_log ${where} ORDER BY id`,
  );
  return r.map((x) => ({
    id: Number(x.id),
    at: String(x.at),
    actor: String(x.actor),
    action: String(x.action),
    groupId: x.group_id === null ? null : Number(x.group_id),
    suggestionId: x.suggestion_id === null ? null : Number(x.suggestion_id),
    detail: x.detail,
    evidence: x.evidence,
  }));
}
