import type { Router } from '../../bot/router.js';
import { insertQuestions, recordFeedback, type QaQuestionRow } from '../../db/qa.js';
import { Batcher } from '../../lib/batcher.js';
import type { AppDeps } from '../deps.js';
import { answerQuestion, ask, respond } from './ask.js';
import { choiceNumber, takeChoice } from './choices.js';
import { registerCatalogAdmin } from './admin-commands.js';
import type { CatalogService } from './service.js';
import { templateCardReplaced } from './card.js';

export { CatalogService } from './service.js';

/** Handles catalog Q&A; returns a closer that flushes the question log. */
export function registerCatalogQa(router: Router<AppDeps>, deps: AppDeps, catalog: CatalogService): { close(): Promise<void> } {
  const questions = new Batcher<QaQuestionRow>((rows) => insertQuestions(deps.db, rows), {
    maxItems: 100,
    maxDelayMs: 200,
    onError: (err, count) => deps.log.error({ err, count }, 'could not store catalog questions'),
  });
  const d = { catalog, questions };

  registerCatalogAdmin(router, catalog, () => questions.flush());

  // A reply of 1/2/3 to a "您是想问" list (app, kf-style channels).
  router.on('text', async (ctx, next) => {
    const n = choiceNumber(ctx.text);
    if (n === undefined) return next();
    const picked = await takeChoice(ctx.deps.redis, ctx.deps.config.redisPrefix, ctx.channel, ctx.userId, n).catch(() => undefined);
    if (!picked) return next();
    await answerQuestion(ctx, picked.query, d);
  });

  // A click on the AI bot's "您是想问" card: grey the card out, answer through response_url.
  router.on('card_click', async (ctx, next) => {
    const u = ctx.update;
    if (u.type !== 'card_click' || !u.taskId.startsWith('ask_')) return next();
    if (!u.eventKey) return;
    const replyCtx = Object.create(ctx) as typeof ctx;
    let answerText = '';
    replyCtx.reply = (r) => {
      if (r.kind === 'markdown' || r.kind === 'text') answerText = r.text;
    };
    const answer = await answerQuestion(replyCtx, u.eventKey, d);
    const label = answer.kind === 'item' ? `${answer.item.id} ${answer.item.name}` : u.eventKey;
    ctx.reply({ kind: 'card_update', card: templateCardReplaced(u.taskId, `已选择：${label}`) });
    if (u.responseUrl && answerText) {
      await ctx.outbound.enqueue({
        method: 'aibot/response',
        jobId: `resp-${u.taskId}-${u.eventKey.replace(/[^0-9A-Za-z_-]/g, '')}`.slice(0, 100),
        url: u.responseUrl,
        body: { msgtype: 'markdown', markdown: { content: answerText } },
      });
    }
  });

  // 👍/👎 on an AI-bot answer (only an empty reply is allowed).
  router.on('feedback', async (ctx) => {
    const u = ctx.update;
    if (u.type !== 'feedback') return;
    await questions.flush(); // the question may still be waiting in the write-behind batch
    const ok = await recordFeedback(ctx.deps.db, { id: u.feedbackId, type: u.feedbackType, reasons: u.reasons, content: u.content, at: ctx.deps.clock.now() });
    if (!ok) ctx.log.info({ feedbackId: u.feedbackId }, 'feedback for an unknown question');
  });

  // Everything else that is text is a catalog question, unless the engine says it is another command.
  router.on('text', async (ctx, next) => {
    const text = ctx.text.trim();
    if (!text) return next();
    const answer = await ask(ctx, text, d);
    if (answer.kind === 'command') return next();
    await respond(ctx, answer, d);
  });

  return { close: () => questions.close() };
}
