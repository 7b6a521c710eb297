import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { appendAudit } from './audit.js';
import { replaceMembers } from './import-groups.js';
import { jsonParam, ms, rows, ts, type Queryable } from './sql.js';

/** A group as commands and handlers see it. */
export interface GroupInfo {
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
  status: string;
  memberCount: number | null;
  webhookKey: string | null;
}

const SELECT = sql`
  SELECT id::float8 AS id, chat_id, name, source, owner, org_unit, region, kind, task_end::text AS task_end,
    ${ms(sql`created_at`)} AS created_ms, ${ms(sql`first_seen_at`)} AS first_ms, status, member_count, webhook_key
  FROM groups`;

function toGroup(r: Record<string, unknown>): GroupInfo {
  return {
    id: Number(r.id),
    chatId: String(r.chat_id),
    name: (r.name as string | null) ?? null,
    source: String(r.source),
    owner: (r.owner as string | null) ?? null,
    orgUnit: (r.org_unit as string | null) ?? null,
    region: (r.region as string | null) ?? null,
    kind: String(r.kind),
    taskEnd: (r.task_end as string | null) ?? null,
    createdAtMs: r.created_ms === null ? null : Number(r.created_ms),
    firstSeenAtMs: Number(r.first_ms),
    status: String(r.status),
    memberCount: r.member_count === null ? null : Number(r.member_count),
    webhookKey: (r.webhook_key as string | null) ?? null,
  };
}

export async function getGroupByChatId(db: Queryable, chatId: string): Promise<GroupInfo | undefined> {
  const r = await rows<Record<string, unknown>>(db, sql`${SELECT} WHERE chat_id = ${chatId}`);
  return r[0] ? toGroup(r[0]) : undefined;
}

export async function getGroupsByIds(db: Queryable, ids: readonly number[]): Promise<GroupInfo[]> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`${SELECT} WHERE id IN (SELECT value::bigint FROM json_array_elements_text(${jsonParam(ids)}))`,
  );
  return r.map(toGroup);
}

/**
 * Groups a user means by `ref` in a command: exact chat id, else exact name, else names containing it
 * (at most 10). Several results mean the reference is ambiguous.
 */
export async function findGroups(db: Queryable, ref: string): Promise<GroupInfo[]> {
  const q = ref.trim().replace(/^[「『“"]|[」』”"]$/g, '');
  if (q === '') return [];
  const byId = await rows<Record<string, unknown>>(db, sql`${SELECT} WHERE chat_id = ${q}`);
  if (byId.length) return byId.map(toGroup);
  const exact = await rows<Record<string, unknown>>(db, sql`${SELECT} WHERE name = ${q} ORDER BY status, id LIMIT 10`);
  if (exact.length) return exact.map(toGroup);
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const part = await rows<Record<string, unknown>>(db, sql`${SELECT} WHERE name LIKE ${like} ORDER BY status, id LIMIT 10`);
  return part.map(toGroup);
}

/**
 * Records one AI-bot @-mention in a group: the group is created (source `aibot`) if unknown, and the
 * activity row is unique on the message id, so a re-delivered callback changes nothing.
 */
export async function recordMention(
  db: Queryable,
  m: { chatId: string; userId: string; msgId: string; at: Date },
): Promise<void> {
  await db.execute(sql`
    WITH g AS (
      INSERT INTO groups (chat_id, source, first_seen_at, updated_at) VALUES (${m.chatId}, 'aibot', ${ts(m.at)}, ${ts(m.at)})
      ON CONFLICT (chat_id) DO NOTHING RETURNING id
    ), gid AS (
      SELECT id FROM g UNION ALL SELECT id FROM groups WHERE chat_id = ${m.chatId}
    )
    INSERT INTO group_activity (group_id, at, actor, kind, source, source_msg_id)
    SELECT id, ${ts(m.at)}, ${m.userId}, 'mention', 'aibot', ${m.msgId} FROM gid LIMIT 1
    ON CONFLICT (group_id, source_msg_id) DO NOTHING`);
}

export interface Registration {
  chatId: string;
  name: string;
  kind: 'standing' | 'temporary';
  taskEnd: string | null;
  orgUnit: string | null;
  owner: string;
  by: string;
  now: Date;
}

