/** 工作台 cards of 组织生活: a member's coming meetings, and how the org stands on the cadence rules. */
import type { ComplianceReply, RoleBinding } from '@xianfeng/shared';
import dayjs from 'dayjs';
import { api } from '../../platform/api';
import { TodoCard } from '../../platform/TodoCard';
import { useAsync } from '../../platform/useAsync';
import type { InvitationPage } from './labels';
import { now } from '@xianfeng/shared';

export function UpcomingMeetingsCard() {
  const r = useAsync(
    () => api.get<InvitationPage>('/meeting-invitations/mine', { filter: 'upcoming', pageSize: 5 }),
    [],
  );
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

export function ComplianceCard({ binding }: { binding: RoleBinding }) {
  const year = dayjs(now()).year();
  const r = useAsync(
    () => api.get<ComplianceReply>(`/orgs/${binding.orgId}/compliance`, { year }),
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
      empty="各项组织生活均已达标"
    />
  );
}
