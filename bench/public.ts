// `npm run bench -- public`: GET /api/certificates throughput and latency, and the page weight.
// Server: BENCH_PUBLIC_URL if set; else `npm start` (bin/start.ts) when it serves the public routes;
// else bench/public-server.ts (the same routes and content functions in a process of their own).
// Every request comes from its own X-Forwarded-For address, so the per-IP limiter stays in the path
// without limiting the benchmark. Figures are printed; this is not a test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort } from '../lib/redis-server.js';
import { cleanEnv, spawnTs, waitForOutput } from '../test/support/process.js';

const QUESTIONS = ['居柱证明', '无犯罪证明', '良民证', '亲属关系证明去哪开', '村里能开哪些证明', '房屋证明', '死亡证明', '开个住址证明要带啥', '独生子女证明', '明天下雨吗', '婚姻状况证明', '收入证明'];
const VILLAGES = ['140802002201', '140802002001', '', 'unknown'];

export interface PublicBenchFigures {
  server: string;
  fixedRate: { target: number; rps: number; p50: number; p99: number; errors: number; non2xx: number };
  max: { connections: number; rps: number; p50: number; p99: number; errors: number; non2xx: number };
  pageBytes: number;
  pageGzipBytes: number;
  apiBytes: number;
}

async function load(url: string, o: { seconds: number; connections: number; overallRate?: number }) {
  let i = 0;
  const r = await autocannon({
    url,
    connections: o.connections,
    duration: o.seconds,
    ...(o.overallRate ? { overallRate: o.overallRate } : {}),
    requests: [
      {
        method: 'GET',
        setupRequest: ((req: Record<string, unknown>) => {
          const n = i++;
          const q = QUESTIONS[n % QUESTIONS.length]!;
          const v = VILLAGES[Math.floor(n / QUESTIONS.length) % VILLAGES.length]!;
          const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
          return { ...req, method: 'GET', path: `/api/certificates?q=${encodeURIComponent(q)}&village=${v}`, headers: { 'x-forwarded-for': ip } };
        }) as never,
      },
    ],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

async function startServer(children: ChildProcess[], dataDir: string): Promise<{ url: string; label: string }> {
  if (process.env.BENCH_PUBLIC_URL) return { url: process.env.BENCH_PUBLIC_URL.replace(/\/+$/, ''), label: `BENCH_PUBLIC_URL` };
  const port = await freePort();
  // TRUST_PROXY: every bench request carries its own X-Forwarded-For, so the per-IP limiter stays in the path.
  const svc = spawnTs('bin/start.ts', [], cleanEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', TRUST_PROXY: '1' }));
  children.push(svc);
  await waitForOutput(svc, /Try it:/);
  const probe = await fetch(`http://127.0.0.1:${port}/api/certificates?q=x`).catch(() => undefined);
  if (probe?.status === 200) return { url: `http://127.0.0.1:${port}`, label: 'npm start (bin/start.ts)' };
  svc.kill('SIGTERM');
  const own = spawnTs('bench/public-server.ts', [], cleanEnv({}));
  children.push(own);
  const out = await waitForOutput(own, /LISTENING \d+/);
  return { url: `http://127.0.0.1:${/LISTENING (\d+)/.exec(out)![1]}`, label: 'bench/public-server.ts (public routes not wired into npm start yet)' };
}

export async function runPublicBench(o: { seconds?: number; rate?: number; connections?: number } = {}): Promise<PublicBenchFigures> {
  const seconds = o.seconds ?? 10;
  const rate = o.rate ?? 500;
  const connections = o.connections ?? 50;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-public-'));
  const children: ChildProcess[] = [];
  try {
    const { url, label } = await startServer(children, dataDir);
    const page = Buffer.from(await (await fetch(`${url}/zhengming?village=140802002201`)).arrayBuffer());
    const apiBody = Buffer.from(await (await fetch(`${url}/api/certificates?q=${encodeURIComponent('居住证明')}`, { headers: { 'x-forwarded-for': '192.0.2.1' } })).arrayBuffer());
    await load(url, { seconds: 3, connections: 10 }); // warm-up (JIT, caches)
    const fixed = await load(url, { seconds, connections: 20, overallRate: rate });
    const max = await load(url, { seconds, connections });
    const figures: PublicBenchFigures = {
      server: label,
      fixedRate: { target: rate, ...fixed },
      max: { connections, ...max },
      pageBytes: page.length,
      pageGzipBytes: gzipSync(page).length,
      apiBytes: apiBody.length,
    };
    console.log(`server: ${label}`);
    console.log(`GET /api/certificates at a fixed ${rate} req/s (20 connections, ${seconds} s): ${fixed.rps.toFixed(0)} req/s, p50 ${fixed.p50} ms, p99 ${fixed.p99} ms (target p99 < 20 ms), errors ${fixed.errors}, non-2xx ${fixed.non2xx}`);
    console.log(`GET /api/certificates flat out (${connections} connections, ${seconds} s): ${max.rps.toFixed(0)} req/s, p50 ${max.p50} ms, p99 ${max.p99} ms, errors ${max.errors}, non-2xx ${max.non2xx}`);
    console.log(`page weight /zhengming?village=…: ${(page.length / 1024).toFixed(1)} KB (${(figures.pageGzipBytes / 1024).toFixed(1)} KB gzipped; target < 100 KB), one API answer ${apiBody.length} B`);
    return figures;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runPublicBench();
