import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../lib/log.js';
import { WecomApiError } from './errors.js';
import { fetchWecomJson, type FetchFn } from './fetch-json.js';

export interface TokenCacheOptions {
  /** e.g. `https://qyapi.weixin.qq.com` (WECOM_API_BASE), no trailing slash. */
  baseUrl: string;
  corpId: string;
  /** The app secret. Only its hash goes into the Redis key; it is never logged. */
  secret: string;
  redis: Redis;
  /** Redis key prefix (REDIS_PREFIX). */
  prefix: string;
  log: Logger;
  /** Timeout of the gettoken request, ms. Default 5 000. */
  timeoutMs?: number;
  fetch?: FetchFn;
  /** Refresh this many seconds before `expires_in` runs out. Default 300 (capped at 10 % of `expires_in`). */
  refreshMarginSeconds?: number;
  /** How long the single-flight lock is held at most, ms. Default 10 000. */
  lockTtlMs?: number;
  /** How long a caller waits for another process's refresh before giving up, ms. Default 10 000. */
  waitTimeoutMs?: number;
  /** Poll interval while waiting for the lock holder, ms. Default 50. */
  pollMs?: number;
}

// Compare-and-delete: only the holder of the value may remove the key.
const DEL_IF_EQUAL = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The access token of one app (one corp id + secret), shared by every process through Redis.
 *
 * - `get()` returns the cached token, or fetches one with `gettoken`. Only one process fetches at
 *   a time (a `SET NX PX` lock); the others poll the cache until the holder has written it, for at
 *   most `waitTimeoutMs`. Within a process, concurrent callers share one promise.
 * - The cached token expires `refreshMarginSeconds` before WeCom's `expires_in`, so it is renewed
 *   before WeCom starts rejecting it.
 * - `invalidate(token)` drops the cached token only if it is still that token: when two processes
 *   both see 42001 for the same token, the second one finds the fresh token and does not refresh again.
 */
export class TokenCache {
  private readonly key: string;
  private readonly lockKey: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: FetchFn;
  private readonly marginSeconds: number;
  private readonly lockTtlMs: number;
  private readonly waitTimeoutMs: number;
  private readonly pollMs: number;
  private inflight: Promise<string> | undefined;

  constructor(private readonly opts: TokenCacheOptions) {
    const secretHash = createHash('sha256').update(opts.secret).digest('hex').slice(0, 16);
    this.key = `${opts.prefix}:wecom:token:${opts.corpId}:${secretHash}`;
    this.lockKey = `${this.key}:lock`;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.marginSeconds = opts.refreshMarginSeconds ?? 300;
    this.lockTtlMs = opts.lockTtlMs ?? 10_000;
    this.waitTimeoutMs = opts.waitTimeoutMs ?? 10_000;
    this.pollMs = opts.pollMs ?? 50;
  }

  /** The Redis key holding the token (for tests and diagnostics; contains no secret). */
  get redisKey(): string {
    return this.key;
  }

  /** A valid access token (cached, or freshly fetched by exactly one process). */
  async get(): Promise<string> {
    const cached = await this.opts.redis.get(this.key);
    if (cached) return cached;
    if (!this.inflight) {
      this.inflight = this.acquire().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** Forgets `token` if it is still the cached one. Returns true when it was removed. */
  async invalidate(token: string): Promise<boolean> {
    const n = await this.opts.redis.eval(DEL_IF_EQUAL, 1, this.key, token);
    return n === 1;
  }

  private async acquire(): Promise<string> {
    const { redis, log } = this.opts;
    const deadline = Date.now() + this.waitTimeoutMs;
    for (;;) {
      const cached = await redis.get(this.key);
      if (cached) return cached;
      const lockValue = randomBytes(12).toString('hex');
      const locked = await redis.set(this.lockKey, lockValue, 'PX', this.lockTtlMs, 'NX');
      if (locked === 'OK') {
        try {
          // Someone may have written the token between our GET and our lock.
          const again = await redis.get(this.key);
          if (again) return again;
          return await this.fetchAndStore();
        } finally {
          await redis.eval(DEL_IF_EQUAL, 1, this.lockKey, lockValue).catch((err: unknown) => {
            log.warn({ err: (err as Error).message }, 'could not release the token lock (it expires by itself)');
          });
        }
      }
      if (Date.now() >= deadline) {
        throw new WecomApiError('gettoken', -1, `timed out after ${this.waitTimeoutMs} ms waiting for another process to fetch the token`, {
          transport: 'timeout',
        });
      }
      await sleep(this.pollMs);
    }
  }

  private async fetchAndStore(): Promise<string> {
    const { baseUrl, corpId, secret, redis, log } = this.opts;
    const url = `${baseUrl}/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`;
    const started = Date.now();
    const res = await fetchWecomJson(this.fetchFn, url, 'gettoken', { httpMethod: 'GET', timeoutMs: this.timeoutMs });
    const token = res.access_token;
    const expiresIn = Number(res.expires_in);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new WecomApiError('gettoken', -1, 'answer has no access_token/expires_in', { transport: 'bad-json' });
    }
    const margin = Math.min(this.marginSeconds, expiresIn * 0.1);
    const ttlMs = Math.max(1, Math.floor((expiresIn - margin) * 1000));
    await redis.set(this.key, token, 'PX', ttlMs);
    log.info({ corpId, expiresIn, cachedForMs: ttlMs, ms: Date.now() - started }, 'wecom access token refreshed');
    return token;
  }
}
