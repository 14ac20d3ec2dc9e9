/**
 * The lecture room: the video (or the live-stream link), and the Q&A live over one EventSource on
 * GET /api/v1/media-lectures/:id/stream (`hello`, `question` events; the browser reconnects by itself and
 * gets the list again). Opening the room during the lecture records the member's attendance once (党课 of
 * their org). Members ask; the moderator (the hosting org's secretary/admins) sees pending questions with
 * 通过 / 拒绝; others see approved ones and their own. The secretary uploads a video and publishes a draft here.
 */
import {
  LECTURE_QUESTION_MAX_CHARS,
  LECTURE_QUESTION_STATUS_LABELS,
  nowMs,
  type LectureQuestion,
  type LectureView,
  type MediaFile,
} from '@xianfeng/shared';
import { App, Button, Card, Empty, Input, List, Space, Tag, Typography, Upload } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { fmtTime, LectureForm, PhaseTag } from './LecturesPage';
import './media.css';
import { SubjectComments } from './Comments';
import { uploadRequest, useSubmit } from '../../platform/useSubmit';

/** The questions of a lecture, live: one EventSource while the room is open, closed when it is left. */
function useQuestions(id: string, enabled: boolean) {
  const [byId, setById] = useState<Map<string, LectureQuestion>>(new Map());
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const es = new EventSource(`/api/v1/media-lectures/${id}/stream`);
    es.addEventListener('open', () => setConnected(true));
    es.addEventListener('error', () => setConnected(false));
    es.addEventListener('hello', () => setConnected(true));
    es.addEventListener('bye', () => {
      es.close();
      setConnected(false);
    });
    es.addEventListener('question', (e) => {
      const q = JSON.parse((e as MessageEvent).data as string) as LectureQuestion;
      setById((m) => new Map(m).set(q.id, q));
    });
    return () => {
      es.close();
      setConnected(false);
    };
  }, [id, enabled]);
  const add = (q: LectureQuestion) => setById((m) => new Map(m).set(q.id, q));
  const all = useMemo(() => [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)), [byId]);
  return { all, connected, add };
}

function QuestionItem({ q, actions }: { q: LectureQuestion; actions?: React.ReactNode[] | undefined }) {
  return (
    <List.Item className="xf-question" actions={actions} data-status={q.status}>
      <List.Item.Meta
        title={
          <Space size={4} wrap>
            <span>{q.askerName}</span>
            {q.mine && <Tag>我</Tag>}
            {q.status !== 'approved' && (
              <Tag color={q.status === 'pending' ? 'gold' : 'default'}>{LECTURE_QUESTION_STATUS_LABELS[q.status]}</Tag>
            )}
          </Space>
        }
        description={<span className="xf-question-text">{q.text}</span>}
      />
    </List.Item>
  );
}

