/**
 * The demo's 考核: the group's indicator library (the four automatic sources, manual party-building items, business
 * KPIs of safety, output, quality and cost, a bonus and a deduction item) and an assessment of this quarter by
 * 发电运营党总支 of its three 党支部 (自评 due in two weeks), with the business KPI values already entered and nothing
 * scored yet.
 */
import { addDays, todayInChina } from '@xianfeng/shared';
import type { OrgRef } from '../../platform/access';
import type { Tx } from '../../platform/db';
import { assessIndicator, assessPlan, assessUnit, type PlanItemRow } from './schema';

type Seed = Omit<typeof assessIndicator.$inferInsert, 'tenantId' | 'orgId' | 'createdBy'> & { weight: number };

export const DEMO_INDICATORS: Seed[] = [
  {
    name: '三会一课完成率',
    category: 'party',
    method: 'auto',
    source: 'meeting_compliance',
    maxScore: 100,
    weight: 20,
  },
  { name: '党费收缴率', category: 'party', method: 'auto', source: 'dues_collection', maxScore: 100, weight: 10 },
  { name: '学习完成率', category: 'party', method: 'auto', source: 'learning_completion', maxScore: 100, weight: 10 },
  { name: '整改销号率', category: 'party', method: 'auto', source: 'rectify_closure', maxScore: 100, weight: 10 },
  {
    name: '党建品牌与特色工作',
    category: 'party',
    method: 'manual',
    maxScore: 10,
    weight: 20,
    description: '支部特色工作、党建品牌创建情况，附工作总结或照片',
  },
  {
    name: '安全生产无责任事故天数',
    category: 'safety',
    method: 'kpi',
    maxScore: 100,
    unit: '天',
    target: 90,
    higherBetter: true,
    weight: 10,
  },
  {
    name: '发电量完成率',
    category: 'output',
    method: 'kpi',
    maxScore: 100,
    unit: '%',
    target: 100,
    higherBetter: true,
    weight: 10,
  },
  {
    name: '单位供电煤耗',
    category: 'cost',
    method: 'kpi',
    maxScore: 100,
    unit: '克/千瓦时',
    target: 300,
    higherBetter: false,
    weight: 10,
  },
  {
    name: '获上级表彰',
    category: 'party',
    method: 'bonus',
    maxScore: 5,
    weight: 0,
    description: '每项表彰加 1–3 分，最多 5 分',
  },
  {
    name: '违纪违规问题',
    category: 'party',
    method: 'deduction',
    maxScore: 10,
    weight: 0,
    description: '党员受党纪处分等，每起减 2–5 分，最多 10 分',
  },
];

export async function seedAssess(tx: Tx, tenantId: string, root: OrgRef, orgs: OrgRef[], today = todayInChina()) {
  const rows = await tx
    .insert(assessIndicator)
    .values(
      DEMO_INDICATORS.map(({ weight: _w, ...s }) => ({ ...s, tenantId, orgId: root.id, createdBy: '组织部 王敏' })),
    )
    .returning();
  const general = orgs.find((o) => o.name === '发电运营党总支');
  if (!general) return;
  const items: PlanItemRow[] = rows.map((r, i) => ({
    key: `d${i + 1}`,
    indicatorId: r.id,
    name: r.name,
    category: r.category,
    method: r.method,
    source: r.source,
    maxScore: Number(r.maxScore),
    weight: DEMO_INDICATORS[i]!.weight,
    unit: r.unit,
    target: r.target === null ? null : Number(r.target),
    higherBetter: r.higherBetter,
  }));
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const [plan] = await tx
    .insert(assessPlan)
    .values({
      tenantId,
      orgId: general.id,
      title: `${year} 年第 ${quarter} 季度党建与生产经营融合考核`,
      year,
      quarter,
      items,
      selfDeadline: addDays(today, 14),
      createdBy: '组织部 王敏',
    })
    .returning();
  const kpi: Record<string, Record<string, number>> = {
    第一发电厂党支部: { d6: 90, d7: 102, d8: 298 },
    第二发电厂党支部: { d6: 88, d7: 96, d8: 306 },
    检修公司党支部: { d6: 90, d7: 100, d8: 300 },
  };
  const branches = orgs.filter((o) => o.kind === 'branch' && o.path.startsWith(general.path));
  await tx
    .insert(assessUnit)
    .values(
      branches.map((b) => ({ tenantId, planId: plan!.id, orgId: b.id, parentId: general.id, kpi: kpi[b.name] ?? {} })),
    );
}
