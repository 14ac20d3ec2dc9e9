import type { ArticleStatus } from '@xianfeng/shared';

export const fmtDate = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));

export const statusColor = (s: ArticleStatus) =>
  ({ draft: 'default', in_review: 'gold', published: 'green', rejected: 'red' })[s];

export const fmtDateTime = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
