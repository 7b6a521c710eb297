import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Redis } from 'ioredis';
import {
  APP_MEMBER_LIMITS,
  appMessageScopes,
  reserveSendSlot,
  scopesForRequest,
  webhookScopes,
} from '../bot/wecom-api/rate-limit.js';
import { testPrefix, testRedis } from './support/redis.js';

const T0 = Date.parse('2025-03-03T09:00:00+08:00');

describe('client-side send limits (Redis sliding windows)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('lets 30 app messages to one member through within a minute; the 31st waits until the first leaves the window', async () => {
    const prefix = testPrefix();
    const scopes = appMessageScopes(1000002, 'alice');
    for (let i = 0; i < 30; i++) {
      expect(await reserveSendSlot(redis, prefix, scopes, T0 + i * 1_000, `job-${i}`)).toBe(0);
    }
    const wait = await reserveSendSlot(redis, prefix, scopes, T0 + 30_000, 'job-30');
    expect(wait).toBe(30_000); // the first send (T0) leaves the 60 s window at T0 + 60 s
    // nothing was reserved for the refused one: at T0 + 60 s it goes through
    expect(await reserveSendSlot(redis, prefix, scopes, T0 + 60_000, 'job-30')).toBe(0);
    // another member is not affected
    expect(await reserveSendSlot(redis, prefix, appMessageScopes(1000002, 'bob'), T0 + 30_000, 'job-b')).toBe(0);
  });

  it('counts every member of a touser list, all or nothing', async () => {
    const prefix = testPrefix();
    for (let i = 0; i < 30; i++) await reserveSendSlot(redis, prefix, appMessageScopes(1, 'alice'), T0 + i, `a-${i}`);
    expect(await reserveSendSlot(redis, prefix, appMessageScopes(1, 'bob|ALICE|carol'), T0 + 100, 'group-1')).toBeGreaterThan(0);
    // bob and carol were not charged for the refused message: each still has 30 sends
    for (let i = 0; i < 30; i++) {
      expect(await reserveSendSlot(redis, prefix, appMessageScopes(1, 'bob|carol'), T0 + 200 + i, `bc-${i}`)).toBe(0);
    }
    expect(await reserveSendSlot(redis, prefix, appMessageScopes(1, 'carol'), T0 + 300, 'c-31')).toBeGreaterThan(0);
  });

  it('enforces 1,000 per hour per member even when every minute stays under 30', async () => {
    const prefix = testPrefix();
    const scopes = appMessageScopes(7, 'dave');
    const step = 2_100; // ≤ 29 per minute; 1,000 sends take 35 min
    for (let i = 0; i < 1_000; i++) {
      expect(await reserveSendSlot(redis, prefix, scopes, T0 + i * step, `h-${i}`)).toBe(0);
    }
    const now = T0 + 1_000 * step;
    const wait = await reserveSendSlot(redis, prefix, scopes, now, 'h-1000');
    expect(wait).toBe(T0 + 3_600_000 - now);
    expect(await reserveSendSlot(redis, prefix, scopes, now + wait, 'h-1000')).toBe(0);
  });

  it('webhook: the 21st message per key within a minute waits; other keys are independent', async () => {
    const prefix = testPrefix();
    for (let i = 0; i < 20; i++) expect(await reserveSendSlot(redis, prefix, webhookScopes('key-A'), T0 + i * 100, `w-${i}`)).toBe(0);
    expect(await reserveSendSlot(redis, prefix, webhookScopes('key-A'), T0 + 5_000, 'w-20')).toBe(55_000);
    expect(await reserveSendSlot(redis, prefix, webhookScopes('key-B'), T0 + 5_000, 'other')).toBe(0);
    // the key itself is a secret and never becomes part of a Redis key
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.join(' ')).not.toContain('key-A');
  });

  it('a retried job keeps its slot instead of taking a second one', async () => {
    const prefix = testPrefix();
    const scopes = appMessageScopes(1, 'erin');
    for (let i = 0; i < 30; i++) await reserveSendSlot(redis, prefix, scopes, T0 + i, `e-${i}`);
    expect(await reserveSendSlot(redis, prefix, scopes, T0 + 50, 'e-7')).toBe(0); // e-7 again: already counted
    expect(await redis.zcard(`${prefix}:wecom:rl:app:1:erin:60000`)).toBe(30);
  });

  it('maps requests to scopes: app messages per member, webhooks per key, nothing for card updates', () => {
    expect(scopesForRequest({ method: 'message/send', jobId: 'j', body: { touser: 'a|b|a' } }, 5).map((s) => s.id)).toEqual(['app:5:a', 'app:5:b']);
    expect(scopesForRequest({ method: 'message/send', jobId: 'j', body: { touser: 'a' } }, 5)[0]!.limits).toBe(APP_MEMBER_LIMITS);
    expect(scopesForRequest({ method: 'webhook/send', jobId: 'j', webhookKey: 'k', body: {} }, 5)).toHaveLength(1);
    expect(scopesForRequest({ method: 'message/update_template_card', jobId: 'j', body: {} }, 5)).toEqual([]);
    expect(scopesForRequest({ method: 'message/send', jobId: 'j', body: { toparty: '2' } }, 5)).toEqual([]);
  });
});
