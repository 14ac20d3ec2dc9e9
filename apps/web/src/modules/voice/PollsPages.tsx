/**
 * 问卷投票 (member, phone first): the surveys and votes the member is asked into, answering a
 * survey, and voting with candidates' pages and, when the vote allows, its results.
 */
import { CheckCircleOutlined, FormOutlined, UploadOutlined } from '@ant-design/icons';
import {
  RECORD_KEEPERS,
  VOTE_KIND_LABELS,
  VOTE_VISIBILITY_LABELS,
  type Survey,
  type Vote,
  type VoteResults,
} from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Empty, Result, Spin, Tabs, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { CheckList } from '../../platform/CheckList';
import { BackTitle } from '../../platform/BackTitle';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { ResultBars } from './Chart';
import { SurveyAnswerForm } from './forms';
import { fmtDay, KindTag, StateTag } from './labels';
import { uploadRequest, useSubmit } from '../../platform/useSubmit';

export function PollsPage() {
  const surveys = useAsync(() => api.get<Page<Survey>>('/voice/surveys/open', { pageSize: 50 }), []);
  const votes = useAsync(() => api.get<Page<Vote>>('/voice/votes/open', { pageSize: 50 }), []);
  return (
    <Card
      className="xf-voice-page"
      title={
        <span>
          <FormOutlined /> 问卷投票
        </span>
      }
    >
      <Tabs
        items={[
          {
            key: 'surveys',
            label: `问卷测评${surveys.data ? `（${surveys.data.items.filter((s) => s.canAnswer).length}）` : ''}`,
            children: (
              <div className="xf-my-list">
                <LoadError error={surveys.error} onRetry={surveys.reload} />
                {surveys.data?.items.length === 0 && <Empty description="暂时没有请你参加的问卷" />}
                {surveys.data?.items.map((s) => (
                  <Card key={s.id} className="xf-my-card" data-testid="survey">
                    <div className="xf-my-title">{s.title}</div>
                    <div className="xf-my-tags">
                      <KindTag k={s.kind} />
                      <StateTag s={s.state} />
                      {s.anonymous && <Tag>匿名</Tag>}
                      {s.answered && <Tag color="green">已提交</Tag>}
                    </div>
                    <div className="xf-voice-meta">
                      {s.orgName} · {fmtDay(s.closesAt)} 截止
                    </div>
                    {s.canAnswer && (
                      <Link to={`/voice/surveys/${s.id}`}>
                        <Button type="primary" size="large" block>
                          去填写
                        </Button>
                      </Link>
                    )}
                  </Card>
                ))}
              </div>
            ),
          },
          {
            key: 'votes',
            label: `投票${votes.data ? `（${votes.data.items.filter((v) => v.canVote).length}）` : ''}`,
            children: (
              <div className="xf-my-list">
                <LoadError error={votes.error} onRetry={votes.reload} />
                {votes.data?.items.length === 0 && <Empty description="暂时没有请你参加的投票" />}
                {votes.data?.items.map((v) => (
                  <Card key={v.id} className="xf-my-card" data-testid="vote">
                    <div className="xf-my-title">{v.title}</div>
                    <div className="xf-my-tags">
                      <Tag>{VOTE_KIND_LABELS[v.kind]}</Tag>
                      <StateTag s={v.state} />
                      {v.voted && <Tag color="green">已投票</Tag>}
                    </div>
                    <div className="xf-voice-meta">
                      {v.orgName} · {fmtDay(v.closesAt)} 截止 · 每人最多选 {v.maxChoices} 项
                    </div>
                    <Link to={`/voice/votes/${v.id}`}>
                      <Button type={v.canVote ? 'primary' : 'default'} size="large" block>
                        {v.canVote ? '去投票' : v.resultsVisible ? '看结果' : '查看'}
                      </Button>
                    </Link>
                  </Card>
                ))}
              </div>
            ),
          },
        ]}
      />
    </Card>
  );
}

export function SurveyAnswerPage() {
  const { id } = useParams();
  const survey = useAsync(() => api.get<Survey>(`/voice-surveys/${id}`), [id]);
  const [done, setDone] = useState(false);
  const s = survey.data;
  if (survey.error) return <LoadError error={survey.error} onRetry={survey.reload} />;
  if (!s) return <Spin className="xf-center-small" />;
  return (
    <Card className="xf-voice-page" title={<BackTitle to="/voice/polls">{s.title}</BackTitle>}>
      {done || s.answered ? (
        <Result
          status="success"
          title="已提交，感谢参与"
          subTitle={s.anonymous ? '本问卷为匿名问卷，你的答卷不与你的账号关联。' : undefined}
        />
      ) : (
        <>
          <div className="xf-my-tags">
            <KindTag k={s.kind} />
            <StateTag s={s.state} />
            {s.anonymous && <Tag color="green">匿名</Tag>}
          </div>
          {s.description && <Typography.Paragraph>{s.description}</Typography.Paragraph>}
          {s.anonymous && (
            <Alert
              type="info"
              showIcon
              message="匿名问卷：答卷不记录你的姓名和提交时间，结果在结束后汇总公布。"
              style={{ marginBottom: 16 }}
            />
          )}
          {s.canAnswer ? (
            <SurveyAnswerForm
              survey={s}
              onSubmit={async (answers) => {
                await api.post(`/voice-surveys/${s.id}/responses`, { answers });
                setDone(true);
              }}
            />
          ) : (
            <Alert
              type="warning"
              message={
                s.state === 'ended'
                  ? '问卷已结束'
                  : s.state === 'upcoming'
                    ? '问卷尚未开始'
                    : '你不在本问卷的参与范围内'
              }
            />
          )}
        </>
      )}
    </Card>
  );
}

