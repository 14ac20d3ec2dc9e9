/**
 * One 发言 of a meeting as a list row: who (and 线上), when, what. The host's online tab and a member's meeting room
 * list the same statements; its own file so the room's page and the home's cards do not share a List through labels.
 */
import { List, Typography } from 'antd';
import { timeOnly, type Statement } from './labels';

export function StatementItem({ s }: { s: Statement }) {
  return (
    <List.Item>
      <div>
        <Typography.Text strong>
          {s.name}
          {s.online ? '（线上）' : ''}
        </Typography.Text>{' '}
        <Typography.Text type="secondary">{timeOnly(s.createdAt)}</Typography.Text>
        <div className="xf-wrap">{s.text}</div>
      </div>
    </List.Item>
  );
}
