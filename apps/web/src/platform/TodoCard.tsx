/**
 * The shape every 工作台 card takes: a title, a link to the module's page, and a short list of
 * what needs doing, most urgent first. Modules fill it from their own to-do routes.
 * Plain list markup, not antd's List: that one brings its pagination and select into every first load.
 */
import { Badge, Card, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { LoadError } from './LoadError';

export type TodoItem = { key: string; level: 'info' | 'warning' | 'critical'; text: ReactNode; extra?: ReactNode };

const COLORS = { info: 'blue', warning: 'orange', critical: 'red' } as const;

export function TodoCard(props: {
  title: string;
  link: string;
  linkText?: string;
  loading: boolean;
  error: string | null;
  onRetry?: () => unknown;
  items: TodoItem[];
  empty: string;
  max?: number;
}) {
  const max = props.max ?? 5;
  return (
    <Card
      size="small"
      title={props.title}
      extra={<Link to={props.link}>{props.linkText ?? '查看全部'}</Link>}
      className="xf-home-card"
    >
      <LoadError error={props.error} onRetry={props.onRetry} />
      {props.loading && props.items.length === 0 ? (
        <Skeleton active paragraph={{ rows: 2 }} title={false} />
      ) : props.items.length === 0 ? (
        <div className="xf-todo-empty">{props.empty}</div>
      ) : (
        <ul className="xf-todo-list" aria-busy={props.loading}>
          {props.items.slice(0, max).map((i) => (
            <li key={i.key} className="xf-todo-item">
              <Badge color={COLORS[i.level]} text={i.text} />
              {i.extra && <span className="xf-todo-extra">{i.extra}</span>}
            </li>
          ))}
        </ul>
      )}
      {props.items.length > max && <div className="xf-todo-more">另有 {props.items.length - max} 项</div>}
    </Card>
  );
}
