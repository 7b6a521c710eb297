import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { Redis } from 'ioredis';
import type { Queue, Worker, JobsOptions } from 'bullmq';
import { WecomApi } from '../bot/wecom-api/client.js';
import type { OutboundPort, OutboundRequest } from '../bot/outbound.js';
import {
  createOutboundPort,
  createSendMessageProcessor,
  kfMsgId,
  toBullJobId,
  SEND_JOB_OPTIONS,
  type SendMessageDeps,
} from '../jobs/send-message.js';
import { createQueues, createWorkers } from '../jobs/queues.js';
import { getOutbox, type OutboxRow } from '../db/queries/outbox.js';
import { systemClock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { createTestDb } from './support/db.js';
import { testPrefix, testRedisUrl } from './support/redis.js';
import { startFakeWecom, type FakeWecom } from './fake-wecom/server.js';

const log = silentLogger();

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('send-message job (real BullMQ, Redis, database; fake WeCom)', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let fake: FakeWecom;
  let redis: Redis;
  let open: { queue: Queue; workers: Worker[]; conn: Redis }[] = [];

  beforeAll(async () => {
    t = await createTestDb();
    fake = await startFakeWecom({ knownUsers: ['alice', 'bob', 'admin01'] });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    for (const o of open) {
      await Promise.all(o.workers.map((w) => w.close()));
      await o.queue.obliterate({ force: true }).catch(() => undefined);
      await o.queue.close();
      await o.conn.quit();
    }
    open = [];
  });
  afterAll(async () => {
    await redis.quit();
    await fake.close();
    await t.close();
  });

  /** A queue + worker with a fresh prefix, the processor wired as bin/ wires it. */
  function setup(opts: { dry?: boolean; deps?: Partial<SendMessageDeps>; jobOptions?: Partial<JobsOptions>; timeoutMs?: number } = {}) {
    const prefix = testPrefix();
    const conn = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const api = opts.dry
      ? undefined
      : new WecomApi({ baseUrl: fake.url, corpId: fake.corpId, secret: fake.secret, agentId: fake.agentId, redis, prefix, log, timeoutMs: opts.timeoutMs ?? 2_000 });
    const processor = createSendMessageProcessor({ api, db: t.db, redis, prefix, log, clock: systemClock, ...opts.deps });
    const queue = createQueues(conn, prefix, log, ['send-message'])['send-message'];
    const workers = createWorkers(conn, prefix, { 'send-message': processor }, log);
    open.push({ queue, workers, conn });
    // SEND_JOB_OPTIONS with a 50 ms backoff base so retries take 50, 100, 200, 400 ms in tests
    const port: OutboundPort = createOutboundPort(queue, { backoff: { type: 'exponential', delay: 50 }, ...opts.jobOptions });
    return { queue, port, uid: prefix }; // uid keeps job ids unique: the outbox table is shared by the file
  }

  const outbox = (jobId: string) => getOutbox(t.db, jobId);
  const untilStatus = (jobId: string, ...statuses: string[]) =>
    waitFor<OutboxRow>(`outbox ${jobId} ${statuses.join('|')}`, async () => {
      const row = await outbox(jobId);
      return row && statuses.includes(row.status) ? row : undefined;
    });
  const textTo = (jobId: string, touser: string, content = '您好，这是一条测试消息'): OutboundRequest => ({
    method: 'message/send',
    jobId,
    body: { touser, msgtype: 'text', text: { content } },
  });
  const sendsFor = (content: string) =>
    fake.callsTo('message/send').filter((r) => (r.body as { text?: { content?: string } }).text?.content === content);
  const finishedJob = (queue: Queue, id: string) =>
    waitFor(`job ${id} finished`, async () => {
      const j = await queue.getJob(toBullJobId(id));
      return j?.finishedOn ? j : undefined;
    });

  it('sends a message and records it as sent with the WeCom answer', async () => {
    const { port, uid } = setup();
    const id = `${uid}-hello`;
    await port.enqueue(textTo(id, 'alice', `hello ${uid}`));
    const row = await untilStatus(id, 'sent', 'failed');
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(1);
    expect((row.result as { msgid?: string }).msgid).toMatch(/^msg_/);
    expect(fake.messages.delivered.some((m) => (m.body.text as { content: string }).content === `hello ${uid}`)).toBe(true);
  });

  it('dry mode (no credentials): outbox row `dry` and no HTTP call', async () => {
    const { port, uid, queue } = setup({ dry: true });
    const before = fake.requests.length;
    const id = `${uid}-dry`;
    await port.enqueue(textTo(id, 'alice'));
    const row = await untilStatus(id, 'dry');
    expect(row.payload).toEqual({ touser: 'alice', msgtype: 'text', text: { content: '您好，这是一条测试消息' } });
    const job = await finishedJob(queue, id);
    expect(job.returnvalue).toEqual({ status: 'dry' });
    expect(fake.requests.length).toBe(before);
  });

  it('the same jobId enqueued twice is sent once — also when enqueued again after the job was removed', async () => {
    const { port, uid, queue } = setup({ jobOptions: { removeOnComplete: true } });
    const id = `${uid}:card:42:x`; // BullMQ rejects such ids as they are; the port maps them
    const content = `once ${uid}`;
    await Promise.all([port.enqueue(textTo(id, 'bob', content)), port.enqueue(textTo(id, 'bob', content))]);
    await untilStatus(id, 'sent');
    await waitFor('job removed', async () => !(await queue.getJob(toBullJobId(id))));
    await port.enqueue(textTo(id, 'bob', content)); // BullMQ no longer knows the id; the outbox does
    await waitFor('second run done', async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0 && !(await queue.getJob(toBullJobId(id)));
    });
    expect(sendsFor(content)).toHaveLength(1);
    expect((await outbox(id))?.attempts).toBe(1);
  });

  it('-1 on every attempt: retried with exponential backoff, then failed with the reason kept', async () => {
    const { port, uid, queue } = setup();
    const id = `${uid}-busy`;
    const content = `busy ${uid}`;
    fake.failNext('message/send', -1, 5, 'system busy');
    await port.enqueue(textTo(id, 'alice', content));
    const row = await untilStatus(id, 'failed');
    expect(row.errcode).toBe(-1);
    expect(row.errmsg).toBe('system busy (after 5 attempts)');
    expect(row.attempts).toBe(5);
    const times = sendsFor(content).map((r) => r.at);
    expect(times).toHaveLength(5);
    const gaps = times.slice(1).map((x, i) => x - times[i]!);
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(50 * 2 ** i - 5)); // 50, 100, 200, 400 ms
    const job = await finishedJob(queue, id);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(5);
  });

  it('timeouts: retried, and a later success is recorded as sent', async () => {
    const { port, uid } = setup({ timeoutMs: 150 });
    await port.enqueue(textTo(`${uid}-warm`, 'alice', `warm ${uid}`)); // the token first, so only sends stall
    await untilStatus(`${uid}-warm`, 'sent');
    const id = `${uid}-slow`;
    fake.stallNext('message/send', 600, 2);
    await port.enqueue(textTo(id, 'alice', `slow ${uid}`));
    const row = await untilStatus(id, 'sent', 'failed');
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(3);
    expect(row.errcode).toBeNull();
  });

  it('timeouts on every attempt: failed with the timeout as the reason', async () => {
    const { port, uid } = setup({ timeoutMs: 100, jobOptions: { attempts: 2 } });
    await port.enqueue(textTo(`${uid}-warm`, 'alice', `warm ${uid}`));
    await untilStatus(`${uid}-warm`, 'sent');
    const id = `${uid}-timeout`;
    fake.stallNext('message/send', 400, 2);
    await port.enqueue(textTo(id, 'alice', `t ${uid}`));
    const row = await untilStatus(id, 'failed');
    expect(row.errcode).toBe(-1);
    expect(row.errmsg).toBe('timeout after 100 ms (after 2 attempts)');
  });

  it('45009 from WeCom: delayed without spending an attempt, then sent', async () => {
    // attempts: 1 — if the wait spent an attempt, the job would fail instead of being sent
    const { port, uid, queue } = setup({ deps: { rateLimitedDelayMs: 300 }, jobOptions: { attempts: 1 } });
    const id = `${uid}-hook`;
    const key = `hook-${uid}`;
    fake.failNext('webhook/send', 45009, 1, 'api freq out of limit');
    await port.enqueue({ method: 'webhook/send', jobId: id, webhookKey: key, body: { msgtype: 'markdown', markdown: { content: '**本周** 通知' } } });
    const row = await untilStatus(id, 'sent', 'failed');
    expect(row.status).toBe('sent');
    const calls = fake.callsTo('webhook/send').filter((r) => r.query.key === key);
    expect(calls.map((c) => c.answer?.errcode)).toEqual([45009, 0]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(290);
    const job = await finishedJob(queue, id);
    expect([job.attemptsStarted, job.attemptsMade]).toEqual([2, 1]); // started twice, one attempt spent
    expect(JSON.stringify(row)).not.toContain(key); // the webhook key is a secret: not in the outbox
  });

  it('client-side limit reached: the job waits for the window instead of sending into a silent drop', async () => {
    const windowMs = 600;
    const { port, uid } = setup({ deps: { limits: { app: [{ windowMs, max: 2 }] } } });
    const ids = [0, 1, 2].map((i) => `${uid}-rl-${i}`);
    for (const [i, id] of ids.entries()) await port.enqueue(textTo(id, 'bob', `rl ${uid} ${i}`));
    const rows = await Promise.all(ids.map((id) => untilStatus(id, 'sent', 'failed')));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    const times = ids.map((_, i) => sendsFor(`rl ${uid} ${i}`)[0]!.at).sort((a, b) => a - b);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(windowMs - 50);
  });

  it('81013 (no valid recipient): failed with the errcode, no retry', async () => {
    const { port, uid, queue } = setup();
    const id = `${uid}-nobody`;
    await port.enqueue(textTo(id, 'nobody', `to nobody ${uid}`));
    const row = await untilStatus(id, 'failed');
    expect(row.errcode).toBe(81013);
    expect(row.errmsg).toContain('invalid');
    const job = await finishedJob(queue, id);
    expect(job.failedReason).toContain('81013');
    expect(job.attemptsMade).toBe(1);
    expect(sendsFor(`to nobody ${uid}`)).toHaveLength(1);
  });

  it('sends a button card, then updates it with the response_code through the same job', async () => {
    const { port, uid } = setup();
    const id = `${uid}-card`;
    await port.enqueue({
      method: 'message/send',
      jobId: id,
      body: {
        touser: 'admin01',
        msgtype: 'template_card',
        template_card: { card_type: 'button_interaction', main_title: { title: '建议归档 3 个群' }, task_id: `task-${uid}`, button_list: [{ text: '归档', key: 'a' }] },
      },
    });
    const row = await untilStatus(id, 'sent');
    const responseCode = (row.result as { response_code?: string }).response_code;
    expect(responseCode).toMatch(/^rc_/);
    await port.enqueue({ method: 'message/update_template_card', jobId: `${id}-upd`, body: { userids: ['admin01'], response_code: responseCode, button: { replace_name: '已归档' } } });
    expect((await untilStatus(`${id}-upd`, 'sent', 'failed')).status).toBe('sent');
  });

  it('kf/send_msg gets a msgid derived from the job id, so a resend cannot reach the resident twice', async () => {
    const { port, uid } = setup();
    const kfid = `wk${uid}`;
    fake.kf.pushCustomerText(kfid, 'wmResident1', '我要开居住证明');
    const id = `${uid}:kf:1`;
    await port.enqueue({ method: 'kf/send_msg', jobId: id, body: { touser: 'wmResident1', open_kfid: kfid, msgtype: 'text', text: { content: '可以开具，请带身份证。' } } });
    const row = await untilStatus(id, 'sent', 'failed');
    expect(row.status).toBe('sent');
    expect((row.result as { msgid: string }).msgid).toBe(kfMsgId(id));
    expect(fake.kf.sent.filter((s) => s.open_kfid === kfid)).toHaveLength(1);
  });

  it('job ids: BullMQ-safe and one-to-one; defaults as the producer expects', () => {
    expect(toBullJobId('upd-7312345678901234567')).toBe('upd-7312345678901234567');
    expect(toBullJobId('12345')).toBe('%N12345');
    expect(toBullJobId('a:b')).toBe('a%3Ab');
    const ids = ['a:b', 'a%3Ab', '12', '%N12', 'x', '%', '%25'];
    expect(new Set(ids.map(toBullJobId)).size).toBe(ids.length);
    expect(kfMsgId('ans-msg_02-1')).toBe('ans-msg_02-1');
    expect(kfMsgId('kf:with:colons:and-a-very-long-suffix-0000')).toMatch(/^[0-9a-zA-Z_-]{32}$/);
    expect(SEND_JOB_OPTIONS).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
  });
});
