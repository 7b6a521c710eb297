// `npm run bench -- callback`: (a) a bare verify+decrypt+encrypt koa handler vs (b) the real /wecom/aibot
// answering 帮助 (npm start defaults: embedded PGlite, private redis-server), each ~10 s at fixed concurrency,
// servers in child processes, load from this process. Prints req/s, p50/p99 and the ratio b/a.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { aibotTextMessage, sealCallback } from '../bot/simulator.js';
import type { WecomCredentials } from '../lib/config.js';
import { freePort } from '../lib/redis-server.js';
import { spawnTs, waitForOutput, cleanEnv } from '../test/support/process.js';
import { runLoad, formatLoad, type PreparedRequest } from './load.js';

function prepare(creds: WecomCredentials, n: number, text: string): PreparedRequest[] {
  const out: PreparedRequest[] = [];
  for (let i = 0; i < n; i++) {
    const r = sealCallback(creds, 'aibot', aibotTextMessage({ text, msgId: `bench${Date.now().toString(36)}${i}` }));
    out.push({ path: `${r.path}?${r.query}`, body: r.body, headers: { 'content-type': r.contentType } });
  }
  return out;
}

export async function runCallbackBench(o: { seconds?: number; connections?: number } = {}): Promise<void> {
  const seconds = o.seconds ?? 10;
  const connections = o.connections ?? 20;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cb-'));
  const children: ChildProcess[] = [];
  try {
    // (b) the real service, as npm start runs it.
    const port = await freePort();
    const svc = spawnTs('bin/start.ts', [], cleanEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }), process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []);
    children.push(svc);
    await waitForOutput(svc, /Try it:/);
    const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-credentials.json'), 'utf8')) as WecomCredentials;

    // (a) the bare handler with the same keys.
    const bare = spawnTs('bench/bare-callback-server.ts', [JSON.stringify(creds)], cleanEnv({}));
    children.push(bare);
    const bareOut = await waitForOutput(bare, /LISTENING \d+/);
    const barePort = Number(/LISTENING (\d+)/.exec(bareOut)![1]);

    const n = 40_000;
    console.log(`preparing ${n} signed, encrypted callbacks per run (unique msgids)…`);
    // Warm up both (JIT, connections, first DB writes).
    await runLoad('warm-up', `http://127.0.0.1:${barePort}`, prepare(creds, 2000, '帮助'), { seconds: 2, connections });
    await runLoad('warm-up', `http://127.0.0.1:${port}`, prepare(creds, 2000, '帮助'), { seconds: 2, connections });

    // BENCH_PROFILE_B=1 skips (a), so a CPU profile of the service (BENCH_NODE_ARGS=--cpu-prof) shows only (b).
    const a = process.env.BENCH_PROFILE_B
      ? { label: '(a) skipped', requests: 1, rps: 1, p50: 0, p99: 0, errors: 0, non2xx: 0 }
      : await runLoad('(a) bare verify+decrypt+encrypt', `http://127.0.0.1:${barePort}`, prepare(creds, n, '帮助'), { seconds, connections });
    const b = await runLoad('(b) /wecom/aibot answering 帮助 (full path)', `http://127.0.0.1:${port}`, prepare(creds, n, '帮助'), { seconds, connections });
    console.log(`\nconcurrency ${connections}, ${seconds} s each, same machine, one run:`);
    console.log(formatLoad(a));
    console.log(formatLoad(b));
    console.log(`ratio b/a: ${(b.rps / a.rps).toFixed(2)}   (target ≥ 0.5)   p99 of b: ${b.p99} ms (target < 50 ms)`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
