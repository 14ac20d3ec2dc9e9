/** 工作台 card of 发展党员: overdue and coming deadlines of the people in development. */
import type { Deadline, RoleBinding } from '@xianfeng/shared';
import { api, type Page } from '../../platform/api';
import { TodoCard } from '../../platform/TodoCard';
import { useAsync } from '../../platform/useAsync';

export function DevelopTodoCard({ binding }: { binding: RoleBinding }) {
  const r = useAsync(() => api.get<Page<Deadline>>('/develop/todo', { orgId: binding.orgId }), [binding.orgId]);
  const items = (r.data?.items ?? []).map((d) => ({
    key: `${d.personId}-${d.what}`,
    level: d.overdue ? ('critical' as const) : ('info' as const),
    text: `${d.name}：${d.what}（${d.overdue ? `已逾期 ${Math.abs(d.days)} 天` : `${d.days} 天后到期`}）`,
  }));
  return (
    <TodoCard
      title="发展党员待办"
      link="/develop"
      loading={r.loading}
      error={r.error}
      onRetry={r.reload}
      items={items}
      empty="没有逾期或即将到期的事项"
    />
  );
}
