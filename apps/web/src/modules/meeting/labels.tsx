/**
 * 组织生活 on the web: the shapes the meeting routes answer (see apps/server/src/modules/meeting),
 * labels, tags and date formatting shared by the secretary's and the member's pages.
 */
import {
  MEETING_KIND_LABELS,
  MEETING_KINDS,
  MEETING_STATUS_LABELS,
  MEETING_STATUSES,
  type Attendance,
  type Meeting,
  type MeetingKind,
  type MeetingStatus,
  type MeetingMode,
  type MotionKind,
  type MotionTally,
  type VoteChoice,
  type VoteCount,
  now,
} from '@xianfeng/shared';
import { Tag } from 'antd';
import dayjs from 'dayjs';

export type { Meeting };

export type { Attendance };

export type AttendanceSummary = {
  invited: number;
  pending: number;
  confirmed: number;
  leave: number;
  signedIn: number;
  late: number;
  absent: number;
  makeupDone: number;
  held: boolean;
};
export type AttendancePage = { items: Attendance[]; total: number; summary: AttendanceSummary };

export type Invitation = Attendance & { meeting: Meeting };
export type InvitationSummary = {
  invited: number;
  attended: number;
  late: number;
  leave: number;
  absent: number;
  madeUp: number;
};
export type InvitationPage = { items: Invitation[]; total: number; summary: InvitationSummary };

export type MaterialFile = { id: string; kind: string; fileName: string; mime: string; size: number; url: string };
export type InvitationDetail = Invitation & {
  materials: {
    agenda: string;
    content: string | null;
    resolutions: string[];
    speaker: string | null;
    topic: string | null;
    files: MaterialFile[];
  } | null;
};

export type Minutes = {
  meetingId: string;
  status: MeetingStatus;
  recorded: boolean;
  host: string | null;
  recorder: string | null;
  agenda: string;
  content: string | null;
  resolutions: string[];
  /** The vote on each resolution (same order) with the voters counted when it was recorded. */
  votes: { for: number; against: number; abstain: number; entitled: number; present: number }[];
  /** A 党员大会's or 支委会's voters as the attendance stands now, and the rule with its source. */
  voting: { entitled: number; present: number; voters: string; citation: string } | null;
  speaker: string | null;
  topic: string | null;
  speakerIsSecretary: boolean;
  recordedAt: string | null;
  due: number;
  present: number;
  attendees: {
    memberId: string;
    name: string;
    checkedInAt: string;
    late: boolean;
    method: Attendance['checkinMethod'];
    online: boolean;
    leftEarlyAt: string | null;
  }[];
  presentInPerson: number;
  presentOnline: number;
  mode: MeetingMode;
  draft: { statements: Statement[]; motions: Motion[]; content: string; resolutions: string[]; votes: VoteCount[] };
  absentees: { memberId: string; name: string; reason: string; makeupDoneAt: string | null }[];
};

export type MeetingFile = {
  id: string;
  meetingId: string;
  kind: string;
  fileName: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  createdAt: string;
  url: string;
};

export type CheckinQr = { token: string; url: string; dataUrl: string; refreshAt: string; expiresAt: string };

export const kindOptions = MEETING_KINDS.map((k) => ({ value: k, label: MEETING_KIND_LABELS[k] }));
export const statusOptions = MEETING_STATUSES.map((s) => ({ value: s, label: MEETING_STATUS_LABELS[s] }));

const KIND_COLORS: Record<MeetingKind, string> = {
  party_congress: 'red',
  committee: 'volcano',
  group: 'orange',
  lecture: 'gold',
  theme_day: 'magenta',
  org_life: 'purple',
  democratic_review: 'geekblue',
};
const STATUS_COLORS: Record<MeetingStatus, string> = {
  planned: 'default',
  published: 'blue',
  held: 'green',
  cancelled: 'default',
};

export const KindTag = ({ kind }: { kind: MeetingKind }) => (
  <Tag color={KIND_COLORS[kind]}>{MEETING_KIND_LABELS[kind]}</Tag>
);
export const StatusTag = ({ status }: { status: MeetingStatus }) => (
  <Tag color={STATUS_COLORS[status]}>{MEETING_STATUS_LABELS[status]}</Tag>
);

