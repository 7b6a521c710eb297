import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { startTestService, type TestService } from './support/service.js';
import { askAibot, askAibotText, askApp, sendAibotRaw } from './support/chat.js';
import { qaQuestions, outbox } from '../db/schema/index.js';
import { CatalogService } from '../handlers/catalog-qa/service.js';
import { silentLogger } from '../lib/log.js';
import { testRedis } from './support/redis.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ logLevel: process.env.TEST_LOG_LEVEL });
});
afterAll(async () => svc.close());

describe('catalog answers through the callbacks', () => {
  it('says no to a banned certificate, with where to go and the citation (AI bot markdown)', async () => {
    const text = await askAibotText(svc.url, '村里能开无犯罪证明吗');
    expect(text).toContain('❌');
    expect(text).toContain('派出所');
    expect(text).toContain('N05');
    expect(text).toContain('北城街道');
    expect(text).not.toContain('✅');
  });

  it('answers an allowed certificate with ✅ and who may apply, on the app as text ≤ 2,048 bytes', async () => {
    const text = await askApp(svc.url, '党员报到证明村里能开吗');
    expect(text).toContain('✅');
    expect(text).toContain('C01');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
  });

  it('understands a pinyin typo and dialect', async () => {
    expect(await askAibotText(svc.url, '俺想开个吴犯罪证明中不中')).toContain('N05');
  });

  it('asks back with a card on the AI bot; the click updates the card and answers through response_url', async () => {
    const reply = await askAibot(svc.url, '食品安全归谁管');
    expect(reply.msgtype).toBe('template_card');
    const card = reply.template_card;
    expect(card.card_type).toBe('button_interaction');
    expect(card.button_list.length).toBeGreaterThanOrEqual(2);
    const key = card.button_list[0].key as string;
    const click = await sendAibotRaw(svc.url, {
      msgid: `click-${Date.now()}`,
      create_time: Math.floor(Date.now() / 1000),
      aibotid: 'aib',
      chattype: 'single',
      from: { userid: 'zhangsan' },
      response_url: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1',
      msgtype: 'event',
      event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: key, task_id: card.task_id } },
    });
    expect(click.response_type).toBe('update_template_card');
    expect(click.template_card.task_id).toBe(card.task_id);
    expect(click.template_card.replace_text).toMatch(/^已选择：/);
    // Dry mode: the answer is in the outbox, addressed to the response_url.
    await waitFor(async () => (await svc.infra.db.db.select().from(outbox).where(eq(outbox.method, 'aibot/response'))).length > 0);
    const [row] = await svc.infra.db.db.select().from(outbox).where(eq(outbox.method, 'aibot/response'));
    expect(JSON.stringify(row!.payload)).toContain('markdown');
  });

  it('asks back with a numbered list on the app; replying 2 answers the second option', async () => {
    const first = await askApp(svc.url, '食品安全归谁管', 'chooser');
    expect(first).toContain('您是想问');
    const second = first.split('\n').find((l) => l.startsWith('2.'))!;
    const picked = await askApp(svc.url, '2', 'chooser');
    expect(picked).not.toContain('您是想问');
    const name = second.replace(/^2\.\s*/, '').replace(/〔.*$/, '').slice(0, 8);
    expect(picked).toContain(name);
    // The list is used up: another "2" is just text.
    expect(await askApp(svc.url, '2', 'chooser')).not.toContain(name);
  });

  it('says honestly when nothing is found and logs the question', async () => {
    const text = await askAibotText(svc.url, '火星移民签证怎么办');
    expect(text).toContain('没找到');
    await svc.runtime.flushInbound();
  });

  it.each([
    ['empty', ''],
    ['only a mention', '@基层减负助手'],
    ['5,000 characters', '证明'.repeat(2500)],
    ['emoji only', '😀😀😀🙏'],
    ['SQL-looking', "'; drop table qa_questions; --"],
    ['HTML-looking', '<script>alert(1)</script>能开居住证明吗'],
    ['English', 'can the village issue a residence certificate?'],
    ['traditional characters', '村裡能開無犯罪證明嗎'],
  ])('bad input (%s) gets a sensible reply, never an error', async (_label, text) => {
    const reply = await askAibot(svc.url, text, { group: 'wrBAD' });
    expect(reply.msgtype === 'stream' || reply.msgtype === 'template_card').toBe(true);
    const content = reply.msgtype === 'stream' ? reply.stream.content : reply.template_card.main_title.title;
    expect(content.length).toBeGreaterThan(0);
    expect(content).not.toContain('出了点问题');
  });

  it('keeps a traditional-character question on the banned answer', async () => {
    expect(await askAibotText(svc.url, '村裡能開無犯罪證明嗎')).toContain('❌');
  });
});

