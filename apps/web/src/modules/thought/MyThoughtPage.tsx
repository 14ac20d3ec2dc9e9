/**
 * 我的思想汇报 (phone first): what is asked of me (预备党员 / 流动党员, the period, whether I have reported), a form
 * to submit a report for this period or an earlier one, and my reports with the 书记's mark and comment.
 */
import { FileTextOutlined } from '@ant-design/icons';
import {
  addMonths,
  periodLabel,
  periodOf,
  THOUGHT_CADENCE_LABELS,
  todayInChina,
  type ThoughtCadence,
  type ThoughtMe,
  type ThoughtReportDetail,
  type ThoughtTheme,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Pagination,
  Select,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { CheckList } from '../../platform/CheckList';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { fmtDay, MarkTag, THEME_OPTIONS, ThemeTags, themeRule } from './labels';
import { useSubmit } from '../../platform/useSubmit';

const STEP: Record<ThoughtCadence, number> = { monthly: 1, quarterly: 3, half_year: 6 };

/** This period and the three before it, for the member's cadence. */
function periodChoices(cadence: ThoughtCadence): string[] {
  const today = todayInChina();
  return [0, 1, 2, 3].map((i) => periodOf(cadence, addMonths(today, -i * STEP[cadence])));
}

function Expectation({ me }: { me: ThoughtMe }) {
  if (!me.memberId) return <Alert type="info" showIcon message="您的账号没有关联党员档案，不能提交思想汇报。" />;
  const who = me.categories.map((c) => c.label).join('、');
  const state = me.submitted ? '已提交' : '尚未提交';
  return (
    <Alert
      type={me.submitted || !me.cadence ? 'success' : 'warning'}
      showIcon
      message={
        me.cadence
          ? `您是${who}，应${THOUGHT_CADENCE_LABELS[me.cadence]}向党组织提交思想汇报。${me.periodLabel}：${state}。`
          : `${me.periodLabel}：${state}。欢迎随时向党组织汇报思想。`
      }
    />
  );
}

function WriteForm({ me, onDone }: { me: ThoughtMe; onDone: () => void }) {
  const [form] = Form.useForm<{ period: string; title: string; text: string; themes?: ThoughtTheme[] }>();
  const { busy, error, run } = useSubmit();
  const { message } = AntApp.useApp();
  const choices = periodChoices(me.cadence ?? 'quarterly');
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ period: me.period, title: `${me.periodLabel}思想汇报` }}
      onFinish={async (v) => {
        await run(async () => {
          await api.post<ThoughtReportDetail>('/thought/reports', {
            period: v.period,
            title: v.title,
            text: v.text,
            themes: v.themes ?? [],
          });
          message.success('思想汇报已提交');
          form.resetFields(['text', 'themes']);
          onDone();
        });
      }}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form.Item name="period" label="期次" rules={[{ required: true, message: '请选择期次' }]}>
        <Select aria-label="期次" options={choices.map((p) => ({ value: p, label: periodLabel(p) }))} />
      </Form.Item>
      <Form.Item
        name="title"
        label="标题"
        rules={[
          { required: true, message: '请填写标题' },
          { max: 100, message: '标题最多 100 字' },
        ]}
      >
        <Input aria-label="标题" maxLength={100} />
      </Form.Item>
      <Form.Item
        name="text"
        label="汇报内容"
        extra="写一写这一段时间的学习、工作和思想情况，以及今后的努力方向。只有您本人和党组织书记能看到。"
        rules={[
          { required: true, message: '请填写汇报内容' },
          { min: 20, message: '汇报内容至少 20 字' },
        ]}
      >
        <Input.TextArea aria-label="汇报内容" autoSize={{ minRows: 6, maxRows: 16 }} maxLength={20000} />
      </Form.Item>
      <Form.Item
        name="themes"
        label="主要内容（可选，最多 3 项）"
        extra="党组织据此了解大家的思想动态，只统计各项的份数，不会因此显示您的汇报内容。"
        rules={[themeRule]}
      >
        <CheckList aria-label="主要内容" options={THEME_OPTIONS} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={busy}>
        提交思想汇报
      </Button>
    </Form>
  );
}

function ReportCard({ r }: { r: ThoughtReportDetail }) {
  return (
    <Card size="small" title={r.title} extra={<MarkTag mark={r.mark} />} className="xf-thought-card">
      <div className="xf-thought-meta">
        {periodLabel(r.period)} · 提交于 {fmtDay(r.submittedAt)} <ThemeTags themes={r.themes} />
      </div>
      {r.enteredBy !== null && (
        <div className="xf-thought-meta" data-testid="entered-by">
          <Tag color="gold">代为填写</Tag>由{r.enteredBy || '支部书记'}按您的口述或书面汇报代为录入
        </div>
      )}
      <Typography.Paragraph className="xf-thought-text" ellipsis={{ rows: 3, expandable: true, symbol: '展开' }}>
        {r.text}
      </Typography.Paragraph>
      {r.comment ? (
        <div className="xf-thought-feedback" aria-label="批阅意见">
          <div className="xf-thought-feedback-head">
            {r.commentedBy} 批阅于 {fmtDay(r.commentedAt)}
          </div>
          {r.comment}
        </div>
      ) : (
        <Typography.Text type="secondary">党组织尚未批阅</Typography.Text>
      )}
    </Card>
  );
}

export function MyThoughtPage() {
  const me = useAsync(() => api.get<ThoughtMe>('/thought/me'), []);
  const [page, setPage] = useState(1);
  const mine = useAsync(
    () => api.get<Page<ThoughtReportDetail>>('/thought/reports/mine', { page, pageSize: 10 }),
    [page],
  );
  const reload = () => Promise.all([me.reload(), mine.reload()]);
  const [writing, setWriting] = useState(false);
  return (
    <Card
      className="xf-thought-mine"
      title={
        <span>
          <FileTextOutlined /> 我的思想汇报
        </span>
      }
    >
      <LoadError error={me.error ?? mine.error} onRetry={reload} />
      {!me.data ? (
        <Spin className="xf-center-small" />
      ) : (
        <>
          <Expectation me={me.data} />
          {me.data.memberId &&
            (me.data.submitted && !writing ? (
              <Button block style={{ marginTop: 12 }} onClick={() => setWriting(true)}>
                再写一份
              </Button>
            ) : (
              <div style={{ marginTop: 16 }}>
                <WriteForm
                  me={me.data}
                  onDone={() => {
                    setWriting(false);
                    void reload();
                  }}
                />
              </div>
            ))}
        </>
      )}
      <div className="xf-thought-list">
        <Typography.Title level={5} style={{ margin: 0 }}>
          已提交的汇报
        </Typography.Title>
        {mine.data?.items.map((r) => (
          <ReportCard key={r.id} r={r} />
        ))}
        {mine.data && mine.data.items.length === 0 && <Empty description="还没有提交过思想汇报" />}
        {mine.data && mine.data.total > 10 && (
          <Pagination simple current={page} pageSize={10} total={mine.data.total} onChange={setPage} />
        )}
      </div>
    </Card>
  );
}
