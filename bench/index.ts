// `npm run bench -- <name>`: callback | qa | scan | public. Benchmarks print figures; they are not tests.
const name = process.argv[2];
const benches: Record<string, () => Promise<void>> = {
  callback: async () => (await import('./callback.js')).runCallbackBench(),
  scan: async () => {
    // PostgreSQL: BENCH_PG_URL, else a throwaway local server when its binaries are installed.
    let pgUrl = process.env.BENCH_PG_URL;
    let stop: (() => Promise<void>) | undefined;
    if (!pgUrl) {
      try {
        const pg = await (await import('../test/support/postgres.js')).startTempPostgres();
        pgUrl = pg.url;
        stop = pg.stop;
      } catch (err) {
        console.log(`PostgreSQL not measured: ${(err as Error).message}`);
      }
    }
    try {
      await (await import('./scan.js')).runScanBench({ pgUrl });
    } finally {
      await stop?.();
    }
  },
  public: async () => {
    await (await import('./public.js')).runPublicBench();
  },
  qa: async () => {
    await (await import('./qa.js')).runQaBench();
  },
};
const run = name ? benches[name] : undefined;
if (!run) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
await run();
process.exit(0);
