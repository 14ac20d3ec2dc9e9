/**
 * Money and labels of the 党费 pages. The API speaks integer 分; people read 元 with two
 * decimals — always through `yuan()`, never by dividing in a page.
 */
import {
  addMonthsToMonth,
  APPROVAL_STATUS_LABELS,
  DUES_BILL_STATUS_LABELS,
  DUES_CATEGORY_LABELS,
  fenToYuan,
  PAYMENT_CHANNEL_LABELS,
  PAYMENT_STATUS_LABELS,
  type DuesBill,
  type DuesPayment,
  todayInChina,
} from '@xianfeng/shared';
import { Tag } from 'antd';
import type { ReactNode } from 'react';

/** 1234 分 → "12.34 元". */
export const yuan = (fen: number) => `${fenToYuan(fen)} 元`;
/** 1234 分 → "12.34" (for table cells under a "(元)" heading). */
export const yuanPlain = (fen: number) => fenToYuan(fen);
/** "12.34" typed by a person → 1234 分; undefined when it is not a money amount. */
export function toFen(text: string | number | null | undefined): number | undefined {
  if (text === null || text === undefined || text === '') return undefined;
  const s = String(text).trim();
  if (!/^\d+(\.\d{0,2})?$/.test(s)) return undefined;
  const [int, dec = ''] = s.split('.');
  return Number(int) * 100 + Number(dec.padEnd(2, '0'));
}

/** 50 bp → "0.5%". */
export const rateText = (bp: number) => (bp ? `${bp / 100}%` : '定额');
/** "2026-03" → "2026年3月". */
export const monthText = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
export const dateTime = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleString('zh-CN', {
        timeZone: 'Asia/Shanghai',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      })
    : '—';
export const categoryLabel = (c: string) => DUES_CATEGORY_LABELS[c as keyof typeof DUES_CATEGORY_LABELS] ?? c;
export const channelLabel = (c: string) => PAYMENT_CHANNEL_LABELS[c as keyof typeof PAYMENT_CHANNEL_LABELS] ?? c;

/** This month in China time, "YYYY-MM". */
export const thisMonth = () => todayInChina().slice(0, 7);
export const thisYear = () => Number(thisMonth().slice(0, 4));
export const today = () => todayInChina();
/** A month (YYYY-MM) n months later: the shared date arithmetic. */
export const addMonths = (m: string, n: number) => addMonthsToMonth(m, n);

export function BillStatusTag({ status }: { status: DuesBill['status'] }) {
  const color = { unpaid: 'red', paid: 'green', exempt: 'blue' }[status];
  return <Tag color={color}>{DUES_BILL_STATUS_LABELS[status]}</Tag>;
}
export function PaymentStatusTag({ status }: { status: DuesPayment['status'] }) {
  const color = { pending: 'orange', paid: 'green', closed: 'default', conflict: 'red' }[status];
  return <Tag color={color}>{PAYMENT_STATUS_LABELS[status]}</Tag>;
}
export function ApprovalTag({ status }: { status: string }) {
  const color = { pending: 'orange', approved: 'green', rejected: 'red' }[status] ?? 'default';
  return <Tag color={color}>{APPROVAL_STATUS_LABELS[status as keyof typeof APPROVAL_STATUS_LABELS] ?? status}</Tag>;
}
export const LEVEL_COLORS = { notice: 'gold', warning: 'orange', critical: 'red' } as const;
export const LEVEL_LABELS = { notice: '提醒', warning: '预警', critical: '严重' } as const;

/** One figure of the strip above a 党费 page (`.xf-dues-stats`): its label over its value. */
export function Figure({
  label,
  value,
  className,
  title,
}: {
  label: string;
  value: ReactNode;
  className?: string;
  title?: string;
}) {
  return (
    <div className={className} title={title}>
      <span>{label}</span>
      <strong>{value}</strong>
    </div>
  );
}
