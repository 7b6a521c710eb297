import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { qaQuestions, regionBindings } from './schema/index.js';

export type QaQuestionRow = typeof qaQuestions.$inferInsert;

/** Inserts question rows (batched by the caller); a repeated id is ignored. */
export async function insertQuestions(db: Db, rows: QaQuestionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(qaQuestions).values(rows).onConflictDoNothing();
}

/** Stores a 👍/👎 against the question whose feedback id it carries. Returns false for an unknown id. */
export async function recordFeedback(
  db: Db,
  f: { id: string; type: number; reasons?: number[] | undefined; content?: string | undefined; at: Date },
): Promise<boolean> {
  const r = await db
    .update(qaQuestions)
    .set({ feedbackType: f.type, feedbackReasons: f.reasons ?? null, feedbackContent: f.content ?? null, feedbackAt: f.at })
    .where(eq(qaQuestions.id, f.id))
    .returning({ id: qaQuestions.id });
  return r.length > 0;
}

export interface UnansweredRow {
  normalized: string;
  sample: string;
  count: number;
  notFound: number;
  ambiguous: number;
  lowConfidence: number;
  thumbsDown: number;
  lastAsked: Date;
}

/**
 * Questions curators should look at since `since`: not found, asked back (ambiguous), answered with low
 * confidence, or marked inaccurate (👎), grouped by normalised text, most frequent first.
 */
export async function unansweredSummary(db: Db, since: Date, lowConfidence = 0.5, limit = 20): Promise<UnansweredRow[]> {
  const r = await db.execute<{
    normalized: string; sample: string; count: number; not_found: number; ambiguous: number; low: number; down: number; last: string;
  }>(sql`
    select normalized, min(question) as sample, count(*)::int as count,
      count(*) filter (where answer_kind = 'not_found')::int as not_found,
      count(*) filter (where answer_kind = 'ambiguous')::int as ambiguous,
      count(*) filter (where answer_kind = 'item' and confidence < ${lowConfidence})::int as low,
      count(*) filter (where feedback_type = 2)::int as down,
      max(created_at) as last
    from qa_questions
    where created_at >= ${since.toISOString()}::timestamptz
      and (answer_kind in ('not_found', 'ambiguous') or (answer_kind = 'item' and confidence < ${lowConfidence}) or feedback_type = 2)
    group by normalized
    order by count(*) desc, max(created_at) desc
    limit ${limit}`);
  return r.rows.map((x) => ({
    normalized: x.normalized,
    sample: x.sample,
    count: x.count,
    notFound: x.not_found,
    ambiguous: x.ambiguous,
    lowConfidence: x.low,
    thumbsDown: x.down,
    lastAsked: new Date(x.last),
  }));
}

/** How many questions went unanswered since `since` (for the weekly digest). */
export async function unansweredCount(db: Db, since: Date): Promise<number> {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from qa_questions where created_at >= ${since.toISOString()}::timestamptz and answer_kind = 'not_found'`,
  );
  return r.rows[0]?.n ?? 0;
}

export async function getBinding(db: Db, scope: 'group' | 'user', subject: string): Promise<string | undefined> {
  const r = await db
    .select({ code: regionBindings.regionCode })
    .from(regionBindings)
    .where(and(eq(regionBindings.scope, scope), eq(regionBindings.subject, subject)));
  return r[0]?.code;
}

export async function setBinding(db: Db, scope: 'group' | 'user', subject: string, regionCode: string, by: string, at: Date): Promise<void> {
  await db
    .insert(regionBindings)
    .values({ scope, subject, regionCode, boundBy: by, boundAt: at })
    .onConflictDoUpdate({ target: [regionBindings.scope, regionBindings.subject], set: { regionCode, boundBy: by, boundAt: at } });
}
