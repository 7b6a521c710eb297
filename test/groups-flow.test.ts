import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb } from './support/db.js';
import { startFakeWecom, type FakeWecom } from './fake-wecom/server.js';
import { createHarness, cardClick, textUpdate, waitFor, type Harness } from './support/zombie-harness.js';
import { buildFixture, type Fixture } from './support/zombie-fixture.js';
import { importActivity } from '../db/groups/import-activity.js';
import { importGroups } from '../db/groups/import-groups.js';
import { getGroupByChatId } from '../db/groups/groups.js';
import { listAudit } from '../db/groups/audit.js';
import { getSuggestion } from '../db/groups/suggestions.js';
import { registerZombieSchedulers } from '../jobs/zombie/index.js';
import { DAY_MS } from '../lib/clock.js';
import type { Reply } from '../bot/reply.js';

const START = '2026-06-01T01:00:00Z'; // 09:00 Asia/Shanghai
const CYCLE1 = '2026-06-01';

const B = (q: { body: unknown }) => q.body as Record<string, unknown>;

type Sent = { taskId: string; touser: string; body: Record<string, unknown>; responseCode?: string };

describe('zombie-group lifecycle end to end (real DB, Redis, BullMQ; fake WeCom)', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let fake: FakeWecom;
  let h: Harness;
  let fx: Fixture;
  const say = (userId: string, text: string, chatId?: string) => h.bot.handleUpdate(textUpdate({ userId, text, chatId, at: h.clock.now() }));
  const text = (r: Reply) => (r.kind === 'text' || r.kind === 'markdown' ? r.text : '');
  const auditCount = async () => (await listAudit(t.db)).length;

  /** Admin cards (task id zs-…) WeCom actually received, in order. */
  const cards = (): Sent[] =>
    fake
      .callsTo('message/send')
      .map((r) => r.body as Record<string, unknown>)
      .filter((b) => b.msgtype === 'template_card' && String((b.template_card as Record<string, unknown>).task_id).startsWith('zs-'))
      .map((b) => {
        const taskId = String((b.template_card as Record<string, unknown>).task_id);
        const d = fake.messages.delivered.find((m) => (m.body.template_card as Record<string, unknown> | undefined)?.task_id === taskId);
        return { taskId, touser: String(b.touser), body: b, responseCode: d?.responseCode };
      });

  async function chatIdOfTask(taskId: string): Promise<string> {
    const s = await getSuggestion(t.db, Number(taskId.slice(3)));
    return s!.chatId;
  }

  /** Runs a scan and waits until the cards it queued (`expectCards` in total so far) reached WeCom. */
  async function runScan(nowIso: string, jobId: string, expectCards: number): Promise<void> {
    const cycle = nowIso.slice(0, 10);
    await h.queues['zombie-scan'].add('zombie-scan', { nowIso }, { jobId });
    await waitFor(`dispatch ${cycle}`, async () => (await h.queues['zombie-dispatch'].getJob(`dispatch-${cycle}`))?.isCompleted());
    await waitFor(`${expectCards} cards`, () => cards().length >= expectCards);
    await waitFor('sends drained', async () => {
      const n = await h.queues['send-message'].getJobCounts('wait', 'active', 'delayed', 'prioritized');
      return Object.values(n).every((x) => x === 0);
    });
  }

  beforeAll(async () => {
    t = await createTestDb();
    fake = await startFakeWecom();
    h = await createHarness(t.db, fake, { now: START, admins: 'admin01' });
    fx = buildFixture(h.clock.now());
    await t.db.execute(sql`INSERT INTO group_admins (user_id, region) VALUES ('admin02', '北城街道')`);
    const g = await importGroups(t.db, fx.registry, { now: h.clock.now() });
    expect(g).toMatchObject({ inserted: 50, rejected: 0 });
    const a = await importActivity(t.db, fx.activity, { now: h.clock.now(), botSenderIds: ['wbBOT'] });
    expect(a.rejected).toBe(0);
    for (const id of fx.exempt) {
      const r = await say('admin01', `豁免 ${fx.names.get(id)} 汛期备用 至2026-12-31`);
      expect(text(r)).toContain('已豁免');
    }
    expect(text(await say('admin01', '规则 cap_per_admin 10'))).toContain('从 20 改为 10');
    h.startWorkers();
  });
  afterAll(async () => {
    await h.close();
    await fake.close();
    await t.close();
  });

  it('scan → exactly the expected cards, capped per admin, the rest carried over to the next run', async () => {
    await runScan(START, 'run-1', 10);
    const day1 = cards();
    expect(day1).toHaveLength(10);
    expect(new Set(day1.map((c) => c.taskId)).size).toBe(10);
    for (const c of day1) {
      expect(c.touser).toBe('admin01|admin02');
      const tc = c.body.template_card as Record<string, unknown>;
      expect(tc.card_type).toBe('button_interaction');
      expect((tc.button_list as { text: string }[]).map((b) => b.text)).toEqual(['建议解散', '保留90天', '暂缓30天']);
      expect(String(tc.sub_title_text)).toMatch(/天无人发言|临时任务已于|成员重合/);
    }
    const carded1 = await Promise.all(day1.map((c) => chatIdOfTask(c.taskId)));
    for (const id of carded1) expect(fx.suggest).toContain(id);
    // the notices went to the two groups with a webhook key, nowhere else
    expect(fake.messages.webhookMessages.map((m) => m.key).sort()).toEqual(['hook-0', 'hook-1']);
    const states = await t.db.execute(sql`SELECT state, count(*)::int AS n FROM group_suggestions GROUP BY state ORDER BY state`);
    expect(states.rows).toEqual([
      { state: 'kept', n: 3 }, // the exemptions made by command
      { state: 'pending', n: 10 },
      { state: 'queued', n: 7 },
    ]);

    h.clock.advance(DAY_MS);
    await runScan(h.clock.now().toISOString(), 'run-2', 17);
    const all = cards();
    expect(all).toHaveLength(17);
    expect(new Set(all.map((c) => c.taskId)).size).toBe(17);
    const carded = await Promise.all(all.map((c) => chatIdOfTask(c.taskId)));
    expect(carded.sort()).toEqual([...fx.suggest].sort());
    expect(fake.messages.webhookMessages).toHaveLength(2); // at most one notice per 30 days
  });

  it('an admin click updates the card for everyone and the audit log; a second click changes nothing', async () => {
    const c = cards()[0]!;
    const sid = Number(c.taskId.slice(3));
    const before = await auditCount();
    const r = await h.bot.handleUpdate(cardClick({ userId: 'admin01', taskId: c.taskId, eventKey: 'zombie:keep', responseCode: c.responseCode }));
    // On the app the card is updated for everyone through the API (one use of the ResponseCode), not passively.
    expect(r.kind).toBe('none');
    const expected = `已由admin01于2026-06-02 09:00选择保留`;
    const upd = await waitFor('card update', () => fake.messages.cardUpdates[0]);
    expect(upd.body.userids).toEqual(['admin01', 'admin02']);
    expect((upd.body.template_card as Record<string, unknown>).replace_text).toBe(expected);
    const audit = (await listAudit(t.db)).slice(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'admin01', action: 'keep', suggestionId: sid });
    expect((audit[0]!.evidence as { signals: unknown[] }).signals.length).toBeGreaterThan(0);
    const ex = await t.db.execute(sql`SELECT (extract(epoch from until) * 1000)::float8 AS until FROM group_exemptions WHERE suggestion_id = ${sid}`);
    expect(Number(ex.rows[0]!.until)).toBe(h.clock.now().getTime() + 90 * DAY_MS);

    // second click (another admin, another button): 已处理, nothing written, no second update
    const again = await h.bot.handleUpdate(cardClick({ userId: 'admin02', taskId: c.taskId, eventKey: 'zombie:approve', responseCode: 'RC-2', n: 1 }));
    expect(text(again)).toMatch(/^已处理：已由admin01于2026-06-02 09:00选择保留/);
    expect(await auditCount()).toBe(before + 1);
    expect((await getSuggestion(t.db, sid))!.state).toBe('kept');
    await new Promise((res) => setTimeout(res, 300));
    expect(fake.messages.cardUpdates).toHaveLength(1);
  });

  it('refuses non-admins and unknown or forged task ids, writing nothing', async () => {
    const c = cards()[1]!;
    const before = await auditCount();
    expect(text(await h.bot.handleUpdate(cardClick({ userId: 'zhangsan', taskId: c.taskId, eventKey: 'zombie:approve' })))).toContain('无权限');
    for (const taskId of ['zs-999999', 'zs-abc', 'zs-', 'cleanup_001']) {
      expect(text(await h.bot.handleUpdate(cardClick({ userId: 'admin01', taskId, eventKey: 'zombie:approve' })))).toContain('无法识别');
    }
    expect(text(await h.bot.handleUpdate(cardClick({ userId: 'admin01', taskId: c.taskId, eventKey: 'zombie:explode' })))).toContain('无法识别');
    // someone else's card is not ours to answer
    expect((await h.bot.handleUpdate(cardClick({ userId: 'admin01', taskId: 'faq-1', eventKey: 'ask:1' }))).kind).toBe('none');
    expect(await auditCount()).toBe(before);
    expect((await getSuggestion(t.db, Number(c.taskId.slice(3))))!.state).toBe('pending');
  });

  it('approve → the owner is asked, reminded after 3 days, confirms; the group is archived with its members', async () => {
    const c = cards()[2]!;
    const sid = Number(c.taskId.slice(3));
    const s = (await getSuggestion(t.db, sid))!;
    const owner = s.groupOwner!;
    const r = await h.bot.handleUpdate(cardClick({ userId: 'admin02', taskId: c.taskId, eventKey: 'zombie:approve', responseCode: c.responseCode }));
    expect(r.kind).toBe('none');
    const ask = await waitFor('owner card', () =>
      fake.callsTo('message/send').find((q) => (B(q).template_card as Record<string, unknown> | undefined)?.task_id === `zd-${sid}`),
    );
    expect(B(ask).touser).toBe(owner);
    const remind = await h.queues['zombie-followup'].getJob(`remind-${sid}`);
    const escalate = await h.queues['zombie-followup'].getJob(`escalate-${sid}`);
    expect(remind?.opts.delay).toBe(3 * DAY_MS);
    expect(escalate?.opts.delay).toBe(7 * DAY_MS);
    await remind!.promote();
    await waitFor('reminder', () => fake.callsTo('message/send').find((q) => B(q).touser === owner && B(q).msgtype === 'text'));

    expect(text(await h.bot.handleUpdate(cardClick({ userId: 'stranger', taskId: `zd-${sid}`, eventKey: 'zombie:dissolved' })))).toContain('无权限');
    const done = await h.bot.handleUpdate(cardClick({ userId: owner, taskId: `zd-${sid}`, eventKey: 'zombie:dissolved' }));
    expect(done.kind === 'card_update' && done.card.replaceText).toContain('已确认解散');
    const g = await getGroupByChatId(t.db, s.chatId);
    expect(g!.status).toBe('dismissed');
    const last = (await listAudit(t.db, s.groupId)).at(-1)!;
    expect(last).toMatchObject({ action: 'dismissed', actor: owner, detail: { verifiedBy: 'owner' } });
    expect((last.evidence as { members: string[] }).members).toHaveLength(6);
    // the escalation is now moot
    await escalate!.promote();
    await waitFor('escalation job done', async () => (await h.queues['zombie-followup'].getJob(`escalate-${sid}`))?.isCompleted());
    expect((await h.queues['zombie-followup'].getJob(`escalate-${sid}`))!.returnvalue).toBe('nothing to do');
    expect(fake.callsTo('message/send').filter((q) => String((B(q).text as { content?: string } | undefined)?.content ?? '').includes('仍未确认解散'))).toHaveLength(0);
  });

  it('admin commands: list, keep/snooze/approve/undo, bad input answered clearly with nothing written', async () => {
    expect(text(await say('zhangsan', '僵尸群'))).toContain('无权限');
    expect(text(await say('admin01', '僵尸群'))).toMatch(/待处理的群清理建议 \d+ 个/);
    const before = await auditCount();
    expect(text(await say('admin01', '保留 不存在的群 备用 30'))).toContain('没有找到群「不存在的群」');
    expect(text(await say('admin01', '解散 不存在的群'))).toContain('没有找到');
    expect(text(await say('admin01', '暂缓 不存在的群 10'))).toContain('没有找到');
    expect(text(await say('admin01', '豁免 Idle群1 备用 至2020-01-01'))).toContain('已经过去');
    expect(text(await say('admin01', '豁免 Idle群1 备用 至明年'))).toContain('看不懂');
    expect(text(await say('admin01', '保留 Idle群1'))).toContain('理由');
    expect(text(await say('admin01', '保留 群 备用'))).toContain('对应多个群');
    expect(text(await say('admin01', '规则 idle_days abc'))).toContain('未修改');
    expect(await auditCount()).toBe(before);
    // in a group these words are not commands (they may be a question)
    expect((await say('admin01', '解散 Idle群1', 'wrSomeGroup')).kind).toBe('none');

    // A group no earlier test decided on (which card came first depends on send timing).
    const decided = new Set(await Promise.all([cards()[0]!, cards()[2]!].map((c) => chatIdOfTask(c.taskId))));
    const target = fx.suggest.find((id) => id.startsWith('wrIdle') && !decided.has(id))!;
    const name = fx.names.get(target)!;
    expect(text(await say('admin01', `暂缓 ${name} 10`))).toContain('已暂缓');
    expect(text(await say('admin01', `撤销 ${name}`))).toContain('已撤销');
    expect(text(await say('admin01', `撤销 ${name}`))).toContain('没有可撤销');
    expect(text(await say('admin01', `保留 ${name} 村务公开要用 60`))).toContain('60 天');
    const g = (await getGroupByChatId(t.db, target))!;
    const actions = (await listAudit(t.db, g.id)).map((a) => a.action);
    expect(actions.slice(-3)).toEqual(['snooze', 'undo', 'keep']);
    h.clock.advance(2 * DAY_MS);
    expect(text(await say('admin01', `撤销 ${name}`))).toContain('超过 24 小时');
    h.clock.advance(-2 * DAY_MS);
    expect(text(await say('admin01', '规则'))).toContain('cap_per_admin = 10');
    expect(text(await say('admin01', '扫描'))).toMatch(/^扫描预览/);
  });

  it('group commands: 登记群 and 群信息 in a group, recorded as activity', async () => {
    const chat = 'wrFlood2026';
    expect(text(await say('li', '登记群 防汛专班 临时', chat))).toContain('截止日期');
    expect(text(await say('li', '登记群 防汛专班 临时 截止2026-02-30', chat))).toContain('看不懂');
    expect(text(await say('li', '登记群 防汛专班 临时 截止2026-12-31', chat))).toContain('已登记本群：「防汛专班」，临时群，任务截止 2026-12-31');
    const g = (await getGroupByChatId(t.db, chat))!;
    expect(g).toMatchObject({ name: '防汛专班', kind: 'temporary', taskEnd: '2026-12-31', source: 'registry', owner: 'li' });
    const info = text(await say('wang', '群信息', chat));
    expect(info).toContain('本群：防汛专班');
    expect(info).toContain('不会被建议');
    const n = await t.db.execute(sql`SELECT count(*)::int AS n FROM group_activity WHERE group_id = ${g.id}`);
    expect(n.rows[0]!.n).toBe(4);
    expect(text(await say('li', '登记群 防汛专班'))).toContain('请在要登记的群里');
  });

  it('customer groups: change_external_chat events and verification with groupchat/get', async () => {
    const now = Math.floor(h.clock.now().getTime() / 1000);
    fake.groups.load([
      {
        chat_id: 'wrCust1',
        name: '便民服务群',
        owner: 'owner77',
        create_time: now - 400 * 86400,
        member_list: [
          { userid: 'owner77', type: 1, join_time: now - 400 * 86400, join_scene: 1 },
          { userid: 'ext1', type: 2, join_time: now - 300 * 86400, join_scene: 3 },
        ],
      },
    ]);
    const ev = (changeType: string) =>
      h.bot.handleUpdate({
        type: 'external_chat_change',
        channel: 'app',
        dedupeKey: `ext-${changeType}-${Math.random()}`,
        msgId: undefined,
        userId: 'sys',
        chatId: undefined,
        chatType: 'single',
        createTime: now,
        externalChatId: 'wrCust1',
        changeType,
      });
    await ev('create');
    expect(await getGroupByChatId(t.db, 'wrCust1')).toMatchObject({ source: 'customer', name: '便民服务群', owner: 'owner77', memberCount: 2 });
    expect(text(await say('admin01', '解散 便民服务群'))).toContain('已建议解散');
    const sid = Number((await t.db.execute(sql`SELECT s.id::int AS id FROM group_suggestions s JOIN groups g ON g.id = s.group_id WHERE g.chat_id = 'wrCust1'`)).rows[0]!.id);
    const still = await h.bot.handleUpdate(cardClick({ userId: 'owner77', taskId: `zd-${sid}`, eventKey: 'zombie:dissolved' }));
    expect(text(still)).toContain('仍然存在');
    expect((await getGroupByChatId(t.db, 'wrCust1'))!.status).toBe('active');
    await ev('dismiss');
    expect((await getGroupByChatId(t.db, 'wrCust1'))!.status).toBe('dismissed');
    expect((await getSuggestion(t.db, sid))!.state).toBe('dismissed');
    const again = await h.bot.handleUpdate(cardClick({ userId: 'owner77', taskId: `zd-${sid}`, eventKey: 'zombie:dissolved' }));
    expect(text(again)).toContain('已处理');
  });

  it('weekly digest and schedulers', async () => {
    await h.queues['weekly-digest'].add('weekly-digest', { nowIso: h.clock.now().toISOString() }, { jobId: 'digest-test' });
    const msg = await waitFor('digest', () => fake.callsTo('message/send').find((q) => B(q).msgtype === 'markdown'));
    const content = String((B(msg).markdown as { content: string }).content);
    expect(B(msg).touser).toBe('admin01|admin02');
    expect(content).toContain('僵尸群周报');
    expect(content).toMatch(/本周新建议 \d+ 个/);
    expect(content).toContain('最久无活动的群');

    await registerZombieSchedulers(h.queues);
    await registerZombieSchedulers(h.queues); // idempotent
    const scan = await h.queues['zombie-scan'].getJobSchedulers();
    expect(scan).toHaveLength(1);
    expect(scan[0]).toMatchObject({ key: 'zombie-scan-daily', pattern: '0 9 * * *', tz: 'Asia/Shanghai' });
    const digest = await h.queues['weekly-digest'].getJobSchedulers();
    expect(digest[0]).toMatchObject({ key: 'weekly-digest-monday', pattern: '0 9 * * 1', tz: 'Asia/Shanghai' });
    for (const q of ['zombie-scan', 'weekly-digest', 'customer-group-sync'] as const) {
      for (const s of await h.queues[q].getJobSchedulers()) await h.queues[q].removeJobScheduler(s.key);
    }
  });
});
