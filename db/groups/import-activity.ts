import { sql } from 'drizzle-orm';
import type { Queryable } from './sql.js';
import { jsonParam, rows, ts } from './sql.js';

/**
 * Activity import for corps that export their chat archive (会话内容存档): one JSON object per line,
 * `{"chatid","msgid","from","msgtime"}` with msgtime in epoch milliseconds.
 *
 * Idempotent: (group, msgid) is unique, so importing the same file twice changes nothing. Bad lines are
 * reported by line number and skipped; the rest is imported. Unknown chat ids create a group with source
 * `unknown`. Work is set-based: one statement per chunk of lines (default 5 000).
 */
export interface ImportActivityOptions {
  now: Date;
  /** Sender ids of the bot itself (its messages are stored as kind `bot` and never count). */
  botSenderIds?: readonly string[];
  /** Lines per statement. Default 5 000. */
  chunkSize?: number;
  /** Allowed clock skew for "future" timestamps, ms. Default 5 minutes. */
  futureSkewMs?: number;
  /** At most this many rejected lines are listed (all are counted). Default 1 000. */
  maxListedErrors?: number;
}

export interface LineError {
  line: number;
  reason: string;
}

export interface ActivityImportReport {
  /** Non-empty lines read. */
  lines: number;
  /** New activity rows. */
  imported: number;
  /** Valid lines already known (same chat + msgid). */
  duplicates: number;
  /** Groups created with source `unknown`. */
  groupsCreated: number;
  rejected: number;
  errors: LineError[];
}

interface Row {
  c: string;
  m: string;
  f: string;
  t: number;
  k: 'message' | 'bot';
}

const MIN_MS = Date.UTC(2000, 0, 1);

/** Validates one parsed line; returns the row or a Chinese reason. */
export function parseActivityLine(text: string, now: Date, skewMs: number, bots: ReadonlySet<string>): Row | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return '不是合法的 JSON';
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return '应为一个 JSON 对象';
  const o = v as Record<string, unknown>;
  const chatid = o.chatid;
  const msgid = typeof o.msgid === 'number' ? String(o.msgid) : o.msgid;
  if (typeof chatid !== 'string' || chatid.trim() === '' || chatid.length > 128) return '缺少 chatid（字符串）';
  if (typeof msgid !== 'string' || msgid.trim() === '' || msgid.length > 256) return '缺少 msgid（字符串）';
  if (typeof o.from !== 'string' || o.from.trim() === '') return '缺少 from（发送人）';
  const t = typeof o.msgtime === 'string' && /^\d+$/.test(o.msgtime) ? Number(o.msgtime) : o.msgtime;
  if (typeof t !== 'number' || !Number.isInteger(t)) return 'msgtime 应为整数毫秒时间戳';
  if (t < MIN_MS) return `msgtime ${t} 早于 2000 年（应为毫秒，不是秒？）`;
  if (t > now.getTime() + skewMs) {
    return `时间在未来（${new Date(t).toISOString()}），已拒绝`;
  }
  const from = o.from.trim();
  return { c: chatid.trim(), m: msgid.trim(), f: from, t, k: bots.has(from) ? 'bot' : 'message' };
}

/** Imports activity lines (an array, a generator or a stream of lines). */
export async function importActivity(
  db: Queryable,
  lines: Iterable<string> | AsyncIterable<string>,
  opts: ImportActivityOptions,
): Promise<ActivityImportReport> {
  const chunkSize = opts.chunkSize ?? 5_000;
  const skew = opts.futureSkewMs ?? 5 * 60_000;
  const maxErrors = opts.maxListedErrors ?? 1_000;
  const bots = new Set(opts.botSenderIds ?? []);
  const report: ActivityImportReport = { lines: 0, imported: 0, duplicates: 0, groupsCreated: 0, rejected: 0, errors: [] };
  let chunk: Row[] = [];
  let lineNo = 0;

  const flush = async () => {
    if (chunk.length === 0) return;
    const batch = chunk;
    chunk = [];
    const r = await insertChunk(db, batch, opts.now);
    report.imported += r.inserted;
    report.duplicates += batch.length - r.inserted;
    report.groupsCreated += r.created;
  };

  for await (const raw of lines) {
    lineNo++;
    const text = raw.trim();
    if (text === '') continue;
    report.lines++;
    const row = parseActivityLine(text, opts.now, skew, bots);
    if (typeof row === 'string') {
      report.rejected++;
      if (report.errors.length < maxErrors) report.errors.push({ line: lineNo, reason: row });
      continue;
    }
    chunk.push(row);
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  // Fresh statistics after a bulk load keep later plans (scans, batches) on the indexes.
  if (report.imported > 10_000) await db.execute(sql`ANALYZE group_activity`);
  return report;
}

async function insertChunk(db: Queryable, batch: Row[], now: Date): Promise<{ inserted: number; created: number }> {
  // One statement: create unknown groups, pull first_seen_at back to the earliest message seen, insert.
  const [r] = await rows<{ created: number; inserted: number }>(
    db,
    sql`
    WITH input AS (
      SELECT * FROM json_to_recordset(${jsonParam(batch)}) AS r(c text, m text, f text, t bigint, k text)
    ), firsts AS (
      SELECT c, to_timestamp(min(t) / 1000.0) AS first_at FROM input GROUP BY c
    ), new_groups AS (
      INSERT INTO groups (chat_id, source, first_seen_at, updated_at)
      SELECT c, 'unknown', least(first_at, ${ts(now)}), ${ts(now)} FROM firsts
      ON CONFLICT (chat_id) DO NOTHING
      RETURNING id, chat_id
    ), older AS (
      UPDATE groups g SET first_seen_at = f.first_at
      FROM firsts f WHERE g.chat_id = f.c AND g.first_seen_at > f.first_at
      RETURNING g.id
    ), all_groups AS (
      SELECT id, chat_id FROM new_groups
      UNION ALL
      SELECT g.id, g.chat_id FROM groups g JOIN firsts f ON f.c = g.chat_id
    ), ins AS (
      INSERT INTO group_activity (group_id, at, actor, kind, source, source_msg_id)
      SELECT ag.id, to_timestamp(i.t / 1000.0), i.f, i.k, 'import', i.m
      FROM input i JOIN all_groups ag ON ag.chat_id = i.c
      ON CONFLICT (group_id, source_msg_id) DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM new_groups)::int AS created,
           (SELECT count(*) FROM ins)::int AS inserted,
           (SELECT count(*) FROM older)::int AS older`,
  );
  return { inserted: Number(r?.inserted ?? 0), created: Number(r?.created ?? 0) };
}

/** A short Chinese summary of an import, with the first rejected lines. */
export function formatActivityReport(r: ActivityImportReport, maxLines = 20): string {
  const out = [
    `读取 ${r.lines} 行：导入 ${r.imported} 条，重复 ${r.duplicates} 条，拒绝 ${r.rejected} 行；新建未知来源群 ${r.groupsCreated} 个。`,
  ];
  for (const e of r.errors.slice(0, maxLines)) out.push(`第 ${e.line} 行：${e.reason}`);
  if (r.rejected > Math.min(maxLines, r.errors.length)) out.push(`……另有 ${r.rejected - Math.min(maxLines, r.errors.length)} 行被拒绝`);
  return out.join('\n');
}
