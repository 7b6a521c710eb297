import type { Router } from '../bot/router.js';
import type { AppDeps } from './deps.js';

export const FALLBACK_TEXT = '抱歉，这句话我还没听懂。可以换个说法，比如“村里能开居住证明吗”，或发送“帮助”看看我能做什么。';
export const EMPTY_TEXT = '您好，请问有什么可以帮您？比如“村里能开哪些证明”。发送“帮助”看示例。';

/** The last handler: a polite answer for text nobody else took. Events nobody handled stay silent. */
export function registerFallback(router: Router<AppDeps>): void {
  router.on('text', (ctx) => {
    ctx.replyText(ctx.text.trim() === '' ? EMPTY_TEXT : FALLBACK_TEXT);
  });
}
