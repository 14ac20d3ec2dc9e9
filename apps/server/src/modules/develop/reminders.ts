/**
 * 发展党员 deadlines (issue #17): every morning the scheduler reads each tenant's development board (the
 * time rules of the 25 steps: talk within a month, half-year reviews, approval within 3 months, probation
 * ending…) and tells the secretary of the person's org ahead of time — when the deadline comes within
 * DEVELOP_RULES.upcomingDays, again within a week — and once it is overdue. Each stage once per deadline
 * (dedupe key: person, step, due date, stage).
 */
import { chinaDateLabel, DEVELOP_RULES, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import type { FieldCrypto } from '../../platform/crypto';
import { queryRows, type Db } from '../../platform/db';
import { notify } from '../notify/service';
import { board } from './service';

export const DEVELOP_REMIND_JOB = 'develop.deadline.remind';
const WEEK = 7;

export async function developReminders(db: Db, fc: FieldCrypto, today = todayInChina()) {
  const roots = await queryRows<OrgRef>(
    db,
    sql`select distinct on (tenant_id) id, path, tenant_id as "tenantId", name, kind from org
        where parent_id is null order by tenant_id, no`,
  );
  let deadlines = 0;
  let sent = 0;
  for (const root of roots) {
    const b = await board(db, fc, { tenantId: root.tenantId, org: root }, Number(today.slice(0, 4)), today);
    const due = [...b.overdue, ...b.upcoming];
    deadlines += due.length;
    await db.transaction(async (tx) => {
      for (const d of due) {
        const stage = d.overdue ? 'overdue' : d.days <= WEEK ? 'week' : 'month';
        const res = await notify(tx, {
          tenantId: root.tenantId,
          kind: 'develop.deadline',
          recipients: { orgRoles: [{ orgId: d.orgId, roles: ['secretary'], nearest: true }] },
          data: {
            personName: d.name,
            orgName: d.orgName,
            step: d.what,
            due: d.overdue ? `，已逾期 ${-d.days} 天` : d.days === 0 ? '，今天到期' : `，还有 ${d.days} 天到期`,
            dueDate: chinaDateLabel(d.dueOn),
            rule: d.citation,
          },
          link: `/develop/${d.personId}`,
          orgId: d.orgId,
          dedupeKey: `develop.deadline:${d.personId}:${d.what}:${d.dueOn}:${stage}`,
        });
        sent += res.notified;
      }
    });
  }
  return { deadlines, sent, horizonDays: DEVELOP_RULES.upcomingDays };
}
