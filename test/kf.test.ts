import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startFakeWecom, type FakeWecom, type KfSent } from './fake-wecom/server.js';
import { createTestDb } from './support/db.js';
import { settle, startKfHarness, waitFor, type KfHarness } from './support/kf-harness.js';
import { kfMessages, kfResidents, kfFailures, outbox } from '../db/schema/index.js';
import { getKfCursor, saveKfCursor } from '../db/kf/sync.js';
import { upsertKfServicer } from '../db/kf/residents.js';

const KF = 'wkTESTACCOUNT000000000000001';
const VILLAGE = '140802002201'; // 北郊村 (example data)

let db: Awaited<ReturnType<typeof createTestDb>>;
let fake: FakeWecom;
let h: KfHarness;
let tokenN = 0;
const token = () => `ENCtoken${Date.now()}${++tokenN}`;
// Distinct callbacks carry distinct CreateTimes (the callback dedupe key does not include the Token).
let tick = Math.floor(Date.now() / 1000) - 1800;
const createTime = () => ++tick;

const sentTo = (ext: string): KfSent[] => fake.kf.sent.filter((s) => s.external_userid === ext);
const textOf = (s: KfSent): string => String((s.body.text as { content?: string } | undefined)?.content ?? '');
const menuOf = (s: KfSent) => s.body.msgmenu as { head_content: string; list: Array<{ click: { id: string; content: string } }> };

/** Signals the account and waits until both queues are idle. */
async function syncNow(): Promise<void> {
  const res = await h.signal(KF, token(), createTime());
  expect(res.status).toBe(200);
  await settle(h);
}

beforeAll(async () => {
  db = await createTestDb();
  fake = await startFakeWecom();
  fake.kf.addAccount(KF, '北城街道便民服务');
  h = await startKfHarness(db.db, fake);
}, 60_000);

afterAll(async () => {
  await h?.close();
  await fake?.close();
  await db?.close();
});

