import fs from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Catalog } from '../seeds/schema.js';
import type { CatalogEngine } from '../handlers/catalog-search/engine.js';
import type { Answer } from '../handlers/catalog-search/types.js';

/**
 * Evaluation of the catalog engine against a YAML question set (bench/eval-set.yaml,
 * bench/eval-holdout.yaml). Shared by `npm run eval` and the test that keeps accuracy ≥ 90 %.
 */

/** Region used for questions without one (the seeds' DEFAULT_REGION). */
export const EVAL_DEFAULT_REGION = '北城街道';
/** The target: top-1 accuracy on the evaluation set. */
export const EVAL_MIN_ACCURACY = 0.9;

const questionSchema = z.object({
  q: z.string(),
  /** Item/post id, `list:<kind>`, `list:overview` or `not_found`. */
  expect: z.string().min(1),
  accept: z.array(z.string()).default([]),
  intent: z.string().min(1),
  region: z.string().optional(),
});
export type EvalQuestion = z.output<typeof questionSchema>;

export async function loadEvalSet(file: string): Promise<EvalQuestion[]> {
  const doc = parse(await fs.readFile(file, 'utf8')) as { questions?: unknown };
  return z.array(questionSchema).parse(doc.questions ?? []);
}

export interface EvalMiss {
  q: string;
  expect: string;
  got: string;
  intent: string;
}

export interface EvalReport {
  total: number;
  correct: number;
  accuracy: number;
  /** Expected intent → { total, correct }. */
  byIntent: Record<string, { total: number; correct: number }>;
  /** Answered 'ambiguous' with the expected id among the candidates (not counted as correct). */
  askedWithRightCandidate: number;
  /** Questions about a banned certificate that got an allowed certificate as the answer. Must be 0. */
  bannedAsAllowed: number;
  misses: EvalMiss[];
}

/** A short description of an answer, for the miss list. */
export function describeAnswer(a: Answer): string {
  switch (a.kind) {
    case 'item':
      return `${a.item.id} ${a.item.name.slice(0, 16)} (c=${a.confidence})`;
    case 'list':
      return `list:${a.listKind}`;
    case 'ambiguous':
      return `ambiguous[${a.reason}] ${a.candidates.map((c) => c.entry.id).join('/')}`;
    case 'not_found':
      return `not_found(${a.reason})`;
    case 'command':
      return `command:${a.command}`;
  }
}

export function isCorrect(a: Answer, q: EvalQuestion): boolean {
  const ok = new Set([q.expect, ...q.accept]);
  if (a.kind === 'not_found') return ok.has('not_found');
  if (a.kind === 'list') return ok.has(`list:${a.listKind}`);
  if (a.kind === 'item') return ok.has(a.item.id);
  return false;
}

/** Runs every question through the engine (region: the question's, else the engine default). */
export function evaluate(engine: CatalogEngine, catalog: Catalog, questions: EvalQuestion[]): EvalReport {
  const bannedIds = new Set(
    catalog.items.filter((i) => catalog.lists.find((l) => l.id === i.listId)?.kind === 'certificate_banned').map((i) => i.id),
  );
  const report: EvalReport = { total: 0, correct: 0, accuracy: 0, byIntent: {}, askedWithRightCandidate: 0, bannedAsAllowed: 0, misses: [] };
  for (const q of questions) {
    const a = engine.ask(q.q, { region: q.region });
    const good = isCorrect(a, q);
    report.total += 1;
    const bucket = (report.byIntent[q.intent] ??= { total: 0, correct: 0 });
    bucket.total += 1;
    if (good) {
      report.correct += 1;
      bucket.correct += 1;
    } else {
      report.misses.push({ q: q.q, expect: q.expect, got: describeAnswer(a), intent: q.intent });
      if (a.kind === 'ambiguous' && a.candidates.some((c) => c.entry.id === q.expect)) report.askedWithRightCandidate += 1;
    }
    if (bannedIds.has(q.expect) && a.kind === 'item' && a.item.kind === 'certificate' && !a.item.banned) report.bannedAsAllowed += 1;
  }
  report.accuracy = report.total ? report.correct / report.total : 0;
  return report;
}

/** Human-readable report. */
export function formatReport(title: string, r: EvalReport): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `== ${title}: top-1 ${r.correct}/${r.total} = ${pct(r.accuracy)}`,
    ...Object.entries(r.byIntent)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `   ${k.padEnd(14)} ${String(v.correct).padStart(3)}/${String(v.total).padEnd(3)} ${pct(v.total ? v.correct / v.total : 0)}`),
    `   asked back with the right candidate (counted as miss): ${r.askedWithRightCandidate}`,
    `   banned certificates answered as allowed: ${r.bannedAsAllowed}`,
  ];
  if (r.misses.length) {
    lines.push('   misses:');
    for (const m of r.misses) lines.push(`     [${m.intent}] ${m.q}  → expected ${m.expect}, got ${m.got}`);
  }
  return lines.join('\n');
}
