/** 工作台 cards of 组织生活: a member's coming meetings, planned meetings to start, and how the org stands on the cadence rules. */
import { SendOutlined } from '@ant-design/icons';
import type { ComplianceReply, RoleBinding } from '@xianfeng/shared';
import { Button } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { lazyNamed } from '../../platform/lazy';
import { TodoCard } from '../../platform/TodoCard';
import { useAsync } from '../../platform/useAsync';
import type { InvitationPage, Meeting } from './labels';
import { warmCheckinPage } from './warm';
import { now } from '@xianfeng/shared';

// A manager's dialog: loaded when a planned meeting is started, not with the home page.
const PublishDialog = lazyNamed(() => import('./PublishDialog'), 'PublishDialog');

export function UpcomingMeetingsCard() {
  const r = useAsync(
    () => api.get<InvitationPage>('/meeting-invitations/mine', { filter: 'upcoming', pageSize: 5 }),
    [],
  );
  const some = Boolean(r.data?.items.length);
  useEffect(() => {
    if (some) warmCheckinPage();
  }, [some]);
  // Accounts without a member record (an administrator) have no invitations: no card.
  if (r.error && !r.data) return null;
  const items = (r.data?.items ?? []).map((i) => ({
    key: i.id,
    level: i.response === 'pending' ? ('warning' as const) : ('info' as const),
    text: `${dayjs(i.meeting.startsAt).format('M月D日 HH:mm')} ${i.meeting.title}${i.response === 'pending' ? '（待回复）' : ''}`,
  }));
  return (
    <TodoCard
      title="近期会议"
      link="/my/meetings"
      loading={r.loading}
      error={null}
      items={items}
      empty="近期没有需要参加的会议"
    />
  );
}

/**
 * 组织生活未达标: the months and quarters that have ended (as the 驾驶舱 counts them) — on the first day
 * of a month the month just begun is not "missed" (#16). On 1 January that is the whole past year.
 */
export function ComplianceCard({ binding }: { binding: RoleBinding }) {
  const year = dayjs(now()).subtract(1, 'day').year();
  const r = useAsync(
    () => api.get<ComplianceReply>(`/orgs/${binding.orgId}/compliance`, { year, due: true }),
    [binding.orgId, year],
  );
  const items = (r.data?.items ?? [])
    .filter((i) => !i.ok)
    .map((i) => ({
      key: i.rule,
      level: 'warning' as const,
      // Over a subtree the useful number is how many orgs are behind; for one branch, the counts.
      text: i.orgs > 1 ? `${i.label}：${i.behind} 个组织未达标` : `${i.label}：应 ${i.required} 次，实 ${i.actual} 次`,
    }));
  return (
    <TodoCard
      title={`${year} 年组织生活未达标`}
      link="/compliance"
      loading={r.loading}
      error={r.error}
      onRetry={r.reload}
      items={items}
      empty="已结束的月份和季度，各项组织生活均已达标"
    />
  );
}

/**
 * 按计划发起: the planned meetings of the coming weeks (from the yearly plan), each one click from
 * the notice — the dialog brings kind, date, place and the invitation list for the kind.
 */
export function PlannedMeetingsCard({ binding }: { binding: RoleBinding }) {
  const today = dayjs(now());
  const r = useAsync(
    () =>
      api.get<Page<Meeting>>('/meetings', {
        orgId: binding.orgId,
        status: 'planned',
        from: today.format('YYYY-MM-DD'),
        to: today.add(45, 'day').format('YYYY-MM-DD'),
        order: 'soonest',
        pageSize: 5,
      }),
    [binding.orgId],
  );
  const [starting, setStarting] = useState<Meeting | null>(null);
  const items = (r.data?.items ?? []).map((m) => ({
    key: m.id,
    level: dayjs(m.startsAt).diff(today, 'day') <= 7 ? ('warning' as const) : ('info' as const),
    text: (
      <span>
        {dayjs(m.startsAt).format('M月D日 HH:mm')} <Link to={`/meetings/${m.id}`}>{m.title}</Link>
        {m.orgId !== binding.orgId ? <span className="xf-hint">（{m.orgName}）</span> : null}
      </span>
    ),
    extra: (
      <Button size="small" type="primary" ghost icon={<SendOutlined />} onClick={() => setStarting(m)}>
        按计划发起
      </Button>
    ),
  }));
  return (
    <>
      <TodoCard
        title="待发起的计划会议"
        link="/meetings/plan"
        linkText="年度计划"
        loading={r.loading}
        error={r.error}
        onRetry={r.reload}
        items={items}
        empty="近 45 天没有待发起的计划会议（可在「年度计划」中生成）"
      />
      {starting && (
        <PublishDialog
          m={starting}
          schedule
          open
          onClose={(saved) => {
            setStarting(null);
            if (saved) void r.reload();
          }}
        />
      )}
    </>
  );
}