describe('微信客服 end to end (encrypted app callbacks → kf-sync → fake WeCom)', () => {
  it('enter_session: remembers the village from scene_param and answers welcome_code at once with a menu', async () => {
    const { item } = fake.kf.pushEnterSession(KF, 'wmAlice', { scene: 'village_qr', sceneParam: `v%3D${VILLAGE}` });
    await syncNow();
    const sent = sentTo('wmAlice');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.api).toBe('send_msg_on_event');
    expect(sent[0]!.body.msgtype).toBe('msgmenu');
    const menu = menuOf(sent[0]!);
    expect(menu.head_content).toContain('北郊村');
    const labels = menu.list.map((i) => i.click.content);
    expect(labels).toContain('转人工');
    expect(labels.some((l) => l.includes('居住情况证明'))).toBe(true);
    expect(labels.some((l) => l.includes('无犯罪记录证明去哪开'))).toBe(true);
    expect(menu.list.length).toBeLessThanOrEqual(10);
    const [res] = await db.db.select().from(kfResidents).where(eq(kfResidents.externalUserId, 'wmAlice'));
    expect(res?.village).toBe(VILLAGE);
    const [row] = await db.db.select().from(kfMessages).where(eq(kfMessages.msgId, item.msgid));
    expect(row?.action).toBe('welcome');
  });

  it('a resident question with a typo gets one send_msg in resident words, msgid ans-<incoming msgid>, for their village', async () => {
    const q = fake.kf.pushCustomerText(KF, 'wmAlice', '居柱证明怎么开');
    await syncNow();
    const answers = sentTo('wmAlice').filter((s) => s.api === 'send_msg');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.msgid).toBe(`ans-${q.msgid}`);
    const text = textOf(answers[0]!);
    expect(text).toContain('居住情况证明');
    expect(text).toContain('可以在村（社区）开');
    expect(text).toContain('要带');
    expect(text).toContain('北郊村');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
  });

  it('a banned certificate is a clear no with where to go; a menu click answers the item it names', async () => {
    fake.kf.pushCustomerText(KF, 'wmAlice', '能开无犯罪证明吗');
    fake.kf.pushCustomerText(KF, 'wmAlice', '亲属关系证明去哪开', { menuId: 'item-N01' });
    await syncNow();
    const answers = sentTo('wmAlice').filter((s) => s.api === 'send_msg').slice(-2).map(textOf);
    expect(answers[0]).toContain('村（社区）不开"无犯罪记录证明"');
    expect(answers[0]).toContain('派出所');
    expect(answers[1]).toContain('亲属关系证明');
  });

  it('an unsure question gets a msgmenu with the top 3 and 转人工; typing 2 picks the second', async () => {
    fake.kf.pushCustomerText(KF, 'wmAlice', '房屋证明');
    await syncNow();
    const menuMsg = sentTo('wmAlice').filter((s) => s.api === 'send_msg').at(-1)!;
    expect(menuMsg.body.msgtype).toBe('msgmenu');
    const ids = menuOf(menuMsg).list.map((i) => i.click.id);
    expect(ids).toHaveLength(4);
    expect(ids.at(-1)).toBe('human');
    fake.kf.pushCustomerText(KF, 'wmAlice', '2');
    await syncNow();
    const picked = textOf(sentTo('wmAlice').filter((s) => s.api === 'send_msg').at(-1)!);
    const secondId = ids[1]!.replace('item-', '');
    const name = h.catalog.items.find((i) => i.id === secondId)!.name;
    expect(picked).toContain(name);
  });

  it('replayed and concurrent deliveries of one callback → one sync, one answer', async () => {
    const q = fake.kf.pushCustomerText(KF, 'wmBob', '居住证明要带什么');
    const t = token();
    const created = createTime();
    const before = fake.callsTo('kf/sync_msg').length;
    const results = await Promise.all(Array.from({ length: 4 }, () => h.signal(KF, t, created)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await settle(h);
    // WeCom retries after 5 s: the same callback again.
    expect((await h.signal(KF, t, created)).status).toBe(200);
    await settle(h);
    const syncs = fake.callsTo('kf/sync_msg').slice(before);
    expect(syncs).toHaveLength(1);
    expect((syncs[0]!.body as { token: string }).token).toBe(t);
    expect(sentTo('wmBob').filter((s) => s.api === 'send_msg').map((s) => s.msgid)).toEqual([`ans-${q.msgid}`]);
  });

  it('concurrent callbacks with different tokens: syncs run one at a time, every message answered exactly once', async () => {
    const users = ['wmC1', 'wmC2', 'wmC3'];
    const pushed = users.map((u) => fake.kf.pushCustomerText(KF, u, '无犯罪记录证明在哪开'));
    const before = fake.requests.length;
    await Promise.all(Array.from({ length: 6 }, () => h.signal(KF, token(), createTime())));
    await settle(h);
    for (const [i, u] of users.entries()) {
      expect(sentTo(u).map((s) => s.msgid)).toEqual([`ans-${pushed[i]!.msgid}`]);
    }
    const errors = fake.requests.slice(before).filter((r) => r.method === 'kf/send_msg' && (r.answer?.errcode ?? 0) !== 0);
    expect(errors).toEqual([]);
    const rows = await db.db.select().from(kfMessages).where(eq(kfMessages.openKfId, KF));
    expect(new Set(rows.map((r) => r.msgId)).size).toBe(rows.length);
  });

  it('pages until has_more = 0, continuing past an empty page with has_more = 1; cursor stored per open_kfid', async () => {
    const pushed = ['wmP1', 'wmP2', 'wmP3'].map((u) => fake.kf.pushCustomerText(KF, u, '居住证明'));
    fake.kf.emptyPagesNext(2);
    const before = fake.callsTo('kf/sync_msg').length;
    await syncNow();
    const calls = fake.callsTo('kf/sync_msg').slice(before);
    expect(calls.length).toBe(3);
    expect(calls.map((c) => (c.answer as { has_more: number }).has_more)).toEqual([1, 1, 0]);
    for (const p of pushed) expect(fake.kf.sent.some((s) => s.msgid === `ans-${p.msgid}`)).toBe(true);
    const cur = await getKfCursor(db.db, KF);
    expect(cur?.cursor).toBe((calls.at(-1)!.answer as { next_cursor: string }).next_cursor);
  });

  it('a cursor WeCom rejects → re-sync from the last good point, logged and counted; nothing answered twice', async () => {
    const sentBefore = fake.kf.sent.length;
    await saveKfCursor(db.db, KF, 'cursor-wecom-forgot', 'cursor-also-gone');
    const q = fake.kf.pushCustomerText(KF, 'wmDan', '死亡证明去哪开');
    await syncNow();
    const newSends = fake.kf.sent.slice(sentBefore);
    expect(newSends.map((s) => s.msgid)).toEqual([`ans-${q.msgid}`]);
    const failures = await db.db.select().from(kfFailures).where(eq(kfFailures.kind, 'cursor_rejected'));
    expect(failures.length).toBe(2); // the cursor, then its predecessor; then the start of the window worked
    const cur = await getKfCursor(db.db, KF);
    expect(cur?.cursor).not.toBe('cursor-wecom-forgot');
  });

  it('a lost cursor (restart from scratch) re-reads 3 days but answers nobody twice', async () => {
    const sentBefore = fake.kf.sent.length;
    await saveKfCursor(db.db, KF, '', '');
    await syncNow();
    expect(fake.kf.sent.length).toBe(sentBefore);
  });

  it('a message older than 48 h is not answered (and logged as too_old)', async () => {
    const old = fake.kf.push({
      open_kfid: KF,
      external_userid: 'wmOld',
      origin: 3,
      msgtype: 'text',
      text: { content: '居住证明' },
      send_time: Math.floor(Date.now() / 1000) - 49 * 3600,
    });
    await syncNow();
    expect(sentTo('wmOld')).toEqual([]);
    const [row] = await db.db.select().from(kfMessages).where(eq(kfMessages.msgId, old.msgid));
    expect(row?.action).toBe('too_old');
  });

  it('"转人工" → trans to the on-duty cadre of the village (state 3) with a notice; silent until the session ends; then the bot answers again', async () => {
    await upsertKfServicer(db.db, 'cadre_li', VILLAGE);
    fake.kf.addServicer('cadre_li');
    fake.kf.pushEnterSession(KF, 'wmEve', { scene: 'village_qr', sceneParam: `v=${VILLAGE}`, welcome: false });
    fake.kf.pushCustomerText(KF, 'wmEve', '转人工');
    await syncNow();
    expect(fake.kf.sessionState(KF, 'wmEve')).toEqual({ state: 3, servicer: 'cadre_li' });
    const trans = fake.callsTo('kf/service_state/trans').at(-1)!;
    expect(trans.body).toMatchObject({ external_userid: 'wmEve', service_state: 3, servicer_userid: 'cadre_li' });
    const notice = sentTo('wmEve');
    expect(notice).toHaveLength(1);
    expect(notice[0]!.api).toBe('send_msg_on_event');
    expect(textOf(notice[0]!)).toContain('北郊村');

    fake.kf.pushServicerText(KF, 'wmEve', 'cadre_li', '您好，我是村委小李。');
    fake.kf.pushCustomerText(KF, 'wmEve', '居住证明要带什么');
    await syncNow();
    expect(sentTo('wmEve')).toHaveLength(1); // silent while a person has the session

    fake.kf.endSession(KF, 'wmEve');
    await syncNow();
    const q = fake.kf.pushCustomerText(KF, 'wmEve', '居住证明要带什么');
    await syncNow();
    const last = sentTo('wmEve').at(-1)!;
    expect(last.msgid).toBe(`ans-${q.msgid}`);
    expect(textOf(last)).toContain('居住情况证明');
  });

  it('two unanswered questions in a row → the queue (state 2) with a notice', async () => {
    fake.kf.pushCustomerText(KF, 'wmFay', '今天几号赶集');
    await syncNow();
    expect(textOf(sentTo('wmFay')[0]!)).toContain('转人工');
    fake.kf.pushCustomerText(KF, 'wmFay', '广场舞几点开始');
    await syncNow();
    expect(fake.kf.sessionState(KF, 'wmFay').state).toBe(2);
    const last = sentTo('wmFay').at(-1)!;
    expect(last.api).toBe('send_msg_on_event');
    expect(textOf(last)).toContain('已为您转人工');
    expect(sentTo('wmFay')).toHaveLength(2);
  });

  it('msg_send_fail and a 95018 send error are logged and counted on /metrics', async () => {
    fake.kf.push({ origin: 4, msgtype: 'event', event: { event_type: 'msg_send_fail', open_kfid: KF, external_userid: 'wmGus', fail_msgid: 'ans-x', fail_type: 4 } });
    fake.kf.pushCustomerText(KF, 'wmHal', '居住证明');
    fake.kf.setSessionState(KF, 'wmHal', 2); // a person took it in the client; the bot does not know yet
    await syncNow();
    await waitFor('outbox failure', async () => {
      const rows = await db.db.select().from(outbox).where(eq(outbox.errcode, 95018));
      return rows.length > 0;
    });
    const text = await h.metrics.registry.metrics();
    expect(text).toContain('wecom_kf_failures{kind="msg_send_fail",code="4"} 1');
    expect(text).toContain('wecom_kf_failures{kind="send_error",code="95018"} 1');
  });

  it('each msgid is recorded once and ends done', async () => {
    const rows = await db.db.select().from(kfMessages);
    expect(rows.length).toBe(new Set(rows.map((r) => `${r.openKfId}/${r.msgId}`)).size);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    expect(rows.length).toBe(fake.kf.stream.length);
  });
});
