/**
 * The thought reports of one development record (its written reports and, once admitted, the member's own), for the
 * 考察 on the 发展党员 person page. Record keepers only (the route refuses others).
 */
import { periodLabel, type ThoughtReportDetail } from '@xianfeng/shared';
import { Card, Empty, Pagination, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { fmtDay, MarkTag } from './labels';

export function PersonThoughtReports({ personId }: { personId: string }) {
  const [page, setPage] = useState(1);
  const list = useAsync(
    () => api.get<Page<ThoughtReportDetail>>(`/thought-persons/${personId}/reports`, { page, pageSize: 5 }),
    [personId, page],
  );
  return (
    <Card title="思想汇报" className="xf-thought-person">
      <LoadError error={list.error} onRetry={list.reload} />
      {list.data?.items.length === 0 && (
        <Empty description="尚无思想汇报（书面汇报在「思想汇报管理 → 本期未交」登记）" />
      )}
      {list.data?.items.map((r) => (
        <div key={r.id} style={{ marginBottom: 12 }}>
          <div className="xf-thought-meta">
            <Typography.Text strong>{r.title}</Typography.Text> · {periodLabel(r.period)} · {r.paper ? '收到' : '提交'}
            于 {fmtDay(r.submittedAt)} {r.paper && <Tag>书面</Tag>}
            <MarkTag mark={r.mark} />
          </div>
          {r.text && (
            <Typography.Paragraph className="xf-thought-text" ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}>
              {r.text}
            </Typography.Paragraph>
          )}
          {r.comment && (
            <div className="xf-thought-feedback">
              <div className="xf-thought-feedback-head">{r.commentedBy} 批阅</div>
              {r.comment}
            </div>
          )}
        </div>
      ))}
      {list.data && list.data.total > 5 && (
        <Pagination simple current={page} pageSize={5} total={list.data.total} onChange={setPage} />
      )}
    </Card>
  );
}
