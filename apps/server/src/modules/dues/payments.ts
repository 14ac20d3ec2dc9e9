/**
 * Paying bills: online orders (WeChat Pay v3, Alipay) settled only by a verified provider
 * notification, offline cash/transfer recorded by the branch, and receipts.
 *
 * Nothing is paid twice: a payment row is locked while it is settled; a replayed notification
 * finds it paid and changes nothing; bills are marked paid only from 'unpaid' and only when
 * every bill of the payment still owes exactly what was ordered; the notified amount must
 * equal the payment's. Every notification, good or bad, is written to dues_notify_log.
 */
import crypto from 'node:crypto';
import { fenInWords, PAYMENT_CHANNEL_LABELS, type DuesPayment, now, todayInChina } from '@xianfeng/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/audit';
import type { Scope } from '../../platform/access';
import { loadOrgRef, orgOfRow, subtreeOrgIds } from '../../platform/access';
import { systemActor, writeAudit } from '../../platform/audit';
import type { PaymentConfig } from '../../platform/config';
import { queryRows, type Db, type Queryable, type Tx } from '../../platform/db';
import { holdPoint } from '../../platform/holdpoint';
import { AppError, badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import {
  alipayCloseOrder,
  alipayQueryOrder,
  alipayVerifyNotify,
  alipayWapPayUrl,
  amountToFen,
  ORDER_TTL_MS,
  wechatCloseOrder,
  wechatQueryOrder,
  type ProviderTrade,
  wechatCreateOrder,
  wechatDecryptResource,
  wechatHeadersOf,
  wechatJsapiParams,
  wechatVerifyProblem,
  ProviderRefusal,
  type WechatResource,
} from './providers';
import { duesBill, duesNotifyLog, duesPayment, duesPaymentBill } from './schema';
import {
  addMonths,
  currentMonth,
  generateBills,
  getSettings,
  isManager,
  monthOf,
  monthsBetween,
  monthStart,
  selfMember,
} from './service';
import { countFrom, pageWhere } from '../../platform/paging';

type BillLock = typeof duesBill.$inferSelect;
type PaymentRow = typeof duesPayment.$inferSelect;

export const NOTIFY_PATHS = { wechat: '/api/v1/dues/notify/wechat', alipay: '/api/v1/dues/notify/alipay' } as const;

/** XF + Beijing date + 14 random characters: unique, within WeChat's 6–32 [0-9A-Za-z_-|*]. */
export function newOutTradeNo(): string {
  const day = todayInChina().replace(/-/g, '');
  return `XF${day}${crypto.randomBytes(7).toString('hex').toUpperCase()}`;
}

export const orgOfPayment = orgOfRow(duesPayment);

/**
 * The bills one payment settles, locked: the addressed bill, with `catchUp` every earlier unpaid
 * month, with `aheadMonths` the following months (created on demand from the base in force),
 * limited to the enterprise's prepay limit counted from the current month.
 */
async function billsToSettle(
  tx: Tx,
  tenantId: string,
  billId: string,
  /** `online`: a member paying online, whose 补交 reaches back at most `maxCatchUpMonths` (CATCH_UP_RULE). */
  opts: { aheadMonths: number; catchUp: boolean; online?: boolean },
): Promise<BillLock[]> {
  const [bill] = await tx
    .select()
    .from(duesBill)
    .where(and(eq(duesBill.tenantId, tenantId), eq(duesBill.id, billId)))
    .for('update');
  if (!bill) throw notFound('账单不存在');
  if (bill.status === 'paid') throw conflict(`${monthOf(bill.month)} 的党费已缴纳，不能重复缴纳`, 'ALREADY_PAID');
  if (bill.status === 'exempt' || bill.dueFen === 0)
    throw conflict(`${monthOf(bill.month)} 的党费已批准免交`, 'BILL_EXEMPT');
  const settings = await getSettings(tx, tenantId);
  const month = monthOf(bill.month);
  const lastAhead = addMonths(month, opts.aheadMonths);
  if (opts.aheadMonths > 0 && monthsBetween(currentMonth(), lastAhead) > settings.maxPrepayMonths)
    throw unprocessable(
      `预交党费最多预交至本月之后 ${settings.maxPrepayMonths} 个月`,
      [{ field: 'aheadMonths', message: `最多预交 ${settings.maxPrepayMonths} 个月` }],
      'PREPAY_LIMIT',
    );
  if (opts.aheadMonths > 0) {
    const orgRef = (await loadOrgRef(tx, tenantId, bill.orgId))!;
    for (let i = 1; i <= opts.aheadMonths; i++)
      await generateBills(tx, tenantId, orgRef.path, addMonths(month, i), settings, { memberId: bill.memberId });
  }
  const others = await tx
    .select()
    .from(duesBill)
    .where(
      and(
        eq(duesBill.memberId, bill.memberId),
        eq(duesBill.status, 'unpaid'),
        sql`${duesBill.id} <> ${bill.id}`,
        sql`${duesBill.dueFen} > 0`,
        opts.catchUp
          ? sql`${duesBill.month} < ${monthStart(lastAhead)}::date`
          : sql`${duesBill.month} > ${bill.month}::date and ${duesBill.month} <= ${monthStart(lastAhead)}::date`,
      ),
    )
    .orderBy(duesBill.month)
    .for('update');
  const bills = [bill, ...others].sort((a, b) => a.month.localeCompare(b.month));
  if (opts.aheadMonths > 0 && bills.filter((b) => b.month > bill.month).length < opts.aheadMonths)
    throw unprocessable('部分预交月份无法生成账单（未设置党费基数或已缴纳）', undefined, 'PREPAY_UNAVAILABLE');
  if (opts.online) refuseBeyondCatchUpLimit(bills, settings.maxCatchUpMonths);
  return bills;
}

/** Online 补交 reaches back at most `maxCatchUpMonths` (CATCH_UP_RULE); older months go through the branch. */
function refuseBeyondCatchUpLimit(bills: BillLock[], maxCatchUpMonths: number) {
  const oldest = monthOf(bills[0]!.month);
  if (monthsBetween(oldest, currentMonth()) > maxCatchUpMonths)
    throw unprocessable(
      `在线补交最多补交本月之前 ${maxCatchUpMonths} 个月的党费；${oldest} 起的欠缴请联系党支部，由支部书记登记线下补交（党章第九条：连续六个月不交纳党费须由党组织处理）`,
      [{ field: 'catchUp', message: `在线补交最多 ${maxCatchUpMonths} 个月` }],
      'CATCH_UP_LIMIT',
    );
}

/** The payer's and the branch's names, read in the payment's tenant. */
async function namesOf(db: Queryable, p: PaymentRow) {
  const [names] = await queryRows<{ member_name: string; org_name: string }>(
    db,
    sql`select m.name as member_name, o.name as org_name from member m, org o
        where m.tenant_id = ${p.tenantId} and m.id = ${p.memberId} and o.tenant_id = ${p.tenantId} and o.id = ${p.orgId}`,
  );
  return names;
}

async function paymentView(db: Queryable, p: PaymentRow): Promise<DuesPayment> {
  const names = await namesOf(db, p);
  const months = await queryRows<{ month: string }>(
    db,
    sql`select bill_month::text as month from dues_payment_bill where payment_id = ${p.id} order by bill_month`,
  );
  return {
    id: p.id,
    memberId: p.memberId,
    memberName: names?.member_name ?? '',
    orgId: p.orgId,
    orgName: names?.org_name ?? '',
    channel: p.channel as DuesPayment['channel'],
    outTradeNo: p.outTradeNo,
    amountFen: p.amountFen,
    extraFen: p.extraFen,
    status: p.status as DuesPayment['status'],
    providerTradeNo: p.providerTradeNo,
    months: months.map((m) => monthOf(m.month)),
    paidAt: p.paidAt ? p.paidAt.toISOString() : null,
    receiptNo: p.receiptNo,
    createdAt: p.createdAt.toISOString(),
  };
}

async function insertPayment(tx: Tx, values: typeof duesPayment.$inferInsert, bills: BillLock[]) {
  const [p] = await tx.insert(duesPayment).values(values).returning();
  await tx
    .insert(duesPaymentBill)
    .values(bills.map((b) => ({ paymentId: p!.id, billId: b.id, billMonth: b.month, amountFen: b.dueFen })));
  return p!;
}

export type PayInput = {
  channel: 'wechat' | 'alipay';
  tradeType: 'jsapi' | 'h5' | 'wap';
  openid?: string | undefined;
  aheadMonths: number;
  catchUp: boolean;
  extraFen: number;
  returnPath?: string | undefined;
};

/** A member orders payment of their own bill (plus catch-up/prepay/extra) with a provider. */
export async function createOnlinePayment(
  db: Db,
  pay: PaymentConfig,
  scope: Scope,
  billId: string,
  input: PayInput,
  clientIp: string,
) {
  const self = await selfMember(db, scope);
  const wechat = input.channel === 'wechat' ? pay.wechat : null;
  const alipay = input.channel === 'alipay' ? pay.alipay : null;
  if (!wechat && !alipay)
    throw unprocessable(
      `本系统尚未配置${input.channel === 'wechat' ? '微信支付' : '支付宝'}，请联系支部线下缴纳`,
      undefined,
      'PAY_CHANNEL_DISABLED',
    );
  if (wechat && input.tradeType === 'wap')
    throw badRequest('微信支付的支付场景须为 jsapi 或 h5', [{ field: 'tradeType', message: '须为 jsapi 或 h5' }]);
  if (wechat && input.tradeType === 'jsapi' && !input.openid)
    throw badRequest('在微信内支付须提供 openid', [{ field: 'openid', message: '请提供 openid' }]);

  // An abandoned order for the same bill(s) is settled (if it was paid after all) or closed at the provider
  // before a new one is made (issue 28 item 5): never two payable orders for one bill.
  let made: { payment: PaymentRow; bills: BillLock[] } | null = null;
  for (let round = 0; !made; round++) {
    const r = await orderTx();
    if ('payment' in r) {
      made = r;
      break;
    }
    if (round >= 2) throw conflict('上一笔缴费订单仍在处理中，请稍后再试', 'ORDER_PENDING');
    for (const old of r.open) {
      try {
        await checkOrder(db, pay, old, { close: true, reason: 'superseded', actor: scope.actor });
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 502) throw err;
        throw new AppError(502, 'PAY_PROVIDER_ERROR', '上一笔未完成的缴费订单暂时无法在支付平台关闭，请稍后再试');
      }
    }
  }
  const { payment, bills } = made;

  async function orderTx() {
    return db.transaction(async (tx): Promise<{ payment: PaymentRow; bills: BillLock[] } | { open: PaymentRow[] }> => {
      const [owner] = await tx
        .select({ memberId: duesBill.memberId })
        .from(duesBill)
        .where(and(eq(duesBill.tenantId, scope.tenantId), eq(duesBill.id, billId)));
      if (!owner) throw notFound('账单不存在');
      if (owner.memberId !== self.id) throw forbidden('只能缴纳本人的党费账单', 'NOT_OWN_BILL');
      const bills = await billsToSettle(tx, scope.tenantId, billId, { ...input, online: true });
      const open = await tx
        .select()
        .from(duesPayment)
        .where(
          and(
            eq(duesPayment.status, 'pending'),
            inArray(duesPayment.channel, ['wechat', 'alipay']),
            sql`${duesPayment.id} in (select payment_id from dues_payment_bill where bill_id in (${sql.join(
              bills.map((b) => sql`${b.id}::uuid`),
              sql`, `,
            )}))`,
          ),
        );
      if (open.length) return { open };
      const amountFen = bills.reduce((s, b) => s + b.dueFen, 0) + input.extraFen;
      const payment = await insertPayment(
        tx,
        {
          tenantId: scope.tenantId,
          orgId: self.orgId,
          memberId: self.id,
          channel: input.channel,
          tradeType: wechat ? input.tradeType : 'wap',
          outTradeNo: newOutTradeNo(),
          amountFen,
          extraFen: input.extraFen,
          status: 'pending',
        },
        bills,
      );
      await writeAudit(tx, scope.actor, {
        action: 'dues.payment.order',
        entityType: 'dues_payment',
        entityId: payment.id,
        org: scope.org,
        after: {
          outTradeNo: payment.outTradeNo,
          channel: input.channel,
          amountFen,
          months: bills.map((b) => monthOf(b.month)),
          extraFen: input.extraFen,
        },
      });
      return { payment, bills };
    });
  }

  const months = bills.map((b) => monthOf(b.month));
  const description = `党费 ${months[0]}${months.length > 1 ? ` 至 ${months.at(-1)}` : ''}`.slice(0, 127);
  const returnUrl = input.returnPath ? `${pay.notifyBaseUrl}${input.returnPath}` : undefined;
  try {
    if (wechat) {
      const r = await wechatCreateOrder(wechat, {
        description,
        outTradeNo: payment.outTradeNo,
        notifyUrl: pay.notifyBaseUrl + NOTIFY_PATHS.wechat,
        amountFen: payment.amountFen,
        tradeType: input.tradeType as 'jsapi' | 'h5',
        openid: input.openid,
        clientIp,
        redirectUrl: returnUrl,
      });
      const next = r.prepayId
        ? { kind: 'jsapi' as const, params: wechatJsapiParams(wechat, r.prepayId) }
        : { kind: 'redirect' as const, url: r.h5Url! };
      return { payment: await paymentView(db, payment), next };
    }
    const url = alipayWapPayUrl(alipay!, {
      outTradeNo: payment.outTradeNo,
      amountFen: payment.amountFen,
      subject: description,
      notifyUrl: pay.notifyBaseUrl + NOTIFY_PATHS.alipay,
      returnUrl,
    });
    return { payment: await paymentView(db, payment), next: { kind: 'redirect' as const, url } };
  } catch (err) {
    // The order never reached the provider: close it so it cannot be settled later. What the
    // provider said goes to the audit log for the admin; the member gets a plain message.
    const said =
      err instanceof ProviderRefusal
        ? { httpStatus: err.httpStatus, providerCode: err.providerCode, providerMessage: err.providerMessage }
        : { reason: err instanceof Error ? err.message : String(err) };
    await db.transaction(async (tx) => {
      const closed = await tx
        .update(duesPayment)
        .set({ status: 'closed' })
        .where(and(eq(duesPayment.id, payment.id), eq(duesPayment.status, 'pending')))
        .returning({ id: duesPayment.id });
      if (closed.length)
        await writeAudit(tx, scope.actor, {
          action: 'dues.payment.order_failed',
          entityType: 'dues_payment',
          entityId: payment.id,
          org: scope.org,
          before: { status: 'pending' },
          after: { status: 'closed', channel: input.channel, ...said },
        });
    });
    if (err instanceof ProviderRefusal)
      throw new AppError(
        502,
        'PAY_PROVIDER_ERROR',
        `${err.provider === 'wechat' ? '微信支付' : '支付宝'}暂时无法受理本次缴费，请稍后再试；原因已记录，可请管理员在审计日志中查看`,
      );
    throw err;
  }
}

