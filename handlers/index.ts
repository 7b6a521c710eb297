import type { Router } from '../bot/router.js';
import type { AppDeps } from './deps.js';
import { registerHelp } from './help.js';
import { registerFallback } from './fallback.js';
import { registerCatalogQa } from './catalog-qa/index.js';
import { registerKfHandlers } from './kf/index.js';
import { recordGroupActivity, registerGroupHandlers } from './groups/index.js';

/**
 * Registers every handler in order: middleware first, then commands and capabilities, the
 * fallback last. Called by bin/ (bot/ never imports handlers). Returns a closer that flushes
 * what handlers buffer (question logs).
 */
export async function registerHandlers(router: Router<AppDeps>, deps: AppDeps): Promise<{ close(): Promise<void> }> {
  router.use(recordGroupActivity);
  registerKfHandlers(router);
  registerHelp(router);
  registerGroupHandlers(router);
  const qa = registerCatalogQa(router, deps, deps.catalog);
  registerFallback(router);
  return { close: () => qa.close() };
}
