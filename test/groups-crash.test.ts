import { describe, it, expect, afterEach } from 'vitest';
import type { Job, Processor } from 'bullmq';
import { createTestDb } from './support/db.js';
import { startFakeWecom, type FakeWecom } from './fake-wecom/server.js';
import { createHarness, waitFor, log, type Harness } from './support/zombie-harness.js';
import { buildFixture } from './support/zombie-fixture.js';
import { importActivity } from '../db/groups/import-activity.js';
import { importGroups } from '../db/groups/import-groups.js';
import { createZombieDispatchProcessor } from '../jobs/zombie/scan.js';
import { dispatchSuggestions } from '../jobs/zombie/dispatch.js';
import { scanGroups } from '../jobs/zombie/evaluate.js';
import type { OutboundPort } from '../bot/outbound.js';

const START = '2026-06-01T01:00:00Z';
const CYCLE = '2026-06-01';
/** 10 idle + 5 ended tasks + 2 duplicates + 3 idle groups nobody exempted in this file. */
const EXPECTED_CARDS = 20;

interface Scenario {
  t: Awaited<ReturnType<typeof createTestDb>>;
  fake: FakeWecom;
  h: Harness;
}

async function scenario(): Promise<Scenario> {
  const t = await createTestDb();
  const fake = await startFakeWecom();
  const h = await createHarness(t.db, fake, { now: START, admins: 'admin01', batchSize: 5, stalledMs: 300 });
  const fx = buildFixture(h.clock.now());
  await importGroups(t.db, fx.registry, { now: h.clock.now() });
  await importActivity(t.db, fx.activity, { now: h.clock.now(), botSenderIds: ['wbBOT'] });
  return { t, fake, h };
}

/** Task ids of the suggestion cards WeCom received (one entry per request). */
function cardRequests(fake: FakeWecom): string[] {
  return fake
    .callsTo('message/send')
    .map((r) => (r.body as { template_card?: { task_id?: string } }).template_card?.task_id ?? '')
    .filter((id) => id.startsWith('zs-'));
}

async function settle(s: Scenario): Promise<void> {
  await waitFor(`${EXPECTED_CARDS} cards`, () => cardRequests(s.fake).length >= EXPECTED_CARDS, 20_000);
  await waitFor('sends drained', async () => {
    const n = await s.h.queues['send-message'].getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return Object.values(n).every((x) => x === 0);
    // A send that was in flight when a worker was killed stays active until BullMQ's stall check (30 s)
    // hands it to the restarted worker; the outbox row then keeps it from being sent twice.
  }, 75_000);
  await new Promise((r) => setTimeout(r, 300)); // time for a duplicate to show up, if there were one
}

function expectEachCardOnce(fake: FakeWecom): void {
  const ids = cardRequests(fake);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  const detail = fake
    .callsTo('message/send')
    .filter((r) => dup.includes((r.body as { template_card?: { task_id?: string } }).template_card?.task_id ?? ''))
    .map((r) => JSON.stringify({ at: r.at, answer: r.answer }));
  expect(dup, detail.join('\n')).toEqual([]);
  expect(ids).toHaveLength(EXPECTED_CARDS);
}

