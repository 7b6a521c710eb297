import type { TestProject } from 'vitest/node';
import { startRedisServer, type EmbeddedRedis } from '../lib/redis-server.js';

// One real redis-server for the whole run; each test isolates itself with a random key prefix.
let redis: EmbeddedRedis | undefined;

export async function setup(project: TestProject): Promise<void> {
  redis = await startRedisServer(undefined);
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
