import { createHash } from 'node:crypto';
import type { PublicCertificate } from './content.js';
import type { PublicSearchResult } from './search.js';

/** HTML pieces of the public page: escaping, one certificate block, the search result block. Pure. */

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** `'sha256-…'` for a CSP source list (the inline script/style are allowed by hash, nothing else). */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}

const row = (label: string, value: string | undefined) => (value ? `<dt>${label}</dt><dd>${esc(value)}</dd>` : '');

/**
 * One certificate as an expandable block (`<details>` works without JavaScript): allowed items show
 * who may apply, conditions, materials, who handles it and how long; banned ones show where to go
 * and why; both show the basis and the list with its version and item id.
 */
export function certificateBlock(c: PublicCertificate, open = false): string {
  const tag = c.allowed ? '<span class="tag ok">村里能开</span>' : '<span class="tag no">村里不开</span>';
  const body = c.allowed
    ? row('谁能开', c.whoMayApply) + row('条件', c.conditions) + row('要带', c.materials.join('、') || undefined) + row('找谁', c.handledBy) + row('多久', c.timeLimit)
    : row('去哪办', c.whereToGo) + row('找这些地方', c.replacement.join('、') || undefined) + row('为什么', c.why);
  const cite = row('依据', c.basis) + row('清单', `${c.list}（${c.version}）· 编号 ${c.id}`);
  const note = c.verified ? '' : '<p class="note">部分内容未经核实，以当地最新规定为准。</p>';
  return `<details class="it" id="i-${esc(c.id)}"${open ? ' open' : ''}><summary>${esc(c.name)} ${tag}</summary><dl>${body}${cite}</dl>${note}</details>`;
}

/** The answer to a search (server-rendered for the no-JS form submit, and sent as `html` in the API). */
export function resultBlock(r: PublicSearchResult): string {
  if (r.kind === 'empty') return '';
  const head =
    r.kind === 'item' && r.results[0]
      ? `<p class="ans ${r.results[0].allowed ? 'ok' : 'no'}">${r.results[0].allowed ? '✅ 可以在村（社区）开' : '❌ 村（社区）不开，请看下面去哪办'}</p>`
      : r.kind === 'ambiguous'
        ? '<p class="ans">您想问的是哪一个？点开看看：</p>'
        : r.kind === 'not_found' || r.results.length === 0
          ? `<p class="ans">${esc(r.text).replace(/\n/g, '<br>')}</p>`
          : '';
  const blocks = r.results.map((c, i) => certificateBlock(c, r.kind === 'item' || (r.kind === 'ambiguous' && i === 0))).join('');
  return `<section class="res" aria-live="polite"><h2>"${esc(r.q.slice(0, 60))}"的查询结果</h2>${head}${blocks}</section>`;
}

export const PAGE_CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f6f6f4}
header{background:#b71c1c;color:#fff;padding:14px 16px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;font-size:14px;opacity:.9}
main{max-width:720px;margin:0 auto;padding:12px}form{display:flex;gap:8px;margin:8px 0 12px}
input[type=search]{flex:1;font-size:17px;padding:10px;border:1px solid #bbb;border-radius:8px}
button{font-size:17px;padding:10px 16px;border:0;border-radius:8px;background:#b71c1c;color:#fff}
h2{font-size:17px;margin:18px 0 8px}.notice{background:#fff3cd;padding:8px 10px;border-radius:6px;font-size:14px}
.it{background:#fff;border-radius:8px;margin:6px 0;padding:0 12px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
summary{padding:10px 0;cursor:pointer;font-weight:600}dl{margin:0 0 10px;font-size:15px}dt{color:#666;font-size:13px;margin-top:6px}dd{margin:0}
.tag{font-size:12px;padding:1px 6px;border-radius:4px;margin-left:4px;font-weight:400;white-space:nowrap}.ok .tag,.tag.ok{background:#e3f4e4;color:#1b5e20}.tag.no{background:#fde2e1;color:#b71c1c}
.ans{font-weight:600}.ans.ok{color:#1b5e20}.ans.no{color:#b71c1c}.note{font-size:13px;color:#8a6d3b;margin:0 0 10px}
footer{font-size:13px;color:#777;padding:16px;text-align:center}.res{border-left:3px solid #b71c1c;padding-left:8px}`;

/**
 * Instant results as you type: debounced fetch of /api/certificates, the server-escaped `html` put in
 * place; identical questions are not fetched twice; the form still submits without JavaScript.
 */
export const PAGE_JS = `(function(){var f=document.getElementById('f'),q=document.getElementById('q'),out=document.getElementById('out');if(!f||!window.fetch)return;
var v=f.getAttribute('data-village')||'',t=0,last=q.value,cache={};
function show(h){out.innerHTML=h;}
function go(){var s=q.value.trim();if(s===last)return;last=s;if(!s){show('');return;}
if(cache[s]!==undefined){show(cache[s]);return;}
fetch('/api/certificates?q='+encodeURIComponent(s)+'&village='+encodeURIComponent(v)).then(function(r){return r.json();}).then(function(j){
var h=j.html!==undefined?j.html:'<p class="ans">'+(j.message||'请稍后再试')+'</p>';cache[s]=h;if(q.value.trim()===s)show(h);}).catch(function(){});}
q.addEventListener('input',function(){clearTimeout(t);t=setTimeout(go,250);});
f.addEventListener('submit',function(e){e.preventDefault();clearTimeout(t);last=null;go();});})();`;
