/**
 * The shape every 工作台 card takes: a title, a link to the module's page, and a short list of
 * what needs doing, most urgent first. Modules fill it from their own to-do routes.
 */
import { Badge, Card, List, Typography } from 'antd';
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
      <List
        size="small"
        loading={props.loading}
        locale={{ emptyText: props.empty }}
        dataSource={props.items.slice(0, max)}
        footer={
          props.items.length > max ? (
            <Typography.Text type="secondary">另有 {props.items.length - max} 项</Typography.Text>
          ) : undefined
        }
        renderItem={(i) => (
          <List.Item extra={i.extra}>
            <Badge color={COLORS[i.level]} text={i.text} />
          </List.Item>
        )}
      />
    </Card>
  );
}