/** Registers (or re-registers) the current group by command; audit-logged. Returns whether it was new. */
export async function registerGroup(db: Db, r: Registration): Promise<{ created: boolean; group: GroupInfo }> {
  return db.transaction(async (tx) => {
    const up = await rows<{ id: number; inserted: boolean }>(
      tx,
      sql`
      INSERT INTO groups AS g (chat_id, source, name, kind, task_end, org_unit, owner, first_seen_at, updated_at)
      VALUES (${r.chatId}, 'registry', ${r.name}, ${r.kind}, ${r.taskEnd}, ${r.orgUnit}, ${r.owner}, ${ts(r.now)}, ${ts(r.now)})
      ON CONFLICT (chat_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, task_end = excluded.task_end,
        org_unit = coalesce(excluded.org_unit, g.org_unit), owner = coalesce(g.owner, excluded.owner),
        source = CASE WHEN g.source IN ('unknown', 'aibot') THEN 'registry' ELSE g.source END, updated_at = excluded.updated_at
      RETURNING id::float8 AS id, (xmax = 0) AS inserted`,
    );
    const id = Number(up[0]!.id);
    await appendAudit(
      tx,
      [{ actor: r.by, action: 'register', groupId: id, detail: { name: r.name, kind: r.kind, taskEnd: r.taskEnd, orgUnit: r.orgUnit } }],
      r.now,
    );
    const g = await rows<Record<string, unknown>>(tx, sql`${SELECT} WHERE id = ${id}`);
    return { created: Boolean(up[0]!.inserted), group: toGroup(g[0]!) };
  });
}

/** A customer group (客户群) as WeCom describes it (groupchat/get). */
export interface CustomerGroup {
  chatId: string;
  name: string | null;
  owner: string | null;
  /** Epoch seconds. */
  createTime: number | null;
  members: { userId: string; type: number | null; joinTime: number | null }[] | null;
}

/** Upserts customer groups (set-based) and replaces their member sets when given. */
export async function upsertCustomerGroups(db: Db, list: CustomerGroup[], now: Date): Promise<void> {
  if (list.length === 0) return;
  const data = list.map((c) => ({
    chat_id: c.chatId,
    name: c.name,
    owner: c.owner,
    created_at: c.createTime ? new Date(c.createTime * 1000).toISOString() : null,
    members: c.members ? c.members.map((m) => m.userId) : null,
  }));
  await db.transaction(async (tx) => {
    const input = sql`json_to_recordset(${jsonParam(data)}) AS r(chat_id text, name text, owner text, created_at timestamptz, members json)`;
    await tx.execute(sql`
      INSERT INTO groups AS g (chat_id, source, name, owner, created_at, first_seen_at, updated_at)
      SELECT chat_id, 'customer', name, owner, created_at, least(coalesce(created_at, ${ts(now)}), ${ts(now)}), ${ts(now)} FROM ${input}
      ON CONFLICT (chat_id) DO UPDATE SET name = coalesce(excluded.name, g.name), owner = coalesce(excluded.owner, g.owner),
        created_at = coalesce(g.created_at, excluded.created_at), source = 'customer', updated_at = excluded.updated_at
      WHERE (g.name, g.owner, g.source) IS DISTINCT FROM (coalesce(excluded.name, g.name), coalesce(excluded.owner, g.owner), 'customer')
         OR g.created_at IS NULL AND excluded.created_at IS NOT NULL`);
    await replaceMembers(tx, sql`SELECT chat_id, members FROM ${input} WHERE members IS NOT NULL`);
  });
}

/** Adds or removes members of one group (change_external_chat add_member / del_member). */
export async function changeMembers(db: Db, chatId: string, add: string[], del: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO group_members (group_id, user_id)
      SELECT g.id, m FROM groups g, json_array_elements_text(${jsonParam(add)}) m WHERE g.chat_id = ${chatId}
      ON CONFLICT DO NOTHING`);
    await tx.execute(sql`
      DELETE FROM group_members gm USING groups g
      WHERE g.chat_id = ${chatId} AND gm.group_id = g.id
        AND gm.user_id IN (SELECT value FROM json_array_elements_text(${jsonParam(del)}))`);
    await tx.execute(sql`
      UPDATE groups g SET member_count = (SELECT count(*) FROM group_members WHERE group_id = g.id)::int
      WHERE g.chat_id = ${chatId}`);
  });
}

/** Admins stored in the database: userId → regions ('*' = all). */
export async function listDbAdmins(db: Queryable): Promise<{ userId: string; region: string }[]> {
  return rows<{ userId: string; region: string }>(db, sql`SELECT user_id AS "userId", region FROM group_admins ORDER BY user_id, region`);
}

/** Reads a small JSON state value (e.g. a sync cursor). */
export async function getSyncState<T>(db: Queryable, key: string): Promise<T | undefined> {
  const r = await rows<{ value: T }>(db, sql`SELECT value FROM sync_state WHERE key = ${key}`);
  return r[0]?.value;
}

export async function setSyncState(db: Queryable, key: string, value: unknown, now: Date): Promise<void> {
  await db.execute(sql`
    INSERT INTO sync_state (key, value, updated_at) VALUES (${key}, ${JSON.stringify(value)}::jsonb, ${ts(now)})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
}
