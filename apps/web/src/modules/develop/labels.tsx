/** Shared bits of the 发展党员 pages: status tags, deadline text, documents menu. */
import { DEVELOP_STATUS_LABELS, type Deadline, type DevelopStatus } from '@xianfeng/shared';
import { Tag } from 'antd';

const STATUS_COLORS: Record<DevelopStatus, string> = {
  applicant: 'default',
  activist: 'blue',
  candidate: 'purple',
  probationary: 'orange',
  full: 'red',
};

export function StatusTag({ status }: { status: DevelopStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{DEVELOP_STATUS_LABELS[status]}</Tag>;
}

export function dueText(d: Deadline): string {
  if (d.overdue) return `已逾期 ${-d.days} 天`;
  if (d.days === 0) return '今天到期';
  return d.days > 0 ? `还有 ${d.days} 天` : `${d.dueOn} 起`;
}

export function DueTag({ d }: { d: Deadline }) {
  return <Tag color={d.overdue ? 'error' : d.days <= 7 ? 'warning' : 'processing'}>{dueText(d)}</Tag>;
}

export const DOCUMENT_MENU = [
  { key: 'notice', label: '发展公示（.docx）' },
  { key: 'conversion_notice', label: '转正公示（.docx）' },
  { key: 'stage1', label: '入党申请人登记表' },
  { key: 'stage2', label: '入党积极分子培养教育考察登记表' },
  { key: 'stage3', label: '发展对象登记表' },
  { key: 'stage4', label: '接收预备党员登记表' },
  { key: 'stage5', label: '预备党员教育考察及转正登记表' },
];
