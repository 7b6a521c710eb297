import { sql } from 'drizzle-orm';
import {
  pgTable,
  bigserial,
  bigint,
  text,
  timestamp,
  jsonb,
  index,
  integer,
  date,
  uniqueIndex,
  primaryKey,
  boolean,
} from 'drizzle-orm/pg-core';

/**
 * The zombie-group lifecycle (指尖减负): what the bot knows about work groups, their activity, the
 * suggestions it made, the admins' decisions and an append-only audit log.
 */

/**
 * A group chat known from any source. `source`: `aibot` (someone @-ed the bot there), `customer`
 * (客户群 via API/events), `registry` (imported or registered by command), `unknown` (only seen in an
 * activity import). `status`: `active` | `dismissed`.
 */
export const groups = pgTable(
  'groups',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chatId: text('chat_id').notNull(),
    source: text('source').notNull(),
    name: text('name'),
    owner: text('owner'),
    orgUnit: text('org_unit'),
    /** Region whose rules and admins apply; null → the configured default region. */
    region: text('region'),
    kind: text('kind').notNull().default('standing'), // 'standing' | 'temporary'
    /** Task end date of a temporary group (calendar date, Asia/Shanghai). */
    taskEnd: date('task_end', { mode: 'string' }),
    /** When the group was created (from the registry or WeCom); null when unknown. */
    createdAt: timestamp('created_at', { withTimezone: true }),
    /** When the bot first heard of the group (stands in for createdAt when that is unknown). */
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status').notNull().default('active'),
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
    /** Number of rows in group_members; null when the member list is unknown. */
    memberCount: integer('member_count'),
    /** Optional 消息推送 webhook key for gentle in-group notices. */
    webhookKey: text('webhook_key'),
    lastNoticeAt: timestamp('last_notice_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('groups_chat_id_idx').on(t.chatId), index('groups_org_unit_idx').on(t.orgUnit)],
);

/** Current member set of a group (needed for duplicate detection). `memberType`: 1 internal, 2 external. */
export const groupMembers = pgTable(
  'group_members',
  {
    groupId: bigint('group_id', { mode: 'number' })
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    memberType: integer('member_type'),
    joinedAt: timestamp('joined_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] })],
);

/**
 * One message (or @-mention) seen in a group. Unique on (group, source message id) so re-imports and
 * re-deliveries change nothing. `kind`: `message` | `mention` | `bot` (the bot's own; never counts).
 * No foreign key: bulk imports join against groups anyway, and the check would cost per row.
 */
export const groupActivity = pgTable(
  'group_activity',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    groupId: bigint('group_id', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: text('actor'),
    kind: text('kind').notNull().default('message'),
    source: text('source').notNull(), // 'aibot' | 'import'
    sourceMsgId: text('source_msg_id').notNull(),
  },
  (t) => [
    uniqueIndex('group_activity_msg_idx').on(t.groupId, t.sourceMsgId),
    index('group_activity_group_at_idx').on(t.groupId, t.at),
  ],
);

/** An exemption: the group is never suggested until `until` (unless revoked). */
export const groupExemptions = pgTable(
  'group_exemptions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    groupId: bigint('group_id', { mode: 'number' })
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    approver: text('approver').notNull(),
    until: timestamp('until', { withTimezone: true }).notNull(),
    suggestionId: bigint('suggestion_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('group_exemptions_group_idx').on(t.groupId)],
);

/**
 * A cleanup suggestion for one group in one scan cycle (the Asia/Shanghai date of the scan).
 * `state`: `queued` (found, card not yet sent: over the per-admin cap) → `pending` (card sent) →
 * `approved` (owner asked to dissolve) → `dismissed` (verified), or `kept` | `snoozed` | `undone`.
 * At most one open (queued/pending/approved) suggestion per group.
 */
export const groupSuggestions = pgTable(
  'group_suggestions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    groupId: bigint('group_id', { mode: 'number' })
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    cycle: text('cycle').notNull(),
    region: text('region').notNull(),
    /** [{code, evidence}] at the time of the scan. */
    signals: jsonb('signals').notNull(),
    /** Name, members, last activity… as shown on the card. */
    snapshot: jsonb('snapshot').notNull(),
    state: text('state').notNull().default('queued'),
    /** Admin userids the card went to. */
    recipients: jsonb('recipients').$type<string[]>(),
    cardedCycle: text('carded_cycle'),
    cardedAt: timestamp('carded_at', { withTimezone: true }),
    /** Last ResponseCode received with a click (single use, 72 h). */
    responseCode: text('response_code'),
    decision: text('decision'), // 'approve' | 'keep' | 'snooze'
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('group_suggestions_cycle_idx').on(t.groupId, t.cycle),
    uniqueIndex('group_suggestions_open_idx')
      .on(t.groupId)
      .where(sql`state in ('queued', 'pending', 'approved')`),
    index('group_suggestions_state_idx').on(t.state),
  ],
);

/** Thresholds per region (missing keys fall back to the defaults in jobs/zombie/rules.ts). */
export const groupRules = pgTable('group_rules', {
  region: text('region').primaryKey(),
  rules: jsonb('rules').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Admins in the database (in addition to WECOM_ADMIN_USERIDS). `region` '*' = every region. */
export const groupAdmins = pgTable(
  'group_admins',
  {
    userId: text('user_id').notNull(),
    region: text('region').notNull().default('*'),
    name: text('name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.region] })],
);

/** Append-only record of every decision (a trigger forbids UPDATE and DELETE). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    groupId: bigint('group_id', { mode: 'number' }),
    suggestionId: bigint('suggestion_id', { mode: 'number' }),
    detail: jsonb('detail'),
    /** What the decision was based on, frozen (signals, members, last activity). */
    evidence: jsonb('evidence'),
  },
  (t) => [index('audit_log_group_idx').on(t.groupId)],
);

/** Scan results, kept to show what changed since the previous run. */
export const scanReports = pgTable('scan_reports', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  dryRun: boolean('dry_run').notNull(),
  /** [{chatid, name, verdict, codes}] */
  report: jsonb('report').notNull(),
});

/** Small key/value state for resumable jobs (e.g. the customer-group sync cursor). */
export const syncState = pgTable('sync_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
