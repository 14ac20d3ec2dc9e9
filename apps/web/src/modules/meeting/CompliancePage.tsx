/**
 * 合规检查: for an org and a year (or a quarter or month so far), each cadence rule with what
 * is required, what happened, ok or not and the regulation it comes from; then the branches of
 * the subtree with the ones behind first, and a chart of how many are behind on each rule.
 */
import { AuditOutlined, CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import type { ComplianceItem, ComplianceReply, ComplianceRollupRow } from '@xianfeng/shared';
import { Alert, Card, Checkbox, Grid, List, Segmented, Select, Table, Tag, Typography } from 'antd';
import { useUrlParams } from '../../platform/useUrlParams';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { OrgFilter } from '../org/OrgPicker';
import { BehindChart } from './Chart';
import { monthOptions, quarterOptions, RULE_SHORT, thisYear, yearOptions } from './labels';
import { todayInChina } from '@xianfeng/shared';
import { LoadError } from '../../platform/LoadError';

type Rollup = {
  items: ComplianceRollupRow[];
  total: number;
  asOf: string;
  rules: { rule: string; label: string; citation: string; local: boolean; from: string; to: string }[];
};
type Grain = 'year' | 'quarter' | 'month';

const Ok = ({ ok }: { ok: boolean }) =>
  ok ? (
    <Tag color="green" icon={<CheckCircleFilled />}>
      达标
    </Tag>
  ) : (
    <Tag color="red" icon={<CloseCircleFilled />}>
      未达标
    </Tag>
  );

export function CompliancePage() {
  const { current } = useAuth();
  const phone = !Grid.useBreakpoint().md;
  const [params, set] = useUrlParams();
  const page = Number(params.get('page') ?? 1);
  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const year = Number(params.get('year') ?? thisYear());
  const grain = (params.get('grain') ?? 'year') as Grain;
  const monthNow = Number(todayInChina().slice(5, 7));
  const quarter = Number(params.get('quarter') ?? Math.ceil(monthNow / 3));
  const month = Number(params.get('month') ?? monthNow);
  const local = params.get('local') === '1';
  const behindOnly = params.get('behind') === '1';
  const view = {
    year,
    quarter: grain === 'quarter' ? quarter : undefined,
    month: grain === 'month' ? month : undefined,
    includeLocal: local || undefined,
  };
  const deps = [orgId, year, grain, quarter, month, local];
  const check = useAsync(() => api.get<ComplianceReply>(`/orgs/${orgId}/compliance`, view), deps);
  const rollup = useAsync(
    () =>
      api.get<Rollup>(`/orgs/${orgId}/compliance/rollup`, {
        ...view,
        behindOnly: behindOnly || undefined,
        page,
        pageSize: 20,
      }),
    [...deps, behindOnly, page],
  );
  const items = check.data?.items ?? [];
  const bad = items.filter((i) => !i.ok).length;
  const multi = items.some((i) => i.orgs > 1);
  const rules = rollup.data?.rules ?? [];

  const periodLabel =
    grain === 'year'
      ? `${year} 年`
      : grain === 'quarter'
        ? `${year} 年第${'一二三四'[quarter - 1]}季度`
        : `${year} 年 ${month} 月`;

  return (
    <Card
      className="xf-compliance"
      title={
        <span>
          <AuditOutlined /> 三会一课落实情况
        </span>
      }
    >
      <div className="xf-toolbar">
        <OrgFilter className="xf-org-filter" value={orgId} onPick={(orgId) => set({ orgId })} />
        <Select
          aria-label="年份"
          options={yearOptions(4, 0)}
          value={year}
          onChange={(y) => set({ year: y })}
          style={{ width: 110 }}
        />
        <Segmented<Grain>
          value={grain}
          onChange={(g) => set({ grain: g === 'year' ? undefined : g })}
          options={[
            { value: 'year', label: '全年' },
            { value: 'quarter', label: '季度' },
            { value: 'month', label: '月份' },
          ]}
        />
        {grain === 'quarter' && (
          <Select
            aria-label="季度"
            options={quarterOptions}
            value={quarter}
            onChange={(q) => set({ quarter: q })}
            style={{ width: 120 }}
          />
        )}
        {grain === 'month' && (
          <Select
            aria-label="月份"
            options={monthOptions}
            value={month}
            onChange={(m) => set({ month: m })}
            style={{ width: 100 }}
          />
        )}
        <Checkbox checked={local} onChange={(e) => set({ local: e.target.checked ? 1 : undefined })}>
          含地方规定
        </Checkbox>
      </div>
      <LoadError error={check.error} onRetry={check.reload} />
      {check.data && (
        <Alert
          type={bad ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          message={
            bad
              ? `${periodLabel}（截至 ${check.data.asOf}）有 ${bad} 项未达标`
              : `${periodLabel}（截至 ${check.data.asOf}）各项均已达标`
          }
          description="已到期的周期才计入应开次数；会议须填写会议记录（已召开）才计为实开。"
        />
      )}
      {check.data?.attendance &&
        (check.data.attendance.held > 0 || (check.data.attendance.flowElsewhere?.due ?? 0) > 0) && (
          <div className="xf-compliance-attendance" data-testid="compliance-attendance">
            <Typography.Text strong>到会情况</Typography.Text>（已召开 {check.data.attendance.held} 次）：应到{' '}
            {check.data.attendance.due} 人次，实到 {check.data.attendance.present} 人次，其中现场{' '}
            {check.data.attendance.inPerson}、线上 {check.data.attendance.online}
            {check.data.attendance.leftEarly ? `，早退 ${check.data.attendance.leftEarly}` : ''}
            {check.data.attendance.flowElsewhere && check.data.attendance.flowElsewhere.due > 0
              ? `；含流动党员在流入地党组织参加组织生活：应到 ${check.data.attendance.flowElsewhere.due} 人次，实到 ${check.data.attendance.flowElsewhere.present} 人次`
              : ''}
            <div className="xf-citation">线上到会：{check.data.attendance.rule}</div>
            {check.data.attendance.flowElsewhere &&
              check.data.attendance.flowElsewhere.due > 0 &&
              check.data.attendance.flowRule && (
                <div className="xf-citation">流动党员：{check.data.attendance.flowRule}</div>
              )}
          </div>
        )}
      {phone ? (
        <List<ComplianceItem>
          loading={check.loading}
          dataSource={items}
          className="xf-rule-list"
          renderItem={(i) => (
            <List.Item className="xf-rule-item" data-rule={i.rule}>
              <div style={{ minWidth: 0, width: '100%' }}>
                <div className="xf-rule-head">
                  <strong>{i.label}</strong>
                  <Ok ok={i.ok} />
                </div>
                <div className="xf-rule-count">
                  应 {i.required} · 实 {i.actual}
                  {multi && ` · ${i.behind}/${i.orgs} 个组织未达标`}
                </div>
                <div className="xf-citation">{i.citation}</div>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<ComplianceItem>
          rowKey="rule"
          size="middle"
          loading={check.loading}
          dataSource={items}
          pagination={false}
          onRow={(i) => ({ 'data-rule': i.rule }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: '规定',
              dataIndex: 'label',
              width: 260,
              render: (v: string, i) => (
                <>
                  {v} {i.local && <Tag>地方</Tag>}
                </>
              ),
            },
            { title: '应开', dataIndex: 'required', width: 70, align: 'right' },
            { title: '实开', dataIndex: 'actual', width: 70, align: 'right' },
            { title: '结果', width: 100, render: (_, i) => <Ok ok={i.ok} /> },
            ...(multi
              ? [
                  {
                    title: '未达标组织',
                    width: 110,
                    render: (_: unknown, i: ComplianceItem) => `${i.behind} / ${i.orgs}`,
                  },
                ]
              : []),
            {
              title: '依据',
              dataIndex: 'citation',
              render: (v: string) => <span className="xf-citation">{v}</span>,
            },
          ]}
        />
      )}

      {(rollup.data?.total ?? 0) > 1 && items.length > 0 && (
        <Card size="small" title="各项规定未达标的组织数" style={{ marginTop: 16 }}>
          <BehindChart
            data={items.map((i) => ({ name: RULE_SHORT[i.rule] ?? i.label, behind: i.behind, ok: i.orgs - i.behind }))}
          />
        </Card>
      )}

      <Card
        size="small"
        title={phone ? '各支部情况' : '下级党支部落实情况（未达标的在前）'}
        style={{ marginTop: 16 }}
        extra={
          <Checkbox checked={behindOnly} onChange={(e) => set({ behind: e.target.checked ? 1 : undefined })}>
            只看未达标
          </Checkbox>
        }
      >
        <LoadError error={rollup.error} onRetry={rollup.reload} />
        {phone ? (
          <List<ComplianceRollupRow>
            loading={rollup.loading}
            dataSource={rollup.data?.items ?? []}
            locale={{ emptyText: behindOnly ? '没有未达标的党支部' : '没有党支部' }}
            pagination={{
              current: page,
              pageSize: 20,
              total: rollup.data?.total ?? 0,
              simple: true,
              hideOnSinglePage: true,
              onChange: (p: number) => set({ page: p === 1 ? undefined : p }),
              align: 'center',
            }}
            renderItem={(r) => (
              <List.Item>
                <div style={{ minWidth: 0, width: '100%' }}>
                  <div className="xf-rule-head">
                    <strong className="xf-wrap">{r.orgName}</strong>
                    {r.behind ? <Tag color="red">{r.behind} 项未达标</Tag> : <Tag color="green">全部达标</Tag>}
                  </div>
                  {r.behind > 0 && (
                    <div className="xf-rule-count">
                      {r.items
                        .filter((i) => !i.ok)
                        .map((i) => `${RULE_SHORT[i.rule] ?? i.rule} ${i.actual}/${i.required}`)
                        .join('，')}
                    </div>
                  )}
                </div>
              </List.Item>
            )}
          />
        ) : (
          <Table<ComplianceRollupRow>
            rowKey="orgId"
            size="small"
            loading={rollup.loading}
            dataSource={rollup.data?.items}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: behindOnly ? '没有未达标的党支部' : '没有党支部' }}
            pagination={{
              current: page,
              pageSize: 20,
              total: rollup.data?.total ?? 0,
              hideOnSinglePage: true,
              showSizeChanger: false,
              onChange: (p: number) => set({ page: p === 1 ? undefined : p }),
            }}
            columns={[
              {
                title: '组织',
                dataIndex: 'orgName',
                fixed: 'left',
                width: 200,
                render: (v: string, r) => (
                  <>
                    <div className="xf-wrap">{v}</div>
                    {r.behind > 0 && <Tag color="red">{r.behind} 项未达标</Tag>}
                  </>
                ),
              },
              ...rules.map((rule) => ({
                title: <span title={rule.citation}>{RULE_SHORT[rule.rule] ?? rule.label}</span>,
                key: rule.rule,
                width: 96,
                align: 'center' as const,
                render: (_: unknown, r: ComplianceRollupRow) => {
                  const i = r.items.find((x) => x.rule === rule.rule);
                  if (!i) return <Typography.Text type="secondary">—</Typography.Text>;
                  return (
                    <span className={i.ok ? 'xf-ok' : 'xf-bad'}>
                      {i.actual}/{i.required}
                    </span>
                  );
                },
              })),
            ]}
          />
        )}
      </Card>
    </Card>
  );
}
