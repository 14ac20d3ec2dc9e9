/**
 * 党内统计年报: the yearly tables of an org subtree as of a day (default 31 December), computed from the records,
 * with the cross-table checks first — each problem links to the page that fixes it — and the official-layout
 * .xlsx export. The org, day and open table are kept in the address (?orgId=&date=&table=).
 */
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { ORG_ADMINS, type AnnualCheck, type AnnualReport, type AnnualTable } from '@xianfeng/shared';
import { Button, Card, Collapse, DatePicker, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../platform/useUrlParams';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { useSubmit } from '../../platform/useSubmit';
import { OrgPicker } from '../org/OrgPicker';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

type Row = { key: string; label: string; orgId: string | null; values: number[] };

/** An official-style table: 单位 fixed at the left, columns under their group headers, 合计 in bold. */
function StatTable({ t }: { t: AnnualTable }) {
  const leaf = (i: number) => ({
    title: t.columns[i]!.label,
    key: t.columns[i]!.key,
    align: 'right' as const,
    width: Math.max(72, t.columns[i]!.label.length * 14 + 20),
    render: (_: unknown, r: Row) => r.values[i],
  });
  const columns: ColumnsType<Row> = [
    {
      title: '单位',
      key: 'label',
      fixed: 'left',
      width: 160,
      render: (_: unknown, r: Row) =>
        r.key === '0' ? (
          <strong>{r.label}</strong>
        ) : r.orgId ? (
          <Link to={`?orgId=${r.orgId}&table=${t.code}`}>{r.label}</Link>
        ) : (
          r.label
        ),
    },
  ];
  let i = 0;
  while (i < t.columns.length) {
    const group = t.columns[i]!.group;
    if (!group) {
      columns.push(leaf(i));
      i += 1;
      continue;
    }
    const children = [];
    while (i < t.columns.length && t.columns[i]!.group === group) children.push(leaf(i++));
    columns.push({ title: group, key: `g-${group}-${i}`, children });
  }
  const rows: Row[] = t.rows.map((r, n) => ({
    key: String(n),
    label: r.label,
    orgId: n === 0 ? null : r.orgId,
    values: r.values,
  }));
  return (
    <div data-testid={`annual-table-${t.code}`}>
      <div className="xf-annual-caption">
        <Typography.Text strong>{t.title}</Typography.Text>
        <Typography.Text type="secondary">
          {t.number}，计量单位：{t.unit}
        </Typography.Text>
      </div>
      <Table<Row>
        size="small"
        bordered
        pagination={false}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        rowClassName={(r) => (r.key === '0' ? 'xf-annual-total' : '')}
      />
      <Typography.Paragraph type="secondary" className="xf-dash-note">
        说明：{t.note}
      </Typography.Paragraph>
    </div>
  );
}

function CheckList({ checks }: { checks: AnnualCheck[] }) {
  const failing = checks.filter((c) => !c.ok);
  const passed = checks.filter((c) => c.ok);
  return (
    <Card
      size="small"
      data-testid="annual-checks"
      title={
        <Space wrap>
          <span>核对结果</span>
          {failing.length === 0 ? <Tag color="green">全部通过</Tag> : <Tag color="red">{failing.length} 项需处理</Tag>}
        </Space>
      }
    >
      {failing.length > 0 && (
        <Collapse
          size="small"
          items={failing.map((c) => ({
            key: c.code,
            label: (
              <Space wrap>
                <Tag color={c.level === 'warning' ? 'orange' : 'red'}>{c.level === 'warning' ? '提醒' : '未通过'}</Tag>
                <span>{c.message}</span>
              </Space>
            ),
            children: (
              <ul className="xf-dash-sub" data-testid={`annual-check-${c.code}`}>
                {c.items.map((it, n) => (
                  <li key={`${it.link}-${n}`}>
                    <Link to={it.link}>{it.label}</Link>
                    <Typography.Text type="secondary">：{it.detail}</Typography.Text>
                  </li>
                ))}
                {c.count > c.items.length && <li>……另有 {c.count - c.items.length} 条，请先处理以上各条后重新核对</li>}
              </ul>
            ),
          }))}
        />
      )}
      <Typography.Paragraph type="secondary" className="xf-dash-note">
        已通过：{passed.map((c) => c.message).join('；')}
      </Typography.Paragraph>
    </Card>
  );
}

export function AnnualReportPage() {
  const { current, can } = useAuth();
  const [params, set] = useUrlParams();
  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const date = params.get('date') ?? undefined;
  const tab = params.get('table') ?? 'changes';
  const r = useAsync(() => api.get<AnnualReport>('/stats/annual-report', { orgId, date }), [orgId, date]);
  const d = r.data;
  const { busyKey, run } = useSubmit('toast');
  return (
    <div className="xf-dash">
      <Card title="党内统计年报">
        <Space wrap size={[16, 8]}>
          <span>
            <label htmlFor="xf-annual-org">统计范围（组织）：</label>
            <OrgPicker
              value={orgId}
              onChange={(id) => id && set({ orgId: id })}
              style={{ minWidth: 220, maxWidth: '100%' }}
              id="xf-annual-org"
            />
          </span>
          <span>
            <label htmlFor="xf-annual-date">统计时间：</label>
            <DatePicker
              id="xf-annual-date"
              format="YYYY-MM-DD"
              allowClear={false}
              value={d ? dayjs(d.date) : date ? dayjs(date) : null}
              onChange={(v) => set({ date: v ? v.format('YYYY-MM-DD') : undefined })}
            />
          </span>
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={() => void r.reload()} loading={r.loading} aria-label="重新统计">
              重新统计
            </Button>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              loading={busyKey === 'report'}
              disabled={!d}
              onClick={() =>
                run(() => api.download('/stats/annual-report', { orgId, date: d?.date, format: 'xlsx' }), {
                  key: 'report',
                })
              }
            >
              导出 Excel
            </Button>
            {can(...ORG_ADMINS) && (
              <Button
                icon={<DownloadOutlined />}
                loading={busyKey === 'official'}
                onClick={() =>
                  run(() => api.download('/stats/official-export', { orgId }, 'POST'), { key: 'official' })
                }
                title="党员信息含完整身份证号和手机号，导出记入审计日志"
              >
                导出（全国党员管理信息系统）
              </Button>
            )}
          </Space>
          {d && (
            <Typography.Text type="secondary" data-testid="annual-asof">
              {d.org.orgName}：截至 {d.date}，本年变动自 {d.from} 起；计算于 {when(d.computedAt)}。党员总数{' '}
              {d.totals.members} 人（正式 {d.totals.full}，预备 {d.totals.probationary}）
            </Typography.Text>
          )}
        </Space>
      </Card>
      <LoadError error={r.error} onRetry={r.reload} />
      {!d && !r.error && <Card loading />}
      {d && <CheckList checks={d.checks} />}
      {d && (
        <Card size="small">
          <Tabs
            activeKey={d.tables.some((t) => t.code === tab) ? tab : 'changes'}
            onChange={(k) => set({ table: k })}
            items={d.tables.map((t) => ({ key: t.code, label: t.title, children: <StatTable t={t} /> }))}
          />
        </Card>
      )}
    </div>
  );
}
