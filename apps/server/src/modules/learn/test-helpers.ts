/** Helpers for the learn API tests: the right answers to an attempt as its learner sees the questions. */
import type { Attempt } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../platform/db';

type KeyRow = { id: string; kind: string; options: string[]; answer: number[]; accepted: string[][] | null };

/**
 * The right answer to each question of `a`, in the attempt's terms: the shown indices of the key's options (the
 * options are shuffled per attempt, so the stored indices would be wrong), or each blank's first accepted answer.
 */
export async function rightAnswers(
  db: Queryable,
  a: Pick<Attempt, 'questions'>,
): Promise<Record<string, number[] | string[]>> {
  if (a.questions.length === 0) return {};
  const keys = await queryRows<KeyRow>(
    db,
    sql`select id, kind, options, answer, accepted from learn_question where id in (${sql.join(
      a.questions.map((q) => sql`${q.id}`),
      sql`, `,
    )})`,
  );
  return Object.fromEntries(
    a.questions.map((q) => {
      const k = keys.find((x) => x.id === q.id)!;
      if (k.kind === 'fill') return [q.id, (k.accepted ?? []).map((ok) => ok[0]!)];
      return [q.id, k.answer.map((i) => q.options.indexOf(k.options[i]!)).sort((x, y) => x - y)];
    }),
  );
}

/** A wrong answer to a question of `a`: an option index past the end, or a blank no key accepts. */
export const wrongAnswer = (q: Attempt['questions'][number]): number[] | string[] =>
  q.kind === 'fill' ? Array.from({ length: q.blanks }, () => '不知道') : [9];
