/**
 * CLI commands of the zombie-group capability. The functions take an open database and return the
 * text to print, so bin/cli.ts (and tests) can call them directly:
 *   npm run cli -- groups import <file.ndjson>
 *   npm run cli -- groups import-activity <file.ndjson>
 *   npm run cli -- scan --dry-run [--now <ISO time>] [--json]
 * `activityApi` is the body of `POST /api/activity` (bearer API_TOKEN is checked by the caller).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { Db } from '../../db/client.js';
import { importActivity, formatActivityReport, type ActivityImportReport } from '../../db/groups/import-activity.js';
import { importGroups, type GroupsImportReport } from '../../db/groups/import-groups.js';
import { scanGroups } from '../../jobs/zombie/evaluate.js';
import { diffReports, formatTable, previousReport, storeReport, toJsonReport, toStored } from '../../jobs/zombie/report.js';
import type { CliCommand } from './index.js';

/** Lines of a file, streamed (large exports are fine). */
export function fileLines(path: string): AsyncIterable<string> {
  return readline.createInterface({ input: fs.createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}

export function formatGroupsReport(r: GroupsImportReport, maxLines = 20): string {
  const out = [`读取 ${r.lines} 行：新增 ${r.inserted} 个群，更新 ${r.updated} 个，未变 ${r.unchanged} 个，拒绝 ${r.rejected} 行。`];
  for (const e of r.errors.slice(0, maxLines)) out.push(`第 ${e.line} 行：${e.reason}`);
  if (r.rejected > maxLines) out.push(`……另有 ${r.rejected - maxLines} 行被拒绝`);
  return out.join('\n');
}

/** `groups import <file>` */
export async function groupsImportCommand(db: Db, file: string, o: { now: Date }): Promise<string> {
  if (!fs.existsSync(file)) return `找不到文件：${file}`;
  return formatGroupsReport(await importGroups(db, fileLines(file), o));
}

/** `groups import-activity <file>` */
export async function groupsImportActivityCommand(db: Db, file: string, o: { now: Date; botSenderIds?: string[] }): Promise<string> {
  if (!fs.existsSync(file)) return `找不到文件：${file}`;
  return formatActivityReport(await importActivity(db, fileLines(file), o));
}

/**
 * `scan --dry-run [--now] [--json]`. JSON: `[{"chatid","name","verdict","signals":[…]}]`, nothing
 * written. Table: a readable table plus what changed since the previous run; the result is stored (in
 * scan_reports only) so the next run can compare. Nothing else is written either way.
 */
export async function scanReport(db: Db, o: { now: Date; json: boolean; defaultRegion: string }): Promise<string> {
  const res = await scanGroups(db, { now: o.now, dryRun: true, defaultRegion: o.defaultRegion });
  if (o.json) return JSON.stringify(toJsonReport(res.verdicts));
  const stored = toStored(res.verdicts);
  const prev = await previousReport(db);
  const lines = [`扫描预览（${o.now.toISOString()}，未写入任何建议、未发送卡片）`, formatTable(res.verdicts)];
  if (prev) {
    const diff = diffReports(prev.report, stored);
    lines.push('', `与上次（${prev.at}）相比：${diff.length ? '' : '没有变化'}`, ...diff);
  } else {
    lines.push('', '（首次运行，下次会显示变化）');
  }
  await storeReport(db, stored, true, o.now);
  return lines.join('\n');
}

export interface ActivityApiResult {
  status: 200 | 400 | 413;
  body: ActivityImportReport | { error: string };
}

/**
 * `POST /api/activity` with an ndjson body: imports and answers the report (200) — malformed lines are
 * listed in the report, not a failure. An empty body is 400; over `maxBytes` (default 50 MB) is 413.
 */
export async function activityApi(
  db: Db,
  body: string,
  o: { now: Date; botSenderIds?: string[]; maxBytes?: number },
): Promise<ActivityApiResult> {
  if (Buffer.byteLength(body) > (o.maxBytes ?? 50 * 1024 * 1024)) return { status: 413, body: { error: 'body too large' } };
  if (body.trim() === '') return { status: 400, body: { error: 'empty body: send one JSON object per line' } };
  return { status: 200, body: await importActivity(db, body.split('\n'), o) };
}

/** Parses `--now <ISO>`; undefined when absent, an Error when invalid. */
export function parseNow(v: string | undefined): Date | undefined | Error {
  if (v === undefined) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? new Error(`--now 时间格式不对：${v}（例：2026-06-01T09:00:00+08:00）`) : d;
}

/** CliCommand entries for bin/commands/index.ts `extraCommands`. */
export const groupsCliCommands: CliCommand[] = [
  {
    usage: 'groups import <file.ndjson>               导入群登记表',
    needsInfra: true,
    matches: (c, rest) => c === 'groups' && rest[0] === 'import',
    async run({ infra, args, print }) {
      const file = args[1];
      if (!file) return print('用法：groups import <file.ndjson>'), 2;
      print(await groupsImportCommand(infra!.db.db, file, { now: new Date() }));
      return 0;
    },
  },
  {
    usage: 'groups import-activity <file.ndjson>      导入群聊活动（会话存档导出）',
    needsInfra: true,
    matches: (c, rest) => c === 'groups' && rest[0] === 'import-activity',
    async run({ infra, args, print, config }) {
      const file = args[1];
      if (!file) return print('用法：groups import-activity <file.ndjson>'), 2;
      print(await groupsImportActivityCommand(infra!.db.db, file, { now: new Date(), botSenderIds: config.botSenderIds }));
      return 0;
    },
  },
  {
    usage: 'scan --dry-run [--now <ISO>] [--json]    僵尸群扫描预览（不写入、不发送）',
    needsInfra: true,
    matches: (c) => c === 'scan',
    async run({ infra, args, print, config }) {
      const { values } = parseArgs({
        args,
        options: { 'dry-run': { type: 'boolean', default: false }, now: { type: 'string' }, json: { type: 'boolean', default: false } },
      });
      if (!values['dry-run']) return print('目前只支持预览：scan --dry-run（正式扫描由每天 09:00 的定时任务执行）'), 2;
      const now = parseNow(values.now);
      if (now instanceof Error) return print(now.message), 2;
      print(await scanReport(infra!.db.db, { now: now ?? new Date(), json: values.json ?? false, defaultRegion: config.defaultRegion }));
      return 0;
    },
  },
];
