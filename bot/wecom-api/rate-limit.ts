import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { OutboundRequest } from '../outbound.js';

/**
 * Client-side send limits, kept in Redis so every worker process shares them.
 *
 * WeCom silently DROPS app messages beyond 30/min or 1,000/h per member (no error), and answers
 * 45009 for webhook robots beyond 20/min. So we count before sending: a sliding window (a sorted
 * set of send times) per recipient and window, checked and reserved atomically in one Lua script.
 */

/** At most `max` sends within any `windowMs`. */
export interface WindowLimit {
  windowMs: number;
  max: number;
}

/** App messages (`message/send`): per app, per member. */
export const APP_MEMBER_LIMITS: readonly WindowLimit[] = [
  { windowMs: 60_000, max: 30 },
  { windowMs: 3_600_000, max: 1_000 },
];

/** Group-robot webhook: per key. */
export const WEBHOOK_LIMITS: readonly WindowLimit[] = [{ windowMs: 60_000, max: 20 }];

/** One thing that is limited (a member of an app, a webhook key) and its windows. */
export interface RateLimitScope {
  id: string;
  limits: readonly WindowLimit[];
}

/**
 * Scopes for an app message: every member of a `touser` list (`a|b|c`) counts, `@all` counts as
 * one scope. `toparty`/`totag` cannot be expanded to members here and are not counted.
 */
export function appMessageScopes(agentId: number, touser: unknown, limits: readonly WindowLimit[] = APP_MEMBER_LIMITS): RateLimitScope[] {
  if (typeof touser !== 'string') return [];
  const members = new Set(
    touser
      .split('|')
      .map((u) => u.trim().toLowerCase()) // WeCom userids are case-insensitive (answers come back lower-cased)
      .filter(Boolean),
  );
  return [...members].map((m) => ({ id: `app:${agentId}:${m}`, limits }));
}

/** Scope for a webhook key (the key is a secret: only its hash is used). */
export function webhookScopes(key: string, limits: readonly WindowLimit[] = WEBHOOK_LIMITS): RateLimitScope[] {
  const h = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return [{ id: `webhook:${h}`, limits }];
}

/** The scopes an outbound request counts against (none for card updates and 微信客服). */
export function scopesForRequest(
  req: OutboundRequest,
  agentId: number,
  limits: { app?: readonly WindowLimit[]; webhook?: readonly WindowLimit[] } = {},
): RateLimitScope[] {
  switch (req.method) {
    case 'message/send':
      return appMessageScopes(agentId, req.body.touser, limits.app);
    case 'webhook/send':
      return webhookScopes(req.webhookKey, limits.webhook);
    default:
      return [];
  }
}

// KEYS: one per (scope, window). ARGV: now, member, then windowMs,max per key.
// Phase 1 prunes and checks every key; phase 2 reserves only if all have room (all or nothing).
// A member already present (a retry of the same job) holds its slot and is not counted again.
const RESERVE = `
local now = tonumber(ARGV[1])
local member = ARGV[2]
local wait = 0
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[1 + 2 * i])
  local max = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if not redis.call('ZSCORE', key, member) then
    local n = redis.call('ZCARD', key)
    if n >= max then
      local entry = redis.call('ZRANGE', key, n - max, n - max, 'WITHSCORES')
      local w = tonumber(entry[2]) + window - now
      if w < 1 then w = 1 end
      if w > wait then wait = w end
    end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[1 + 2 * i])
  redis.call('ZADD', key, 'NX', now, member)
  redis.call('PEXPIRE', key, window)
end
return 0
`;

/**
 * Reserves one send for `member` (use the job id, so a retried job keeps its slot) in every scope.
 * Returns 0 when reserved, or how many ms to wait before trying again (nothing reserved then).
 * `now` is epoch ms (pass `clock.now().getTime()`).
 */
export async function reserveSendSlot(
  redis: Redis,
  prefix: string,
  scopes: readonly RateLimitScope[],
  now: number,
  member: string,
): Promise<number> {
  const keys: string[] = [];
  const args: (string | number)[] = [Math.floor(now), member];
  for (const s of scopes) {
    for (const l of s.limits) {
      keys.push(`${prefix}:wecom:rl:${s.id}:${l.windowMs}`);
      args.push(l.windowMs, l.max);
    }
  }
  if (keys.length === 0) return 0;
  const wait = await redis.eval(RESERVE, keys.length, ...keys, ...args);
  return Number(wait);
}
