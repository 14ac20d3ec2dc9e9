/**
 * 承诺践诺: the year's commitments of the org (its own and its members'), shown to its members as cards that read
 * on a phone; one's own commitment and progress reports with evidence; the year-end review by the org (a member's)
 * or the org above (an org's).
 */
import { FlagOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  COMMIT_RATING_LABELS,
  COMMIT_RATINGS,
  COMMIT_RULES,
  inGroup,
  RECORD_KEEPERS,
  RECORD_READERS,
  todayInChina,
  type CommitBrief,
  type CommitCreateInput,
  type CommitDetail,
  type CommitRating,
} from '@xianfeng/shared';
import dayjs from 'dayjs';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Progress,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { FormDialog } from '../../platform/FormDialog';
import { LoadError } from '../../platform/LoadError';
import { RecordDrawer } from '../../platform/RecordDrawer';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { OrgFilter } from '../org/OrgPicker';
import { useSubmit } from '../../platform/useSubmit';
import { EVIDENCE_TYPES, UploadButton } from '../../platform/UploadButton';

const RatingTag = ({ rating }: { rating: CommitRating | null }) =>
  rating ? (
    <Tag color={rating === 'excellent' ? 'red' : rating === 'poor' ? 'default' : 'gold'}>
      年终评议：{COMMIT_RATING_LABELS[rating]}
    </Tag>
  ) : null;

function Items({ c }: { c: Pick<CommitBrief, 'items'> }) {
  return (
    <ol className="xf-commit-items">
      {c.items.map((it, i) => (
        <li key={i}>
          <div>
            {it.text}
            <Typography.Text type="secondary">（{it.measure}）</Typography.Text>
          </div>
          <Progress percent={it.percent} size="small" aria-label={`第 ${i + 1} 项完成进度`} />
        </li>
      ))}
    </ol>
  );
}

function CommitDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const c = useAsync(() => (id ? api.get<CommitDetail>(`/supervise-commitments/${id}`) : Promise.resolve(null)), [id]);
  const { busy, error, run } = useSubmit();
  const { message } = AntApp.useApp();
  const d = c.data;
  const send = async (path: string, body: unknown, done: string) => {
    await run(async () => {
      c.setData(await api.post<CommitDetail>(path, body));
      message.success(done);
      onChanged();
    });
  };
  return (
    <RecordDrawer
      title={d ? `${d.ownerName} ${d.year} 年承诺` : '承诺'}
      open={id !== null}
      onClose={onClose}
      width={640}
      load={c}
    >
      {(d) => (
        <div className="xf-commit-detail">
          <Space wrap>
            <Tag>{d.orgName}</Tag>
            <span>总体完成 {d.percent}%</span>
            <RatingTag rating={d.rating} />
          </Space>
          <Items c={d} />
          {d.rating && (
            <div className="xf-rectify-actions">
              <b>年终评议：{COMMIT_RATING_LABELS[d.rating]}</b>（{d.reviewedBy}{' '}
              {d.reviewedAt && dayjs(d.reviewedAt).format('YYYY-MM-DD')}）
              <div className="xf-rectify-text">{d.reviewComment}</div>
            </div>
          )}
          {error && <Alert type="error" showIcon message={error} style={{ margin: '12px 0' }} />}
          {d.can.report && (
            <>
              <Typography.Title level={5}>报告进展</Typography.Title>
              <Form<{ itemIndex: number; percent: number; note: string }>
                layout="vertical"
                initialValues={{ itemIndex: 0, percent: d.items[0]?.percent ?? 0 }}
                onFinish={(v) => void send(`/supervise-commitments/${d.id}/progress`, v, '已报告进展')}
              >
                <Form.Item name="itemIndex" label="承诺事项">
                  <Select options={d.items.map((it, i) => ({ value: i, label: `${i + 1}. ${it.text}` }))} />
                </Form.Item>
                <Form.Item name="percent" label="完成进度（%）" rules={[{ required: true, message: '请填写完成进度' }]}>
                  <InputNumber min={0} max={100} style={{ width: 120 }} />
                </Form.Item>
                <Form.Item name="note" label="进展说明" rules={[{ required: true, message: '请填写进展说明' }]}>
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} />
                </Form.Item>
                <Space wrap>
                  <Button type="primary" htmlType="submit" loading={busy}>
                    报告进展
                  </Button>
                  <UploadButton
                    accept={EVIDENCE_TYPES}
                    send={(fd) => api.post(`/supervise-commitments/${d.id}/files`, fd)}
                    done="已上传佐证材料"
                    onDone={c.reload}
                  >
                    上传佐证材料
                  </UploadButton>
                </Space>
              </Form>
            </>
          )}
          {d.can.review && (
            <>
              <Typography.Title level={5}>年终评议</Typography.Title>
              <Form<{ rating: CommitRating; comment: string }>
                layout="vertical"
                initialValues={{ rating: 'good' }}
                onFinish={(v) => void send(`/supervise-commitments/${d.id}/review`, v, '已评议')}
              >
                <Form.Item name="rating" label="评议等次">
                  <Radio.Group
                    optionType="button"
                    options={COMMIT_RATINGS.map((r) => ({ value: r, label: COMMIT_RATING_LABELS[r] }))}
                  />
                </Form.Item>
                <Form.Item name="comment" label="评议意见" rules={[{ required: true, message: '请填写评议意见' }]}>
                  <Input.TextArea aria-label="评议意见" autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>
                  提交评议
                </Button>
              </Form>
            </>
          )}
          {!d.rating && !d.can.review && d.can.report === false && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              年终评议从 {d.reviewOpensOn} 开始。{COMMIT_RULES.reviewer.text}。
            </Typography.Paragraph>
          )}
          <Typography.Title level={5}>佐证材料</Typography.Title>
          {d.files.length === 0 && <Typography.Text type="secondary">尚未上传</Typography.Text>}
          <ul className="xf-rectify-files">
            {d.files.map((f) => (
              <li key={f.id}>
                <a href={`/api/v1/supervise-commitments/${d.id}/files/${f.id}`} target="_blank" rel="noreferrer">
                  {f.fileName}
                </a>
              </li>
            ))}
          </ul>
          <Typography.Title level={5}>进展记录</Typography.Title>
          {d.progress.length === 0 && <Typography.Text type="secondary">尚无进展报告</Typography.Text>}
          {d.progress
            .slice()
            .reverse()
            .map((p, i) => (
              <div key={i} className="xf-commit-progress">
                <div>
                  第 {p.itemIndex + 1} 项 → {p.percent}% · {p.byName} · {dayjs(p.at).format('YYYY-MM-DD')}
                </div>
                <div className="xf-rectify-text">{p.note}</div>
              </div>
            ))}
        </div>
      )}
    </RecordDrawer>
  );
}

