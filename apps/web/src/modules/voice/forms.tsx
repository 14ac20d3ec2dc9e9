/**
 * Forms shared by the members' pages and the public (employee) page: an opinion, a survey's
 * answers, an opinion card with its answer and the rating, and the 查询码 shown once.
 */
import { CopyOutlined, PaperClipOutlined } from '@ant-design/icons';
import {
  ANONYMITY_LABELS,
  OPINION_CATEGORIES,
  OPINION_CATEGORY_LABELS,
  opinionWithdrawable,
  type AnonymityMode,
  type Answer,
  type Opinion,
  type OpinionCategory,
  type Survey,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Popconfirm,
  Radio,
  Rate,
  Result,
  Switch,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { api, ApiError, errorText } from '../../platform/api';
import { CategoryTag, OpinionStatusTag, showCode } from './labels';
import { CheckList } from '../../platform/CheckList';
import { useSubmit } from '../../platform/useSubmit';

export type OpinionFields = {
  category: OpinionCategory;
  title: string;
  body: string;
  anonymous: boolean;
  allowPublic: boolean;
  name?: string;
  contact?: string;
};

/** The opinion form; `employee` adds the optional name and contact of a named employee. */
export function OpinionForm({
  anonymity,
  employee,
  before,
  onSubmit,
}: {
  anonymity: AnonymityMode | undefined;
  employee?: boolean;
  before?: ReactNode;
  onSubmit: (v: OpinionFields) => Promise<void>;
}) {
  const [form] = Form.useForm<OpinionFields>();
  const anonymous = Form.useWatch('anonymous', form);
  const { busy, error, run } = useSubmit();
  return (
    <Form
      form={form}
      layout="vertical"
      size="large"
      initialValues={{ category: 'suggestion', anonymous: false, allowPublic: true }}
      onFinish={async (v) => {
        await run(async () => {
          await onSubmit(v);
          form.resetFields(['title', 'body']);
        });
      }}
      className="xf-voice-form"
    >
      {before}
      <Form.Item name="category" label="类别">
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={OPINION_CATEGORIES.map((c) => ({ value: c, label: OPINION_CATEGORY_LABELS[c] }))}
        />
      </Form.Item>
      <Form.Item
        name="title"
        label="标题"
        rules={[
          { required: true, message: '请填写标题' },
          { min: 2, message: '标题至少 2 个字' },
        ]}
      >
        <Input maxLength={60} placeholder="一句话说明是什么事" />
      </Form.Item>
      <Form.Item
        name="body"
        label="内容"
        rules={[
          { required: true, message: '请填写内容' },
          { min: 5, message: '内容至少 5 个字' },
        ]}
      >
        <Input.TextArea
          autoSize={{ minRows: 4, maxRows: 10 }}
          maxLength={2000}
          showCount
          placeholder="写清楚情况和建议，便于党组织答复"
        />
      </Form.Item>
      <Form.Item
        name="anonymous"
        label="匿名提交"
        valuePropName="checked"
        extra={
          anonymity
            ? anonymous
              ? ANONYMITY_LABELS[anonymity]
              : '实名提交：党组织能看到你的姓名并直接答复你'
            : undefined
        }
      >
        <Switch checkedChildren="匿名" unCheckedChildren="实名" />
      </Form.Item>
      {employee && !anonymous && (
        <>
          <Form.Item name="name" label="姓名（选填）">
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="contact" label="联系方式（选填，仅办理人可见）">
            <Input maxLength={50} inputMode="tel" />
          </Form.Item>
        </>
      )}
      <Form.Item name="allowPublic" valuePropName="checked">
        <Checkbox>同意在公开答复栏展示答复（不显示提交人）</Checkbox>
      </Form.Item>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" block loading={busy}>
        提交
      </Button>
    </Form>
  );
}

/** The 查询码 of an anonymous or employee submission, shown once, large, with a copy button. */
export function ReceiptResult({ receipt, dueOn, extra }: { receipt: string; dueOn: string; extra?: ReactNode }) {
  const { message } = AntApp.useApp();
  return (
    <Result
      status="success"
      title="已提交"
      subTitle={`党组织将在 ${dueOn} 前答复。请记下查询码，凭它查看答复和评价：`}
      extra={
        <div className="xf-voice-receipt">
          <div className="xf-voice-code" data-testid="receipt">
            {showCode(receipt)}
          </div>
          <Button
            icon={<CopyOutlined />}
            onClick={() =>
              navigator.clipboard
                ?.writeText(showCode(receipt))
                .then(() => message.success('已复制'))
                .catch(() => undefined)
            }
          >
            复制查询码
          </Button>
          {extra}
        </div>
      }
    />
  );
}

/** A file of an answer, fetched with the 查询码 (no account): POST, then handed to the browser. */
async function downloadByReceipt(receipt: string, id: string, fileName: string) {
  const res = await fetch(`/api/v1/public/voice/receipt/files/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ receipt }),
  });
  if (!res.ok) {
    const e = ((await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined)
      ?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? '下载失败，请稍后重试');
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The files of an answer: with the account, or with the 查询码 when the item is followed by one. */
export function AnswerFiles({
  files,
  receipt,
  base = '/voice-opinion-files',
  testId = 'answer-files',
}: {
  files: Opinion['answerFiles'];
  receipt?: string | undefined;
  /** The download route of these files (letters' files have their own). */
  base?: string;
  testId?: string;
}) {
  const { busyKey, run } = useSubmit('toast');
  if (!files?.length) return null;
  return (
    <div className="xf-voice-files" data-testid={testId}>
      {files.map((f) => (
        <Button
          key={f.id}
          type="link"
          size="small"
          icon={<PaperClipOutlined />}
          loading={busyKey === f.id}
          onClick={() =>
            run(() => (receipt ? downloadByReceipt(receipt, f.id, f.fileName) : api.download(`${base}/${f.id}`)), {
              key: f.id,
            })
          }
        >
          {f.fileName}
        </Button>
      ))}
    </div>
  );
}

/** One opinion as its submitter sees it, with the answer and, once answered, the rating. */
export function OpinionCard({
  o,
  onRate,
  onWithdraw,
  extra,
  receipt,
}: {
  o: Opinion;
  onRate?: (rating: number, comment: string) => Promise<void>;
  /** The submitter takes it back (offered only before any answer). */
  onWithdraw?: () => Promise<void>;
  extra?: ReactNode;
  /** The 查询码 the item was opened with: its answer's files are fetched with it. */
  receipt?: string | undefined;
}) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const { busy, error, setError, run } = useSubmit();
  return (
    <Card className="xf-my-card" data-testid="opinion">
      <div className="xf-my-title">{o.title}</div>
      <div className="xf-my-tags">
        <CategoryTag c={o.category} />
        <OpinionStatusTag o={o} />
        {o.anonymous && <Typography.Text type="secondary">匿名</Typography.Text>}
      </div>
      <div className="xf-voice-meta">
        {o.orgName} · {o.submittedOn} 提交 ·{' '}
        {o.status === 'submitted' || o.status === 'assigned' ? `${o.dueOn} 前答复` : ''}
      </div>
      <Typography.Paragraph className="xf-voice-body" ellipsis={{ rows: 3, expandable: true, symbol: '展开' }}>
        {o.body}
      </Typography.Paragraph>
      {o.answer && (
        <div className="xf-voice-answer">
          <div className="xf-voice-answer-head">
            {o.answeredBy} 答复 · {o.answeredOn}
          </div>
          <div>{o.answer}</div>
          <AnswerFiles files={o.answerFiles} receipt={receipt} />
        </div>
      )}
      {o.rating !== null && (
        <div className="xf-voice-meta">
          满意度 <Rate disabled value={o.rating} /> {o.ratingComment}
        </div>
      )}
      {onRate && o.answer && o.rating === null && (
        <div className="xf-voice-rate">
          <div>对答复满意吗？</div>
          <Rate value={rating} onChange={setRating} aria-label="满意度" />
          <Input.TextArea
            aria-label="评价"
            placeholder="评价（选填）"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={500}
            autoSize={{ minRows: 1, maxRows: 4 }}
          />
          {error && <Alert type="error" showIcon message={error} />}
          <Button
            type="primary"
            disabled={rating === 0}
            loading={busy}
            onClick={async () => {
              await run(async () => {
                await onRate(rating, comment.trim());
              });
            }}
          >
            提交评价
          </Button>
        </div>
      )}
      {onWithdraw && opinionWithdrawable(o) && (
        <Popconfirm
          title="撤回这条意见建议？"
          description="撤回后不再办理，也不能恢复。"
          okText="撤回"
          cancelText="取消"
          onConfirm={async () => {
            setError(null);
            try {
              await onWithdraw();
            } catch (e) {
              setError(errorText(e));
            }
          }}
        >
          <Button size="small" danger>
            撤回
          </Button>
        </Popconfirm>
      )}
      {error && !(onRate && o.answer && o.rating === null) && (
        <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />
      )}
      {extra}
    </Card>
  );
}

/** The questions of a survey as a form; answers go out in the server's Answer shape. */
export function SurveyAnswerForm({
  survey,
  onSubmit,
}: {
  survey: Survey;
  onSubmit: (answers: Answer[]) => Promise<void>;
}) {
  const [form] = Form.useForm<Record<string, unknown>>();
  const { busy, error, run } = useSubmit();
  return (
    <Form
      form={form}
      layout="vertical"
      size="large"
      className="xf-voice-form"
      onFinish={async (v) => {
        const answers: Answer[] = [];
        for (const q of survey.questions) {
          const x = v[q.id];
          if (x === undefined || x === null || x === '' || (Array.isArray(x) && x.length === 0)) continue;
          if (q.type === 'single') answers.push({ q: q.id, choice: x as number });
          if (q.type === 'multiple') answers.push({ q: q.id, choices: x as number[] });
          if (q.type === 'rating') answers.push({ q: q.id, score: x as number });
          if (q.type === 'text') answers.push({ q: q.id, text: String(x).trim() });
        }
        await run(async () => {
          await onSubmit(answers);
        });
      }}
    >
      {survey.questions.map((q, i) => {
        const label = `${i + 1}. ${q.title}${q.type === 'multiple' && q.maxChoices ? `（最多选 ${q.maxChoices} 项）` : ''}`;
        const rules = q.required ? [{ required: true, message: q.type === 'text' ? '请填写' : '请作答' }] : [];
        return (
          <Form.Item key={q.id} name={q.id} label={label} rules={rules} className="xf-voice-question">
            {q.type === 'single' ? (
              <Radio.Group
                className="xf-voice-options"
                options={(q.options ?? []).map((o, k) => ({ value: k, label: o }))}
              />
            ) : q.type === 'multiple' ? (
              <CheckList
                column
                aria-label={q.title}
                max={q.maxChoices}
                className="xf-voice-options"
                options={(q.options ?? []).map((o, k) => ({ value: k, label: o }))}
              />
            ) : q.type === 'rating' ? (
              <Rate count={q.scale ?? 5} aria-label={q.title} className="xf-voice-stars" />
            ) : (
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
            )}
          </Form.Item>
        );
      })}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" block loading={busy}>
        提交
      </Button>
    </Form>
  );
}
