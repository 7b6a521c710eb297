import { listsForRegion } from '../../db/catalog/regions.js';
import { itemsOfList, type Catalog, type CatalogItem, type CatalogList } from '../../seeds/schema.js';
import { fieldList, fieldText, listVersion } from '../catalog-answers/parts.js';

/**
 * What the public page shows, as plain data: the region a visitor gets (their village, or the
 * default when the code is unknown — said on the page) and the two certificate lists with each
 * item's conditions, materials, where to go, basis and list version. Pure.
 */

export interface PublicRegion {
  code: string;
  name: string;
  /** True when no (known) village was given and the default region is used. */
  isDefault: boolean;
  /** A sentence for the page when the requested code was unknown. */
  notice?: string;
}

/** One certificate as the page and the JSON API show it. */
export interface PublicCertificate {
  id: string;
  name: string;
  /** True: the village (community) issues it; false: it does not any more (go elsewhere). */
  allowed: boolean;
  whoMayApply?: string;
  conditions?: string;
  materials: string[];
  handledBy?: string;
  timeLimit?: string;
  why?: string;
  whereToGo?: string;
  replacement: string[];
  basis?: string;
  list: string;
  version: string;
  /** False when the item or its details are not verified against an official source. */
  verified: boolean;
}

export interface PublicLists {
  region: PublicRegion;
  allowed: PublicCertificate[];
  banned: PublicCertificate[];
  catalogVersion: string;
}

const CODE_RE = /^[0-9A-Za-z_-]{1,32}$/;

/** The region for a `village` query value (a code; names are accepted too), else the default. */
export function resolvePublicRegion(catalog: Catalog, village: string | undefined, defaultRegion: string): PublicRegion {
  const want = (village ?? '').trim().slice(0, 40);
  const byCode = want && CODE_RE.test(want) ? catalog.regions.find((r) => r.code === want) : undefined;
  const byName = !byCode && want ? catalog.regions.find((r) => r.name === want || r.aliases.includes(want)) : undefined;
  const found = byCode ?? byName;
  if (found) return { code: found.code, name: found.name, isDefault: false };
  const def =
    catalog.regions.find((r) => r.code === defaultRegion) ??
    catalog.regions.find((r) => r.name === defaultRegion || r.aliases.includes(defaultRegion)) ??
    catalog.regions.find((r) => r.level === 'county') ??
    catalog.regions[0];
  const region: PublicRegion = { code: def?.code ?? '', name: def?.name ?? '本地', isDefault: true };
  if (want) region.notice = `没找到"${want}"这个村（社区），下面按${region.name}的清单显示。`;
  return region;
}

export function toPublicCertificate(item: CatalogItem, list: CatalogList): PublicCertificate {
  const f = item.fields;
  const c: PublicCertificate = {
    id: item.id,
    name: item.name,
    allowed: list.kind === 'certificate_allowed',
    materials: fieldList(f['materials']),
    replacement: fieldList(f['replacement']),
    list: list.name,
    version: listVersion(list),
    verified: item.verified && list.verified !== false && item.detailsVerified !== false,
  };
  const set = (k: keyof PublicCertificate, v: string | undefined) => {
    if (v) (c as unknown as Record<string, unknown>)[k] = v;
  };
  set('whoMayApply', fieldText(f['who_may_apply']));
  set('conditions', fieldText(f['conditions']));
  set('handledBy', fieldText(f['handled_by']));
  set('timeLimit', fieldText(f['time_limit']));
  set('why', fieldText(f['why']));
  set('whereToGo', fieldText(f['where_to_go']));
  set('basis', item.basis);
  return c;
}

/** The allowed and banned certificate lists that apply in `region`. */
export function publicLists(catalog: Catalog, region: PublicRegion): PublicLists {
  const lists = region.code ? listsForRegion(catalog, region.code) : [];
  const pick = (kind: 'certificate_allowed' | 'certificate_banned') =>
    lists.filter((l) => l.kind === kind).flatMap((l) => itemsOfList(catalog, l.id).map((i) => toPublicCertificate(i, l)));
  return { region, allowed: pick('certificate_allowed'), banned: pick('certificate_banned'), catalogVersion: catalog.version };
}
