/**
 * `npm run bench -- scan`: the zombie scan at 10,000 and 100,000 groups with ~50 events each.
 * Prints, per database (PGlite; PostgreSQL too when BENCH_PG_URL is set): import rate (events/s),
 * evaluation rate (groups/s, a dry run over every group) and the whole scan (batches of 1,000 as the
 * job flow runs them: duplicates once, evaluate + record suggestions per batch, then the capped
 * dispatch) — to show the cost grows linearly with groups + events.
 *
 * Options (env): BENCH_SCAN_SIZES=10000,100000  BENCH_SCAN_EVENTS=50  BENCH_PG_URL=postgres://…
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { connectDb, migrateDb, type DbHandle } from '../db/client.js';
import { startEmbeddedDb } from '../db/embedded.js';
import { importActivity } from '../db/groups/import-activity.js';
import { importGroups } from '../db/groups/import-groups.js';
import { recordSuggestions } from '../db/groups/suggestions.js';
import { computeDuplicates, cycleOf, evaluateGroups, minDuplicateThreshold, scanGroups, toNewSuggestions } from '../jobs/zombie/evaluate.js';
import { dispatchSuggestions } from '../jobs/zombie/dispatch.js';
import { DAY_MS } from '../lib/clock.js';

export interface ScanBenchOptions {
  sizes?: number[];
  eventsPerGroup?: number;
  /** A PostgreSQL server URL; a scratch database is created on it and dropped afterwards. */
  pgUrl?: string;
  /** Skip PGlite (e.g. when only PostgreSQL is of interest). */
  skipPglite?: boolean;
  batchSize?: number;
  print?: (s: string) => void;
}

export interface ScanBenchRow {
  backend: string;
  groups: number;
  events: number;
  importEventsPerSec: number;
  evalGroupsPerSec: number;
  evalSeconds: number;
  wholeScanSeconds: number;
  suggestions: number;
}

const NOW = new Date('2026-06-01T01:00:00Z');

