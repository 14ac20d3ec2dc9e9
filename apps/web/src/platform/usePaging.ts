/** Page and page size of a server-paged table, and the antd pagination that drives them. */
import { useState } from 'react';

export function usePaging(unit: string, initialPageSize = 20) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const pagination = (total: number) => ({
    current: page,
    pageSize,
    total,
    showTotal: (t: number) => `共 ${t} ${unit}`,
    onChange: (p: number, s: number) => {
      setPage(p);
      setPageSize(s);
    },
  });
  return { page, pageSize, setPage, pagination };
}
