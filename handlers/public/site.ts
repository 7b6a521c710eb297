import type { PublicResponse } from '../../bot/http/public-routes.js';
import type { Catalog } from '../../seeds/schema.js';
import type { Db } from '../../db/client.js';
import { regionChain } from '../../db/catalog/regions.js';
import { findKfLink } from '../../db/kf/residents.js';
import type { CatalogEngine } from '../catalog-search/engine.js';
import { publicLists, resolvePublicRegion, type PublicLists, type PublicRegion } from './content.js';
import { resultBlock } from './html.js';
import { renderEligibilityPage } from './page.js';
import { renderPoster } from './poster.js';
import { checkQuestion, searchCertificates } from './search.js';

export interface PublicSiteDeps {
  /** The shared catalog engine (the same one the bot answers with). */
  engine: Pick<CatalogEngine, 'ask'>;
  /** The current catalog; when it changes (a new object or version), cached lists are rebuilt. */
  catalog: () => Catalog;
  /** Region for visitors without a (known) village (DEFAULT_REGION). */
  defaultRegion: string;
  /** The 微信客服 link for a region chain, most specific first (db/kf findKfLink); absent → no second QR. */
  kfLink?: (region: PublicRegion) => Promise<string | undefined>;
}

const JSON_HEADERS = (cacheSeconds: number): Record<string, string> => ({
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': cacheSeconds > 0 ? `public, max-age=${cacheSeconds}` : 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Access-Control-Allow-Origin': '*',
});

/**
 * The public site's content functions (what bot/http/public-routes.ts serves): the page, the JSON
 * API and the poster. The lists of a region are computed once per catalog and cached; the page
 * without a question is cached as a finished response.
 */
export function createPublicSite(deps: PublicSiteDeps) {
  let cachedFor: Catalog | undefined;
  let listCache = new Map<string, PublicLists>();
  let pageCache = new Map<string, ReturnType<typeof renderEligibilityPage>>();

  const catalogNow = (): Catalog => {
    const c = deps.catalog();
    if (c !== cachedFor) {
      cachedFor = c;
      listCache = new Map();
      pageCache = new Map();
    }
    return c;
  };

  const listsFor = (village: string | undefined): PublicLists => {
    const catalog = catalogNow();
    const region = resolvePublicRegion(catalog, village, deps.defaultRegion);
    const key = `${region.code}|${region.notice ?? ''}`;
    let l = listCache.get(key);
    if (!l) {
      l = publicLists(catalog, region);
      if (listCache.size < 500) listCache.set(key, l);
    }
    return l;
  };

  /** GET /api/certificates?q=&village= → `{q, region, kind, text, html, results, catalogVersion}`; 400 for a refused q. */
  const certificatesApi = (input: { q?: string; village?: string }): PublicResponse => {
    const lists = listsFor(input.village);
    const checked = checkQuestion(input.q);
    if (!checked.ok) {
      return { status: 400, headers: JSON_HEADERS(0), body: JSON.stringify({ error: 'bad_q', message: checked.reason }) };
    }
    const r = searchCertificates(deps.engine, checked.q, lists.region);
    const body = {
      q: r.q,
      region: lists.region,
      kind: r.kind,
      text: r.text,
      html: resultBlock(r),
      results: r.results,
      catalogVersion: lists.catalogVersion,
    };
    return { status: 200, headers: JSON_HEADERS(60), body: JSON.stringify(body) };
  };

  /** GET /zhengming[?village=][&q=] */
  const page = (input: { q?: string; village?: string }): PublicResponse => {
    const lists = listsFor(input.village);
    const checked = checkQuestion(input.q);
    if (!checked.ok) return renderEligibilityPage({ lists, error: checked.reason });
    if (checked.q) return renderEligibilityPage({ lists, search: searchCertificates(deps.engine, checked.q, lists.region) });
    const key = `${lists.region.code}|${lists.region.notice ?? ''}`;
    let p = pageCache.get(key);
    if (!p) {
      p = renderEligibilityPage({ lists });
      if (pageCache.size < 500) pageCache.set(key, p);
    }
    return p;
  };

  /** GET /zhengming/poster?village= */
  const poster = async (input: { village?: string; baseUrl: string }): Promise<PublicResponse> => {
    const lists = listsFor(input.village);
    const r = lists.region;
    const pageUrl = `${input.baseUrl}/zhengming${r.isDefault ? '' : `?village=${encodeURIComponent(r.code)}`}`;
    const kfUrl = deps.kfLink ? await deps.kfLink(r).catch(() => undefined) : undefined;
    return renderPoster({ lists, pageUrl, ...(kfUrl ? { kfUrl } : {}) });
  };

  return { page, certificates: certificatesApi, poster };
}

export type PublicSite = ReturnType<typeof createPublicSite>;

/** `kfLink` for createPublicSite from the kf_links table: the link of the region or its nearest ancestor. */
export function kfLinkFromDb(db: Db, catalog: () => Catalog): (region: PublicRegion) => Promise<string | undefined> {
  return (region) => findKfLink(db, region.code ? regionChain(catalog(), region.code).map((r) => r.code) : []);
}
