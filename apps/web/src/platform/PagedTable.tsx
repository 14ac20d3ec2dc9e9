/**
 * One server-paged list of records: the load error with its 「重试」 above the table, the rows and the total of one
 * `Page<T>` load (a `useAsync` result), and the page controls of a `usePaging`. Some twenty list pages (notify,
 * voice, supervise, assess, service, thought, dues) wrote these lines out by hand (issue #15); a page now passes only
 * what differs — its columns, scroll, size, empty text — as the antd Table's own props. `onOpen` makes a click
 * anywhere on a row open that record (with the pointer cursor), as those pages did with `onRow`.
 */
import { Table, type TablePaginationConfig, type TableProps } from 'antd';
import type { Page } from './api';
import { LoadError } from './LoadError';

/** What `useAsync` gives for a paged read. */
export type PagedLoad<T> = {
  data?: Page<T>;
  error: string | null;
  loading: boolean;
  reload: () => unknown;
};

export type PagedTableProps<T> = Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'> & {
  list: PagedLoad<T>;
  /** `usePaging(…).pagination`, or a function that adds to it (e.g. `align`). */
  pagination: (total: number) => TablePaginationConfig;
  onOpen?: (row: T) => void;
};

export function PagedTable<T extends object>({ list, pagination, onOpen, ...table }: PagedTableProps<T>) {
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<T>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={pagination(list.data?.total ?? 0)}
        onRow={onOpen && ((row) => ({ onClick: () => onOpen(row), style: { cursor: 'pointer' } }))}
        {...table}
      />
    </>
  );
}
