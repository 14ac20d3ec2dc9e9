/**
 * One piece of learning content: the video or the text, and the learner's progress. While the page
 * is visible it reports the time spent every 30 seconds — for a video only the time it was playing, so
 * jumping to the end earns nothing; the server credits no more than the clock allows. A hidden tab or
 * a paused video reports nothing.
 */
import { LEARN_AUDIENCE_LABELS, LEARN_KIND_LABELS, RECORD_READERS, REPORT_SECONDS, type ItemDetail, type ProgressReply } from '@xianfeng/shared';
import { App, Button, Card, Progress, Tag, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, errorText } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';

export function ItemPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const { current: binding } = useAuth();
  const item = useAsync(() => api.get<ItemDetail>(`/learn-items/${id}`), [id]);
  const [reply, setReply] = useState<ProgressReply | null>(null);
  /** Since when the video plays (null: paused), and the playing time not yet reported. */
  const playingSince = useRef<number | null>(null);
  const played = useRef(0);
  const last = useRef(Date.now());
  const it = item.data;
  const video = it?.files.find((f) => f.role === 'video');
  const doc = it?.files.find((f) => f.role === 'document');
  const stopPlaying = () => {
    if (playingSince.current !== null) played.current += Date.now() - playingSince.current;
    playingSince.current = null;
  };

  useEffect(() => {
    if (!it || !it.publishedAt) return;
    last.current = Date.now();
    const report = async () => {
      let ms = Date.now() - last.current;
      last.current = Date.now();
      if (video) {
        // Only the time the video was playing since the last report.
        if (playingSince.current !== null) {
          played.current += Date.now() - playingSince.current;
          playingSince.current = Date.now();
        }
        ms = played.current;
        played.current = 0;
      }
      const seconds = Math.min(3600, Math.round(ms / 1000));
      if (document.visibilityState !== 'visible' || seconds <= 0) return;
      try {
        const r = await api.post<ProgressReply>(`/learn-items/${id}/progress`, { seconds });
        setReply(r);
        if (r.points > 0) void message.success(`学完了，获得 ${r.points} 个学习积分`);
      } catch {
        /* a lost report only delays progress */
      }
    };
    void api.post<ProgressReply>(`/learn-items/${id}/progress`, { seconds: 0 }).then(setReply, () => undefined);
    const timer = setInterval(report, REPORT_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [it, id, video, message]);

  const progress = reply?.progress ?? it?.progress ?? 0;
  const completed = reply?.completed ?? it?.completed ?? false;
  return (
    <div className="xf-learn">
      <Link to="/learn">← 返回学习教育</Link>
      <LoadError error={item.error} onRetry={item.reload} />
      {it && (
        <Card
          style={{ marginTop: 12 }}
          title={
            <span>
              <Tag>{LEARN_KIND_LABELS[it.kind]}</Tag>
              {it.title}
            </span>
          }
        >
          <Typography.Paragraph type="secondary">
            {it.orgName}
            {it.author && ` · ${it.author}`} · 约 {it.minutes} 分钟
            {it.forMe && <Tag color="volcano" style={{ marginLeft: 8 }}>必修{it.dueOn ? ` · ${it.dueOn} 前学完` : ''}</Tag>}
            {it.required && !it.forMe && <Tag style={{ marginLeft: 8 }}>{LEARN_AUDIENCE_LABELS[it.audience]}必修</Tag>}
            {it.required && it.publishedAt && binding && allows(RECORD_READERS, binding.role) && (
              <Link to={`/learn/completion/items/${it.id}`} style={{ marginLeft: 8 }}>
                查看完成情况
              </Link>
            )}
          </Typography.Paragraph>
          <div style={{ marginBottom: 12 }}>
            <Progress percent={progress} status={completed ? 'success' : 'active'} aria-label="学习进度" />
            {reply?.note && <Typography.Text type="secondary">{reply.note}</Typography.Text>}
          </div>
          {video && (
            <video
              className="xf-learn-video"
              controls
              preload="metadata"
              src={`/api/v1/learn-items/${it.id}/files/${video.id}`}
              onPlaying={() => {
                if (playingSince.current === null) playingSince.current = Date.now();
              }}
              onPause={stopPlaying}
              onEnded={stopPlaying}
              onWaiting={stopPlaying}
            />
          )}
          {it.summary && <Typography.Paragraph strong>{it.summary}</Typography.Paragraph>}
          {it.body && <div className="xf-learn-body">{it.body}</div>}
          {doc && (
            <p>
              <a href={`/api/v1/learn-items/${it.id}/files/${doc.id}`} target="_blank" rel="noreferrer">
                阅读电子书：{doc.fileName}
              </a>
            </p>
          )}
          {it.keywords.length > 0 && (
            <p>
              {it.keywords.map((k) => (
                <Tag key={k}>{k}</Tag>
              ))}
            </p>
          )}
          {it.editable && (
            <Upload
              accept={it.kind === 'video' || it.kind === 'course' ? 'video/mp4,video/webm' : 'application/pdf'}
              showUploadList={false}
              customRequest={async ({ file }) => {
                const fd = new FormData();
                fd.append('file', file as Blob);
                const role = it.kind === 'video' || it.kind === 'course' ? 'video' : 'document';
                try {
                  await api.post(`/learn-items/${it.id}/files?role=${role}`, fd);
                  void message.success('已上传');
                  void item.reload();
                } catch (e) {
                  void message.error(errorText(e));
                }
              }}
            >
              <Button>{it.kind === 'video' || it.kind === 'course' ? '上传视频（MP4/WebM）' : '上传电子书（PDF）'}</Button>
            </Upload>
          )}
        </Card>
      )}
    </div>
  );
}
