/**
 * 题库 for managers: the questions of the org line (search, paged, with their keys and categories), 编辑 (the form of
 * 新增题目, QuestionDialog), 停用 (retire, kept for the answers already given), and 组卷: the ticked questions become an exam with its window, time limit, pass
 * score and attempts — or 随机组卷: counts per type drawn from categories (and difficulties), a paper of its own for
 * every learner.
 */
import {
  QUESTION_CATEGORIES,
  QUESTION_DIFFICULTIES,
  QUESTION_KINDS,
  QUESTION_KIND_LABELS,
  addDays,
  todayInChina,
  type BankCount,
  type Exam,
  type Question,
  type QuestionKind,
} from '@xianfeng/shared';
import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { CheckList } from '../../platform/CheckList';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { ImportDialog, type ImportKind } from '../member/ImportDialog';
import { QuestionDialog } from './QuestionDialog';
import { FormDialog } from '../../platform/FormDialog';
import { useSubmit } from '../../platform/useSubmit';

const letter = (i: number) => String.fromCharCode(65 + i);

/** 导入题目: the member import's dialog (template, progress, row-and-column problems), for the bank. */
const QUESTION_IMPORT: ImportKind = {
  title: '导入题目',
  importPath: '/learn/questions/import',
  templatePath: '/learn/questions/import-template',
  unit: '道题',
  instructions: (
    <>
      第一步：下载导入模板，每行一道题（红色列为必填；选择题的答案写字母，如 A 或
      ABD；判断题写「正确」或「错误」；填空题每个空用 | 隔开，几个都算对的答案用 / 隔开）。
      <br />
      第二步：选择填好的 .xlsx
      文件导入到本组织的题库。任何一行有误、或题干与文件中或题库里已有的题目重复（不计空格、标点和全角半角），都不会导入，并会列出每一处。
    </>
  ),
  doneHint: '题目已加入本组织的题库',
  maxMb: 10,
};

/** The exam form's fields: the window as YYYY-MM-DD, and for a random draw the categories, difficulties and counts. */
type ExamValues = {
  title: string;
  passScore: number;
  minutes: number;
  maxAttempts: number;
  opensOn: string;
  closesOn: string;
  required?: boolean;
  audience: 'all' | 'probationary';
  categories?: string[];
  difficulties?: string[];
} & Partial<Record<QuestionKind, number>>;

