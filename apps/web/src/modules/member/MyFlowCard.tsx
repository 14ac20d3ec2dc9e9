/**
 * The 流动党员报到 card of the home page (the page itself is MyFlowPage.tsx). Its own small file: it is on a member's
 * first load, and the page's form is not.
 */
import { todayInChina, type MyFlow } from '@xianfeng/shared';
import { api } from '../../platform/api';
import { TodoCard } from '../../platform/TodoCard';
import { useAsync } from '../../platform/useAsync';

export const useMyFlow = () => useAsync(() => api.get<{ flow: MyFlow | null }>('/me/flow'), []);

/** 工作台: shown to a flowing member only (nothing for everyone else). */
export function MyFlowCard() {
  const r = useMyFlow();
  const f = r.data?.flow;
  if (!f) return null;
  const today = todayInChina();
  const level = f.lostOn <= today || f.contactDueOn <= today ? ('warning' as const) : ('info' as const);
  return (
    <TodoCard
      title="流动党员报到"
      link="/my/flow"
      loading={r.loading}
      error={null}
      items={[
        {
          key: 'flow',
          level,
          text: f.today
            ? `今天已向${f.orgName}报到`
            : f.contactDueOn <= today
              ? `应向${f.orgName}报到（上次联系 ${f.lastContactOn}）`
              : `上次联系 ${f.lastContactOn}，${f.contactDueOn} 前再报到`,
        },
      ]}
      empty=""
    />
  );
}
