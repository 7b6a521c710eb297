import QRCode from 'qrcode';
import type { PublicResponse } from '../../bot/http/public-routes.js';
import type { PublicLists } from './content.js';
import { esc } from './html.js';
import { pageHeaders } from './page.js';

/** An inline SVG QR code (margin of 4 modules, as scanners expect). */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

export const POSTER_CSS = `@page{size:A4;margin:12mm}*{box-sizing:border-box}body{margin:0;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#222}
.sheet{width:186mm;min-height:268mm;margin:0 auto;padding:4mm;display:flex;flex-direction:column;page-break-inside:avoid}
h1{font-size:30pt;margin:0 0 2mm;color:#b71c1c;text-align:center}.sub{text-align:center;font-size:14pt;margin:0 0 6mm}
h2{font-size:15pt;border-left:6px solid #b71c1c;padding-left:3mm;margin:4mm 0 2mm}ol{margin:0;padding-left:8mm;font-size:13.5pt;line-height:1.5}
.no{columns:3;column-gap:8mm;font-size:11pt;line-height:1.45;padding-left:6mm;margin:0}.no li{break-inside:avoid}.qrs{display:flex;justify-content:space-around;margin-top:auto;padding-top:6mm}
figure{margin:0;text-align:center;width:70mm}figure svg{width:48mm;height:48mm;display:block;margin:0 auto}figcaption{font-size:13pt;font-weight:600}
.tiny{font-size:9pt;color:#666;text-align:center;margin-top:3mm;word-break:break-all}@media screen{body{background:#eee}.sheet{background:#fff;margin:10px auto}}@media print{.sheet{min-height:266mm}}`;

export interface PosterInput {
  lists: PublicLists;
  /** URL of this region's eligibility page (QR 1). */
  pageUrl: string;
  /** The 微信客服 link for the region, when one was made with `kf link` (QR 2). */
  kfUrl?: string;
}

/**
 * A printable A4 poster for the 党群服务中心 wall: the village name, the certificates it can issue,
 * the ones it no longer issues (short), and two QR codes — the eligibility page and, when configured,
 * the 微信客服 link. HTML with a print stylesheet; print it from the browser.
 */
export async function renderPoster(input: PosterInput): Promise<PublicResponse> {
  const { lists, pageUrl, kfUrl } = input;
  const name = lists.region.name;
  const [pageQr, kfQr] = await Promise.all([qrSvg(pageUrl), kfUrl ? qrSvg(kfUrl) : Promise.resolve('')]);
  const qrs = [
    `<figure id="qr-page">${pageQr}<figcaption>扫码查：能不能开、去哪办</figcaption></figure>`,
    kfUrl ? `<figure id="qr-kf">${kfQr}<figcaption>微信扫码，在线咨询</figcaption></figure>` : '',
  ].join('');
  const shortName = (n: string) => n.replace(/[（(][^）)]*[）)]/g, '');
  const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${esc(name)} · 证明事项告知</title><style>${POSTER_CSS}</style></head><body><div class="sheet">
<h1>${esc(name)}</h1><p class="sub">村（社区）出具证明事项告知</p>
<h2>本村（社区）可以开的证明</h2><ol>${lists.allowed.map((c) => `<li>${esc(c.name)}</li>`).join('')}</ol>
<h2>以下证明不再由村（社区）开，扫码查去哪办</h2><ul class="no">${lists.banned.map((c) => `<li>${esc(shortName(c.name))}</li>`).join('')}</ul>
<div class="qrs">${qrs}</div>
<p class="tiny">数据版本：${esc(lists.catalogVersion)} · 以当地最新清单为准 · ${esc(pageUrl)}</p></div></body></html>`;
  return { status: 200, headers: pageHeaders(300, [], [POSTER_CSS]), body };
}