describe('admin commands', () => {
  it('refuses non-admins politely', async () => {
    for (const cmd of ['绑定 北城街道', '未答', '补充别名 C07 住址条']) {
      expect(await askApp(svc.url, cmd, 'someone')).toContain('只有管理员');
    }
  });

  it('binds a group to a region; answers then use it; an unknown region is refused clearly', async () => {
    expect(await askAibotText(svc.url, '绑定 火星', { user: 'admin01', group: 'wrBIND' })).toContain('没有找到地区');
    const bound = await askAibotText(svc.url, '/绑定 东城街道', { user: 'admin01', group: 'wrBIND' });
    expect(bound).toContain('东城街道');
    const answer = await askAibotText(svc.url, '村里能开无犯罪证明吗', { user: 'x', group: 'wrBIND' });
    expect(answer).toContain('东城街道');
    expect(answer).not.toContain('按默认地区');
  });

  it('adds an alias that takes effect at once, audited, and reloads other processes via Redis', async () => {
    const before = await askAibotText(svc.url, '开个小卖部住所条');
    expect(before).not.toMatch(/^✅/);
    // A second process with its own engine, subscribed to catalog changes.
    const redis = testRedis();
    const other = await CatalogService.load({ db: svc.infra.db.db, log: silentLogger(), defaultRegion: '北城街道', redisPrefix: svc.prefix });
    await other.subscribe(redis);
    const res = await askApp(svc.url, '补充别名 C07 开个小卖部住所条', 'admin01');
    expect(res).toContain('已为 C07');
    expect(await askAibotText(svc.url, '开个小卖部住所条')).toContain('C07');
    await waitFor(async () => {
      const a = other.engine.ask('开个小卖部住所条');
      return a.kind === 'item' && a.item.id === 'C07';
    });
    const audit = await svc.infra.db.db.execute<{ action: string; actor: string }>(sql`select action, actor from audit_log where action = 'catalog.alias_add'`);
    expect(audit.rows).toEqual([{ action: 'catalog.alias_add', actor: 'admin01' }]);
    expect(await askApp(svc.url, '补充别名 C01 开个小卖部住所条', 'admin01')).toContain('已经是 C07');
    redis.disconnect();
  });

  it('lists unanswered questions with counts, and stores 👍/👎 feedback against the question', async () => {
    await askAibotText(svc.url, '火星移民签证怎么办');
    const answer = await askAibot(svc.url, '居住证明能开吗');
    const feedbackId = answer.stream.feedback.id as string;
    await sendAibotRaw(svc.url, {
      msgid: `fb-${Date.now()}`, create_time: Math.floor(Date.now() / 1000), aibotid: 'aib', chattype: 'single', from: { userid: 'zhangsan' },
      msgtype: 'event', event: { eventtype: 'feedback_event', feedback_event: { id: feedbackId, type: 2, inaccurate_reason_list: [3] } },
    });
    await waitFor(async () => {
      const rows = await svc.infra.db.db.select().from(qaQuestions).where(eq(qaQuestions.id, feedbackId));
      return rows[0]?.feedbackType === 2;
    });
    const list = await askApp(svc.url, '未答', 'admin01');
    expect(list).toMatch(/火星移民签证怎么办.*×2/);
    expect(list).toMatch(/居住证明能开吗.*👎1/);
  });
});

async function waitFor(cond: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
