/**
 * Answering a day's practice or an exam (choice questions with their options in this attempt's order, fill-in
 * questions with a box per blank); after handing in, 错题回顾: each question with its key, explanation and source.
 */
import { QUESTION_KIND_LABELS, type Attempt } from '@xianfeng/shared';
import { Alert, Button, Card, Input, Radio, Result, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { CheckList } from '../../platform/CheckList';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { useSubmit } from '../../platform/useSubmit';

const letter = (i: number) => String.fromCharCode(65 + i);

export function AttemptPage() {
  const { id = '' } = useParams();
  const r = useAsync(() => api.get<Attempt>(`/learn-attempts/${id}`), [id]);
  const [answers, setAnswers] = useState<Record<string, number[] | string[]>>({});
  const { busy, run } = useSubmit('toast');
  const a = r.data;
  const submit = async () => {
    await run(async () => {
      r.setData(await api.post<Attempt>(`/learn-attempts/${id}/submit`, { answers }));
      window.scrollTo(0, 0);
    });
  };
  return (
    <div className="xf-learn">
      <Link to="/learn?tab=practice">← 返回练习与考试</Link>
      <LoadError error={r.error} onRetry={r.reload} />
      {a && (
        <Card style={{ marginTop: 12 }} title={a.title}>
          {a.results ? (
            <Result
              // Daily practice has no pass mark (passed null): a neutral icon below 60, never a green tick for 20 分.
              status={a.passed === false ? 'warning' : a.passed === null && (a.score ?? 0) < 60 ? 'info' : 'success'}
              title={`得分 ${a.score}`}
              subTitle={`${a.passed === null ? ((a.score ?? 0) < 60 ? '看看下面的解析，明天再练。' : '') : a.passed ? '考试通过。' : '未达到及格分。'}${a.points > 0 ? `获得 ${a.points} 个学习积分。` : ''}`}
            />
          ) : (
            a.deadline && (
              <Alert
                type="info"
                showIcon
                message={`请在 ${new Date(a.deadline).toLocaleTimeString('zh-CN')} 前交卷，超时的答案不计分`}
                style={{ marginBottom: 16 }}
              />
            )
          )}
          {(a.results ?? a.questions).map((q, n) => {
            const res = a.results?.[n];
            const mine = answers[q.id] ?? [];
            const chosen = res ? res.chosen : (mine as number[]);
            const filled = res ? res.filled : (mine as string[]);
            const set = (v: number[] | string[]) => setAnswers({ ...answers, [q.id]: v });
            const fillBlank = (j: number, text: string) =>
              set(Array.from({ length: q.blanks }, (_, k) => (k === j ? text : (filled[k] ?? ''))));
            return (
              <div key={q.id} className="xf-learn-question">
                <Typography.Paragraph strong>
                  {n + 1}. [{QUESTION_KIND_LABELS[q.kind]}] {q.stem}
                </Typography.Paragraph>
                {q.kind === 'fill' ? (
                  <div className="xf-learn-blanks">
                    {Array.from({ length: q.blanks }, (_, j) => (
                      <Input
                        key={j}
                        size="large"
                        aria-label={`第 ${n + 1} 题第 ${j + 1} 空`}
                        addonBefore={`第 ${j + 1} 空`}
                        value={filled[j] ?? ''}
                        disabled={Boolean(res)}
                        maxLength={200}
                        onChange={(e) => fillBlank(j, e.target.value)}
                      />
                    ))}
                  </div>
                ) : q.kind === 'multi' ? (
                  <CheckList
                    column
                    aria-label={`第 ${n + 1} 题的选项`}
                    value={chosen}
                    disabled={Boolean(res)}
                    onChange={set}
                    options={q.options.map((o, i) => ({ value: i, label: `${letter(i)}. ${o}` }))}
                  />
                ) : (
                  <Radio.Group
                    value={chosen[0]}
                    disabled={Boolean(res)}
                    onChange={(e) => set([e.target.value as number])}
                  >
                    {q.options.map((o, i) => (
                      <Radio key={i} value={i}>
                        {letter(i)}. {o}
                      </Radio>
                    ))}
                  </Radio.Group>
                )}
                {res && (
                  <div className={res.correct ? 'xf-learn-right' : 'xf-learn-wrong'} style={{ marginTop: 8 }}>
                    <Typography.Paragraph style={{ marginBottom: 4, color: 'inherit' }}>
                      {res.correct
                        ? '回答正确'
                        : `回答错误，正确答案：${
                            q.kind === 'fill'
                              ? res.accepted.map((ok, j) => `第 ${j + 1} 空「${ok.join('」或「')}」`).join('，')
                              : res.answer.map(letter).join('')
                          }`}
                      。
                    </Typography.Paragraph>
                    {res.explanation && (
                      <Typography.Paragraph style={{ marginBottom: 4 }}>解析：{res.explanation}</Typography.Paragraph>
                    )}
                    <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                      <Tag>{res.category}</Tag>
                      <Tag>难度 {res.difficulty}</Tag>
                      {res.source && `出处：${res.source}`}
                    </Typography.Paragraph>
                  </div>
                )}
              </div>
            );
          })}
          {!a.results && (
            <Button type="primary" size="large" loading={busy} onClick={submit}>
              交卷
            </Button>
          )}
        </Card>
      )}
    </div>
  );
}
