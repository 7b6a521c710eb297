import { z } from 'zod';

/**
 * The catalog as the rest of the code sees it: regions, official lists, their items, the post
 * directory, departments and whom to contact. Seeds (seeds/*.yaml), the database (db/catalog-store.ts)
 * and xlsx import/export all produce and consume exactly these shapes.
 *
 * Ids are stable: item ids keep the reference ids (C01…, N01…, V01…, A01…, T01…, G01…, R01…, K01…,
 * I01…, B01…) so answers can cite them; ids we had to add use their own prefixes (see seeds/README.md).
 */

/** Region levels, most general first (省 → 市 → 县/区 → 乡镇/街道 → 村/社区). */
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Every kind of official list the bot knows. One list = one kind in one region. */
export const LIST_KINDS = [
  'certificate_allowed', // 村（社区）可出具的证明
  'certificate_banned', // 村（社区）不应出具的证明（负面清单）+ 去哪办
  'certificate_rule', // 出具证明的总原则
  'village_duty', // 村级组织履行职责事项
  'village_assist', // 村级组织协助政务服务事项
  'township_basic', // 乡镇（街道）基本履职事项
  'township_cooperate', // 配合履职事项
  'township_returned', // 收回上级部门事项
  'township_deleted', // 从区级模板中删去的事项
  'post', // 街道岗位目录（条目在 Catalog.posts）
  'grid_allowed', // 网格准入事项
  'grid_refused', // 不得派给网格员的事项
  'grid_rule', // 网格准入机制
  'assessment_rule', // 考核与减负规则
  'indicator', // 村党组织考核指标
  'indicator_removed', // 应取消的考核指标
  'burden_measure', // 不得由村级组织承担的事项（减负措施）
  'signage', // 标识牌（一横四竖）
  'figure', // 运城文章中的数字
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** Chinese names of list kinds, for answers and spreadsheets. */
export const LIST_KIND_LABELS: Record<ListKind, string> = {
  certificate_allowed: '可出具证明事项',
  certificate_banned: '不应出具证明事项',
  certificate_rule: '出具证明总原则',
  village_duty: '村级组织履行职责事项',
  village_assist: '村级组织协助政务服务事项',
  township_basic: '基本履职事项',
  township_cooperate: '配合履职事项',
  township_returned: '收回上级部门事项',
  township_deleted: '删除事项',
  post: '岗位目录',
  grid_allowed: '网格准入事项',
  grid_refused: '网格拒绝事项',
  grid_rule: '网格准入机制',
  assessment_rule: '考核与减负规则',
  indicator: '考核指标',
  indicator_removed: '应取消的考核指标',
  burden_measure: '减负措施',
  signage: '标识牌',
  figure: '减负数据',
};

/** Chinese messages for officials: "不能为空" when missing, "应为…" when of the wrong type. */
const expected = (what: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined || iss.input === null ? '不能为空' : `应为${what}`),
});
const bool = () => z.boolean(expected('"是"或"否"（true/false）'));
const int = () => z.number(expected('整数')).int('应为整数').nonnegative('不能为负数');
/** Ids and codes; a number (YAML `140800`, an Excel cell) is read as its text. */
const id = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string(expected('文字')).trim().min(1, '不能为空').max(64, '太长（最多64字）'),
);
const text = z.string(expected('文字')).trim().min(1, '不能为空');
const optText = () => z.string(expected('文字')).trim().optional();
const strList = z.array(text, expected('列表')).default([]);
/** ISO calendar date `YYYY-MM-DD` that really exists. */
export const isoDate = z
  .string(expected('日期 YYYY-MM-DD'))
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '不是有效日期');

/** A value of an item's structured field: one text or a list of texts. */
export const fieldValueSchema = z.union([text, z.array(text)]);
export type FieldValue = z.output<typeof fieldValueSchema>;

/** A finer verification flag from the reference data: true / false / 'partial' / 'unknown'. */
export const checkSchema = z.union([bool(), z.enum(['partial', 'unknown'])]);
export type Check = z.output<typeof checkSchema>;

export const regionSchema = z.object({
  /** Administrative-division-style code; codes below county level in the seeds are examples. */
  code: id,
  name: text,
  level: z.enum(REGION_LEVELS, { error: `级别应为 ${REGION_LEVELS.join(' / ')}` }),
  /** Parent region code; absent only for the root(s). */
  parent: id.optional(),
  aliases: strList,
  /** True for invented sample data (codes, villages) that must not be quoted as official. */
  example: bool().default(false),
});
export type Region = z.output<typeof regionSchema>;