export type OfflineInput = {
  method: 'cash' | 'transfer';
  paidOn: string;
  aheadMonths: number;
  catchUp: boolean;
  extraFen: number;
  reference?: string | undefined;
  note?: string | undefined;
};

/** Cash or transfer received by the branch: paid at once, with a receipt. */
export async function recordOfflinePayment(db: Db, scope: Scope, billId: string, input: OfflineInput) {
  const today = todayInChina();
  if (input.paidOn > today)
    throw unprocessable('缴费日期不能晚于今天', [{ field: 'paidOn', message: '不能晚于今天' }], 'INVALID_DATE');
  const row = await db.transaction(async (tx) => {
    const bills = await billsToSettle(tx, scope.tenantId, billId, input);
    const amountFen = bills.reduce((s, b) => s + b.dueFen, 0) + input.extraFen;
    const outTradeNo = newOutTradeNo();
    const paidAt = new Date(`${input.paidOn}T12:00:00+08:00`);
    const p = await insertPayment(
      tx,
      {
        tenantId: scope.tenantId,
        orgId: bills[0]!.orgId,
        memberId: bills[0]!.memberId,
        channel: input.method,
        outTradeNo,
        amountFen,
        extraFen: input.extraFen,
        status: 'paid',
        paidAt,
        receiptNo: `R${outTradeNo.slice(2)}`,
        reference: input.reference ?? null,
        note: input.note ?? null,
        recordedBy: scope.actor.username,
      },
      bills,
    );
    const marked = await tx
      .update(duesBill)
      .set({ status: 'paid', paymentId: p.id, paidAt })
      .where(
        and(
          inArray(
            duesBill.id,
            bills.map((b) => b.id),
          ),
          eq(duesBill.status, 'unpaid'),
        ),
      )
      .returning({ id: duesBill.id });
    if (marked.length !== bills.length) throw conflict('账单状态已变化，请刷新后重试', 'BILLS_CHANGED');
    await writeAudit(tx, scope.actor, {
      action: 'dues.payment.offline',
      entityType: 'dues_payment',
      entityId: p.id,
      org: scope.org,
      after: {
        method: input.method,
        amountFen,
        months: bills.map((b) => monthOf(b.month)),
        paidOn: input.paidOn,
        reference: input.reference ?? null,
      },
    });
    return p;
  });
  return paymentView(db, row);
}

