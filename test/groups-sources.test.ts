import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createTestDb } from './support/db.js';
import { testPrefix, testRedisUrl } from './support/redis.js';
import { textUpdate, log } from './support/zombie-harness.js';
import { startFakeWecom, type FakeWecom } from './fake-wecom/server.js';
import { Bot } from '../bot/bot.js';
import { WecomApi } from '../bot/wecom-api/client.js';
import type { AppDeps } from '../handlers/deps.js';
import { recordGroupActivity } from '../handlers/groups/index.js';
import { getGroupByChatId } from '../db/groups/groups.js';
import { importGroups } from '../db/groups/import-groups.js';
import { importActivity } from '../db/groups/import-activity.js';
import { setStoredRule } from '../db/groups/rules.js';
import { getSyncState } from '../db/groups/groups.js';
import { createGroupChatApi, type GroupChatApi } from '../jobs/zombie/groupchat-api.js';
import { syncCustomerGroups, SYNC_STATE_KEY } from '../jobs/zombie/sync.js';
import { evaluateGroups } from '../jobs/zombie/evaluate.js';
import { activityApi, groupsImportActivityCommand, groupsImportCommand, parseNow, scanReport } from '../bin/commands/groups.js';
import { loadConfig } from '../lib/config.js';
import { DAY_MS, ManualClock } from '../lib/clock.js';
import type { Db } from '../db/client.js';

const NOW = new Date('2026-06-01T01:00:00Z');
const ago = (d: number) => NOW.getTime() - d * DAY_MS;

