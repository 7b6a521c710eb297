import type { Catalog, CatalogList, Department, ListKind, Post } from '../../seeds/schema.js';
import type { SearchDoc } from './docs.js';
import { DOC_KIND_OF_LIST } from './docs.js';
import type { AnswerEntry } from './types.js';

/**
 * Resolves search documents into self-contained answer entries (posts, departments and related
 * items looked up), so formatting needs nothing but the Answer. Lookup tables are built once per
 * catalog version.
 */
export interface EntryResolver {
  fromDoc(doc: SearchDoc): AnswerEntry;
  /** Entries of one list, in catalog order (posts for a 'post' list). */
  entriesOfList(list: CatalogList): AnswerEntry[];
}

export function createEntryResolver(catalog: Catalog, docs: readonly SearchDoc[]): EntryResolver {
  const posts = new Map<string, Post>(catalog.posts.map((p) => [p.id, p]));
  const depts = new Map<string, Department>(catalog.departments.map((d) => [d.id, d]));
  const lists = new Map<string, CatalogList>(catalog.lists.map((l) => [l.id, l]));
  const items = new Map(catalog.items.map((i) => [i.id, i] as const));
  const docsByList = new Map<string, SearchDoc[]>();
  for (const d of docs) {
    let arr = docsByList.get(d.list.id);
    if (!arr) docsByList.set(d.list.id, (arr = []));
    arr.push(d);
  }
  const cache = new Map<number, AnswerEntry>();

  const relatedOf = (ids: readonly string[]): AnswerEntry['related'] => {
    const out: AnswerEntry['related'] = [];
    for (const id of ids) {
      const it = items.get(id);
      if (it) {
        const kind: ListKind = lists.get(it.listId)?.kind ?? 'figure';
        out.push({ id: it.id, name: it.name, listKind: kind });
        continue;
      }
      const p = posts.get(id);
      if (p) out.push({ id: p.id, name: p.name, listKind: 'post' });
    }
    return out;
  };

  const fromDoc = (doc: SearchDoc): AnswerEntry => {
    const hit = cache.get(doc.idx);
    if (hit) return hit;
    let entry: AnswerEntry;
    if (doc.ref.type === 'item') {
      const item = doc.ref.item;
      entry = {
        id: item.id,
        name: item.name,
        type: 'item',
        item,
        list: doc.list,
        kind: DOC_KIND_OF_LIST[doc.list.kind],
        banned: doc.banned,
        verified: item.verified,
        posts: item.posts.map((id) => posts.get(id)).filter((p): p is Post => p !== undefined),
        departments: item.departments.map((id) => depts.get(id)).filter((d): d is Department => d !== undefined),
        related: relatedOf(item.related),
      };
    } else {
      const post = doc.ref.post;
      entry = {
        id: post.id,
        name: post.name,
        type: 'post',
        post,
        list: doc.list,
        kind: 'post',
        banned: false,
        verified: post.verified,
        posts: [],
        departments: [],
        related: relatedOf(post.items),
      };
    }
    cache.set(doc.idx, entry);
    return entry;
  };

  return {
    fromDoc,
    entriesOfList: (list) => (docsByList.get(list.id) ?? []).map(fromDoc),
  };
}