export function VoteResultsView({ voteId }: { voteId: string }) {
  const res = useAsync(
    () =>
      api
        .get<VoteResults>(`/voice-votes/${voteId}/results`)
        .catch((e) => (e instanceof ApiError && e.status === 409 ? e.message : Promise.reject(e))),
    [voteId],
  );
  if (res.error) return <LoadError error={res.error} onRetry={res.reload} />;
  if (res.data === undefined) return <Spin className="xf-center-small" />;
  if (typeof res.data === 'string') return <Alert type="info" message={res.data} />;
  const r = res.data;
  return (
    <div data-testid="vote-results">
      <Typography.Paragraph>
        共 {r.ballots} 张选票，{r.marks} 票{r.state === 'ended' ? '（已结束）' : '（实时）'}
      </Typography.Paragraph>
      <ResultBars
        labels={r.candidates.map((c) => c.name)}
        values={r.candidates.map((c) => c.votes)}
        unit="票"
        label="投票结果柱状图"
      />
      <table className="xf-voice-table">
        <tbody>
          {r.candidates.map((c) => (
            <tr key={c.id} data-testid="vote-row">
              <td>{c.name}</td>
              <td>{c.votes} 票</td>
              <td>{Math.round(c.share * 1000) / 10}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function VotePage() {
  const { id } = useParams();
  const { message } = AntApp.useApp();
  const vote = useAsync(() => api.get<Vote>(`/voice-votes/${id}`), [id]);
  const [choices, setChoices] = useState<string[]>([]);
  const { busy, run } = useSubmit('toast');
  const photo = useSubmit('toast');
  const [photoVersion, setPhotoVersion] = useState(0);
  const { can } = useAuth();
  const v = vote.data;
  if (vote.error) return <LoadError error={vote.error} onRetry={vote.reload} />;
  if (!v) return <Spin className="xf-center-small" />;
  return (
    <Card className="xf-voice-page" title={<BackTitle>{v.title}</BackTitle>}>
      <div className="xf-my-tags">
        <Tag>{VOTE_KIND_LABELS[v.kind]}</Tag>
        <StateTag s={v.state} />
        <Tag>无记名</Tag>
        {v.voted && (
          <Tag color="green" icon={<CheckCircleOutlined />}>
            已投票
          </Tag>
        )}
      </div>
      {v.description && <Typography.Paragraph>{v.description}</Typography.Paragraph>}
      <Typography.Paragraph type="secondary">
        {v.orgName} · {fmtDay(v.opensAt)} 至 {fmtDay(v.closesAt)} · 每人最多选 {v.maxChoices} 项 ·{' '}
        {VOTE_VISIBILITY_LABELS[v.visibility]}
      </Typography.Paragraph>
      <CheckList
        aria-label="候选人"
        value={choices}
        onChange={setChoices}
        disabled={!v.canVote}
        max={v.maxChoices}
        column
        className="xf-voice-candidates"
        options={v.candidates.map((c) => ({ value: c.id, label: <span className="xf-my-title">{c.name}</span> }))}
        renderItem={(_, box, i) => {
          const c = v.candidates[i]!;
          return (
            <Card size="small" className="xf-voice-candidate" data-testid="candidate">
              <div className="xf-voice-candidate-main">
                {c.photo && (
                  <img
                    className="xf-voice-candidate-photo"
                    src={`/api/v1/voice-candidates/${c.id}/photo?v=${photoVersion}`}
                    alt={`${c.name}的照片`}
                  />
                )}
                <div className="xf-voice-candidate-text">
                  {box}
                  {c.summary && <div className="xf-voice-meta">{c.summary}</div>}
                  {c.body && (
                    <Typography.Paragraph ellipsis={{ rows: 3, expandable: true, symbol: '展开' }}>
                      {c.body}
                    </Typography.Paragraph>
                  )}
                  {v.state === 'draft' && can(...RECORD_KEEPERS) && (
                    <Upload
                      showUploadList={false}
                      accept="image/jpeg,image/png,image/gif,image/webp"
                      customRequest={uploadRequest(
                        photo.run,
                        async (fd) => {
                          await api.post(`/voice-candidates/${c.id}/photo`, fd);
                          message.success('照片已保存');
                          setPhotoVersion((n) => n + 1);
                          await vote.reload();
                        },
                        { key: c.id },
                      )}
                    >
                      <Button size="small" icon={<UploadOutlined />} loading={photo.busyKey === c.id}>
                        {c.photo ? '更换照片' : '上传照片'}
                      </Button>
                    </Upload>
                  )}
                </div>
              </div>
            </Card>
          );
        }}
      />
      {v.canVote && (
        <Button
          type="primary"
          size="large"
          block
          disabled={choices.length === 0}
          loading={busy}
          onClick={async () => {
            await run(async () => {
              vote.setData(await api.post<Vote>(`/voice-votes/${v.id}/ballots`, { choices }));
              message.success('投票成功');
            });
          }}
        >
          投票（已选 {choices.length}/{v.maxChoices}）
        </Button>
      )}
      {(v.resultsVisible || v.state === 'ended') && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            投票结果
          </Typography.Title>
          <VoteResultsView voteId={v.id} />
        </>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        本次投票为无记名投票：平台只记录谁投过票，不记录谁投给了谁。
      </Typography.Paragraph>
    </Card>
  );
}
