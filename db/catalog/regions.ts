import type { Catalog, CatalogList, Contact, ListKind, Region } from '../../seeds/schema.js';

/**
 * The region and its ancestors, most specific first (北城街道 → 盐湖区 → 运城市 → 山西省).
 * Unknown code → []. Stops on a broken or cyclic parent chain instead of looping.
 */
export function regionChain(catalog: Catalog, regionCode: string): Region[] {
  const byCode = new Map(catalog.regions.map((r) => [r.code, r]));
  const chain: Region[] = [];
  let cur = byCode.get(regionCode);
  while (cur && !chain.includes(cur)) {
    chain.push(cur);
    cur = cur.parent === undefined ? undefined : byCode.get(cur.parent);
  }
  return chain;
}

/**
 * The lists that apply to an asker in `regionCode`: lists of the region and of its ancestors,
 * where for each kind only the most specific region's list counts (北城街道's township_basic
 * overrides the 盐湖区 template). Returned in catalog order. Unknown region → [].
 */
export function listsForRegion(catalog: Catalog, regionCode: string): CatalogList[] {
  const chain = regionChain(catalog, regionCode);
  const depth = new Map(chain.map((r, i) => [r.code, i]));
  const best = new Map<ListKind, CatalogList>();
  for (const l of catalog.lists) {
    const d = depth.get(l.region);
    if (d === undefined) continue;
    const cur = best.get(l.kind);
    if (!cur || d < depth.get(cur.region)!) best.set(l.kind, l);
  }
  const chosen = new Set(best.values());
  return catalog.lists.filter((l) => chosen.has(l));
}

/** Contacts of the region and its ancestors, most specific region first. */
export function contactsForRegion(catalog: Catalog, regionCode: string): Contact[] {
  return regionChain(catalog, regionCode).flatMap((r) => catalog.contacts.filter((c) => c.region === r.code));
}

/**
 * Finds a region by code, name or alias (`绑定 北城街道`, `北城`, `140802002`). Exact matches
 * first; then a unique region whose name or alias contains the text or is contained in it.
 * Ambiguous or unknown → undefined.
 */
export function findRegion(catalog: Catalog, text: string): Region | undefined {
  const q = text.trim().replace(/\s+/g, '');
  if (!q) return undefined;
  const names = (r: Region) => [r.name, ...r.aliases];
  const exact = catalog.regions.find((r) => r.code === q) ?? catalog.regions.find((r) => names(r).includes(q));
  if (exact) return exact;
  const partial = catalog.regions.filter((r) => names(r).some((n) => n.includes(q) || (n.length >= 2 && q.includes(n))));
  return partial.length === 1 ? partial[0] : undefined;
}
