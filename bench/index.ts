// `npm run bench -- <name>`: callback | qa | scan | public. Benchmarks print figures; they are not tests.
const name = process.argv[2];
const benches: Record<string, () => Promise<void>> = {
  callback: async () => (await import('./callback.js')).runCallbackBench(),
  scan: async () => {
    await (await import('./scan.js')).runScanBench({ pgUrl: process.env.BENCH_PG_URL });
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