// ---------- provider notifications ----------

type Verdict =
  | 'paid'
  | 'replay'
  | 'bad_signature'
  | 'bad_request'
  | 'bad_resource'
  | 'wrong_merchant'
  | 'unknown_order'
  | 'bad_amount'
  | 'conflict'
  | 'ignored'
  | 'disabled';

async function logNotify(
  db: Db,
  v: {
    tenantId?: string | null;
    provider: string;
    outTradeNo?: string | null;
    notifyId?: string | null;
    verdict: Verdict;
    detail?: string;
    amountFen?: number | null;
    /** The caller's address; null for what the reconcile job learnt by querying the provider. */
    ip: string | null;
  },
) {
  await db.insert(duesNotifyLog).values({
    tenantId: v.tenantId ?? null,
    provider: v.provider,
    outTradeNo: v.outTradeNo ?? null,
    notifyId: v.notifyId ?? null,
    verdict: v.verdict,
    detail: v.detail ?? null,
    amountFen: v.amountFen ?? null,
    remoteAddress: v.ip,
  });
}

const reject = (status: number, code: string, message: string) => new AppError(status, code, message);

/**
 * Settles a verified notification of a successful payment. Returns the verdict; throws (after
 * logging) for wrong amounts and unknown orders.
 */
async function settle(
  db: Db,
  provider: 'wechat' | 'alipay',
  n: {
    outTradeNo: string;
    providerTradeNo: string;
    amountFen: number;
    notifyId: string | null;
    ip: string | null;
    /** `query`: learnt from the provider's verified query answer (no callback came). */
    via?: 'notify' | 'query';
  },
) {
  const via = n.via ?? 'notify';
  type Outcome = { verdict: Verdict; tenantId: string | null; detail: string };
  const outcome: Outcome = await db.transaction(async (tx) => {
    const [p] = await tx.select().from(duesPayment).where(eq(duesPayment.outTradeNo, n.outTradeNo)).for('update');
    if (!p || p.channel !== provider) return { verdict: 'unknown_order', tenantId: null, detail: '商户订单号不存在' };
    if (p.status === 'paid' || p.status === 'conflict') {
      if (p.providerTradeNo === n.providerTradeNo)
        return { verdict: 'replay', tenantId: p.tenantId, detail: '重复通知，已忽略' };
      return { verdict: 'conflict', tenantId: p.tenantId, detail: `该订单已由交易 ${p.providerTradeNo} 支付` };
    }
    const actor = { ...systemActor(p.tenantId), username: provider === 'wechat' ? 'wechatpay' : 'alipay' };
    /** Money arrived that is not booked to any bill: the order is marked 'conflict', its money to be refunded. */
    const flagForRefund = async (paidAt: Date, detail: string, reason?: string): Promise<Outcome> => {
      const orgRef = (await loadOrgRef(tx, p.tenantId, p.orgId))!;
      await tx
        .update(duesPayment)
        .set({ status: 'conflict', providerTradeNo: n.providerTradeNo, paidAt })
        .where(eq(duesPayment.id, p.id));
      await writeAudit(tx, actor, {
        action: 'dues.payment.conflict',
        entityType: 'dues_payment',
        entityId: p.id,
        org: orgRef,
        before: { status: p.status },
        after: {
          status: 'conflict',
          ...(reason && { reason }),
          providerTradeNo: n.providerTradeNo,
          amountFen: n.amountFen,
        },
      });
      return { verdict: 'conflict', tenantId: p.tenantId, detail };
    };
    if (p.status === 'closed')
      // A closed order is never settled (issue 14 item 14): it was closed because it never reached the
      // provider, or was abandoned and closed there. If money arrives for it anyway, the bills stay as they
      // are (a new order may be paying them) and the money is flagged for refund, like any conflict.
      return flagForRefund(now(), '订单已关闭，不予入账，款项待退', 'order_closed');
    if (n.amountFen !== p.amountFen)
      return {
        verdict: 'bad_amount',
        tenantId: p.tenantId,
        detail: `通知金额 ${n.amountFen} 分与订单金额 ${p.amountFen} 分不符`,
      };
    // Re-check each bill: still unpaid and still owing what was ordered.
    const links = await tx.select().from(duesPaymentBill).where(eq(duesPaymentBill.paymentId, p.id));
    const allocated = links.reduce((s, l) => s + l.amountFen, 0);
    const paidAt = now();
    const marked = await queryRows<{ id: string }>(
      tx,
      sql`update dues_bill b set status = 'paid', payment_id = ${p.id}, paid_at = ${paidAt.toISOString()}::timestamptz
        from dues_payment_bill pb where pb.payment_id = ${p.id} and pb.bill_id = b.id and pb.bill_month = b.month and b.status = 'unpaid' and b.due_fen = pb.amount_fen returning b.id`,
    );
    if (marked.length !== links.length || allocated + p.extraFen !== p.amountFen) {
      // Money arrived for bills settled otherwise meanwhile: nothing is paid twice; flag for refund.
      await tx.execute(
        sql`update dues_bill set status = 'unpaid', payment_id = null, paid_at = null where payment_id = ${p.id}`,
      );
      return flagForRefund(paidAt, '账单已另行缴纳或已变化，款项待退');
    }
    const orgRef = (await loadOrgRef(tx, p.tenantId, p.orgId))!;
    await tx
      .update(duesPayment)
      .set({ status: 'paid', providerTradeNo: n.providerTradeNo, paidAt, receiptNo: `R${p.outTradeNo.slice(2)}` })
      .where(eq(duesPayment.id, p.id));
    await writeAudit(tx, actor, {
      action: 'dues.payment.paid',
      entityType: 'dues_payment',
      entityId: p.id,
      org: orgRef,
      before: { status: p.status },
      after: { status: 'paid', providerTradeNo: n.providerTradeNo, amountFen: n.amountFen, bills: links.length, via },
    });
    await holdPoint('dues.settle.in-tx'); // crash tests: everything written, nothing committed
    return { verdict: 'paid', tenantId: p.tenantId, detail: '支付成功，已入账' };
  });
  await holdPoint('dues.settle.committed'); // crash tests: committed, provider not yet answered
  await logNotify(db, {
    tenantId: outcome.tenantId,
    provider,
    outTradeNo: n.outTradeNo,
    notifyId: n.notifyId,
    verdict: outcome.verdict,
    detail: via === 'query' ? `查单：${outcome.detail}` : outcome.detail,
    amountFen: n.amountFen,
    ip: n.ip,
  });
  if (outcome.verdict === 'unknown_order') throw reject(404, 'UNKNOWN_ORDER', '回调中的商户订单号不存在，未入账');
  if (outcome.verdict === 'bad_amount')
    throw reject(400, 'AMOUNT_MISMATCH', `回调金额与账单不符，未入账（${outcome.detail}）`);
  return outcome.verdict;
}

