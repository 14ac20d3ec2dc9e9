/**
 * Demo 党费: every demo member has a base from January, bills for the last eight months, most of
 * them paid (WeChat, cash, transfer), some members behind by 1–2, 3–4 or 6 months so the
 * arrears list and warnings have something to show. Branches remit half of a past month's
 * collection and have approved (and pending) usage. The demo member 陈志远 has paid every past
 * month; this month's bill is open, to pay on the phone.
 */
import crypto from 'node:crypto';
import { DEFAULT_DUES_SETTINGS, quoteDues, todayInChina, type DuesCategory, now } from '@xianfeng/shared';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import { queryRows, type Tx } from '../../platform/db';
import { seededRandom } from '../../demo/people';
import { member } from '../member/service';
import { committeeMember } from '../org/service';
import {
  duesBase,
  duesCorrection,
  duesExemption,
  duesOfflineInfo,
  duesPayment,
  duesPaymentBill,
  duesRemittance,
  duesUsage,
} from './schema';
import { addMonths, generateBills, monthStart } from './service';

const HISTORY_MONTHS = 8;

export async function seedDues(tx: Tx, tenantId: string, orgs: OrgRef[], today = todayInChina()): Promise<void> {
  const rng = seededRandom(20_260_901);
  const root = orgs[0]!;
  const branches = orgs.filter((o) => o.kind === 'branch' || o.kind === 'group');
  const members = await tx
    .select({
      id: member.id,
      orgId: member.orgId,
      name: member.name,
      category: member.duesCategory,
      userId: member.userId,
    })
    .from(member)
    .where(
      and(
        eq(member.tenantId, tenantId),
        inArray(
          member.orgId,
          branches.map((b) => b.id),
        ),
        isNull(member.leftAt),
      ),
    );
  const current = today.slice(0, 7);
  const first = addMonths(current, -(HISTORY_MONTHS - 1));
  const baseFrom = `${first.slice(0, 4)}-01`;

  const bases = members.map((m) => {
    const category = m.category as DuesCategory;
    const baseFen =
      category === 'retired'
        ? rng.int(2800, 7500) * 100 + rng.int(0, 99)
        : category === 'employed'
          ? rng.int(2600, 16000) * 100 + rng.int(0, 99)
          : 0;
    const q = quoteDues(category, baseFen, DEFAULT_DUES_SETTINGS);
    return {
      tenantId,
      orgId: m.orgId,
      memberId: m.id,
      effectiveFrom: monthStart(baseFrom),
      category,
      monthlyBaseFen: baseFen,
      rateBp: q.rateBp,
      monthlyFen: q.monthlyFen,
      source: 'import',
      note: '年初按工资表核定',
      createdBy: 'system',
    };
  });
  for (let i = 0; i < bases.length; i += 1000) await tx.insert(duesBase).values(bases.slice(i, i + 1000));
  for (let i = 0; i < HISTORY_MONTHS; i++)
    await generateBills(tx, tenantId, root.path, addMonths(first, i), DEFAULT_DUES_SETTINGS);

  // How far behind each member is: most are up to date with the past months.
  const behind = new Map<string, number>();
  for (const m of members) {
    if (m.userId) continue; // 陈志远: up to date
    const r = rng.next();
    behind.set(m.id, r < 0.04 ? 6 : r < 0.1 ? rng.int(3, 4) : r < 0.2 ? rng.int(1, 2) : 0);
  }
  const bills = await queryRows<{ id: string; member_id: string; org_id: string; month: string; due_fen: string }>(
    tx,
    sql`select id, member_id, org_id, month::text as month, due_fen from dues_bill where tenant_id = ${tenantId} and status = 'unpaid' and month < ${monthStart(current)}::date order by member_id, month`,
  );
  const payments: (typeof duesPayment.$inferInsert)[] = [];
  const links: (typeof duesPaymentBill.$inferInsert)[] = [];
  const paidBills: { id: string; paymentId: string; paidAt: Date }[] = [];
  let seq = 0;
  for (const b of bills) {
    const months = behind.get(b.member_id) ?? 0;
    // Unpaid: the last `months` months before this one.
    if (b.month >= monthStart(addMonths(current, -months))) continue;
    const id = crypto.randomUUID();
    const channel = rng.pick(['wechat', 'wechat', 'wechat', 'cash', 'transfer', 'alipay'] as const);
    const day = String(rng.int(5, 25)).padStart(2, '0');
    const paidAt = new Date(
      `${b.month.slice(0, 8)}${day}T${String(rng.int(8, 20)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00+08:00`,
    );
    const outTradeNo = `XF${b.month.slice(0, 7).replace('-', '')}D${String(++seq).padStart(8, '0')}`;
    payments.push({
      id,
      tenantId,
      orgId: b.org_id,
      memberId: b.member_id,
      channel,
      tradeType: channel === 'wechat' ? 'h5' : channel === 'alipay' ? 'wap' : null,
      outTradeNo,
      amountFen: Number(b.due_fen),
      extraFen: 0,
      status: 'paid',
      providerTradeNo:
        channel === 'wechat'
          ? `4200${outTradeNo.slice(2)}`
          : channel === 'alipay'
            ? `2026${outTradeNo.slice(2)}`
            : null,
      paidAt,
      receiptNo: `R${outTradeNo.slice(2)}`,
      recordedBy: channel === 'cash' || channel === 'transfer' ? 'shuji' : null,
    });
    links.push({ paymentId: id, billId: b.id, billMonth: b.month, amountFen: Number(b.due_fen) });
    paidBills.push({ id: b.id, paymentId: id, paidAt });
  }
  for (let i = 0; i < payments.length; i += 1000) await tx.insert(duesPayment).values(payments.slice(i, i + 1000));
  for (let i = 0; i < links.length; i += 1000) await tx.insert(duesPaymentBill).values(links.slice(i, i + 1000));
  await tx.execute(sql`update dues_bill b set status = 'paid', payment_id = pb.payment_id, paid_at = p.paid_at
    from dues_payment_bill pb join dues_payment p on p.id = pb.payment_id where pb.bill_id = b.id and pb.bill_month = b.month and b.tenant_id = ${tenantId}`);

  // Remittance of half of the month before last, and usage, for each branch with members.
  const remitMonth = addMonths(current, -2);
  const collected = await queryRows<{ org_id: string; amt: string }>(
    tx,
    sql`select org_id, sum(amount_fen) as amt from dues_payment where tenant_id = ${tenantId} and status = 'paid'
      and to_char((paid_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM') = ${remitMonth} group by org_id`,
  );
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const parentOf = (o: OrgRef) =>
    orgs.find((p) => o.path.startsWith(p.path) && p.path.split('/').length === o.path.split('/').length - 1);
  for (const c of collected) {
    const o = byId.get(c.org_id);
    const half = Math.floor(Number(c.amt) / 2);
    if (!o || half <= 0) continue;
    await tx.insert(duesRemittance).values({
      tenantId,
      orgId: o.id,
      toOrgId: parentOf(o)?.id ?? null,
      periodMonth: monthStart(remitMonth),
      amountFen: half,
      remittedOn: `${addMonths(current, -1)}-10`,
      note: `${remitMonth} 党费按比例上缴`,
      recordedBy: 'system',
    });
  }
  const usageBranches = orgs.filter((o) => o.kind === 'branch');
  for (const [i, o] of usageBranches.entries()) {
    await tx.insert(duesUsage).values({
      tenantId,
      orgId: o.id,
      spentOn: `${addMonths(current, -1)}-15`,
      amountFen: rng.int(200, 800) * 100,
      purpose: rng.pick([
        '购买党员教育学习书籍',
        '订阅《党建》《求是》杂志',
        '慰问生活困难党员',
        '主题党日红色教育基地参观',
      ]),
      status: 'approved',
      requestedByName: 'system',
      decidedBy: 'system',
      decidedAt: now(),
    });
    if (i % 4 === 0 || o.name === '研发中心党支部')
      await tx.insert(duesUsage).values({
        tenantId,
        orgId: o.id,
        spentOn: today,
        amountFen: rng.int(100, 300) * 100,
        purpose: '“七一”表彰优秀共产党员奖品',
        status: 'pending',
        requestedByName: 'system',
      });
  }

  // An approved exemption and a pending correction in 研发中心党支部, a pending exemption in 第一发电厂党支部.
  const lab = orgs.find((o) => o.name === '研发中心党支部');
  const plant = orgs.find((o) => o.name === '第一发电厂党支部');
  const someone = (orgId?: string) => members.find((m) => m.orgId === orgId && !m.userId);
  const labMember = someone(lab?.id);
  if (lab && labMember) {
    await tx.insert(duesExemption).values({
      tenantId,
      orgId: lab.id,
      memberId: labMember.id,
      fromMonth: monthStart(current),
      toMonth: monthStart(addMonths(current, 5)),
      reducedFen: 0,
      reason: '家庭成员重病，生活确有困难，经支部委员会研究同意',
      status: 'approved',
      requestedByName: 'shuji2',
      decidedBy: 'zuzhibu',
      decidedAt: now(),
    });
    await tx.execute(sql`update dues_bill set due_fen = 0, status = 'exempt', exemption_id = (select id from dues_exemption where member_id = ${labMember.id} limit 1)
      where member_id = ${labMember.id} and month = ${monthStart(current)}::date and status = 'unpaid'`);
    const other = members.filter((m) => m.orgId === lab.id && m.category === 'employed')[1];
    if (other)
      await tx.insert(duesCorrection).values({
        tenantId,
        orgId: lab.id,
        memberId: other.id,
        proposedBaseFen: 580_000,
        reason: '今年起岗位调整，工资已变化，附工资条',
      });
  }
  const plantMember = someone(plant?.id);
  if (plant && plantMember)
    await tx.insert(duesExemption).values({
      tenantId,
      orgId: plant.id,
      memberId: plantMember.id,
      fromMonth: monthStart(current),
      toMonth: monthStart(addMonths(current, 2)),
      reducedFen: 20,
      reason: '因病长期休养，收入大幅减少',
      status: 'pending',
      requestedByName: 'shuji',
    });

  // Offline payment instructions (issue 28 item 7): the enterprise's committee sets a default every branch
  // inherits; 第一发电厂党支部 (the demo member's branch) has its own, collected by its 组织委员 (the
  // person its committee names, so the member's page and the committee agree — the walk of #16).
  const plantOrg = branches.find((b) => b.name === '第一发电厂党支部');
  const [organiser] = plantOrg
    ? await tx
        .select({ name: committeeMember.name })
        .from(committeeMember)
        .where(and(eq(committeeMember.orgId, plantOrg.id), eq(committeeMember.position, '组织委员')))
        .limit(1)
    : [];
  const collector = organiser?.name ?? '王海燕';
  await tx.insert(duesOfflineInfo).values([
    {
      orgId: root.id,
      tenantId,
      collector: '各支部组织委员',
      place: '本支部党员活动室',
      time: '每月 10 日前的工作日 9:00–17:00',
      note: '现金请备零钱，收缴后当场开具收据；也可转账至党委党费专户，备注「姓名+月份」。',
      updatedBy: 'admin',
      updatedAt: now(),
    },
    ...branches
      .filter((b) => b.name === '第一发电厂党支部')
      .map((b) => ({
        orgId: b.id,
        tenantId,
        collector: `组织委员 ${collector}（电话 0571-8888 6601）`,
        place: '第一发电厂综合楼 305 党员活动室',
        time: '每月 5 日前的工作日 8:30–11:30、14:00–17:00',
        note: `出差或行动不便的党员可提前联系${collector}上门收缴，或委托本支部党员代交（须附本人签名的交纳说明）。`,
        updatedBy: 'shuji',
        updatedAt: now(),
      })),
  ]);
}
