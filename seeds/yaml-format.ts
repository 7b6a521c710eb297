import YAML, { LineCounter } from 'yaml';
import type { z } from 'zod';
import {
  catalogItemSchema,
  catalogListSchema,
  contactSchema,
  departmentSchema,
  postSchema,
  regionSchema,
  type Catalog,
  type ListKind,
} from './schema.js';
import type { CatalogError } from './errors.js';

/**
 * The project's YAML format (documented in seeds/README.md). Any file may hold any of these
 * top-level keys; lists carry their items (and, for kind 'post', their posts) nested:
 *
 *   version: <label>            # exactly one file in a set
 *   regions: [Region]
 *   departments: [Department]
 *   contacts: [Contact]
 *   lists: [CatalogList & { items: [Item without listId], posts: [Post without listId] }]
 */

/** The sections a catalog is made of (YAML top-level keys, xlsx sheets). */
export type CatalogSection = 'version' | 'regions' | 'departments' | 'contacts' | 'lists' | 'items' | 'posts';

/** Parts of a catalog read from one or more files, before cross-reference checks. */
export interface CatalogParts {
  /** Sections the files contained (absent ones may be taken from the current catalog). */
  present?: Set<CatalogSection>;
  version?: string;
  regions: Catalog['regions'];
  departments: Catalog['departments'];
  contacts: Catalog['contacts'];
  lists: Catalog['lists'];
  items: Catalog['items'];
  posts: Catalog['posts'];
}

export function emptyParts(): CatalogParts {
  return { present: new Set(), regions: [], departments: [], contacts: [], lists: [], items: [], posts: [] };
}

const TOP_KEYS = new Set(['version', 'regions', 'departments', 'contacts', 'lists']);
type Path = (string | number)[];

function pathText(p: Path): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/**
 * Reads one YAML text into `parts`, appending errors as `file:line: path: reason`.
 * Nothing from an invalid element is added.
 */
export function parseCatalogYaml(text: string, file: string, parts: CatalogParts, errors: CatalogError[]): void {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) errors.push({ file, row: e.linePos?.[0].line, reason: `YAML 格式错误：${e.message.split('\n')[0]}` });
    return;
  }
  const lineOf = (p: Path): number | undefined => {
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const data: unknown = doc.toJS();
  if (data == null) return;
  if (typeof data !== 'object' || Array.isArray(data)) {
    errors.push({ file, row: 1, reason: '文件顶层应为键值对（version / regions / departments / contacts / lists）' });
    return;
  }
  const top = data as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (!TOP_KEYS.has(k)) errors.push({ file, row: lineOf([k]), path: k, reason: `不认识的顶层字段：${k}` });
    else if (k === 'lists') ['lists', 'items', 'posts'].forEach((s) => parts.present?.add(s as CatalogSection));
    else parts.present?.add(k as CatalogSection);
  }

  const validate = <S extends z.ZodType>(schema: S, value: unknown, p: Path): z.output<S> | undefined => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      const full = [...p, ...(issue.path as Path)];
      errors.push({ file, row: lineOf(full), path: pathText(full), reason: issue.message });
    }
    return undefined;
  };
  const arrayAt = (key: string): unknown[] => {
    const v = top[key];
    if (v == null) return [];
    if (!Array.isArray(v)) {
      errors.push({ file, row: lineOf([key]), path: key, reason: '应为列表' });
      return [];
    }
    return v;
  };

  if (top.version !== undefined) {
    if (typeof top.version !== 'string' || !top.version.trim()) errors.push({ file, row: lineOf(['version']), path: 'version', reason: '版本应为非空文字' });
    else if (parts.version !== undefined && parts.version !== top.version.trim())
      errors.push({ file, row: lineOf(['version']), path: 'version', reason: `版本重复定义（已有 ${parts.version}）` });
    else parts.version = top.version.trim();
  }
  arrayAt('regions').forEach((v, i) => push(parts.regions, validate(regionSchema, v, ['regions', i])));
  arrayAt('departments').forEach((v, i) => push(parts.departments, validate(departmentSchema, v, ['departments', i])));
  arrayAt('contacts').forEach((v, i) => push(parts.contacts, validate(contactSchema, v, ['contacts', i])));
  arrayAt('lists').forEach((raw, li) => {
    const base: Path = ['lists', li];
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ file, row: lineOf(base), path: pathText(base), reason: '清单应为键值对' });
      return;
    }
    const { items, posts, ...listFields } = raw as Record<string, unknown>;
    const list = validate(catalogListSchema.strict(), listFields, base);
    const listId = typeof listFields.id === 'string' ? listFields.id.trim() : '';
    if (list) parts.lists.push(list);
    const nested = (key: 'items' | 'posts', v: unknown): unknown[] => {
      if (v == null) return [];
      if (Array.isArray(v)) return v;
      errors.push({ file, row: lineOf([...base, key]), path: pathText([...base, key]), reason: '应为列表' });
      return [];
    };
    nested('items', items).forEach((it, ii) =>
      push(parts.items, validate(catalogItemSchema.strict(), withList(it, listId), [...base, 'items', ii])),
    );
    nested('posts', posts).forEach((it, pi) =>
      push(parts.posts, validate(postSchema.strict(), withList(it, listId), [...base, 'posts', pi])),
    );
  });
}

