/**
 * 年度计划: generate a branch's year of meetings from the cadence rules (党员大会 quarterly,
 * 支委会 and 党小组会 monthly, 主题党日 on a fixed day, …) and adjust each planned date. Running
 * it again only fills gaps; dates already adjusted are kept.
 */
import { ArrowLeftOutlined, ScheduleOutlined } from '@ant-design/icons';
import { CADENCE_RULES, type Org } from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Select,
  Spin,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { RECORD_KEEPERS } from '@xianfeng/shared';
import { useAsync } from '../../platform/useAsync';
import { OrgPicker } from '../org/OrgPicker';
import { KindTag, StatusTag, thisYear, type Meeting } from './labels';
import { PublishDialog } from './PublishDialog';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

type PlanValues = { year: number; themeDay: number; location: string };

export function PlanPage() {
  const { current, can } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [params, set] = useUrlParams();
  const { busyKey: busy, error, run } = useSubmit();
  const [starting, setStarting] = useState<Meeting | null>(null);
  const manager = can(...RECORD_KEEPERS);
  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const year = Number(params.get('year') ?? thisYear());
  const org = useAsync(() => api.get<Org>(`/orgs/${orgId}`), [orgId]);
  const plannable = org.data ? ['branch', 'general_branch'].includes(org.data.kind) : false;
  const list = useAsync(() => api.get<Page<Meeting>>('/meetings', { orgId, year, pageSize: 200 }), [orgId, year]);
  const byMonth = useMemo(() => {
    const months: Meeting[][] = Array.from({ length: 12 }, () => []);
    for (const m of [...(list.data?.items ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt)))
      months[dayjs(m.startsAt).month()]!.push(m);
    return months;
  }, [list.data]);

  const generate = async (v: PlanValues) => {
    await run(
      async () => {
        const r = await api.post<{ year: number; created: number; skipped: number }>(`/orgs/${orgId}/meeting-plan`, v);
        message.success(
          `已生成 ${r.year} 年计划：新增 ${r.created} 次${r.skipped ? `，已有的 ${r.skipped} 次保持不变` : ''}`,
        );
        if (v.year !== year) set({ year: v.year });
        else await list.reload();
      },
      { key: 'plan' },
    );
  };

  const move = async (m: Meeting, day: Dayjs | null) => {
    if (!day) return;
    const s = dayjs(m.startsAt);
    const start = day.hour(s.hour()).minute(s.minute()).second(0).millisecond(0);
    const end = start.add(dayjs(m.endsAt).diff(s, 'minute'), 'minute');
    await run(
      async () => {
        const saved = await api.patch<Meeting>(`/meetings/${m.id}`, { startsAt: start.format(), endsAt: end.format() });
        list.setData((d) => d && { ...d, items: d.items.map((x) => (x.id === saved.id ? saved : x)) });
        message.success(`「${saved.title}」改到 ${start.format('M 月 D 日')}`);
      },
      { key: m.id, show: 'toast' },
    );
  };

  const rules = CADENCE_RULES.filter((r) => r.plan && !r.local);
  return (
    <Card
      className="xf-plan"
      title={
        <span>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate('/meetings')} />
          <ScheduleOutlined /> 年度计划
        </span>
      }
    >
      <div className="xf-toolbar">
        <div className="xf-org-filter">
          <OrgPicker value={orgId} selectable={['branch', 'general_branch']} onChange={(v) => v && set({ orgId: v })} />
        </div>
        <Select
          aria-label="年份"
          value={year}
          style={{ width: 110 }}
          options={[thisYear() - 1, thisYear(), thisYear() + 1].map((y) => ({ value: y, label: `${y} 年` }))}
          onChange={(y) => set({ year: y })}
        />
      </div>
      {org.data && !plannable && (
        <Alert
          type="info"
          showIcon
          message="年度计划按党支部（党总支）生成，请在上方选择一个党支部"
          style={{ marginBottom: 12 }}
        />
      )}
      {plannable && (
        <Card size="small" className="xf-plan-form" style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
            按《中国共产党支部工作条例（试行）》生成：{rules.map((r) => r.label).join('；')}
            。已过去的日期不生成；再次生成只补缺，不改动已调整的日期。
          </Typography.Paragraph>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Form<PlanValues>
            name="plan"
            layout="inline"
            className="xf-plan-fields"
            initialValues={{ year, themeDay: 15, location: '党员活动室' }}
            onFinish={generate}
          >
            <Form.Item name="year" label="年度">
              <Select
                style={{ width: 110 }}
                options={[thisYear(), thisYear() + 1].map((y) => ({ value: y, label: `${y} 年` }))}
              />
            </Form.Item>
            <Form.Item name="themeDay" label="主题党日每月" rules={[{ required: true, message: '请填写日期' }]}>
              <InputNumber min={1} max={28} addonAfter="日" style={{ width: 110 }} />
            </Form.Item>
            <Form.Item
              name="location"
              label="地点"
              rules={[{ required: true, whitespace: true, message: '请填写地点' }]}
            >
              <Input maxLength={200} style={{ width: 180 }} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy === 'plan'}>
                生成年度计划
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      <LoadError error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? (
        <Spin />
      ) : (
        <>
          {(list.data?.total ?? 0) > 200 && (
            <Alert
              type="info"
              showIcon
              message={`共 ${list.data?.total} 次，只显示前 200 次；可选择下级组织查看`}
              style={{ marginBottom: 12 }}
            />
          )}
          <div className="xf-plan-grid">
            {byMonth.map((ms, i) => (
              <Card
                key={i}
                size="small"
                title={`${i + 1} 月`}
                className="xf-plan-month"
                extra={ms.length ? `${ms.length} 次` : undefined}
              >
                {ms.length === 0 && <Typography.Text type="secondary">无安排</Typography.Text>}
                {ms.map((m) => {
                  const movable = m.status === 'planned' || m.status === 'published';
                  return (
                    <div key={m.id} className="xf-plan-item">
                      {movable ? (
                        <DatePicker
                          size="small"
                          allowClear={false}
                          inputReadOnly
                          value={dayjs(m.startsAt)}
                          format="MM-DD"
                          aria-label={`调整「${m.title}」的日期`}
                          className="xf-plan-date"
                          disabled={busy === m.id}
                          onChange={(d) => void move(m, d)}
                        />
                      ) : (
                        <span className="xf-plan-date-text">{dayjs(m.startsAt).format('MM-DD')}</span>
                      )}
                      <div className="xf-plan-body">
                        <Link to={`/meetings/${m.id}`} className="xf-wrap">
                          {m.title}
                        </Link>
                        <div>
                          <KindTag kind={m.kind} />
                          <StatusTag status={m.status} />
                          {manager && m.status === 'planned' && (
                            <Button
                              size="small"
                              type="link"
                              className="xf-plan-start"
                              aria-label={`按计划发起「${m.title}」`}
                              onClick={() => setStarting(m)}
                            >
                              按计划发起
                            </Button>
                          )}
                        </div>
                      </div>
                    </div>
                  );
                })}
              </Card>
            ))}
          </div>
        </>
      )}
      {starting && (
        <PublishDialog
          m={starting}
          schedule
          open
          onClose={(saved) => {
            setStarting(null);
            if (saved) list.setData((d) => d && { ...d, items: d.items.map((x) => (x.id === saved.id ? saved : x)) });
          }}
        />
      )}
    </Card>
  );
}
