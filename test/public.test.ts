import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from './support/db.js';
import { startPublicHarness, type PublicHarness } from './support/public-harness.js';
import { saveKfLink } from '../db/kf/residents.js';

let db: Awaited<ReturnType<typeof createTestDb>>;
let h: PublicHarness;
let ipN = 0;

/** GET with its own client IP (the app trusts X-Forwarded-For, as behind a proxy), so tests don't share a rate bucket. */
async function get(path: string, ip = `10.1.0.${++ipN}`) {
  const res = await fetch(`${h.url}${path}`, { headers: { 'x-forwarded-for': ip } });
  const body = await res.text();
  return { status: res.status, body, headers: res.headers };
}
const api = async (qs: string, ip?: string) => {
  const r = await get(`/api/certificates?${qs}`, ip);
  return { ...r, json: JSON.parse(r.body) as Record<string, unknown> & { results: Array<Record<string, unknown>>; region: Record<string, unknown> } };
};

beforeAll(async () => {
  db = await createTestDb();
  // A fixed clock for the limiter: the test never straddles a minute boundary.
  h = await startPublicHarness(db.db, { limiterNow: () => 1_800_000_000_000 + 30_000 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await db?.close();
});

describe('GET /zhengming (server-rendered, works without JavaScript)', () => {
  it('lists both kinds of certificates, expandable, with cache and security headers, under 100 KB', async () => {
    const r = await get('/zhengming?village=140802002201');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.headers.get('cache-control')).toBe('public, max-age=300');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.body).toContain('村（社区）可以开的证明（7项）');
    expect(r.body).toContain('不再由村（社区）开的证明 → 去哪里办（32项）');
    expect(r.body).toContain('北郊村');
    expect(r.body).toMatch(/<details class="it" id="i-N05"><summary>无犯罪记录证明 <span class="tag no">村里不开<\/span><\/summary><dl><dt>去哪办<\/dt><dd>[^<]*派出所/);
    expect(r.body).toContain('<dt>要带</dt>');
    expect(r.body).toContain('<dt>依据</dt>');
    expect(r.body).toMatch(/<dt>清单<\/dt><dd>村（社区）可出具证明事项目录（运城口径重构 2025（种子））· 编号 C07/);
    expect(r.body).not.toMatch(/cookie|手机号|身份证号/i);
    expect(Buffer.byteLength(r.body)).toBeLessThan(100 * 1024);
  });

  it('a submitted question (no JS) is answered on the page, typo and all', async () => {
    const r = await get(`/zhengming?village=140802002201&q=${encodeURIComponent('居柱证明')}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=60');
    expect(r.body).toContain('✅ 可以在村（社区）开');
    expect(r.body).toContain('<details class="it" id="i-C07" open>');
    expect(r.body).toContain('value="居柱证明"');
  });

  it('an unknown village → the default region, said on the page', async () => {
    const r = await get('/zhengming?village=9999999');
    expect(r.status).toBe(200);
    expect(r.body).toContain('没找到&quot;9999999&quot;这个村（社区），下面按北城街道的清单显示。');
    const none = await get('/zhengming');
    expect(none.body).toContain('下面按北城街道的清单显示');
  });

  it('script in q or village is escaped; a 2,000-character q is refused with a reason', async () => {
    const evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const r = await get(`/zhengming?q=${encodeURIComponent(evil)}&village=${encodeURIComponent(evil)}`);
    expect(r.status).toBe(200);
    expect(r.body).not.toContain('<script>alert');
    expect(r.body).not.toContain('<img src=x');
    expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const long = await get(`/zhengming?q=${'a'.repeat(2000)}`);
    expect(long.status).toBe(400);
    expect(long.body).toContain('问题太长了');
    expect(long.headers.get('cache-control')).toBe('no-store');
    // 2,000 Chinese characters percent-encoded exceed Node's 16 KB header limit: a clear 431, no crash.
    expect((await get(`/zhengming?q=${encodeURIComponent('证'.repeat(2000))}`)).status).toBe(431);
  });
});

describe('GET /api/certificates', () => {
  it('answers with the shared engine: typo → the right item; banned → where to go', async () => {
    const a = await api(`q=${encodeURIComponent('居柱证名')}&village=140802002201`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toContain('application/json');
    expect(a.headers.get('cache-control')).toBe('public, max-age=60');
    expect(a.json.kind).toBe('item');
    expect(a.json.results[0]).toMatchObject({ id: 'C07', allowed: true });
    expect(a.json.region).toMatchObject({ code: '140802002201', name: '北郊村', isDefault: false });
    const b = await api(`q=${encodeURIComponent('良民证')}`);
    expect(b.json.results[0]).toMatchObject({ id: 'N05', allowed: false, replacement: ['公安派出所'] });
    expect(String(b.json.results[0]!.whereToGo)).toContain('派出所');
    expect(String(b.json.html)).toContain('❌ 村（社区）不开');
  });

  it('unsure → up to 3 candidates; nothing found → an empty result with a hint', async () => {
    const a = await api(`q=${encodeURIComponent('房屋证明')}`);
    expect(a.json.kind).toBe('ambiguous');
    expect(a.json.results.length).toBeGreaterThan(1);
    expect(a.json.results.length).toBeLessThanOrEqual(3);
    const n = await api(`q=${encodeURIComponent('明天下雨吗')}`);
    expect(n.json).toMatchObject({ kind: 'not_found', results: [] });
    expect(String(n.json.text)).toContain('换个说法');
  });

  it('bad input: empty q → 200 empty; 2,000 chars → 400 with a reason; script-laden q → escaped; unknown village → default, said', async () => {
    const e = await api('q=&village=140802002201');
    expect(e.status).toBe(200);
    expect(e.json).toMatchObject({ kind: 'empty', results: [], html: '' });
    const missing = await api('');
    expect(missing.json.kind).toBe('empty');
    const long = await api(`q=${'a'.repeat(2000)}`);
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({ error: 'bad_q' });
    expect(String(long.json.message)).toContain('200字以内');
    const evil = await api(`q=${encodeURIComponent('<script>alert(1)</script>居住证明')}`);
    expect(evil.status).toBe(200);
    expect(String(evil.json.html)).not.toContain('<script>');
    expect(String(evil.json.html)).toContain('&lt;script&gt;');
    const v = await api('q=%E5%B1%85%E4%BD%8F%E8%AF%81%E6%98%8E&village=%3Cb%3Enope');
    expect(v.json.region).toMatchObject({ isDefault: true, name: '北城街道' });
    expect(String(v.json.region.notice)).toContain('没找到"<b>nope"');
    const arr = await api('q=a&q=b&village=x&village=y');
    expect(arr.status).toBe(200);
  });

  it('per-IP rate limit: 60 a minute, then a clear 429 with Retry-After (other IPs unaffected)', async () => {
    const ip = '10.9.9.9';
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await get(`/api/certificates?q=${i}`, ip)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = await get('/api/certificates?q=x', ip);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(JSON.parse(over.body)).toMatchObject({ error: 'rate_limited' });
    expect(JSON.parse(over.body).message).toContain('每分钟最多60次');
    const page = await get('/zhengming?q=%E5%B1%85%E4%BD%8F', ip);
    expect(page.status).toBe(429);
    expect(page.body).toContain('请求太频繁了');
    expect((await get('/zhengming', ip)).status).toBe(200); // the plain page is not limited
    expect((await get('/api/certificates?q=x', '10.9.9.10')).status).toBe(200);
  });
});

describe('GET /zhengming/poster', () => {
  it('an A4 print page with the village, its certificates and two QR codes (page + 微信客服 link when configured)', async () => {
    const without = await get('/zhengming/poster?village=140802002202');
    expect(without.status).toBe(200);
    expect(without.body).toContain('@page{size:A4');
    expect(without.body).toContain('西关村');
    expect(without.body.match(/<svg/g)?.length).toBe(1);
    await saveKfLink(db.db, '140802002', 'wkX', 'village_qr', 'https://work.weixin.qq.com/kf/kfcABC?enc_scene=ENCx&scene_param=v%3D140802002');
    const withKf = await get('/zhengming/poster?village=140802002202');
    expect(withKf.body.match(/<svg/g)?.length).toBe(2);
    expect(withKf.body).toContain('微信扫码，在线咨询');
    expect(withKf.body).toContain('居住情况证明（居住证明）');
    expect(withKf.body).toContain(`${h.url}/zhengming?village=140802002202`);
  });
});
