import { describe, it, expect, beforeAll } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadSeedCatalog, readYamlCatalog, SEED_DIR } from '../seeds/load.js';
import { CatalogLoadError, formatCatalogError } from '../seeds/errors.js';
import { itemsOfList, type Catalog } from '../seeds/schema.js';

let c: Catalog;
const list = (id: string) => {
  const l = c.lists.find((x) => x.id === id);
  if (!l) throw new Error(`no list ${id}`);
  return l;
};
const items = (id: string) => itemsOfList(c, id);

beforeAll(async () => {
  c = await loadSeedCatalog();
});

describe('seed catalog', () => {
  it('has the certificate lists: 7 allowed, 32 banned, each banned one with where to go and why', () => {
    const allowed = items('yc-cert-allowed');
    const banned = items('yc-cert-banned');
    expect(allowed.map((i) => i.id)).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07']);
    expect(banned).toHaveLength(32);
    expect(banned.map((i) => i.id)).toEqual(Array.from({ length: 32 }, (_, k) => `N${String(k + 1).padStart(2, '0')}`));
    expect(list('yc-cert-allowed').officialSize).toBe(7);
    for (const b of banned) {
      expect(b.fields.where_to_go, b.id).toBeTruthy();
      expect(b.fields.replacement, b.id).toBeTruthy();
      expect(b.fields.why, b.id).toBeTruthy();
      expect(b.basis, b.id).toBeTruthy();
    }
    for (const a of allowed) {
      for (const f of ['who_may_apply', 'conditions', 'materials', 'handled_by', 'time_limit']) expect(a.fields[f], `${a.id}.${f}`).toBeTruthy();
      expect(a.basis, a.id).toBeTruthy();
    }
  });

  it('never lists 死亡证明 as allowed, and no alias is shared between an allowed and a banned certificate', () => {
    const death = c.items.find((i) => i.name === '死亡证明');
    expect(death?.listId).toBe('yc-cert-banned');
    expect(String(death?.fields.where_to_go)).toContain('医疗卫生机构');
    const allowedTerms = new Set(items('yc-cert-allowed').flatMap((i) => [i.name, ...i.aliases]));
    const clash = items('yc-cert-banned').flatMap((i) => [i.name, ...i.aliases]).filter((t) => allowedTerms.has(t));
    expect(clash).toEqual([]);
    expect(allowedTerms.has('死亡证明')).toBe(false);
    // 居住证明 is the candidate 7th item and says so.
    const c07 = c.items.find((i) => i.id === 'C07')!;
    expect(c07.aliases).toContain('居住证明');
    expect(c07.note).toContain('以当地最新清单为准');
  });

  it('keeps the colloquial aliases the search engine relies on', () => {
    const byAlias = (a: string) => c.items.filter((i) => i.aliases.includes(a)).map((i) => i.id);
    expect(byAlias('证明我妈是我妈')).toEqual(['N01']);
    expect(byAlias('无犯罪证明')).toEqual(['N05']);
    expect(byAlias('低保证明')).toEqual(['N28']);
    expect(byAlias('开个住址证明')).toEqual(['C07']);
    expect(byAlias('燃气安全检查')).toEqual(['T26']);
    expect(byAlias('出租房信息采集')).toEqual(['G01']);
    expect(c.posts.find((p) => p.id === 'P40')?.aliases).toContain('自建房初审岗');
  });

  it('has 13 categories / 37 village duties and 42 assisting items', () => {
    const duties = items('yc-village-duty');
    expect(duties).toHaveLength(37);
    expect(new Set(duties.map((d) => d.category)).size).toBe(13);
    expect(list('yc-village-duty')).toMatchObject({ officialSize: 37, officialCategories: 13 });
    expect(items('yc-village-assist')).toHaveLength(42);
    expect(items('yc-village-assist').every((a) => a.fields.department)).toBe(true);
  });

  it('has the township lists with official sizes, the empty 盐湖区 template and the deleted item', () => {
    expect(items('bc-township-basic')).toHaveLength(24);
    expect(items('bc-township-cooperate')).toHaveLength(16);
    expect(items('bc-township-returned')).toHaveLength(8);
    expect(items('bc-township-deleted').map((i) => i.id)).toEqual(['D01']);
    expect(list('bc-township-basic').officialSize).toBe(141);
    expect(list('bc-township-cooperate').officialSize).toBe(96);
    expect(list('bc-township-returned').officialSize).toBe(11);
    expect(list('yh-township-basic')).toMatchObject({ officialSize: 156, region: '140802' });
    expect(items('yh-township-basic')).toHaveLength(0);
    for (const i of items('bc-township-cooperate')) expect(i.fields.lead_department, i.id).toBeTruthy();
    for (const i of items('bc-township-returned')) expect(i.fields.returned_to, i.id).toBeTruthy();
  });

  it('has 43 posts of which 5 are new, linked both ways to township items', () => {
    expect(c.posts).toHaveLength(43);
    expect(c.posts.filter((p) => p.isNew).map((p) => p.name)).toEqual([
      '物业管理岗',
      '自建房规划审批初审岗',
      '公寓安全消防岗',
      '小产权房矛盾化解岗',
      '商事登记管理服务岗',
    ]);
    expect(c.items.find((i) => i.id === 'T17')?.posts).toEqual(['P40']);
    expect(c.posts.find((p) => p.id === 'P40')?.items).toEqual(['T17', 'T18']);
  });

  it('has 17 grid entry items, 12 refused items, rules, indicators, measures, signage and figures', () => {
    expect(items('yc-grid-allowed')).toHaveLength(17);
    expect(new Set(items('yc-grid-allowed').map((g) => g.fields.department)).size).toBe(14);
    expect(items('yc-grid-refused')).toHaveLength(12);
    expect(items('yc-grid-refused').every((r) => r.fields.why)).toBe(true);
    expect(items('yc-assessment-rules')).toHaveLength(9);
    expect(items('yc-indicators')).toHaveLength(10);
    expect(items('yc-indicators-removed')).toHaveLength(5);
    expect(items('sx-burden-measures')).toHaveLength(9);
    expect(items('yc-signage')).toHaveLength(5);
    const figures = items('yc-figures');
    expect(figures.find((f) => f.fields.value === '141')?.name).toContain('北城街道');
    expect(figures.find((f) => f.fields.value === '859')).toBeTruthy();
  });

  it('keeps reference ids, sources and verification flags', () => {
    const n05 = c.items.find((i) => i.id === 'N05')!;
    expect(n05).toMatchObject({ verified: true, detailsVerified: true });
    expect(n05.source[0]).toMatch(/^http/);
    const v03 = c.items.find((i) => i.id === 'V03')!;
    expect(v03.verified).toBe(false);
    expect(v03.checks.category).toBe(false);
    expect(c.items.filter((i) => !i.verified).length).toBeGreaterThan(50);
  });

  it('places every list in a region that exists, with a region tree down to villages', () => {
    const codes = new Set(c.regions.map((r) => r.code));
    for (const l of c.lists) expect(codes.has(l.region), l.id).toBe(true);
    expect(c.regions.map((r) => r.level)).toContain('village');
    expect(c.regions.find((r) => r.name === '北城街道')?.parent).toBe('140802');
    expect(c.contacts.some((x) => x.region === '140802002')).toBe(true);
  });
});

