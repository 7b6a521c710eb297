import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { WecomApi } from '../bot/wecom-api/client.js';
import { WecomApiError, classifyError } from '../bot/wecom-api/errors.js';
import { silentLogger } from '../lib/log.js';
import { testPrefix, testRedis } from './support/redis.js';
import { startFakeWecom, type FakeWecom } from './fake-wecom/server.js';

const SECRET = 'app-secret-DO-NOT-LOG-7f3a9c';

describe('WecomApi against the fake WeCom server', () => {
  let fake: FakeWecom;
  let redis: Redis;
  let prefix: string;
  const clients: WecomApi[] = [];

  const client = (over: Partial<ConstructorParameters<typeof WecomApi>[0]> = {}) => {
    const c = new WecomApi({
      baseUrl: fake.url,
      corpId: fake.corpId,
      secret: SECRET,
      agentId: fake.agentId,
      redis,
      prefix,
      log: silentLogger(),
      timeoutMs: 2_000,
      ...over,
    });
    clients.push(c);
    return c;
  };
  const text = (touser: string, content = '你好') => ({ touser, msgtype: 'text', text: { content } });

  beforeAll(async () => {
    fake = await startFakeWecom({ secret: SECRET, agentId: 1000002 });
    redis = testRedis();
  });
  afterAll(async () => {
    await fake.close();
    await redis.quit();
  });
  beforeEach(() => {
    prefix = testPrefix(); // a fresh token cache per test
    fake.requests.length = 0;
  });

  it('caches the token in Redis and shares it between two client instances (one gettoken)', async () => {
    const a = client();
    const b = client();
    const r1 = await a.sendMessage(text('alice'));
    const r2 = await b.sendMessage(text('bob'));
    expect(r1.msgid).toMatch(/^msg_/);
    expect(r2.msgid).not.toBe(r1.msgid);
    expect(fake.callsTo('gettoken')).toHaveLength(1);
    const tokens = fake.callsTo('message/send').map((r) => r.query.access_token);
    expect(new Set(tokens).size).toBe(1);
    expect(await redis.get(a.tokens.redisKey)).toBe(tokens[0]);
  });

  it('fetches one token for many concurrent first calls across instances', async () => {
    const a = client();
    const b = client();
    fake.stallNext('gettoken', 150); // keep the lock holder busy so the others must wait
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).sendMessage(text(`u${i}`))));
    expect(results.every((r) => r.errcode === 0)).toBe(true);
    expect(fake.callsTo('gettoken')).toHaveLength(1);
    expect(fake.callsTo('message/send')).toHaveLength(12);
  });

  it('on 42001 refreshes the token once and the retry succeeds', async () => {
    const a = client();
    await a.sendMessage(text('alice'));
    fake.expireTokens(); // the cached token is now expired on the server side
    const r = await a.sendMessage(text('alice', '第二条'));
    expect(r.errcode).toBe(0);
    const sends = fake.callsTo('message/send');
    expect(sends.map((s) => s.answer?.errcode)).toEqual([0, 42001, 0]);
    expect(fake.callsTo('gettoken')).toHaveLength(2);
    expect(sends[2]!.query.access_token).not.toBe(sends[1]!.query.access_token);
  });

  it('two instances that both see 42001 for the same token refresh it only once', async () => {
    const a = client();
    const b = client();
    await a.sendMessage(text('alice'));
    fake.expireTokens();
    fake.stallNext('gettoken', 100);
    await Promise.all([a.sendMessage(text('alice', 'x')), b.sendMessage(text('bob', 'y'))]);
    expect(fake.callsTo('gettoken')).toHaveLength(2); // the first token, then exactly one refresh
  });

  it('refreshes at most once per call: a second token error is thrown', async () => {
    const a = client();
    fake.failNext('message/send', 40014, 2);
    const e = await a.sendMessage(text('alice')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WecomApiError);
    expect((e as WecomApiError).errcode).toBe(40014);
    expect((e as WecomApiError).method).toBe('message/send');
    expect(fake.callsTo('message/send')).toHaveLength(2);
    expect(fake.callsTo('gettoken')).toHaveLength(2);
  });

  it('a wrong secret fails at gettoken with errcode 40001, classified permanent', async () => {
    const a = client({ secret: 'wrong-secret' });
    const e = (await a.sendMessage(text('alice')).catch((x: unknown) => x)) as WecomApiError;
    expect(e).toBeInstanceOf(WecomApiError);
    expect([e.method, e.errcode]).toEqual(['gettoken', 40001]);
    expect(classifyError(e)).toBe('permanent');
    expect(fake.callsTo('message/send')).toHaveLength(0);
  });

  it('fills agentid and the duplicate check by default; the body may override them', async () => {
    const a = client();
    await a.sendMessage(text('alice'));
    await a.sendMessage({ ...text('alice', 'b'), duplicate_check_interval: 600 });
    const [first, second] = fake.callsTo('message/send').map((r) => r.body as Record<string, unknown>);
    expect(first).toMatchObject({ agentid: 1000002, enable_duplicate_check: 1, duplicate_check_interval: 1800, touser: 'alice' });
    expect(second).toMatchObject({ duplicate_check_interval: 600 });
  });

  it('a template card returns a response_code that update_template_card accepts once', async () => {
    const a = client();
    const sent = await a.sendMessage({
      touser: 'admin01',
      msgtype: 'template_card',
      template_card: { card_type: 'button_interaction', main_title: { title: '3 个群 90 天无消息' }, task_id: 't1', button_list: [{ text: '归档', key: 'archive:1' }] },
    });
    expect(sent.response_code).toMatch(/^rc_/);
    const upd = await a.updateTemplateCard({ userids: ['admin01'], response_code: sent.response_code, button: { replace_name: '已归档' } });
    expect(upd.errcode).toBe(0);
    expect((fake.callsTo('message/update_template_card')[0]!.body as Record<string, unknown>).agentid).toBe(1000002);
    const again = (await a.updateTemplateCard({ response_code: sent.response_code, button: { replace_name: 'x' } }).catch((x: unknown) => x)) as WecomApiError;
    expect(again).toBeInstanceOf(WecomApiError);
    expect(fake.messages.cardUpdates).toHaveLength(1);
  });

  it('webhookSend posts with the key and no access token; the 21st message in a minute gets 45009', async () => {
    const a = client();
    const key = `hook-${prefix}`;
    for (let i = 0; i < 20; i++) await a.webhookSend(key, { msgtype: 'text', text: { content: `m${i}` } });
    const e = (await a.webhookSend(key, { msgtype: 'text', text: { content: 'm20' } }).catch((x: unknown) => x)) as WecomApiError;
    expect([e.method, e.errcode, classifyError(e)]).toEqual(['webhook/send', 45009, 'rate_limit']);
    const calls = fake.callsTo('webhook/send');
    expect(calls[0]!.query).toEqual({ key });
    expect(fake.callsTo('gettoken')).toHaveLength(0);
  });

  it('a timeout becomes a transient WecomApiError (errcode -1, transport timeout)', async () => {
    const a = client({ timeoutMs: 150 });
    await a.sendMessage(text('alice')); // token first, so only the send stalls
    fake.stallNext('message/send', 1_000);
    const started = Date.now();
    const e = (await a.sendMessage(text('alice', 'slow')).catch((x: unknown) => x)) as WecomApiError;
    expect(Date.now() - started).toBeLessThan(900);
    expect([e.errcode, e.transport, classifyError(e)]).toEqual([-1, 'timeout', 'transient']);
  });

  it('HTTP 502 and network errors are transient; errcode 81013 is permanent', async () => {
    const a = client();
    fake.httpErrorNext('message/send', 502);
    const e502 = (await a.sendMessage(text('alice')).catch((x: unknown) => x)) as WecomApiError;
    expect([e502.httpStatus, classifyError(e502)]).toEqual([502, 'transient']);
    fake.failNext('message/send', 81013);
    const e81013 = (await a.sendMessage(text('alice')).catch((x: unknown) => x)) as WecomApiError;
    expect([e81013.errcode, classifyError(e81013)]).toEqual([81013, 'permanent']);
    const dead = client({ baseUrl: 'http://127.0.0.1:9', prefix: `${prefix}-dead` }); // no cached token: gettoken fails first
    const eNet = (await dead.sendMessage(text('alice')).catch((x: unknown) => x)) as WecomApiError;
    expect([eNet.method, eNet.transport, classifyError(eNet)]).toEqual(['gettoken', 'network', 'transient']);
  });

  it('a caller waiting for another process gives up after waitTimeoutMs, and takes the token once it appears', async () => {
    const a = client({ token: { waitTimeoutMs: 200, pollMs: 20 } });
    await redis.set(`${a.tokens.redisKey}:lock`, 'someone-else', 'PX', 5_000);
    const e = (await a.tokens.get().catch((x: unknown) => x)) as WecomApiError;
    expect([e.method, e.transport]).toEqual(['gettoken', 'timeout']);
    const b = client({ token: { waitTimeoutMs: 2_000, pollMs: 20 } });
    setTimeout(() => void redis.set(b.tokens.redisKey, 'token-from-other-process', 'PX', 60_000), 100);
    expect(await b.tokens.get()).toBe('token-from-other-process');
    expect(fake.callsTo('gettoken')).toHaveLength(0);
  });

  it('invalidate() only removes the token it was given', async () => {
    const a = client();
    const t = await a.tokens.get();
    expect(await a.tokens.invalidate('some-older-token')).toBe(false);
    expect(await a.tokens.get()).toBe(t);
    expect(await a.tokens.invalidate(t)).toBe(true);
    expect(await a.tokens.get()).not.toBe(t);
  });

  it('never logs the secret or the token, and keeps the secret out of Redis keys', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const a = client({ log: pino({ level: 'trace' }, sink) });
    await a.sendMessage(text('alice'));
    fake.expireTokens();
    await a.sendMessage(text('alice', 'again'));
    fake.failNext('message/send', -1);
    await a.sendMessage(text('alice', 'x')).catch(() => undefined);
    const tokensSeen = fake.callsTo('message/send').map((r) => r.query.access_token!);
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(2);
    expect(all).not.toContain(SECRET);
    for (const t of tokensSeen) expect(all).not.toContain(t);
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain(SECRET);
    // the fake records queries without the secret as well
    expect(JSON.stringify(fake.callsTo('gettoken'))).not.toContain(SECRET);
  });
});
