import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startFakeWecom, type FakeWecom } from './fake-wecom/server.js';
import { startTestService, TEST_CREDS, type TestService } from './support/service.js';
import { post } from './support/http.js';
import { askApp } from './support/chat.js';
import { buildXml } from '../bot/callback/xml.js';
import { sealCallback } from '../bot/simulator.js';

// The capabilities as bin/compose.ts wires them for `npm start` (not a test harness of their own).
describe('the composed service', () => {
  let fake: FakeWecom;
  let svc: TestService;
  beforeAll(async () => {
    fake = await startFakeWecom({ corpId: TEST_CREDS.corpId, secret: TEST_CREDS.appSecret, agentId: TEST_CREDS.appAgentId });
    svc = await startTestService({ apiBase: fake.url, env: { API_TOKEN: 'test-import-token' } });
  });
  afterAll(async () => {
    await svc.close();
    await fake.close();
  });

  it('answers a resident through 微信客服: callback → kf-sync job → sync_msg → one send_msg', async () => {
    fake.kf.pushCustomerText('wkTEST', 'wmRESIDENT1', '我想开居住证明村里能开吗');
    const xml = buildXml({ ToUserName: TEST_CREDS.corpId, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'kf_msg_or_event', Token: 'TOKEN1', OpenKfId: 'wkTEST' });
    const res = await post(svc.url, sealCallback(TEST_CREDS, 'app', xml));
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !fake.kf.sent.some((s) => s.api === 'send_msg')) await new Promise((r) => setTimeout(r, 50));
    const sent = fake.kf.sent.filter((s) => s.api === 'send_msg');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.external_userid).toBe('wmRESIDENT1');
    expect(JSON.stringify(sent[0]!.body)).toContain('居住');
  });

  it('serves the public page and the certificates API', async () => {
    const page = await fetch(`${svc.url}/zhengming`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('村（社区）可以开的证明');
    const api = await fetch(`${svc.url}/api/certificates?q=${encodeURIComponent('无犯罪证明')}`);
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain('N05');
  });

  it('answers a list question on the app passively within 2,048 bytes', async () => {
    const text = await askApp(svc.url, '村里能开哪些证明', 'longreader');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    expect(text).toContain('C01');
  });

  it('imports activity through POST /api/activity only with the bearer token', async () => {
    const now = Date.now();
    const body = [
      JSON.stringify({ chatid: 'wrAPI1', msgid: 'a1', from: 'lisi', msgtime: now - 60_000 }),
      'not json',
      JSON.stringify({ chatid: 'wrAPI1', msgid: 'a2', from: 'lisi', msgtime: now + 86_400_000 }),
    ].join('\n');
    const noAuth = await fetch(`${svc.url}/api/activity`, { method: 'POST', body });
    expect(noAuth.status).toBe(401);
    const wrong = await fetch(`${svc.url}/api/activity`, { method: 'POST', body, headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${svc.url}/api/activity`, { method: 'POST', body, headers: { authorization: 'Bearer test-import-token' } });
    expect(ok.status).toBe(200);
    const report = JSON.stringify(await ok.json());
    expect(report).toMatch(/"line":2/);
    expect(report).toMatch(/"line":3/);
    const again = await fetch(`${svc.url}/api/activity`, { method: 'POST', body: '', headers: { authorization: 'Bearer test-import-token' } });
    expect(again.status).toBe(400);
  });
});
