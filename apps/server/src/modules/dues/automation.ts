/**
 * 党费 on the scheduler (issue #17): the monthly bill run on the tenant's configured day and the daily
 * automatic arrears reminders, so a part-time secretary does not have to remember either.
 *
 * Each is one row of the platform's `schedule` table per tenant (`dues.bills:<tenant>`,
 * `dues.arrears:<tenant>`): the runner enqueues each occurrence exactly once however many server
 * processes run, a missed occurrence (no server running on the day) runs once when a server starts,
 * and the setting needs no table of its own — the row *is* the setting (enabled, and the day in the
 * cron expression). No row means off: an administrator turns them on in 党费设置.
 */
import { chinaDate, type DuesAutomation, type DuesAutomationInput } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { OrgRef, Scope } from '../../platform/access';
import { systemActor, writeAudit } from '../../platform/audit';
import { queryRows, readAll, type Db, type Queryable } from '../../platform/db';
import { getSchedule, upsertSchedule, type JobRunner } from '../../platform/jobs';
import { notify } from '../notify/service';
import { sendAutomaticReminders } from './ledger';
import { runBillGeneration } from './service';

export const AUTO_BILLS_JOB = 'dues.bills.auto';
export const AUTO_ARREARS_JOB = 'dues.arrears.auto';
const billsSchedule = (tenantId: string) => `dues.bills:${tenantId}`;
const arrearsSchedule = (tenantId: string) => `dues.arrears:${tenantId}`;
/** 06:00 Beijing on the day: bills exist before anyone opens the app. */
const billCron = (day: number) => `0 6 ${day} * *`;
/** 09:00 Beijing, every day: after the night's quiet hours. */
const ARREARS_CRON = '0 9 * * *';
const DEFAULT_BILL_DAY = 1;

const dayOfCron = (cron: string) => {
  const d = Number(cron.trim().split(/\s+/)[2]);
  return Number.isInteger(d) && d >= 1 ? d : DEFAULT_BILL_DAY;
};

/** The tenant's top org (the bill run and reminders cover the whole tenant). */
async function rootOf(q: Queryable, tenantId: string): Promise<OrgRef | null> {
  const [row] = await queryRows<OrgRef>(
    q,
    sql`select id, path, tenant_id as "tenantId", name, kind from org
      where tenant_id = ${tenantId} and parent_id is null order by no limit 1`,
  );
  return row ?? null;
}

export async function getAutomation(q: Queryable, tenantId: string): Promise<DuesAutomation> {
  // Also read inside putAutomation's transaction: readAll keeps the two reads sequential there.
  const [bills, arrears] = await readAll(q, [
    () => getSchedule(q, billsSchedule(tenantId)),
    () => getSchedule(q, arrearsSchedule(tenantId)),
  ]);
  const at = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  return {
    billRun: {
      enabled: Boolean(bills?.enabled),
      day: bills ? dayOfCron(bills.cron) : DEFAULT_BILL_DAY,
      nextAt: bills?.enabled ? at(bills.nextAt) : null,
      lastAt: at(bills?.lastAt),
    },
    arrearsReminders: {
      enabled: Boolean(arrears?.enabled),
      nextAt: arrears?.enabled ? at(arrears.nextAt) : null,
      lastAt: at(arrears?.lastAt),
    },
  };
}

export async function putAutomation(db: Db, jobs: JobRunner, scope: Scope, input: DuesAutomationInput) {
  const result = await db.transaction(async (tx) => {
    const before = await getAutomation(tx, scope.tenantId);
    const now = jobs.now();
    await upsertSchedule(
      tx,
      {
        name: billsSchedule(scope.tenantId),
        tenantId: scope.tenantId,
        kind: AUTO_BILLS_JOB,
        cron: billCron(input.billRun.day),
        enabled: input.billRun.enabled,
      },
      now,
    );
    await upsertSchedule(
      tx,
      {
        name: arrearsSchedule(scope.tenantId),
        tenantId: scope.tenantId,
        kind: AUTO_ARREARS_JOB,
        cron: ARREARS_CRON,
        enabled: input.arrearsReminders.enabled,
      },
      now,
    );
    const after = await getAutomation(tx, scope.tenantId);
    await writeAudit(tx, scope.actor, {
      action: 'dues.automation',
      entityType: 'schedule',
      entityId: scope.tenantId,
      org: scope.org,
      before,
      after,
    });
    return after;
  });
  jobs.kick();
  return result;
}

/**
 * One occurrence of the bill run: the month the occurrence falls in (Beijing time), for the whole tenant,
 * by the same crash-safe run as the button (rerunning creates nothing), then a `dues.bills` notice to the
 * top org's 组织部 and secretaries — once per month (dedupe key).
 */
export async function runAutoBills(db: Db, tenantId: string, occurrence: string) {
  const root = await rootOf(db, tenantId);
  if (!root) return { skipped: 'no org' };
  const month = chinaDate(new Date(occurrence)).slice(0, 7);
  const r = await runBillGeneration(db, { tenantId, org: root, actor: systemActor(tenantId) }, month);
  await db.transaction((tx) =>
    notify(tx, {
      tenantId,
      kind: 'dues.bills',
      recipients: { orgRoles: [{ orgId: root.id, roles: ['org_admin', 'secretary'], nearest: true }] },
      data: {
        month: `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`,
        orgName: root.name,
        bills: r.bills,
        missingBase: r.missingBase > 0 ? `另有 ${r.missingBase} 名党员尚未核定缴费基数，未生成账单。` : '',
      },
      link: `/dues?tab=bills&month=${month}`,
      orgId: root.id,
      dedupeKey: `dues.bills:${tenantId}:${month}`,
    }),
  );
  return r;
}

export async function runAutoArrears(db: Db, tenantId: string) {
  const root = await rootOf(db, tenantId);
  if (!root) return { skipped: 'no org' };
  return sendAutomaticReminders(db, root);
}
