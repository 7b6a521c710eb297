import { asc, desc, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import {
  catalogVersions,
  catalogRegions,
  catalogDepartments,
  catalogLists,
  catalogItems,
  catalogPosts,
  catalogItemPosts,
  catalogItemDepartments,
  catalogContacts,
} from '../schema/catalog.js';
import type { Catalog, CatalogSnapshot, RegionLevel, ListKind } from '../../seeds/schema.js';

/** A saved catalog version (the row, without its snapshot). */
export interface CatalogVersionInfo {
  id: number;
  createdAt: Date;
  source: string;
  note: string | null;
  label: string;
  counts: Record<string, number>;
}

export interface SaveCatalogOptions {
  /** Where the data came from ('seed', a file name …). */
  source: string;
  note?: string;
  /**
   * Save only when no version exists yet (seeding at start-up); checked under the same lock,
   * so two processes starting together seed once. Returns the existing version id otherwise.
   */
  onlyIfEmpty?: boolean;
}

/** Counts recorded with each version. */
export function catalogCounts(c: Catalog): Record<string, number> {
  return {
    regions: c.regions.length,
    lists: c.lists.length,
    items: c.items.length,
    posts: c.posts.length,
    departments: c.departments.length,
    contacts: c.contacts.length,
  };
}

const CHUNK = 200;
async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * Replaces the current catalog with `catalog` and records a new version — all in ONE transaction
 * (a failure leaves the previous catalog untouched). The catalog must already be valid
 * (seeds/load.ts or an import checked it). Returns the new catalog_versions.id.
 */
export async function saveCatalog(db: Db, catalog: Catalog, opts: SaveCatalogOptions): Promise<number> {
  return db.transaction(async (tx) => {
    // Serialises concurrent saves (two imports, two processes seeding).
    await tx.execute(sql`lock table ${catalogVersions} in exclusive mode`);
    if (opts.onlyIfEmpty) {
      const [existing] = await tx.select({ id: catalogVersions.id }).from(catalogVersions).orderBy(desc(catalogVersions.id)).limit(1);
      if (existing) return existing.id;
    }
    await tx.delete(catalogItemPosts);
    await tx.delete(catalogItemDepartments);
    await tx.delete(catalogContacts);
    await tx.delete(catalogPosts);
    await tx.delete(catalogItems);
    await tx.delete(catalogLists);
    await tx.delete(catalogDepartments);
    await tx.delete(catalogRegions);

    const c = catalog;
    await insertChunks(
      c.regions.map((r, sort) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent ?? null, aliases: r.aliases, example: r.example, sort })),
      (rows) => tx.insert(catalogRegions).values(rows),
    );
    await insertChunks(
      c.departments.map((d, sort) => ({ id: d.id, name: d.name, aliases: d.aliases, level: d.level ?? null, sort })),
      (rows) => tx.insert(catalogDepartments).values(rows),
    );
    await insertChunks(
      c.lists.map((l, sort) => ({
        id: l.id,
        kind: l.kind,
        name: l.name,
        regionCode: l.region,
        officialSize: l.officialSize ?? null,
        officialCategories: l.officialCategories ?? null,
        docNumber: l.docNumber ?? null,
        effectiveDate: l.effectiveDate ?? null,
        version: l.version,
        source: l.source,
        verified: l.verified,
        note: l.note ?? null,
        references: l.references,
        sort,
      })),
      (rows) => tx.insert(catalogLists).values(rows),
    );
    await insertChunks(
      c.items.map((i, sort) => ({
        code: i.id,
        listId: i.listId,
        name: i.name,
        aliases: i.aliases,
        category: i.category ?? null,
        fields: i.fields,
        basis: i.basis ?? null,
        source: i.source,
        sourceNote: i.sourceNote ?? null,
        verified: i.verified,
        detailsVerified: i.detailsVerified ?? null,
        checks: i.checks,
        related: i.related,
        note: i.note ?? null,
        sort,
      })),
      (rows) => tx.insert(catalogItems).values(rows),
    );
    await insertChunks(
      c.posts.map((p, sort) => ({
        id: p.id,
        listId: p.listId,
        name: p.name,
        aliases: p.aliases,
        office: p.office ?? null,
        duties: p.duties,
        isNew: p.isNew,
        exampleQuestions: p.exampleQuestions,
        source: p.source,
        verified: p.verified,
        dutiesVerified: p.dutiesVerified ?? null,
        note: p.note ?? null,
        sort,
      })),
      (rows) => tx.insert(catalogPosts).values(rows),
    );
    const postLinks = [
      ...c.items.flatMap((i) => i.posts.map((postId, sort) => ({ itemCode: i.id, postId, origin: 'item', sort }))),
      ...c.posts.flatMap((p) => p.items.map((itemCode, sort) => ({ itemCode, postId: p.id, origin: 'post', sort }))),
    ];
    await insertChunks(postLinks, (rows) => tx.insert(catalogItemPosts).values(rows));
    const depLinks = c.items.flatMap((i) => i.departments.map((departmentId, sort) => ({ itemCode: i.id, departmentId, sort })));
    await insertChunks(depLinks, (rows) => tx.insert(catalogItemDepartments).values(rows));
    await insertChunks(
      c.contacts.map((x, sort) => ({ id: x.id, regionCode: x.region, name: x.name, role: x.role, phone: x.phone ?? null, hours: x.hours ?? null, example: x.example, sort })),
      (rows) => tx.insert(catalogContacts).values(rows),
    );

    const [version] = await tx
      .insert(catalogVersions)
      .values({ source: opts.source, note: opts.note ?? null, label: c.version, counts: catalogCounts(c), snapshot: c })
      .returning({ id: catalogVersions.id });
    return version!.id;
  });
}

