import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeedCatalog } from '../seeds/load.js';
import type { Catalog } from '../seeds/schema.js';
import { createCatalogEngine, type CatalogEngine } from '../handlers/catalog-search/engine.js';
import { normalizeQuestion } from '../handlers/catalog-search/normalize.js';
import { detectCues } from '../handlers/catalog-search/intent.js';
import { listsForRegion, regionChain } from '../handlers/catalog-search/region.js';
import { pinyinPhrase } from '../handlers/catalog-search/pinyin.js';
import type { Answer } from '../handlers/catalog-search/types.js';
import { EVAL_DEFAULT_REGION, EVAL_MIN_ACCURACY, evaluate, loadEvalSet } from '../bench/eval-lib.js';

let catalog: Catalog;
let engine: CatalogEngine;

beforeAll(async () => {
  catalog = await loadSeedCatalog();
  engine = createCatalogEngine(catalog, { defaultRegion: EVAL_DEFAULT_REGION });
});

const ask = (q: string, region?: string): Answer => engine.ask(q, { region });
const itemId = (a: Answer): string | undefined => (a.kind === 'item' ? a.item.id : undefined);

describe('normalizeQuestion', () => {
  it('folds full-width characters to half-width and lowercases', () => {
    expect(normalizeQuestion('ＡＢＣ１２３ 无犯罪证明？').text).toBe('abc123无犯罪证明');
  });
  it('converts traditional to simplified', () => {
    expect(normalizeQuestion('無犯罪記錄證明在哪裡開').text).toBe('无犯罪记录证明在哪里开');
  });
  it('normalises dialect and drops fillers', () => {
    expect(normalizeQuestion('俺想开个居住证明中不中呀').text).toBe('我想开居住证明能不能');
    expect(normalizeQuestion('咋开低保证明嘛').text).toBe('怎么开低保证明');
    expect(normalizeQuestion('啥证明能开').text).toBe('什么证明能开');
    expect(normalizeQuestion('配偶证明').text).toBe('配偶证明');
  });
  it('strips a leading @mention, punctuation and emoji', () => {
    expect(normalizeQuestion('@机器人 村里能开哪些证明？😀').text).toBe('村里能开哪些证明');
    expect(normalizeQuestion('@机器人').empty).toBe(true);
    expect(normalizeQuestion('😀😀🎉').empty).toBe(true);
  });
  it('bounds the length', () => {
    const n = normalizeQuestion('证'.repeat(5000));
    expect(Array.from(n.text).length).toBeLessThanOrEqual(200);
    expect(n.truncated).toBe(true);
  });
  it('maps homophone typos to the same fuzzy pinyin', () => {
    expect(pinyinPhrase('居柱证明')).toBe(pinyinPhrase('居住证明'));
    expect(pinyinPhrase('网格源')).toBe(pinyinPhrase('网格员'));
    expect(pinyinPhrase('吴犯罪')).toBe(pinyinPhrase('无犯罪'));
    expect(pinyinPhrase('证名')).toBe(pinyinPhrase('证明'));
  });
});

describe('matching typos, aliases and colloquialisms', () => {
  it.each([
    ['居柱证明能开吗', 'C07'],
    ['住址证名', 'C07'],
    ['吴犯罪证明村里能开不', 'N05'],
    ['证明我妈是我妈', 'N01'],
    ['網格員能幹出租房信息採集不', 'G01'],
    ['网格源能干出租房信息采集不', 'G01'],
    ['死亡正明', 'N11'],
  ])('%s → %s', (q, id) => {
    expect(itemId(ask(q))).toBe(id);
  });
});

describe('intent and question form', () => {
  it('tells list, eligibility and responsibility questions apart', () => {
    expect(detectCues('村里能开哪些证明').form).toBe('list');
    expect(detectCues('能开无犯罪证明吗').form).toBe('eligibility');
    expect(detectCues('自建房初审归谁负责管').form).toBe('responsibility');
    expect(detectCues('居住证明需要哪些材料').form).not.toBe('list');
  });
  it('answers list questions with the right list', () => {
    const cases: Array<[string, string]> = [
      ['村里能开哪些证明', 'certificate_allowed'],
      ['有哪些不能开', 'certificate_banned'],
      ['网格员能干哪些活', 'grid_allowed'],
      ['哪些事不能派给网格员', 'grid_refused'],
      ['街道有哪些岗位', 'post'],
      ['清单', 'overview'],
    ];
    for (const [q, kind] of cases) {
      const a = ask(q);
      expect(a.kind, q).toBe('list');
      if (a.kind === 'list') expect(a.listKind, q).toBe(kind);
    }
  });
  it('answers eligibility and responsibility questions with one item', () => {
    const a = ask('能开无犯罪证明吗');
    expect(a.kind === 'item' && a.item.banned).toBe(true);
    expect(a.intent).toBe('certificate');
    const b = ask('自建房初审归谁管');
    expect(itemId(b)).toBe('T17');
    expect(b.intent).toBe('duty');
    expect(b.form).toBe('responsibility');
    expect(itemId(ask('燃气检查是基本职责还是配合'))).toBe('T26');
  });
  it('understands commands with or without a slash', () => {
    expect(itemId(ask('证明 居住证明'))).toBe('C07');
    expect(itemId(ask('/谁负责 燃气安全检查'))).toBe('T26');
    expect(itemId(ask('岗位 物业管理岗'))).toBe('P39');
    expect(itemId(ask('准入 出租房信息采集'))).toBe('G01');
    expect(itemId(ask('证明 N05'))).toBe('N05');
    const help = ask('帮助');
    expect(help.kind === 'command' && help.command).toBe('帮助');
  });
});

