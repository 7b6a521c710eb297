import type { Logger } from '../lib/log.js';
import type { Update } from './update.js';
import type { Reply } from './reply.js';
import type { OutboundPort } from './outbound.js';

/**
 * The per-update object handlers receive. `reply()` already knows the channel, chat and user;
 * `log` is a child logger carrying the message id. `deps` are whatever bin/ wired in.
 */
export class BotContext<D = unknown> {
  /** The reply given so far (the last call to reply() wins: a passive reply is a single message). */
  replyValue: Reply = { kind: 'none' };
  /** Words after a matched command (set by Router.command). */
  args = '';
  /** Free-form per-update state for middleware. */
  readonly state: Record<string, unknown> = {};

  constructor(
    readonly update: Update,
    readonly deps: D,
    readonly log: Logger,
    readonly outbound: OutboundPort,
  ) {}

  get channel() {
    return this.update.channel;
  }
  get userId() {
    return this.update.userId;
  }
  get chatId() {
    return this.update.chatId;
  }
  /** The text of a text update ('' otherwise). */
  get text(): string {
    return this.update.type === 'text' ? this.update.text : '';
  }

  reply(r: Reply): void {
    this.replyValue = r;
  }
  replyText(text: string): void {
    this.reply({ kind: 'text', text });
  }
  replyMarkdown(text: string): void {
    this.reply({ kind: 'markdown', text });
  }
}

/** An error thrown inside a handler, with the update it happened on (grammY's BotError). */
export class BotError extends Error {
  constructor(
    readonly error: unknown,
    readonly ctx: BotContext<unknown>,
  ) {
    super(`handler failed on ${ctx.update.channel}/${ctx.update.type}: ${error instanceof Error ? error.message : String(error)}`);
    this.name = 'BotError';
  }
}
