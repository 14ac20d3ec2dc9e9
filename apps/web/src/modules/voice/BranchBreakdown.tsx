/**
 * A survey's results by branch (for the org above): responses, response rate against the audience accounts,
 * the score and each question's average or option counts; branches hidden to protect anonymous answers
 * say so instead of showing numbers. Paged by the server; the .xlsx export has every branch.
 */
import { DownloadOutlined, EyeInvisibleOutlined } from '@ant-design/icons';
import type { SurveyBranchRow, SurveyBreakdown } from '@xianfeng/shared';
import { Alert, Button, Card, List, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { TableOrList } from '../../platform/TableOrList';
import { useAsync } from '../../platform/useAsync';
import { useSubmit } from '../../platform/useSubmit';

type Row = SurveyBranchRow & { key: string };
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

export function BranchBreakdown({ surveyId }: { surveyId: string }) {
  const { busy, run } = useSubmit('toast');
  const [page, setPage] = useState(1);
  const pageSize = 10;
  const res = useAsync(
    () => api.get<SurveyBreakdown>(`/voice-surveys/${surveyId}/breakdown`, { page, pageSize }),
    [surveyId, page],
  );
  const b = res.data;
  const cell = (x: Row, q: SurveyBreakdown['questions'][number]) => {
    const c = x.cells.find((y) => y.q === q.id);
    if (q.type === 'rating') return c?.average ?? '—';
    return (q.options ?? []).map((o, k) => `${o} ${c?.counts?.[k] ?? 0}`).join('；');
  };
  const hidden = <Tag icon={<EyeInvisibleOutlined />}>人数少，不显示</Tag>;
  const columns: TableColumnsType<Row> = b
    ? [
        { title: '支部', dataIndex: 'orgName', width: 180 },
        { title: '应参与', dataIndex: 'invited', width: 80, align: 'right' },
        {
          title: '答卷',
          width: 90,
          align: 'right',
          render: (_, x) => (x.viaCode ? `${x.responses}（码 ${x.viaCode}）` : x.responses),
        },
        { title: '参与率', width: 80, align: 'right', render: (_, x) => pct(x.rate) },
        ...(b.kind === 'survey'
          ? []
          : [
              { title: '得分', width: 110, render: (_: unknown, x: Row) => (x.suppressed ? hidden : (x.score ?? '—')) },
            ]),
        ...b.questions.map((q) => ({
          title: q.type === 'rating' ? `${q.title}（均分）` : q.title,
          key: q.id,
          width: q.type === 'rating' ? 110 : 200,
          render: (_: unknown, x: Row) => (x.suppressed ? hidden : cell(x, q)),
        })),
      ]
    : [];
  const items: Row[] = (b?.items ?? []).map((x) => ({ ...x, key: x.orgId ?? 'unknown' }));
  return (
    <Card
      size="small"
      className="xf-voice-qcard"
      title="按支部分列"
      data-testid="survey-breakdown"
      extra={
        b && (
          <Button
            size="small"
            icon={<DownloadOutlined />}
            loading={busy}
            onClick={() => run(() => api.download(`/voice-surveys/${surveyId}/breakdown/export`))}
          >
            导出
          </Button>
        )
      }
    >
      <LoadError error={res.error} onRetry={res.reload} />
      {b && (
        <>
          <Typography.Paragraph>
            应参与 {b.invited} 人，答卷 {b.responses} 份
            {b.suppressedBranches > 0 ? `；${b.suppressedBranches} 个支部为保护匿名不显示得分` : ''}
          </Typography.Paragraph>
          <Alert type="info" showIcon message={b.note} style={{ marginBottom: 12 }} />
          <div className="xf-voice-breakdown">
            <TableOrList<Row>
              rowKey="key"
              items={items}
              loading={res.loading}
              page={page}
              pageSize={pageSize}
              total={b.total}
              onPage={setPage}
              empty="没有支部的数据"
              columns={columns}
              renderItem={(x) => (
                <List.Item>
                  <List.Item.Meta
                    title={x.orgName}
                    description={
                      <>
                        <div>
                          应参与 {x.invited} · 答卷 {x.responses}
                          {x.viaCode ? `（码 ${x.viaCode}）` : ''} · 参与率 {pct(x.rate)}
                        </div>
                        {x.suppressed ? (
                          hidden
                        ) : (
                          <>
                            {b.kind !== 'survey' && <div>得分 {x.score ?? '—'}</div>}
                            {b.questions.map((q) => (
                              <div key={q.id}>
                                {q.title}：{cell(x, q)}
                              </div>
                            ))}
                          </>
                        )}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          </div>
        </>
      )}
    </Card>
  );
}
