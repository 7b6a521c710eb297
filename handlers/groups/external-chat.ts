/**
 * `change_external_chat` (customer groups): create / update keep the group and its members current
 * (from groupchat/get when the API is available, else from the event's member list); dismiss records
 * the dissolution with a member snapshot (this is also the verification of an approved suggestion).
 */
import type { BotContext } from '../../bot/context.js';
import type { Next } from '../../bot/router.js';
import type { AppDeps } from '../deps.js';
import { changeMembers, getGroupByChatId, upsertCustomerGroups } from '../../db/groups/groups.js';
import { markDismissed } from '../../db/groups/decisions.js';

export async function handleExternalChatChange(ctx: BotContext<AppDeps>, next: Next): Promise<void> {
  const u = ctx.update;
  if (u.type !== 'external_chat_change') return next();
  const { deps } = ctx;
  const now = deps.clock.now();
  const chatId = u.externalChatId;
  if (!chatId) return;
  const minimal = { chatId, name: null, owner: null, createTime: u.changeType === 'create' ? u.createTime : null, members: null };
  if (u.changeType === 'dismiss') {
    if (!(await getGroupByChatId(deps.db, chatId))) await upsertCustomerGroups(deps.db, [minimal], now);
    const g = await getGroupByChatId(deps.db, chatId);
    if (g) await markDismissed(deps.db, { groupId: g.id, actor: 'wecom', verifiedBy: 'change_external_chat', now });
    return;
  }
  let details = undefined;
  if (deps.groupChatApi) {
    try {
      details = await deps.groupChatApi.get(chatId);
    } catch (err) {
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err), chatId }, 'groupchat/get failed; using the event only');
    }
  }
  await upsertCustomerGroups(deps.db, [details ?? minimal], now);
  if (!details && u.changeType === 'update' && u.memberChangeList?.length) {
    const add = u.updateDetail === 'add_member' ? u.memberChangeList : [];
    const del = u.updateDetail === 'del_member' ? u.memberChangeList : [];
    if (add.length || del.length) await changeMembers(deps.db, chatId, add, del);
  }
}
