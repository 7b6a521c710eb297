import { describe, it, expect } from 'vitest';
import { parseAibotMessage } from '../bot/callback/parse-aibot.js';
import { parseAppMessage } from '../bot/callback/parse-app.js';
import { parseXml, buildXml } from '../bot/callback/xml.js';
import { stripLeadingMentions } from '../bot/callback/mention.js';
import { loadConfig, ConfigError } from '../lib/config.js';

const NOW = 1_700_000_000;

describe('AI bot messages → Update', () => {
  it('text in a group: the leading @mention (with U+2005) is stripped, chat and user kept', () => {
    const u = parseAibotMessage(JSON.stringify({ msgid: 'm1', aibotid: 'a', chatid: 'wrG', chattype: 'group', from: { userid: 'zs' }, msgtype: 'text', text: { content: '@基层减负助手\u2005村里能开哪些证明' } }), NOW);
    expect(u).toMatchObject({ type: 'text', text: '村里能开哪些证明', chatId: 'wrG', chatType: 'group', userId: 'zs', msgId: 'm1', dedupeKey: 'm1' });
  });

  it('mixed, voice (already transcribed) and quote become text', () => {
    const mixed = parseAibotMessage(JSON.stringify({ msgid: 'm2', chattype: 'single', from: { userid: 'zs' }, msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text', text: { content: '这张图' } }, { msgtype: 'image', image: { url: 'u' } }, { msgtype: 'text', text: { content: '能开吗' } }] } }), NOW);
    expect(mixed).toMatchObject({ type: 'text', text: '这张图 能开吗', source: 'mixed' });
    const voice = parseAibotMessage(JSON.stringify({ msgid: 'm3', chattype: 'single', from: { userid: 'zs' }, msgtype: 'voice', voice: { content: '居住证明去哪开' } }), NOW);
    expect(voice).toMatchObject({ type: 'text', text: '居住证明去哪开', source: 'voice' });
    const quoted = parseAibotMessage(JSON.stringify({ msgid: 'm4', chattype: 'single', from: { userid: 'zs' }, msgtype: 'text', text: { content: '这个呢' }, quote: { msgtype: 'text', text: { content: '无犯罪证明' } } }), NOW);
    expect(quoted).toMatchObject({ type: 'text', text: '这个呢', quote: '无犯罪证明' });
  });

  it('events: enter_chat, template_card_event with selections, feedback_event; unknown → unsupported', () => {
    const base = { msgid: 'e1', create_time: NOW, aibotid: 'a', chattype: 'single', from: { userid: 'zs' }, msgtype: 'event' };
    expect(parseAibotMessage(JSON.stringify({ ...base, event: { eventtype: 'enter_chat' } }), NOW).type).toBe('enter_chat');
    const click = parseAibotMessage(JSON.stringify({ ...base, response_url: 'https://x', event: { eventtype: 'template_card_event', template_card_event: { card_type: 'vote_interaction', event_key: 'k', task_id: 't', selected_items: { selected_item: [{ question_key: 'q', option_ids: { option_id: ['o1', 'o2'] } }] } } } }), NOW);
    expect(click).toMatchObject({ type: 'card_click', eventKey: 'k', taskId: 't', cardType: 'vote_interaction', responseUrl: 'https://x', selected: [{ questionKey: 'q', optionIds: ['o1', 'o2'] }] });
    const fb = parseAibotMessage(JSON.stringify({ ...base, event: { eventtype: 'feedback_event', feedback_event: { id: 'f1', type: 2, inaccurate_reason_list: [1, 3] } } }), NOW);
    expect(fb).toMatchObject({ type: 'feedback', feedbackId: 'f1', feedbackType: 2, reasons: [1, 3] });
    expect(parseAibotMessage(JSON.stringify({ ...base, event: { eventtype: 'disconnected_event' } }), NOW)).toMatchObject({ type: 'unsupported', raw: 'event:disconnected_event' });
    expect(parseAibotMessage(JSON.stringify({ ...base, msgtype: 'image', image: { url: 'u' } }), NOW)).toMatchObject({ type: 'unsupported', raw: 'image' });
  });
});

describe('app messages → Update', () => {
  const xml = (f: Record<string, string | number>) => parseXml(buildXml({ ToUserName: 'wwcorp', FromUserName: 'lisi', CreateTime: NOW, AgentID: 1000002, ...f }));

  it('text keeps a 64-bit MsgId exactly', () => {
    const u = parseAppMessage(parseXml('<xml><ToUserName><![CDATA[ww]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>7312345678901234567</MsgId><AgentID>1000002</AgentID></xml>'), NOW);
    expect(u).toMatchObject({ type: 'text', text: '帮助', msgId: '7312345678901234567', userId: 'lisi' });
  });

  it('events: enter_agent, template_card_event, change_external_chat, kf_msg_or_event; distinct events in one second get distinct keys', () => {
    expect(parseAppMessage(xml({ MsgType: 'event', Event: 'enter_agent' }), NOW).type).toBe('enter_chat');
    const click = parseAppMessage(xml({ MsgType: 'event', Event: 'template_card_event', EventKey: 'keep', TaskId: 'zs-1', CardType: 'button_interaction', ResponseCode: 'RC' }), NOW);
    expect(click).toMatchObject({ type: 'card_click', eventKey: 'keep', taskId: 'zs-1', responseCode: 'RC' });
    const other = parseAppMessage(xml({ MsgType: 'event', Event: 'template_card_event', EventKey: 'snooze', TaskId: 'zs-1', CardType: 'button_interaction', ResponseCode: 'RC' }), NOW);
    expect(other.dedupeKey).not.toBe(click.dedupeKey);
    const chat = parseAppMessage(xml({ MsgType: 'event', Event: 'change_external_chat', ChatId: 'wrC', ChangeType: 'update', UpdateDetail: 'add_member', MemChangeCnt: '2' }), NOW);
    expect(chat).toMatchObject({ type: 'external_chat_change', externalChatId: 'wrC', changeType: 'update', updateDetail: 'add_member', memberChangeCount: 2 });
    const kf1 = parseAppMessage(xml({ MsgType: 'event', Event: 'kf_msg_or_event', Token: 'T1', OpenKfId: 'wk1' }), NOW);
    const kf2 = parseAppMessage(xml({ MsgType: 'event', Event: 'kf_msg_or_event', Token: 'T2', OpenKfId: 'wk1' }), NOW);
    expect(kf1).toMatchObject({ type: 'kf_signal', token: 'T1', openKfId: 'wk1' });
    expect(kf1.dedupeKey).not.toBe(kf2.dedupeKey);
    expect(parseAppMessage(xml({ MsgType: 'image', PicUrl: 'u' }), NOW).type).toBe('unsupported');
  });

  it('XML building escapes ]]> inside CDATA', () => {
    expect(parseXml(buildXml({ Content: 'a]]>b' })).Content).toBe('a]]>b');
  });
});

describe('small pieces', () => {
  it('mentions', () => {
    expect(stripLeadingMentions('@助手 @张三  你好')).toBe('你好');
    expect(stripLeadingMentions('邮箱a@b.c')).toBe('邮箱a@b.c');
  });

  it('config lists every invalid key at once and requires all WECOM_* together', () => {
    try {
      loadConfig({ PORT: 'x', WECOM_AIBOT_AES_KEY: 'short', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (e) {
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('WECOM_AIBOT_AES_KEY');
      expect(problems).toContain('LOG_LEVEL');
    }
    expect(() => loadConfig({ WECOM_CORP_ID: 'ww1' })).toThrow(/WECOM_APP_SECRET: required/);
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: './data', wecom: undefined, defaultRegion: '北城街道', tz: 'Asia/Shanghai', trustProxy: false });
  });
});
