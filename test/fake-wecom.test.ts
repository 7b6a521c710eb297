import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Redis } from 'ioredis';
import { WecomApi } from '../bot/wecom-api/client.js';
import { WecomApiError } from '../bot/wecom-api/errors.js';
import { silentLogger } from '../lib/log.js';
import { testPrefix, testRedis } from './support/redis.js';
import { startFakeWecom, FAKE_ERRCODES, type FakeWecom, type FakeGroupChat } from './fake-wecom/server.js';

// The fake is shared by other tests and by people trying the bot locally: its rules are tested too.
describe('fake WeCom server: groupchat and 微信客服 endpoints through WecomApi', () => {
  let fake: FakeWecom;
  let redis: Redis;
  let api: WecomApi;
  const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as WecomApiError);

  beforeAll(async () => {
    fake = await startFakeWecom({ deadWebhookKeys: ['removed-robot'], apps: [{ secret: 'other-app', agentId: 1000003 }] });
    redis = testRedis();
    api = new WecomApi({ baseUrl: fake.url, corpId: fake.corpId, secret: fake.secret, agentId: fake.agentId, redis, prefix: testPrefix(), log: silentLogger() });
  });
  afterAll(async () => {
    await fake.close();
    await redis.quit();
  });

  it('groupchat/list pages with a cursor and filters by owner; get returns members (names only with need_name)', async () => {
    const groups: FakeGroupChat[] = Array.from({ length: 7 }, (_, i) => ({
      chat_id: `wr${i}`,
      name: `第${i}网格群`,
      owner: i < 5 ? 'zhang' : 'li',
      create_time: 1_700_000_000 + i,
      member_list: [{ userid: 'zhang', type: 1, join_time: 1_700_000_000, join_scene: 1, name: '张三' }],
    }));
    fake.groups.load(groups);
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const r = await api.groupchatList({ limit: 3, cursor, owner_filter: { userid_list: ['zhang'] } });
      seen.push(...r.group_chat_list!.map((g) => g.chat_id));
      cursor = r.next_cursor ?? '';
      pages++;
    } while (cursor);
    expect(seen).toEqual(['wr0', 'wr1', 'wr2', 'wr3', 'wr4']);
    expect(pages).toBe(2);
    expect((await fail(api.groupchatList({ limit: 3, cursor: 'bogus' })))?.errcode).toBe(FAKE_ERRCODES.invalidParameter);
    expect((await fail(api.groupchatList({ limit: 0 })))?.errcode).toBe(FAKE_ERRCODES.invalidParameter);
    const g = await api.groupchatGet({ chat_id: 'wr6' });
    expect(g.group_chat).toMatchObject({ chat_id: 'wr6', owner: 'li', notice: '' });
    expect((g.group_chat!.member_list as object[])[0]).not.toHaveProperty('name');
    const named = await api.groupchatGet({ chat_id: 'wr6', need_name: 1 });
    expect((named.group_chat!.member_list as { name: string }[])[0]!.name).toBe('张三');
    expect((await fail(api.groupchatGet({ chat_id: 'nope' })))?.errcode).toBe(40050);
  });

  it('kf/sync_msg: cursor + has_more paging, empty pages with has_more, unknown cursor rejected', async () => {
    const kfid = 'wkSYNC';
    fake.kf.pushEnterSession(kfid, 'wmA', { scene: 'village_qr', sceneParam: 'v=0305' });
    for (let i = 0; i < 4; i++) fake.kf.pushCustomerText(kfid, 'wmA', `问题${i}`);
    fake.kf.pushCustomerText('wkOTHER', 'wmB', '别的账号');
    fake.kf.emptyPagesNext(1);
    const got: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    let calls = 0;
    for (;;) {
      const r = await api.kfSyncMsg({ open_kfid: kfid, limit: 2, ...(cursor ? { cursor } : {}) });
      calls++;
      got.push(...r.msg_list!);
      cursor = r.next_cursor;
      if (!r.has_more) break;
    }
    expect(calls).toBe(4); // one empty page with has_more = 1, then 2 + 2 + 1
    expect(got.map((m) => m.msgtype)).toEqual(['event', 'text', 'text', 'text', 'text']);
    expect(got[0]).toMatchObject({ origin: 4, event: { event_type: 'enter_session', open_kfid: kfid, scene: 'village_qr', scene_param: 'v=0305' } });
    expect(got[0]).not.toHaveProperty('open_kfid'); // events carry the ids inside `event`
    const again = await api.kfSyncMsg({ open_kfid: kfid, cursor });
    expect([again.msg_list, again.has_more]).toEqual([[], 0]);
    expect((await fail(api.kfSyncMsg({ cursor: 'not-a-cursor' })))?.errcode).toBe(FAKE_ERRCODES.invalidParameter);
    expect((await fail(api.kfSyncMsg({ open_kfid: 'wkUNKNOWN' })))?.errcode).toBe(95000);
  });

  it('kf/send_msg: unique msgid per account, 5 messages per resident message, only in state 0/1', async () => {
    const kfid = 'wkSEND';
    fake.kf.pushCustomerText(kfid, 'wmC', '你好');
    const body = { touser: 'wmC', open_kfid: kfid, msgtype: 'text', text: { content: '您好' } };
    expect((await api.kfSendMsg({ ...body, msgid: 'ans-1' })).msgid).toBe('ans-1');
    expect((await fail(api.kfSendMsg({ ...body, msgid: 'ans-1' })))?.errcode).toBe(FAKE_ERRCODES.duplicateKfMsgId);
    for (let i = 0; i < 4; i++) await api.kfSendMsg(body);
    expect((await fail(api.kfSendMsg(body)))?.errcode).toBe(95001);
    fake.kf.pushCustomerText(kfid, 'wmC', '还有一个问题'); // quota restored
    expect((await api.kfSendMsg(body)).msgid).toMatch(/^kf_/);
    fake.kf.setSessionState(kfid, 'wmC', 3, 'cadre_li');
    expect((await fail(api.kfSendMsg(body)))?.errcode).toBe(95018);
    expect((await fail(api.kfSendMsg({ ...body, touser: 'wmNeverWrote' })))?.errcode).toBe(95002);
    expect(fake.kf.sent.filter((s) => s.open_kfid === kfid)).toHaveLength(6);
  });

  it('service_state trans → msg_code usable once with send_msg_on_event; welcome codes expire after use', async () => {
    const kfid = 'wkSTATE';
    fake.kf.addServicer('cadre_wang');
    const { welcomeCode } = fake.kf.pushEnterSession(kfid, 'wmD');
    const welcome = { code: welcomeCode, msgtype: 'text', text: { content: '欢迎咨询村务' } };
    expect((await api.kfSendMsgOnEvent(welcome)).errcode).toBe(0);
    expect((await fail(api.kfSendMsgOnEvent(welcome)))?.errcode).toBe(FAKE_ERRCODES.invalidParameter);
    expect((await fail(api.kfServiceStateTrans({ open_kfid: kfid, external_userid: 'wmD', service_state: 2 })))?.errcode).toBe(95013); // never started
    fake.kf.pushCustomerText(kfid, 'wmD', '我要找村干部');
    expect((await api.kfServiceStateGet({ open_kfid: kfid, external_userid: 'wmD' })).service_state).toBe(0);
    const trans = await api.kfServiceStateTrans({ open_kfid: kfid, external_userid: 'wmD', service_state: 2 });
    expect(trans.msg_code).toMatch(/^mc_/);
    expect((await fail(api.kfSendMsgOnEvent({ code: trans.msg_code, msgtype: 'image', image: {} })))?.errcode).toBe(40008);
    expect((await api.kfSendMsgOnEvent({ code: trans.msg_code, msgtype: 'text', text: { content: '已为您转人工' } })).errcode).toBe(0);
    expect((await fail(api.kfServiceStateTrans({ open_kfid: kfid, external_userid: 'wmD', service_state: 3, servicer_userid: 'stranger' })))?.errcode).toBe(95014);
    await api.kfServiceStateTrans({ open_kfid: kfid, external_userid: 'wmD', service_state: 3, servicer_userid: 'cadre_wang' });
    expect(await api.kfServiceStateGet({ open_kfid: kfid, external_userid: 'wmD' })).toMatchObject({ service_state: 3, servicer_userid: 'cadre_wang' });
  });

  it('add_contact_way returns a link; scanning it (with scene_param appended) yields enter_session with scene and scene_param', async () => {
    const kfid = 'wkLINK';
    fake.kf.addAccount(kfid);
    const { url } = await api.kfAddContactWay({ open_kfid: kfid, scene: 'village_qr' });
    expect(url).toMatch(/^https:\/\/work\.weixin\.qq\.com\/kf\/kfc/);
    const { item } = fake.kf.scan(`${url}&scene_param=${encodeURIComponent('v=0305')}`, 'wmE');
    expect(item.event).toMatchObject({ event_type: 'enter_session', open_kfid: kfid, external_userid: 'wmE', scene: 'village_qr', scene_param: 'v=0305' });
    expect((await fail(api.kfAddContactWay({ open_kfid: kfid, scene: '含中文' })))?.errcode).toBe(FAKE_ERRCODES.invalidParameter);
  });

  it('rejects a dead webhook (93000), a token of another app (301002), and a non-JSON body (47001)', async () => {
    expect((await fail(api.webhookSend('removed-robot', { msgtype: 'text', text: { content: 'x' } })))?.errcode).toBe(93000);
    const other = new WecomApi({ baseUrl: fake.url, corpId: fake.corpId, secret: 'other-app', agentId: 1000002, redis, prefix: testPrefix(), log: silentLogger() });
    expect((await fail(other.sendMessage({ touser: 'a', msgtype: 'text', text: { content: 'x' } })))?.errcode).toBe(301002);
    const token = await api.tokens.get();
    const res = await fetch(`${fake.url}/cgi-bin/message/send?access_token=${token}`, { method: 'POST', body: '{not json' });
    expect(await res.json()).toMatchObject({ errcode: 47001 });
  });
});