function push<T>(arr: T[], v: T | undefined): void {
  if (v !== undefined) arr.push(v);
}

function withList(v: unknown, listId: string): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  return { listId, ...(v as object) };
}

/** Which file a list of a kind goes to when a catalog is written as YAML. */
export const KIND_FILES: Record<ListKind, string> = {
  certificate_allowed: 'certificates.yaml',
  certificate_banned: 'certificates.yaml',
  certificate_rule: 'certificates.yaml',
  village_duty: 'village-duties.yaml',
  village_assist: 'village-duties.yaml',
  burden_measure: 'village-rules.yaml',
  signage: 'village-rules.yaml',
  township_basic: 'township-duties.yaml',
  township_cooperate: 'township-duties.yaml',
  township_returned: 'township-duties.yaml',
  township_deleted: 'township-duties.yaml',
  post: 'posts.yaml',
  grid_allowed: 'grid-entry.yaml',
  grid_refused: 'grid-entry.yaml',
  grid_rule: 'grid-entry.yaml',
  assessment_rule: 'indicators.yaml',
  indicator: 'indicators.yaml',
  indicator_removed: 'indicators.yaml',
  figure: 'figures.yaml',
};

/** Drops what the schema fills in by default, so written files stay readable. */
function compact(o: Record<string, unknown>, keep: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (!keep.includes(k)) {
      if (Array.isArray(v) && v.length === 0) continue;
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
      if (v === false && (k === 'example' || k === 'isNew')) continue;
    }
    out[k] = v;
  }
  return out;
}

/** The catalog as YAML texts, one per family file (same layout as seeds/). */
export function catalogToYamlFiles(c: Catalog): Map<string, string> {
  const files = new Map<string, Record<string, unknown>>();
  const get = (f: string) => files.get(f) ?? files.set(f, {}).get(f)!;
  get('catalog.yaml').version = c.version;
  get('regions.yaml').regions = c.regions.map((r) => compact({ ...r }, ['aliases']));
  get('departments.yaml').departments = c.departments.map((d) => compact({ ...d }, ['aliases']));
  get('contacts.yaml').contacts = c.contacts.map((x) => compact({ ...x }));
  for (const l of c.lists) {
    const f = get(KIND_FILES[l.kind]);
    const lists = (f.lists ??= []) as unknown[];
    const items = c.items.filter((i) => i.listId === l.id).map(({ listId: _l, ...i }) => compact(i, ['aliases']));
    const posts = c.posts.filter((p) => p.listId === l.id).map(({ listId: _l, ...p }) => compact(p, ['aliases', 'duties']));
    lists.push({ ...compact({ ...l }), items, ...(posts.length ? { posts } : {}) });
  }
  const out = new Map<string, string>();
  for (const [name, data] of files) {
    const doc = new YAML.Document(data, { aliasDuplicateObjects: false });
    YAML.visit(doc, {
      Seq(_k, node) {
        const len = node.items.reduce<number>((n, i) => n + (YAML.isScalar(i) ? String(i.value).length + 2 : 999), 0);
        if (len < 90) node.flow = true;
      },
    });
    out.set(name, doc.toString({ lineWidth: 0 }));
  }
  return out;
}
