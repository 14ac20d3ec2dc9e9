/** Answering a day's practice or an exam; after handing in, each question with its key and explanation. */
import { QUESTION_KIND_LABELS, type Attempt } from '@xianfeng/shared';
import { Alert, App, Button, Card, Checkbox, Radio, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, errorText } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';

const letter = (i: number) => String.fromCharCode(65 + i);

export function AttemptPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const r = useAsync(() => api.get<Attempt>(`/learn-attempts/${id}`), [id]);
  const [answers, setAnswers] = useState<Record<string, number[]>>({});
  const [busy, setBusy] = useState(false);
  const a = r.data;
  const submit = async () => {
    setBusy(true);
    try {
      r.setData(await api.post<Attempt>(`/learn-attempts/${id}/submit`, { answers }));
      window.scrollTo(0, 0);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
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
            const chosen = res ? res.chosen : (answers[q.id] ?? []);
            const set = (v: number[]) => setAnswers({ ...answers, [q.id]: v });
            return (
              <div key={q.id} className="xf-learn-question">
                <Typography.Paragraph strong>
                  {n + 1}. [{QUESTION_KIND_LABELS[q.kind]}] {q.stem}
                </Typography.Paragraph>
                {q.kind === 'multi' ? (
                  <Checkbox.Group value={chosen} disabled={Boolean(res)} onChange={(v) => set((v as number[]).sort())}>
                    {q.options.map((o, i) => (
                      <Checkbox key={i} value={i}>
                        {letter(i)}. {o}
                      </Checkbox>
                    ))}
                  </Checkbox.Group>
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
                  <Typography.Paragraph
                    className={res.correct ? 'xf-learn-right' : 'xf-learn-wrong'}
                    style={{ marginTop: 8 }}
                  >
                    {res.correct ? '回答正确' : `回答错误，正确答案：${res.answer.map(letter).join('')}`}。
                    {res.explanation}
                  </Typography.Paragraph>
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
