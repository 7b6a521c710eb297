import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { kfCursors, kfMessages } from '../schema/index.js';

/**
 * The sync side of 微信客服: one cursor per open_kfid, and the message log that makes every msgid
 * handled once (unique (open_kfid, msgid); rows go `new` → `done`).
 */

export interface StoredCursor {
  cursor: string;
  /** The cursor before `cursor` — the fallback when WeCom rejects `cursor`. */
  prevCursor: string;
}

export async function getKfCursor(db: Db, openKfId: string): Promise<StoredCursor | undefined> {
  const rows = await db.select().from(kfCursors).where(eq(kfCursors.openKfId, openKfId)).limit(1);
  const r = rows[0];
  return r ? { cursor: r.cursor, prevCursor: r.prevCursor } : undefined;
}

/** Stores `cursor` as the new position; the position it replaces becomes `prevCursor`. */
export async function saveKfCursor(db: Db, openKfId: string, cursor: string, replaced: string): Promise<void> {
  await db
    .insert(kfCursors)
    .values({ openKfId, cursor, prevCursor: replaced })
    .onConflictDoUpdate({
      target: kfCursors.openKfId,
      set: { cursor, prevCursor: replaced === cursor ? sql`${kfCursors.prevCursor}` : replaced, updatedAt: sql`now()` },
    });
}

/** One item to record (already parsed). */
export interface KfRecordInput {
  msgId: string;
  origin: number;
  msgType: string;
  eventType: string | undefined;
  externalUserId: string;
  /** Unix seconds (0 = unknown). */
  sendTime: number;
  payload: Record<string, unknown>;
}

export interface PendingKfMessage {
  id: number;
  msgId: string;
}

/**
 * Records a page of items (existing msgids are left alone) and returns those of this page not yet
 * `done`, in page order — the ones the caller must handle. One statement per page.
 */
export async function recordKfBatch(db: Db, openKfId: string, items: KfRecordInput[]): Promise<PendingKfMessage[]> {
  if (items.length === 0) return [];
  const unique = [...new Map(items.map((i) => [i.msgId, i])).values()];
  await db
    .insert(kfMessages)
    .values(
      unique.map((i) => ({
        openKfId,
        msgId: i.msgId,
        origin: i.origin,
        msgType: i.msgType.slice(0, 64),
        eventType: i.eventType?.slice(0, 64) ?? null,
        externalUserId: i.externalUserId || null,
        sendTime: i.sendTime > 0 ? new Date(i.sendTime * 1000) : null,
        payload: boundPayload(i.payload),
      })),
    )
    .onConflictDoNothing({ target: [kfMessages.openKfId, kfMessages.msgId] });
  const rows = await db
    .select({ id: kfMessages.id, msgId: kfMessages.msgId })
    .from(kfMessages)
    .where(and(eq(kfMessages.openKfId, openKfId), inArray(kfMessages.msgId, unique.map((i) => i.msgId)), ne(kfMessages.status, 'done')));
  const order = new Map(unique.map((i, n) => [i.msgId, n]));
  return rows.sort((a, b) => order.get(a.msgId)! - order.get(b.msgId)!);
}

/**
 * Marks a message handled. Returns false when another worker already did (the row was `done`):
 * the caller's effects are idempotent either way, this only keeps the log honest.
 */
export async function markKfDone(db: Db, id: number, action: string, itemId?: string): Promise<boolean> {
  const rows = await db
    .update(kfMessages)
    .set({ status: 'done', action: action.slice(0, 64), itemId: itemId ?? null, doneAt: sql`now()` })
    .where(and(eq(kfMessages.id, id), ne(kfMessages.status, 'done')))
    .returning({ id: kfMessages.id });
  return rows.length > 0;
}

/** Actions taken per msgid (tests, status). */
export async function kfActions(db: Db, openKfId: string): Promise<Array<{ msgId: string; action: string | null; status: string }>> {
  return db
    .select({ msgId: kfMessages.msgId, action: kfMessages.action, status: kfMessages.status })
    .from(kfMessages)
    .where(eq(kfMessages.openKfId, openKfId))
    .orderBy(kfMessages.id);
}

/** Item ids residents were answered with most often since `since`, most asked first. */
export async function mostAskedKfItems(db: Db, since: Date, limit = 6): Promise<string[]> {
  const rows = await db.execute<{ item_id: string }>(
    sql`select item_id from kf_messages where item_id is not null and recorded_at >= ${since.toISOString()}
        group by item_id order by count(*) desc, item_id limit ${limit}`,
  );
  return rows.rows.map((r) => r.item_id);
}

// Text bodies are bounded; anything else large (e.g. a huge unknown item) is replaced by a stub.
function boundPayload(p: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(p);
  if (json.length <= 8_000) return p;
  const text = (p.text as { content?: unknown } | undefined)?.content;
  return { truncated: true, msgtype: p.msgtype, ...(typeof text === 'string' ? { text: { content: text.slice(0, 4_000) } } : {}) };
}
