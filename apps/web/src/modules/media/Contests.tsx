/**
 * 微视频征集: the campaigns on the member's line (宣传 → 微视频征集), a campaign's page (rules, judges, entries with
 * their videos and the public vote), the form of a new campaign (书记 and admins), the member's submit page, the
 * judge's scoring page (his own scores first; the other judges' after), and the results with 「发布到学习」.
 */
import {
  addDays,
  CONTEST_PHASE_LABELS,
  RECORD_KEEPERS,
  todayInChina,
  type ContestPhase,
  type ContestResults,
  type ContestView,
  type EntryScores,
  type EntryView,
  type Member,
} from '@xianfeng/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorText, fieldProblems, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { PagedTable } from '../../platform/PagedTable';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { MemberSelect } from '../member/MemberSelect';
import { SubjectComments } from './Comments';
import './media.css';
import { useSubmit } from '../../platform/useSubmit';

const MAX_VIDEO_MB = 60;
const phaseColor: Record<ContestPhase, string> = {
  upcoming: 'blue',
  collecting: 'red',
  judging: 'gold',
  published: 'green',
  withdrawn: 'default',
};
export const PhaseTag = ({ phase }: { phase: ContestPhase }) => (
  <Tag color={phaseColor[phase]}>{CONTEST_PHASE_LABELS[phase]}</Tag>
);

// ---------------------------------------------------------------- list

export function ContestList() {
  const { current } = useAuth();
  const navigate = useNavigate();
  const paging = usePaging('个');
  const list = useAsync(
    () => api.get<Page<ContestView>>('/media/contests', { page: paging.page, pageSize: paging.pageSize }),
    [paging.page, paging.pageSize, current?.orgId],
  );
  return (
    <>
      {current && allows(RECORD_KEEPERS, current.role) && (
        <div className="xf-learn-filters" style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={() => navigate('/media/contests/new')}>
            新建征集
          </Button>
        </div>
      )}
      <LoadError error={list.error} onRetry={list.reload} />
      <List<ContestView>
        loading={list.loading}
        locale={{ emptyText: '暂无微视频征集' }}
        dataSource={list.data?.items ?? []}
        pagination={{ ...paging.pagination(list.data?.total ?? 0), align: 'center', size: 'small' }}
        renderItem={(c) => (
          <List.Item className="xf-news-item">
            <List.Item.Meta
              title={
                <Link to={`/media/contests/${c.id}`}>
                  <PhaseTag phase={c.phase} />
                  {c.title}
                </Link>
              }
              description={`${c.orgName} · 征集 ${c.submitFrom} 至 ${c.submitTo} · ${c.entryCount} 件作品${c.isJudge ? ' · 我是评委' : ''}`}
            />
          </List.Item>
        )}
      />
    </>
  );
}

// ---------------------------------------------------------------- new campaign

type FormValues = {
  title: string;
  rules: string;
  submitFrom: Dayjs;
  submitTo: Dayjs;
  rubric: { name: string; max: number }[];
  dropHighest: boolean;
  dropLowest: boolean;
  publicVote: boolean;
  winnerCount: number;
};

/** New campaign, or (with :id) 修改征集 — the same form, filled from the campaign; the server says what may still change. */
export function ContestFormPage() {
  const { id } = useParams();
  const editing = useAsync(() => (id ? api.get<ContestView>(`/media-contests/${id}`) : Promise.resolve(null)), [id]);
  if (editing.error) return <LoadError error={editing.error} onRetry={editing.reload} />;
  if (id && !editing.data) return <Card loading />;
  return <ContestForm key={id ?? 'new'} editing={editing.data ?? null} />;
}

