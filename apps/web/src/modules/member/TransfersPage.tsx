/**
 * 组织关系转接: transfers waiting for this org to receive them (接收 / 退回), transfers this
 * org sent that wait for the other side, and the history.
 */
import { SwapOutlined } from '@ant-design/icons';
import { RECORD_KEEPERS, type Org } from '@xianfeng/shared';
import { App as AntApp, Button, Card, Empty, Grid, Input, List, Modal, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { transferStatusTag } from './RelationTab';
import { letterUrl, type Transfer } from './transfers';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

const statusOptions = [
  { value: 'pending', label: '待接收' },
  { value: 'done', label: '已完成' },
  { value: 'rejected', label: '已退回' },
];

/** Which receiving orgs the user covers: GET /orgs/:id answers 404 outside one's scope. */
async function coveredOrgs(ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        await api.get<Org>(`/orgs/${id}`);
        out.add(id);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    }),
  );
  return out;
}

export function TransfersPage() {
  const { current, can } = useAuth();
  const { message } = AntApp.useApp();
  const screens = Grid.useBreakpoint();
  const orgId = current?.orgId ?? '';
  const manager = can(...RECORD_KEEPERS);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [rejecting, setRejecting] = useState<Transfer | null>(null);
  const [note, setNote] = useState('');
  const { busyKey: busy, run } = useSubmit('toast');

  const pending = useAsync(async () => {
    const list = (await api.get<Page<Transfer>>('/transfers', { orgId, status: 'pending', pageSize: 200 })).items;
    const mine = await coveredOrgs([...new Set(list.map((t) => t.toOrgId).filter((x): x is string => Boolean(x)))]);
    return {
      incoming: list.filter((t) => t.toOrgId && mine.has(t.toOrgId)),
      outgoing: list.filter((t) => !(t.toOrgId && mine.has(t.toOrgId))),
    };
  }, [orgId]);
  const history = useAsync(
    () => api.get<Page<Transfer>>('/transfers', { orgId, status, page, pageSize: 20 }),
    [orgId, status, page],
  );

  const decide = async (t: Transfer, accept: boolean, why = '') => {
    await run(
      async () => {
        await api.post(`/transfers/${t.id}/decision`, { accept, note: why });
        message.success(accept ? `已接收「${t.memberName}」的组织关系` : `已退回「${t.memberName}」的转接申请`);
        setRejecting(null);
        await Promise.all([pending.reload(), history.reload()]);
      },
      { key: t.id },
    );
  };

  const incoming = pending.data?.incoming ?? [];
  const outgoing = pending.data?.outgoing ?? [];
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <span>
            <SwapOutlined /> 待本组织接收（{incoming.length}）
          </span>
        }
      >
        <LoadError error={pending.error} onRetry={pending.reload} />
        <List<Transfer>
          loading={pending.loading}
          dataSource={incoming}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有待接收的转接" /> }}
          renderItem={(t) => (
            <List.Item className="xf-transfer-item">
              <div className="xf-transfer-body">
                <div className="xf-wrap">
                  <Link to={`/members/${t.memberId}`}>
                    <Typography.Text strong>{t.memberName}</Typography.Text>
                  </Link>
                  ：{t.fromOrgName} → {t.toOrgName}
                </div>
                <Typography.Text type="secondary" className="xf-wrap">
                  原因：{t.reason} · 申请于 {dayjs(t.requestedAt).format('YYYY-MM-DD')}
                </Typography.Text>
              </div>
              {manager && (
                <Space wrap>
                  <Button type="primary" loading={busy === t.id} onClick={() => void decide(t, true)}>
                    接收
                  </Button>
                  <Button
                    onClick={() => {
                      setNote('');
                      setRejecting(t);
                    }}
                  >
                    退回
                  </Button>
                </Space>
              )}
            </List.Item>
          )}
        />
      </Card>
      {outgoing.length > 0 && (
        <Card title={`已转出、等待对方接收（${outgoing.length}）`} size="small">
          <List<Transfer>
            dataSource={outgoing}
            renderItem={(t) => (
              <List.Item>
                <span className="xf-wrap">
                  <Link to={`/members/${t.memberId}`}>{t.memberName}</Link>：{t.fromOrgName} → {t.toOrgName}（
                  {dayjs(t.requestedAt).format('YYYY-MM-DD')} 申请）
                </span>
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card title="转接记录">
        <div className="xf-toolbar">
          <Select
            allowClear
            placeholder="全部状态"
            options={statusOptions}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            style={{ width: 140 }}
            aria-label="转接状态"
          />
        </div>
        <LoadError error={history.error} onRetry={history.reload} />
        {!screens.md ? (
          <List<Transfer>
            loading={history.loading}
            dataSource={history.data?.items ?? []}
            locale={{ emptyText: '暂无转接记录' }}
            pagination={{
              current: page,
              pageSize: 20,
              total: history.data?.total ?? 0,
              onChange: setPage,
              simple: true,
              align: 'center',
            }}
            renderItem={(t) => (
              <List.Item>
                <div className="xf-transfer-body">
                  <div className="xf-wrap">
                    <Link to={`/members/${t.memberId}`}>{t.memberName}</Link> {transferStatusTag(t.status)}
                  </div>
                  <div className="xf-wrap">
                    {t.fromOrgName} → {t.toOrgName ?? t.destination}
                  </div>
                  <Typography.Text type="secondary" className="xf-wrap">
                    {dayjs(t.requestedAt).format('YYYY-MM-DD')} · {t.reason}
                    {t.direction === 'out' && (
                      <>
                        {' · '}
                        <a href={letterUrl(t.id)} target="_blank" rel="noreferrer">
                          介绍信 {t.letterNo}
                        </a>
                      </>
                    )}
                  </Typography.Text>
                </div>
              </List.Item>
            )}
          />
        ) : (
          <Table<Transfer>
            rowKey="id"
            size="small"
            loading={history.loading}
            dataSource={history.data?.items}
            scroll={{ x: 860 }}
            pagination={{
              current: page,
              pageSize: 20,
              total: history.data?.total ?? 0,
              onChange: setPage,
              simple: !screens.md,
              showTotal: (n) => `共 ${n} 条`,
            }}
            columns={[
              {
                title: '申请日期',
                dataIndex: 'requestedAt',
                width: 110,
                render: (v: string) => dayjs(v).format('YYYY-MM-DD'),
              },
              {
                title: '党员',
                dataIndex: 'memberName',
                width: 100,
                render: (v: string, t) => <Link to={`/members/${t.memberId}`}>{v}</Link>,
              },
              { title: '转出组织', dataIndex: 'fromOrgName' },
              { title: '转入', render: (_, t) => t.toOrgName ?? t.destination },
              { title: '原因', dataIndex: 'reason', ellipsis: true },
              { title: '状态', dataIndex: 'status', width: 90, render: transferStatusTag },
              {
                title: '介绍信',
                width: 110,
                render: (_, t) =>
                  t.direction === 'out' ? (
                    <a href={letterUrl(t.id)} target="_blank" rel="noreferrer">
                      {t.letterNo}
                    </a>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        )}
      </Card>
      <Modal
        title={`退回「${rejecting?.memberName ?? ''}」的转接申请`}
        open={Boolean(rejecting)}
        onCancel={() => setRejecting(null)}
        okText="退回"
        okButtonProps={{ danger: true, disabled: !note.trim() }}
        confirmLoading={busy === rejecting?.id}
        onOk={() => rejecting && void decide(rejecting, false, note.trim())}
      >
        <Typography.Paragraph>请说明退回原因，转出组织会看到：</Typography.Paragraph>
        <Input.TextArea
          rows={3}
          maxLength={200}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-label="退回原因"
        />
      </Modal>
    </Space>
  );
}