function CreateDialog({
  orgId,
  year,
  open,
  onClose,
  onCreated,
}: {
  orgId?: string;
  year: number;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  return (
    <FormDialog<Pick<CommitCreateInput, 'items'>>
      title={`${orgId ? '本组织' : '我的'} ${year} 年承诺`}
      open={open}
      onClose={onClose}
      okText="公开承诺"
      intro={
        <Typography.Paragraph type="secondary">
          {COMMIT_RULES.publish.text}。每项写明可衡量的标准。
        </Typography.Paragraph>
      }
      initialValues={{ items: [{ text: '', measure: '' }] }}
      onSubmit={async (v) => {
        const r = await api.post<CommitDetail>('/supervise/commitments', {
          ...(orgId ? { orgId } : {}),
          year,
          items: v.items,
        });
        onCreated(r.id);
      }}
    >
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <div key={f.key} className="xf-commit-item-form">
                <Form.Item
                  name={[f.name, 'text']}
                  label={`承诺事项 ${i + 1}`}
                  rules={[{ required: true, message: '请填写承诺事项' }]}
                >
                  <Input aria-label={`承诺事项 ${i + 1}`} maxLength={200} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'measure']}
                  label="衡量标准"
                  rules={[{ required: true, message: '请填写衡量标准' }]}
                >
                  <Input aria-label={`衡量标准 ${i + 1}`} placeholder="如：全年带教 2 名新员工" maxLength={100} />
                </Form.Item>
                {fields.length > 1 && (
                  <Button type="link" danger icon={<MinusCircleOutlined />} onClick={() => remove(f.name)}>
                    删除此项
                  </Button>
                )}
              </div>
            ))}
            {fields.length < 10 && (
              <Button icon={<PlusOutlined />} onClick={() => add({ text: '', measure: '' })}>
                再加一项
              </Button>
            )}
          </>
        )}
      </Form.List>
    </FormDialog>
  );
}

export function CommitmentsPage() {
  const { current } = useAuth();
  const [params, set] = useUrlParams();
  const reader = inGroup(RECORD_READERS, current?.role ?? '');
  const keeper = inGroup(RECORD_KEEPERS, current?.role ?? '');
  const thisYear = Number(todayInChina().slice(0, 4));
  const year = Number(params.get('year') ?? thisYear);
  const orgId = params.get('org') ?? current?.orgId;
  const open = params.get('item');
  const [creating, setCreating] = useState<'mine' | 'org' | null>(null);
  const { page, pageSize, pagination } = usePaging('份', 20);
  const { message } = AntApp.useApp();
  const list = useAsync(
    () => api.get<Page<CommitBrief>>('/supervise/commitments', { orgId, year, page, pageSize }),
    [orgId, year, page, pageSize],
  );
  return (
    <Card
      className="xf-rectify-page"
      title={
        <span>
          <FlagOutlined /> 承诺践诺
        </span>
      }
    >
      <div className="xf-toolbar">
        <Select
          aria-label="年度"
          value={year}
          style={{ width: 110 }}
          onChange={(v) => set({ year: String(v) })}
          options={[thisYear + 1, thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y} 年` }))}
        />
        {reader && <OrgFilter minWidth={220} value={orgId} onPick={(org) => set({ org })} />}
        {year >= thisYear && (
          <Space wrap>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating('mine')}>
              作出我的承诺
            </Button>
            {keeper && (
              <Button icon={<PlusOutlined />} onClick={() => setCreating('org')}>
                作出本组织承诺
              </Button>
            )}
          </Space>
        )}
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <List
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={`${year} 年还没有公开的承诺`} /> }}
        pagination={(list.data?.total ?? 0) > pageSize ? pagination(list.data?.total ?? 0) : false}
        renderItem={(c) => (
          <Card size="small" className="xf-rectify-card" hoverable onClick={() => set({ item: c.id })}>
            <div className="xf-rectify-card-title">
              {c.ownerName}{' '}
              {c.memberId ? (
                <Typography.Text type="secondary">（{c.orgName}）</Typography.Text>
              ) : (
                <Tag color="red">党组织承诺</Tag>
              )}
            </div>
            <Space wrap>
              <span>总体完成 {c.percent}%</span>
              <RatingTag rating={c.rating} />
            </Space>
            <Items c={c} />
          </Card>
        )}
      />
      <CreateDialog
        orgId={creating === 'org' ? current?.orgId : undefined}
        year={year}
        open={creating !== null}
        onClose={() => setCreating(null)}
        onCreated={(id) => {
          setCreating(null);
          message.success('已公开承诺');
          void list.reload();
          set({ item: id });
        }}
      />
      <CommitDrawer id={open} onClose={() => set({ item: undefined })} onChanged={() => void list.reload()} />
    </Card>
  );
}
