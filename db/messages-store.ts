import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import type pg from 'pg';
import { inboundMessages, outbox } from './schema/index.js';

export interface InboundRecord {
  channel: string;
  dedupeKey: string;
  msgId?: string | undefined;
  type: string;
  chatId?: string | undefined;
  chatType?: string | undefined;
  userId?: string | undefined;
  text?: string | undefined;
  reply: unknown;
  handlerMs: number;
  receivedAt?: Date;
}

export async function recordInbound(db: Db, r: InboundRecord): Promise<void> {
  await db.insert(inboundMessages).values({ ...r, msgId: r.msgId ?? null, chatId: r.chatId ?? null, chatType: r.chatType ?? null, userId: r.userId ?? null, text: r.text ?? null, reply: (r.reply ?? null) as object });
}

/**
 * One INSERT for a batch of records (arrays + unnest: one statement and ten parameters whatever the
 * batch size). These are analytics rows written behind the callback path, so the transaction does not
 * wait for the WAL flush (`synchronous_commit off`: a crash may lose the last fraction of a second of
 * log rows, never corrupt anything).
 */
export async function recordInboundMany(pool: pg.Pool, records: InboundRecord[]): Promise<void> {
  if (records.length === 0) return;
  const col = <K extends keyof InboundRecord>(k: K) => records.map((r) => r[k] ?? null);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local synchronous_commit to off');
    await client.query(
      `insert into inbound_messages (channel, dedupe_key, msg_id, type, chat_id, chat_type, user_id, text, reply, handler_ms, received_at)
       select channel, dedupe_key, msg_id, type, chat_id, chat_type, user_id, text, reply::jsonb, handler_ms, received_at
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::timestamptz[])
         as t(channel, dedupe_key, msg_id, type, chat_id, chat_type, user_id, text, reply, handler_ms, received_at)`,
      [
        col('channel'), col('dedupeKey'), col('msgId'), col('type'), col('chatId'), col('chatType'), col('userId'), col('text'),
        records.map((r) => JSON.stringify(r.reply ?? null)), col('handlerMs'), records.map((r) => (r.receivedAt ?? new Date()).toISOString()),
      ],
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Outbox rows counted by method and status (for /metrics). */
export async function outboxCounts(db: Db): Promise<{ method: string; status: string; n: number }[]> {
  const rows = await db
    .select({ method: outbox.method, status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.method, outbox.status);
  return rows;
}
