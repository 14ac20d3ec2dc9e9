/** Tags, formats and local storage of 互动 pages. */
import {
  LETTER_STATUS_LABELS,
  OPINION_CATEGORY_LABELS,
  OPINION_STATUS_LABELS,
  SURVEY_KIND_LABELS,
  SURVEY_STATE_LABELS,
  type LetterStatus,
  type Opinion,
  type OpinionCategory,
  type SurveyKind,
  type SurveyState,
} from '@xianfeng/shared';
import { Tag } from 'antd';
import dayjs from 'dayjs';

export const fmtTime = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');
export const fmtDay = (iso: string) => dayjs(iso).format('M月D日 HH:mm');

const STATUS_COLORS = {
  submitted: 'orange',
  assigned: 'blue',
  answered: 'green',
  closed: 'default',
  withdrawn: 'default',
} as const;

export function OpinionStatusTag({ o }: { o: Pick<Opinion, 'status' | 'overdue'> }) {
  return (
    <>
      <Tag color={STATUS_COLORS[o.status]}>{OPINION_STATUS_LABELS[o.status]}</Tag>
      {o.overdue && <Tag color="red">已逾期</Tag>}
    </>
  );
}

export const CategoryTag = ({ c }: { c: OpinionCategory }) => <Tag>{OPINION_CATEGORY_LABELS[c]}</Tag>;

const LETTER_COLORS = { unread: 'red', read: 'orange', replied: 'green', closed: 'default' } as const;
export const LetterStatusTag = ({ s }: { s: LetterStatus }) => (
  <Tag color={LETTER_COLORS[s]}>{LETTER_STATUS_LABELS[s]}</Tag>
);

const STATE_COLORS = { draft: 'default', upcoming: 'blue', open: 'green', ended: 'default' } as const;
export const StateTag = ({ s }: { s: SurveyState }) => <Tag color={STATE_COLORS[s]}>{SURVEY_STATE_LABELS[s]}</Tag>;
export const KindTag = ({ k }: { k: SurveyKind }) => (
  <Tag color={k === 'rating_up' ? 'purple' : k === 'satisfaction' ? 'cyan' : 'default'}>{SURVEY_KIND_LABELS[k]}</Tag>
);

/**
 * 查询码 of the anonymous items submitted from this device: they are the only way back to those
 * items (the server does not link them to the account), so the phone keeps them for its owner.
 */
const RECEIPTS = 'xf.voice.receipts';
export function savedReceipts(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(RECEIPTS) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
export function saveReceipt(r: string) {
  localStorage.setItem(RECEIPTS, JSON.stringify([r, ...savedReceipts().filter((x) => x !== r)].slice(0, 50)));
}
export function forgetReceipt(r: string) {
  localStorage.setItem(RECEIPTS, JSON.stringify(savedReceipts().filter((x) => x !== r)));
}

/** A 12-symbol code read off a slip, shown as XXXX-XXXX-XXXX. */
export const showCode = (c: string) =>
  c
    .replace(/[\s-]/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1-');