export function ResponseTag({ a }: { a: Pick<Attendance, 'response' | 'checkedInAt' | 'late'> }) {
  if (a.checkedInAt) return <Tag color="green">{a.late ? '已签到（迟到）' : '已签到'}</Tag>;
  if (a.response === 'confirmed') return <Tag color="blue">确认参加</Tag>;
  if (a.response === 'leave') return <Tag color="orange">请假</Tag>;
  return <Tag>未回复</Tag>;
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
/** 2026-03-15（周日）14:30–17:00 */
export function when(m: Pick<Meeting, 'startsAt' | 'endsAt'>): string {
  const s = dayjs(m.startsAt);
  const e = dayjs(m.endsAt);
  const day = `${s.format('YYYY-MM-DD')}（周${WEEKDAYS[s.day()]}）`;
  return s.isSame(e, 'day')
    ? `${day} ${s.format('HH:mm')}–${e.format('HH:mm')}`
    : `${day} ${s.format('HH:mm')} 至 ${e.format('MM-DD HH:mm')}`;
}
export const dateTime = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
/** The member's upcoming meetings as the sign-in page asks for them (warm.ts fetches the same, to keep it offline). */
export const CHECKIN_INVITATIONS_QUERY = { filter: 'upcoming', pageSize: 100 } as const;
export const timeOnly = (iso: string | null | undefined) => (iso ? dayjs(iso).format('HH:mm') : '—');
/** How the member signed in, in words: 扫码签到, 代签, 网上课堂, 线上签到, 线上代签. */
export const METHOD_LABELS: Record<NonNullable<Attendance['checkinMethod']>, string> = {
  qr: '扫码签到',
  manual: '代签',
  online: '网上课堂',
  code: '线上签到',
  manual_online: '线上代签',
};

/** Short names of the cadence rules, for table columns and chart axes. */
export const RULE_SHORT: Record<string, string> = {
  party_congress_quarterly: '党员大会',
  committee_monthly: '支委会',
  group_monthly: '党小组会',
  secretary_lecture_yearly: '书记讲党课',
  theme_day_monthly: '主题党日',
  org_life_yearly: '组织生活会',
  democratic_review_yearly: '民主评议',
  talk_yearly: '谈心谈话',
  lecture_quarterly_local: '党课（地方）',
};

export const thisYear = () => dayjs(now()).year();
export const yearOptions = (back = 4, ahead = 1) =>
  Array.from({ length: back + ahead + 1 }, (_, i) => thisYear() + ahead - i).map((y) => ({
    value: y,
    label: `${y} 年`,
  }));
export const monthOptions = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1} 月` }));
export const quarterOptions = [1, 2, 3, 4].map((q) => ({ value: q, label: `第${'一二三四'[q - 1]}季度` }));

/** 发言 posted in a meeting (issue #27). */
export type Statement = {
  id: string;
  memberId: string;
  name: string;
  online: boolean;
  text: string;
  createdAt: string;
};
/** A matter put to the vote during the meeting, with its count once closed. */
export type Motion = {
  id: string;
  title: string;
  kind: MotionKind;
  kindLabel: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  cast: number;
  tally: MotionTally | null;
  myChoice: VoteChoice | null;
};
/** The member's meeting page (GET /meetings/:id/room). */
export type Room = {
  meeting: Meeting;
  attendance: Attendance;
  window: { opensAt: string; closesAt: string; open: boolean };
  canVote: boolean;
  /** 举手: raised (with the place in the queue, 1 = next) and called on by the host. */
  hand: { raisedAt: string | null; calledAt: string | null; position: number | null };
  canRaiseHand: boolean;
  motions: Motion[];
  statements: Statement[];
};
/** One raised hand in the host's queue (GET /meetings/:id/hands). */
export type QueuedHand = {
  position: number;
  memberId: string;
  name: string;
  online: boolean;
  raisedAt: string;
  calledAt: string | null;
};
