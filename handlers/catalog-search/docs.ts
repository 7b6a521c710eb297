import { LIST_KIND_LABELS, type Catalog, type CatalogItem, type CatalogList, type ListKind, type Post } from '../../seeds/schema.js';
import { normalizeCatalogText } from './normalize.js';
import { pinyinPhrase } from './pinyin.js';

/**
 * The catalog flattened into searchable documents: one per item and one per post. Pure.
 */

/** What a document is about; the intent step prefers documents of the asked kind. */
export type DocKind = 'certificate' | 'duty' | 'post' | 'grid' | 'indicator' | 'signage' | 'other';

export const DOC_KIND_OF_LIST: Record<ListKind, DocKind> = {
  certificate_allowed: 'certificate',
  certificate_banned: 'certificate',
  certificate_rule: 'certificate',
  village_duty: 'duty',
  village_assist: 'duty',
  township_basic: 'duty',
  township_cooperate: 'duty',
  township_returned: 'duty',
  township_deleted: 'duty',
  post: 'post',
  grid_allowed: 'grid',
  grid_refused: 'grid',
  grid_rule: 'grid',
  assessment_rule: 'indicator',
  indicator: 'indicator',
  indicator_removed: 'indicator',
  burden_measure: 'duty',
  signage: 'signage',
  figure: 'other',
};

/** A name or alias as matched in the question: normalised characters and fuzzy-pinyin form. */
export interface Phrase {
  text: string;
  py: string;
  /** 'name' for the item's name (and its parts), 'alias' for aliases. */
  field: 'name' | 'alias';
}

export type DocRef = { type: 'item'; item: CatalogItem } | { type: 'post'; post: Post };

export interface SearchDoc {
  /** Position in the index. */
  idx: number;
  /** Item or post id (C01, N05, P40 …). */
  id: string;
  ref: DocRef;
  list: CatalogList;
  kind: DocKind;
  /** A certificate on the banned list: never to be answered as allowed. */
  banned: boolean;
  /** Normalised field texts. */
  name: string[];
  alias: string[];
  body: string[];
  phrases: Phrase[];
}

function fieldTexts(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * The form names, aliases and questions are compared in for phrase matches: no spaces and no
 * particles 的/了 ("清单外的证明" matches the alias "清单外证明").
 */
export function phraseForm(normalized: string): string {
  return normalized.replace(/[ 的了]/g, '');
}

/** "居住情况证明（居住证明）" → ["居住情况证明（居住证明）", "居住情况证明", "居住证明"]. */
export function nameVariants(name: string): string[] {
  const out = new Set<string>([name]);
  const outer = name.replace(/[（(][^）)]*[）)]/g, '').trim();
  if (outer) out.add(outer);
  for (const m of name.matchAll(/[（(]([^）)]*)[）)]/g)) {
    const inner = (m[1] ?? '').trim();
    // Only short inner parts that are names themselves ("居住证明"), not explanations.
    if (inner.length >= 2 && inner.length <= 8 && !/[，,；;、]/.test(inner)) out.add(inner);
  }
  return [...out];
}

function phrasesOf(names: string[], aliases: string[]): Phrase[] {
  const seen = new Set<string>();
  const out: Phrase[] = [];
  const push = (raw: string, field: Phrase['field']): void => {
    const text = phraseForm(normalizeCatalogText(raw));
    const len = Array.from(text).length;
    if (len < 2 || len > 24 || seen.has(text)) return;
    seen.add(text);
    out.push({ text, py: pinyinPhrase(text), field });
  };
  for (const n of names) for (const v of nameVariants(n)) push(v, 'name');
  for (const a of aliases) push(a, 'alias');
  return out;
}

const BODY_SKIP_FIELDS = new Set(['source', 'source_note', 'example_questions']);

/** Builds the documents of a catalog (items first, then posts), in catalog order. */
export function buildDocs(catalog: Catalog): SearchDoc[] {
  const lists = new Map(catalog.lists.map((l) => [l.id, l] as const));
  const deptNames = new Map(catalog.departments.map((d) => [d.id, d.name] as const));
  const docs: SearchDoc[] = [];
  for (const item of catalog.items) {
    const list = lists.get(item.listId);
    if (!list) continue;
    const examples = fieldTexts(item.fields['example_questions']);
    // Items inherit their list's context words (a grid item is about 网格准入, a banned one about 证明).
    const body: string[] = [list.name, LIST_KIND_LABELS[list.kind]];
    if (item.category) body.push(item.category);
    for (const [k, v] of Object.entries(item.fields)) if (!BODY_SKIP_FIELDS.has(k)) body.push(...fieldTexts(v));
    for (const d of item.departments) body.push(deptNames.get(d) ?? '');
    docs.push({
      idx: docs.length,
      id: item.id,
      ref: { type: 'item', item },
      list,
      kind: DOC_KIND_OF_LIST[list.kind],
      banned: list.kind === 'certificate_banned',
      name: [normalizeCatalogText(item.name)],
      alias: [...item.aliases, ...examples].map(normalizeCatalogText),
      body: body.filter(Boolean).map(normalizeCatalogText),
      phrases: phrasesOf([item.name], item.aliases),
    });
  }
  for (const post of catalog.posts) {
    const list = lists.get(post.listId);
    if (!list) continue;
    docs.push({
      idx: docs.length,
      id: post.id,
      ref: { type: 'post', post },
      list,
      kind: 'post',
      banned: false,
      name: [normalizeCatalogText(post.name)],
      alias: [...post.aliases, ...post.exampleQuestions].map(normalizeCatalogText),
      body: [list.name, post.office ?? '', ...post.duties].filter(Boolean).map(normalizeCatalogText),
      phrases: phrasesOf([post.name], post.aliases),
    });
  }
  return docs;
}

/** Words for the segmenter's domain dictionary: names (and their parts), aliases, posts, departments. */
export function domainWordsOf(catalog: Catalog): string[] {
  const words: string[] = [];
  const addName = (s: string): void => {
    for (const v of nameVariants(s)) words.push(normalizeCatalogText(v).replace(/ /g, ''));
  };
  for (const i of catalog.items) {
    if (Array.from(i.name).length <= 12) addName(i.name);
    for (const a of i.aliases) addName(a);
  }
  for (const p of catalog.posts) {
    addName(p.name);
    for (const a of p.aliases) addName(a);
  }
  for (const d of catalog.departments) {
    addName(d.name);
    for (const a of d.aliases) addName(a);
  }
  return words;
}
