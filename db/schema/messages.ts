import { pgTable, bigserial, text, timestamp, jsonb, index, integer } from 'drizzle-orm/pg-core';

/** Every inbound callback the bot handled, with the reply it gave (for analytics and audits). */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(), // 'aibot' | 'app' | 'kf'
    dedupeKey: text('dedupe_key').notNull(),
    msgId: text('msg_id'),
    type: text('type').notNull(), // Update['type']
    chatId: text('chat_id'),
    chatType: text('chat_type'),
    userId: text('user_id'),
    text: text('text'),
    reply: jsonb('reply'),
    handlerMs: integer('handler_ms'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inbound_messages_received_idx').on(t.receivedAt), index('inbound_messages_chat_idx').on(t.chatId)],
);
