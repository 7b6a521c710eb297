import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { LineError } from './import-activity.js';
import { jsonParam, rows, ts } from './sql.js';

/**
 * Registry import: one JSON object per line,
 * `{"chatid","name","source","kind","task_end","owner","org_unit","created_at","members":[…]}`
 * (optional `"region"`, `"webhook_key"`). Dates `YYYY-MM-DD`, created_at ISO 8601.
 *
 * Upsert by chat id; a field that is absent keeps its stored value; `members`, when given, replaces the
 * member set. Re-importing the same data changes nothing (no row is touched). One transaction per chunk.
 */
export interface ImportGroupsOptions {
  now: Date;
  chunkSize?: number;
  maxListedErrors?: number;
}

export interface GroupsImportReport {
  lines: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: LineError[];
}

export interface RegistryRow {
  chat_id: string;
  name: string | null;
  source: string | null;
  kind: 'standing' | 'temporary' | null;
  task_end: string | null;
  owner: string | null;
  org_unit: string | null;
  region: string | null;
  created_at: string | null;
  webhook_key: string | null;
  members: string[] | null;
}

const KINDS: Record<string, 'standing' | 'temporary'> = {
  standing: 'standing',
  temporary: 'temporary',
  常设: 'standing',
  临时: 'temporary',
};

/** A real calendar date YYYY-MM-DD. */
export function isValidDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function optString(o: Record<string, unknown>, key: string, max: number): string | null | Error {
  const v = o[key];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return new Error(`${key} 应为字符串`);
  if (v.length > max) return new Error(`${key} 过长（最多 ${max} 字）`);
  return v.trim();
}

/** Validates one line; returns the row or a Chinese reason. */
export function parseRegistryLine(text: string, now: Date): RegistryRow | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return '不是合法的 JSON';
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return '应为一个 JSON 对象';
  const o = v as Record<string, unknown>;
  if (typeof o.chatid !== 'string' || o.chatid.trim() === '' || o.chatid.length > 128) return '缺少 chatid（字符串）';
  const fields: Record<string, [string, number]> = {
    name: ['name', 100],
    source: ['source', 32],
    owner: ['owner', 64],
    org_unit: ['org_unit', 100],
    region: ['region', 100],
    webhook_key: ['webhook_key', 128],
  };
  const out: Record<string, string | null> = {};
  for (const [k, [key, max]] of Object.entries(fields)) {
    const s = optString(o, key, max);
    if (s instanceof Error) return s.message;
    out[k] = s;
  }
  let kind: RegistryRow['kind'] = null;
  if (o.kind !== undefined && o.kind !== null && o.kind !== '') {
    kind = typeof o.kind === 'string' ? (KINDS[o.kind.trim()] ?? null) : null;
    if (!kind) return `kind 应为 standing / temporary（常设 / 临时），收到 ${JSON.stringify(o.kind)}`;
  }
  let taskEnd: string | null = null;
  if (o.task_end !== undefined && o.task_end !== null && o.task_end !== '') {
    if (typeof o.task_end !== 'string' || !isValidDay(o.task_end)) return `task_end 应为 YYYY-MM-DD 日期，收到 ${JSON.stringify(o.task_end)}`;
    taskEnd = o.task_end;
  }
  let createdAt: string | null = null;
  if (o.created_at !== undefined && o.created_at !== null && o.created_at !== '') {
    const d = typeof o.created_at === 'string' && /^\d{4}-\d{2}-\d{2}/.test(o.created_at) ? new Date(o.created_at) : null;
    if (!d || Number.isNaN(d.getTime())) return `created_at 应为 ISO 8601 时间，收到 ${JSON.stringify(o.created_at)}`;
    if (d.getTime() > now.getTime() + 5 * 60_000) return `created_at 在未来（${o.created_at}），已拒绝`;
    createdAt = d.toISOString();
  }
  let members: string[] | null = null;
  if (o.members !== undefined && o.members !== null) {
    if (!Array.isArray(o.members) || o.members.some((m) => typeof m !== 'string' || m.trim() === '')) {
      return 'members 应为成员 userid 字符串数组';
    }
    members = [...new Set((o.members as string[]).map((m) => m.trim()))];
  }
  return {
    chat_id: o.chatid.trim(),
    name: out.name ?? null,
    source: out.source ?? null,
    kind,
    task_end: taskEnd,
    owner: out.owner ?? null,
    org_unit: out.org_unit ?? null,
    region: out.region ?? null,
    created_at: createdAt,
    webhook_key: out.webhook_key ?? null,
    members,
  };
}

/** Imports registry lines (array, generator or stream of lines). */
export async function importGroups(
  db: Db,
  lines: Iterable<string> | AsyncIterable<string>,
  opts: ImportGroupsOptions,
): Promise<GroupsImportReport> {
  const chunkSize = opts.chunkSize ?? 2_000;
  const maxErrors = opts.maxListedErrors ?? 1_000;
  const report: GroupsImportReport = { lines: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [] };
  let chunk = new Map<string, RegistryRow>(); // the last line for a chat id wins
  let written = 0;
  let nextAnalyze = chunkSize;
  let lineNo = 0;
  const flush = async () => {
    if (chunk.size === 0) return;
    const batch = [...chunk.values()];
    chunk = new Map();
    const r = await upsertRegistry(db, batch, opts.now);
    // Statistics refreshed whenever the import has doubled the data since the last time (log N times):
    // with stale statistics the planner scans the whole members table for every chunk.
    written += r.inserted;
    if (written >= nextAnalyze) {
      await db.execute(sql`ANALYZE groups, group_members`);
      nextAnalyze = written * 2;
    }
    report.inserted += r.inserted;
    report.updated += r.updated;
    report.unchanged += batch.length - r.inserted - r.updated;
  };
  for await (const raw of lines) {
    lineNo++;
    const text = raw.trim();
    if (text === '') continue;
    report.lines++;
    const row = parseRegistryLine(text, opts.now);
    if (typeof row === 'string') {
      report.rejected++;
      if (report.errors.length < maxErrors) report.errors.push({ line: lineNo, reason: row });
      continue;
    }
    if (chunk.has(row.chat_id)) report.unchanged++; // superseded by a later line of the same chunk
    chunk.set(row.chat_id, row);
    if (chunk.size >= chunkSize) await flush();
  }
  await flush();
  // Fresh statistics after a bulk load keep later plans (scans, batches) on the indexes.
  if (report.inserted + report.updated > 1_000) await db.execute(sql`ANALYZE groups, group_members`);
  return report;
}