describe('seed loader errors', () => {
  async function tmpDir(files: Record<string, string>): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seeds-'));
    for (const [n, t] of Object.entries(files)) await fs.writeFile(path.join(dir, n), t);
    return dir;
  }

  it('reports a missing field as file:line: path: reason', async () => {
    const dir = await tmpDir({
      'a.yaml': [
        'version: t',
        'regions:',
        '  - { code: "1", name: 省, level: province }',
        'lists:',
        '  - id: l1',
        '    kind: certificate_allowed',
        '    name: 清单',
        '    region: "1"',
        '    version: v',
        '    items:',
        '      - id: X1',
        '        verified: true',
      ].join('\n'),
    });
    const { catalog, errors } = await readYamlCatalog(dir);
    expect(catalog).toBeUndefined();
    expect(errors.map(formatCatalogError)).toEqual([expect.stringMatching(/^a\.yaml:11: lists\[0\]\.items\[0\]\.name: /)]);
  });

  it('reports broken cross references and duplicate ids', async () => {
    const dir = await tmpDir({
      'a.yaml': [
        'version: t',
        'regions: [{ code: "1", name: 省, level: province }]',
        'lists:',
        '  - { id: l1, kind: post, name: 岗位, region: "9", version: v, items: [], posts: [{ id: P1, name: 岗, verified: false, items: [Z9] }] }',
        '  - id: l2',
        '    kind: certificate_banned',
        '    name: 负面',
        '    region: "1"',
        '    version: v',
        '    items:',
        '      - { id: N1, name: a, verified: true, posts: [P7] }',
        '      - { id: N1, name: b, verified: true }',
      ].join('\n'),
    });
    const { errors } = await readYamlCatalog(dir);
    const text = errors.map(formatCatalogError).join('\n');
    expect(text).toContain('编号重复：N1');
    expect(text).toContain('地区不存在：9');
    expect(text).toContain('关联事项不存在：Z9');
    expect(text).toContain('岗位不存在：P7');
    await expect(loadSeedCatalog(dir)).rejects.toBeInstanceOf(CatalogLoadError);
  });

  it('reports YAML syntax errors with their line, and unknown top-level keys', async () => {
    const dir = await tmpDir({ 'a.yaml': 'version: t\nregions:\n  - { code: "1", name: [x\n', 'b.yaml': 'version: t\nfoo: 1\n' });
    const { catalog, errors } = await readYamlCatalog(dir);
    expect(catalog).toBeUndefined();
    const text = errors.map(formatCatalogError).join('\n');
    expect(text).toMatch(/^a\.yaml:\d+: YAML 格式错误/m);
    expect(text).toContain('b.yaml:2: foo: 不认识的顶层字段：foo');
    expect(path.basename(SEED_DIR)).toBe('seeds');
  });
});
