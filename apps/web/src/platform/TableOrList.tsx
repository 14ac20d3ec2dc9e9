/**
 * One paged list of records shown the way the screen allows: a table with columns on a desktop, a list of cards on a
 * phone (where columns would make the page scroll sideways). The caller gives both renderings and one pagination.
 */
import { Grid, List, Table, type TableColumnsType } from 'antd';
import type { ReactNode } from 'react';

export type TableOrListProps<T> = {
  rowKey: keyof T & string;
  items: T[];
  loading: boolean;
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  empty: string;
  columns: TableColumnsType<T>;
  /** One record on a phone: usually a List.Item with its Meta. */
  renderItem: (item: T) => ReactNode;
};

export function TableOrList<T extends object>(p: TableOrListProps<T>) {
  const screens = Grid.useBreakpoint();
  const pagination = { current: p.page, pageSize: p.pageSize, total: p.total, onChange: p.onPage, simple: !screens.md };
  return screens.md ? (
    <Table<T>
      rowKey={p.rowKey}
      size="middle"
      loading={p.loading}
      dataSource={p.items}
      pagination={pagination}
      locale={{ emptyText: p.empty }}
      columns={p.columns}
    />
  ) : (
    <List<T>
      loading={p.loading}
      dataSource={p.items}
      pagination={{ ...pagination, align: 'center' }}
      locale={{ emptyText: p.empty }}
      renderItem={p.renderItem}
    />
  );
}
