import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeedCatalog } from '../seeds/load.js';
import type { Catalog } from '../seeds/schema.js';
import { createCatalogEngine, type CatalogEngine } from '../handlers/catalog-search/engine.js';
import type { Answer } from '../handlers/catalog-search/types.js';
import { fit, formatAnswerMarkdown, formatAnswerText, MARKDOWN_MAX_BYTES, TEXT_MAX_BYTES } from '../handlers/catalog-answers/format.js';
import { askOptions } from '../handlers/catalog-answers/other-parts.js';
import { formatAnswerResident } from '../handlers/catalog-answers/resident.js';
import { utf8Bytes } from '../bot/reply.js';

let catalog: Catalog;
let engine: CatalogEngine;

beforeAll(async () => {
  catalog = await loadSeedCatalog();
  engine = createCatalogEngine(catalog, { defaultRegion: '北城街道' });
});

const ask = (q: string, region?: string): Answer => engine.ask(q, { region });
const both = (a: Answer): string[] => [formatAnswerMarkdown(a), formatAnswerText(a)];

describe('item answers', () => {
  it('allowed certificate: ✅, who, conditions, materials, handler, time limit, basis, list, version, id, region', () => {
    const a = ask('证明 C07');
    for (const t of both(a)) {
      for (const s of ['✅', '谁可以申请', '条件', '需要材料', '谁来办', '办理时限', '依据', '村（社区）可出具证明事项目录', '运城口径重构', 'C07', '北城街道', '按默认地区回答', '以当地最新清单为准']) {
        expect(t, s).toContain(s);
      }
      expect(t).not.toContain('❌');
    }
  });
  it('banned certificate: ❌ 村（社区）不出具, why, where to go, replacement, basis', () => {
    for (const t of both(ask('无犯罪证明'))) {
      for (const s of ['❌ 村（社区）不出具', '无犯罪记录证明', '原因', '去哪办', '派出所', '替代方式', '依据', '民发〔2020〕20号', 'N05']) expect(t, s).toContain(s);
      expect(t).not.toContain('✅');
    }
  });
  it('duties: basic with lead post, cooperating with lead department and our role, returned with department', () => {
    const basic = formatAnswerText(ask('自建房初审归谁管'));
    expect(basic).toContain('基本');
    expect(basic).toContain('自建房规划审批初审岗');
    expect(basic).toContain('T17');
    const coop = formatAnswerText(ask('燃气检查是基本职责还是配合'));
    for (const s of ['配合', '主责部门', '区住建局', '街道做什么', 'T26']) expect(coop, s).toContain(s);
    const returned = formatAnswerText(ask('谁负责 特种设备'));
    for (const s of ['已收回', '区市场监管局', 'T41']) expect(returned, s).toContain(s);
  });
  it('post: its duties', () => {
    const t = formatAnswerMarkdown(ask('岗位 物业管理岗'));
    for (const s of ['物业管理岗', '新增', '职责', '业主大会', 'P39', '北城街道岗位目录']) expect(t, s).toContain(s);
  });
  it('grid: ✅ 准入 with department, ❌ 不得派给网格员 with why', () => {
    const ok = formatAnswerText(ask('准入 出租房信息采集'));
    for (const s of ['✅ 准入', '公安局', '条件', 'G01']) expect(ok, s).toContain(s);
    const no = formatAnswerText(ask('让网格员去收医保费'));
    for (const s of ['❌ 不得派给网格员', '原因', 'R06']) expect(no, s).toContain(s);
  });
  it('names the region used, including a bound one', () => {
    expect(formatAnswerText(ask('居住证明', '红旗社区'))).toContain('地区：红旗社区');
    expect(formatAnswerText(ask('居住证明', '火星村'))).toContain('没找到"火星村"');
  });
});

