import { getBinding } from '../../db/qa.js';
import type { BotContext } from '../../bot/context.js';
import type { AppDeps } from '../deps.js';

const TTL_MS = 60_000;
const cache = new Map<string, { code: string | undefined; at: number }>();

/** Forgets a cached binding (after `绑定` in this process). */
export function forgetBinding(scope: 'group' | 'user', subject: string): void {
  cache.delete(`${scope}:${subject}`);
}

async function binding(deps: AppDeps, scope: 'group' | 'user', subject: string): Promise<string | undefined> {
  const key = `${scope}:${subject}`;
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && now - hit.at < TTL_MS) return hit.code;
  const code = await getBinding(deps.db, scope, subject).catch(() => undefined);
  cache.set(key, { code, at: now });
  return code;
}

/**
 * The asker's region: the group's binding, else the user's, else undefined (the engine then uses
 * DEFAULT_REGION and says so). Bindings are cached for a minute.
 */
export async function askerRegion(ctx: BotContext<AppDeps>): Promise<string | undefined> {
  if (ctx.chatId) {
    const g = await binding(ctx.deps, 'group', ctx.chatId);
    if (g) return g;
  }
  return ctx.userId ? binding(ctx.deps, 'user', ctx.userId) : undefined;
}
