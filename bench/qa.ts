/**
 * `npm run bench -- qa`: catalog engine figures — index build time (cold: includes the jieba
 * default dictionary; warm: a rebuild), and answer latency p50/p99 over the evaluation set
 * repeated 100 times in-process (ask + markdown formatting). Target: p99 < 5 ms.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSeedCatalog } from '../seeds/load.js';
import { createCatalogEngine } from '../handlers/catalog-search/engine.js';
import { formatAnswerMarkdown } from '../handlers/catalog-answers/format.js';
import { EVAL_DEFAULT_REGION, loadEvalSet } from './eval-lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface QaBenchResult {
  questions: number;
  rounds: number;
  coldBuildMs: number;
  warmBuildMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export async function runQaBench(rounds = 100): Promise<QaBenchResult> {
  const catalog = await loadSeedCatalog();
  const questions = [
    ...(await loadEvalSet(path.join(here, 'eval-set.yaml'))),
    ...(await loadEvalSet(path.join(here, 'eval-holdout.yaml'))),
  ].map((q) => q.q);
  let t = performance.now();
  const engine = createCatalogEngine(catalog, { defaultRegion: EVAL_DEFAULT_REGION });
  const coldBuildMs = performance.now() - t;
  t = performance.now();
  engine.rebuild(catalog);
  const warmBuildMs = performance.now() - t;
  // Warm-up round (JIT, per-region scope cache), not measured.
  for (const q of questions) formatAnswerMarkdown(engine.ask(q, {}));
  const samples: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    for (const q of questions) {
      const s = performance.now();
      formatAnswerMarkdown(engine.ask(q, {}));
      samples.push(performance.now() - s);
    }
  }
  samples.sort((a, b) => a - b);
  const result: QaBenchResult = {
    questions: questions.length,
    rounds,
    coldBuildMs: round(coldBuildMs),
    warmBuildMs: round(warmBuildMs),
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    maxMs: round(samples[samples.length - 1] ?? 0),
  };
  const s = engine.stats();
  console.log(`qa: catalog "${s.catalogVersion}" — ${s.docs} documents (${s.items} items, ${s.posts} posts), ${s.lists} lists`);
  console.log(`qa: index build ${result.coldBuildMs} ms cold (incl. jieba dictionary), ${result.warmBuildMs} ms rebuild`);
  console.log(
    `qa: ${samples.length} answers (${result.questions} questions × ${rounds}): p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms — target p99 < 5 ms: ${result.p99Ms < 5 ? 'ok' : 'MISSED'}`,
  );
  return result;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
