import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb } from './support/db.js';
import { loadSeedCatalog } from '../seeds/load.js';
import type { Catalog } from '../seeds/schema.js';
import {
  saveCatalog,
  loadCatalog,
  catalogVersion,
  listCatalogVersions,
  ensureSeeded,
  regionChain,
  listsForRegion,
  contactsForRegion,
  findRegion,
} from '../db/catalog/index.js';
import { catalogItems, catalogVersions } from '../db/schema/index.js';

let t: Awaited<ReturnType<typeof createTestDb>>;
let seeds: Catalog;

beforeAll(async () => {
  t = await createTestDb();
  seeds = await loadSeedCatalog();
});
afterAll(async () => t.close());

describe('catalog store', () => {
  it('starts empty, then ensureSeeded seeds once and only once', async () => {
    expect(await loadCatalog(t.db)).toBeUndefined();
    expect(await catalogVersion(t.db)).toBeUndefined();
    const first = await ensureSeeded(t.db);
    expect(first.seeded).toBe(true);
    const again = await ensureSeeded(t.db);
    expect(again).toEqual({ seeded: false, versionId: first.versionId });
    const v = await catalogVersion(t.db);
    expect(v).toMatchObject({ id: first.versionId, source: 'seed', label: seeds.version });
    expect(v?.counts).toEqual({ regions: 13, lists: 20, items: 268, posts: 43, departments: 44, contacts: 8 });
  });

  it('loads back exactly what was saved (round trip through the database)', async () => {
    const loaded = await loadCatalog(t.db);
    expect(loaded).toBeDefined();
    const { versionId, savedAt, ...data } = loaded!;
    expect(typeof versionId).toBe('number');
    expect(savedAt).toMatch(/^\d{4}-/);
    expect(data).toEqual(seeds);
  });

  it('a save replaces the catalog in one go and records a new version', async () => {
    const before = await catalogVersion(t.db);
    const smaller: Catalog = structuredClone(seeds);
    smaller.version = 'test-2';
    smaller.items = smaller.items.filter((i) => i.listId !== 'yc-figures');
    smaller.items.find((i) => i.id === 'N05')!.aliases.push('测试别名');
    const id = await saveCatalog(t.db, smaller, { source: 'test', note: '去掉数据' });
    expect(id).toBeGreaterThan(before!.id);
    const loaded = await loadCatalog(t.db);
    expect(loaded?.versionId).toBe(id);
    expect(loaded?.items.some((i) => i.listId === 'yc-figures')).toBe(false);
    expect(loaded?.items.find((i) => i.id === 'N05')?.aliases).toContain('测试别名');
    const versions = await listCatalogVersions(t.db);
    expect(versions.map((v) => v.source)).toEqual(['test', 'seed']);
    const [snap] = await t.db.select({ s: catalogVersions.snapshot }).from(catalogVersions).where(eq(catalogVersions.id, id));
    expect((snap!.s as Catalog).version).toBe('test-2');
  });

  it('a failing save changes nothing (one transaction)', async () => {
    const before = await loadCatalog(t.db);
    const bad: Catalog = structuredClone(seeds);
    // A contact pointing at a region that does not exist violates a foreign key late in the save.
    bad.contacts.push({ id: 'ct-x', region: 'nowhere', name: 'x', role: 'y', example: true });
    await expect(saveCatalog(t.db, bad, { source: 'bad' })).rejects.toThrow();
    const after = await loadCatalog(t.db);
    expect(after).toEqual(before);
    const rows = await t.db.select().from(catalogItems);
    expect(rows.length).toBe(before!.items.length);
  });

  it('onlyIfEmpty keeps an existing catalog', async () => {
    const v = await catalogVersion(t.db);
    const id = await saveCatalog(t.db, seeds, { source: 'seed', onlyIfEmpty: true });
    expect(id).toBe(v!.id);
    expect((await catalogVersion(t.db))?.source).toBe('test');
  });
});

describe('region rule', () => {
  it('regionChain walks from the most specific region up to the province', () => {
    expect(regionChain(seeds, '140802002001').map((r) => r.name)).toEqual(['红旗社区', '北城街道', '盐湖区', '运城市', '山西省']);
    expect(regionChain(seeds, 'nope')).toEqual([]);
  });

  it('北城街道 gets its own township list, not the 盐湖区 template; 东城街道 gets the template', () => {
    const bc = listsForRegion(seeds, '140802002');
    const basicBc = bc.filter((l) => l.kind === 'township_basic');
    expect(basicBc.map((l) => l.id)).toEqual(['bc-township-basic']);
    expect(bc.map((l) => l.id)).toEqual(expect.arrayContaining(['yc-cert-allowed', 'yc-cert-banned', 'sx-burden-measures', 'bc-posts']));
    // A village in 北城 inherits 北城's lists.
    expect(listsForRegion(seeds, '140802002201').find((l) => l.kind === 'township_basic')?.id).toBe('bc-township-basic');
    const dc = listsForRegion(seeds, '140802001');
    expect(dc.filter((l) => l.kind === 'township_basic').map((l) => l.id)).toEqual(['yh-township-basic']);
    expect(dc.some((l) => l.kind === 'post')).toBe(false);
    // 垣曲县 is outside 盐湖区: no township lists at all, but the city's lists apply.
    const gl = listsForRegion(seeds, '140827100');
    expect(gl.some((l) => l.kind.startsWith('township'))).toBe(false);
    expect(gl.some((l) => l.kind === 'certificate_banned')).toBe(true);
    expect(listsForRegion(seeds, 'nope')).toEqual([]);
  });

  it('a more specific list of the same kind overrides, whatever the catalog order', () => {
    const c: Catalog = structuredClone(seeds);
    const own = { ...c.lists.find((l) => l.id === 'yc-cert-allowed')!, id: 'bc-cert-allowed', region: '140802002' };
    c.lists.unshift(own);
    expect(listsForRegion(c, '140802002').filter((l) => l.kind === 'certificate_allowed').map((l) => l.id)).toEqual(['bc-cert-allowed']);
    expect(listsForRegion(c, '140802001').filter((l) => l.kind === 'certificate_allowed').map((l) => l.id)).toEqual(['yc-cert-allowed']);
  });

  it('contacts and region lookup by name or alias', () => {
    const names = contactsForRegion(seeds, '140802002001').map((x) => x.name);
    expect(names[0]).toBe('北城街道便民服务中心');
    expect(names).toContain('12345政务服务便民热线');
    expect(findRegion(seeds, '北城街道')?.code).toBe('140802002');
    expect(findRegion(seeds, ' 北城 ')?.code).toBe('140802002');
    expect(findRegion(seeds, '140802')?.name).toBe('盐湖区');
    expect(findRegion(seeds, '北京市')).toBeUndefined();
    expect(findRegion(seeds, '')).toBeUndefined();
  });
});