describe('list answers', () => {
  it('lists every item one line each with the honest count', () => {
    const a = ask('北城街道基本职责有哪些');
    expect(a.kind).toBe('list');
    const t = formatAnswerMarkdown(a);
    expect(t).toContain('本清单共141项，已录入24项');
    const basic = catalog.items.filter((i) => i.listId === 'bc-township-basic');
    for (const i of basic) expect(t).toContain(`${i.id} ${i.name}`);
    const allowed = formatAnswerText(ask('村里能开哪些证明'));
    expect(allowed).toContain('本清单共7项');
    expect(allowed.split('\n').filter((l) => l.includes('✅ C0'))).toHaveLength(7);
  });
  it('shortens long lists for the app with a pointer and keeps the citation', () => {
    const a = ask('北城街道基本职责有哪些');
    const t = formatAnswerText(a);
    expect(utf8Bytes(t)).toBeLessThanOrEqual(TEXT_MAX_BYTES);
    if (utf8Bytes(formatAnswerMarkdown(a)) > TEXT_MAX_BYTES) expect(t).toContain('完整内容请发送');
    expect(t).toContain('地区：北城街道');
  });
  it('overview names every list with its counts', () => {
    const t = formatAnswerMarkdown(ask('清单'));
    expect(t).toContain('北城街道基本权责清单：本清单共141项，已录入24项');
    expect(t).toContain('村（社区）可出具证明事项目录：本清单共7项');
  });
});

describe('not found and ask-back', () => {
  it('not found: honest, with a rephrasing hint and whom to contact', () => {
    const t = formatAnswerText(ask('股票明天涨不涨'));
    for (const s of ['没找到', '换个说法', '北城街道便民服务中心']) expect(t, s).toContain(s);
  });
  it('ambiguous: "您是想问" with the top 3 numbered and options to pick', () => {
    const a = ask('租房');
    expect(a.kind).toBe('ambiguous');
    if (a.kind !== 'ambiguous') return;
    const t = formatAnswerText(a);
    expect(t).toContain('您是想问');
    for (const n of [1, 2, 3]) expect(t).toContain(`${n}. `);
    const opts = askOptions(a);
    expect(opts.map((o) => o.n)).toEqual([1, 2, 3]);
    // Each option's query answers that very item.
    for (const o of opts) expect(ask(o.query).kind === 'item' && (ask(o.query) as { item: { id: string } }).item.id).toBe(o.id);
  });
});

describe('sizes', () => {
  it('every item answer fits: markdown ≤ 20,480 bytes, text ≤ 2,048 bytes', () => {
    const ids = [...catalog.items.map((i) => i.id), ...catalog.posts.map((p) => p.id)];
    for (const id of ids) {
      const a = ask(id);
      expect(a.kind === 'item' && a.item.id, id).toBe(id);
      expect(utf8Bytes(formatAnswerMarkdown(a))).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
      expect(utf8Bytes(formatAnswerText(a))).toBeLessThanOrEqual(TEXT_MAX_BYTES);
      expect(utf8Bytes(formatAnswerResident(a))).toBeLessThanOrEqual(TEXT_MAX_BYTES);
    }
  });
  it('fit() cuts with a pointer and keeps the citation lines', () => {
    const lines = ['标题', ...Array.from({ length: 400 }, (_, i) => `第${i}行内容内容内容`)];
    const t = fit(lines, TEXT_MAX_BYTES, '证明 居住证明', ['来源：某清单 · 编号 C07', '地区：北城街道']);
    expect(utf8Bytes(t)).toBeLessThanOrEqual(TEXT_MAX_BYTES);
    expect(t.startsWith('标题')).toBe(true);
    expect(t).toContain('完整内容请发送：证明 居住证明');
    expect(t.endsWith('地区：北城街道')).toBe(true);
  });
  it('bad input still formats', () => {
    for (const q of ['', '@机器人', '😀', 'x'.repeat(5000), '<b>bold</b>', '帮助']) {
      const a = ask(q);
      for (const t of [...both(a), formatAnswerResident(a)]) expect(t.length).toBeGreaterThan(0);
    }
  });
});

describe('resident flavour', () => {
  it('banned: plain no and where to go instead', () => {
    const t = formatAnswerResident(ask('无犯罪证明'));
    expect(t).toContain('村（社区）不开');
    expect(t).toContain('派出所');
    expect(t).toContain('N05');
  });
  it('allowed: what to bring and whom to see', () => {
    const t = formatAnswerResident(ask('居住证明'));
    for (const s of ['可以在村（社区）开', '要带', '找谁', '以当地最新规定为准']) expect(t, s).toContain(s);
  });
  it('list of what a resident can get', () => {
    const t = formatAnswerResident(ask('村里能开哪些证明'));
    expect(t).toContain('村（社区）能开的证明有');
    expect(t).toContain('7. ');
  });
});