/** Upserts registry rows and replaces member sets; returns how many groups were inserted / changed. */
export async function upsertRegistry(db: Db, batch: RegistryRow[], now: Date): Promise<{ inserted: number; updated: number }> {
  return db.transaction(async (tx) => {
    const input = sql`json_to_recordset(${jsonParam(batch)}) AS r(chat_id text, name text, source text, kind text,
      task_end date, owner text, org_unit text, region text, created_at timestamptz, webhook_key text, members json)`;
    const up = await rows<{ id: string; inserted: boolean }>(
      tx,
      sql`
      INSERT INTO groups AS g (chat_id, source, name, kind, task_end, owner, org_unit, region, created_at, webhook_key, first_seen_at, updated_at)
      SELECT chat_id, coalesce(source, 'registry'), name, coalesce(kind, 'standing'), task_end, owner, org_unit, region,
             created_at, webhook_key, least(coalesce(created_at, ${ts(now)}), ${ts(now)}), ${ts(now)}
      FROM ${input}
      ON CONFLICT (chat_id) DO UPDATE SET
        source = coalesce(excluded.source, g.source), name = coalesce(excluded.name, g.name),
        kind = coalesce(excluded.kind, g.kind), task_end = coalesce(excluded.task_end, g.task_end),
        owner = coalesce(excluded.owner, g.owner), org_unit = coalesce(excluded.org_unit, g.org_unit),
        region = coalesce(excluded.region, g.region), created_at = coalesce(excluded.created_at, g.created_at),
        webhook_key = coalesce(excluded.webhook_key, g.webhook_key), updated_at = excluded.updated_at
      WHERE (g.source, g.name, g.kind, g.task_end, g.owner, g.org_unit, g.region, g.created_at, g.webhook_key)
        IS DISTINCT FROM (coalesce(excluded.source, g.source), coalesce(excluded.name, g.name), coalesce(excluded.kind, g.kind),
          coalesce(excluded.task_end, g.task_end), coalesce(excluded.owner, g.owner), coalesce(excluded.org_unit, g.org_unit),
          coalesce(excluded.region, g.region), coalesce(excluded.created_at, g.created_at), coalesce(excluded.webhook_key, g.webhook_key))
      RETURNING g.id::text AS id, (xmax = 0) AS inserted`,
    );
    const changed = await replaceMembers(tx, sql`SELECT chat_id, members FROM ${input} WHERE members IS NOT NULL`);
    const insertedIds = new Set(up.filter((r) => r.inserted).map((r) => r.id));
    const touched = new Set([...up.map((r) => r.id), ...changed]);
    return { inserted: insertedIds.size, updated: touched.size - insertedIds.size };
  });
}

/**
 * Replaces the member sets of the groups in `source` (a query yielding chat_id text, members json array)
 * and refreshes member_count. Returns the ids (as text) of groups whose set or count changed.
 */
export async function replaceMembers(tx: Pick<Db, 'execute'>, source: ReturnType<typeof sql>): Promise<string[]> {
  const r = await rows<{ id: string }>(
    tx,
    sql`
    WITH src AS (
      SELECT g.id AS group_id, s.members FROM (${source}) s JOIN groups g ON g.chat_id = s.chat_id
    ), wanted AS (
      SELECT DISTINCT src.group_id, m AS user_id FROM src, json_array_elements_text(src.members) m
    ), have AS (
      -- LATERAL: one primary-key range scan per group, never a scan of the whole members table
      SELECT src.group_id, x.user_id FROM src CROSS JOIN LATERAL (
        SELECT user_id FROM group_members WHERE group_id = src.group_id) x
    ), stale AS (
      SELECT group_id, user_id FROM have EXCEPT SELECT group_id, user_id FROM wanted
    ), fresh AS (
      SELECT group_id, user_id FROM wanted EXCEPT SELECT group_id, user_id FROM have
    ), del AS (
      DELETE FROM group_members gm USING stale s WHERE gm.group_id = s.group_id AND gm.user_id = s.user_id
      RETURNING gm.group_id
    ), ins AS (
      INSERT INTO group_members (group_id, user_id) SELECT group_id, user_id FROM fresh
      ON CONFLICT DO NOTHING RETURNING group_id
    ), counts AS (
      SELECT src.group_id, count(w.user_id)::int AS n FROM src LEFT JOIN wanted w ON w.group_id = src.group_id
      GROUP BY src.group_id
    ), cnt AS (
      UPDATE groups g SET member_count = c.n FROM counts c
      WHERE g.id = c.group_id AND g.member_count IS DISTINCT FROM c.n
      RETURNING g.id
    )
    SELECT DISTINCT group_id::text AS id FROM (
      SELECT group_id FROM del UNION ALL SELECT group_id FROM ins UNION ALL SELECT id FROM cnt) x`,
  );
  return r.map((x) => x.id);
}
