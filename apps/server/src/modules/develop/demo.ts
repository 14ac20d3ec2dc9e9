/**
 * Demo 发展党员: a handful of people at different stages in demo branches, dated relative to
 * today so the board always has something to show — one applicant whose talk is overdue, one
 * activist due for the half-yearly assessment, a development target, a probationary member
 * whose probation ends soon (with the member record admission created), and a yearly plan.
 */
import { addDays, addYears, statusAfter, stepOf, todayInChina, type StepDetails } from '@xianfeng/shared';
import { and, eq, isNull } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import crypto from 'node:crypto';
import type { FieldCrypto } from '../../platform/crypto';
import type { Tx } from '../../platform/db';
import { randomIdCard, seededRandom } from '../../demo/people';
import { member, insertMembers, memberIdByIdCard, toRow } from '../member/service';
import { developAssessment, developPerson, developPlan, developStep } from './schema';

/** Day offsets of steps 1…25 from the application; consistent with every time rule. */
const OFFSETS = [
  0, 14, 60, 70, 72, 432, 433, 440, 442, 460, 470, 480, 495, 500, 520, 530, 550, 555, 556, 560, 700, 876, 896, 910, 915,
];
const ASSESSMENTS = [230, 400];
const NOTES: Record<number, string> = {
  2: '支部书记与组织委员共同谈话，了解入党动机和基本情况。',
  3: '经党员推荐、支委会研究确定。',
  7: '听取党小组、培养联系人、党员和群众意见，支委会讨论同意。',
  13: '公示期满无异议，党委预审合格，发放入党志愿书。',
  15: '无记名投票表决。',
};

type Demo = {
  name: string;
  branch: string;
  lastStep: number;
  appliedDaysAgo: number;
  gender: 'male' | 'female';
  born: string;
  education: string;
  jobTitle: string;
};

const PEOPLE: Demo[] = [
  {
    name: '周晓明',
    branch: '第一发电厂党支部',
    lastStep: 1,
    appliedDaysAgo: 45,
    gender: 'male',
    born: '1998-04-12',
    education: '大学本科',
    jobTitle: '集控运行值班员',
  },
  {
    name: '吴佳琪',
    branch: '第一发电厂党支部',
    lastStep: 5,
    appliedDaysAgo: 250,
    gender: 'female',
    born: '1997-09-03',
    education: '研究生',
    jobTitle: '化学专工',
  },
  {
    name: '孙浩',
    branch: '第一发电厂党支部',
    lastStep: 11,
    appliedDaysAgo: 480,
    gender: 'male',
    born: '1995-01-20',
    education: '大学本科',
    jobTitle: '锅炉检修班长',
  },
  {
    name: '郑丽',
    branch: '第一发电厂党支部',
    lastStep: 20,
    appliedDaysAgo: 870,
    gender: 'female',
    born: '1994-06-18',
    education: '大学本科',
    jobTitle: '燃料管理员',
  },
  {
    name: '林涛',
    branch: '研发中心党支部',
    lastStep: 1,
    appliedDaysAgo: 20,
    gender: 'male',
    born: '1999-11-30',
    education: '研究生',
    jobTitle: '材料研发工程师',
  },
  {
    name: '马骏',
    branch: '研发中心党支部',
    lastStep: 15,
    appliedDaysAgo: 580,
    gender: 'male',
    born: '1993-03-08',
    education: '研究生',
    jobTitle: '高级工程师',
  },
  {
    name: '黄磊',
    branch: '第二发电厂党支部',
    lastStep: 3,
    appliedDaysAgo: 100,
    gender: 'male',
    born: '1996-07-25',
    education: '大学专科',
    jobTitle: '电气运行副值',
  },
];

