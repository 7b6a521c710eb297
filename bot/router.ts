import type { BotContext } from './context.js';
import type { Update, UpdateType } from './update.js';

export type Next = () => Promise<void>;
export type Handler<D> = (ctx: BotContext<D>, next: Next) => unknown | Promise<unknown>;

/** Strips a leading '/' and full-width '／', so `/帮助` and `帮助` are the same command. */
export function stripCommandSlash(text: string): string {
  return text.replace(/^[/／]\s*/, '');
}

/**
 * Middleware composer in the style of grammY/koa: handlers run in registration order and call
 * `next()` to pass the update on. `bin/` registers handlers; `bot/` never imports them.
 */
export class Router<D> {
  private readonly stack: Handler<D>[] = [];

  use(...handlers: Handler<D>[]): this {
    this.stack.push(...handlers);
    return this;
  }

  /** Runs `handler` for updates of the given type(s). */
  on<T extends UpdateType>(type: T | T[], handler: Handler<D>): this {
    const types = new Set<UpdateType>(Array.isArray(type) ? type : [type]);
    return this.use((ctx, next) => (types.has(ctx.update.type) ? handler(ctx, next) : next()));
  }

  /**
   * Runs `handler` for text starting with one of `names` (with or without a leading '/'),
   * followed by the end of text or whitespace. The rest of the text is `ctx.args`.
   */
  command(names: string | string[], handler: Handler<D>): this {
    const list = Array.isArray(names) ? names : [names];
    return this.use((ctx, next) => {
      if (ctx.update.type !== 'text') return next();
      const text = stripCommandSlash(ctx.update.text);
      for (const name of list) {
        if (text === name || (text.startsWith(name) && /^\s/.test(text.slice(name.length)))) {
          ctx.args = text.slice(name.length).trim();
          return handler(ctx, next);
        }
      }
      return next();
    });
  }

  /** Runs the stack for one context. */
  async run(ctx: BotContext<D>): Promise<void> {
    const dispatch = async (i: number): Promise<void> => {
      const h = this.stack[i];
      if (!h) return;
      let called = false;
      await h(ctx, async () => {
        if (called) throw new Error('next() called twice');
        called = true;
        await dispatch(i + 1);
      });
    };
    await dispatch(0);
  }
}

export type { Update };
