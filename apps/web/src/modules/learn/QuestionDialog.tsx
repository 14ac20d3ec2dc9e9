/**
 * 新增题目 / 编辑题目: one form for both. Adding posts to the org's bank; editing a question patches it with the same
 * checks (the server's QuestionInput). A question already answered keeps its type, stem, options and key — the server
 * says so in Chinese and the form shows it; its explanation, source, category and difficulty can still change.
 */
import {
  FILL_RULE,
  QUESTION_CATEGORIES,
  QUESTION_DIFFICULTIES,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
  type Question,
} from '@xianfeng/shared';
import { App, Form, Input, Radio, Select } from 'antd';
import { api } from '../../platform/api';
import { FormDialog } from '../../platform/FormDialog';

type QuestionValues = Pick<Question, 'kind' | 'category' | 'difficulty' | 'stem' | 'explanation' | 'source'> & {
  options?: string;
  answer?: string;
  accepted?: string;
};

const letters = (answer: number[]) => answer.map((i) => String.fromCharCode(65 + i)).join('');

/** The form's values of a question (one line per option or blank, answers as letters). */
const valuesOf = (q: Question): QuestionValues => ({
  kind: q.kind,
  category: q.category,
  difficulty: q.difficulty,
  stem: q.stem,
  options: q.kind === 'judge' ? '' : q.options.join('\n'),
  answer: letters(q.answer),
  accepted: q.accepted.map((a) => a.join(' / ')).join('\n'),
  explanation: q.explanation,
  source: q.source,
});

export function QuestionDialog({
  open,
  orgId,
  question,
  onClose,
}: {
  open: boolean;
  orgId: string;
  /** The question to edit; none: a new one. */
  question?: Question | null;
  onClose: (saved: Question | null) => void;
}) {
  const { message } = App.useApp();
  const [qform] = Form.useForm<QuestionValues>();
  const qkind = Form.useWatch<string | undefined>('kind', qform);
  const submit = async (v: QuestionValues) => {
    // 填空题: one line per blank, the answers that count for it separated by 「/」.
    const accepted = String(v.accepted ?? '')
      .split('\n')
      .map((line) =>
        line
          .split(/[/／]/)
          .map((a) => a.trim())
          .filter(Boolean),
      )
      .filter((a) => a.length > 0);
    const options = String(v.options ?? '')
      .split('\n')
      .map((s: string) => s.trim())
      .filter(Boolean);
    const answer = String(v.answer ?? '')
      .toUpperCase()
      .replace(/[^A-H]/g, '')
      .split('')
      .map((c) => c.charCodeAt(0) - 65);
    const body = {
      kind: v.kind,
      category: v.category,
      difficulty: v.difficulty,
      stem: v.stem,
      ...(v.kind === 'fill' ? { accepted } : { options: v.kind === 'judge' ? ['正确', '错误'] : options, answer }),
      explanation: v.explanation ?? '',
      source: v.source ?? '',
    };
    const saved = question
      ? await api.patch<Question>(`/learn-questions/${question.id}`, body)
      : await api.post<Question>('/learn/questions', { orgId, ...body });
    void message.success(question ? '题目已修改' : '题目已加入题库');
    onClose(saved);
  };
  return (
    <FormDialog<QuestionValues>
      title={question ? '编辑题目' : '新增题目'}
      open={open}
      onClose={() => onClose(null)}
      form={qform}
      initialValues={question ? valuesOf(question) : { kind: 'single', category: '其他', difficulty: '中' }}
      onSubmit={submit}
    >
      <Form.Item name="kind" label="题型">
        <Select
          aria-label="题型"
          options={QUESTION_KINDS.map((k) => ({
            value: k,
            label: k === 'judge' ? `${QUESTION_KIND_LABELS[k]}（选项为正确/错误）` : QUESTION_KIND_LABELS[k],
          }))}
        />
      </Form.Item>
      <Form.Item name="category" label="分类（随机组卷按分类抽题）">
        <Radio.Group options={QUESTION_CATEGORIES.map((c) => ({ value: c, label: c }))} />
      </Form.Item>
      <Form.Item name="difficulty" label="难度">
        <Radio.Group options={QUESTION_DIFFICULTIES.map((c) => ({ value: c, label: c }))} />
      </Form.Item>
      <Form.Item
        name="stem"
        label="题干"
        extra={qkind === 'fill' ? FILL_RULE : undefined}
        rules={[{ required: true, min: 4, message: '题干至少 4 个字' }]}
      >
        <Input.TextArea rows={2} />
      </Form.Item>
      {qkind === 'fill' ? (
        <Form.Item
          name="accepted"
          label="每个空的答案（每行一个空；一个空有几个都算对的答案时用 / 隔开）"
          rules={[{ required: true, message: '请写出每个空的答案' }]}
        >
          <Input.TextArea rows={3} placeholder={'1921/一九二一\n中央委员会'} />
        </Form.Item>
      ) : (
        <>
          {qkind !== 'judge' && (
            <Form.Item name="options" label="选项（每行一个）">
              <Input.TextArea rows={4} />
            </Form.Item>
          )}
          <Form.Item
            name="answer"
            label="正确答案（字母，如 A 或 ABD；判断题 A=正确 B=错误）"
            rules={[{ required: true, message: '请填写正确答案' }]}
          >
            <Input />
          </Form.Item>
        </>
      )}
      <Form.Item name="explanation" label="解析（交卷后和错题回顾中显示）">
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="source" label="出处">
        <Input maxLength={200} placeholder="如：中国共产党章程 第七条" />
      </Form.Item>
      {question && (
        <Form.Item noStyle>
          <span className="ant-form-item-extra">
            已有人作答过的题目，题型、题干、选项和答案不能再改（以免改变已有的答卷和成绩），解析、出处、分类和难度仍可修改。
          </span>
        </Form.Item>
      )}
    </FormDialog>
  );
}
