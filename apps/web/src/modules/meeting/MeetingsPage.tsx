/**
 * 组织生活 (secretary): the meetings of the acting org's subtree, filtered by org, kind, status
 * and period (kept in the address), paged by the server; 新建会议, 年度计划 and the 台账 of the
 * chosen period. On a phone the table becomes a list of cards.
 */
import { CalendarOutlined, DownloadOutlined, PlusOutlined, ScheduleOutlined } from '@ant-design/icons';
import { Button, Card, Dropdown, Grid, Input, List, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useUrlPaging, useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { OrgFilter } from '../org/OrgPicker';
import { MeetingFormModal } from './MeetingForm';
import {
  KindTag,
  kindOptions,
  monthOptions,
  StatusTag,
  statusOptions,
  thisYear,
  when,
  yearOptions,
  type Meeting,
} from './labels';
import { LoadError } from '../../platform/LoadError';
import { RECORD_KEEPERS } from '@xianfeng/shared';
import { useSubmit } from '../../platform/useSubmit';

export function MeetingsPage() {
  const { current, can } = useAuth();
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const [params, set] = useUrlParams();
  const [creating, setCreating] = useState(false);
  const { busy, run } = useSubmit('toast');
  const manager = can(...RECORD_KEEPERS);

  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const kind = params.get('kind') ?? undefined;
  const status = params.get('status') ?? undefined;
  const year = params.has('year') ? Number(params.get('year')) || undefined : thisYear();
  const month = params.get('month') ? Number(params.get('month')) : undefined;
  const q = params.get('q') ?? '';
  const { page, pageSize, pagination } = useUrlPaging('次');

  const list = useAsync(
    () =>
      api.get<Page<Meeting>>('/meetings', {
        orgId,
        kind,
        status,
        year,
        month: year ? month : undefined,
        q,
        page,
        pageSize,
      }),
    [orgId, kind, status, year, month, q, page, pageSize],
  );

  const ledger = (format: 'docx' | 'pdf') => async () => {
    await run(async () => {
      await api.download(`/orgs/${orgId}/meeting-ledger`, { year: year ?? thisYear(), month, format });
    });
  };

  const empty = list.error ? (
    <LoadError error={list.error} onRetry={list.reload} style={{ margin: 0, textAlign: 'left' }} />
  ) : (
    '没有符合条件的会议'
  );
  return (
    <Card
      title={
        <span>
          <CalendarOutlined /> 组织生活
        </span>
      }
      className="xf-meetings"
    >
      <div className="xf-toolbar">
        <OrgFilter className="xf-org-filter" value={orgId} onPick={(orgId) => set({ orgId })} />
        <Input.Search
          key={q}
          className="xf-meeting-search"
          defaultValue={q}
          allowClear
          enterButton="搜索"
          placeholder="会议名称"
          aria-label="搜索会议"
          onSearch={(v) => set({ q: v.trim() })}
        />
      </div>
      <div className="xf-filters">
        <Select
          allowClear
          placeholder="会议类型"
          aria-label="会议类型"
          options={kindOptions}
          value={kind}
          onChange={(v) => set({ kind: v })}
        />
        <Select
          allowClear
          placeholder="状态"
          aria-label="状态"
          options={statusOptions}
          value={status}
          onChange={(v) => set({ status: v })}
        />
        <Select
          allowClear
          placeholder="全部年份"
          aria-label="年份"
          options={yearOptions()}
          value={year}
          onChange={(v?: number) => set({ year: v ?? 'all', month: undefined })}
        />
        <Select
          allowClear
          placeholder="全年"
          aria-label="月份"
          options={monthOptions}
          value={month}
          disabled={!year}
          onChange={(v?: number) => set({ month: v })}
        />
      </div>
      <div className="xf-toolbar">
        {manager && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建会议
          </Button>
        )}
        {manager && (
          <Button icon={<ScheduleOutlined />} onClick={() => navigate('/meetings/plan')}>
            年度计划
          </Button>
        )}
        <Dropdown
          menu={{
            items: [
              { key: 'docx', label: 'Word（.docx）', onClick: () => void ledger('docx')() },
              { key: 'pdf', label: 'PDF', onClick: () => void ledger('pdf')() },
            ],
          }}
        >
          <Button icon={<DownloadOutlined />} loading={busy}>
            下载台账（{year ?? thisYear()}年{month ? `${month}月` : ''}）
          </Button>
        </Dropdown>
      </div>
      {/* A failed load is said where the rows would be, with 重试 — never as 「没有符合条件的会议」 (#16).
          Above the table only when earlier rows are still shown. */}
      {(list.data?.items.length ?? 0) > 0 && <LoadError error={list.error} onRetry={list.reload} />}
      {phone ? (
        <List<Meeting>
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: empty }}
          pagination={{ ...pagination(list.data?.total ?? 0), align: 'center' }}
          header={list.data ? <Typography.Text type="secondary">共 {list.data.total} 次</Typography.Text> : undefined}
          renderItem={(m) => (
            <List.Item className="xf-meeting-card" onClick={() => navigate(`/meetings/${m.id}`)}>
              <div style={{ width: '100%', minWidth: 0 }}>
                <div className="xf-meeting-card-title">
                  <Link to={`/meetings/${m.id}`}>{m.title}</Link>
                </div>
                <div className="xf-meeting-card-line">
                  <KindTag kind={m.kind} />
                  <StatusTag status={m.status} />
                  {m.status !== 'planned' && m.counts.invited > 0 && (
                    <span>
                      签到 {m.counts.signedIn}/{m.counts.invited}
                    </span>
                  )}
                </div>
                <div className="xf-meeting-card-line">{when(m)}</div>
                <div className="xf-meeting-card-line">
                  {m.orgName} · {m.location}
                </div>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<Meeting>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items}
          pagination={pagination(list.data?.total ?? 0)}
          scroll={{ x: 960 }}
          locale={{ emptyText: empty }}
          onRow={(m) => ({ onDoubleClick: () => navigate(`/meetings/${m.id}`) })}
          columns={[
            {
              title: '会议名称',
              dataIndex: 'title',
              render: (v: string, m) => <Link to={`/meetings/${m.id}`}>{v}</Link>,
            },
            { title: '类型', dataIndex: 'kind', width: 120, render: (_, m) => <KindTag kind={m.kind} /> },
            { title: '时间', width: 230, render: (_, m) => when(m) },
            { title: '组织', dataIndex: 'orgName', width: 180, ellipsis: true },
            { title: '状态', width: 90, render: (_, m) => <StatusTag status={m.status} /> },
            {
              title: '回执 / 签到',
              width: 130,
              render: (_, m) =>
                m.counts.invited > 0 ? (
                  <span>
                    {m.counts.confirmed + m.counts.leave}/{m.counts.invited} · {m.counts.signedIn} 到
                  </span>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      )}
      <MeetingFormModal
        open={creating}
        onClose={(saved) => {
          setCreating(false);
          if (saved) navigate(`/meetings/${saved.id}`);
        }}
      />
    </Card>
  );
}
