import { createHash } from 'node:crypto';
import type { BotContext } from '../../bot/context.js';
import type { Batcher } from '../../lib/batcher.js';
import type { QaQuestionRow } from '../../db/qa.js';
import type { Answer } from '../catalog-search/types.js';
import { formatAnswerMarkdown, formatAnswerText } from '../catalog-answers/format.js';
import { askOptions } from '../catalog-answers/other-parts.js';
import type { AppDeps } from '../deps.js';
import type { CatalogService } from './service.js';
import { askerRegion } from './region.js';
import { choiceCard, saveChoices } from './choices.js';

/** Stable id of a question (also the AI bot feedback id): the same delivery always gets the same id. */
export function questionId(channel: string, dedupeKey: string): string {
  return `q${createHash('sha1').update(`${channel}|${dedupeKey}`).digest('hex').slice(0, 24)}`;
}

export interface AskDeps {
  catalog: CatalogService;
  questions: Batcher<QaQuestionRow>;
}

/** Asks the engine in the asker's region (their binding, else the default). */
export async function ask(ctx: BotContext<AppDeps>, question: string, d: AskDeps): Promise<Answer> {
  const region = await askerRegion(ctx);
  return d.catalog.engine.ask(question, region ? { region } : {});
}

/** Answers `question` for the asker in `ctx` and replies in the channel's form; logs the question. */
export async function answerQuestion(ctx: BotContext<AppDeps>, question: string, d: AskDeps): Promise<Answer> {
  const answer = await ask(ctx, question, d);
  await respond(ctx, answer, d);
  return answer;
}

/** Replies with `answer` in the channel's form and logs the question. */
export async function respond(ctx: BotContext<AppDeps>, answer: Answer, d: AskDeps): Promise<void> {
  const id = questionId(ctx.channel, ctx.update.dedupeKey);
  d.questions.add({
    id,
    channel: ctx.channel,
    userId: ctx.userId || null,
    chatId: ctx.chatId ?? null,
    regionCode: answer.region.code,
    question: answer.question.slice(0, 500),
    normalized: answer.normalized.slice(0, 500),
    intent: answer.intent,
    answerKind: answer.kind,
    itemId: answer.kind === 'item' ? answer.item.id : null,
    confidence: answer.kind === 'item' ? answer.confidence : null,
    createdAt: ctx.deps.clock.now(),
  });
  if (answer.kind === 'not_found') ctx.log.info({ question: answer.question, reason: answer.reason }, 'catalog question not answered');

  if (answer.kind === 'ambiguous') {
    const options = askOptions(answer);
    if (ctx.channel === 'aibot' && ctx.update.type === 'text') {
      ctx.reply({ kind: 'card', card: choiceCard(`ask_${id}`, options), fallbackText: formatAnswerText(answer) });
      return;
    }
    await saveChoices(ctx.deps.redis, ctx.deps.config.redisPrefix, ctx.channel, ctx.userId, options).catch((err: Error) =>
      ctx.log.warn({ err: err.message }, 'could not keep the choices; the user can rephrase'),
    );
  }
  if (ctx.channel === 'aibot') ctx.reply({ kind: 'markdown', text: formatAnswerMarkdown(answer), feedbackId: id });
  else ctx.replyText(formatAnswerText(answer));
}