describe('safety: a banned certificate is never answered as allowed', () => {
  it('answers every banned certificate name and alias with that banned item', () => {
    const bannedLists = new Set(catalog.lists.filter((l) => l.kind === 'certificate_banned').map((l) => l.id));
    const banned = catalog.items.filter((i) => bannedLists.has(i.listId));
    expect(banned.length).toBeGreaterThan(20);
    for (const item of banned) {
      for (const q of [item.name, ...item.aliases, `村里能开${item.aliases[0] ?? item.name}吗`]) {
        const a = ask(q);
        expect(a.kind === 'item' && a.item.banned && a.item.id === item.id, `${q} → ${a.kind} ${itemId(a)}`).toBe(true);
      }
    }
  });
  it('never answers an allowed certificate when a banned one competes closely', () => {
    for (const q of ['租房证明村里给开吗', '住房证明', '我在村里住 要证明家里困难']) {
      const a = ask(q);
      if (a.kind === 'item' && a.item.kind === 'certificate' && !a.item.banned) {
        // An allowed answer is only acceptable when its name/alias is in the question literally.
        expect(a.item.item?.aliases.some((al) => q.includes(al)) || q.includes(a.item.name), q).toBe(true);
      }
    }
  });
});

describe('region scoping', () => {
  it('lets a more specific region override its ancestors', () => {
    const bc = listsForRegion(catalog, '140802002').map((l) => l.id);
    expect(bc).toContain('bc-township-basic');
    expect(bc).not.toContain('yh-township-basic');
    const dc = listsForRegion(catalog, '140802001').map((l) => l.id);
    expect(dc).toContain('yh-township-basic');
    expect(regionChain(catalog, '140802002001').map((r) => r.name)).toEqual(['红旗社区', '北城街道', '盐湖区', '运城市', '山西省']);
  });
  it('answers for a bound village with its ancestors’ lists', () => {
    const a = ask('自建房初审归谁管', '红旗社区');
    expect(itemId(a)).toBe('T17');
    expect(a.region).toMatchObject({ name: '红旗社区', isDefault: false });
  });
  it('does not answer from another street’s list', () => {
    const a = ask('自建房初审归谁管', '皋落乡');
    expect(itemId(a)).not.toBe('T17');
    expect(a.region.name).toBe('皋落乡');
  });
  it('uses the default region for an unknown one and says so', () => {
    const a = ask('居住证明', '火星村');
    expect(a.region).toMatchObject({ name: '北城街道', isDefault: true, unknownRequested: '火星村' });
    expect(ask('居住证明').region).toMatchObject({ name: '北城街道', isDefault: true });
  });
});

describe('bad input never throws', () => {
  const inputs: unknown[] = [
    '', '   ', '@机器人', '😀😀😀', 'x'.repeat(5000), '证明'.repeat(2500), "'; DROP TABLE catalog_items; --",
    '<script>alert(1)</script>', 'Can I get a residence certificate?', '無犯罪記錄證明', '\u0000\u200b\ufeff', undefined, 42, null,
  ];
  it.each(inputs.map((x) => [x]))('%#', (input) => {
    const a = engine.ask(input as string, { region: 'nowhere' });
    expect(['item', 'list', 'ambiguous', 'not_found', 'command']).toContain(a.kind);
    expect(a.region.name).toBe('北城街道');
  });
  it('says "empty" for empty questions and finds traditional text', () => {
    for (const q of ['', '@机器人', '😀😀']) expect(ask(q)).toMatchObject({ kind: 'not_found', reason: 'empty' });
    expect(itemId(ask('無犯罪記錄證明'))).toBe('N05');
    expect(ask('hello how are you').kind).toBe('not_found');
  });
});

describe('engine lifecycle', () => {
  it('is deterministic and rebuilds with a changed catalog', () => {
    const q = '村里能开电动车充电证明吗';
    const first = JSON.stringify(ask(q));
    expect(JSON.stringify(ask(q))).toBe(first);
    const other = createCatalogEngine(catalog, { defaultRegion: EVAL_DEFAULT_REGION });
    expect(itemId(other.ask('电瓶车上楼证明', {}))).not.toBe('N32');
    const changed: Catalog = {
      ...catalog,
      items: catalog.items.map((i) => (i.id === 'N32' ? { ...i, aliases: [...i.aliases, '电瓶车上楼证明'] } : i)),
    };
    other.rebuild(changed);
    expect(itemId(other.ask('电瓶车上楼证明', {}))).toBe('N32');
    expect(other.stats().docs).toBe(catalog.items.length + catalog.posts.length);
  });
});

describe('evaluation set', () => {
  it(`keeps top-1 accuracy ≥ ${EVAL_MIN_ACCURACY * 100}% and never answers a banned certificate as allowed`, async () => {
    const dir = path.join(import.meta.dirname, '..', 'bench');
    const tuning = evaluate(engine, catalog, await loadEvalSet(path.join(dir, 'eval-set.yaml')));
    const holdout = evaluate(engine, catalog, await loadEvalSet(path.join(dir, 'eval-holdout.yaml')));
    expect(tuning.total).toBeGreaterThanOrEqual(100);
    expect(holdout.total).toBeGreaterThanOrEqual(30);
    expect(tuning.accuracy, tuning.misses.map((m) => `${m.q} → ${m.got}`).join('\n')).toBeGreaterThanOrEqual(EVAL_MIN_ACCURACY);
    expect(tuning.bannedAsAllowed).toBe(0);
    expect(holdout.bannedAsAllowed).toBe(0);
  });
});
