import { pgTable, bigserial, text, timestamp, jsonb, integer, boolean, uniqueIndex, index, primaryKey } from 'drizzle-orm/pg-core';

/**
 * 微信客服 (residents in WeChat): sync cursors, every message/event seen (each msgid handled once),
 * what the bot knows about each resident's conversation, the cadres who may take a hand-over, the
 * per-village contact links, and failures worth counting on /metrics.
 */

/** One `kf/sync_msg` cursor per 客服账号; `prevCursor` is the last good point before it. */
export const kfCursors = pgTable('kf_cursors', {
  openKfId: text('open_kfid').primaryKey(),
  cursor: text('cursor').notNull().default(''),
  prevCursor: text('prev_cursor').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every message/event pulled with sync_msg, unique per (open_kfid, msgid). `status`: `new` (recorded,
 * not yet handled) → `done`. `action` says what the bot did (answered, welcome, handover, too_old …).
 */
export const kfMessages = pgTable(
  'kf_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    openKfId: text('open_kfid').notNull(),
    msgId: text('msgid').notNull(),
    origin: integer('origin').notNull(),
    msgType: text('msgtype').notNull(),
    /** For events: event_type. */
    eventType: text('event_type'),
    externalUserId: text('external_userid'),
    sendTime: timestamp('send_time', { withTimezone: true }),
    /** The raw item (bounded: text content is cut at 4,000 characters). */
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('new'),
    action: text('action'),
    /** Catalog item id the bot answered with, when it answered one item (for "most asked"). */
    itemId: text('item_id'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('kf_messages_msgid_idx').on(t.openKfId, t.msgId), index('kf_messages_item_idx').on(t.itemId, t.recordedAt)],
);

/**
 * A resident's conversation with one account. `mode`: `bot` (the bot answers) | `human` (handed
 * over: the bot stays silent until the session ends). `unanswered`: not-found answers in a row.
 */
export const kfResidents = pgTable(
  'kf_residents',
  {
    openKfId: text('open_kfid').notNull(),
    externalUserId: text('external_userid').notNull(),
    /** Region code from the link's scene_param (`v=<code>`); null → the default region. */
    village: text('village'),
    mode: text('mode').notNull().default('bot'),
    unanswered: integer('unanswered').notNull().default(0),
    /** Messages sent since the resident last wrote (WeCom allows 5). */
    repliesSinceCustomer: integer('replies_since_customer').notNull().default(0),
    lastCustomerAt: timestamp('last_customer_at', { withTimezone: true }),
    /** Item ids offered in the last "您是想问" menu (so a typed 1/2/3 picks one). */
    lastOptions: jsonb('last_options').$type<string[]>(),
    /** Servicer the session was handed to (state 3), if any. */
    servicer: text('servicer'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.openKfId, t.externalUserId] })],
);

/** Cadres (接待人员) who take hand-overs for a region; `onDuty` follows servicer_status_change. */
export const kfServicers = pgTable('kf_servicers', {
  userId: text('userid').primaryKey(),
  /** Region code (village, or a township for all its villages). */
  region: text('region').notNull(),
  onDuty: boolean('on_duty').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The link residents scan, per village (from kf/add_contact_way). */
export const kfLinks = pgTable('kf_links', {
  region: text('region').primaryKey(),
  openKfId: text('open_kfid').notNull(),
  scene: text('scene').notNull(),
  url: text('url').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Failures worth an alert: `msg_send_fail` events (code = fail_type), send errors 95001/95002/95018
 * seen by the bot (code = errcode), rejected cursors. Counted on /metrics.
 */
export const kfFailures = pgTable(
  'kf_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    code: integer('code').notNull(),
    openKfId: text('open_kfid'),
    externalUserId: text('external_userid'),
    detail: text('detail'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kf_failures_kind_idx').on(t.kind, t.code)],
);
