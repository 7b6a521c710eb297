import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { eq } from 'drizzle-orm';
import { startTestService, TEST_CREDS, type TestService } from './support/service.js';
import { post, get, postRaw, sealed } from './support/http.js';
import { aibotTextMessage, appTextMessage, openReply, verificationRequest, sealCallback } from '../bot/simulator.js';
import { signature } from '../bot/crypto.js';
import { inboundMessages } from '../db/schema/index.js';
import { buildXml } from '../bot/callback/xml.js';
import * as wecom from '@wecom/crypto';
import { randomBytes } from 'node:crypto';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => svc.close());

const now = () => Math.floor(Date.now() / 1000);

describe('URL verification', () => {
  it.each(['aibot', 'app'] as const)('%s: answers the bare plaintext echo', async (channel) => {
    const v = verificationRequest(TEST_CREDS, channel, '6347210571338410958');
    const res = await get(svc.url, v.path, v.query);
    expect(res.status).toBe(200);
    expect(res.body).toBe('6347210571338410958');
  });

  it('refuses an echostr signed with the wrong token', async () => {
    const v = verificationRequest({ ...TEST_CREDS, aibotToken: 'other' }, 'aibot', '123');
    expect((await get(svc.url, v.path, v.query)).status).toBe(401);
  });
});

describe('AI bot callbacks', () => {
  it('answers 帮助 with a finished stream, reusing the request nonce', async () => {
    const req = sealed(TEST_CREDS, 'aibot', aibotTextMessage({ text: '帮助' }));
    const res = await post(svc.url, req);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { nonce: string; msgsignature: string; timestamp: number };
    expect(body.nonce).toBe(new URLSearchParams(req.query).get('nonce'));
    expect(typeof body.timestamp).toBe('number');
    const reply = JSON.parse(openReply(TEST_CREDS, 'aibot', res.body));
    expect(reply.msgtype).toBe('stream');
    expect(reply.stream.finish).toBe(true);
    expect(reply.stream.content).toContain('基层减负助手');
  });

  it('strips the leading @mention in groups and records the message with its reply', async () => {
    const msgId = `m${randomBytes(4).toString('hex')}`;
    const res = await post(svc.url, sealed(TEST_CREDS, 'aibot', aibotTextMessage({ text: '帮助', group: 'wrGROUP1', msgId, user: 'lisi' })));
    expect(JSON.parse(openReply(TEST_CREDS, 'aibot', res.body)).stream.content).toContain('证明事项');
    await svc.runtime.flushInbound();
    const rows = await svc.infra.db.db.select().from(inboundMessages).where(eq(inboundMessages.msgId, msgId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ text: '帮助', chatId: 'wrGROUP1', userId: 'lisi', chatType: 'group', channel: 'aibot' });
  });

  it('runs the handler once for four concurrent deliveries and gives four identical replies', async () => {
    const msgId = `dup${randomBytes(4).toString('hex')}`;
    const plaintext = aibotTextMessage({ text: '你好呀', msgId });
    const reqs = Array.from({ length: 4 }, () => sealed(TEST_CREDS, 'aibot', plaintext));
    const results = await Promise.all(reqs.map((r) => post(svc.url, r)));
    const replies = results.map((r) => openReply(TEST_CREDS, 'aibot', r.body));
    expect(new Set(replies).size).toBe(1);
    expect(replies[0]).toContain('stream');
    await svc.runtime.flushInbound();
    const rows = await svc.infra.db.db.select().from(inboundMessages).where(eq(inboundMessages.msgId, msgId));
    expect(rows).toHaveLength(1);
  });

  it('answers enter_chat with a text welcome', async () => {
    const msg = JSON.stringify({ msgid: `e${randomBytes(3).toString('hex')}`, create_time: now(), aibotid: 'aib', chattype: 'single', from: { userid: 'u1' }, msgtype: 'event', event: { eventtype: 'enter_chat' } });
    const reply = JSON.parse(openReply(TEST_CREDS, 'aibot', (await post(svc.url, sealed(TEST_CREDS, 'aibot', msg))).body));
    expect(reply.msgtype).toBe('text');
    expect(reply.text.content).toContain('基层减负助手');
  });

  it('answers an unknown message type with an empty 200', async () => {
    const msg = JSON.stringify({ msgid: 'x1', aibotid: 'aib', chattype: 'single', from: { userid: 'u1' }, msgtype: 'hologram' });
    const res = await post(svc.url, sealed(TEST_CREDS, 'aibot', msg));
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  });
});

