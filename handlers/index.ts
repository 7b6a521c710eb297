import type { Router } from '../bot/router.js';
import type { AppDeps } from './deps.js';
import { registerHelp } from './help.js';
import { registerFallback } from './fallback.js';

/**
 * Registers every handler in order: middleware first, then commands and capabilities, the
 * fallback last. Called by bin/ (bot/ never imports handlers).
 */
export async function registerHandlers(router: Router<AppDeps>, deps: AppDeps): Promise<void> {
  void deps;
  registerHelp(router);
  registerFallback(router);
}
