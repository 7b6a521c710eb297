import type { PublicResponse } from '../../bot/http/public-routes.js';
import type { PublicLists } from './content.js';
import { PAGE_CSS, PAGE_JS, certificateBlock, cspHash, esc, resultBlock } from './html.js';
import type { PublicSearchResult } from './search.js';

/** Security headers shared by the public pages: no framing, no sniffing, only our inline code by hash. */
export function pageHeaders(cacheSeconds: number, scripts: string[], styles: string[]): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': cacheSeconds > 0 ? `public, max-age=${cacheSeconds}` : 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src ${scripts.map(cspHash).join(' ') || "'none'"}`,
      `style-src ${styles.map(cspHash).join(' ') || "'none'"}`,
      "img-src 'self' data:",
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}

export interface EligibilityPageInput {
  lists: PublicLists;
  /** A question submitted with the form (no-JS path), answered server-side. */
  search?: PublicSearchResult;
  /** Shown when the question was refused (too long …). */
  error?: string;
}

/**
 * The mobile-first eligibility page: a search box (instant with JS, a form submit without), the answer
 * to a submitted question, then "村（社区）可以开的证明" and "不再由村（社区）开的证明 → 去哪里办", every
 * item expandable. No login, no cookies, nothing personal collected.
 */
export function renderEligibilityPage(input: EligibilityPageInput): PublicResponse {
  const { lists, search, error } = input;
  const r = lists.region;
  const village = r.isDefault ? '' : r.code;
  const q = search?.q ?? '';
  const notice = r.notice ? `<p class="notice">${esc(r.notice)}</p>` : r.isDefault ? `<p class="notice">下面按${esc(r.name)}的清单显示。扫村里海报上的二维码可以看本村的。</p>` : '';
  const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
<title>${esc(r.name)} · 村里能开哪些证明</title><style>${PAGE_CSS}</style></head><body>
<header><h1>村里能开哪些证明？</h1><p>${esc(r.name)} · 先查一查，少跑一趟</p></header><main>
<form id="f" method="get" action="/zhengming" data-village="${esc(village)}" role="search">
${village ? `<input type="hidden" name="village" value="${esc(village)}">` : ''}<input id="q" type="search" name="q" value="${esc(q)}" maxlength="200" placeholder="输入要开的证明，比如：居住证明" aria-label="要开的证明" autocomplete="off">
<button type="submit">查询</button></form>${notice}
<div id="out">${error ? `<p class="notice">${esc(error)}</p>` : search ? resultBlock(search) : ''}</div>
<h2>村（社区）可以开的证明（${lists.allowed.length}项）</h2>${lists.allowed.map((c) => certificateBlock(c)).join('')}
<h2>不再由村（社区）开的证明 → 去哪里办（${lists.banned.length}项）</h2>${lists.banned.map((c) => certificateBlock(c)).join('')}
</main><footer>数据版本：${esc(lists.catalogVersion)} · 以当地最新清单为准 · 本页不收集任何个人信息</footer>
<script>${PAGE_JS}</script></body></html>`;
  return { status: error ? 400 : 200, headers: pageHeaders(error ? 0 : q ? 60 : 300, [PAGE_JS], [PAGE_CSS]), body };
}
