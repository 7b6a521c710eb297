/**
 * `npx tsx bench/qa-debug.ts "问题" …`: shows how the engine sees a question — normalised text,
 * terms, cues, the top hits with their score parts, and the final answer. A tuning aid.
 */
import { loadSeedCatalog } from '../seeds/load.js';
import { createCatalogEngine } from '../handlers/catalog-search/engine.js';
import { buildIndex, searchIndex } from '../handlers/catalog-search/index.js';
import { detectCues, kindBoost } from '../handlers/catalog-search/intent.js';
import { normalizeQuestion } from '../handlers/catalog-search/normalize.js';
import { contentLength, termsOf } from '../handlers/catalog-search/tokenize.js';
import { confidenceOf } from '../handlers/catalog-search/decide.js';
import { describeAnswer, EVAL_DEFAULT_REGION } from './eval-lib.js';

const catalog = await loadSeedCatalog();
const engine = createCatalogEngine(catalog, { defaultRegion: EVAL_DEFAULT_REGION });
const index = buildIndex(catalog);
for (const q of process.argv.slice(2)) {
  const text = normalizeQuestion(q).text;
  const cues = detectCues(text);
  console.log(`\n# ${q} → "${text}"  form=${cues.form} kinds=${[...cues.kinds].map(([k, v]) => `${k}:${v}`).join(',')} list=${cues.listKind ?? '-'} content=${contentLength(text)}`);
  console.log('  terms:', [...termsOf(text, { question: true }).keys()].join(' '));
  for (const h of searchIndex(index, text, { boost: (d) => kindBoost(cues, d), limit: 6 })) {
    console.log(`  ${h.doc.id.padEnd(5)} s=${h.score.toFixed(2)} bm=${h.bm25.toFixed(2)} ph=${h.phrase.toFixed(1)}/${h.phraseLen} cov=${h.coverage.toFixed(2)} conf=${confidenceOf(h, contentLength(text)).toFixed(2)} ${h.doc.list.id} ${h.doc.name[0]?.slice(0, 24)}`);
  }
  console.log('  =>', describeAnswer(engine.ask(q, {})));
}
