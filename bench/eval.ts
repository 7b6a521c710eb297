/**
 * `npm run eval`: top-1 accuracy of the catalog engine on bench/eval-set.yaml (tuning set) and
 * bench/eval-holdout.yaml + eval-holdout-2.yaml (never tuned on), by intent, with the misses and the count of banned
 * certificates answered as allowed. Exits 1 when the tuning set is below 90 % or any banned
 * certificate was answered as allowed (in either set).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSeedCatalog } from '../seeds/load.js';
import { createCatalogEngine } from '../handlers/catalog-search/engine.js';
import { EVAL_DEFAULT_REGION, EVAL_MIN_ACCURACY, evaluate, formatReport, loadEvalSet } from './eval-lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<number> {
  const catalog = await loadSeedCatalog();
  const engine = createCatalogEngine(catalog, { defaultRegion: process.env.DEFAULT_REGION || EVAL_DEFAULT_REGION });
  const tuning = evaluate(engine, catalog, await loadEvalSet(path.join(here, 'eval-set.yaml')));
  const holdout = evaluate(engine, catalog, await loadEvalSet(path.join(here, 'eval-holdout.yaml')));
  const holdout2 = evaluate(engine, catalog, await loadEvalSet(path.join(here, 'eval-holdout-2.yaml')));
  console.log(formatReport('eval-set (tuning)', tuning));
  console.log(formatReport('eval-holdout (written before tuning, never tuned on)', holdout));
  console.log(formatReport('eval-holdout-2 (written after tuning, never tuned on)', holdout2));
  const failed =
    tuning.accuracy < EVAL_MIN_ACCURACY || [tuning, holdout, holdout2].some((r) => r.bannedAsAllowed > 0);
  console.log(failed ? 'eval: FAILED' : 'eval: ok');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
