import type { Logger } from '../lib/log.js';
import { BotContext, BotError } from './context.js';
import type { OutboundPort } from './outbound.js';
import type { Reply } from './reply.js';
import { Router } from './router.js';
import type { Update } from './update.js';

/** Stores each handled update and its reply (wired by bin/ to the inbound_messages table). */
export type UpdateRecorder = (update: Update, reply: Reply, handlerMs: number) => Promise<void>;

export interface BotOptions<D> {
  deps: D;
  log: Logger;
  outbound: OutboundPort;
  recorder?: UpdateRecorder;
  /** What a user sees when a handler throws. */
  errorText?: string;
}

/**
 * The bot: a Router of handlers plus the means to run one update through it. Transport-free:
 * the HTTP receiver (bot/http) and tests both call `handleUpdate`.
 */
export class Bot<D> extends Router<D> {
  private errorHandler: (err: BotError) => void;

  constructor(private readonly opts: BotOptions<D>) {
    super();
    this.errorHandler = (err) => err.ctx.log.error({ err: err.error }, err.message);
  }

  /** Sets the one place handler errors go (grammY's bot.catch). */
  catch(handler: (err: BotError) => void): this {
    this.errorHandler = handler;
    return this;
  }

  async handleUpdate(update: Update): Promise<Reply> {
    const log = this.opts.log.child({ channel: update.channel, msgId: update.msgId ?? update.dedupeKey, type: update.type });
    const ctx = new BotContext<D>(update, this.opts.deps, log, this.opts.outbound);
    const started = performance.now();
    try {
      await this.run(ctx);
    } catch (error) {
      this.errorHandler(new BotError(error, ctx as BotContext<unknown>));
      if (update.type === 'text') ctx.replyText(this.opts.errorText ?? '抱歉，我这边出了点问题，请稍后再试一次。');
    }
    const ms = performance.now() - started;
    if (this.opts.recorder) {
      await this.opts.recorder(update, ctx.replyValue, Math.round(ms)).catch((err: Error) =>
        log.warn({ err: err.message }, 'could not record the inbound message'),
      );
    }
    return ctx.replyValue;
  }
}