/** A document or list a list was built from or compared with (cited in answers and notes). */
export const referenceSchema = z.object({
  name: text,
  source: optText(),
  count: optText(),
  verified: bool().default(false),
});
export type Reference = z.output<typeof referenceSchema>;

export const catalogListSchema = z.object({
  id,
  kind: z.enum(LIST_KINDS, { error: '清单类型不对（见 seeds/README.md 或模板说明）' }),
  name: text,
  /** Region code this list belongs to; a more specific region's list of a kind overrides its ancestors'. */
  region: id,
  /** How many items the official list has (e.g. 141), whatever we have loaded; absent when unknown. */
  officialSize: int().optional(),
  /** Number of categories in the official list (e.g. 13 for 13类37项). */
  officialCategories: int().optional(),
  docNumber: optText(),
  /** YYYY-MM-DD */
  effectiveDate: isoDate.optional(),
  /** Version label of the official list (e.g. "2024", "运城口径重构 v1"). */
  version: text,
  source: strList,
  verified: bool().default(false),
  note: optText(),
  references: z.array(referenceSchema).default([]),
});
export type CatalogList = z.output<typeof catalogListSchema>;

export const catalogItemSchema = z.object({
  /** Reference id (C01, N05, T12, P03, G07, R02 …); unique across all items. */
  id,
  listId: id,
  name: text,
  aliases: strList,
  category: optText(),
  /**
   * Structured fields, snake_case keys. Common ones: who_may_apply, conditions, materials,
   * handled_by, time_limit, why, where_to_go, replacement, responsible, department, lead_department,
   * our_role, returned_to, cooperating_departments, value, unit, example_questions.
   */
  fields: z.record(z.string(), fieldValueSchema).default({}),
  /** Legal / policy basis, cited in answers. */
  basis: optText(),
  source: strList,
  sourceNote: optText(),
  /** The item itself (name / membership) was found in a public source. */
  verified: bool(),
  /** Details (materials, route, duties, category, list assignment) were verified too. */
  detailsVerified: bool().optional(),
  /** Raw finer flags from the reference (route, category, list_assignment, type, in_yuncheng_list …). */
  checks: z.record(z.string(), checkSchema).default({}),
  /** Post ids (Catalog.posts) responsible for / related to this item. */
  posts: strList,
  /** Department ids (Catalog.departments) involved. */
  departments: strList,
  /** Other item ids worth showing alongside (e.g. V36 → C01…C07). */
  related: strList,
  note: optText(),
});
export type CatalogItem = z.output<typeof catalogItemSchema>;

export const postSchema = z.object({
  id,
  /** The post-directory list (kind 'post') this post belongs to. */
  listId: id,
  name: text,
  aliases: strList,
  office: optText(),
  duties: strList,
  /** One of the posts newly added by the street office (物业管理岗 …). */
  isNew: bool().default(false),
  /** Item ids this post handles (township items). */
  items: strList,
  exampleQuestions: strList,
  source: strList,
  verified: bool(),
  dutiesVerified: checkSchema.optional(),
  note: optText(),
});
export type Post = z.output<typeof postSchema>;

export const departmentSchema = z.object({
  id,
  name: text,
  aliases: strList,
  /** Typical level: 县级部门, 乡镇（街道）, 其他机构. */
  level: optText(),
});
export type Department = z.output<typeof departmentSchema>;

export const contactSchema = z.object({
  id,
  /** Region code whose askers this contact serves (ancestors' contacts apply too). */
  region: id,
  name: text,
  role: text,
  phone: optText(),
  hours: optText(),
  /** True for sample contacts that are not official. */
  example: bool().default(false),
});
export type Contact = z.output<typeof contactSchema>;

export const catalogSchema = z.object({
  /** Label of the data set (seed version or import label), not the database version id. */
  version: text,
  regions: z.array(regionSchema),
  lists: z.array(catalogListSchema),
  items: z.array(catalogItemSchema),
  posts: z.array(postSchema),
  departments: z.array(departmentSchema),
  contacts: z.array(contactSchema),
});
export type Catalog = z.output<typeof catalogSchema>;
export type CatalogInput = z.input<typeof catalogSchema>;

/** A catalog as loaded from the database: the same data plus the database version it came from. */
export type CatalogSnapshot = Catalog & {
  /** catalog_versions.id; undefined when not loaded from the database (e.g. straight from seeds). */
  versionId?: number;
  /** ISO timestamp of that version. */
  savedAt?: string;
};

/** Items of one list, in catalog order. */
export function itemsOfList(catalog: Catalog, listId: string): CatalogItem[] {
  return catalog.items.filter((i) => i.listId === listId);
}
