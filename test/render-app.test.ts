import { describe, it, expect } from 'vitest';
import { planAppReply } from '../bot/callback/render-app.js';
import { renderAibotReply } from '../bot/callback/render-aibot.js';
import { truncateBytes, splitBytes, utf8Bytes } from '../bot/reply.js';
import type { Update } from '../bot/update.js';

const text: Update = { channel: 'app', type: 'text', dedupeKey: '7312345678901234567', msgId: '7312345678901234567', userId: 'lisi', chatId: undefined, chatType: 'single', createTime: 1, text: 'x', source: 'text' };

describe('reply rendering', () => {
  it('app: a short answer is a passive XML text; a long one goes out as markdown parts of ≤ 2,048 bytes', () => {
    const short = planAppReply(text, { kind: 'markdown', text: '**好的** 居住证明' }, 'wwcorp', 1000002, 100);
    expect(short.sends).toEqual([]);
    expect(short.passive).toContain('<Content><![CDATA[好的 居住证明]]></Content>');
    const long = '第一行很长的内容。'.repeat(100) + '\n' + '第二段'.repeat(400);
    const plan = planAppReply(text, { kind: 'markdown', text: long }, 'wwcorp', 1000002, 100);
    expect(plan.passive).toBe('');
    expect(plan.sends.length).toBeGreaterThan(1);
    for (const s of plan.sends) {
      expect(s.method).toBe('message/send');
      const content = (s.body.markdown as { content: string }).content;
      expect(utf8Bytes(content)).toBeLessThanOrEqual(2048);
    }
    // Nothing is lost (parts break at line ends, or inside an over-long line).
    const joined = plan.sends.map((s) => (s.body.markdown as { content: string }).content).join('');
    expect(joined.replace(/\n/g, '')).toBe(long.replace(/\n/g, ''));
    // Deterministic job ids: a re-delivery cannot send twice.
    expect(planAppReply(text, { kind: 'markdown', text: long }, 'wwcorp', 1000002, 999).sends.map((s) => s.jobId)).toEqual(plan.sends.map((s) => s.jobId));
  });

  it('app: cards go out via message/send; card updates use the click ResponseCode', () => {
    const card = { cardType: 'button_interaction' as const, taskId: 't1', title: '标题', buttons: [{ text: '保留', key: 'keep' }] };
    expect(planAppReply(text, { kind: 'card', card, fallbackText: '' }, 'ww', 1, 1).sends[0]!.body.msgtype).toBe('template_card');
    const click: Update = { ...text, type: 'card_click', eventKey: 'keep', taskId: 't1', cardType: 'button_interaction', responseCode: 'RC' } as Update;
    const upd = planAppReply(click, { kind: 'card_update', card: { ...card, replaceText: '已处理' } }, 'ww', 1, 1).sends[0]!;
    expect(upd.method).toBe('message/update_template_card');
    expect(upd.body.response_code).toBe('RC');
  });

  it('AI bot: text is only sent as text for enter_chat; feedback gets an empty reply; streams are cut at 20,480 bytes', () => {
    const ai: Update = { ...text, channel: 'aibot', msgId: 'm1', dedupeKey: 'm1' };
    expect(JSON.parse(renderAibotReply(ai, { kind: 'text', text: 'hi' })).msgtype).toBe('stream');
    expect(JSON.parse(renderAibotReply({ ...ai, type: 'enter_chat' } as Update, { kind: 'text', text: 'hi' })).msgtype).toBe('text');
    expect(renderAibotReply({ ...ai, type: 'feedback', feedbackId: 'f', feedbackType: 1 } as Update, { kind: 'text', text: 'x' })).toBe('');
    const big = JSON.parse(renderAibotReply(ai, { kind: 'markdown', text: '字'.repeat(10_000) }));
    expect(utf8Bytes(big.stream.content)).toBeLessThanOrEqual(20_480);
    expect(big.stream.finish).toBe(true);
  });

  it('byte helpers never split a character', () => {
    expect(utf8Bytes(truncateBytes('证明证明证明', 7, '…'))).toBeLessThanOrEqual(7);
    expect(splitBytes('一二三四五六七八九十', 6).join('')).toBe('一二三四五六七八九十');
  });
});