export function BankCard({ orgId, onExam }: { orgId: string; onExam?: (e: Exam) => void }) {
  const { message } = App.useApp();
  const { busyKey, run } = useSubmit('toast');
  const paging = usePaging('道题', 10);
  const [q, setQ] = useState('');
  const [retired, setRetired] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  /** The exam form: over the ticked questions, or a random draw. */
  const [open, setOpen] = useState<'picked' | 'draw' | null>(null);
  const [importing, setImporting] = useState(false);
  /** The question being edited. */
  const [editing, setEditing] = useState<Question | null>(null);
  const [form] = Form.useForm<ExamValues>();
  const drawCats = Form.useWatch<string[] | undefined>('categories', form);
  const drawLevels = Form.useWatch<string[] | undefined>('difficulties', form);
  const counts = useAsync(
    () =>
      open === 'draw' ? api.get<{ items: BankCount[] }>('/learn/questions/counts', { orgId }) : Promise.resolve(null),
    [open, orgId],
  );
  const available = (kind: string) =>
    (counts.data?.items ?? [])
      .filter(
        (c) =>
          c.kind === kind &&
          (drawCats ?? []).includes(c.category) &&
          (!drawLevels?.length || drawLevels.includes(c.difficulty)),
      )
      .reduce((n, c) => n + c.count, 0);
  const list = useAsync(
    () =>
      api.get<Page<Question>>('/learn/questions', {
        orgId,
        q: q || undefined,
        includeRetired: String(retired),
        page: paging.page,
        pageSize: paging.pageSize,
      }),
    [orgId, q, retired, paging.page, paging.pageSize],
  );
  const retire = (id: string) =>
    run(
      async () => {
        await api.post(`/learn-questions/${id}/retire`);
        setPicked((p) => p.filter((x) => x !== id));
        void message.success('已停用，已作答的记录不受影响');
        void list.reload();
      },
      { key: id },
    );
  const submitExam = async (v: ExamValues) => {
    const exam = await api.post<Exam>('/learn/exams', {
      orgId,
      title: v.title,
      ...(open === 'draw'
        ? {
            draw: {
              categories: v.categories,
              ...(v.difficulties?.length && v.difficulties.length < QUESTION_DIFFICULTIES.length
                ? { difficulties: v.difficulties }
                : {}),
              counts: { single: v.single ?? 0, multi: v.multi ?? 0, judge: v.judge ?? 0, fill: v.fill ?? 0 },
            },
          }
        : { questionIds: picked }),
      passScore: v.passScore,
      minutes: v.minutes,
      maxAttempts: v.maxAttempts,
      opensOn: v.opensOn,
      closesOn: v.closesOn,
      required: Boolean(v.required),
      audience: v.required ? v.audience : 'all',
    });
    setOpen(null);
    setPicked([]);
    void message.success(`考试「${exam.title}」已发布，共 ${exam.questionCount} 题`);
    onExam?.(exam);
  };
  const today = todayInChina();
  return (
    <Card title="题库" className="xf-learn-card" data-testid="learn-bank">
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label="搜索题目"
          placeholder="搜索题干"
          allowClear
          onSearch={(v) => {
            paging.setPage(1);
            setQ(v.trim());
          }}
          style={{ maxWidth: 260 }}
        />
        <Checkbox checked={retired} onChange={(e) => setRetired(e.target.checked)}>
          含已停用
        </Checkbox>
        <Button type="primary" disabled={picked.length === 0} onClick={() => setOpen('picked')}>
          用选中的 {picked.length} 题组卷
        </Button>
        <Button onClick={() => setOpen('draw')}>随机组卷</Button>
        <Button onClick={() => setImporting(true)}>导入题目</Button>
      </Space>
      <ImportDialog
        open={importing}
        orgId={orgId}
        kind={QUESTION_IMPORT}
        onClose={(imported) => {
          setImporting(false);
          if (imported) void list.reload();
        }}
      />
      <QuestionDialog
        key={editing?.id ?? 'none'}
        open={editing !== null}
        orgId={orgId}
        question={editing}
        onClose={(saved) => {
          setEditing(null);
          if (saved) void list.reload();
        }}
      />
      <LoadError error={list.error} onRetry={list.reload} />
      <List
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={
          list.data && list.data.total > paging.pageSize
            ? { ...paging.pagination(list.data.total), simple: true }
            : false
        }
        locale={{ emptyText: '没有题目' }}
        renderItem={(x) => (
          <List.Item
            key={x.id}
            actions={
              x.retired
                ? [<Tag key="r">已停用</Tag>]
                : x.orgId !== orgId
                  ? []
                  : [
                      <Button key="e" size="small" onClick={() => setEditing(x)} aria-label={`编辑：${x.stem}`}>
                        编辑
                      </Button>,
                      <Popconfirm
                        key="r"
                        title="停用这道题？"
                        description="停用后不再出现在练习和新考试中"
                        okText="停用"
                        cancelText="取消"
                        onConfirm={() => retire(x.id)}
                      >
                        <Button size="small" loading={busyKey === x.id}>
                          停用
                        </Button>
                      </Popconfirm>,
                    ]
            }
          >
            <div style={{ minWidth: 0 }}>
              <Checkbox
                disabled={x.retired}
                checked={picked.includes(x.id)}
                onChange={(e) => setPicked((p) => (e.target.checked ? [...p, x.id] : p.filter((y) => y !== x.id)))}
                aria-label={`选入考试：${x.stem}`}
              >
                <Tag>{QUESTION_KIND_LABELS[x.kind]}</Tag>
                <Tag color="blue">{x.category}</Tag>
                <Tag color={x.difficulty === '难' ? 'red' : x.difficulty === '易' ? 'green' : 'gold'}>
                  {x.difficulty}
                </Tag>
                {x.stem}
              </Checkbox>
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0 24px' }}>
                {x.kind === 'fill'
                  ? `答案：${x.accepted.map((ok, j) => `第 ${j + 1} 空 ${ok.join(' / ')}`).join('；')}`
                  : `${x.options.map((o, i) => `${letter(i)}. ${o}`).join('  ')} · 答案：${x.answer.map(letter).join('')}`}
                {x.source && ` · 出处：${x.source}`} · {x.orgName}
              </Typography.Paragraph>
            </div>
          </List.Item>
        )}
      />
      <FormDialog<ExamValues>
        title={open === 'draw' ? '随机组卷（每人一份，按分类、难度和题型抽题）' : `组卷（${picked.length} 题）`}
        open={open !== null}
        onClose={() => setOpen(null)}
        okText="发布考试"
        form={form}
        initialValues={{
          passScore: 60,
          minutes: 20,
          maxAttempts: 3,
          opensOn: today,
          closesOn: addDays(today, 14),
          required: false,
          audience: 'all',
        }}
        onSubmit={submitExam}
      >
        <Form.Item name="title" label="考试名称" rules={[{ required: true, min: 2, message: '考试名称至少 2 个字' }]}>
          <Input maxLength={100} />
        </Form.Item>
        {open === 'draw' && (
          <>
            <Form.Item
              name="categories"
              label="从这些分类中抽题"
              rules={[{ required: true, message: '请至少选一个分类' }]}
            >
              <CheckList aria-label="抽题分类" options={QUESTION_CATEGORIES.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
            <Form.Item name="difficulties" label="难度（不选为全部难度）">
              <CheckList aria-label="难度" options={QUESTION_DIFFICULTIES.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
            <Space wrap>
              {QUESTION_KINDS.map((k) => (
                <Form.Item
                  key={k}
                  name={k}
                  label={`${QUESTION_KIND_LABELS[k]}（可抽 ${available(k)} 道）`}
                  rules={[{ type: 'number', max: available(k), message: `最多 ${available(k)} 道` }]}
                >
                  <InputNumber min={0} max={100} aria-label={`${QUESTION_KIND_LABELS[k]}数量`} />
                </Form.Item>
              ))}
            </Space>
          </>
        )}
        <Space wrap>
          <Form.Item name="passScore" label="及格分（满分 100）" rules={[{ required: true, message: '请填写及格分' }]}>
            <InputNumber min={1} max={100} />
          </Form.Item>
          <Form.Item name="minutes" label="限时（分钟）" rules={[{ required: true, message: '请填写限时' }]}>
            <InputNumber min={1} max={240} />
          </Form.Item>
          <Form.Item name="maxAttempts" label="可考次数" rules={[{ required: true, message: '请填写可考次数' }]}>
            <InputNumber min={1} max={10} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="opensOn" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="closesOn" label="截止日期" rules={[{ required: true, message: '请选择截止日期' }]}>
            <Input type="date" />
          </Form.Item>
        </Space>
        <Form.Item name="required" label="必考（本组织及下级的党员都须参加）" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="audience" label="必考对象">
          <Select
            aria-label="必考对象"
            options={[
              { value: 'all', label: '全体党员' },
              { value: 'probationary', label: '预备党员' },
            ]}
          />
        </Form.Item>
        <Typography.Text type="secondary">
          {open === 'draw' && '每位考生的试卷由服务器按本人和本场考试随机抽取，重新进入或再考看到的是同一份。'}
          选择题的选项每次作答都重新打乱顺序。答案只在交卷后显示给考生；成绩由服务器判分，超时作答不计分。
        </Typography.Text>
      </FormDialog>
    </Card>
  );
}
