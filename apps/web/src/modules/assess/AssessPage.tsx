/**
 * 考核评价: the assessments that concern the acting org (made by it, above it or below it), the indicator library,
 * and one assessment (`?plan=`): its indicators and weights, the assessed 党支部 with their progress, totals and
 * ranks within the parent, the KPI import, publishing and closing. A 党支部 (`?unit=`) opens in a drawer with the
 * per-indicator breakdown (and a chart), evidence, self-assessment, the reviewer's scores and the appeal.
 */
import { DownloadOutlined, PlusOutlined, TrophyOutlined, UploadOutlined } from '@ant-design/icons';
import {
  ASSESS_RULES,
  AUTO_SOURCES,
  INDICATOR_CATEGORIES,
  INDICATOR_CATEGORY_LABELS,
  INDICATOR_METHOD_LABELS,
  INDICATOR_METHODS,
  inGroup,
  ORG_ADMINS,
  PLAN_STATUS_LABELS,
  RECORD_KEEPERS,
  RECTIFY_STATUS_LABELS,
  todayInChina,
  WEIGHTED_METHODS,
  type AssessPlan,
  type AutoSource,
  type Indicator,
  type IndicatorInput,
  type PlanStatus,
  type UnitBrief,
  type UnitDetail,
  type UnitLine,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Grid,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import type { Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, errorText, fieldProblems, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { RecordDrawer } from '../../platform/RecordDrawer';
import { PagedTable } from '../../platform/PagedTable';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { OrgPicker } from '../org/OrgPicker';
import { IssueFields, type IssueValues } from '../supervise/IssueFields';
import { FormDialog } from '../../platform/FormDialog';
import { CountChart } from '../org/Chart';
import { uploadRequest, useSubmit } from '../../platform/useSubmit';
import { EVIDENCE_TYPES, UploadButton } from '../../platform/UploadButton';

const STATUS_COLORS: Record<PlanStatus, string> = { open: 'processing', published: 'warning', closed: 'default' };
const scored = (l: Pick<UnitLine, 'method'>) =>
  l.method === 'manual' || l.method === 'bonus' || l.method === 'deduction';

/** An indicator's 类别, in a plan's items and in the library. */
const categoryColumn = {
  title: '类别',
  dataIndex: 'category',
  width: 90,
  render: (c: Indicator['category']) => INDICATOR_CATEGORY_LABELS[c],
};

function LinePoints({ l }: { l: UnitLine }) {
  if (l.points === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return <b style={l.points < 0 ? { color: '#c8161d' } : undefined}>{l.points}</b>;
}

/** A line that lost points (a weighted one below full marks) or a deduction: it may become a 整改 item. */
const lostPoints = (l: UnitLine) =>
  l.method === 'deduction'
    ? (l.points ?? 0) < 0
    : WEIGHTED_METHODS.includes(l.method) && l.ratio !== null && l.ratio < 1;

function RectifyDialog({
  u,
  line,
  onClose,
  onDone,
}: {
  u: UnitDetail;
  line: UnitLine | null;
  onClose: () => void;
  onDone: (d: UnitDetail) => void;
}) {
  if (!line) return null;
  const lost =
    line.method === 'deduction' ? `减 ${-(line.points ?? 0)} 分` : `得 ${line.points} 分（满分 ${line.weight} 分）`;
  return (
    <FormDialog<IssueValues>
      title={`下达整改：${u.orgName}`}
      open
      onClose={onClose}
      okText="下达并通知党支部"
      intro={
        <Typography.Paragraph type="secondary">
          将在{u.orgName}的整改事项中登记，链接回本次考核的「{line.name}」；验收人为您本人。
        </Typography.Paragraph>
      }
      initialValues={{
        title: `${line.name}失分整改`,
        finding: `「${u.planTitle}」（${u.periodLabel}）中「${line.name}」${lost}。${line.basis}`,
      }}
      onSubmit={async (v) =>
        onDone(
          await api.post<UnitDetail>(`/assess-units/${u.id}/rectifications`, {
            key: line.key,
            title: v.title,
            finding: v.finding,
            measures: v.measures,
            deadline: v.deadline.format('YYYY-MM-DD'),
          }),
        )
      }
    >
      <IssueFields measures="整改要求" />
    </FormDialog>
  );
}

function UnitDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const unit = useAsync(() => (id ? api.get<UnitDetail>(`/assess-units/${id}`) : Promise.resolve(null)), [id]);
  const [self, setSelf] = useState<Record<string, number | null>>({});
  const [review, setReview] = useState<Record<string, number | null>>({});
  const [text, setText] = useState('');
  const { busy, error, run: submit } = useSubmit();
  const [rectifying, setRectifying] = useState<UnitLine | null>(null);
  const [reopenUntil, setReopenUntil] = useState<Dayjs | null>(null);
  const { message } = AntApp.useApp();
  const phone = !Grid.useBreakpoint().md;
  const u = unit.data;
  const selfClosed = !!u && u.planStatus === 'open' && !!u.selfDeadline && todayInChina() > u.selfDeadline;
  const run = async (what: string, fn: () => Promise<UnitDetail>) => {
    await submit(async () => {
      unit.setData(await fn());
      message.success(what);
      setText('');
      onChanged();
    });
  };
  const scores = (m: Record<string, number | null>) =>
    Object.entries(m)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([key, score]) => ({ key, score: score! }));
  const editing = u && (u.can.self || u.can.review || u.can.answer);
  return (
    <RecordDrawer
      title={u ? `${u.orgName} · ${u.planTitle}` : '考核明细'}
      open={id !== null}
      onClose={onClose}
      width={920}
      load={unit}
    >
      {(u) => (
        <div className="xf-assess-unit">
          <Descriptions size="small" column={phone ? 1 : 3} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="考核期">{u.periodLabel}</Descriptions.Item>
            <Descriptions.Item label="总分">{u.total ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="排名">
              {u.rank ? `${u.parentName}内第 ${u.rank} 名 / 共 ${u.peers} 个` : '公布后排名'}
            </Descriptions.Item>
            <Descriptions.Item label="自评">
              {u.selfAt ? `${u.selfBy} ${u.selfAt.slice(0, 10)}` : '未自评'}
            </Descriptions.Item>
            <Descriptions.Item label="上级评分">
              {u.reviewAt ? `${u.reviewBy} ${u.reviewAt.slice(0, 10)}` : '未评分'}
            </Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={STATUS_COLORS[u.planStatus]}>{PLAN_STATUS_LABELS[u.planStatus]}</Tag>
            </Descriptions.Item>
            {u.planStatus === 'open' && (
              <Descriptions.Item label="自评截止">
                {u.selfDeadline ?? '结果公布前'}
                {selfClosed && (
                  <Tag color="error" style={{ marginLeft: 6 }}>
                    已截止
                  </Tag>
                )}
                {u.selfReopenedBy && !selfClosed && (
                  <Typography.Text type="secondary">（{u.selfReopenedBy}重新开放）</Typography.Text>
                )}
              </Descriptions.Item>
            )}
          </Descriptions>
          {selfClosed && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={`自评已于 ${u.selfDeadline} 截止`}
              description={
                u.can.reopen ? (
                  <Space wrap>
                    <span>可为本支部重新开放自评至</span>
                    <DatePicker
                      aria-label="重新开放至"
                      value={reopenUntil}
                      onChange={setReopenUntil}
                      disabledDate={(d) => d.format('YYYY-MM-DD') < todayInChina()}
                    />
                    <Button
                      loading={busy}
                      disabled={!reopenUntil}
                      onClick={() =>
                        run('已重新开放自评，已通知党支部书记', () =>
                          api.post<UnitDetail>(`/assess-units/${u.id}/reopen-self`, {
                            until: reopenUntil!.format('YYYY-MM-DD'),
                          }),
                        )
                      }
                    >
                      重新开放自评
                    </Button>
                  </Space>
                ) : (
                  '如需补报，请联系上级党组织重新开放自评。'
                )
              }
            />
          )}
          {u.total !== null && (
            <div className="xf-assess-chart">
              <CountChart
                title="各项得分"
                type="bar"
                data={u.lines
                  .filter((l) => l.points !== null && l.points !== 0)
                  .map((l) => ({ name: l.name, value: l.points! }))}
              />
            </div>
          )}
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <List
            className="xf-assess-lines"
            dataSource={u.lines}
            renderItem={(l) => (
              <Card size="small" className="xf-assess-line" data-line={l.name}>
                <div className="xf-assess-line-head">
                  <span className="xf-assess-line-name">{l.name}</span>
                  <Space size={4} wrap>
                    <Tag>{INDICATOR_CATEGORY_LABELS[l.category]}</Tag>
                    <Tag
                      color={
                        l.method === 'auto'
                          ? 'blue'
                          : l.method === 'kpi'
                            ? 'geekblue'
                            : l.method === 'deduction'
                              ? 'red'
                              : 'gold'
                      }
                    >
                      {INDICATOR_METHOD_LABELS[l.method]}
                    </Tag>
                    {WEIGHTED_METHODS.includes(l.method) ? <Tag>权重 {l.weight}</Tag> : <Tag>上限 {l.maxScore} 分</Tag>}
                  </Space>
                  <span className="xf-assess-line-points">
                    得分 <LinePoints l={l} />
                  </span>
                </div>
                <div className="xf-assess-basis">{l.basis}</div>
                {l.citation && <div className="xf-assess-citation">依据：{l.citation}</div>}
                {l.self && (l.review || l.self.note) && (
                  <div className="xf-assess-basis">
                    自评 {l.self.score} 分{l.self.note ? `：${l.self.note}` : ''}
                  </div>
                )}
                {u.rectifications
                  .filter((r) => r.key === l.key)
                  .map((r) => (
                    <div key={r.id} className="xf-assess-rectify" data-rectify={l.name}>
                      整改：<Link to={`/supervise/rectify?item=${r.id}`}>{r.title}</Link>{' '}
                      <Tag color={r.status === 'closed' ? 'success' : r.overdue ? 'error' : 'processing'}>
                        {r.overdue ? '已逾期' : RECTIFY_STATUS_LABELS[r.status]}
                      </Tag>
                      <Typography.Text type="secondary">期限 {r.deadline}</Typography.Text>
                    </div>
                  ))}
                {u.can.rectify &&
                  lostPoints(l) &&
                  !u.rectifications.some((r) => r.key === l.key && r.status !== 'closed') && (
                    <Button
                      size="small"
                      style={{ marginTop: 6 }}
                      onClick={() => setRectifying(l)}
                      aria-label={`下达整改 ${l.name}`}
                    >
                      下达整改
                    </Button>
                  )}
                {l.files.length > 0 && (
                  <ul className="xf-rectify-files">
                    {l.files.map((f) => (
                      <li key={f.id}>
                        <a href={`/api/v1/assess-units/${u.id}/files/${f.id}`} target="_blank" rel="noreferrer">
                          {f.fileName}
                        </a>{' '}
                        <Typography.Text type="secondary">{f.uploadedBy}</Typography.Text>
                      </li>
                    ))}
                  </ul>
                )}
                {editing && scored(l) && (
                  <Space wrap style={{ marginTop: 8 }}>
                    {u.can.self && (
                      <>
                        <InputNumber
                          aria-label={`自评 ${l.name}`}
                          min={0}
                          max={l.maxScore}
                          placeholder={`自评（0–${l.maxScore}）`}
                          value={self[l.key] ?? l.self?.score ?? null}
                          onChange={(v) => setSelf({ ...self, [l.key]: v })}
                          style={{ width: 150 }}
                        />
                        <UploadButton
                          accept={EVIDENCE_TYPES}
                          ariaLabel={`上传佐证 ${l.name}`}
                          send={(fd) => api.post(`/assess-units/${u.id}/files?key=${encodeURIComponent(l.key)}`, fd)}
                          done="已上传佐证材料"
                          onDone={unit.reload}
                        >
                          上传佐证
                        </UploadButton>
                      </>
                    )}
                    {(u.can.review || u.can.answer) && (
                      <InputNumber
                        aria-label={`评分 ${l.name}`}
                        min={0}
                        max={l.maxScore}
                        placeholder={`评分（0–${l.maxScore}）`}
                        value={review[l.key] ?? l.review?.score ?? null}
                        onChange={(v) => setReview({ ...review, [l.key]: v })}
                        style={{ width: 150 }}
                      />
                    )}
                  </Space>
                )}
              </Card>
            )}
          />
          <div className="xf-rectify-actions">
            {u.can.self && (
              <Button
                type="primary"
                loading={busy}
                onClick={() =>
                  run('已提交自评', () => api.put<UnitDetail>(`/assess-units/${u.id}/self`, { scores: scores(self) }))
                }
                disabled={scores(self).length === 0}
              >
                提交自评
              </Button>
            )}
            {u.can.review && (
              <Button
                type="primary"
                loading={busy}
                onClick={() =>
                  run('已保存评分', () =>
                    api.put<UnitDetail>(`/assess-units/${u.id}/review`, { scores: scores(review) }),
                  )
                }
                disabled={scores(review).length === 0}
              >
                保存评分
              </Button>
            )}
            {u.appealReason && (
              <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
                <Descriptions.Item label="申诉">
                  {u.appealBy}：{u.appealReason}
                </Descriptions.Item>
                {u.appealAnswer && (
                  <Descriptions.Item label="答复">
                    {u.answeredBy}：{u.appealAnswer}
                  </Descriptions.Item>
                )}
              </Descriptions>
            )}
            {(u.can.appeal || u.can.answer) && (
              <Space.Compact block style={{ marginTop: 8 }}>
                <Input.TextArea
                  aria-label={u.can.appeal ? '申诉理由' : '答复意见'}
                  placeholder={u.can.appeal ? '申诉理由' : '答复意见（可同时在上方更正评分）'}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  autoSize={{ minRows: 2 }}
                />
              </Space.Compact>
            )}
            {u.can.appeal && (
              <Button
                danger
                style={{ marginTop: 8 }}
                loading={busy}
                disabled={!text.trim()}
                onClick={() =>
                  run('已提交申诉', () => api.post<UnitDetail>(`/assess-units/${u.id}/appeal`, { reason: text.trim() }))
                }
              >
                提出申诉
              </Button>
            )}
            {u.can.answer && (
              <Button
                type="primary"
                style={{ marginTop: 8 }}
                loading={busy}
                disabled={!text.trim()}
                onClick={() =>
                  run('已答复申诉', () =>
                    api.post<UnitDetail>(`/assess-units/${u.id}/appeal-answer`, {
                      answer: text.trim(),
                      ...(scores(review).length ? { scores: scores(review) } : {}),
                    }),
                  )
                }
              >
                答复申诉
              </Button>
            )}
            {!u.can.self && !u.can.review && !u.can.appeal && !u.can.answer && (
              <Typography.Text type="secondary">{ASSESS_RULES.flow.text}</Typography.Text>
            )}
          </div>
          <RectifyDialog
            u={u}
            line={rectifying}
            onClose={() => setRectifying(null)}
            onDone={(d) => {
              unit.setData(d);
              setRectifying(null);
              message.success('已下达整改，已通知党支部');
              onChanged();
            }}
          />
        </div>
      )}
    </RecordDrawer>
  );
}

function KpiImport({ planId, onDone }: { planId: string; onDone: () => void }) {
  const { message, modal } = AntApp.useApp();
  const { busyKey, run } = useSubmit('toast');
  return (
    <Space wrap>
      <Button
        icon={<DownloadOutlined />}
        loading={busyKey === 'template'}
        onClick={() => run(() => api.download(`/assess-plans/${planId}/kpi-template`), { key: 'template' })}
      >
        下载业务指标模板
      </Button>
      <Upload
        showUploadList={false}
        accept=".xlsx"
        customRequest={uploadRequest(
          run,
          async (fd) => {
            const r = await api.post<{ imported: number }>(`/assess-plans/${planId}/kpi/import`, fd);
            message.success(`已导入 ${r.imported} 个业务指标值`);
            onDone();
          },
          {
            key: 'import',
            onError: (e) =>
              modal.error({
                title: '导入失败，未导入任何数据',
                width: 560,
                content: (
                  <div className="xf-assess-import-errors">
                    <p>{errorText(e)}</p>
                    <ul>
                      {fieldProblems(e).map((p, i) => (
                        <li key={i}>
                          {p.row ? `第 ${p.row} 行` : ''}「{p.field}」{p.message}
                        </li>
                      ))}
                    </ul>
                  </div>
                ),
              }),
          },
        )}
      >
        <Button icon={<UploadOutlined />} loading={busyKey === 'import'}>
          导入业务指标（.xlsx）
        </Button>
      </Upload>
    </Space>
  );
}

function PlanView({
  id,
  onOpenUnit,
  version,
  bump,
}: {
  id: string;
  onOpenUnit: (id: string) => void;
  version: number;
  bump: () => void;
}) {
  const plan = useAsync(() => api.get<AssessPlan>(`/assess-plans/${id}`), [id, version]);
  const { page, pageSize, pagination } = usePaging('个党支部', 50);
  const units = useAsync(
    () => api.get<Page<UnitBrief>>(`/assess-plans/${id}/units`, { page, pageSize }),
    [id, page, pageSize, version],
  );
  const { message, modal } = AntApp.useApp();
  const { run } = useSubmit('toast');
  const phone = !Grid.useBreakpoint().md;
  const p = plan.data;
  if (plan.error) return <LoadError error={plan.error} onRetry={plan.reload} />;
  if (!p) return <Spin className="xf-center-small" />;
  const act = (what: string, path: string, confirm: string) =>
    modal.confirm({
      title: confirm,
      onOk: () =>
        run(async () => {
          await api.post(path);
          message.success(what);
          bump();
        }),
    });
  return (
    <div className="xf-assess-plan">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {p.title} <Tag color={STATUS_COLORS[p.status]}>{PLAN_STATUS_LABELS[p.status]}</Tag>
      </Typography.Title>
      <Descriptions size="small" column={phone ? 1 : 4}>
        <Descriptions.Item label="考核组织">{p.orgName}</Descriptions.Item>
        <Descriptions.Item label="考核期">
          {p.periodLabel}（{p.from} 至 {p.to}）
        </Descriptions.Item>
        <Descriptions.Item label="进度">
          自评 {p.selfDone}/{p.units}，评分 {p.reviewDone}/{p.units}
        </Descriptions.Item>
        <Descriptions.Item label="待答复申诉">{p.openAppeals}</Descriptions.Item>
        <Descriptions.Item label="自评截止">
          {p.selfDeadline ? (
            <>
              {p.selfDeadline}
              {p.status === 'open' && todayInChina() > p.selfDeadline && (
                <Tag color="error" style={{ marginLeft: 6 }}>
                  已截止
                </Tag>
              )}
            </>
          ) : (
            '结果公布前'
          )}
        </Descriptions.Item>
      </Descriptions>
      {phone ? (
        <List
          size="small"
          className="xf-assess-items"
          dataSource={p.items}
          renderItem={(it) => (
            <List.Item>
              <div className="xf-assess-line-head" style={{ width: '100%' }}>
                <span>{it.name}</span>
                <span className="xf-assess-line-points">
                  {WEIGHTED_METHODS.includes(it.method)
                    ? `权重 ${it.weight}`
                    : `${INDICATOR_METHOD_LABELS[it.method]} ±${it.maxScore}`}
                </span>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          scroll={{ x: 720 }}
          style={{ margin: '12px 0' }}
          dataSource={p.items}
          columns={[
            { title: '指标', dataIndex: 'name' },
            categoryColumn,
            {
              title: '计分方式',
              dataIndex: 'method',
              width: 110,
              render: (m: Indicator['method'], it) =>
                it.source
                  ? `${INDICATOR_METHOD_LABELS[m]}：${AUTO_SOURCES[it.source as AutoSource].label}`
                  : INDICATOR_METHOD_LABELS[m],
            },
            {
              title: '权重 / 上限',
              key: 'w',
              width: 100,
              render: (_: unknown, it) => (WEIGHTED_METHODS.includes(it.method) ? it.weight : `±${it.maxScore} 分`),
            },
            {
              title: '目标',
              key: 't',
              width: 120,
              render: (_: unknown, it) =>
                it.target !== null ? `${it.target}${it.unit ?? ''}${it.higherBetter ? '' : '（越低越好）'}` : '',
            },
          ]}
        />
      )}
      {p.canManage && (
        <div className="xf-toolbar">
          {p.status === 'open' && <KpiImport planId={p.id} onDone={bump} />}
          <Space wrap>
            {p.status === 'open' && (
              <Button
                type="primary"
                icon={<TrophyOutlined />}
                onClick={() =>
                  act(
                    '已公布考核结果',
                    `/assess-plans/${p.id}/publish`,
                    '公布结果？自动取数的指标将按当前记录计算并固定，公布后不能再修改评分（可通过申诉更正）。',
                  )
                }
              >
                公布结果
              </Button>
            )}
            {p.status === 'published' && (
              <Button
                onClick={() => act('考核已关闭', `/assess-plans/${p.id}/close`, '关闭考核？关闭后不能再申诉和修改。')}
              >
                关闭考核
              </Button>
            )}
          </Space>
        </div>
      )}
      <LoadError error={units.error} onRetry={units.reload} />
      {phone ? (
        <List
          className="xf-assess-units"
          loading={units.loading}
          dataSource={units.data?.items ?? []}
          pagination={(units.data?.total ?? 0) > pageSize ? pagination(units.data?.total ?? 0) : false}
          renderItem={(u) => (
            <Card
              size="small"
              className="xf-assess-line"
              hoverable
              onClick={() => onOpenUnit(u.id)}
              data-unit={u.orgName}
            >
              <div className="xf-assess-line-head">
                <span className="xf-assess-line-name">{u.orgName}</span>
                <span className="xf-assess-line-points">{u.total ?? '—'} 分</span>
              </div>
              <Space size={4} wrap style={{ marginTop: 6 }}>
                {u.selfAt ? <Tag color="success">已自评</Tag> : <Tag>未自评</Tag>}
                {u.reviewAt ? <Tag color="success">已评分</Tag> : <Tag>未评分</Tag>}
                {u.rank && <Tag color="red">{`${u.parentName}第 ${u.rank} / ${u.peers} 名`}</Tag>}
                {u.appeal === 'open' && <Tag color="warning">申诉待答复</Tag>}
              </Space>
            </Card>
          )}
        />
      ) : (
        <Table
          rowKey="id"
          className="xf-assess-units"
          loading={units.loading}
          dataSource={units.data?.items ?? []}
          pagination={pagination(units.data?.total ?? 0)}
          scroll={{ x: 760 }}
          onRow={(r) => ({ onClick: () => onOpenUnit(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '党支部', dataIndex: 'orgName' },
            { title: '上级组织', dataIndex: 'parentName', width: 150 },
            {
              title: '自评',
              key: 's',
              width: 80,
              render: (_: unknown, u) => (u.selfAt ? <Tag color="success">已自评</Tag> : <Tag>未自评</Tag>),
            },
            {
              title: '评分',
              key: 'r',
              width: 80,
              render: (_: unknown, u) => (u.reviewAt ? <Tag color="success">已评分</Tag> : <Tag>未评分</Tag>),
            },
            { title: '总分', dataIndex: 'total', width: 80, render: (v: number | null) => v ?? '—' },
            {
              title: '排名',
              key: 'rank',
              width: 90,
              render: (_: unknown, u) => (u.rank ? `${u.rank} / ${u.peers}` : '—'),
            },
            {
              title: '申诉',
              dataIndex: 'appeal',
              width: 90,
              render: (a: UnitBrief['appeal']) =>
                a === 'open' ? <Tag color="warning">待答复</Tag> : a === 'answered' ? <Tag>已答复</Tag> : '',
            },
          ]}
        />
      )}
    </div>
  );
}

type PlanForm = {
  orgId: string;
  title: string;
  year: number;
  quarter: number | 0;
  pick: Record<string, { on: boolean; weight: number | null }>;
};

function CreatePlanDialog({
  orgId,
  open,
  onClose,
  onCreated,
}: {
  orgId: string;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const [target, setTarget] = useState<string>(orgId);
  const lib = useAsync(
    () =>
      open ? api.get<Page<Indicator>>('/assess/indicators', { orgId: target, pageSize: 200 }) : Promise.resolve(null),
    [open, target],
  );
  const [pick, setPick] = useState<PlanForm['pick']>({});
  const [title, setTitle] = useState('');
  const year = Number(todayInChina().slice(0, 4));
  const [y, setY] = useState(year);
  const [q, setQ] = useState<number>(Math.floor((Number(todayInChina().slice(5, 7)) - 1) / 3) + 1);
  const [selfDeadline, setSelfDeadline] = useState<Dayjs | null>(null);
  const { busy, error, run } = useSubmit();
  const items = (lib.data?.items ?? []).filter((i) => pick[i.id]?.on);
  const sum = items
    .filter((i) => WEIGHTED_METHODS.includes(i.method))
    .reduce((s, i) => s + (pick[i.id]?.weight ?? 0), 0);
  const submit = async () => {
    await run(async () => {
      const r = await api.post<AssessPlan>('/assess/plans', {
        orgId: target,
        title: title.trim(),
        year: y,
        ...(q ? { quarter: q } : {}),
        ...(selfDeadline ? { selfDeadline: selfDeadline.format('YYYY-MM-DD') } : {}),
        items: items.map((i) => ({
          indicatorId: i.id,
          weight: WEIGHTED_METHODS.includes(i.method) ? (pick[i.id]?.weight ?? 0) : 0,
        })),
      });
      onCreated(r.id);
    });
  };
  return (
    <Modal
      title="新建考核"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="创建考核"
      confirmLoading={busy}
      width={820}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="考核组织（考核其下全部党支部）">
          <OrgPicker value={target} onChange={(v) => v && setTarget(v)} id="assess-org" />
        </Form.Item>
        <Form.Item label="考核名称">
          <Input
            aria-label="考核名称"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            maxLength={80}
            placeholder="如：第四季度党建与生产经营融合考核"
          />
        </Form.Item>
        <Space wrap>
          <Form.Item label="年度">
            <InputNumber aria-label="年度" value={y} min={2000} max={2100} onChange={(v) => setY(v ?? year)} />
          </Form.Item>
          <Form.Item label="考核期">
            <Select
              aria-label="考核期"
              style={{ width: 140 }}
              value={q}
              onChange={setQ}
              options={[{ value: 0, label: '全年' }, ...[1, 2, 3, 4].map((n) => ({ value: n, label: `第 ${n} 季度` }))]}
            />
          </Form.Item>
          <Form.Item label="自评截止日期（可不设）" tooltip={ASSESS_RULES.selfDeadline.text}>
            <DatePicker
              aria-label="自评截止日期"
              value={selfDeadline}
              onChange={setSelfDeadline}
              disabledDate={(d) => d.format('YYYY-MM-DD') < todayInChina()}
            />
          </Form.Item>
        </Space>
        <Typography.Paragraph type={sum === 100 ? 'success' : 'warning'}>
          已选权重合计 {sum}（{ASSESS_RULES.weights.text}）
        </Typography.Paragraph>
        <Table
          rowKey="id"
          size="small"
          loading={lib.loading}
          pagination={false}
          scroll={{ x: 640, y: 360 }}
          dataSource={lib.data?.items ?? []}
          columns={[
            {
              title: '选用',
              key: 'on',
              width: 60,
              render: (_: unknown, i) => (
                <Checkbox
                  aria-label={`选用 ${i.name}`}
                  checked={!!pick[i.id]?.on}
                  onChange={(e) =>
                    setPick({ ...pick, [i.id]: { on: e.target.checked, weight: pick[i.id]?.weight ?? null } })
                  }
                />
              ),
            },
            { title: '指标', dataIndex: 'name' },
            {
              title: '方式',
              dataIndex: 'method',
              width: 100,
              render: (m: Indicator['method']) => INDICATOR_METHOD_LABELS[m],
            },
            {
              title: '权重',
              key: 'w',
              width: 110,
              render: (_: unknown, i) =>
                WEIGHTED_METHODS.includes(i.method) ? (
                  <InputNumber
                    aria-label={`权重 ${i.name}`}
                    min={0}
                    max={100}
                    value={pick[i.id]?.weight ?? null}
                    onChange={(v) => setPick({ ...pick, [i.id]: { on: true, weight: v } })}
                  />
                ) : (
                  `上限 ${i.maxScore} 分`
                ),
            },
          ]}
        />
      </Form>
    </Modal>
  );
}

function IndicatorDialog({
  orgId,
  open,
  onClose,
  onCreated,
}: {
  orgId: string;
  open: boolean;
  onClose: () => void;
  onCreated: () => void;
}) {
  const [form] = Form.useForm<IndicatorInput>();
  const method = Form.useWatch('method', form);
  return (
    <FormDialog<IndicatorInput>
      title="新增考核指标"
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{ category: 'party', method: 'manual', maxScore: 10, higherBetter: true }}
      onSubmit={async (v) => {
        await api.post('/assess/indicators', { ...v, orgId });
        onCreated();
      }}
    >
      <Form.Item name="name" label="指标名称" rules={[{ required: true, message: '请填写指标名称' }]}>
        <Input aria-label="指标名称" maxLength={60} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="category" label="类别">
          <Select
            style={{ width: 140 }}
            options={INDICATOR_CATEGORIES.map((c) => ({ value: c, label: INDICATOR_CATEGORY_LABELS[c] }))}
          />
        </Form.Item>
        <Form.Item name="method" label="计分方式">
          <Select
            style={{ width: 140 }}
            options={INDICATOR_METHODS.map((m) => ({ value: m, label: INDICATOR_METHOD_LABELS[m] }))}
          />
        </Form.Item>
        <Form.Item name="maxScore" label={method === 'bonus' || method === 'deduction' ? '分数上限' : '满分'}>
          <InputNumber min={1} max={100} />
        </Form.Item>
      </Space>
      {method === 'auto' && (
        <Form.Item name="source" label="取数来源" rules={[{ required: true, message: '请选择取数来源' }]}>
          <Select
            options={Object.entries(AUTO_SOURCES).map(([k, s]) => ({
              value: k,
              label: `${s.label}（${s.formula}）`,
            }))}
          />
        </Form.Item>
      )}
      {method === 'kpi' && (
        <Space wrap>
          <Form.Item name="target" label="目标值" rules={[{ required: true, message: '请填写目标值' }]}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="unit" label="单位">
            <Input style={{ width: 120 }} maxLength={20} />
          </Form.Item>
          <Form.Item name="higherBetter" label="方向">
            <Select
              style={{ width: 140 }}
              options={[
                { value: true, label: '越高越好' },
                { value: false, label: '越低越好' },
              ]}
            />
          </Form.Item>
        </Space>
      )}
      <Form.Item name="description" label="说明">
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
      </Form.Item>
    </FormDialog>
  );
}

function LibraryTab({ orgId, admin }: { orgId: string; admin: boolean }) {
  const { page, pageSize, pagination } = usePaging('项', 50);
  const [adding, setAdding] = useState(false);
  const lib = useAsync(
    () => api.get<Page<Indicator>>('/assess/indicators', { orgId, page, pageSize }),
    [orgId, page, pageSize],
  );
  return (
    <>
      {admin && (
        <div className="xf-toolbar">
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            新增指标
          </Button>
        </div>
      )}
      <PagedTable
        size="small"
        list={lib}
        pagination={pagination}
        scroll={{ x: 760 }}
        columns={[
          { title: '指标', dataIndex: 'name' },
          categoryColumn,
          {
            title: '计分方式',
            dataIndex: 'method',
            width: 100,
            render: (m: Indicator['method']) => INDICATOR_METHOD_LABELS[m],
          },
          {
            title: '口径与依据',
            key: 'how',
            render: (_: unknown, i) =>
              i.source ? (
                <span className="xf-assess-citation">
                  {AUTO_SOURCES[i.source].formula}。依据：{AUTO_SOURCES[i.source].citation}{' '}
                  {!AUTO_SOURCES[i.source].confirmed && <Tag>待核实原文</Tag>}
                </span>
              ) : i.method === 'kpi' ? (
                `目标 ${i.target}${i.unit ?? ''}，${i.higherBetter ? '越高越好' : '越低越好'}`
              ) : (
                (i.description ?? `${i.method === 'manual' ? '满分' : '上限'} ${i.maxScore} 分`)
              ),
          },
          { title: '所属组织', dataIndex: 'orgName', width: 160 },
        ]}
      />
      <IndicatorDialog
        orgId={orgId}
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={() => {
          setAdding(false);
          void lib.reload();
        }}
      />
    </>
  );
}

function PlansTab({
  orgId,
  keeper,
  onOpen,
  version,
}: {
  orgId: string;
  keeper: boolean;
  onOpen: (id: string) => void;
  version: number;
}) {
  const { page, pageSize, pagination } = usePaging('次考核');
  const [creating, setCreating] = useState(false);
  const list = useAsync(
    () => api.get<Page<AssessPlan>>('/assess/plans', { orgId, page, pageSize }),
    [orgId, page, pageSize, version],
  );
  return (
    <>
      {keeper && (
        <div className="xf-toolbar">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建考核
          </Button>
        </div>
      )}
      <PagedTable
        list={list}
        pagination={pagination}
        scroll={{ x: 760 }}
        onOpen={(r) => onOpen(r.id)}
        columns={[
          { title: '考核', dataIndex: 'title' },
          { title: '考核组织', dataIndex: 'orgName', width: 160 },
          { title: '考核期', dataIndex: 'periodLabel', width: 140 },
          {
            title: '进度',
            key: 'p',
            width: 160,
            render: (_: unknown, p) => `自评 ${p.selfDone}/${p.units} · 评分 ${p.reviewDone}/${p.units}`,
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 140,
            render: (s: PlanStatus) => <Tag color={STATUS_COLORS[s]}>{PLAN_STATUS_LABELS[s]}</Tag>,
          },
        ]}
      />
      <CreatePlanDialog
        orgId={orgId}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => (setCreating(false), onOpen(id))}
      />
    </>
  );
}

export function AssessPage() {
  const { current } = useAuth();
  const [params, set] = useUrlParams();
  const keeper = inGroup(RECORD_KEEPERS, current?.role ?? '');
  const admin = inGroup(ORG_ADMINS, current?.role ?? '');
  const orgId = current?.orgId;
  const planId = params.get('plan');
  const unitId = params.get('unit');
  const tab = params.get('tab') ?? 'plans';
  const [version, setVersion] = useState(0);
  if (!orgId) return null;
  return (
    <div className="xf-assess-page">
      <Typography.Title level={3}>考核评价</Typography.Title>
      {planId ? (
        <>
          <Button type="link" style={{ paddingLeft: 0 }} onClick={() => set({ plan: undefined, unit: undefined })}>
            ← 返回考核列表
          </Button>
          <PlanView
            id={planId}
            onOpenUnit={(id) => set({ unit: id }, { push: true })}
            version={version}
            bump={() => setVersion((v) => v + 1)}
          />
        </>
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => set({ tab: k }, { push: true })}
          items={[
            {
              key: 'plans',
              label: '考核',
              children: (
                <PlansTab
                  orgId={orgId}
                  keeper={keeper}
                  onOpen={(id) => set({ plan: id }, { push: true })}
                  version={version}
                />
              ),
            },
            { key: 'library', label: '指标库', children: <LibraryTab orgId={orgId} admin={admin} /> },
          ]}
        />
      )}
      <UnitDrawer id={unitId} onClose={() => set({ unit: undefined })} onChanged={() => setVersion((v) => v + 1)} />
    </div>
  );
}
