import fs from 'node:fs';
import path from 'node:path';
import { pidAlive, portOpen } from '../lib/local-service.js';
import { Redis, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import type { Config } from '../lib/config.js';
import type { Logger } from '../lib/log.js';
import { startRedisServer, redisServerAvailable, RedisServerMissingError } from '../lib/redis-server.js';
import { connectDb, migrateDb, type DbHandle } from '../db/client.js';
import { findRunningEmbeddedDb, startEmbeddedDb } from '../db/embedded.js';
import { ensureSeeded } from '../db/catalog/index.js';

/**
 * Opens the database and Redis for a process — the one place connections are opened.
 * Defaults need no configuration: without DATABASE_URL an embedded PGlite under DATA_DIR (served over a
 * local socket; a second process such as the CLI connects to the running one), without REDIS_URL a
 * private redis-server child under DATA_DIR/redis (likewise shared with the CLI while it runs).
 */
export interface Infra {
  db: DbHandle;
  redisUrl: string;
  /** Connection for BullMQ (maxRetriesPerRequest: null). */
  bullConnection: ConnectionOptions;
  /** Connection for quick bot commands that must fail fast when Redis is down. */
  redis: Redis;
  /** Where the database came from, for the start banner. */
  describe: { database: string; redis: string };
  close(): Promise<void>;
}

interface RedisInfo {
  port: number;
  pid: number;
}


async function runningRedis(dir: string): Promise<string | undefined> {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'server.json'), 'utf8')) as RedisInfo;
    if (pidAlive(info.pid) && (await portOpen(info.port))) return `redis://127.0.0.1:${info.port}`;
  } catch {
    /* none */
  }
  return undefined;
}

export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

export async function openInfra(config: Config, log: Logger, opts: { migrate?: boolean } = {}): Promise<Infra> {
  const stops: (() => Promise<void>)[] = [];
  const describe = { database: '', redis: '' };
  // Fail fast (before opening the database) when no Redis can be had.
  if (!config.redisUrl && !redisServerAvailable() && !(await runningRedis(path.join(config.dataDir, 'redis')))) {
    throw new RedisServerMissingError();
  }
  try {
    // Database.
    let dbUrl = config.databaseUrl;
    if (dbUrl) {
      describe.database = 'PostgreSQL (DATABASE_URL)';
    } else {
      const dir = path.join(config.dataDir, 'db');
      dbUrl = await findRunningEmbeddedDb(dir);
      if (dbUrl) {
        describe.database = `embedded PGlite served by the running process (${dir})`;
      } else {
        const embedded = await startEmbeddedDb(dir);
        stops.push(() => embedded.stop());
        dbUrl = embedded.url;
        describe.database = `embedded PGlite (${dir})`;
      }
    }
    const db = connectDb(dbUrl, { max: 10 });
    stops.push(() => db.close());
    if (opts.migrate !== false) {
      await migrateDb(db.db);
      // An empty database gets the catalog from seeds/ (once, even when two processes start together).
      const seeded = await ensureSeeded(db.db);
      if (seeded.seeded) log.info({ versionId: seeded.versionId }, 'empty database seeded with the catalog');
    }

    // Redis.
    let redisUrl = config.redisUrl;
    if (redisUrl) {
      describe.redis = 'Redis (REDIS_URL)';
    } else {
      const dir = path.join(config.dataDir, 'redis');
      redisUrl = await runningRedis(dir);
      if (redisUrl) {
        describe.redis = 'private redis-server of the running process';
      } else {
        const server = await startRedisServer(dir);
        fs.writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ port: server.port, pid: process.pid } satisfies RedisInfo));
        stops.push(async () => {
          fs.rmSync(path.join(dir, 'server.json'), { force: true });
          await server.stop();
        });
        redisUrl = server.url;
        describe.redis = `private redis-server on 127.0.0.1:${server.port} (${dir})`;
      }
    }
    const base = redisOptionsFromUrl(redisUrl);
    const redis = new Redis({ ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, enableAutoPipelining: true });
    redis.on('error', (err) => log.debug({ err: err.message }, 'redis connection error'));
    await redis.connect().catch((err: Error) => log.warn({ err: err.message }, 'Redis not reachable at start; continuing'));
    stops.push(async () => {
      redis.disconnect();
    });

    return {
      db,
      redisUrl,
      bullConnection: { ...base, maxRetriesPerRequest: null } as ConnectionOptions,
      redis,
      describe,
      async close() {
        for (const stop of stops.reverse()) {
          await stop().catch((err: Error) => log.warn({ err: err.message }, 'error while closing'));
        }
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw err;
  }
}
