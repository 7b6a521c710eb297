import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startFakeWecom, type FakeWecom } from './fake-wecom/server.js';
import { createTestDb } from './support/db.js';
import { testPrefix, testRedisUrl } from './support/redis.js';
import { WecomApi } from '../bot/wecom-api/client.js';
import { kfLinkCommand, kfServicerCommand } from '../bin/commands/kf.js';
import { findKfLink, onDutyKfServicers } from '../db/kf/residents.js';
import { villageFromSceneParam } from '../handlers/kf/replies.js';
import { loadSeedCatalog } from '../seeds/load.js';
import type { Catalog } from '../seeds/schema.js';
import { silentLogger } from '../lib/log.js';

const log = silentLogger();
let db: Awaited<ReturnType<typeof createTestDb>>;
let fake: FakeWecom;
let redis: Redis;
let api: WecomApi;
let catalog: Catalog;

beforeAll(async () => {
  db = await createTestDb();
  fake = await startFakeWecom();
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  api = new WecomApi({ baseUrl: fake.url, corpId: fake.corpId, secret: fake.secret, agentId: fake.agentId, redis, prefix: testPrefix(), log });
  catalog = await loadSeedCatalog();
}, 60_000);

afterAll(async () => {
  await redis?.quit();
  await fake?.close();
  await db?.close();
});

describe('kf link / kf servicer', () => {
  it('no account → a clear message; link for a village → scene village_qr + scene_param v=<code>, stored, and scanning it enters with that village', async () => {
    const none = await kfLinkCommand({ db: db.db, api, catalog, village: '140802002201' });
    expect(none.code).toBe(1);
    expect(none.text).toContain('没有可由本应用管理的客服账号');

    fake.kf.addAccount('wkONLY000000000000000000001', '北城便民服务');
    const r = await kfLinkCommand({ db: db.db, api, catalog, village: '140802002201', publicBaseUrl: 'https://bot.example.gov.cn/' });
    expect(r.code).toBe(0);
    expect(r.text).toContain('北郊村');
    expect(r.text).toContain('https://bot.example.gov.cn/zhengming/poster?village=140802002201');
    const url = r.text.split('\n')[1]!;
    expect(url).toMatch(/^https:\/\/work\.weixin\.qq\.com\/kf\/kfc\w+\?enc_scene=\w+&scene_param=v%3D140802002201$/);
    expect(fake.callsTo('kf/add_contact_way').at(-1)!.body).toEqual({ open_kfid: 'wkONLY000000000000000000001', scene: 'village_qr' });
    expect(await findKfLink(db.db, ['140802002201', '140802002'])).toBe(url);

    const { item } = fake.kf.scan(url, 'wmScanner');
    const ev = item.event as { scene: string; scene_param: string };
    expect(ev.scene).toBe('village_qr');
    expect(villageFromSceneParam(ev.scene_param)).toBe('140802002201');
  });

  it('several accounts → asks for --kfid; unknown village or bad code → exit 2 with the reason', async () => {
    fake.kf.addAccount('wkSECOND00000000000000000001', '东城便民服务');
    const many = await kfLinkCommand({ db: db.db, api, catalog, village: '140802002201' });
    expect(many.code).toBe(2);
    expect(many.text).toContain('wkSECOND00000000000000000001');
    const chosen = await kfLinkCommand({ db: db.db, api, catalog, village: '140802001001', kfid: 'wkSECOND00000000000000000001' });
    expect(chosen.code).toBe(0);
    expect((await kfLinkCommand({ db: db.db, api, catalog, village: '999' })).code).toBe(2);
    expect((await kfLinkCommand({ db: db.db, api, catalog, village: 'v=1&x=<script>' })).text).toContain('代码不对');
    const bad = await kfLinkCommand({ db: db.db, api, catalog, village: '140802002201', kfid: 'wkNOPE' });
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.text).toContain('95000');
  });

  it('kf servicer registers an on-duty cadre for a village (township cadres serve its villages when none is there)', async () => {
    expect((await kfServicerCommand({ db: db.db, catalog, village: '140802002', user: 'town_wang' })).code).toBe(0);
    expect(await onDutyKfServicers(db.db, ['140802002201', '140802002'])).toEqual(['town_wang']);
    await kfServicerCommand({ db: db.db, catalog, village: '140802002201', user: 'cadre_zhao' });
    expect(await onDutyKfServicers(db.db, ['140802002201', '140802002'])).toEqual(['cadre_zhao']);
    await kfServicerCommand({ db: db.db, catalog, village: '140802002201', user: 'cadre_zhao', off: true });
    expect(await onDutyKfServicers(db.db, ['140802002201', '140802002'])).toEqual(['town_wang']);
    expect((await kfServicerCommand({ db: db.db, catalog, village: '140802002201', user: 'a b' })).code).toBe(2);
  });
});