/** The latest saved version, or undefined for an empty database. */
export async function catalogVersion(db: Db): Promise<CatalogVersionInfo | undefined> {
  const [row] = await db
    .select({
      id: catalogVersions.id,
      createdAt: catalogVersions.createdAt,
      source: catalogVersions.source,
      note: catalogVersions.note,
      label: catalogVersions.label,
      counts: catalogVersions.counts,
    })
    .from(catalogVersions)
    .orderBy(desc(catalogVersions.id))
    .limit(1);
  return row;
}

/** Every saved version, newest first (without snapshots). */
export async function listCatalogVersions(db: Db, limit = 20): Promise<CatalogVersionInfo[]> {
  return db
    .select({
      id: catalogVersions.id,
      createdAt: catalogVersions.createdAt,
      source: catalogVersions.source,
      note: catalogVersions.note,
      label: catalogVersions.label,
      counts: catalogVersions.counts,
    })
    .from(catalogVersions)
    .orderBy(desc(catalogVersions.id))
    .limit(limit);
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const group = <T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> => {
  const m = new Map<K, T[]>();
  for (const r of rows) (m.get(key(r)) ?? m.set(key(r), []).get(key(r))!).push(r);
  return m;
};

/** The current catalog from the database, or undefined when nothing was ever saved. */
export async function loadCatalog(db: Db): Promise<CatalogSnapshot | undefined> {
  const version = await catalogVersion(db);
  if (!version) return undefined;
  const [regions, departments, lists, items, posts, postLinks, depLinks, contacts] = await Promise.all([
    db.select().from(catalogRegions).orderBy(asc(catalogRegions.sort)),
    db.select().from(catalogDepartments).orderBy(asc(catalogDepartments.sort)),
    db.select().from(catalogLists).orderBy(asc(catalogLists.sort)),
    db.select().from(catalogItems).orderBy(asc(catalogItems.sort)),
    db.select().from(catalogPosts).orderBy(asc(catalogPosts.sort)),
    db.select().from(catalogItemPosts).orderBy(asc(catalogItemPosts.sort)),
    db.select().from(catalogItemDepartments).orderBy(asc(catalogItemDepartments.sort)),
    db.select().from(catalogContacts).orderBy(asc(catalogContacts.sort)),
  ]);
  const itemPosts = group(postLinks.filter((l) => l.origin === 'item'), (l) => l.itemCode);
  const postItems = group(postLinks.filter((l) => l.origin === 'post'), (l) => l.postId);
  const itemDeps = group(depLinks, (l) => l.itemCode);
  return {
    version: version.label,
    versionId: version.id,
    savedAt: version.createdAt.toISOString(),
    regions: regions.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level as RegionLevel,
      parent: opt(r.parentCode),
      aliases: r.aliases,
      example: r.example,
    })),
    departments: departments.map((d) => ({ id: d.id, name: d.name, aliases: d.aliases, level: opt(d.level) })),
    lists: lists.map((l) => ({
      id: l.id,
      kind: l.kind as ListKind,
      name: l.name,
      region: l.regionCode,
      officialSize: opt(l.officialSize),
      officialCategories: opt(l.officialCategories),
      docNumber: opt(l.docNumber),
      effectiveDate: opt(l.effectiveDate),
      version: l.version,
      source: l.source,
      verified: l.verified,
      note: opt(l.note),
      references: l.references,
    })),
    items: items.map((i) => ({
      id: i.code,
      listId: i.listId,
      name: i.name,
      aliases: i.aliases,
      category: opt(i.category),
      fields: i.fields,
      basis: opt(i.basis),
      source: i.source,
      sourceNote: opt(i.sourceNote),
      verified: i.verified,
      detailsVerified: opt(i.detailsVerified),
      checks: i.checks,
      posts: (itemPosts.get(i.code) ?? []).map((l) => l.postId),
      departments: (itemDeps.get(i.code) ?? []).map((l) => l.departmentId),
      related: i.related,
      note: opt(i.note),
    })),
    posts: posts.map((p) => ({
      id: p.id,
      listId: p.listId,
      name: p.name,
      aliases: p.aliases,
      office: opt(p.office),
      duties: p.duties,
      isNew: p.isNew,
      items: (postItems.get(p.id) ?? []).map((l) => l.itemCode),
      exampleQuestions: p.exampleQuestions,
      source: p.source,
      verified: p.verified,
      dutiesVerified: opt(p.dutiesVerified),
      note: opt(p.note),
    })),
    contacts: contacts.map((x) => ({
      id: x.id,
      region: x.regionCode,
      name: x.name,
      role: x.role,
      phone: opt(x.phone),
      hours: opt(x.hours),
      example: x.example,
    })),
  };
}
