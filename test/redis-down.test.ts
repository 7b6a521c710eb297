import { describe, it, expect } from 'vitest';
import { Redis } from 'ioredis';
import { startTestService, TEST_CREDS } from './support/service.js';
import { post, sealed } from './support/http.js';
import { aibotTextMessage, openReply } from '../bot/simulator.js';
import { Deduper } from '../bot/dedupe.js';
import { silentLogger } from '../lib/log.js';
import { freePort } from '../lib/redis-server.js';
import { testRedis, testPrefix } from './support/redis.js';

describe('when Redis is down', () => {
  it('the deduper still runs the handler (no dedupe) instead of failing', async () => {
    const port = await freePort();
    const dead = new Redis({ port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => {});
    const d = new Deduper(dead, 'x', silentLogger(), { redisTimeoutMs: 200 });
    let runs = 0;
    const a = await d.run('k', async () => `r${++runs}`);
    const b = await d.run('k', async () => `r${++runs}`);
    expect([a.reply, b.reply]).toEqual(['r1', 'r2']);
    expect(runs).toBe(2);
    dead.disconnect();
  });

  it('the service still answers callbacks', async () => {
    const port = await freePort();
    const svc = await startTestService({ env: { REDIS_URL: `redis://127.0.0.1:${port}` }, worker: false });
    try {
      const t0 = Date.now();
      const res = await post(svc.url, sealed(TEST_CREDS, 'aibot', aibotTextMessage({ text: '帮助' })));
      expect(res.status).toBe(200);
      expect(JSON.parse(openReply(TEST_CREDS, 'aibot', res.body)).stream.content).toContain('基层减负助手');
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await svc.close();
    }
  }, 30_000);
});

describe('deduper with Redis up', () => {
  it('gives a concurrent re-delivery the first reply and runs the handler once; a failed run releases the key', async () => {
    const redis = testRedis();
    const d = new Deduper(redis, testPrefix(), silentLogger());
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 150));
      return 'answer';
    };
    const results = await Promise.all([d.run('m1', slow), d.run('m1', slow), d.run('m1', slow)]);
    expect(runs).toBe(1);
    expect(results.map((r) => r.reply)).toEqual(['answer', 'answer', 'answer']);
    expect(results.filter((r) => r.duplicate)).toHaveLength(2);

    await expect(d.run('m2', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await d.run('m2', async () => 'second try')).reply).toBe('second try');
    redis.disconnect();
  });
});
