import { THOUGHT_MARK_LABELS, type ThoughtMark } from '@xianfeng/shared';
import { Tag } from 'antd';

const MARK_COLORS: Record<ThoughtMark, string> = { read: 'blue', good: 'green', improve: 'orange' };

export function MarkTag({ mark }: { mark: ThoughtMark | null }) {
  if (!mark) return <Tag>待批阅</Tag>;
  return <Tag color={MARK_COLORS[mark]}>{THOUGHT_MARK_LABELS[mark]}</Tag>;
}

export const fmtDay = (iso: string | null) =>
  iso ? new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—';
