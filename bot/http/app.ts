import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from '../../lib/log.js';
import type { BotMetrics } from '../metrics.js';
import { registerWecomRoutes, type WecomRoutesOptions } from './wecom-routes.js';

export interface HttpAppOptions extends WecomRoutesOptions {
  metrics: BotMetrics;
  log: Logger;
  /** Readiness of the database and Redis, for /readyz. */
  readiness: () => Promise<Record<string, boolean>>;
  /** Further routes (public pages, import APIs) registered by bin/. */
  extraRoutes?: ((router: Router) => void)[];
  /** Trust X-Forwarded-For for ctx.ip (only behind a reverse proxy). */
  trustProxy?: boolean;
}

/**
 * The koa application: WeCom callbacks, health, readiness and metrics. `app.on('error')` is the one
 * central log for unexpected errors; internals never reach the response (500 with a short text).
 */
export function createHttpApp(o: HttpAppOptions): Koa {
  const app = new Koa({ proxy: o.trustProxy ?? false });
  const router = new Router();

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = (err as { status?: number }).status && (err as { expose?: boolean }).expose ? (err as { status: number }).status : 500;
      ctx.type = 'text/plain';
      ctx.body = ctx.status === 500 ? 'internal error' : (err as Error).message;
      ctx.app.emit('error', err, ctx);
    }
  });
  app.on('error', (err: Error, ctx?: Koa.Context) => {
    o.log.error({ err, path: ctx?.path, method: ctx?.method }, 'unhandled error in HTTP request');
  });

  registerWecomRoutes(router, o);

  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/readyz', async (ctx) => {
    const checks = await o.readiness();
    const ok = Object.values(checks).every(Boolean);
    ctx.status = ok ? 200 : 503;
    ctx.body = { ok, ...checks };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = o.metrics.registry.contentType;
    ctx.body = await o.metrics.registry.metrics();
  });
  for (const register of o.extraRoutes ?? []) register(router);

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