describe('app callbacks', () => {
  it('answers text with encrypted XML and keeps the 64-bit MsgId as a string', async () => {
    const msgId = '7312345678901234567';
    const res = await post(svc.url, sealed(TEST_CREDS, 'app', appTextMessage(TEST_CREDS, { text: '帮助', msgId, user: 'wangwu' })));
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^<xml><Encrypt>/);
    const xml = openReply(TEST_CREDS, 'app', res.body);
    expect(xml).toContain('<ToUserName><![CDATA[wangwu]]></ToUserName>');
    expect(xml).toContain('证明事项');
    await svc.runtime.flushInbound();
    const rows = await svc.infra.db.db.select().from(inboundMessages).where(eq(inboundMessages.msgId, msgId));
    expect(rows.map((r) => r.msgId)).toEqual([msgId]);
  });
});

describe('bad input', () => {
  const valid = () => sealed(TEST_CREDS, 'aibot', aibotTextMessage({ text: '帮助' }));

  it('wrong signature → 401', async () => {
    const r = valid();
    expect((await post(svc.url, { ...r, query: r.query.replace(/msg_signature=[0-9a-f]+/, 'msg_signature=' + 'f'.repeat(40)) })).status).toBe(401);
  });
  it('missing query parameters → 400', async () => {
    const r = valid();
    expect((await post(svc.url, { ...r, query: r.query.replace(/&nonce=\d+/, '') })).status).toBe(400);
    expect((await post(svc.url, { ...r, query: '' })).status).toBe(400);
  });
  it('receiveid not ours → 401', async () => {
    // Encrypted for the app with another corp id, correctly signed.
    const other = { ...TEST_CREDS, corpId: 'wwSOMEONEELSE000' };
    const res = await post(svc.url, sealed(other, 'app', appTextMessage(other, { text: '帮助' })));
    expect(res.status).toBe(401);
    // The AI bot expects an empty receiveid.
    const enc = wecom.encrypt(TEST_CREDS.aibotAesKey, aibotTextMessage({ text: 'x' }), TEST_CREDS.corpId);
    const ts = String(now());
    const q = `msg_signature=${signature(TEST_CREDS.aibotToken, ts, '1', enc)}&timestamp=${ts}&nonce=1`;
    expect((await postRaw(svc.url, '/wecom/aibot', q, JSON.stringify({ encrypt: enc }))).status).toBe(401);
  });
  it('timestamp outside the window → 401', async () => {
    const res = await post(svc.url, sealed(TEST_CREDS, 'aibot', aibotTextMessage({ text: '帮助' }), now() - 7200));
    expect(res.status).toBe(401);
  });
  it('body over 1 MiB → 413', async () => {
    const r = valid();
    const res = await postRaw(svc.url, '/wecom/aibot', r.query, JSON.stringify({ encrypt: 'A'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
  });
  it('malformed JSON, XML, DOCTYPE and non-UTF-8 → 400, quickly', async () => {
    const r = valid();
    const t0 = Date.now();
    expect((await postRaw(svc.url, '/wecom/aibot', r.query, '{"encrypt":')).status).toBe(400);
    expect((await postRaw(svc.url, '/wecom/aibot', r.query, '{"nothing":1}')).status).toBe(400);
    expect((await postRaw(svc.url, '/wecom/app', r.query, '<xml><Encrypt>abc</xml>', 'application/xml')).status).toBe(400);
    const bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>';
    expect((await postRaw(svc.url, '/wecom/app', r.query, bomb, 'application/xml')).status).toBe(400);
    expect((await postRaw(svc.url, '/wecom/aibot', r.query, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).status).toBe(400);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
  it('a correctly signed envelope whose plaintext is not JSON → 400', async () => {
    const res = await post(svc.url, sealCallback(TEST_CREDS, 'aibot', 'not json at all'));
    expect(res.status).toBe(400);
  });
  it('an app envelope with non-XML plaintext → 400', async () => {
    const res = await post(svc.url, sealCallback(TEST_CREDS, 'app', buildXml({ a: 'b' }).replace('<xml>', '<nope>')));
    expect(res.status).toBe(400);
  });
});

describe('health and metrics', () => {
  it('reports liveness, readiness and Prometheus metrics for callbacks, duplicates and outbound sends', async () => {
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${svc.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, database: true, redis: true });
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(/wecom_callbacks_total\{channel="aibot",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/wecom_callbacks_total\{channel="aibot",outcome="signature_mismatch"\} [1-9]/);
    expect(text).toMatch(/wecom_duplicates_dropped_total\{channel="aibot"\} [1-9]/);
    expect(text).toMatch(/wecom_callback_duration_seconds_bucket/);
    expect(text).toContain('wecom_outbound_sends');
  });
});