/** WeChat Pay v3 notification: verify the platform signature, decrypt the resource, settle. */
export async function handleWechatNotify(
  db: Db,
  pay: PaymentConfig,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  ip: string,
): Promise<Verdict> {
  const cfg = pay.wechat;
  const fail = async (
    verdict: Verdict,
    status: number,
    code: string,
    message: string,
    extra: { outTradeNo?: string; notifyId?: string } = {},
  ) => {
    await logNotify(db, { provider: 'wechat', verdict, detail: message, ip, ...extra });
    return reject(status, code, message);
  };
  if (!cfg) throw await fail('disabled', 404, 'PAY_CHANNEL_DISABLED', '未配置微信支付');
  const problem = wechatVerifyProblem(cfg, wechatHeadersOf(headers), rawBody);
  if (problem) throw await fail('bad_signature', 401, 'BAD_SIGNATURE', `回调签名验证失败：${problem}，未入账`);
  let note: { id?: string; event_type?: string; resource?: WechatResource };
  try {
    note = JSON.parse(rawBody);
  } catch {
    throw await fail('bad_request', 400, 'BAD_NOTIFY', '回调报文不是合法的 JSON');
  }
  const notifyId = typeof note.id === 'string' ? note.id : undefined;
  if (note.event_type !== 'TRANSACTION.SUCCESS') {
    await logNotify(db, {
      provider: 'wechat',
      verdict: 'ignored',
      detail: `事件 ${String(note.event_type)}`,
      notifyId: notifyId ?? null,
      ip,
    });
    return 'ignored';
  }
  const plain =
    note.resource && typeof note.resource === 'object' ? wechatDecryptResource(cfg.apiV3Key, note.resource) : null;
  if (!plain)
    throw await fail('bad_resource', 400, 'BAD_RESOURCE', '回调报文解密失败（APIv3 密钥或报文不正确），未入账', {
      ...(notifyId ? { notifyId } : {}),
    });
  let tx: {
    mchid?: string;
    appid?: string;
    out_trade_no?: string;
    transaction_id?: string;
    trade_state?: string;
    amount?: { total?: number; currency?: string };
  };
  try {
    tx = JSON.parse(plain);
  } catch {
    throw await fail('bad_resource', 400, 'BAD_RESOURCE', '回调报文内容格式不正确');
  }
  if (tx.mchid !== cfg.mchid || tx.appid !== cfg.appid)
    throw await fail('wrong_merchant', 400, 'WRONG_MERCHANT', '回调的商户号或应用号与本系统不符，未入账', {
      ...(tx.out_trade_no ? { outTradeNo: tx.out_trade_no } : {}),
    });
  if (
    typeof tx.out_trade_no !== 'string' ||
    typeof tx.transaction_id !== 'string' ||
    !Number.isSafeInteger(tx.amount?.total) ||
    (tx.amount?.currency ?? 'CNY') !== 'CNY'
  )
    throw await fail('bad_request', 400, 'BAD_NOTIFY', '回调报文缺少订单号、交易号或金额');
  if (tx.trade_state !== 'SUCCESS') {
    await logNotify(db, {
      provider: 'wechat',
      verdict: 'ignored',
      detail: `交易状态 ${String(tx.trade_state)}`,
      outTradeNo: tx.out_trade_no,
      ip,
    });
    return 'ignored';
  }
  return settle(db, 'wechat', {
    outTradeNo: tx.out_trade_no,
    providerTradeNo: tx.transaction_id,
    amountFen: tx.amount!.total!,
    notifyId: notifyId ?? null,
    ip,
  });
}