describe('group sources, rules per region and CLI functions', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let fake: FakeWecom;
  let redis: Redis;
  let api: GroupChatApi;
  beforeAll(async () => {
    t = await createTestDb();
    fake = await startFakeWecom();
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    api = createGroupChatApi(new WecomApi({ baseUrl: fake.url, corpId: fake.corpId, secret: fake.secret, agentId: fake.agentId, redis, prefix: testPrefix(), log }));
  });
  afterAll(async () => {
    await redis.quit();
    await fake.close();
    await t.close();
  });

  function botWith(db: Db): Bot<AppDeps> {
    const outbound = { enqueue: async () => {} };
    const deps = { db, redis: undefined, config: loadConfig({}), clock: new ManualClock(NOW), log, outbound, agentId: 1, enqueueJob: async () => {}, catalog: undefined as unknown as AppDeps['catalog'] } satisfies AppDeps;
    const bot = new Bot<AppDeps>({ deps, log, outbound });
    bot.use(recordGroupActivity);
    bot.use((ctx) => ctx.replyText(`pong ${ctx.text}`));
    return bot;
  }

  it('records every AI-bot group message once, and never breaks answering', async () => {
    const bot = botWith(t.db);
    const u = textUpdate({ userId: 'u1', text: '能开居住证明吗', chatId: 'wrMw', msgId: 'mw-1', at: new Date(ago(3)) });
    expect(await bot.handleUpdate(u)).toEqual({ kind: 'text', text: 'pong 能开居住证明吗' });
    await bot.handleUpdate(u); // re-delivery
    await bot.handleUpdate(textUpdate({ userId: 'u1', text: '1:1', msgId: 'mw-2' })); // 1:1: not a group
    const g = (await getGroupByChatId(t.db, 'wrMw'))!;
    expect(g).toMatchObject({ source: 'aibot', firstSeenAtMs: ago(3) });
    const n = await t.db.execute(sql`SELECT count(*)::int AS n, max(actor) AS actor FROM group_activity WHERE group_id = ${g.id}`);
    expect(n.rows[0]).toEqual({ n: 1, actor: 'u1' });

    const broken = { execute: () => Promise.reject(new Error('database is down')) } as unknown as Db;
    const r = await botWith(broken).handleUpdate(textUpdate({ userId: 'u2', text: 'hi', chatId: 'wrMw', msgId: 'mw-3' }));
    expect(r).toEqual({ kind: 'text', text: 'pong hi' });
  });

  it('syncs customer groups page by page and resumes after a failure', async () => {
    const s = Math.floor(NOW.getTime() / 1000);
    fake.groups.load(
      Array.from({ length: 25 }, (_, i) => ({
        chat_id: `wrC${i}`,
        name: `客户群${i}`,
        owner: 'sales1',
        create_time: s - 100 * 86400,
        member_list: [
          { userid: 'sales1', type: 1 as const, join_time: s - 100 * 86400, join_scene: 1 as const },
          { userid: `ext${i}`, type: 2 as const, join_time: s - 90 * 86400, join_scene: 3 as const },
        ],
      })),
    );
    let pages = 0;
    const flaky: GroupChatApi = {
      list: async (cursor, limit) => {
        if (++pages === 3) throw new Error('network down');
        return api.list(cursor, limit);
      },
      get: (id) => api.get(id),
    };
    const clock = new ManualClock(NOW);
    await expect(syncCustomerGroups({ db: t.db, clock, log, groupChatApi: flaky, pageSize: 10 })).rejects.toThrow('network down');
    const saved = await getSyncState<{ cursor: string }>(t.db, SYNC_STATE_KEY);
    expect(saved?.cursor).toBeTruthy();
    const mid = await t.db.execute(sql`SELECT count(*)::int AS n FROM groups WHERE source = 'customer'`);
    expect(mid.rows[0]!.n).toBe(20);
    const getsBefore = fake.callsTo('externalcontact/groupchat/get').length;
    const r = await syncCustomerGroups({ db: t.db, clock, log, groupChatApi: flaky, pageSize: 10 });
    expect(r).toMatchObject({ resumed: true, pages: 1, groups: 5 });
    expect(fake.callsTo('externalcontact/groupchat/get').length - getsBefore).toBe(5); // only the missing page
    expect((await getSyncState<{ cursor: string }>(t.db, SYNC_STATE_KEY))?.cursor).toBe('');
    expect(await getGroupByChatId(t.db, 'wrC24')).toMatchObject({ name: '客户群24', owner: 'sales1', memberCount: 2, createdAtMs: (s - 100 * 86400) * 1000 });
    const before = await t.db.execute(sql`SELECT * FROM groups WHERE source = 'customer' ORDER BY id`);
    const again = await syncCustomerGroups({ db: t.db, clock, log, groupChatApi: api, pageSize: 10 });
    expect(again).toMatchObject({ resumed: false, pages: 3, groups: 25 });
    const after = await t.db.execute(sql`SELECT * FROM groups WHERE source = 'customer' ORDER BY id`);
    expect(after.rows).toEqual(before.rows); // a re-sync changes nothing
  });

  it('applies each region its own rules', async () => {
    const line = (chatid: string, region?: string) => JSON.stringify({ chatid, name: chatid, region, created_at: new Date(ago(400)).toISOString(), members: ['a', 'b', 'c'] });
    await importGroups(t.db, [line('wrR1'), line('wrR2', '南城街道')], { now: NOW });
    await importActivity(
      t.db,
      ['wrR1', 'wrR2'].map((c) => JSON.stringify({ chatid: c, msgid: `${c}-1`, from: 'a', msgtime: ago(50) })),
      { now: NOW },
    );
    await setStoredRule(t.db, '南城街道', 'idle_days', 60, 'admin01', NOW);
    const v = await evaluateGroups(t.db, { now: NOW, defaultRegion: '北城街道' });
    const by = new Map(v.map((x) => [x.chatId, x]));
    expect(by.get('wrR1')!.verdict).toBe('suggest'); // default 45 days
    expect(by.get('wrR2')!.verdict).toBe('notice'); // 60 days in 南城街道
  });

  it('CLI: scan --dry-run --json prints every group and writes nothing; the table shows changes', async () => {
    const counts = async () => (await t.db.execute(sql`SELECT (SELECT count(*) FROM group_suggestions)::int AS s, (SELECT count(*) FROM audit_log)::int AS a, (SELECT count(*) FROM scan_reports)::int AS r`)).rows[0];
    const c0 = await counts();
    const json = JSON.parse(await scanReport(t.db, { now: NOW, json: true, defaultRegion: '北城街道' })) as { chatid: string; name: string; verdict: string; signals: { code: string; evidence: string }[] }[];
    expect(await counts()).toEqual(c0);
    const groupsN = (await t.db.execute(sql`SELECT count(*)::int AS n FROM groups WHERE status = 'active'`)).rows[0]!.n;
    expect(json).toHaveLength(groupsN as number);
    expect(Object.keys(json[0]!).sort()).toEqual(['chatid', 'name', 'signals', 'verdict']);
    expect(json.find((g) => g.chatid === 'wrR1')).toEqual({
      chatid: 'wrR1',
      name: 'wrR1',
      verdict: 'suggest',
      signals: [{ code: 'idle', evidence: '已 50 天无人发言（最后一次 2026-04-12）' }],
    });
    const first = await scanReport(t.db, { now: NOW, json: false, defaultRegion: '北城街道' });
    expect(first).toContain('首次运行');
    expect(first).toMatch(/建议清理 .*wrR1/);
    const later = await scanReport(t.db, { now: new Date(NOW.getTime() + 20 * DAY_MS), json: false, defaultRegion: '北城街道' });
    expect(later).toContain('与上次');
    expect(later).toMatch(/~ wrR2：提醒 → 建议清理/);
    const c1 = await counts();
    expect(c1!.s).toBe(c0!.s);
    expect(c1!.a).toBe(c0!.a);
  });

  it('CLI and API: files, bodies and bad input', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'groups-cli-'));
    const reg = path.join(dir, 'groups.ndjson');
    fs.writeFileSync(reg, [JSON.stringify({ chatid: 'wrFile1', name: '文件群', kind: '临时', task_end: '2026-03-01' }), 'oops'].join('\n'));
    expect(await groupsImportCommand(t.db, reg, { now: NOW })).toBe('读取 2 行：新增 1 个群，更新 0 个，未变 0 个，拒绝 1 行。\n第 2 行：不是合法的 JSON');
    expect(await groupsImportCommand(t.db, path.join(dir, 'missing.ndjson'), { now: NOW })).toContain('找不到文件');
    const act = path.join(dir, 'act.ndjson');
    fs.writeFileSync(act, `${JSON.stringify({ chatid: 'wrFile1', msgid: 'f1', from: 'a', msgtime: ago(1) })}\n{"chatid":"wrFile1"}\n`);
    const out = await groupsImportActivityCommand(t.db, act, { now: NOW });
    expect(out).toContain('导入 1 条');
    expect(out).toContain('第 2 行：缺少 msgid');
    fs.rmSync(dir, { recursive: true, force: true });

    expect((await activityApi(t.db, '  ', { now: NOW })).status).toBe(400);
    expect((await activityApi(t.db, 'x'.repeat(100), { now: NOW, maxBytes: 10 })).status).toBe(413);
    const ok = await activityApi(t.db, `${JSON.stringify({ chatid: 'wrApi', msgid: 'a1', from: 'z', msgtime: ago(2) })}\n${JSON.stringify({ chatid: 'wrApi', msgid: 'a2', from: 'z', msgtime: NOW.getTime() + 3 * DAY_MS })}`, { now: NOW });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ imported: 1, rejected: 1, groupsCreated: 1, errors: [{ line: 2 }] });
    expect(parseNow('nonsense')).toBeInstanceOf(Error);
    expect(parseNow('2026-06-01T09:00:00+08:00')).toEqual(new Date('2026-06-01T01:00:00Z'));
  });
});
