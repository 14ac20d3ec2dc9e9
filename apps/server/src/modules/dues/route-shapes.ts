/** Zod shapes and small helpers the 党费 route files share. */
import { DuesBase, Uuid } from '@xianfeng/shared';
import { z } from 'zod';
import { currentMonth } from './service';

export const tags = ['dues'];
export const orgQuery = { orgId: Uuid.optional() };
export const Year = z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确');
export { contentDisposition } from '../../platform/files';
export const thisYear = () => Number(currentMonth().slice(0, 4));

export const BaseRow = z.object({
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  memberCategory: z.string(),
  base: DuesBase.nullable(),
});
export const Approval = z.object({
  id: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  status: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
});
export const Correction = Approval.extend({ proposedBaseFen: z.number(), reason: z.string() });
export const Exemption = Approval.extend({
  fromMonth: z.string(),
  toMonth: z.string(),
  reducedFen: z.number(),
  reason: z.string(),
  requestedBy: z.string().nullable(),
  billsChanged: z.number().optional(),
});
export const Usage = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  spentOn: z.string(),
  amountFen: z.number(),
  purpose: z.string(),
  note: z.string().nullable(),
  status: z.string(),
  requestedBy: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
});
export const Remittance = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  toOrgId: z.string().nullable(),
  toOrgName: z.string().nullable(),
  periodMonth: z.string(),
  amountFen: z.number(),
  /** Of the amount, money owed to the Central Committee (voluntary payments ≥ 1000 元) passed up with it. */
  centralFen: z.number(),
  remittedOn: z.string(),
  note: z.string().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: z.string(),
});
export const ArrearsItem = z.object({
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  unpaidMonths: z.number(),
  consecutiveMonths: z.number(),
  oldestUnpaidMonth: z.string(),
  owedFen: z.number(),
  level: z.enum(['notice', 'warning', 'critical']),
  message: z.string(),
  phone: z.string(),
});
