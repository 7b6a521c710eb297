import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

/** The URL of the real redis-server started by test/global-setup.ts. */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A unique key prefix so tests never see each other's keys or queues. */
export function testPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** A connection suitable for BullMQ workers too (maxRetriesPerRequest: null). */
export function testRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null, lazyConnect: false });
}