export async function seedDevelop(
  tx: Tx,
  fc: FieldCrypto,
  tenantId: string,
  orgs: OrgRef[],
  today = todayInChina(),
): Promise<void> {
  const rng = seededRandom(20_261_124);
  const year = Number(today.slice(0, 4));
  for (const d of PEOPLE) {
    const branch = orgs.find((o) => o.name === d.branch);
    if (!branch) continue;
    const full = await tx
      .select({ id: member.id })
      .from(member)
      .where(and(eq(member.orgId, branch.id), eq(member.status, 'full'), isNull(member.leftAt)))
      .orderBy(member.name)
      .limit(12);
    const applied = addDays(today, -d.appliedDaysAgo);
    const on = (n: number) => addDays(applied, OFFSETS[n - 1]!);
    const idCardNo = randomIdCard(rng, d.born, d.gender);
    const phone = `139${String(rng.int(10000000, 99999999))}`;
    const details = (n: number): StepDetails => {
      if (n === 5) return { contactIds: full.slice(0, 1).map((m) => m.id) };
      if (n === 9) return { sponsorIds: full.slice(0, 2).map((m) => m.id) };
      if (n === 10) return { reviewConclusion: '合格' };
      if (n === 11) return { trainingDays: 3, trainingHours: 24 };
      if (n === 12 || n === 22) return { noticeFrom: on(n) };
      if (n === 15 || n === 23) {
        const entitled = Math.max(3, full.length);
        const present = entitled - 1;
        return { vote: { entitled, present, written: 0, for: present, against: 0, abstain: 0 } };
      }
      return {};
    };
    const personId = crypto.randomUUID();
    const [p] = await tx
      .insert(developPerson)
      .values({
        id: personId,
        tenantId,
        orgId: branch.id,
        name: d.name,
        gender: d.gender,
        birthDate: d.born,
        education: d.education,
        occupation: '专业技术人员',
        jobTitle: d.jobTitle,
        idCardEnc: fc.encrypt(idCardNo, developPerson.idCardEnc, personId),
        idCardIdx: fc.blindIndex(idCardNo),
        phoneEnc: fc.encrypt(phone, developPerson.phoneEnc, personId),
        phoneIdx: fc.blindIndex(phone),
        status: statusAfter(d.lastStep),
        lastStep: d.lastStep,
        appliedAt: applied,
      })
      .returning();
    for (let n = 1; n <= d.lastStep; n++)
      await tx.insert(developStep).values({
        tenantId,
        personId: p!.id,
        orgId: branch.id,
        step: n,
        doneOn: on(n),
        responsible: stepOf(n)!.responsible,
        notes: NOTES[n] ?? '',
        details: details(n),
        recordedBy: 'system',
      });
    for (const offset of ASSESSMENTS) {
      const at = addDays(applied, offset);
      if (d.lastStep >= 3 && at <= today && (d.lastStep >= 6 || at > on(3)))
        await tx.insert(developAssessment).values({
          tenantId,
          personId: p!.id,
          on: at,
          assessor: '党支部组织委员',
          summary: '学习认真，工作积极，入党动机端正，能按期提交思想汇报。',
        });
    }
    if (d.lastStep >= 17) {
      await insertMembers(tx, [
        toRow(fc, tenantId, {
          orgId: branch.id,
          name: d.name,
          gender: d.gender,
          birthDate: d.born,
          idCardNo,
          phone,
          joinedAt: on(15),
          status: d.lastStep >= 24 ? 'full' : 'probationary',
          fullAt: d.lastStep >= 24 ? addYears(on(15), 1) : null,
          ethnicity: '汉族',
          education: d.education as never,
          occupation: '专业技术人员',
          jobTitle: d.jobTitle,
          duesCategory: 'employed',
        }),
      ]);
      const memberId = await memberIdByIdCard(tx, fc, tenantId, idCardNo);
      await tx.update(developPerson).set({ memberId }).where(eq(developPerson.id, p!.id));
    }
  }
  const plans: [string, number][] = [
    ['华夏电力有限公司党委', 6],
    ['第一发电厂党支部', 2],
    ['华夏新材料有限公司党委', 4],
  ];
  for (const [name, quota] of plans) {
    const o = orgs.find((x) => x.name === name);
    if (o) await tx.insert(developPlan).values({ tenantId, orgId: o.id, year, quota });
  }
}
