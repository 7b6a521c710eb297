import { describe, expect, it } from 'vitest';
import { kfReplyId, optionNumber, replyForAnswer, villageFromSceneParam, wantsHuman, welcomeMenu } from '../handlers/kf/replies.js';
import { parseKfMsg } from '../bot/kf-message.js';
import { createCatalogEngine } from '../handlers/catalog-search/engine.js';
import { loadSeedCatalog } from '../seeds/load.js';

const catalog = await loadSeedCatalog();
const engine = createCatalogEngine(catalog, { defaultRegion: '北城街道' });
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('kf replies (pure)', () => {
  it('kfReplyId: ans-<msgid> when it fits, else a deterministic ≤ 32-byte [0-9a-zA-Z_-] id per account+msgid', () => {
    expect(kfReplyId('ans', 'wk1', 'msg_0123456789abcdef')).toBe('ans-msg_0123456789abcdef');
    const long = 'CAQQ6o2j8AUYASDd+7Xa/wEoAQ==' + 'x'.repeat(40);
    const a = kfReplyId('ans', 'wk1', long);
    expect(a).toMatch(/^ans-[0-9a-zA-Z_-]{1,28}$/);
    expect(bytes(a)).toBeLessThanOrEqual(32);
    expect(kfReplyId('ans', 'wk1', long)).toBe(a);
    expect(kfReplyId('ans', 'wk2', long)).not.toBe(a);
    expect(kfReplyId('ans', 'wk1', 'a/b')).toMatch(/^ans-[0-9a-zA-Z_-]+$/);
  });

  it('villageFromSceneParam: v=<code>, URL-encoded once or twice; junk → undefined', () => {
    expect(villageFromSceneParam('v=140802002201')).toBe('140802002201');
    expect(villageFromSceneParam('v%3D0305')).toBe('0305');
    expect(villageFromSceneParam('v%253D0305')).toBe('0305');
    expect(villageFromSceneParam('x=1&v=0305')).toBe('0305');
    for (const bad of [undefined, '', 'v=', 'v=<script>', 'village=0305', '%E0%A4%A', `v=${'1'.repeat(40)}`]) expect(villageFromSceneParam(bad)).toBeUndefined();
  });

  it('wantsHuman and option numbers', () => {
    for (const t of ['转人工', '人工', '我要转人工！', '找工作人员', '人工客服']) expect(wantsHuman(t)).toBe(true);
    for (const t of ['居住证明', '人工智能是什么', '工作证明']) expect(wantsHuman(t)).toBe(false);
    expect(optionNumber('2')).toBe(2);
    expect(optionNumber(' ３ ')).toBe(3);
    expect(optionNumber('4')).toBeUndefined();
    expect(optionNumber('12')).toBeUndefined();
  });

  it('answers fit WeCom limits: text ≤ 2,048 bytes (even the 32-item banned list), menus ≤ 10 items, click content ≤ 128 bytes', () => {
    for (const q of ['哪些证明村里不能开', '居住证明', '房屋证明', '今天天气', '', '帮助', 'x'.repeat(5000)]) {
      const r = replyForAnswer(engine.ask(q, { region: '140802002201' }));
      if (r.body.msgtype === 'text') expect(bytes(r.body.text.content)).toBeLessThanOrEqual(2048);
      else {
        expect(r.body.msgmenu.list.length).toBeLessThanOrEqual(10);
        for (const i of r.body.msgmenu.list) expect(bytes(i.click.content)).toBeLessThanOrEqual(128);
        expect(bytes(r.body.msgmenu.head_content)).toBeLessThanOrEqual(1024);
      }
    }
    const amb = replyForAnswer(engine.ask('房屋证明', { region: '140802002201' }));
    expect(amb.options).toHaveLength(3);
    expect(amb.unanswered).toBe(false);
    const nf = replyForAnswer(engine.ask('广场舞几点', { region: '140802002201' }));
    expect(nf.unanswered).toBe(true);
    const empty = replyForAnswer(engine.ask('', {}));
    expect(empty.unanswered).toBe(false);
  });

  it('an unknown or missing village is said in the answer', () => {
    const none = replyForAnswer(engine.ask('居住证明', {}));
    expect(none.body.msgtype === 'text' && none.body.text.content).toMatch(/默认地区|没认出/);
    const unknown = replyForAnswer(engine.ask('居住证明', { region: 'v999' }));
    expect(unknown.body.msgtype === 'text' && unknown.body.text.content).toContain('没找到"v999"');
  });

  it('welcome menu: greeting with the place, popular certificates, the lists and 转人工', () => {
    const entries = ['C07', 'N05'].map((id) => {
      const a = engine.ask(id, { region: '140802002201' });
      if (a.kind !== 'item') throw new Error('expected an item');
      return a.item;
    });
    const m = welcomeMenu('北郊村', entries);
    if (m.msgtype !== 'msgmenu') throw new Error('menu expected');
    expect(m.msgmenu.head_content).toContain('北郊村');
    expect(m.msgmenu.list.map((i) => i.click.id)).toEqual(['item-C07', 'item-N05', 'list-allowed', 'list-banned', 'human']);
    expect(m.msgmenu.list[1]!.click.content).toBe('无犯罪记录证明去哪开');
  });

  it('parseKfMsg lifts ids out of events and rejects junk', () => {
    const ev = parseKfMsg({ msgid: 'e1', origin: 4, msgtype: 'event', send_time: 1, event: { event_type: 'enter_session', open_kfid: 'wkA', external_userid: 'wmB', scene_param: 'v=1' } }, 'wkZ')!;
    expect(ev).toMatchObject({ openKfId: 'wkA', externalUserId: 'wmB', msgType: 'event' });
    const click = parseKfMsg({ msgid: 'm1', origin: 3, msgtype: 'text', text: { content: '居住证明', menu_id: 'item-C07' }, external_userid: 'wmB' }, 'wkZ')!;
    expect(click).toMatchObject({ openKfId: 'wkZ', text: '居住证明', menuId: 'item-C07' });
    for (const junk of [null, 'x', [], {}, { msgid: '' }, { msgid: { a: 1 } }]) expect(parseKfMsg(junk, 'wk')).toBeUndefined();
    expect(parseKfMsg({ msgid: 5 }, 'wk')?.msgId).toBe('5');
    expect(parseKfMsg({ msgid: 'm2', msgtype: 'image', image: { media_id: 'x' } }, 'wk')).toMatchObject({ text: '', origin: 0, sendTime: 0 });
  });
});