export function LectureRoomPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const r = useAsync(() => api.get<LectureView>(`/media-lectures/${id}`), [id]);
  const l = r.data;
  const live = l?.status === 'published';
  const qs = useQuestions(id, Boolean(live));
  const [text, setText] = useState('');
  const { busy, run } = useSubmit('toast');
  /** The organiser's and the moderator's buttons: the clicked one spins (its key). */
  const acting = useSubmit('toast');
  const [joinedOrg, setJoinedOrg] = useState<string | null>(null);
  const joining = useRef(false);
  const [editing, setEditing] = useState(false);

  // The room follows the lecture's time: at its start (join, ask) and its end (no more questions).
  useEffect(() => {
    if (!l || l.phase === 'ended') return;
    const next = Date.parse(l.phase === 'before' ? l.startsAt : l.endsAt) - nowMs() + 1000;
    if (next > 2 ** 31 - 1) return;
    const timer = setTimeout(() => void r.reload(), Math.max(1000, next));
    return () => clearTimeout(timer);
  }, [l?.phase, l?.startsAt, l?.endsAt]);

  // Opening the room during the lecture counts once as 党课 attendance of the member's org.
  useEffect(() => {
    if (!l || !l.canAttend || l.phase !== 'live' || l.joined || joining.current) return;
    joining.current = true;
    api
      .post<{ recorded: boolean; orgName: string }>(`/media-lectures/${l.id}/join`)
      .then((j) => setJoinedOrg(j.orgName))
      .catch(() => undefined);
  }, [l]);

  const act = (key: string, fn: () => Promise<unknown>, done: string) =>
    acting.run(
      async () => {
        await fn();
        void message.success(done);
        void r.reload();
      },
      { key },
    );

  if (!l) return <LoadError error={r.error} onRetry={r.reload} />;
  const pending = qs.all.filter((q) => q.status === 'pending');
  const shown = qs.all.filter((q) => q.status === 'approved' || q.mine);

  return (
    <div className="xf-article xf-lecture">
      <Typography.Title level={3} style={{ marginBottom: 4 }}>
        {l.title}
      </Typography.Title>
      <div className="xf-article-meta">
        <PhaseTag l={l} />
        <span>主讲：{l.speaker}</span>
        <span>{l.orgName}</span>
        <span>
          {fmtTime(l.startsAt)} 至 {fmtTime(l.endsAt)}
        </span>
        {l.canModerate && <span>参学 {l.attendees} 人</span>}
      </div>
      {(joinedOrg !== null || l.joined) && (
        <Typography.Paragraph type="success" className="xf-lecture-joined">
          已计入党课参学{joinedOrg ? `（${joinedOrg}）` : ''}
        </Typography.Paragraph>
      )}
      {l.summary && <Typography.Paragraph>{l.summary}</Typography.Paragraph>}

      {l.video ? (
        <video className="xf-lecture-video" controls preload="metadata" src={`/api/v1/media-lectures/${l.id}/video`} />
      ) : l.streamUrl ? (
        <Card size="small" className="xf-lecture-stream">
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            本讲座为外部直播，请点击进入直播间收看：
          </Typography.Paragraph>
          <Button type="primary" href={l.streamUrl} target="_blank" rel="noopener noreferrer">
            打开直播
          </Button>
          <Typography.Paragraph
            type="secondary"
            copyable={{ text: l.streamUrl }}
            style={{ marginTop: 8, marginBottom: 0, wordBreak: 'break-all' }}
          >
            {l.streamUrl}
          </Typography.Paragraph>
        </Card>
      ) : (
        <Empty description="尚未上传视频或填写直播地址" />
      )}

      {l.canEdit && l.phase !== 'ended' && (
        <div style={{ marginTop: 12 }}>
          <Button onClick={() => setEditing(true)}>修改讲座</Button>
        </div>
      )}
      {editing && (
        <LectureForm orgId={l.orgId} lecture={l} onClose={() => setEditing(false)} onSaved={() => void r.reload()} />
      )}

      {l.canEdit && l.status === 'draft' && (
        <Card size="small" title="发布前" style={{ marginTop: 16 }}>
          <Space wrap>
            <Upload
              accept="video/mp4,video/webm"
              showUploadList={false}
              customRequest={uploadRequest(
                acting.run,
                async (fd) => {
                  await api.post<MediaFile>(`/media-lectures/${l.id}/video`, fd);
                  void message.success('视频已上传');
                  void r.reload();
                },
                { key: 'video' },
              )}
            >
              <Button loading={acting.busyKey === 'video'}>{l.video ? '更换视频' : '上传视频'}</Button>
            </Upload>
            <Button
              type="primary"
              loading={acting.busyKey === 'publish'}
              onClick={() =>
                void act('publish', () => api.post(`/media-lectures/${l.id}/publish`), '已发布，已通知党员')
              }
            >
              发布讲座
            </Button>
          </Space>
        </Card>
      )}

      {live && l.canModerate && (
        <Card
          size="small"
          title={`待审核提问（${pending.length}）`}
          style={{ marginTop: 16 }}
          className="xf-lecture-pending"
        >
          <List<LectureQuestion>
            locale={{ emptyText: '没有待审核的提问' }}
            dataSource={pending}
            renderItem={(q) => (
              <QuestionItem
                q={q}
                actions={[
                  <Button
                    key="ok"
                    type="primary"
                    size="small"
                    loading={acting.busyKey === `ok:${q.id}`}
                    onClick={() =>
                      void act(
                        `ok:${q.id}`,
                        () => api.post(`/media-lecture-questions/${q.id}/decide`, { approve: true }),
                        '已通过',
                      )
                    }
                  >
                    通过
                  </Button>,
                  <Button
                    key="no"
                    size="small"
                    danger
                    loading={acting.busyKey === `no:${q.id}`}
                    onClick={() =>
                      void act(
                        `no:${q.id}`,
                        () => api.post(`/media-lecture-questions/${q.id}/decide`, { approve: false }),
                        '已拒绝',
                      )
                    }
                  >
                    拒绝
                  </Button>,
                ]}
              />
            )}
          />
        </Card>
      )}

      {live && (
        <Card
          size="small"
          title="互动提问"
          style={{ marginTop: 16 }}
          className="xf-lecture-qa"
          extra={qs.connected ? <Tag color="green">实时</Tag> : <Tag>连接中…</Tag>}
        >
          <List<LectureQuestion>
            locale={{ emptyText: '还没有提问' }}
            dataSource={shown}
            renderItem={(q) => <QuestionItem q={q} />}
          />
          {l.phase === 'live' && (l.canAttend || l.canModerate) ? (
            <div className="xf-lecture-ask">
              <Input.TextArea
                aria-label="提问内容"
                placeholder="输入您的问题，主持人审核后向所有人展示"
                rows={2}
                maxLength={LECTURE_QUESTION_MAX_CHARS}
                showCount
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
              <Button
                type="primary"
                loading={busy}
                disabled={!text.trim()}
                onClick={async () => {
                  await run(async () => {
                    qs.add(await api.post<LectureQuestion>(`/media-lectures/${l.id}/questions`, { text }));
                    setText('');
                    void message.success('已提交，等待主持人审核');
                  });
                }}
              >
                提问
              </Button>
            </div>
          ) : (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {l.phase === 'before'
                ? '讲座开始后可以提问'
                : l.phase === 'ended'
                  ? '讲座已结束'
                  : '只有主办组织及下级的党员可以提问'}
            </Typography.Paragraph>
          )}
        </Card>
      )}
      <SubjectComments
        kind="lecture"
        id={l.id}
        open={l.status === 'published'}
        closedText="讲座发布后才能评论。"
        moderator={l.canModerate}
        title="讲座评论"
      />
    </div>
  );
}
