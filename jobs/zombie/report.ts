/**
 * Scan reports: the JSON the CLI prints with --json, the readable table, and what changed since the
 * previous stored report.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/groups/sql.js';
import { rows, ts } from '../../db/groups/sql.js';
import type { GroupVerdict } from './evaluate.js';
import { shanghaiDate } from './time.js';

export interface JsonVerdict {
  chatid: string;
  name: string | null;
  verdict: string;
  signals: { code: string; evidence: string }[];
}

/** `[{"chatid","name","verdict","signals":[{"code","evidence"}]}]`, in group order. */
export function toJsonReport(verdicts: readonly GroupVerdict[]): JsonVerdict[] {
  return verdicts.map((v) => ({
    chatid: v.chatId,
    name: v.name,
    verdict: v.verdict,
    signals: v.signals.map((s) => ({ code: s.code, evidence: s.evidence })),
  }));
}

/** What is stored per group to compare runs. */
export interface StoredVerdict {
  chatid: string;
  name: string | null;
  verdict: string;
  codes: string[];
}

export function toStored(verdicts: readonly GroupVerdict[]): StoredVerdict[] {
  return verdicts.map((v) => ({ chatid: v.chatId, name: v.name, verdict: v.verdict, codes: v.signals.map((s) => s.code) }));
}

const WORD: Record<string, string> = { keep: '保留', notice: '提醒', suggest: '建议清理' };

/** Chinese lines describing what changed between two runs (empty when nothing did). */
export function diffReports(prev: readonly StoredVerdict[], cur: readonly StoredVerdict[]): string[] {
  const before = new Map(prev.map((p) => [p.chatid, p]));
  const now = new Map(cur.map((c) => [c.chatid, c]));
  const out: string[] = [];
  for (const c of cur) {
    const p = before.get(c.chatid);
    const label = c.name ?? c.chatid;
    if (!p) out.push(`+ 新群 ${label}：${WORD[c.verdict] ?? c.verdict}`);
    else if (p.verdict !== c.verdict) out.push(`~ ${label}：${WORD[p.verdict] ?? p.verdict} → ${WORD[c.verdict] ?? c.verdict}`);
    else if (p.codes.join(',') !== c.codes.join(',')) out.push(`~ ${label}：信号 ${p.codes.join(',') || '无'} → ${c.codes.join(',') || '无'}`);
  }
  for (const p of prev) if (!now.has(p.chatid)) out.push(`- ${p.name ?? p.chatid}：已不在活跃群中`);
  return out;
}

/** A readable table: verdict, group, signals with evidence (guards in brackets). */
export function formatTable(verdicts: readonly GroupVerdict[], opts: { maxRows?: number } = {}): string {
  const counts = { keep: 0, notice: 0, suggest: 0 };
  for (const v of verdicts) counts[v.verdict]++;
  const lines = [`共 ${verdicts.length} 个群：建议清理 ${counts.suggest}，提醒 ${counts.notice}，保留 ${counts.keep}`];
  const order = { suggest: 0, notice: 1, keep: 2 } as const;
  const sorted = [...verdicts].sort((a, b) => order[a.verdict] - order[b.verdict] || a.groupId - b.groupId);
  const interesting = sorted.filter((v) => v.verdict !== 'keep' || v.signals.length > 0);
  const max = opts.maxRows ?? Infinity;
  for (const v of interesting.slice(0, max)) {
    const last = v.lastActivityMs === null ? '无记录' : shanghaiDate(new Date(v.lastActivityMs));
    const ev = v.signals.map((s) => s.evidence).join('；') || '—';
    const guard = v.guards.length ? `［${v.guards.map((g) => g.evidence).join('；')}］` : '';
    lines.push(`${(WORD[v.verdict] ?? v.verdict).padEnd(4, '　')} ${v.name ?? v.chatId}（最后活动 ${last}）${ev}${guard}`);
  }
  if (interesting.length > max) lines.push(`……另有 ${interesting.length - max} 个`);
  return lines.join('\n');
}

/** The previous stored report (any run), or undefined. */
export async function previousReport(db: Queryable): Promise<{ at: string; report: StoredVerdict[] } | undefined> {
  const r = await rows<{ at: string; report: StoredVerdict[] }>(db, sql`SELECT at::text AS at, report FROM scan_reports ORDER BY id DESC LIMIT 1`);
  return r[0];
}

export async function storeReport(db: Queryable, report: StoredVerdict[], dryRun: boolean, now: Date): Promise<void> {
  await db.execute(sql`INSERT INTO scan_reports (at, dry_run, report) VALUES (${ts(now)}, ${dryRun}, ${JSON.stringify(report)}::jsonb)`);
}
