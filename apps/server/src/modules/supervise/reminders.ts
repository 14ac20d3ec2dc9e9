/**
 * 整改 deadlines: every morning the scheduler reminds the owner of each open item ahead of its deadline and, once
 * it is overdue, alerts the owner and the 验收人 (service.ts `rectifyReminders`; days in RECTIFY_RULES.reminders).
 */
import type { Db } from '../../platform/db';
import type { JobRunner } from '../../platform/jobs';
import { rectifyReminders } from './service';

export const SUPERVISE_REMIND_JOB = 'supervise.rectify.remind';

export function registerSuperviseReminders(db: Db, jobs: JobRunner) {
  jobs.register(SUPERVISE_REMIND_JOB, () => rectifyReminders(db));
  jobs.recurring({ name: SUPERVISE_REMIND_JOB, kind: SUPERVISE_REMIND_JOB, cron: '45 8 * * *' });
}