/** Alipay async notification (form post): verify RSA2, check app and amount, settle. */
export async function handleAlipayNotify(
  db: Db,
  pay: PaymentConfig,
  params: Record<string, string>,
  ip: string,
): Promise<Verdict> {
  const cfg = pay.alipay;
  const fail = async (verdict: Verdict, status: number, code: string, message: string) => {
    await logNotify(db, {
      provider: 'alipay',
      verdict,
      detail: message,
      ip,
      outTradeNo: typeof params.out_trade_no === 'string' ? params.out_trade_no.slice(0, 64) : null,
    });
    return reject(status, code, message);
  };
  if (!cfg) throw await fail('disabled', 404, 'PAY_CHANNEL_DISABLED', '未配置支付宝');
  if (!alipayVerifyNotify(params, cfg.alipayPublicKeyPem))
    throw await fail('bad_signature', 401, 'BAD_SIGNATURE', '回调签名验证失败（RSA2），未入账');
  // Alipay's own advice: the notification's app_id and seller_id must be this merchant's (issue 28 item 5).
  if (params.app_id !== cfg.appId || params.seller_id !== cfg.sellerId)
    throw await fail(
      'wrong_merchant',
      400,
      'WRONG_MERCHANT',
      '回调的应用号或收款账号（seller_id）与本系统不符，未入账',
    );
  if (!['TRADE_SUCCESS', 'TRADE_FINISHED'].includes(params.trade_status ?? '')) {
    await logNotify(db, {
      provider: 'alipay',
      verdict: 'ignored',
      detail: `交易状态 ${params.trade_status ?? ''}`,
      outTradeNo: params.out_trade_no ?? null,
      ip,
    });
    return 'ignored';
  }
  const fen = amountToFen(params.total_amount);
  if (fen === null || !params.out_trade_no || !params.trade_no)
    throw await fail('bad_request', 400, 'BAD_NOTIFY', '回调缺少订单号、交易号或金额格式不正确');
  return settle(db, 'alipay', {
    outTradeNo: params.out_trade_no,
    providerTradeNo: params.trade_no,
    amountFen: fen,
    notifyId: params.notify_id ?? null,
    ip,
  });
}

