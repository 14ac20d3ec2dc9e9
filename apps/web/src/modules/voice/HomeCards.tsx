/** 工作台 cards of 互动: what the member is asked to fill in, letters waiting, and the handling queue's state. */
import type { Letter, RoleBinding, Survey, Vote, VoiceOverview } from '@xianfeng/shared';
import { api, type Page } from '../../platform/api';
import { TodoCard, type TodoItem } from '../../platform/TodoCard';
import { useAsync } from '../../platform/useAsync';

export function PollsCard() {
  const r = useAsync(async () => {
    const [s, v] = await Promise.all([
      api.get<Page<Survey>>('/voice/surveys/open', { pageSize: 20 }),
      api.get<Page<Vote>>('/voice/votes/open', { pageSize: 20 }),
    ]);
    return [
      ...s.items
        .filter((x) => x.canAnswer)
        .map((x): TodoItem => ({ key: x.id, level: 'warning', text: `问卷：${x.title}` })),
      ...v.items
        .filter((x) => x.canVote)
        .map((x): TodoItem => ({ key: x.id, level: 'warning', text: `投票：${x.title}` })),
    ];
  }, []);
  if (r.data && r.data.length === 0) return null;
  return (
    <TodoCard
      title="待参加的问卷和投票"
      link="/voice/polls"
      loading={r.loading}
      error={r.error}
      onRetry={r.reload}
      items={r.data ?? []}
      empty="没有待参加的问卷和投票"
    />
  );
}

export function LettersCard() {
  const r = useAsync(
    () => api.get<Page<Letter> & { unread: number }>('/voice/letters/inbox', { status: 'unread', pageSize: 5 }),
    [],
  );
  if (!r.data || r.data.unread === 0) return null;
  return (
    <TodoCard
      title={`党务信箱：${r.data.unread} 封未读`}
      link="/voice/letters?tab=inbox"
      loading={r.loading}
      error={r.error}
      items={r.data.items.map((l) => ({ key: l.id, level: 'warning', text: `${l.fromName}：${l.subject}` }))}
      empty=""
    />
  );
}

export function OpinionsCard({ binding }: { binding: RoleBinding }) {
  const r = useAsync(() => api.get<VoiceOverview>('/voice/overview', { orgId: binding.orgId }), [binding.orgId]);
  const o = r.data;
  const items: TodoItem[] = o
    ? [
        ...(o.overdueOpinions
          ? [{ key: 'overdue', level: 'critical' as const, text: `${o.overdueOpinions} 条意见建议逾期未答复` }]
          : []),
        ...(o.openOpinions - o.overdueOpinions > 0
          ? [{ key: 'open', level: 'warning' as const, text: `${o.openOpinions - o.overdueOpinions} 条意见建议待答复` }]
          : []),
        ...(o.averageRating !== null
          ? [
              {
                key: 'rating',
                level: 'info' as const,
                text: `答复满意度 ${o.averageRating} / 5（${o.ratedCount} 人评价）`,
              },
            ]
          : []),
      ]
    : [];
  return (
    <TodoCard
      title="意见建议"
      link="/voice/manage"
      loading={r.loading}
      error={r.error}
      onRetry={r.reload}
      items={items}
      empty="没有待答复的意见建议"
    />
  );
}
