/**
 * Clicks on zombie-group cards (`template_card_event` on the app callback):
 * - admin card (`zs-<id>`): 建议解散 / 保留 / 暂缓 — admins only ("无权限" otherwise); the first decision
 *   wins and updates the card for everyone; a later click gets "已处理" and changes nothing;
 * - owner card (`zd-<id>`): 已解散 — the owner (or an admin) confirms; customer groups are verified with
 *   groupchat/get.
 * Clicks on other cards are passed on (next()).
 */
import type { BotContext } from '../../bot/context.js';
import type { Next } from '../../bot/router.js';
import type { CardClickUpdate } from '../../bot/update.js';
import type { AppDeps } from '../deps.js';
import type { Decision } from '../../db/groups/decisions.js';
import { markDismissed } from '../../db/groups/decisions.js';
import { getSuggestion } from '../../db/groups/suggestions.js';
import { loadAdmins } from '../../jobs/zombie/admins.js';
import {
  ADMIN_TASK_PREFIX,
  KEY,
  OWNER_TASK_PREFIX,
  decidedCard,
  decidedText,
  ownerCard,
  parseTaskId,
} from '../../jobs/zombie/cards.js';
import { applyDecision, daysFrom, rulesForRegion } from './decide.js';

export const TEXT = {
  noPermission: '无权限：只有群清理管理员可以处理这张卡片。',
  unknownCard: '无法识别这张卡片（可能已失效），未做任何更改。',
  notOwner: '无权限：只有群主或管理员可以确认解散。',
};

const ADMIN_KEYS: Record<string, Decision> = { [KEY.approve]: 'approve', [KEY.keep]: 'keep', [KEY.snooze]: 'snooze' };

function isZombieClick(u: CardClickUpdate): boolean {
  return u.eventKey.startsWith('zombie:') || u.taskId.startsWith(ADMIN_TASK_PREFIX) || u.taskId.startsWith(OWNER_TASK_PREFIX);
}

export async function handleZombieCardClick(ctx: BotContext<AppDeps>, next: Next): Promise<void> {
  const u = ctx.update;
  if (u.type !== 'card_click' || !isZombieClick(u)) return next();
  if (u.eventKey === KEY.dissolved) return ownerClick(ctx, u);
  const decision = ADMIN_KEYS[u.eventKey];
  const { deps } = ctx;
  const admins = await loadAdmins(deps.db, deps.config.adminUserIds);
  if (!admins.isAdmin(u.userId)) {
    ctx.log.info({ userId: u.userId, taskId: u.taskId }, 'zombie card click by a non-admin refused');
    return ctx.replyText(TEXT.noPermission);
  }
  const id = parseTaskId(u.taskId, ADMIN_TASK_PREFIX);
  if (!decision || id === undefined) return ctx.replyText(TEXT.unknownCard);
  const now = deps.clock.now();
  const s0 = await getSuggestion(deps.db, id);
  if (!s0) return ctx.replyText(TEXT.unknownCard);
  const rulesDays = await rulesForRegion(deps, s0.region);
  const until = decision === 'keep' ? daysFrom(now, rulesDays.keep_days) : decision === 'snooze' ? daysFrom(now, rulesDays.snooze_days) : undefined;
  const out = await applyDecision(deps, {
    suggestionId: id,
    decision,
    actor: u.userId,
    reason: decision === 'keep' ? '管理员在卡片上选择保留' : undefined,
    until,
    responseCode: u.responseCode,
    now,
  });
  const r = out.result;
  if (r.kind === 'not_found') return ctx.replyText(TEXT.unknownCard);
  if (r.kind === 'already' || r.kind === 'dismissed') {
    const s = r.suggestion;
    const what = s?.decision && s.decidedBy && s.decidedAtMs ? `：${decidedText(s.decision, s.decidedBy, new Date(s.decidedAtMs))}` : '';
    return ctx.replyText(`已处理${what}，本次点击未做更改。`);
  }
  // On the app, applyDecision already updates the card for every recipient with the click's single-use
  // ResponseCode; a second update with the same code would fail. The AI bot updates passively.
  if (ctx.channel !== 'app') ctx.reply({ kind: 'card_update', card: decidedCard(r.suggestion, out.rules!, decision, u.userId, now) });
}

async function ownerClick(ctx: BotContext<AppDeps>, u: CardClickUpdate): Promise<void> {
  const { deps } = ctx;
  const id = parseTaskId(u.taskId, OWNER_TASK_PREFIX);
  const s = id === undefined ? undefined : await getSuggestion(deps.db, id);
  if (!s) return ctx.replyText(TEXT.unknownCard);
  const admins = await loadAdmins(deps.db, deps.config.adminUserIds);
  if (u.userId !== s.groupOwner && !admins.isAdmin(u.userId)) return ctx.replyText(TEXT.notOwner);
  if (s.state === 'dismissed' || s.groupStatus === 'dismissed') return ctx.replyText('已处理：该群已登记为解散，谢谢！');
  if (s.state !== 'approved') return ctx.replyText('该建议已撤销或改为保留，无需解散。');
  const now = deps.clock.now();
  let verifiedBy = 'owner';
  if (s.groupSource === 'customer' && deps.groupChatApi) {
    const still = await deps.groupChatApi.get(s.chatId);
    if (still) return ctx.replyText('系统显示该客户群仍然存在。请先在企业微信中解散，再点「已解散」。');
    verifiedBy = 'groupchat/get';
  }
  await markDismissed(deps.db, { groupId: s.groupId, actor: u.userId, verifiedBy, now });
  ctx.reply({ kind: 'card_update', card: { ...ownerCard(s, s.decidedBy ?? ''), replaceText: '已确认解散，感谢配合！' } });
}