// ---------- order query and close (issue 28 item 5) ----------

/** A pending order is first queried this long after it was made (its callback normally comes within seconds). */
export const QUERY_AFTER_MS = 5 * 60_000;
/** After its expiry (ORDER_TTL_MS) plus this margin an unpaid order is closed at the provider. */
export const CLOSE_MARGIN_MS = 5 * 60_000;
/** Orders one reconcile run looks at, oldest first. */
const RECONCILE_BATCH = 100;
export const RECONCILE_JOB = 'dues.payment.reconcile';

export type CheckResult =
  'paid' | 'replay' | 'conflict' | 'bad_amount' | 'closed' | 'open' | 'paying' | 'other' | 'unconfigured';

const queryAt = (pay: PaymentConfig, p: PaymentRow): Promise<ProviderTrade> | null =>
  p.channel === 'wechat' && pay.wechat
    ? wechatQueryOrder(pay.wechat, p.outTradeNo)
    : p.channel === 'alipay' && pay.alipay
      ? alipayQueryOrder(pay.alipay, p.outTradeNo)
      : null;

/** Marks a pending order closed here, audited with what the provider said. */
async function markClosed(db: Db, p: PaymentRow, actor: Actor, after: Record<string, unknown>) {
  await db.transaction(async (tx) => {
    const closed = await tx
      .update(duesPayment)
      .set({ status: 'closed' })
      .where(and(eq(duesPayment.id, p.id), eq(duesPayment.status, 'pending')))
      .returning({ id: duesPayment.id });
    if (!closed.length) return;
    const orgRef = (await loadOrgRef(tx, p.tenantId, p.orgId))!;
    await writeAudit(tx, actor, {
      action: 'dues.payment.closed',
      entityType: 'dues_payment',
      entityId: p.id,
      org: orgRef,
      before: { status: 'pending' },
      after: { status: 'closed', outTradeNo: p.outTradeNo, channel: p.channel, ...after },
    });
  });
}

