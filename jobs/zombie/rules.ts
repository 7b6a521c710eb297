/**
 * Zombie-group rules: thresholds (stored per region, defaults here) and the verdict.
 * Every signal and guard is a pure function in ./signals.ts; this file combines them.
 */
import { SIGNALS, GUARDS, type GroupFacts, type Signal, type Guard } from './signals.js';

export type { GroupFacts, Signal, Guard };
export { daysBetween, shanghaiDate, shanghaiDateTime, shanghaiMidnight } from './time.js';

/** Thresholds of one region. Units are in the names; all are integers except the Jaccard ratio. */
export interface Rules {
  /** No activity for at least this many days → suggest (default 45). */
  idle_days: number;
  /** No activity for at least this many days → gentle notice (default 30). */
  notice_days: number;
  /** A temporary group is flagged when its task ended more than this many days ago (default 7). */
  task_grace_days: number;
  /** Member-set Jaccard similarity from which two groups are duplicates (default 0.9). */
  duplicate_jaccard: number;
  /** At most this many members → too small (default 2). */
  small_max_members: number;
  /** Window for broadcast-only detection, days (default 30). */
  broadcast_window_days: number;
  /** At least this many messages in the window, all from one sender → broadcast only (default 10). */
  broadcast_min_messages: number;
  /** Groups younger than this many days are never suggested (default 14). */
  min_age_days: number;
  /** Cards per admin per scan run; the rest wait for the next run (default 20). */
  cap_per_admin: number;
  /** "保留" exempts the group for this many days (default 90). */
  keep_days: number;
  /** "暂缓" re-evaluates the group after this many days (default 30). */
  snooze_days: number;
  /** Remind the owner after this many days without dissolving (default 3). */
  remind_days: number;
  /** Escalate to the admin after this many days (default 7). */
  escalate_days: number;
}

export const DEFAULT_RULES: Readonly<Rules> = Object.freeze({
  idle_days: 45,
  notice_days: 30,
  task_grace_days: 7,
  duplicate_jaccard: 0.9,
  small_max_members: 2,
  broadcast_window_days: 30,
  broadcast_min_messages: 10,
  min_age_days: 14,
  cap_per_admin: 20,
  keep_days: 90,
  snooze_days: 30,
  remind_days: 3,
  escalate_days: 7,
});

/** Chinese labels for the `规则` command. */
export const RULE_LABELS: Record<keyof Rules, string> = {
  idle_days: '无活动多少天建议清理',
  notice_days: '无活动多少天温馨提醒',
  task_grace_days: '临时群任务结束后宽限天数',
  duplicate_jaccard: '成员重合度（Jaccard）判为重复',
  small_max_members: '成员不超过几人算过小',
  broadcast_window_days: '单向通知统计窗口（天）',
  broadcast_min_messages: '单向通知最少消息数',
  min_age_days: '新建群保护期（天）',
  cap_per_admin: '每次扫描每位管理员最多卡片数',
  keep_days: '保留（豁免）天数',
  snooze_days: '暂缓天数',
  remind_days: '提醒群主间隔（天）',
  escalate_days: '升级给管理员（天）',
};

export function isRuleKey(k: string): k is keyof Rules {
  return Object.prototype.hasOwnProperty.call(DEFAULT_RULES, k);
}

/** Validates one new value; returns an error text (Chinese) or the parsed number. */
export function parseRuleValue(key: keyof Rules, raw: string): number | string {
  const v = Number(raw);
  if (!Number.isFinite(v)) return `「${raw}」不是数字`;
  if (key === 'duplicate_jaccard') {
    return v > 0 && v <= 1 ? v : '重合度应在 0 到 1 之间（如 0.9）';
  }
  if (!Number.isInteger(v) || v < 0 || v > 3650) return '请填 0 到 3650 之间的整数';
  return v;
}

/** Region rules = defaults overlaid by what is stored (unknown keys and bad values ignored). */
export function mergeRules(stored: unknown): Rules {
  const out: Rules = { ...DEFAULT_RULES };
  if (stored && typeof stored === 'object') {
    for (const [k, v] of Object.entries(stored as Record<string, unknown>)) {
      if (isRuleKey(k) && typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    }
  }
  return out;
}

export type Verdict = 'keep' | 'notice' | 'suggest';

export interface Evaluation {
  verdict: Verdict;
  signals: Signal[];
  guards: Guard[];
}

/**
 * Runs every signal and guard. Verdict: `suggest` when a suggest-level signal fires (idle ≥ idle_days,
 * task ended, duplicate) or at least two notice-level ones (idle ≥ notice_days, too small, broadcast
 * only); `notice` for a single notice-level signal; `keep` otherwise. Any guard (young, exempt,
 * snoozed) turns the verdict into `keep` — the signals are still reported so the reason is visible.
 */
export function evaluateGroup(f: GroupFacts, rules: Rules, now: Date): Evaluation {
  const signals: Signal[] = [];
  for (const s of SIGNALS) {
    const r = s(f, rules, now);
    if (r) signals.push(r);
  }
  const guards: Guard[] = [];
  for (const g of GUARDS) {
    const r = g(f, rules, now);
    if (r) guards.push(r);
  }
  const strong = signals.some((s) => s.level === 'suggest');
  const weak = signals.filter((s) => s.level === 'notice').length;
  let verdict: Verdict = strong || weak >= 2 ? 'suggest' : weak === 1 ? 'notice' : 'keep';
  if (guards.length > 0) verdict = 'keep';
  return { verdict, signals, guards };
}
