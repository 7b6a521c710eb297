import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/log.js';

const PENDING = '\u0000pending';

/**
 * Claim-or-read in one round trip: returns false when the key was free (now claimed as pending),
 * else the stored value (pending or a reply).
 */
const CLAIM_SCRIPT = `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false`;

type ClaimingRedis = Redis & { dedupeClaim(key: string, pending: string, ttl: number): Promise<string | null> };

function withClaim(redis: Redis): ClaimingRedis {
  const r = redis as ClaimingRedis;
  if (typeof r.dedupeClaim !== 'function') r.defineCommand('dedupeClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  return r;
}

export interface DedupeResult {
  /** The reply plaintext ('' = empty body). */
  reply: string;
  /** True when this delivery was a re-delivery and the handler did not run. */
  duplicate: boolean;
}

export interface DedupeOptions {
  /** How long a key is remembered, seconds (default 3600: WeCom re-delivers within minutes). */
  ttlSeconds?: number;
  /** How long a concurrent delivery waits for the first one's reply, ms (default 4500, under WeCom's 5 s). */
  waitMs?: number;
  /** Redis command timeout before treating Redis as down, ms (default 500). */
  redisTimeoutMs?: number;
}

/**
 * Runs a handler once per delivery key across concurrent deliveries and processes (Redis), and gives
 * every re-delivery within the TTL the same reply. When Redis is unreachable the handler runs anyway
 * (answering matters more than dedupe) and the outage is logged.
 */
export class Deduper {
  private readonly ttl: number;
  private readonly waitMs: number;
  private readonly redisTimeoutMs: number;

  constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix: string,
    private readonly log: Logger,
    opts: DedupeOptions = {},
  ) {
    this.ttl = opts.ttlSeconds ?? 3600;
    this.waitMs = opts.waitMs ?? 4500;
    this.redisTimeoutMs = opts.redisTimeoutMs ?? 500;
  }

  private key(k: string): string {
    return `${this.prefix}:dedupe:${createHash('sha1').update(k).digest('hex')}`;
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('redis timeout')), this.redisTimeoutMs);
      p.then(
        (v) => {
          clearTimeout(t);
          resolve(v);
        },
        (e) => {
          clearTimeout(t);
          reject(e);
        },
      );
    });
  }

  async run(deliveryKey: string, handler: () => Promise<string>): Promise<DedupeResult> {
    const key = this.key(deliveryKey);
    let existing: string | null;
    try {
      if (!this.redis) throw new Error('no redis');
      existing = await this.withTimeout(withClaim(this.redis).dedupeClaim(key, PENDING, this.ttl));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'dedupe unavailable (Redis down?): handling without dedupe');
      return { reply: await handler(), duplicate: false };
    }
    if (existing === null) {
      let reply: string;
      try {
        reply = await handler();
      } catch (err) {
        await this.redis!.del(key).catch(() => {});
        throw err;
      }
      // Not awaited: the answer goes out now; a concurrent re-delivery polls until the reply is stored.
      this.redis!.set(key, reply, 'EX', this.ttl).catch((err: Error) =>
        this.log.warn({ err: err.message }, 'could not store reply for dedupe'),
      );
      return { reply, duplicate: false };
    }
    if (existing !== PENDING) return { reply: existing, duplicate: true };
    // Someone else has (or had) it: wait for their reply.
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      let v: string | null;
      try {
        v = await this.withTimeout(this.redis!.get(key));
      } catch {
        v = null;
      }
      if (v !== null && v !== PENDING) return { reply: v, duplicate: true };
      if (v === null) {
        // The first delivery failed and released the key: try to take over.
        return this.run(deliveryKey, handler);
      }
      if (Date.now() > deadline) return { reply: '', duplicate: true };
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
