/**
 * 下级组织对比 on the 驾驶舱: the orgs directly below one org, each counted over its own subtree with the same service
 * functions and rules as the dashboard's own figures (so a row's figure is the figure its own 驾驶舱 shows when a
 * leader drills down to it). One page of children at a time, on the result cache like the dashboard's parts.
 */
import { todayInChina, type DashboardChildren } from '@xianfeng/shared';
import type { Scope } from '../../platform/access';
import { cached } from '../../platform/cache';
import type { FieldCrypto } from '../../platform/crypto';
import type { Queryable } from '../../platform/db';
import { listPersons } from '../develop/service';
import { addMonths, monthCollection } from '../dues/service';
import { complianceSummary, dueRules } from '../meeting/service';
import { memberStats } from '../member/service';
import { listChildren } from '../org/service';
import { lastDayOf } from './service';

export async function dashboardChildren(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  paging: { page: number; pageSize: number },
  today = todayInChina(),
): Promise<DashboardChildren> {
  const { tenantId, org } = scope;
  const duesMonth = addMonths(today.slice(0, 7), -1);
  const through = lastDayOf(duesMonth);
  const year = Number(through.slice(0, 4));
  const key = `stats.children:${tenantId}:${org.id}:${today}:${paging.page}:${paging.pageSize}`;
  const r = await cached(db, key, ['member', 'develop', 'meeting', 'dues', 'org'], async () => {
    const page = await listChildren(db, org, paging.page, paging.pageSize);
    // The children at once: each is a handful of indexed counts over its own subtree, independent of the others, so
    // the pool runs them side by side (at 1M, 10 children one after another took 390–420 ms).
    const rows = await Promise.all(
      page.items.map(async (c) => {
        const ref = { id: c.id, path: c.path, tenantId, name: c.name, kind: c.kind };
        const child: Scope = { ...scope, org: ref };
        const [members, develop, meetings, dues] = await Promise.all([
          memberStats(db, child),
          listPersons(db, fc, child, {}, 1, 1, today),
          complianceSummary(db, tenantId, ref, year, 0, today, dueRules(year, through)),
          monthCollection(db, tenantId, c.path, duesMonth),
        ]);
        return {
          orgId: c.id,
          orgName: c.name,
          orgKind: c.kind,
          childCount: c.childCount,
          members: members.total,
          full: members.byStatus.full ?? 0,
          probationary: members.byStatus.probationary ?? 0,
          developOpen: develop.total,
          meetingsUnits: meetings.units,
          meetingsOnTrack: meetings.onTrack,
          duesBills: dues.bills,
          duesPaidBills: dues.paidBills,
          duesBilledFen: dues.billedFen,
          duesPaidFen: dues.paidFen,
        };
      }),
    );
    return { rows, total: page.total };
  });
  return {
    org: { orgId: org.id, orgName: org.name, orgKind: org.kind },
    duesMonth,
    meetingsYear: year,
    meetingsThrough: through,
    ...r.value,
    note: `每个直属下级组织按它本身及全部下级计：在册党员、在培养的发展党员记录、${year} 年截至 ${through} 组织生活达标的党支部、${duesMonth} 月党费（已缴 ÷ 应缴），口径与驾驶舱的数字卡片相同`,
    asOf: r.asOf.toISOString(),
  };
}
