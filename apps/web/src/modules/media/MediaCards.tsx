/** 工作台 cards of 宣传: unread 必读 notices (a to-do), and the latest news (the phone home's feed). */
import type { ArticleBrief, MediaTodo } from '@xianfeng/shared';
import { Card } from 'antd';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { TodoCard } from '../../platform/TodoCard';
import { useAsync } from '../../platform/useAsync';
import { NewsList } from './NewsList';

export function MustReadCard() {
  const r = useAsync(() => api.get<Page<MediaTodo>>('/media/me/todo', { pageSize: 20 }), []);
  const items = (r.data?.items ?? []).map((t) => ({
    key: t.id,
    level: 'warning' as const,
    text: <Link to={`/media/articles/${t.id}`}>必读：{t.title}</Link>,
  }));
  return (
    <TodoCard
      title="必读通知"
      link="/media"
      loading={r.loading}
      error={r.error}
      onRetry={r.reload}
      items={items}
      empty="必读通知都已阅读"
    />
  );
}

export function NewsCard() {
  const r = useAsync(() => api.get<Page<ArticleBrief>>('/media/articles', { pageSize: 5 }), []);
  return (
    <Card size="small" title="新闻动态" extra={<Link to="/media">更多</Link>} className="xf-home-card">
      <LoadError error={r.error} onRetry={r.reload} />
      <NewsList items={r.data?.items ?? []} loading={r.loading} />
    </Card>
  );
}
