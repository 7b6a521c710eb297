import type { Catalog, CatalogList, Region } from '../../seeds/schema.js';

/**
 * Pure region scoping over an in-memory catalog (no database). A small local version of what
 * db/catalog-store.ts offers, so the engine depends on the Catalog type only.
 *
 * Rule: the lists that apply to a region are those of the region itself and of its ancestors;
 * for each list kind, the list of the MOST specific region wins (北城街道's basic list overrides
 * the 盐湖区 template). Several lists of one kind in the same region all apply.
 */

/** Finds a region by code, name or alias (exact, after trimming). */
export function findRegion(catalog: Catalog, nameOrCode: string): Region | undefined {
  const q = nameOrCode.trim();
  if (!q) return undefined;
  return (
    catalog.regions.find((r) => r.code === q) ??
    catalog.regions.find((r) => r.name === q) ??
    catalog.regions.find((r) => r.aliases.includes(q))
  );
}

/** The region and its ancestors, most specific first. Stops on cycles or unknown parents. */
export function regionChain(catalog: Catalog, code: string): Region[] {
  const byCode = new Map(catalog.regions.map((r) => [r.code, r] as const));
  const chain: Region[] = [];
  const seen = new Set<string>();
  let cur = byCode.get(code);
  while (cur && !seen.has(cur.code)) {
    chain.push(cur);
    seen.add(cur.code);
    cur = cur.parent ? byCode.get(cur.parent) : undefined;
  }
  return chain;
}

/** Lists applying to a region (see the rule above), in catalog order. */
export function listsForRegion(catalog: Catalog, code: string): CatalogList[] {
  const chain = regionChain(catalog, code);
  const depth = new Map(chain.map((r, i) => [r.code, i] as const));
  const bestDepth = new Map<string, number>();
  for (const l of catalog.lists) {
    const d = depth.get(l.region);
    if (d === undefined) continue;
    const cur = bestDepth.get(l.kind);
    if (cur === undefined || d < cur) bestDepth.set(l.kind, d);
  }
  return catalog.lists.filter((l) => {
    const d = depth.get(l.region);
    return d !== undefined && d === bestDepth.get(l.kind);
  });
}
