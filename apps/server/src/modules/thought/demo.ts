/**
 * The demo's 思想汇报 in 第一发电厂党支部: a 预备党员's report of last quarter commented by the 书记 张建国, the
 * same member's report of this quarter waiting to be read, and 陈志远's (dangyuan) report of last quarter marked
 * 优秀. The texts are written for the demo. Reports are sealed like real ones.
 */
import { inSubtree } from '../../platform/access';
import { addMonths, now, periodOf, periodRange, todayInChina, type ThoughtTheme } from '@xianfeng/shared';
import crypto from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import type { FieldCrypto } from '../../platform/crypto';
import type { Tx } from '../../platform/db';
import { appUser, org } from '../../platform/schema';
import { member } from '../member/service';
import { thoughtReport } from './schema';

const TEXT_1 =
  '本季度我认真学习了党章和党的二十大报告，对党员的义务和权利有了更深的理解。在工作中，我主动承担了机组检修的夜班任务，' +
  '努力做到干一行、爱一行。对照党员标准，我在理论学习的系统性上还有差距，今后要制定学习计划，按时参加支部的组织生活。';
const TEXT_2 =
  '这一季度我参加了支部的主题党日活动和专题党课，结合安全生产月活动查找了自己在岗位上的不足。' +
  '我将继续向身边的老党员学习，严格要求自己，争取按期转为正式党员。';
const TEXT_3 =
  '作为一名党员，我本季度坚持每周学习，完成了集团党委要求的必修课程，在班组里带头开展技术攻关，' +
  '帮助两名新员工熟悉操作规程。今后我将继续发挥党员先锋模范作用。';

export async function seedThought(tx: Tx, fc: FieldCrypto, tenantId: string, orgs: OrgRef[]) {
  const branch = orgs.find((o) => o.name === '第一发电厂党支部');
  if (!branch) return;
  const today = todayInChina();
  const thisQuarter = periodOf('quarterly', today);
  const lastQuarter = periodOf('quarterly', addMonths(today, -3));
  const inLast = new Date(`${periodRange(lastQuarter).to}T02:00:00Z`);
  inLast.setUTCDate(inLast.getUTCDate() - 10);
  // A 预备党员 of the branch or of its 党小组 (most of a branch's members sit in its groups).
  const [probationary] = await tx
    .select({ id: member.id, userId: member.userId, orgId: member.orgId })
    .from(member)
    .innerJoin(org, eq(org.id, member.orgId))
    .where(
      and(
        eq(member.tenantId, tenantId),
        inSubtree(org.path, branch.path),
        eq(member.status, 'probationary'),
        isNull(member.leftAt),
      ),
    )
    .orderBy(asc(member.name), asc(member.id))
    .limit(1);
  const [chen] = await tx
    .select({ id: member.id, userId: member.userId, orgId: member.orgId })
    .from(member)
    .innerJoin(appUser, eq(appUser.id, member.userId))
    .where(and(eq(member.tenantId, tenantId), eq(appUser.username, 'dangyuan')));
  const rows: {
    who: { id: string; userId: string | null; orgId: string };
    period: string;
    title: string;
    text: string;
    themes: ThoughtTheme[];
    at: Date;
    mark?: string;
    comment?: string;
  }[] = [];
  if (probationary) {
    rows.push({
      who: probationary,
      period: lastQuarter,
      title: '预备期第一季度思想汇报',
      text: TEXT_1,
      themes: ['study', 'work'],
      at: inLast,
      mark: 'read',
      comment: '汇报内容实在，能结合岗位查找差距。希望继续加强理论学习，按时参加组织生活。',
    });
    rows.push({
      who: probationary,
      period: thisQuarter,
      title: '预备期思想汇报',
      text: TEXT_2,
      themes: ['branch_life', 'work'],
      at: now(),
    });
  }
  if (chen)
    rows.push({
      who: chen,
      period: lastQuarter,
      title: '学习党章、立足岗位的体会',
      text: TEXT_3,
      themes: ['study', 'work'],
      at: inLast,
      mark: 'good',
      comment: '带头攻关、帮带新人，体现了党员的先锋模范作用，值得大家学习。',
    });
  for (const r of rows) {
    const id = crypto.randomUUID();
    await tx.insert(thoughtReport).values({
      id,
      tenantId,
      orgId: r.who.orgId, // the member's own org, as a submitted report is filed
      memberId: r.who.id,
      period: r.period,
      title: r.title,
      themes: r.themes,
      textEnc: fc.encrypt(r.text, thoughtReport.textEnc, id),
      submittedBy: r.who.userId,
      submittedAt: r.at,
      ...(r.mark
        ? {
            mark: r.mark,
            commentEnc: fc.encrypt(r.comment!, thoughtReport.commentEnc, id),
            commentedBy: '张建国（书记）',
            commentedAt: new Date(r.at.getTime() + 3 * 86_400_000),
          }
        : {}),
    });
  }
}