/** Deterministic pseudo-random numbers (so runs are comparable). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function* registryLines(n: number): Generator<string> {
  const r = rng(1);
  for (let i = 0; i < n; i++) {
    const unit = `unit-${Math.floor(i / 50)}`;
    const size = 3 + Math.floor(r() * 18);
    // 1 % of groups copy their predecessor's members (duplicates to find)
    const base = r() < 0.01 && i % 50 > 0 ? i - 1 : i;
    const members = Array.from({ length: size }, (_, k) => `u${base}-${k}`);
    const temporary = r() < 0.1;
    yield JSON.stringify({
      chatid: `wr${i}`,
      name: `群${i}`,
      kind: temporary ? 'temporary' : 'standing',
      task_end: temporary ? new Date(NOW.getTime() - Math.floor(r() * 60) * DAY_MS).toISOString().slice(0, 10) : undefined,
      owner: `u${i}-0`,
      org_unit: unit,
      created_at: new Date(NOW.getTime() - (20 + Math.floor(r() * 700)) * DAY_MS).toISOString(),
      members,
    });
  }
}

function* activityLines(n: number, perGroup: number): Generator<string> {
  const r = rng(2);
  for (let i = 0; i < n; i++) {
    const idle = r() < 0.1; // 10 % of groups went quiet 50+ days ago
    const k = Math.max(1, Math.round(perGroup * (0.5 + r())));
    for (let j = 0; j < k; j++) {
      const daysAgo = idle ? 50 + r() * 150 : r() * 120;
      yield `{"chatid":"wr${i}","msgid":"m${i}-${j}","from":"u${i}-${Math.floor(r() * 3)}","msgtime":${Math.floor(NOW.getTime() - daysAgo * DAY_MS)}}`;
    }
  }
}

async function withPglite<T>(fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-bench-'));
  const embedded = await startEmbeddedDb(dir);
  const h = connectDb(embedded.url);
  try {
    await migrateDb(h.db);
    return await fn(h);
  } finally {
    await h.close();
    await embedded.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function withPostgres<T>(url: string, fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const name = `bench_scan_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const h = connectDb(u.toString(), { max: 4 });
  try {
    await migrateDb(h.db);
    return await fn(h);
  } finally {
    await h.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
}

async function benchOne(backend: string, h: DbHandle, n: number, perGroup: number, batchSize: number, print: (s: string) => void): Promise<ScanBenchRow> {
  const db = h.db;
  let t0 = performance.now();
  await importGroups(db, registryLines(n), { now: NOW, chunkSize: 2_000 });
  const regS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const rep = await importActivity(db, activityLines(n, perGroup), { now: NOW, chunkSize: 10_000 });
  const impS = (performance.now() - t0) / 1000;
  print(`  ${backend} ${n}: registry ${regS.toFixed(1)} s, ${rep.imported} events in ${impS.toFixed(1)} s`);

  t0 = performance.now();
  const dry = await scanGroups(db, { now: NOW, dryRun: true, defaultRegion: 'bench' });
  const evalS = (performance.now() - t0) / 1000;

  // The whole scan as the job flow runs it (without Redis): coordinator, batches, dispatch.
  t0 = performance.now();
  const cycle = cycleOf(NOW);
  await db.execute(sql`ANALYZE groups, group_members, group_activity, group_suggestions`);
  const ids = (await db.execute(sql`SELECT id::float8 AS id FROM groups WHERE status = 'active' ORDER BY id`)).rows.map((r) => Number(r.id));
  const dups = await computeDuplicates(db, { threshold: await minDuplicateThreshold(db) });
  let suggestions = 0;
  for (let i = 0; i < ids.length; i += batchSize) {
    const groupIds = ids.slice(i, i + batchSize);
    const verdicts = await evaluateGroups(db, { now: NOW, defaultRegion: 'bench', groupIds, duplicates: dups });
    suggestions += (await recordSuggestions(db, toNewSuggestions(verdicts), cycle, NOW)).length;
  }
  let sent = 0;
  await dispatchSuggestions(db, { enqueue: async () => void sent++ }, { cycle, now: NOW, configAdmins: ['admin01'], defaultRegion: 'bench' });
  const wholeS = (performance.now() - t0) / 1000;
  return {
    backend,
    groups: n,
    events: rep.imported,
    importEventsPerSec: Math.round(rep.imported / impS),
    evalGroupsPerSec: Math.round(dry.verdicts.length / evalS),
    evalSeconds: evalS,
    wholeScanSeconds: wholeS,
    suggestions,
  };
}

export async function runScanBench(opts: ScanBenchOptions = {}): Promise<ScanBenchRow[]> {
  const print = opts.print ?? ((s: string) => console.log(s));
  const sizes = opts.sizes ?? [10_000, 100_000];
  const per = opts.eventsPerGroup ?? 50;
  const batch = opts.batchSize ?? 1_000;
  const rows: ScanBenchRow[] = [];
  const backends: [string, (fn: (h: DbHandle) => Promise<void>) => Promise<void>][] = [];
  if (!opts.skipPglite) backends.push(['PGlite', withPglite]);
  if (opts.pgUrl) backends.push(['PostgreSQL', (fn) => withPostgres(opts.pgUrl!, fn)]);
  for (const [name, open] of backends) {
    for (const n of sizes) {
      await open(async (h) => {
        rows.push(await benchOne(name, h, n, per, batch, print));
      });
    }
  }
  print('');
  print('backend     groups   events     import ev/s  eval groups/s  eval s   whole scan s  suggestions');
  for (const r of rows) {
    print(
      `${r.backend.padEnd(11)} ${String(r.groups).padStart(7)} ${String(r.events).padStart(9)}  ${String(r.importEventsPerSec).padStart(11)}  ${String(r.evalGroupsPerSec).padStart(13)}  ${r.evalSeconds.toFixed(2).padStart(6)}  ${r.wholeScanSeconds.toFixed(2).padStart(12)}  ${String(r.suggestions).padStart(11)}`,
    );
  }
  return rows;
}
