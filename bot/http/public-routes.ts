import type Router from '@koa/router';
import type { Context } from 'koa';

/**
 * The public, login-free routes for residents: the certificate eligibility page, its JSON API and the
 * printable poster. This file only does HTTP: the content comes from injected functions (bin/ passes
 * handlers/public createPublicSite), the per-IP limit from an injected limiter (ip-rate-limit.ts).
 *
 *   GET /zhengming[?village=<code>][&q=<question>]   HTML page (works without JavaScript)
 *   GET /api/certificates?q=&village=                 JSON
 *   GET /zhengming/poster?village=<code>              A4 print page with two QR codes
 */

/** A finished HTTP response. */
export interface PublicResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  retryAfterSec: number;
}

export interface PublicRouteDeps {
  page(input: { village?: string; q?: string }): PublicResponse | Promise<PublicResponse>;
  certificates(input: { village?: string; q?: string }): PublicResponse | Promise<PublicResponse>;
  /** `baseUrl`: where this service is reached (PUBLIC_BASE_URL, else the request's own origin). */
  poster(input: { village?: string; baseUrl: string }): PublicResponse | Promise<PublicResponse>;
  /** Per-IP limiter for the API and page searches; absent → no limit. */
  rateLimit?(ip: string): Promise<RateDecision>;
  /** PUBLIC_BASE_URL, e.g. `https://bot.example.gov.cn`. */
  publicBaseUrl?: string;
}

// Query values are bounded before anything else sees them (the content layer validates again).
const qv = (ctx: Context, name: string, max: number): string | undefined => {
  const v = ctx.query[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.slice(0, max) : undefined;
};

function send(ctx: Context, r: PublicResponse): void {
  ctx.status = r.status;
  for (const [k, v] of Object.entries(r.headers)) ctx.set(k, v);
  ctx.body = r.body;
}

/** The 429 answer: JSON for the API, a short page for HTML. */
function tooMany(ctx: Context, d: RateDecision, json: boolean): void {
  const message = `请求太频繁了（每分钟最多${d.limit}次），请${d.retryAfterSec}秒后再试。`;
  ctx.status = 429;
  ctx.set('Retry-After', String(d.retryAfterSec));
  ctx.set('Cache-Control', 'no-store');
  if (json) {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = JSON.stringify({ error: 'rate_limited', message, retryAfter: d.retryAfterSec });
  } else {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>请稍后再试</title><p style="font:18px sans-serif;padding:1em">${message}</p>`;
  }
}

/** Registers the three public routes on the app's router. */
export function registerPublicRoutes(router: Router, deps: PublicRouteDeps): void {
  const limited = async (ctx: Context, json: boolean): Promise<boolean> => {
    if (!deps.rateLimit) return false;
    const d = await deps.rateLimit(ctx.ip || 'unknown');
    ctx.set('X-RateLimit-Limit', String(d.limit));
    ctx.set('X-RateLimit-Remaining', String(Math.max(0, d.remaining)));
    if (d.allowed) return false;
    tooMany(ctx, d, json);
    return true;
  };

  router.get('/zhengming', async (ctx) => {
    const q = qv(ctx, 'q', 4_000);
    if (q && q.trim() && (await limited(ctx, false))) return;
    send(ctx, await deps.page({ village: qv(ctx, 'village', 100), q }));
  });

  router.get('/api/certificates', async (ctx) => {
    if (await limited(ctx, true)) return;
    send(ctx, await deps.certificates({ village: qv(ctx, 'village', 100), q: qv(ctx, 'q', 4_000) }));
  });

  router.get('/zhengming/poster', async (ctx) => {
    if (await limited(ctx, false)) return;
    const baseUrl = (deps.publicBaseUrl ?? `${ctx.protocol}://${ctx.host}`).replace(/\/+$/, '');
    send(ctx, await deps.poster({ village: qv(ctx, 'village', 100), baseUrl }));
  });
}
