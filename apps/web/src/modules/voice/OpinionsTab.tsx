/**
 * 意见建议办理台 (desktop): the items of an org subtree with filters, overdue first to see, and the
 * Excel export; a row opens the item to assign, transfer, answer, publish and close.
 */
import { DownloadOutlined } from '@ant-design/icons';
import {
  OPINION_STATUS_LABELS,
  OPINION_STATUSES,
  type Opinion,
  type OpinionStatus,
  type VoiceOverview,
} from '@xianfeng/shared';
import { Button, Checkbox, Input, Select, Statistic } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { PagedTable } from '../../platform/PagedTable';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { CategoryTag, OpinionStatusTag } from './labels';
import { useSubmit } from '../../platform/useSubmit';

export function OpinionsTab({ orgId }: { orgId: string | undefined }) {
  const navigate = useNavigate();
  const { busy, run } = useSubmit('toast');
  const [status, setStatus] = useState<OpinionStatus | undefined>();
  // The 驾驶舱's overdue warning opens the queue with `overdue=1`.
  const [params] = useSearchParams();
  const [overdue, setOverdue] = useState(params.get('overdue') === '1');
  const [q, setQ] = useState('');
  const { page, pageSize, setPage, pagination } = usePaging('条');
  const filter = { orgId, status, overdue: overdue || undefined, q: q || undefined };
  const list = useAsync(
    () => api.get<Page<Opinion>>('/voice/opinions', { ...filter, page, pageSize }),
    [orgId, status, overdue, q, page, pageSize],
  );
  const overview = useAsync(() => api.get<VoiceOverview>('/voice/overview', { orgId }), [orgId]);
  const o = overview.data;
  return (
    <>
      {o && (
        <div className="xf-stat-grid xf-voice-stats">
          <Statistic title="待办意见建议" value={o.openOpinions} suffix="条" />
          <Statistic
            title="逾期未答复"
            value={o.overdueOpinions}
            suffix="条"
            valueStyle={o.overdueOpinions ? { color: '#cf1322' } : undefined}
          />
          <Statistic
            title={o.averageRating ? `答复满意度（近一年 ${o.ratedCount} 人评价）` : '答复满意度（近一年）'}
            value={o.averageRating ?? '—'}
            suffix={o.averageRating ? '/ 5' : ''}
          />
          <Statistic
            title={o.latestSatisfaction ? `最近测评：${o.latestSatisfaction.title}` : '最近满意度测评'}
            value={o.latestSatisfaction?.score ?? '—'}
            suffix={o.latestSatisfaction?.score !== null && o.latestSatisfaction ? '分' : ''}
          />
        </div>
      )}
      <div className="xf-toolbar">
        <Select
          aria-label="状态"
          allowClear
          placeholder="全部状态"
          style={{ width: 130 }}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={OPINION_STATUSES.map((s) => ({ value: s, label: OPINION_STATUS_LABELS[s] }))}
        />
        <Checkbox
          checked={overdue}
          onChange={(e) => {
            setOverdue(e.target.checked);
            setPage(1);
          }}
        >
          只看逾期
        </Checkbox>
        <Input.Search
          aria-label="搜索标题"
          placeholder="搜索标题"
          allowClear
          style={{ width: 200 }}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
        />
        <Button
          icon={<DownloadOutlined />}
          loading={busy}
          onClick={() =>
            run(() =>
              api.download('/voice/opinions/export', {
                orgId,
                status,
                overdue: overdue || undefined,
                q: q || undefined,
              }),
            )
          }
        >
          导出 Excel
        </Button>
      </div>
      <PagedTable<Opinion>
        size="middle"
        list={list}
        pagination={pagination}
        scroll={{ x: 900 }}
        locale={{ emptyText: '没有意见建议' }}
        onOpen={(r) => navigate(`/voice/opinions/${r.id}`)}
        columns={[
          { title: '提交日期', dataIndex: 'submittedOn', width: 110 },
          {
            title: '标题',
            dataIndex: 'title',
            render: (t: string, r) => (
              <>
                <CategoryTag c={r.category} /> <a>{t}</a>
              </>
            ),
          },
          {
            title: '提交人',
            dataIndex: 'authorName',
            width: 110,
            render: (n: string | null, r) => (r.anonymous ? '匿名' : n),
          },
          { title: '党组织', dataIndex: 'orgName', width: 170 },
          { title: '状态', dataIndex: 'status', width: 150, render: (_: unknown, r) => <OpinionStatusTag o={r} /> },
          { title: '答复期限', dataIndex: 'dueOn', width: 110 },
          {
            title: '满意度',
            dataIndex: 'rating',
            width: 80,
            render: (v: number | null) => (v === null ? '' : `${v}/5`),
          },
        ]}
      />
    </>
  );
}
