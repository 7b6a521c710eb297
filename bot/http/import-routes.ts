import type Router from '@koa/router';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Logger } from '../../lib/log.js';
import { CallbackRejected } from '../callback/errors.js';
import { readBody } from './body.js';

export interface ImportRouteDeps {
  /** API_TOKEN; when unset the import endpoints answer 503 (disabled). */
  apiToken: string | undefined;
  /** Imports an ndjson activity body (handlers/jobs side); answers the status and report. */
  activity(body: string): Promise<{ status: number; body: unknown }>;
  log: Logger;
  /** Largest accepted body (default 50 MiB). */
  maxBytes?: number;
}

function sameToken(given: string, expected: string): boolean {
  // Hash both so the comparison is constant-time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** `POST /api/activity` (bearer API_TOKEN): one JSON object per line `{"chatid","msgid","from","msgtime"}`. */
export function registerImportRoutes(router: Router, d: ImportRouteDeps): void {
  router.post('/api/activity', async (ctx) => {
    ctx.type = 'application/json';
    if (!d.apiToken) {
      ctx.status = 503;
      ctx.body = { error: 'import API disabled: set API_TOKEN' };
      return;
    }
    const auth = ctx.get('authorization');
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (!m || !sameToken(m[1]!.trim(), d.apiToken)) {
      d.log.warn({ ip: ctx.ip }, 'activity import refused: missing or wrong bearer token (check API_TOKEN)');
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = { error: 'unauthorized' };
      return;
    }
    let body: string;
    try {
      body = await readBody(ctx.req, d.maxBytes ?? 50 * 1024 * 1024);
    } catch (err) {
      if (!(err instanceof CallbackRejected)) throw err;
      ctx.status = err.status;
      ctx.body = { error: err.message };
      return;
    }
    const r = await d.activity(body);
    ctx.status = r.status;
    ctx.body = r.body;
  });
}
