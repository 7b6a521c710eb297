import type { Redis } from 'ioredis';
import type { Logger } from '../../lib/log.js';
import type { RateDecision } from './public-routes.js';

/**
 * A per-IP fixed-window limiter in Redis (default 60 requests per minute), shared by every web
 * process. One round trip per request (INCR + PEXPIRE NX in a pipeline). If Redis is unavailable the
 * request is allowed (and logged once a minute): the public page must not go down with Redis.
 */
export function createIpRateLimiter(
  redis: Redis,
  prefix: string,
  o: { limit?: number; windowMs?: number; log?: Logger; now?: () => number } = {},
): (ip: string) => Promise<RateDecision> {
  const limit = o.limit ?? 60;
  const windowMs = o.windowMs ?? 60_000;
  const now = o.now ?? Date.now;
  let lastWarn = 0;
  return async (ip: string): Promise<RateDecision> => {
    const t = now();
    const win = Math.floor(t / windowMs);
    const retryAfterSec = Math.max(1, Math.ceil(((win + 1) * windowMs - t) / 1000));
    const key = `${prefix}:rl:public:${ip.slice(0, 64)}:${win}`;
    try {
      const res = await redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec();
      const count = Number(res?.[0]?.[1] ?? 0);
      return { allowed: count <= limit, limit, remaining: limit - count, retryAfterSec };
    } catch (err) {
      if (t - lastWarn > 60_000) {
        lastWarn = t;
        o.log?.warn({ err: (err as Error).message }, 'rate limiter unavailable (Redis); allowing public requests');
      }
      return { allowed: true, limit, remaining: limit, retryAfterSec };
    }
  };
}
