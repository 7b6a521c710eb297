/**
 * `weekly-digest` (Monday 09:00): suggestion counts by state and region, this week against last week,
 * the longest-idle groups, and the number of unanswered Q&A questions when that table exists.
 */
import { sql } from 'drizzle-orm';
import type { Job } from 'bullmq';
import type { Db } from '../../db/client.js';
import type { OutboundPort } from '../../bot/outbound.js';
import { ms, rows, ts, type Queryable } from '../../db/groups/sql.js';
import { listDbAdmins } from '../../db/groups/groups.js';
import { DAY_MS, type Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import { daysBetween, shanghaiDate } from './time.js';

export interface WeeklyDigestPayload {
  nowIso?: string;
}

export interface DigestData {
  byRegionState: { region: string; state: string; n: number }[];
  suggestedThisWeek: number;
  suggestedLastWeek: number;
  dismissedThisWeek: number;
  dismissedLastWeek: number;
  longestIdle: { name: string; days: number }[];
  /** null when no Q&A table exists. */
  unanswered: number | null;
}

const STATE_WORDS: Record<string, string> = {
  queued: '待发送',
  pending: '待决定',
  approved: '待解散',
  dismissed: '已解散',
  kept: '保留',
  snoozed: '暂缓',
  undone: '已撤销',
  expired: '已失效',
};

/** Counts unanswered questions if a Q&A table `unanswered_questions` exists (else null). */
export async function countUnanswered(db: Queryable, table = 'unanswered_questions'): Promise<number | null> {
  const [r] = await rows<{ t: string | null }>(db, sql`SELECT to_regclass(${table})::text AS t`);
  if (!r?.t) return null;
  const [c] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
  return Number(c?.n ?? 0);
}

export async function collectDigest(db: Queryable, now: Date, unanswered: (db: Queryable) => Promise<number | null> = countUnanswered): Promise<DigestData> {
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  const twoWeeks = new Date(now.getTime() - 14 * DAY_MS);
  const byRegionState = (
    await rows<{ region: string; state: string; n: number }>(
      db,
      sql`SELECT region, state, count(*)::int AS n FROM group_suggestions WHERE cycle NOT LIKE 'manual-%'
          GROUP BY region, state ORDER BY region, state`,
    )
  ).map((r) => ({ region: r.region, state: r.state, n: Number(r.n) }));
  const [w] = await rows<Record<string, number>>(
    db,
    sql`SELECT
      (SELECT count(*) FROM audit_log WHERE action = 'suggest' AND at > ${ts(weekAgo)} AND at <= ${ts(now)})::int AS s1,
      (SELECT count(*) FROM audit_log WHERE action = 'suggest' AND at > ${ts(twoWeeks)} AND at <= ${ts(weekAgo)})::int AS s2,
      (SELECT count(*) FROM audit_log WHERE action = 'dismissed' AND at > ${ts(weekAgo)} AND at <= ${ts(now)})::int AS d1,
      (SELECT count(*) FROM audit_log WHERE action = 'dismissed' AND at > ${ts(twoWeeks)} AND at <= ${ts(weekAgo)})::int AS d2`,
  );
  const idle = await rows<{ name: string; last_ms: number }>(
    db,
    sql`SELECT coalesce(g.name, g.chat_id) AS name, ${ms(sql`coalesce(a.last_at, g.created_at, g.first_seen_at)`)} AS last_ms
        FROM groups g LEFT JOIN (
          SELECT group_id, max(at) AS last_at FROM group_activity WHERE kind <> 'bot' AND at <= ${ts(now)} GROUP BY group_id
        ) a ON a.group_id = g.id
        WHERE g.status = 'active'
        ORDER BY coalesce(a.last_at, g.created_at, g.first_seen_at) ASC, g.id LIMIT 5`,
  );
  return {
    byRegionState,
    suggestedThisWeek: Number(w?.s1 ?? 0),
    suggestedLastWeek: Number(w?.s2 ?? 0),
    dismissedThisWeek: Number(w?.d1 ?? 0),
    dismissedLastWeek: Number(w?.d2 ?? 0),
    longestIdle: idle.map((r) => ({ name: r.name, days: daysBetween(new Date(Number(r.last_ms)), now) })),
    unanswered: await unanswered(db),
  };
}

function trend(a: number, b: number): string {
  return a === b ? '持平' : a > b ? `↑${a - b}` : `↓${b - a}`;
}

/** The digest as markdown (≤ 2048 bytes in practice: top 5 lists only). */
export function formatDigest(d: DigestData, now: Date): string {
  const lines = [`### 僵尸群周报（${shanghaiDate(now)}）`];
  lines.push(`本周新建议 ${d.suggestedThisWeek} 个（上周 ${d.suggestedLastWeek}，${trend(d.suggestedThisWeek, d.suggestedLastWeek)}）；`);
  lines.push(`本周确认解散 ${d.dismissedThisWeek} 个（上周 ${d.dismissedLastWeek}，${trend(d.dismissedThisWeek, d.dismissedLastWeek)}）。`);
  const regions = [...new Set(d.byRegionState.map((r) => r.region))];
  if (regions.length > 0) {
    lines.push('', '**各区域状态**');
    for (const region of regions) {
      const parts = d.byRegionState.filter((r) => r.region === region).map((r) => `${STATE_WORDS[r.state] ?? r.state} ${r.n}`);
      lines.push(`- ${region || '（未分区）'}：${parts.join('，')}`);
    }
  }
  if (d.longestIdle.length > 0) {
    lines.push('', '**最久无活动的群**');
    for (const g of d.longestIdle) lines.push(`- ${g.name}：${g.days} 天`);
  }
  if (d.unanswered !== null) lines.push('', `待处理的未答问题：${d.unanswered} 个`);
  return lines.join('\n');
}

export interface DigestDeps {
  db: Db;
  outbound: OutboundPort;
  clock: Clock;
  log: Logger;
  configAdmins: readonly string[];
  unanswered?: (db: Queryable) => Promise<number | null>;
}

export function createWeeklyDigestProcessor(d: DigestDeps) {
  return async (job: Job<WeeklyDigestPayload>): Promise<{ sentTo: number }> => {
    const now = job.data?.nowIso ? new Date(job.data.nowIso) : d.clock.now();
    const admins = [...new Set([...d.configAdmins, ...(await listDbAdmins(d.db)).map((a) => a.userId)])].sort();
    if (admins.length === 0) return { sentTo: 0 };
    const text = formatDigest(await collectDigest(d.db, now, d.unanswered), now);
    await d.outbound.enqueue({
      method: 'message/send',
      jobId: `digest:${shanghaiDate(now)}`,
      body: { touser: admins.join('|'), msgtype: 'markdown', markdown: { content: text } },
    });
    return { sentTo: admins.length };
  };
}