/**
 * Asks the provider about one pending order (a signed query, a verified answer) and acts on what it says:
 * paid → settled through the same path as a callback (idempotent: a later callback is a replay); closed or
 * unknown there → closed here; still open → closed at the provider and here when `close`, else left.
 * A payer in the middle of paying (USERPAYING) and anything unusual (REFUND) are left alone.
 * Provider and network errors throw (502): nothing is changed.
 */
export async function checkOrder(
  db: Db,
  pay: PaymentConfig,
  p: PaymentRow,
  opts: { close: boolean; reason: 'expired' | 'superseded'; actor?: Actor },
): Promise<CheckResult> {
  const actor = opts.actor ?? { ...systemActor(p.tenantId), username: 'dues-reconcile' };
  const settleTrade = async (t: Extract<ProviderTrade, { state: 'paid' }>): Promise<CheckResult> => {
    try {
      const v = await settle(db, p.channel as 'wechat' | 'alipay', {
        outTradeNo: p.outTradeNo,
        providerTradeNo: t.providerTradeNo,
        amountFen: t.amountFen,
        notifyId: null,
        ip: null,
        via: 'query',
      });
      return v === 'paid' || v === 'replay' || v === 'conflict' ? v : 'other';
    } catch (err) {
      if (err instanceof AppError && err.code === 'AMOUNT_MISMATCH') return 'bad_amount';
      throw err;
    }
  };
  const query = queryAt(pay, p);
  if (!query) {
    // The channel is no longer configured: nothing can be asked; a superseded order is closed here.
    if (opts.reason === 'superseded') await markClosed(db, p, actor, { reason: opts.reason, provider: 'unconfigured' });
    return 'unconfigured';
  }
  const trade = await query;
  if (trade.state === 'paid') return settleTrade(trade);
  if (trade.state === 'paying') return 'paying';
  if (trade.state === 'other') return 'other';
  if (trade.state === 'open') {
    if (!opts.close) return 'open';
    let closedThere: 'closed' | 'missing' = 'closed';
    try {
      if (p.channel === 'wechat') await wechatCloseOrder(pay.wechat!, p.outTradeNo);
      else closedThere = await alipayCloseOrder(pay.alipay!, p.outTradeNo);
    } catch (err) {
      // Paid between the query and the close: ask again and settle it.
      if (err instanceof ProviderRefusal && ['ORDERPAID', 'ACQ.TRADE_STATUS_ERROR'].includes(err.providerCode)) {
        const again = await queryAt(pay, p)!;
        if (again.state === 'paid') return settleTrade(again);
      }
      throw err;
    }
    await markClosed(db, p, actor, {
      reason: opts.reason,
      provider: closedThere === 'closed' ? 'closed_by_us' : 'missing',
    });
    return 'closed';
  }
  // Closed or unknown at the provider. An unknown order may still be opened later (an Alipay wap URL
  // before its time_expire), so it is closed here only when it is being replaced or has expired; money
  // arriving for it afterwards is a conflict flagged for refund, never a second payment.
  if (trade.state === 'missing' && !opts.close) return 'open';
  await markClosed(db, p, actor, { reason: opts.reason, provider: trade.state });
  return 'closed';
}

/**
 * The reconcile job (every 5 minutes): every online order still pending QUERY_AFTER_MS after it was
 * made is queried; paid ones are settled, ones past their expiry are closed at the provider and here.
 * Ages are protocol time (the providers expire orders on the real clock), so `at` is the real time.
 */
