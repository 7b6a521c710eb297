import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A private `redis-server` child process on 127.0.0.1 and a free port, used when REDIS_URL is unset.
 * Data lives under `dir` (or nowhere, when dir is undefined); the child is stopped with the parent.
 */
export interface EmbeddedRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export class RedisServerMissingError extends Error {
  constructor() {
    super(
      'redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis.',
    );
    this.name = 'RedisServerMissingError';
  }
}

export function redisServerAvailable(bin = 'redis-server'): boolean {
  const r = spawnSync(bin, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`redis-server exited with code ${child.exitCode}`));
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error('redis-server did not start in time'));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startRedisServer(dir: string | undefined, bin = 'redis-server'): Promise<EmbeddedRedis> {
  if (!redisServerAvailable(bin)) throw new RedisServerMissingError();
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'];
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    args.push('--dir', path.resolve(dir), '--appendonly', 'yes', '--save', '60 1');
  }
  const child = spawn(bin, args, { stdio: 'ignore' });
  // Make sure the child goes when we go, even on a crash.
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', kill);
  await waitForPort(port, child, 5_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', kill);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          if (child.exitCode === null) child.kill('SIGKILL');
        }, 3_000).unref();
      }),
  };
}
