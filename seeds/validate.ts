import type { Catalog } from './schema.js';

/** A cross-reference problem: which entity (e.g. `item N05`) and why. */
export interface CatalogIssue {
  /** 'region' | 'list' | 'item' | 'post' | 'department' | 'contact' */
  entity: string;
  id: string;
  reason: string;
}

function dupes(ids: string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return dup;
}

/**
 * Checks what zod cannot: unique ids, and that every reference (region parent, list region,
 * item list, post list, item ↔ post / department / related item, contact region) points at something
 * that exists. Returns [] for a consistent catalog.
 */
export function checkCatalog(c: Catalog): CatalogIssue[] {
  const out: CatalogIssue[] = [];
  const add = (entity: string, id: string, reason: string) => out.push({ entity, id, reason });
  const uniq = (entity: string, ids: string[]) => {
    for (const d of dupes(ids)) add(entity, d, `编号重复：${d}`);
  };
  uniq('region', c.regions.map((r) => r.code));
  uniq('list', c.lists.map((l) => l.id));
  uniq('item', c.items.map((i) => i.id));
  uniq('post', c.posts.map((p) => p.id));
  uniq('department', c.departments.map((d) => d.id));
  uniq('contact', c.contacts.map((x) => x.id));

  const regions = new Map(c.regions.map((r) => [r.code, r]));
  const lists = new Map(c.lists.map((l) => [l.id, l]));
  const items = new Set(c.items.map((i) => i.id));
  const posts = new Set(c.posts.map((p) => p.id));
  const deps = new Set(c.departments.map((d) => d.id));

  for (const r of c.regions) {
    if (r.parent === undefined) continue;
    if (!regions.has(r.parent)) add('region', r.code, `上级地区不存在：${r.parent}`);
    // Walk up; more steps than regions means a cycle.
    let cur: string | undefined = r.parent;
    for (let n = 0; cur !== undefined && n <= c.regions.length; n++) {
      if (cur === r.code) {
        add('region', r.code, '地区的上下级关系形成了循环');
        break;
      }
      cur = regions.get(cur)?.parent;
    }
  }
  const seenKindRegion = new Set<string>();
  for (const l of c.lists) {
    if (!regions.has(l.region)) add('list', l.id, `地区不存在：${l.region}`);
    const key = `${l.kind}@${l.region}`;
    if (seenKindRegion.has(key)) add('list', l.id, `同一地区已有同类清单（${l.kind}）`);
    seenKindRegion.add(key);
  }
  for (const i of c.items) {
    const l = lists.get(i.listId);
    if (!l) add('item', i.id, `所属清单不存在：${i.listId}`);
    else if (l.kind === 'post') add('item', i.id, `岗位目录清单 ${i.listId} 只能放岗位，不能放事项`);
    for (const p of i.posts) if (!posts.has(p)) add('item', i.id, `岗位不存在：${p}`);
    for (const d of i.departments) if (!deps.has(d)) add('item', i.id, `部门不存在：${d}`);
    for (const x of i.related) if (!items.has(x)) add('item', i.id, `关联事项不存在：${x}`);
  }
  for (const p of c.posts) {
    const l = lists.get(p.listId);
    if (!l) add('post', p.id, `所属清单不存在：${p.listId}`);
    else if (l.kind !== 'post') add('post', p.id, `清单 ${p.listId} 不是岗位目录`);
    for (const x of p.items) if (!items.has(x)) add('post', p.id, `关联事项不存在：${x}`);
  }
  for (const x of c.contacts) if (!regions.has(x.region)) add('contact', x.id, `地区不存在：${x.region}`);
  return out;
}
