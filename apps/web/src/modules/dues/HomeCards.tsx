/** 工作台 card of 党费: for a member their own dues (to pay, arrears, reminders); for the branch and above the work waiting. */
import type { RoleBinding } from '@xianfeng/shared';
import { api, type Page } from '../../platform/api';
import { TodoCard } from '../../platform/TodoCard';
import { useAsync } from '../../platform/useAsync';
import type { TodoItem } from './types';

export function DuesTodoCard({ binding }: { binding: RoleBinding }) {
  const member = binding.role === 'member';
  const r = useAsync(
    () => api.get<Page<TodoItem>>('/dues/todo', member ? {} : { orgId: binding.orgId }),
    [binding.orgId, member],
  );
  const rank = { critical: 0, warning: 1, info: 2 };
  const items = [...(r.data?.items ?? [])]
    .sort((a, b) => rank[a.level] - rank[b.level])
    .map((i) => ({ key: i.kind, level: i.level, text: i.message }));
  return (
    <TodoCard
      title={member ? '我的党费' : '党费待办'}
      link={member ? '/my/dues' : '/dues'}
      linkText={member ? '去看看' : '党费管理'}
      loading={r.loading}
      error={r.error}
      onRetry={r.reload}
      items={items}
      empty={member ? '党费已交清，谢谢您按时交纳' : '没有需要处理的党费事项'}
    />
  );
}
