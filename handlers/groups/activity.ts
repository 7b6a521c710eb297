/**
 * Middleware: every AI-bot callback from a group (an @-mention, a card click…) records activity (chat
 * id, user, time, message id), so the bot learns which groups exist and when they were last used. It
 * runs alongside the rest of the handlers and never breaks answering: a database problem is logged and
 * ignored. A re-delivered callback (same message id) is recorded once.
 */
import type { BotContext } from '../../bot/context.js';
import type { Next } from '../../bot/router.js';
import type { AppDeps } from '../deps.js';
import { recordMention } from '../../db/groups/groups.js';

export async function recordGroupActivity(ctx: BotContext<AppDeps>, next: Next): Promise<void> {
  const u = ctx.update;
  let pending: Promise<void> | undefined;
  if (u.channel === 'aibot' && u.chatType === 'group' && u.chatId && u.userId) {
    pending = recordMention(ctx.deps.db, {
      chatId: u.chatId,
      userId: u.userId,
      msgId: u.msgId ?? u.dedupeKey,
      at: new Date(u.createTime * 1000),
    }).catch((err: unknown) => {
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err), chatId: u.chatId }, 'recording group activity failed');
    });
  }
  try {
    await next();
  } finally {
    if (pending) await pending;
  }
}
