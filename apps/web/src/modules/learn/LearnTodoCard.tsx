/** 工作台 card of 学习教育: the signed-in person's required courses and exams not yet done. */
import type { LearnTodo } from '@xianfeng/shared';
import { api, type Page } from '../../platform/api';
import { TodoCard } from '../../platform/TodoCard';
import { useAsync } from '../../platform/useAsync';

export function LearnTodoCard() {
  const r = useAsync(() => api.get<Page<LearnTodo>>('/learn/me/todo'), []);
  const items = (r.data?.items ?? []).map((t) => ({
    key: t.id,
    level: t.overdue ? ('critical' as const) : ('info' as const),
    text: `${t.kind === 'exam' ? '考试' : '必修'}：${t.title}（${t.days === null ? '无截止日期' : t.overdue ? `已逾期 ${-t.days} 天` : `${t.days} 天后截止`}）`,
  }));
  return (
    <TodoCard
      title="学习待办"
      link="/learn"
      loading={r.loading}
      error={r.error}
      items={items}
      empty="必修内容都已学完"
    />
  );
}
