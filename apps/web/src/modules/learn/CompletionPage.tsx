/**
 * 学习完成情况 (org department view): for one required item or exam, the org's members bound by it and how many
 * completed (or passed), the same for each org directly below (click to go down), who is behind, a one-click
 * reminder to them and the Excel export.
 */
import {
  LEARN_AUDIENCE_LABELS,
  RECORD_KEEPERS,
  type BehindRow,
  type Completion,
  type OfflineReply,
  type RemindReply,
} from '@xianfeng/shared';
import { App, Button, Card, List, Progress, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import './learn.css';
import { useSubmit } from '../../platform/useSubmit';

type Line = Completion['total'];
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

export function CompletionPage() {
  const { what = 'items', id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const orgId = params.get('orgId') ?? undefined;
  const { current: binding } = useAuth();
  const { message } = App.useApp();
  const exam = what === 'exams';
  type Q = { orgId?: string; page?: number; pageSize?: number };
  // Literal paths per kind (the web-contract test reads them).
  const calls = exam
    ? {
        completion: (q: Q) => api.get<Completion>(`/learn-exams/${id}/completion`, q),
        behind: (q: Q) => api.get<Page<BehindRow>>(`/learn-exams/${id}/behind`, q),
        remind: () =>
          api.post<RemindReply>(orgId ? `/learn-exams/${id}/remind?orgId=${orgId}` : `/learn-exams/${id}/remind`),
        exportXlsx: () => api.download(`/learn-exams/${id}/completion/export`, { orgId }, 'POST'),
      }
    : {
        completion: (q: Q) => api.get<Completion>(`/learn-items/${id}/completion`, q),
        behind: (q: Q) => api.get<Page<BehindRow>>(`/learn-items/${id}/behind`, q),
        remind: () =>
          api.post<RemindReply>(orgId ? `/learn-items/${id}/remind?orgId=${orgId}` : `/learn-items/${id}/remind`),
        exportXlsx: () => api.download(`/learn-items/${id}/completion/export`, { orgId }, 'POST'),
      };
  const done = exam ? '通过' : '完成';
  const kids = usePaging('个组织', 10);
  const people = usePaging('人');
  const c = useAsync(
    () => calls.completion({ orgId, page: kids.page, pageSize: kids.pageSize }),
    [exam, id, orgId, kids.page, kids.pageSize],
  );
  const b = useAsync(
    () => calls.behind({ orgId, page: people.page, pageSize: people.pageSize }),
    [exam, id, orgId, people.page, people.pageSize],
  );
  const { busyKey: busy, run } = useSubmit('toast');
  const keeper = Boolean(binding && allows(RECORD_KEEPERS, binding.role));
  /** 登记线下学习: an 入党积极分子/发展对象 (no account) completed the course with the branch. */
  const registerOffline = async (r: BehindRow) => {
    await run(
      async () => {
        const x = await api.post<OfflineReply>(`/learn-items/${id}/offline`, { personIds: [r.memberId] });
        void message.success(x.registered ? `已登记 ${r.name} 完成学习` : `${r.name} 已登记过`);
        b.reload();
        c.reload();
      },
      { key: r.memberId },
    );
  };
  const d = c.data;
  const go = (o: string) => {
    kids.setPage(1);
    people.setPage(1);
    setParams({ orgId: o });
  };
  const remind = async () => {
    await run(
      async () => {
        const r = await calls.remind();
        void message.success(
          `已提醒 ${r.reminded} 人${r.already ? `（${r.already} 人今天已提醒过）` : ''}${r.withoutAccount ? `；${r.withoutAccount} 人未开通账号，请线下通知` : ''}`,
        );
      },
      { key: 'remind' },
    );
  };
  const exportXlsx = async () => {
    await run(
      async () => {
        await calls.exportXlsx();
      },
      { key: 'export' },
    );
  };
  const columns = [
    {
      title: '党组织',
      dataIndex: 'orgName',
      render: (name: string, l: Line) => (
        <Button type="link" style={{ padding: 0, whiteSpace: 'normal', textAlign: 'left' }} onClick={() => go(l.orgId)}>
          {name}
        </Button>
      ),
    },
    { title: exam ? '应考' : '应学', dataIndex: 'assigned', width: 70 },
    { title: `已${done}`, dataIndex: 'completed', width: 70 },
    {
      title: `${done}率`,
      dataIndex: 'rate',
      width: 110,
      render: (r: number | null) => (r === null ? '—' : <Progress percent={Math.round(r * 1000) / 10} size="small" />),
    },
    ...(exam ? [{ title: '平均分', dataIndex: 'avgScore', width: 70, render: (v: number | null) => v ?? '—' }] : []),
  ];
  return (
    <div className="xf-learn" data-testid="learn-completion">
      <Link to="/learn?tab=manage">← 返回学习管理</Link>
      <LoadError error={c.error} onRetry={c.reload} />
      {d && (
        <>
          <Card
            className="xf-learn-card"
            style={{ marginTop: 12 }}
            title={
              <span style={{ whiteSpace: 'normal' }}>
                {d.title}
                {d.required && (
                  <Tag color="volcano" style={{ marginLeft: 8 }}>
                    {exam ? '必考' : '必修'}
                  </Tag>
                )}
                {d.audience !== 'all' && <Tag color="blue">面向{LEARN_AUDIENCE_LABELS[d.audience]}</Tag>}
              </span>
            }
          >
            <Typography.Paragraph>
              <Typography.Text strong>{d.total.orgName}</Typography.Text>
              {d.dueOn && <Typography.Text type="secondary">（截止 {d.dueOn}）</Typography.Text>}
              {orgId && (
                <Button type="link" onClick={() => setParams({})}>
                  回到本组织
                </Button>
              )}
            </Typography.Paragraph>
            <div className="xf-learn-stats">
              <Statistic title={exam ? '应考人数' : '应学人数'} value={d.total.assigned} />
              <Statistic title={`已${done}`} value={d.total.completed} data-testid="completion-done" />
              <Statistic title={`${done}率`} value={pct(d.total.rate)} />
              {exam && <Statistic title="平均分" value={d.total.avgScore ?? '—'} />}
            </div>
            <Space wrap style={{ marginTop: 12 }}>
              {d.required && d.audience !== 'activist' && keeper && (
                <Button type="primary" loading={busy === 'remind'} onClick={() => void remind()}>
                  提醒未{done}的党员
                </Button>
              )}
              <Button loading={busy === 'export'} onClick={() => void exportXlsx()}>
                导出 Excel
              </Button>
            </Space>
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              {d.note}。统计时间：
              {new Date(d.asOf).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}
            </Typography.Paragraph>
          </Card>
          {d.children.total > 0 && (
            <Card title="下级组织" className="xf-learn-card">
              <Table
                size="small"
                rowKey="orgId"
                columns={columns}
                dataSource={d.children.items}
                pagination={d.children.total > kids.pageSize ? kids.pagination(d.children.total) : false}
                scroll={{ x: 'max-content' }}
              />
            </Card>
          )}
        </>
      )}
      <Card
        title={`未${done}的${d?.audience === 'activist' ? '入党积极分子和发展对象' : d?.audience === 'probationary' ? '预备党员' : '党员'}${b.data ? `（${b.data.total} 人）` : ''}`}
        className="xf-learn-card"
      >
        <LoadError error={b.error} onRetry={b.reload} />
        <List
          loading={b.loading}
          dataSource={b.data?.items ?? []}
          pagination={
            b.data && b.data.total > people.pageSize ? { ...people.pagination(b.data.total), simple: true } : false
          }
          locale={{ emptyText: `全部${done}了` }}
          renderItem={(r) => (
            <List.Item
              actions={
                r.person && keeper && !exam
                  ? [
                      <Button
                        key="offline"
                        size="small"
                        loading={busy === r.memberId}
                        onClick={() => void registerOffline(r)}
                      >
                        登记线下学习
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <span>
                    {r.person ? r.name : <Link to={`/members/${r.memberId}`}>{r.name}</Link>}
                    {r.person ? (
                      <Tag style={{ marginLeft: 8 }}>入党积极分子/发展对象</Tag>
                    ) : (
                      !r.hasAccount && <Tag style={{ marginLeft: 8 }}>未开通账号</Tag>
                    )}
                  </span>
                }
                description={`${r.orgName} · ${
                  r.progress === null ? '未开始' : exam ? `最高 ${r.progress} 分` : `进度 ${r.progress}%`
                }${r.lastActive ? ` · 最近 ${r.lastActive.slice(0, 10)}` : ''}`}
              />
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
