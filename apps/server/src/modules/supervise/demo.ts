/**
 * The demo's 整改 items, dated from the shared clock so the demo looks the same on any day: in 第一发电厂党支部 a
 * 巡察 finding overdue by 3 days (the branch itself responsible, verified by 电力公司党委), a 组织生活会 finding
 * 陈志远 (dangyuan) is working on, due in 5 days, and a closed one; in 研发中心党支部 a 意见建议 to start.
 * 承诺践诺: 陈志远's commitment of this year with progress and of last year rated 优秀, and each branch's own.
 */
import { addDays, todayInChina, type RectifySource, type RectifyStatus } from '@xianfeng/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import type { Tx } from '../../platform/db';
import { appUser } from '../../platform/schema';
import { member } from '../member/service';
import {
  superviseCommitment,
  superviseCommitmentProgress,
  superviseRectification,
  superviseRectificationEvent,
} from './schema';

type Seed = {
  org: string;
  source: RectifySource;
  sourceRef: string;
  title: string;
  finding: string;
  measures: string;
  owner: string | null;
  verifier: string;
  createdDaysAgo: number;
  deadlineIn: number;
  status: RectifyStatus;
  steps: {
    action: string;
    from: RectifyStatus | null;
    to: RectifyStatus;
    daysAgo: number;
    by: string;
    note?: string;
  }[];
};

const SEEDS: Seed[] = [
  {
    org: '第一发电厂党支部',
    source: 'inspection',
    sourceRef: '集团党委第二巡察组反馈意见第 3 条',
    title: '支委会会议记录不完整',
    finding: '抽查发现第二、三季度有 3 次支委会未形成会议记录，议题和表决情况无据可查。',
    measures: '补齐缺失的会议记录并由参会支委签字确认；建立每月支委会记录由组织委员当场整理、书记审核的制度。',
    owner: null,
    verifier: 'dianli',
    createdDaysAgo: 40,
    deadlineIn: -3,
    status: 'in_progress',
    steps: [{ action: 'start', from: 'open', to: 'in_progress', daysAgo: 35, by: '张建国（书记）' }],
  },
  {
    org: '第一发电厂党支部',
    source: 'org_life',
    sourceRef: '年度组织生活会批评与自我批评意见',
    title: '党员学习积分长期偏低',
    finding: '组织生活会上同志们指出：本人近三个月线上学习积分排名靠后，理论学习不够系统。',
    measures: '制定个人学习计划，每周完成两次线上学习；参加支部读书班并交流一次学习体会。',
    owner: 'dangyuan',
    verifier: 'dianli',
    createdDaysAgo: 20,
    deadlineIn: 5,
    status: 'in_progress',
    steps: [{ action: 'start', from: 'open', to: 'in_progress', daysAgo: 18, by: '陈志远' }],
  },
  {
    org: '第一发电厂党支部',
    source: 'democratic_life',
    sourceRef: '电力公司党委民主生活会征求意见',
    title: '党员活动室资料陈旧',
    finding: '党员活动室宣传栏和学习资料多为两年前内容，未及时更新。',
    measures: '更新宣传栏内容，补充新版学习资料，指定专人每季度检查更新。',
    owner: null,
    verifier: 'dianli',
    createdDaysAgo: 60,
    deadlineIn: -20,
    status: 'closed',
    steps: [
      { action: 'start', from: 'open', to: 'in_progress', daysAgo: 55, by: '张建国（书记）' },
      {
        action: 'submit',
        from: 'in_progress',
        to: 'pending_check',
        daysAgo: 30,
        by: '张建国（书记）',
        note: '宣传栏已更新，新增学习资料 40 册，已明确宣传委员每季度检查。',
      },
      {
        action: 'accept',
        from: 'pending_check',
        to: 'closed',
        daysAgo: 28,
        by: '电力公司党委 李强',
        note: '现场查看属实，同意销号。',
      },
    ],
  },
  {
    org: '研发中心党支部',
    source: 'opinion',
    sourceRef: '党员意见建议：希望主题党日与项目攻关结合',
    title: '主题党日形式单一',
    finding: '党员反映主题党日多为集中学习，与研发工作结合不够。',
    measures: '每季度安排一次结合项目攻关的主题党日，由党员技术骨干领题。',
    owner: null,
    verifier: 'zuzhibu',
    createdDaysAgo: 3,
    deadlineIn: 40,
    status: 'open',
    steps: [],
  },
];

