/**
 * What admins and owners see: the suggestion card, its decided state, the owner's "please dissolve"
 * card and the gentle in-group notice. Texts are Chinese, short and explain the evidence.
 */
import type { ButtonCard } from '../../bot/reply.js';
import { templateCardJson } from '../../bot/cards.js';
import type { SuggestionSnapshot } from '../../db/groups/suggestions.js';
import type { Rules } from './rules.js';
import { shanghaiDate, shanghaiDateTime } from './time.js';

/** Button keys and task id prefixes (parsed back by the card-click handler). */
export const KEY = { approve: 'zombie:approve', keep: 'zombie:keep', snooze: 'zombie:snooze', dissolved: 'zombie:dissolved' } as const;
export const ADMIN_TASK_PREFIX = 'zs-';
export const OWNER_TASK_PREFIX = 'zd-';

export function adminTaskId(suggestionId: number): string {
  return `${ADMIN_TASK_PREFIX}${suggestionId}`;
}
export function ownerTaskId(suggestionId: number): string {
  return `${OWNER_TASK_PREFIX}${suggestionId}`;
}

/** The suggestion id in a task id with the given prefix, or undefined for anything else. */
export function parseTaskId(taskId: string, prefix: string): number | undefined {
  if (!taskId.startsWith(prefix)) return undefined;
  const rest = taskId.slice(prefix.length);
  if (!/^[1-9]\d{0,15}$/.test(rest)) return undefined;
  return Number(rest);
}

export interface CardSuggestion {
  id: number;
  signals: { code: string; evidence: string }[];
  snapshot: SuggestionSnapshot;
}

function groupLabel(s: SuggestionSnapshot): string {
  return s.name ?? s.chatId;
}

function lastActivity(s: SuggestionSnapshot): string {
  return s.lastActivityMs === null || s.lastActivityMs === undefined ? '无记录' : shanghaiDate(new Date(s.lastActivityMs));
}

/** The admin card: group, evidence, last activity, members; 建议解散 / 保留N天 / 暂缓N天. */
export function suggestionCard(s: CardSuggestion, rules: Pick<Rules, 'keep_days' | 'snooze_days'>): ButtonCard {
  const snap = s.snapshot;
  return {
    cardType: 'button_interaction',
    taskId: adminTaskId(s.id),
    title: '群清理建议',
    description: groupLabel(snap),
    subtitle: s.signals.map((x) => `· ${x.evidence}`).join('\n'),
    fields: [
      { key: '群', value: groupLabel(snap) },
      { key: '最后活动', value: lastActivity(snap) },
      { key: '成员', value: snap.memberCount === null || snap.memberCount === undefined ? '未知' : `${snap.memberCount} 人` },
      ...(snap.orgUnit ? [{ key: '单位', value: snap.orgUnit }] : []),
      ...(snap.owner ? [{ key: '群主', value: snap.owner }] : []),
    ],
    buttons: [
      { text: '建议解散', key: KEY.approve, style: 3 },
      { text: `保留${rules.keep_days}天`, key: KEY.keep, style: 2 },
      { text: `暂缓${rules.snooze_days}天`, key: KEY.snooze, style: 2 },
    ],
  };
}

const DECISION_WORDS: Record<string, string> = { approve: '建议解散', keep: '保留', snooze: '暂缓', exempt: '豁免' };

/** "已由〈管理员〉于〈时间〉选择保留" */
export function decidedText(decision: string, by: string, at: Date): string {
  return `已由${by}于${shanghaiDateTime(at)}选择${DECISION_WORDS[decision] ?? decision}`;
}

/** The same card, decided: buttons replaced by who decided what and when. */
export function decidedCard(s: CardSuggestion, rules: Pick<Rules, 'keep_days' | 'snooze_days'>, decision: string, by: string, at: Date): ButtonCard {
  return { ...suggestionCard(s, rules), replaceText: decidedText(decision, by, at) };
}

/** `message/send` body of a card to several users (app). */
export function cardSendBody(card: ButtonCard, touser: readonly string[]): Record<string, unknown> {
  return { touser: touser.join('|'), msgtype: 'template_card', template_card: templateCardJson(card, 'app') };
}

/** `message/update_template_card` body: replace the card for all its recipients. */
export function cardUpdateBody(card: ButtonCard, userids: readonly string[], responseCode: string): Record<string, unknown> {
  return { userids: [...userids], response_code: responseCode, template_card: templateCardJson(card, 'app') };
}

/** The owner's card: please dissolve the group, then tap 已解散. */
export function ownerCard(s: CardSuggestion, admin: string): ButtonCard {
  const snap = s.snapshot;
  return {
    cardType: 'button_interaction',
    taskId: ownerTaskId(s.id),
    title: '请协助解散群聊',
    description: groupLabel(snap),
    subtitle: `管理员 ${admin} 建议解散此群：\n${s.signals.map((x) => `· ${x.evidence}`).join('\n') || '· 管理员决定'}\n解散后请点「已解散」。如需保留，请联系管理员。`,
    fields: [
      { key: '群', value: groupLabel(snap) },
      { key: '最后活动', value: lastActivity(snap) },
    ],
    buttons: [{ text: '已解散', key: KEY.dissolved, style: 1 }],
  };
}

/** Text of the gentle in-group notice (webhook). */
export function noticeText(name: string | null, evidence: string[]): string {
  return `温馨提示：本群${name ? `「${name}」` : ''}${evidence.join('；')}。如本群已不再需要，可由群主解散；如仍在使用，请忽略本提示。`;
}

/** Reminder to the owner (after remind_days). */
export function reminderText(s: CardSuggestion): string {
  return `提醒：管理员建议解散的群「${groupLabel(s.snapshot)}」尚未解散。解散后请在之前的卡片上点「已解散」；如需保留，请联系管理员。`;
}

/** Escalation to the admins (after escalate_days). */
export function escalationText(s: CardSuggestion, owner: string | null, days: number): string {
  return `群「${groupLabel(s.snapshot)}」已建议解散 ${days} 天，群主 ${owner ?? '（未知）'} 仍未确认解散。可回复「撤销 ${groupLabel(s.snapshot)}」或直接联系群主。`;
}
