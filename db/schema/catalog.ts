import {
  pgTable,
  serial,
  text,
  timestamp,
  jsonb,
  integer,
  boolean,
  date,
  primaryKey,
  uniqueIndex,
  index,
} from 'drizzle-orm/pg-core';

/**
 * The catalog aggregate (official lists). The tables hold the CURRENT catalog only; every save
 * replaces them in one transaction and appends a row to catalog_versions (with a JSON snapshot of
 * what was saved, for audit and rollback). Other aggregates that mention a region, item or post
 * should store its code as plain text (no foreign key): a new version deletes and re-inserts rows.
 * `sort` columns keep the order of the source files.
 */

/** One row per saved catalog (seed at first start, then each import). */
export const catalogVersions = pgTable('catalog_versions', {
  id: serial('id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Where it came from: 'seed', a file name, 'cli', … */
  source: text('source').notNull(),
  note: text('note'),
  /** Catalog.version label of the data set. */
  label: text('label').notNull(),
  /** { regions, lists, items, posts, departments, contacts } */
  counts: jsonb('counts').$type<Record<string, number>>().notNull(),
  snapshot: jsonb('snapshot').notNull(),
});

export const catalogRegions = pgTable(
  'catalog_regions',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    parentCode: text('parent_code'),
    aliases: jsonb('aliases').$type<string[]>().notNull(),
    example: boolean('example').notNull().default(false),
    sort: integer('sort').notNull(),
  },
  (t) => [index('catalog_regions_parent_idx').on(t.parentCode)],
);

export const catalogDepartments = pgTable('catalog_departments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  aliases: jsonb('aliases').$type<string[]>().notNull(),
  level: text('level'),
  sort: integer('sort').notNull(),
});

export const catalogLists = pgTable(
  'catalog_lists',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    regionCode: text('region_code')
      .notNull()
      .references(() => catalogRegions.code),
    officialSize: integer('official_size'),
    officialCategories: integer('official_categories'),
    docNumber: text('doc_number'),
    effectiveDate: date('effective_date', { mode: 'string' }),
    version: text('version').notNull(),
    source: jsonb('source').$type<string[]>().notNull(),
    verified: boolean('verified').notNull(),
    note: text('note'),
    references: jsonb('references').$type<{ name: string; source?: string; count?: string; verified: boolean }[]>().notNull(),
    sort: integer('sort').notNull(),
  },
  (t) => [uniqueIndex('catalog_lists_kind_region_idx').on(t.kind, t.regionCode)],
);

export const catalogItems = pgTable(
  'catalog_items',
  {
    /** The item id (C01, N05, T17 …). */
    code: text('code').primaryKey(),
    listId: text('list_id')
      .notNull()
      .references(() => catalogLists.id),
    name: text('name').notNull(),
    aliases: jsonb('aliases').$type<string[]>().notNull(),
    category: text('category'),
    fields: jsonb('fields').$type<Record<string, string | string[]>>().notNull(),
    basis: text('basis'),
    source: jsonb('source').$type<string[]>().notNull(),
    sourceNote: text('source_note'),
    verified: boolean('verified').notNull(),
    detailsVerified: boolean('details_verified'),
    checks: jsonb('checks').$type<Record<string, boolean | 'partial' | 'unknown'>>().notNull(),
    related: jsonb('related').$type<string[]>().notNull(),
    note: text('note'),
    sort: integer('sort').notNull(),
  },
  (t) => [index('catalog_items_list_idx').on(t.listId)],
);

export const catalogPosts = pgTable('catalog_posts', {
  id: text('id').primaryKey(),
  listId: text('list_id')
    .notNull()
    .references(() => catalogLists.id),
  name: text('name').notNull(),
  aliases: jsonb('aliases').$type<string[]>().notNull(),
  office: text('office'),
  duties: jsonb('duties').$type<string[]>().notNull(),
  isNew: boolean('is_new').notNull().default(false),
  exampleQuestions: jsonb('example_questions').$type<string[]>().notNull(),
  source: jsonb('source').$type<string[]>().notNull(),
  verified: boolean('verified').notNull(),
  /** true | false | 'partial' | 'unknown' */
  dutiesVerified: jsonb('duties_verified').$type<boolean | 'partial' | 'unknown'>(),
  note: text('note'),
  sort: integer('sort').notNull(),
});

/**
 * Item ↔ post links. `origin` says which side declared it: 'item' (CatalogItem.posts, the post
 * responsible for the item) or 'post' (Post.items, the items a post handles).
 */
export const catalogItemPosts = pgTable(
  'catalog_item_posts',
  {
    itemCode: text('item_code')
      .notNull()
      .references(() => catalogItems.code),
    postId: text('post_id')
      .notNull()
      .references(() => catalogPosts.id),
    origin: text('origin').notNull(),
    sort: integer('sort').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemCode, t.postId, t.origin] }), index('catalog_item_posts_post_idx').on(t.postId)],
);

export const catalogItemDepartments = pgTable(
  'catalog_item_departments',
  {
    itemCode: text('item_code')
      .notNull()
      .references(() => catalogItems.code),
    departmentId: text('department_id')
      .notNull()
      .references(() => catalogDepartments.id),
    sort: integer('sort').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.itemCode, t.departmentId] }),
    index('catalog_item_departments_dep_idx').on(t.departmentId),
  ],
);

export const catalogContacts = pgTable('catalog_contacts', {
  id: text('id').primaryKey(),
  regionCode: text('region_code')
    .notNull()
    .references(() => catalogRegions.code),
  name: text('name').notNull(),
  role: text('role').notNull(),
  phone: text('phone'),
  hours: text('hours'),
  example: boolean('example').notNull().default(false),
  sort: integer('sort').notNull(),
});
