import { eq, and, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { outbox } from '../schema/index.js';

/**
 * The outbox row of each outbound WeCom call, keyed by the job id (one row per id, however many
 * times the job runs). Status: `queued` → `sent` | `failed`; `dry` in development (no credentials).
 * `payload` is the JSON body as handed to the job (a webhook key is never stored).
 */
export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxStatus = 'queued' | 'sent' | 'failed' | 'dry';

export async function getOutbox(db: Db, jobId: string): Promise<OutboxRow | undefined> {
  const rows = await db.select().from(outbox).where(eq(outbox.jobId, jobId)).limit(1);
  return rows[0];
}

/** Records a request that was not sent because no WeCom credentials are configured. */
export async function recordOutboxDry(db: Db, jobId: string, method: string, payload: unknown): Promise<void> {
  await db
    .insert(outbox)
    .values({ jobId, method, payload, status: 'dry' })
    .onConflictDoUpdate({ target: outbox.jobId, set: { status: 'dry', payload, updatedAt: sql`now()` }, setWhere: ne(outbox.status, 'sent') });
}

/**
 * Creates the row as `queued`, or (a retry, or the same id enqueued again after it failed) sets it
 * back to `queued` — never touching a row that is already `sent`. Returns the row as it now is.
 */
export async function upsertOutboxQueued(db: Db, jobId: string, method: string, payload: unknown): Promise<OutboxRow> {
  await db
    .insert(outbox)
    .values({ jobId, method, payload, status: 'queued' })
    .onConflictDoUpdate({ target: outbox.jobId, set: { status: 'queued', updatedAt: sql`now()` }, setWhere: ne(outbox.status, 'sent') });
  const row = await getOutbox(db, jobId);
  if (!row) throw new Error(`outbox row ${jobId} vanished`);
  return row;
}

/** Counts one API call attempt. */
export async function countOutboxAttempt(db: Db, jobId: string): Promise<void> {
  await db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, updatedAt: sql`now()` })
    .where(eq(outbox.jobId, jobId));
}

export async function markOutboxSent(db: Db, jobId: string, result: unknown): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', result, errcode: null, errmsg: null, updatedAt: sql`now()` })
    .where(eq(outbox.jobId, jobId));
}

/** Keeps the last error on a row that will be retried (status stays `queued`). */
export async function noteOutboxError(db: Db, jobId: string, errcode: number, errmsg: string): Promise<void> {
  await db
    .update(outbox)
    .set({ errcode, errmsg, updatedAt: sql`now()` })
    .where(and(eq(outbox.jobId, jobId), ne(outbox.status, 'sent')));
}

/** Final failure: status `failed` with the reason kept. */
export async function markOutboxFailed(db: Db, jobId: string, errcode: number, errmsg: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'failed', errcode, errmsg, updatedAt: sql`now()` })
    .where(and(eq(outbox.jobId, jobId), ne(outbox.status, 'sent')));
}