export async function reconcilePendingPayments(
  db: Db,
  pay: PaymentConfig,
  at: Date = new Date(), // protocol time on purpose, like the providers' own expiry
  log?: { warn(obj: unknown, msg: string): void },
) {
  const channels = [pay.wechat ? 'wechat' : null, pay.alipay ? 'alipay' : null].filter((c): c is string => c !== null);
  const result: Record<CheckResult | 'failed', number> = {
    paid: 0,
    replay: 0,
    conflict: 0,
    bad_amount: 0,
    closed: 0,
    open: 0,
    paying: 0,
    other: 0,
    unconfigured: 0,
    failed: 0,
  };
  if (!channels.length) return result;
  const rows = await db
    .select()
    .from(duesPayment)
    .where(
      and(
        eq(duesPayment.status, 'pending'),
        inArray(duesPayment.channel, channels),
        sql`${duesPayment.createdAt} <= ${new Date(at.getTime() - QUERY_AFTER_MS).toISOString()}::timestamptz`,
      ),
    )
    .orderBy(duesPayment.createdAt)
    .limit(RECONCILE_BATCH);
  for (const p of rows) {
    const expired = p.createdAt.getTime() <= at.getTime() - ORDER_TTL_MS - CLOSE_MARGIN_MS;
    try {
      result[await checkOrder(db, pay, p, { close: expired, reason: 'expired' })]++;
    } catch (err) {
      result.failed++;
      log?.warn(
        { outTradeNo: p.outTradeNo, err: err instanceof Error ? err.message : String(err) },
        'dues order query failed; retried on the next run',
      );
    }
  }
  return result;
}

// ---------- reading payments ----------

async function ownOrManaged(db: Queryable, scope: Scope, id: string): Promise<PaymentRow> {
  const [p] = await db
    .select()
    .from(duesPayment)
    .where(and(eq(duesPayment.tenantId, scope.tenantId), eq(duesPayment.id, id)));
  if (!p) throw notFound();
  if (!isManager(scope) && scope.role !== 'auditor') {
    const self = await selfMember(db, scope);
    if (self.id !== p.memberId) throw notFound();
  }
  return p;
}

export async function getPayment(db: Queryable, scope: Scope, id: string) {
  return paymentView(db, await ownOrManaged(db, scope, id));
}

export async function receipt(db: Queryable, scope: Scope, id: string) {
  const p = await ownOrManaged(db, scope, id);
  if (p.status !== 'paid' || !p.paidAt || !p.receiptNo) throw conflict('该笔缴费尚未完成，暂无收据', 'NOT_PAID');
  const months = await queryRows<{ month: string; amount_fen: string | number }>(
    db,
    sql`select bill_month::text as month, amount_fen from dues_payment_bill where payment_id = ${p.id} order by bill_month`,
  );
  const names = await namesOf(db, p);
  return {
    receiptNo: p.receiptNo,
    paymentId: p.id,
    memberName: names?.member_name ?? '',
    orgName: names?.org_name ?? '',
    months: months.map((m) => ({ month: monthOf(m.month), amountFen: Number(m.amount_fen) })),
    extraFen: p.extraFen,
    amountFen: p.amountFen,
    amountInWords: fenInWords(p.amountFen),
    channel: p.channel as DuesPayment['channel'],
    channelLabel: PAYMENT_CHANNEL_LABELS[p.channel as DuesPayment['channel']],
    providerTradeNo: p.providerTradeNo,
    paidAt: p.paidAt.toISOString(),
    issuedBy: names?.org_name ?? '',
  };
}

export async function listPayments(
  db: Queryable,
  tenantId: string,
  orgPath: string,
  f: {
    status?: string | undefined;
    channel?: string | undefined;
    month?: string | undefined;
    memberId?: string | undefined;
  },
  page: number,
  pageSize: number,
) {
  const where = and(
    eq(duesPayment.tenantId, tenantId),
    sql`${duesPayment.orgId} in ${subtreeOrgIds(tenantId, orgPath)}`,
    f.status ? eq(duesPayment.status, f.status) : undefined,
    f.channel ? eq(duesPayment.channel, f.channel) : undefined,
    f.memberId ? eq(duesPayment.memberId, f.memberId) : undefined,
    f.month
      ? sql`to_char(coalesce(${duesPayment.paidAt}, ${duesPayment.createdAt}) at time zone 'Asia/Shanghai', 'YYYY-MM') = ${f.month}`
      : undefined,
  );
  const { items: rows, total } = await pageWhere(
    db.select().from(duesPayment).$dynamic(),
    countFrom(db, duesPayment),
    where,
    [sql`coalesce(${duesPayment.paidAt}, ${duesPayment.createdAt}) desc`, duesPayment.id],
    page,
    pageSize,
  );
  const items = [];
  for (const r of rows) items.push(await paymentView(db, r));
  return { items, total };
}

export async function listNotifyLog(db: Queryable, tenantId: string, page: number, pageSize: number) {
  const where = sql`(tenant_id = ${tenantId} or tenant_id is null)`;
  const rows = await queryRows<{
    id: string;
    provider: string;
    out_trade_no: string | null;
    verdict: string;
    detail: string | null;
    amount_fen: string | null;
    remote_address: string | null;
    received_at: string | Date;
  }>(
    db,
    sql`select id, provider, out_trade_no, verdict, detail, amount_fen, remote_address, received_at from dues_notify_log where ${where} order by received_at desc, id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from dues_notify_log where ${where}`,
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      outTradeNo: r.out_trade_no,
      verdict: r.verdict,
      detail: r.detail,
      amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
      remoteAddress: r.remote_address,
      receivedAt: new Date(r.received_at).toISOString(),
    })),
    total: count?.n ?? 0,
  };
}
