/**
 * 学习截止提醒 (issue #18, sent through #17's notify and scheduler): every morning at 08:45 the scheduler
 * finds the required items and the open required exams whose deadline is LEARN_DUE_REMIND.daysBefore days
 * away, and reminds each member of the publishing org's subtree who has not completed the item (or passed
 * the exam) — each stage once. Exactly once, also across restarts and several processes: the occurrence is
 * one row of the platform `schedule` (jobs.recurring), and a rerun is a no-op because the notice's dedupe key
 * names the item or exam, its deadline and the stage. A missed morning catches up on the next one inside the
 * stage's window (stage 3 covers 3 and 2 days before, stage 1 the last day).
 * Personal reminders: they are not posted to the org's group robots (no `orgId`), nobody is named to others.
 */
import { chinaDateLabel, LEARN_DUE_REMIND, todayInChina } from '@xianfeng/shared';
import { tenantIds, type Db } from '../../platform/db';
import { notify } from '../notify/service';
import { dueSoon, pendingLearners } from './service';

export const LEARN_REMIND_JOB = 'learn.due.remind';

const [FIRST, LAST] = LEARN_DUE_REMIND.daysBefore;
/** Days before the deadline → the stage it belongs to (null: not a reminder day). */
export const stageOf = (days: number): string | null =>
  days > FIRST || days < LAST ? null : days > LAST ? String(FIRST) : String(LAST);
const dueText = (days: number) => (days === 1 ? '明天截止' : `还有 ${days} 天截止`);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

export async function learnReminders(db: Db, today = todayInChina()) {
  const window = Array.from({ length: FIRST - LAST + 1 }, (_, i) => LAST + i);
  let records = 0;
  let sent = 0;
  for (const tenantId of await tenantIds(db)) {
    const due = await dueSoon(db, tenantId, today, window);
    const all = [
      ...due.items.map((x) => ({ ...x, what: 'item' as const })),
      ...due.exams.map((x) => ({ ...x, what: 'exam' as const })),
    ];
    for (const x of all) {
      const days = daysBetween(today, x.dueOn);
      const stage = stageOf(days);
      if (!stage) continue;
      records++;
      // One transaction per item or exam: a large subtree does not hold every other reminder back.
      await db.transaction(async (tx) => {
        const members = await pendingLearners(tx, tenantId, x.what, x.id, x.path, x.audience);
        if (members.length === 0) return;
        const r = await notify(tx, {
          tenantId,
          kind: 'learn.due',
          recipients: { members },
          data: {
            title: x.title,
            orgName: x.orgName,
            what: x.what === 'item' ? '必修内容' : '必考考试',
            dueDate: chinaDateLabel(x.dueOn),
            due: dueText(days),
            action: x.what === 'item' ? '学完' : '通过考试',
          },
          link: x.what === 'item' ? `/learn/items/${x.id}` : '/learn?tab=practice',
          dedupeKey: `learn.due:${x.what}:${x.id}:${x.dueOn}:${stage}`,
        });
        sent += r.notified;
      });
    }
  }
  return { records, sent };
}