function ContestForm({ editing }: { editing: ContestView | null }) {
  const { current } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [judges, setJudges] = useState<{ id: string; name: string; orgName: string }[]>(
    editing?.judges.map((j) => ({ id: j.memberId, name: j.name, orgName: j.orgName })) ?? [],
  );
  const { busy, run } = useSubmit();
  if (!current) return null;
  const today = dayjs(todayInChina());
  const save = async () => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    await run(
      async () => {
        const fields = {
          title: v.title,
          rules: v.rules,
          submitFrom: v.submitFrom.format('YYYY-MM-DD'),
          submitTo: v.submitTo.format('YYYY-MM-DD'),
          rubric: v.rubric.map((r) => ({ name: r.name, max: r.max })),
          dropHighest: v.dropHighest ? 1 : 0,
          dropLowest: v.dropLowest ? 1 : 0,
          publicVote: v.publicVote,
          winnerCount: v.winnerCount,
          judgeMemberIds: judges.map((j) => j.id),
        };
        const c = editing
          ? await api.patch<ContestView>(`/media-contests/${editing.id}`, fields)
          : await api.post<ContestView>('/media/contests', { orgId: current.orgId, ...fields });
        void message.success(editing ? '征集已修改' : '征集已创建');
        navigate(`/media/contests/${c.id}`);
      },
      {
        onError: (e) => {
          const fields = fieldProblems(e).filter((p) => p.field && !p.field.startsWith('judge'));
          if (fields.length)
            form.setFields(fields.map((p) => ({ name: p.field!.split('.') as never, errors: [p.message] })));
          void message.error(errorText(e));
        },
      },
    );
  };
  return (
    <Card
      title={editing ? `修改征集 · ${editing.orgName}` : `新建微视频征集 · ${current.orgName}`}
      className="xf-contest-form"
    >
      {editing && (
        <Typography.Paragraph type="secondary">
          评委开始评分后不能再改评分细则和去分方式，已评分的评委不能移出；征集开始后不能改开始日期。
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={
          editing
            ? {
                title: editing.title,
                rules: editing.rules,
                submitFrom: dayjs(editing.submitFrom),
                submitTo: dayjs(editing.submitTo),
                rubric: editing.rubric,
                dropHighest: editing.dropHighest === 1,
                dropLowest: editing.dropLowest === 1,
                publicVote: editing.publicVote,
                winnerCount: editing.winnerCount,
              }
            : {
                submitFrom: today,
                submitTo: dayjs(addDays(todayInChina(), 14)),
                rubric: [
                  { name: '主题思想', max: 40 },
                  { name: '艺术表现', max: 30 },
                  { name: '技术质量', max: 30 },
                ],
                dropHighest: false,
                dropLowest: false,
                publicVote: true,
                winnerCount: 3,
              }
        }
      >
        <Form.Item
          name="title"
          label="征集标题"
          rules={[
            { required: true, whitespace: true, message: '请填写征集标题' },
            { min: 2, message: '标题至少 2 个字' },
          ]}
        >
          <Input maxLength={60} placeholder="如：「我身边的共产党员」微视频征集" />
        </Form.Item>
        <Form.Item
          name="rules"
          label="征集规则"
          rules={[{ required: true, whitespace: true, message: '请填写征集规则' }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={5000}
            showCount
            placeholder="主题、时长、格式、每人件数、评审与发布方式"
          />
        </Form.Item>
        <Space wrap size="middle">
          <Form.Item name="submitFrom" label="征集开始" rules={[{ required: true, message: '请选择开始日期' }]}>
            <DatePicker inputReadOnly allowClear={false} />
          </Form.Item>
          <Form.Item name="submitTo" label="征集截止" rules={[{ required: true, message: '请选择截止日期' }]}>
            <DatePicker inputReadOnly allowClear={false} />
          </Form.Item>
        </Space>
        <div className="xf-contest-rubric-head">
          <Typography.Text strong>评分细则</Typography.Text>
        </div>
        <Form.List name="rubric">
          {(fields, { add, remove }) => (
            <div className="xf-contest-rubric">
              {fields.map((f, i) => (
                <Space key={f.key} align="start" wrap className="xf-contest-rubric-row">
                  <Form.Item
                    name={[f.name, 'name']}
                    rules={[{ required: true, whitespace: true, message: '请填写评分项' }]}
                  >
                    <Input placeholder="评分项" maxLength={30} aria-label={`评分项 ${i + 1}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'max']} rules={[{ required: true, message: '请填写满分' }]}>
                    <InputNumber min={1} max={100} addonAfter="分" aria-label={`评分项 ${i + 1} 满分`} />
                  </Form.Item>
                  {fields.length > 1 && <Button onClick={() => remove(f.name)}>删除</Button>}
                </Space>
              ))}
              {fields.length < 10 && (
                <div>
                  <Button onClick={() => add({ name: '', max: 10 })}>添加评分项</Button>
                </div>
              )}
            </div>
          )}
        </Form.List>
        <Space wrap style={{ margin: '12px 0' }}>
          <Form.Item name="dropHighest" valuePropName="checked" noStyle>
            <Checkbox>去掉一个最高分</Checkbox>
          </Form.Item>
          <Form.Item name="dropLowest" valuePropName="checked" noStyle>
            <Checkbox>去掉一个最低分</Checkbox>
          </Form.Item>
          <Form.Item name="publicVote" valuePropName="checked" noStyle>
            <Checkbox>开启网络投票（每人每天 1 票）</Checkbox>
          </Form.Item>
        </Space>
        <Form.Item
          name="winnerCount"
          label="获奖作品数（发布到学习）"
          rules={[{ required: true, message: '请填写获奖作品数' }]}
        >
          <InputNumber min={1} max={20} />
        </Form.Item>
        <Form.Item label="评委（本组织在册、有账号的党员，至少 2 位）" required>
          <MemberSelect
            id="judge-pick"
            value={null}
            orgId={editing?.orgId ?? current.orgId}
            placeholder="输入姓名搜索评委"
            onPick={(m: Member) =>
              setJudges((js) =>
                js.some((j) => j.id === m.id) ? js : [...js, { id: m.id, name: m.name, orgName: m.orgName }],
              )
            }
          />
          <div className="xf-contest-judges">
            {judges.map((j) => (
              <Tag key={j.id} closable color="red" onClose={() => setJudges((js) => js.filter((x) => x.id !== j.id))}>
                {j.name} · {j.orgName}
              </Tag>
            ))}
          </div>
        </Form.Item>
        <Space>
          <Button type="primary" loading={busy} onClick={() => void save()}>
            {editing ? '保存修改' : '创建征集'}
          </Button>
          <Button onClick={() => navigate(editing ? `/media/contests/${editing.id}` : '/media?tab=contests')}>
            取消
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

// ---------------------------------------------------------------- campaign page

function useContest(id: string) {
  return useAsync(() => api.get<ContestView>(`/media-contests/${id}`), [id]);
}

function ContestHead({ c }: { c: ContestView }) {
  return (
    <>
      <Typography.Title level={3} className="xf-contest-title">
        <PhaseTag phase={c.phase} />
        {c.title}
      </Typography.Title>
      <div className="xf-article-meta">
        <span>{c.orgName}</span>
        <span>
          征集时间 {c.submitFrom} 至 {c.submitTo}
        </span>
        <span>{c.entryCount} 件作品</span>
      </div>
    </>
  );
}

export function ContestPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const { busyKey, run } = useSubmit('toast');
  const c = useContest(id);
  const paging = usePaging('件');
  const entries = useAsync(
    () => api.get<Page<EntryView>>(`/media-contests/${id}/entries`, { page: paging.page, pageSize: paging.pageSize }),
    [id, paging.page, paging.pageSize],
  );
  const [commentsOf, setCommentsOf] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  if (c.error) return <LoadError error={c.error} onRetry={c.reload} />;
  const v = c.data;
  if (!v) return <Card loading />;
  const vote = (e: EntryView) =>
    run(
      async () => {
        await api.post(`/media-contest-entries/${e.id}/vote`);
        void message.success(`已为「${e.title}」投票，明天可以再投`);
        void c.reload();
        void entries.reload();
      },
      { key: e.id },
    );
  const canVote = v.publicVote && v.status === 'open' && v.phase !== 'upcoming' && !v.votedToday;
  return (
    <div className="xf-contest">
      <ContestHead c={v} />
      <Space wrap style={{ marginBottom: 12 }}>
        {v.canSubmit && (
          <Link to={`/media/contests/${v.id}/submit`}>
            <Button type="primary">提交作品</Button>
          </Link>
        )}
        {v.isJudge && v.status === 'open' && (
          <Link to={`/media/contests/${v.id}/judge`}>
            <Button type="primary">评委评分</Button>
          </Link>
        )}
        {(v.canManage || v.status === 'published') && (
          <Link to={`/media/contests/${v.id}/results`}>
            <Button>评审结果</Button>
          </Link>
        )}
        {v.canManage && v.status === 'open' && (
          <>
            <Link to={`/media/contests/${v.id}/edit`}>
              <Button>修改征集</Button>
            </Link>
            <Button danger onClick={() => setWithdrawing(true)}>
              撤销征集
            </Button>
          </>
        )}
      </Space>
      {v.status === 'withdrawn' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="本次征集已撤销，不再接收作品、投票和评分。"
        />
      )}
      <Modal
        title="撤销征集"
        open={withdrawing}
        okText="撤销"
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        confirmLoading={busyKey === 'withdraw'}
        cancelText="取消"
        onCancel={() => setWithdrawing(false)}
        onOk={() =>
          run(
            async () => {
              await api.post(`/media-contests/${v.id}/withdraw`, { reason });
              void message.success('征集已撤销，已通知本组织及下级党员');
              setWithdrawing(false);
              void c.reload();
            },
            { key: 'withdraw' },
          )
        }
      >
        <Typography.Paragraph>撤销后不再接收作品、投票和评分，已交的作品和评分保留。</Typography.Paragraph>
        <Input.TextArea
          aria-label="撤销理由"
          rows={3}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="撤销理由（将通知党员）"
        />
      </Modal>
      <Card size="small" title="征集规则" style={{ marginBottom: 12 }}>
        <Typography.Paragraph className="xf-question-text">{v.rules}</Typography.Paragraph>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label="评分细则">
            {v.rubric.map((r) => `${r.name}（${r.max} 分）`).join('、')}
          </Descriptions.Item>
          <Descriptions.Item label="计分方法">
            各评委独立打分，
            {[v.dropHighest ? '去掉一个最高分' : '', v.dropLowest ? '去掉一个最低分' : ''].filter(Boolean).join('、') ||
              '不去分'}
            后取平均分
          </Descriptions.Item>
          <Descriptions.Item label="评委">{v.judges.map((j) => j.name).join('、')}</Descriptions.Item>
          <Descriptions.Item label="网络投票">
            {v.publicVote ? (v.votedToday ? '每人每天 1 票（今天已投）' : '每人每天 1 票') : '未开启'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <LoadError error={entries.error} onRetry={entries.reload} />
      <List<EntryView>
        loading={entries.loading}
        header={<strong>参赛作品</strong>}
        locale={{ emptyText: '还没有作品' }}
        dataSource={entries.data?.items ?? []}
        pagination={{ ...paging.pagination(entries.data?.total ?? 0), align: 'center', size: 'small' }}
        renderItem={(e) => (
          <List.Item className="xf-contest-entry">
            <EntryCard e={e} />
            <Space wrap>
              {e.votes !== null && <Tag>{e.votes} 票</Tag>}
              {e.mine && <Tag color="red">我的作品</Tag>}
              {e.learnItemId && (
                <Link to={`/learn/items/${e.learnItemId}`}>
                  <Tag color="green">已发布到学习</Tag>
                </Link>
              )}
              {canVote && (
                <Button
                  size="small"
                  loading={busyKey === e.id}
                  onClick={() => void vote(e)}
                  aria-label={`投票：${e.title}`}
                >
                  投票
                </Button>
              )}
              <Button
                size="small"
                type="link"
                onClick={() => setCommentsOf(commentsOf === e.id ? null : e.id)}
                aria-label={`评论：${e.title}`}
              >
                {commentsOf === e.id ? '收起评论' : '评论'}
              </Button>
            </Space>
            {commentsOf === e.id && (
              <div className="xf-contest-comments">
                <SubjectComments kind="entry" id={e.id} open moderator={v.canManage} title="作品评论" />
              </div>
            )}
          </List.Item>
        )}
      />
    </div>
  );
}

function EntryCard({ e }: { e: EntryView }) {
  return (
    <div className="xf-contest-entry-body">
      <div className="xf-contest-entry-title">{e.title}</div>
      <div className="xf-article-meta">
        <span>
          {e.authorName} · {e.orgName}
        </span>
        <span>{e.minutes} 分钟</span>
      </div>
      {e.description && <div className="xf-question-text">{e.description}</div>}
      {e.hasVideo ? (
        <video
          className="xf-lecture-video xf-contest-video"
          controls
          preload="metadata"
          src={`/api/v1/media-contest-entries/${e.id}/video`}
        />
      ) : (
        <Typography.Text type="secondary">（演示作品，无视频文件）</Typography.Text>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- submit

export function ContestSubmitPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const c = useContest(id);
  const [form] = Form.useForm<{ title: string; description?: string; minutes: number }>();
  const [file, setFile] = useState<File | null>(null);
  const { busy, run } = useSubmit('toast');
  if (c.error) return <LoadError error={c.error} onRetry={c.reload} />;
  const v = c.data;
  if (!v) return <Card loading />;
  const submit = async () => {
    let f: { title: string; description?: string; minutes: number };
    try {
      f = await form.validateFields();
    } catch {
      return;
    }
    if (!file) {
      void message.error('请选择视频文件');
      return;
    }
    await run(async () => {
      const fd = new FormData();
      fd.append('file', file);
      const q = new URLSearchParams({ title: f.title, description: f.description ?? '', minutes: String(f.minutes) });
      await api.post<EntryView>(`/media-contests/${id}/entries?${q.toString()}`, fd);
      void message.success('作品已提交');
      navigate(`/media/contests/${id}`);
    });
  };
  return (
    <Card title={`提交作品 · ${v.title}`} className="xf-contest-submit">
      {!v.canSubmit && (
        <Typography.Paragraph type="warning">
          {v.phase === 'collecting'
            ? '您已提交过作品，或不是本次征集范围内的党员。'
            : `不在征集时间内（${v.submitFrom} 至 ${v.submitTo}）。`}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" initialValues={{ minutes: 3 }}>
        <Form.Item
          name="title"
          label="作品名称"
          rules={[
            { required: true, whitespace: true, message: '请填写作品名称' },
            { min: 2, message: '作品名称至少 2 个字' },
          ]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="description" label="作品简介">
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
        <Form.Item name="minutes" label="时长（分钟）" rules={[{ required: true, message: '请填写时长' }]}>
          <InputNumber min={1} max={30} />
        </Form.Item>
        <Form.Item label={`视频（MP4/WebM，不超过 ${MAX_VIDEO_MB} MB）`} required>
          <Upload
            accept="video/mp4,video/webm"
            maxCount={1}
            beforeUpload={(f) => {
              if (f.size > MAX_VIDEO_MB * 1024 * 1024) {
                void message.error(`视频不能超过 ${MAX_VIDEO_MB} MB`);
                return Upload.LIST_IGNORE;
              }
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
          >
            <Button>选择视频</Button>
          </Upload>
        </Form.Item>
        <Space>
          <Button type="primary" loading={busy} disabled={!v.canSubmit} onClick={() => void submit()}>
            提交作品
          </Button>
          <Button onClick={() => navigate(`/media/contests/${id}`)}>返回</Button>
        </Space>
      </Form>
    </Card>
  );
}

// ---------------------------------------------------------------- judging

export function ContestJudgePage() {
  const { id = '' } = useParams();
  const c = useContest(id);
  const paging = usePaging('件');
  const entries = useAsync(
    () => api.get<Page<EntryView>>(`/media-contests/${id}/entries`, { page: paging.page, pageSize: paging.pageSize }),
    [id, paging.page, paging.pageSize],
  );
  if (c.error) return <LoadError error={c.error} onRetry={c.reload} />;
  const v = c.data;
  if (!v) return <Card loading />;
  return (
    <div className="xf-contest">
      <ContestHead c={v} />
      <Typography.Paragraph type="secondary">
        请按评分细则逐项打分。提交本人评分后，才能看到其他评委对该作品的评分；结果公布前可以修改。
      </Typography.Paragraph>
      <LoadError error={entries.error} onRetry={entries.reload} />
      <List<EntryView>
        loading={entries.loading}
        locale={{ emptyText: '还没有作品' }}
        dataSource={entries.data?.items ?? []}
        pagination={{ ...paging.pagination(entries.data?.total ?? 0), align: 'center', size: 'small' }}
        renderItem={(e) => (
          <List.Item className="xf-contest-entry">
            <EntryCard e={e} />
            <ScoreForm c={v} e={e} onSaved={() => void entries.reload()} />
          </List.Item>
        )}
      />
    </div>
  );
}

function ScoreForm({ c, e, onSaved }: { c: ContestView; e: EntryView; onSaved: () => void }) {
  const { message } = App.useApp();
  const [values, setValues] = useState<(number | null)[]>(e.myScores ?? c.rubric.map(() => null));
  const { busy, run } = useSubmit('toast');
  const peek = useSubmit('toast');
  const [others, setOthers] = useState<EntryScores | null>(null);
  const scored = e.myScores !== null;
  const loadOthers = () =>
    peek.run(async () => setOthers(await api.get<EntryScores>(`/media-contest-entries/${e.id}/scores`)));
  const save = async () => {
    if (values.some((x) => x === null)) {
      void message.error('请为每个评分项打分');
      return;
    }
    await run(async () => {
      const body = { scores: values as number[] };
      const r = scored
        ? await api.put<EntryScores>(`/media-contest-entries/${e.id}/scores`, body)
        : await api.post<EntryScores>(`/media-contest-entries/${e.id}/scores`, body);
      setOthers(r);
      void message.success(scored ? '评分已修改' : '评分已提交');
      onSaved();
    });
  };
  if (e.mine) return <Typography.Text type="secondary">本人作品，回避评分</Typography.Text>;
  return (
    <div className="xf-contest-score" aria-label={`评分：${e.title}`}>
      <Space wrap>
        {c.rubric.map((r, i) => (
          <label key={r.name} className="xf-contest-score-item">
            <span>
              {r.name}（满分 {r.max}）
            </span>
            <InputNumber
              min={0}
              max={r.max}
              precision={0}
              value={values[i]}
              aria-label={`${e.title} ${r.name}`}
              onChange={(x) => setValues((vs) => vs.map((old, k) => (k === i ? (x ?? null) : old)))}
            />
          </label>
        ))}
      </Space>
      <Space wrap style={{ marginTop: 8 }}>
        <Button type="primary" loading={busy} onClick={() => void save()}>
          {scored ? '修改评分' : '提交评分'}
        </Button>
        {scored && !others && (
          <Button loading={peek.busy} onClick={() => void loadOthers()}>
            查看各评委评分
          </Button>
        )}
        {scored && <Tag color="green">已评：{(e.myScores ?? []).reduce((s, x) => s + x, 0)} 分</Tag>}
      </Space>
      {others && (
        <div className="xf-contest-others">
          {others.items.map((s) => (
            <div key={s.judgeName}>
              {s.judgeName}
              {s.mine ? '（我）' : ''}：{s.scores.join(' + ')} = <strong>{s.total}</strong> 分
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- results

export function ContestResultsPage() {
  const { id = '' } = useParams();
  const { message, modal } = App.useApp();
  const reminding = useSubmit('toast');
  const c = useContest(id);
  const paging = usePaging('件', 50);
  const r = useAsync(
    () => api.get<ContestResults>(`/media-contests/${id}/results`, { page: paging.page, pageSize: paging.pageSize }),
    [id, paging.page, paging.pageSize],
  );
  if (c.error) return <LoadError error={c.error} onRetry={c.reload} />;
  const v = c.data;
  if (!v) return <Card loading />;
  const publish = () =>
    modal.confirm({
      title: '发布到学习',
      content: `公布结果，并把前 ${v.winnerCount} 名作品发布到「学习教育」的微视频。发布后不能再提交作品、修改评分或投票。`,
      okText: '发布',
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.post<ContestResults>(`/media-contests/${id}/publish`);
          void message.success('已公布结果，获奖作品已发布到学习');
          void c.reload();
          void r.reload();
        } catch (e) {
          void message.error(errorText(e));
          throw e;
        }
      },
    });
  const remind = () =>
    reminding.run(async () => {
      const res = await api.post<{ reminded: number }>(`/media-contests/${id}/remind-judges`);
      void message.success(res.reminded ? `已提醒 ${res.reminded} 位尚未评完的评委` : '评委都已评完，无需提醒');
    });
  const judgeNames = r.data?.items[0]?.judgeTotals.map((j) => j.judgeName) ?? v.judges.map((j) => j.name);
  return (
    <div className="xf-contest">
      <ContestHead c={v} />
      {r.data && <Typography.Paragraph type="secondary">{r.data.rule}</Typography.Paragraph>}
      {v.canManage && v.status === 'open' && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={publish}>
            发布到学习
          </Button>
          <Button loading={reminding.busy} onClick={() => void remind()}>
            提醒评委
          </Button>
        </Space>
      )}
      <PagedTable
        rowKey="entryId"
        size="small"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="还没有作品" /> }}
        list={r}
        pagination={(t) => ({ ...paging.pagination(t), size: 'small' })}
        columns={[
          { title: '名次', dataIndex: 'rank', render: (x: number | null) => x ?? '—', width: 56 },
          {
            title: '作品',
            render: (_: unknown, x: ContestResults['items'][number]) => (
              <span>
                {x.winner && <Tag color="red">获奖</Tag>}
                {x.title}
                <div className="xf-contest-muted">
                  {x.authorName} · {x.orgName}
                </div>
              </span>
            ),
          },
          ...judgeNames.map((name, i) => ({
            title: name,
            key: `j${i}`,
            render: (_: unknown, x: ContestResults['items'][number]) => {
              const j = x.judgeTotals[i];
              if (x.sealed) return <span className="xf-contest-muted">评分后可见</span>;
              if (!j || j.total === null) return <span className="xf-contest-muted">未评</span>;
              return j.dropped ? <s title="去掉">{j.total}</s> : j.total;
            },
          })),
          {
            title: '得分',
            dataIndex: 'final',
            render: (x: number | null) => (x === null ? '—' : <strong>{x.toFixed(2)}</strong>),
          },
          ...(v.publicVote ? [{ title: '票数', dataIndex: 'votes', render: (x: number | null) => x ?? 0 }] : []),
          {
            title: '学习',
            render: (_: unknown, x: ContestResults['items'][number]) =>
              x.learnItemId ? (
                <Link to={`/learn/items/${x.learnItemId}`}>在学习中查看</Link>
              ) : (
                <span className="xf-contest-muted">—</span>
              ),
          },
        ]}
      />
    </div>
  );
}