describe('zombie scan survives crashes and concurrency without a duplicate card', () => {
  let open: Scenario[] = [];
  afterEach(async () => {
    for (const s of open) {
      await s.h.close();
      await s.fake.close();
      await s.t.close();
    }
    open = [];
  });

  it('a worker killed in the middle of a batch, then restarted, sends every card exactly once', async () => {
    const s = await scenario();
    open.push(s);
    let hung = false;
    s.h.startWorkers({
      'zombie-scan-batch': (p: Processor) => async (job: Job, token?: string) => {
        const r = await p(job, token);
        if (job.id === `scan-${CYCLE}-1` && !hung) {
          hung = true;
          await new Promise(() => {}); // the process "dies" here: its work is done but never acknowledged
        }
        return r;
      },
    });
    await s.h.queues['zombie-scan'].add('zombie-scan', { nowIso: START }, { jobId: 'scan-run' });
    await waitFor('the batch to hang', () => hung);
    // Let in-flight sends (webhook notices) finish first: the kill is aimed at the scan batch. A send
    // killed mid-flight would sit in "active" until BullMQ's stall check (up to ~60 s) — covered below.
    await waitFor('no send in flight', async () => (await s.h.queues['send-message'].getJobCounts('active')).active === 0);
    await s.h.stopWorkers(true); // kill -9
    expect(cardRequests(s.fake)).toHaveLength(0);
    s.h.startWorkers(); // restart: the stalled batch is picked up again
    await waitFor('dispatch', async () => (await s.h.queues['zombie-dispatch'].getJob(`dispatch-${CYCLE}`))?.isCompleted(), 20_000);
    await settle(s);
    expectEachCardOnce(s.fake);
  }, 120_000);

  it('a dispatcher that dies after sending some cards is retried without resending them', async () => {
    const s = await scenario();
    open.push(s);
    let calls = 0;
    let died = false;
    const dying: OutboundPort = {
      async enqueue(req) {
        if (!died && calls === 7) {
          died = true;
          throw new Error('worker died');
        }
        calls++;
        await s.h.outbound.enqueue(req);
      },
    };
    const dispatch = createZombieDispatchProcessor({
      db: s.t.db,
      outbound: dying,
      clock: s.h.clock,
      log,
      configAdmins: ['admin01'],
      defaultRegion: '北城街道',
    });
    s.h.startWorkers({ 'zombie-dispatch': () => dispatch as Processor });
    await s.h.queues['zombie-scan'].add('zombie-scan', { nowIso: START }, { jobId: 'scan-run' });
    await waitFor('dispatch', async () => (await s.h.queues['zombie-dispatch'].getJob(`dispatch-${CYCLE}`))?.isCompleted(), 20_000);
    expect(died).toBe(true);
    await settle(s);
    expectEachCardOnce(s.fake);
  });

  it('two workers at once, two scans of the same cycle and two dispatchers racing send every card once', async () => {
    const s = await scenario();
    open.push(s);
    s.h.startWorkers();
    s.h.startWorkers();
    await Promise.all([
      s.h.queues['zombie-scan'].add('zombie-scan', { nowIso: START }, { jobId: 'scan-a' }),
      s.h.queues['zombie-scan'].add('zombie-scan', { nowIso: START }, { jobId: 'scan-b' }),
    ]);
    await waitFor('dispatch', async () => (await s.h.queues['zombie-dispatch'].getJob(`dispatch-${CYCLE}`))?.isCompleted(), 20_000);
    // and two more dispatchers racing by hand on the same cycle
    const o = { cycle: CYCLE, now: s.h.clock.now(), configAdmins: ['admin01'], defaultRegion: '北城街道' };
    const [a, b] = await Promise.all([dispatchSuggestions(s.t.db, s.h.outbound, o), dispatchSuggestions(s.t.db, s.h.outbound, o)]);
    expect(a.sent + b.sent).toBe(0);
    await settle(s);
    expectEachCardOnce(s.fake);
  });

  it('racing dispatchers on freshly recorded suggestions split the work, never double it', async () => {
    const s = await scenario();
    open.push(s);
    s.h.startWorkers();
    s.h.startWorkers();
    const r = await scanGroups(s.t.db, { now: s.h.clock.now(), dryRun: false, defaultRegion: '北城街道' });
    expect(r.created).toHaveLength(EXPECTED_CARDS);
    const o = { cycle: CYCLE, now: s.h.clock.now(), configAdmins: ['admin01'], defaultRegion: '北城街道' };
    const results = await Promise.all([1, 2, 3].map(() => dispatchSuggestions(s.t.db, s.h.outbound, o)));
    expect(results.reduce((n, x) => n + x.sent, 0)).toBe(EXPECTED_CARDS);
    await settle(s);
    expectEachCardOnce(s.fake);
  });
});
