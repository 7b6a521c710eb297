import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
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
  await recordInboundMany(db, [r]);
}

/** One multi-row INSERT for a batch of records. */
export async function recordInboundMany(db: Db, records: InboundRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db.insert(inboundMessages).values(records.map((r) => ({
    channel: r.channel,
    dedupeKey: r.dedupeKey,
    msgId: r.msgId ?? null,
    type: r.type,
    chatId: r.chatId ?? null,
    chatType: r.chatType ?? null,
    userId: r.userId ?? null,
    text: r.text ?? null,
    reply: r.reply as object,
    handlerMs: r.handlerMs,
    receivedAt: r.receivedAt ?? new Date(),
  })));
}

/** Outbox rows counted by method and status (for /metrics). */
export async function outboxCounts(db: Db): Promise<{ method: string; status: string; n: number }[]> {
  const rows = await db
    .select({ method: outbox.method, status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.method, outbox.status);
  return rows;
}
