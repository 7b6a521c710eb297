import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/redis-server.js';

/**
 * A throwaway real PostgreSQL server (Debian's postgresql package) for tests and benchmarks: initdb in
 * a temp dir, trust auth on 127.0.0.1 and a free port. As root it runs as the `postgres` user
 * (PostgreSQL refuses to run as root).
 */
export interface TempPostgres {
  url: string;
  stop(): Promise<void>;
}

function findBinDir(): string {
  const candidates = [
    ...(process.env.PG_BIN_DIR ? [process.env.PG_BIN_DIR] : []),
    ...(fs.existsSync('/usr/lib/postgresql')
      ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
    '/usr/local/bin',
    '/usr/bin',
  ];
  for (const dir of candidates) if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  throw new Error('PostgreSQL server binaries (initdb) not found: apt-get install -y postgresql');
}

export async function startTempPostgres(): Promise<TempPostgres> {
  const bin = findBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgtest-'));
  const data = path.join(dir, 'data');
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', dir, '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const child = asRoot ? spawn('runuser', ['-u', 'postgres', '--', path.join(bin, 'postgres'), ...args], { stdio: 'ignore' }) : spawn(path.join(bin, 'postgres'), args, { stdio: 'ignore' });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // Wait until it accepts connections.
  const pg = await import('pg');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const c = new pg.default.Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      break;
    } catch {
      await c.end().catch(() => {});
      if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('postgres did not start within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGINT'); // fast shutdown
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
