/**
 * Each signal and guard is a pure function of what we know about one group (GroupFacts), the
 * region's rules and the current time. A signal returns `{code, evidence, level}` with a one-line
 * Chinese evidence string, or null; a guard returns `{code, evidence}` or null.
 */
import type { Rules } from './rules.js';
import { daysBetween, shanghaiDate, shanghaiMidnight } from './time.js';

export interface GroupFacts {
  chatId: string;
  name: string | null;
  kind: string; // 'standing' | 'temporary'
  /** YYYY-MM-DD (Asia/Shanghai) or null. */
  taskEnd: string | null;
  /** Creation time, or when the bot first heard of the group when unknown. */
  createdAt: Date;
  /** null when the member list is unknown. */
  memberCount: number | null;
  /** Last message by anyone but the bot, up to `now`; null when none is known. */
  lastActivityAt: Date | null;
  /** Messages (not the bot's) in the broadcast window. */
  recentMessages: number;
  /** Distinct senders in the broadcast window. */
  recentSenders: number;
  /** The only sender in the window when recentSenders is 1. */
  soleSender: string | null;
  /** Another active group of the same org unit whose member set is nearly identical. */
  duplicateOf: { name: string; chatId: string; jaccard: number } | null;
  exemption: { reason: string; until: Date } | null;
  snoozedUntil: Date | null;
}

export interface Signal {
  code: 'idle' | 'task_ended' | 'duplicate' | 'too_small' | 'broadcast_only';
  evidence: string;
  /** `suggest`: enough alone for a card; `notice`: a gentle notice (two of them make a card). */
  level: 'suggest' | 'notice';
}

export interface Guard {
  code: 'too_new' | 'exempt' | 'snoozed';
  evidence: string;
}

export type SignalFn = (f: GroupFacts, r: Rules, now: Date) => Signal | null;
export type GuardFn = (f: GroupFacts, r: Rules, now: Date) => Guard | null;

const day = (d: Date) => shanghaiDate(d);

/** No activity for ≥ idle_days (suggest) or ≥ notice_days (notice). Counted from creation when silent. */
export const idleSignal: SignalFn = (f, r, now) => {
  const since = f.lastActivityAt ?? f.createdAt;
  const days = daysBetween(since, now);
  const level = days >= r.idle_days ? 'suggest' : days >= r.notice_days ? 'notice' : null;
  if (!level) return null;
  const evidence = f.lastActivityAt
    ? `已 ${days} 天无人发言（最后一次 ${day(f.lastActivityAt)}）`
    : `建群以来没有任何发言记录（已 ${days} 天）`;
  return { code: 'idle', evidence, level };
};

/** A temporary group whose task ended more than task_grace_days ago. */
export const taskEndedSignal: SignalFn = (f, r, now) => {
  if (f.kind !== 'temporary' || !f.taskEnd) return null;
  const end = shanghaiMidnight(f.taskEnd);
  if (Number.isNaN(end.getTime())) return null;
  const days = daysBetween(end, shanghaiMidnight(shanghaiDate(now)));
  if (days <= r.task_grace_days) return null;
  return { code: 'task_ended', evidence: `临时任务已于 ${f.taskEnd} 结束（${days} 天前）`, level: 'suggest' };
};

/** Member set nearly identical to another active group of the same org unit (see duplicates.ts). */
export const duplicateSignal: SignalFn = (f, r) => {
  const d = f.duplicateOf;
  if (!d || d.jaccard < r.duplicate_jaccard) return null;
  const pct = Math.floor(d.jaccard * 100);
  return {
    code: 'duplicate',
    evidence: `与「${d.name}」成员重合 ${pct}%，建议合并到该群`,
    level: 'suggest',
  };
};

/** At most small_max_members members. */
export const tooSmallSignal: SignalFn = (f, r) => {
  if (f.memberCount === null || f.memberCount > r.small_max_members) return null;
  return { code: 'too_small', evidence: `仅 ${f.memberCount} 名成员`, level: 'notice' };
};

/** In the window, ≥ broadcast_min_messages messages and all of them from one sender. */
export const broadcastOnlySignal: SignalFn = (f, r) => {
  if (f.recentMessages < r.broadcast_min_messages || f.recentSenders !== 1) return null;
  const who = f.soleSender ? `均由 ${f.soleSender} 发出` : '均由同一人发出';
  return {
    code: 'broadcast_only',
    evidence: `近 ${r.broadcast_window_days} 天 ${f.recentMessages} 条消息${who}，无人回应`,
    level: 'notice',
  };
};

/** Created less than min_age_days ago. */
export const tooNewGuard: GuardFn = (f, r, now) => {
  const age = daysBetween(f.createdAt, now);
  if (age >= r.min_age_days) return null;
  return { code: 'too_new', evidence: `建群仅 ${age} 天（保护期 ${r.min_age_days} 天）` };
};

/** Exempt and not expired. */
export const exemptGuard: GuardFn = (f, _r, now) => {
  const e = f.exemption;
  if (!e || e.until.getTime() <= now.getTime()) return null;
  return { code: 'exempt', evidence: `已豁免至 ${day(e.until)}（${e.reason}）` };
};

/** Snoozed and the snooze not yet over. */
export const snoozedGuard: GuardFn = (f, _r, now) => {
  if (!f.snoozedUntil || f.snoozedUntil.getTime() <= now.getTime()) return null;
  return { code: 'snoozed', evidence: `已暂缓至 ${day(f.snoozedUntil)}` };
};

export const SIGNALS: readonly SignalFn[] = [idleSignal, taskEndedSignal, duplicateSignal, tooSmallSignal, broadcastOnlySignal];
export const GUARDS: readonly GuardFn[] = [tooNewGuard, exemptGuard, snoozedGuard];
