/** Answers of the 党费 routes that the shared package has no type for (see apps/server/src/modules/dues/routes.ts). */
import type { DuesBase, DuesBill, DuesPayment, LedgerMonth, ReconRow } from '@xianfeng/shared';

export type { DuesBase, DuesBill, DuesPayment, LedgerMonth, ReconRow };

export type Approval = {
  id: string;
  memberId: string;
  memberName: string;
  orgId: string;
  status: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
};
export type Correction = Approval & { proposedBaseFen: number; reason: string };
export type Exemption = Approval & {
  fromMonth: string;
  toMonth: string;
  reducedFen: number;
  reason: string;
  requestedBy: string | null;
};

export type MyDues = {
  member: { id: string; name: string; orgId: string; category: string };
  base: DuesBase | null;
  unpaidCount: number;
  owedFen: number;
  reminders: {
    id: string;
    sentOn: string;
    unpaidMonths: number;
    owedFen: number;
    level: string;
    sentBy: string | null;
    read: boolean;
  }[];
  corrections: Correction[];
};

export type Quote = {
  rate: number | null;
  rateBp: number;
  monthlyFen: number;
  ruleCitation: string;
  basis: 'percentage' | 'fixed';
};
export type Settings = {
  farmerMonthlyFen: number;
  maxPrepayMonths: number;
  maxCatchUpMonths: number;
  retiredBase: string;
};

export type PayReply = {
  payment: DuesPayment;
  next: { kind: 'redirect'; url: string } | { kind: 'jsapi'; params: Record<string, string> };
};

export type Receipt = {
  receiptNo: string;
  paymentId: string;
  memberName: string;
  orgName: string;
  months: { month: string; amountFen: number }[];
  extraFen: number;
  amountFen: number;
  amountInWords: string;
  channel: string;
  channelLabel: string;
  providerTradeNo: string | null;
  paidAt: string;
  issuedBy: string;
};

export type PublicLedger = {
  org: { id: string; name: string };
  year: number;
  openingFen: number;
  items: { month: string; collectedFen: number; remittedFen: number; usedFen: number; balanceFen: number }[];
  totals: { collectedFen: number; remittedFen: number; usedFen: number; closingFen: number };
  usages: { spentOn: string; amountFen: number; purpose: string; orgName: string }[];
  remittances: {
    remittedOn: string;
    periodMonth: string;
    amountFen: number;
    orgName: string;
    toOrgName: string | null;
  }[];
};

export type BaseRow = {
  memberId: string;
  memberName: string;
  orgId: string;
  orgName: string;
  memberCategory: string;
  base: DuesBase | null;
};

export type ArrearsItem = {
  memberId: string;
  memberName: string;
  orgId: string;
  orgName: string;
  unpaidMonths: number;
  consecutiveMonths: number;
  oldestUnpaidMonth: string;
  owedFen: number;
  level: 'notice' | 'warning' | 'critical';
  message: string;
  /** Masked; PhoneReveal shows the full number to a secretary or the org department. */
  phone: string;
};
export type ArrearsPage = {
  items: ArrearsItem[];
  total: number;
  asOf: string;
  owedFen: number;
  summary: { notice: number; warning: number; critical: number };
  levels: { level: string; fromMonths: number; label: string }[];
};

export type Ledger = {
  org: { id: string; name: string };
  year: number;
  openingFen: number;
  items: LedgerMonth[];
  total: number;
  totals: Record<string, number>;
  /** The rule that voluntary payments of 1000 元 or more go to the Central Committee, with its source. */
  centralRule: string;
};

export type Remittance = {
  id: string;
  orgId: string;
  orgName: string;
  toOrgId: string | null;
  toOrgName: string | null;
  periodMonth: string;
  amountFen: number;
  centralFen: number;
  remittedOn: string;
  note: string | null;
  recordedBy: string | null;
  createdAt: string;
};
export type Usage = {
  id: string;
  orgId: string;
  orgName: string;
  spentOn: string;
  amountFen: number;
  purpose: string;
  note: string | null;
  status: string;
  requestedBy: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
};

export type Reconciliation = {
  from: string;
  to: string;
  items: ReconRow[];
  total: number;
  totals: Record<string, number>;
  checks: { name: string; label: string; expectedFen: number; actualFen: number; ok: boolean }[];
  ok: boolean;
};

export type Job = {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  total: number;
  result: unknown;
  error: { code: string; message: string } | null;
};
export type TodoItem = { kind: string; level: 'info' | 'warning' | 'critical'; count: number; message: string };

export type { OfflineInfo } from '@xianfeng/shared';
export type PayOptions = {
  online: { wechat: boolean; alipay: boolean };
  offline: import('@xianfeng/shared').OfflineInfo | null;
};
export type OfflineInfoReply = {
  own: import('@xianfeng/shared').OfflineInfo | null;
  effective: import('@xianfeng/shared').OfflineInfo | null;
};
