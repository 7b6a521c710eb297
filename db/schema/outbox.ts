import { pgTable, bigserial, text, timestamp, jsonb, integer, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Every outbound WeCom call the bot made or would have made. `status`:
 * `queued` → `sent` | `failed`; `dry` when no WeCom credentials are configured (development).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: text('job_id').notNull(),
    method: text('method').notNull(), // e.g. 'message/send', 'webhook/send'
    payload: jsonb('payload').notNull(),
    status: text('status').notNull(),
    errcode: integer('errcode'),
    errmsg: text('errmsg'),
    attempts: integer('attempts').notNull().default(0),
    result: jsonb('result'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('outbox_job_id_idx').on(t.jobId)],
);