export async function seedSupervise(tx: Tx, tenantId: string, orgs: OrgRef[]) {
  await seedCommitments(tx, tenantId, orgs);
  const today = todayInChina();
  const users = await tx
    .select({ id: appUser.id, username: appUser.username })
    .from(appUser)
    .where(and(eq(appUser.tenantId, tenantId), inArray(appUser.username, ['dianli', 'zuzhibu', 'dangyuan'])));
  const userId = (u: string) => users.find((x) => x.username === u)?.id;
  const at = (daysAgo: number) => new Date(`${addDays(today, -daysAgo)}T09:30:00+08:00`);
  for (const s of SEEDS) {
    const o = orgs.find((x) => x.name === s.org);
    const verifier = userId(s.verifier);
    if (!o || !verifier) continue;
    const ownerUser = s.owner ? userId(s.owner) : undefined;
    const [ownerMember] = ownerUser
      ? await tx.select({ id: member.id }).from(member).where(eq(member.userId, ownerUser))
      : [];
    if (s.owner && !ownerMember) continue;
    const closedStep = s.steps.find((x) => x.to === 'closed');
    const [r] = await tx
      .insert(superviseRectification)
      .values({
        tenantId,
        orgId: o.id,
        sourceKind: s.source,
        sourceRef: s.sourceRef,
        title: s.title,
        finding: s.finding,
        measures: s.measures,
        ownerMemberId: ownerMember?.id ?? null,
        deadline: addDays(today, s.deadlineIn),
        verifierUserId: verifier,
        status: s.status,
        createdBy: s.source === 'opinion' ? '组织部 王敏' : '电力公司党委 李强',
        createdAt: at(s.createdDaysAgo),
        closedAt: closedStep ? at(closedStep.daysAgo) : null,
      })
      .returning({ id: superviseRectification.id });
    await tx.insert(superviseRectificationEvent).values([
      {
        itemId: r!.id,
        action: 'create',
        fromStatus: null,
        toStatus: 'open',
        byName: s.source === 'opinion' ? '组织部 王敏' : '电力公司党委 李强',
        at: at(s.createdDaysAgo),
      },
      ...s.steps.map((x) => ({
        itemId: r!.id,
        action: x.action,
        fromStatus: x.from,
        toStatus: x.to,
        note: x.note ?? null,
        byName: x.by,
        at: at(x.daysAgo),
      })),
    ]);
  }
}

const COMMITMENTS: {
  org: string;
  member: string | null;
  items: { text: string; measure: string; percent: number }[];
  progress?: string;
}[] = [
  {
    org: '第一发电厂党支部',
    member: 'dangyuan',
    items: [
      { text: '带头钻研机组检修技术，带教新员工', measure: '全年带教 2 名新员工', percent: 50 },
      { text: '坚持理论学习', measure: '线上学习不少于 40 学时', percent: 70 },
    ],
    progress: '已带教 1 名新员工，独立完成夜班检修任务。',
  },
  {
    org: '第一发电厂党支部',
    member: null,
    items: [
      { text: '党员先锋岗覆盖全部运行班组', measure: '每个班组至少 1 个党员先锋岗', percent: 60 },
      { text: '支部书记讲党课', measure: '全年不少于 2 次', percent: 50 },
    ],
  },
  {
    org: '研发中心党支部',
    member: null,
    items: [{ text: '党建引领技术攻关', measure: '党员领衔攻关课题 3 项', percent: 30 }],
  },
];

export async function seedCommitments(tx: Tx, tenantId: string, orgs: OrgRef[]) {
  const today = todayInChina();
  const year = Number(today.slice(0, 4));
  const [chen] = await tx
    .select({ id: member.id })
    .from(member)
    .innerJoin(appUser, eq(appUser.id, member.userId))
    .where(and(eq(member.tenantId, tenantId), eq(appUser.username, 'dangyuan')));
  const at = (daysAgo: number) => new Date(`${addDays(today, -daysAgo)}T10:00:00+08:00`);
  for (const c of COMMITMENTS) {
    const o = orgs.find((x) => x.name === c.org);
    if (!o || (c.member && !chen)) continue;
    const memberId = c.member ? chen!.id : null;
    const [r] = await tx
      .insert(superviseCommitment)
      .values({
        tenantId,
        orgId: o.id,
        memberId,
        year,
        items: c.items,
        createdBy: c.member ? '陈志远' : '张建国（书记）',
        createdAt: at(60),
      })
      .returning({ id: superviseCommitment.id });
    if (c.progress)
      await tx.insert(superviseCommitmentProgress).values({
        commitmentId: r!.id,
        itemIndex: 0,
        percent: c.items[0]!.percent,
        note: c.progress,
        byName: '陈志远',
        at: at(10),
      });
    if (c.member)
      await tx.insert(superviseCommitment).values({
        tenantId,
        orgId: o.id,
        memberId,
        year: year - 1,
        items: [{ text: '参加志愿服务', measure: '全年不少于 24 小时', percent: 100 }],
        createdBy: '陈志远',
        createdAt: at(400),
        rating: 'excellent',
        reviewComment: '全年参加志愿服务 30 小时，超额完成承诺。',
        reviewedBy: '张建国（书记）',
        reviewedAt: at(330),
      });
  }
}
