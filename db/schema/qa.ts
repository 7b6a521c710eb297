import { pgTable, text, timestamp, real, integer, jsonb, index, primaryKey } from 'drizzle-orm/pg-core';

/**
 * Every catalog question the bot answered, how (kind, item, confidence) and the asker's 👍/👎.
 * Curators read the not-found, ambiguous and low-confidence ones with the `未答` command.
 */
export const qaQuestions = pgTable(
  'qa_questions',
  {
    /** Also the AI bot's `feedback.id`, so a feedback_event finds its question. */
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    userId: text('user_id'),
    chatId: text('chat_id'),
    regionCode: text('region_code'),
    question: text('question').notNull(),
    normalized: text('normalized').notNull(),
    intent: text('intent').notNull(),
    answerKind: text('answer_kind').notNull(),
    itemId: text('item_id'),
    confidence: real('confidence'),
    feedbackType: integer('feedback_type'),
    feedbackReasons: jsonb('feedback_reasons'),
    feedbackContent: text('feedback_content'),
    feedbackAt: timestamp('feedback_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('qa_questions_kind_idx').on(t.answerKind, t.createdAt)],
);

/** A group or user bound to a region by an admin (`绑定 北城街道`). */
export const regionBindings = pgTable(
  'region_bindings',
  {
    scope: text('scope').notNull(), // 'group' | 'user'
    subject: text('subject').notNull(), // chat id or user id
    regionCode: text('region_code').notNull(),
    boundBy: text('bound_by').notNull(),
    boundAt: timestamp('bound_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.subject] })],
);
