/**
 * The demo's 志愿服务, relative to the shared clock: the group committee's tree-planting day twenty days ago with
 * members of several branches checked in and out (陈志远 among them; one member's hours corrected by the organizer),
 * an activity of 第一发电厂党支部 under way now (陈志远 signed up, not yet checked in), and one in three days with a
 * few places taken. And one 困难帮扶 case of the branch with two visits (hardship.ts seedHardship).
 */
import { inSubtree } from '../../platform/access';
import { nowMs } from '@xianfeng/shared';
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import type { FieldCrypto } from '../../platform/crypto';
import type { Tx } from '../../platform/db';
import { appUser } from '../../platform/schema';
import { member } from '../member/service';
import { seedHardship } from './hardship';
import { seedPlaces } from './places';
import { volunteerActivity, volunteerSignup } from './schema';
import { newCertificateSerial, servedMinutes } from './service';

const HOUR = 3_600_000;
const MIN = 60_000;

export async function seedService(tx: Tx, fc: FieldCrypto, tenantId: string, root: OrgRef, orgs: OrgRef[]) {
  await seedPlaces(tx, tenantId, orgs, root.id, root.name);
  const branch = orgs.find((o) => o.name === '第一发电厂党支部');
  if (!branch) return;
  const now = nowMs();
  // Whole hours (Beijing 09:00 twenty days ago), so the demo's figures are round.
  const day = (offsetDays: number, hourBeijing: number) => {
    const d = new Date(now + offsetDays * 24 * HOUR);
    const ymd = new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);
    return new Date(`${ymd}T${String(hourBeijing).padStart(2, '0')}:00:00+08:00`);
  };
  const [chen] = await tx
    .select({ id: member.id, orgId: member.orgId, userId: member.userId })
    .from(member)
    .innerJoin(appUser, eq(appUser.id, member.userId))
    .where(and(eq(member.tenantId, tenantId), eq(appUser.username, 'dangyuan')));
  const others = await tx
    .select({ id: member.id, orgId: member.orgId, userId: member.userId })
    .from(member)
    .where(
      and(
        eq(member.tenantId, tenantId),
        inSubtree(member.orgPath, root.path),
        isNull(member.leftAt),
        ne(member.id, chen?.id ?? member.id),
      ),
    )
    .orderBy(asc(member.orgPath), asc(member.name), asc(member.id))
    .limit(400);
  const pick = (n: number, from: number) =>
    Array.from({ length: n }, (_, i) => others[(from + i * 37) % others.length]!).filter(Boolean);
  const inBranch = others.filter(
    (m) => m.orgId === branch.id || orgs.some((o) => o.id === m.orgId && o.path.startsWith(branch.path)),
  );

  const add = async (
    orgId: string,
    a: {
      title: string;
      description: string;
      place: string;
      startsAt: Date;
      endsAt: Date;
      slots: number;
      skills: string;
      createdBy: string;
    },
  ) => {
    const [row] = await tx
      .insert(volunteerActivity)
      .values({ tenantId, orgId, ...a, createdAt: new Date(a.startsAt.getTime() - 7 * 24 * HOUR) })
      .returning();
    return row!;
  };

  // 1. Twenty days ago: the group committee's tree planting, 09:00–12:00, served and counted.
  const past = await add(root.id, {
    title: '“共建绿色家园”义务植树',
    description: '集团党委组织党员志愿者到城郊生态林义务植树，统一乘车前往，工具由后勤准备。',
    place: '城北生态林场（集合地点：集团总部东门）',
    startsAt: day(-20, 9),
    endsAt: day(-20, 12),
    slots: 30,
    skills: '',
    createdBy: '组织部 王敏',
  });
  const served = [...(chen ? [chen] : []), ...pick(7, 3)];
  for (const [i, m] of served.entries()) {
    const inAt = new Date(past.startsAt.getTime() - (10 - i) * MIN);
    const outAt = new Date(past.endsAt.getTime() - i * 5 * MIN);
    const corrected = i === 3;
    await tx.insert(volunteerSignup).values({
      tenantId,
      activityId: past.id,
      memberId: m.id,
      orgId: m.orgId,
      userId: m.userId,
      signedUpAt: new Date(past.startsAt.getTime() - (5 - (i % 4)) * 24 * HOUR),
      checkedInAt: inAt,
      checkedOutAt: corrected ? null : outAt,
      minutes: corrected ? 180 : servedMinutes(past, inAt, outAt),
      certificateSerial: newCertificateSerial(),
      ...(corrected
        ? {
            correctionReason: '现场忘记扫码签退，按签到表全程参加更正',
            correctedBy: '组织部 王敏',
            correctedAt: new Date(past.endsAt.getTime() + 24 * HOUR),
          }
        : {}),
    });
  }

  // 2. Under way now at the branch: 陈志远 and two others signed up; nobody has checked in yet.
  const ongoing = await add(branch.id, {
    title: '社区用电安全义务检查',
    description: '为厂区周边老旧小区的独居老人检查家庭用电线路，讲解安全用电常识。',
    place: '幸福里社区党群服务站',
    startsAt: new Date(now - HOUR),
    endsAt: new Date(now + 3 * HOUR),
    slots: 8,
    skills: '持电工证者优先',
    createdBy: '张建国（书记）',
  });
  for (const m of [...(chen ? [chen] : []), ...inBranch.slice(0, 2)])
    await tx.insert(volunteerSignup).values({
      tenantId,
      activityId: ongoing.id,
      memberId: m.id,
      orgId: m.orgId,
      userId: m.userId,
      signedUpAt: new Date(now - 2 * 24 * HOUR),
    });

  // 3. In three days at the branch: three of ten places taken (陈志远 not yet).
  const next = await add(branch.id, {
    title: '“学雷锋”便民服务日',
    description: '在厂区门口设点，为职工家属义务维修小家电、讲解电费账单和节能知识。',
    place: '第一发电厂南门广场',
    startsAt: day(3, 9),
    endsAt: day(3, 11),
    slots: 10,
    skills: '家电维修',
    createdBy: '张建国（书记）',
  });
  for (const m of inBranch.slice(2, 5))
    await tx.insert(volunteerSignup).values({
      tenantId,
      activityId: next.id,
      memberId: m.id,
      orgId: m.orgId,
      userId: m.userId,
      signedUpAt: new Date(now - 24 * HOUR),
    });

  // 困难帮扶: one case of the branch, visited twice.
  await seedHardship(tx, fc, tenantId, branch.path);
}
