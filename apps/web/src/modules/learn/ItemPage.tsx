/**
 * One piece of learning content: the video, the text or the book (its PDF in the reader, PdfView), and the learner's
 * progress (the study clock of heartbeat.ts reports the time spent while the page is in front). A course is its lessons: CourseLessons shows them with the player.
 */
import {
  LEARN_AUDIENCE_LABELS,
  LEARN_KIND_LABELS,
  RECORD_READERS,
  type ItemDetail,
  type ProgressReply,
} from '@xianfeng/shared';
import { App, Button, Card, Progress, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { CourseLessons } from './CourseLessons';
import { useHeartbeat } from './heartbeat';
import { LearnVideo, NO_FFMPEG } from './LearnVideo';
import { PdfView } from './PdfView';
import './learn.css';
import { uploadRequest, useSubmit } from '../../platform/useSubmit';

export function ItemPage() {
  const { id = '' } = useParams();
  const { current: binding } = useAuth();
  const item = useAsync(() => api.get<ItemDetail>(`/learn-items/${id}`), [id]);
  const it = item.data;
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
            {it.forMe && (
              <Tag color="volcano" style={{ marginLeft: 8 }}>
                必修{it.dueOn ? ` · ${it.dueOn} 前学完` : ''}
              </Tag>
            )}
            {it.required && !it.forMe && <Tag style={{ marginLeft: 8 }}>{LEARN_AUDIENCE_LABELS[it.audience]}必修</Tag>}
            {it.required && it.publishedAt && binding && allows(RECORD_READERS, binding.role) && (
              <Link to={`/learn/completion/items/${it.id}`} style={{ marginLeft: 8 }}>
                查看完成情况
              </Link>
            )}
          </Typography.Paragraph>
          {it.kind === 'course' ? (
            <>
              {it.summary && <Typography.Paragraph strong>{it.summary}</Typography.Paragraph>}
              <CourseLessons item={it} onChanged={item.reload} />
            </>
          ) : (
            <Single it={it} reload={item.reload} />
          )}
        </Card>
      )}
    </div>
  );
}

/** A micro-video, an entry or a book: one piece, its progress reported as a whole. */
function Single({ it, reload }: { it: ItemDetail; reload: () => Promise<void> }) {
  const { message } = App.useApp();
  const uploading = useSubmit('toast');
  const [reply, setReply] = useState<ProgressReply | null>(null);
  // The newest upload is the video: uploading again replaces it (and its rendition).
  const video = it.files.findLast((f) => f.role === 'video');
  const doc = it.files.find((f) => f.role === 'document');
  const { player } = useHeartbeat<ProgressReply>(
    it.publishedAt ? `/learn-items/${it.id}/progress` : null,
    Boolean(video),
    (r) => {
      setReply(r);
      if (r.points > 0) void message.success(`学完了，获得 ${r.points} 个学习积分`);
    },
  );
  const progress = reply?.progress ?? it.progress ?? 0;
  const completed = reply?.completed ?? it.completed;
  return (
    <>
      <div style={{ marginBottom: 12 }}>
        <Progress percent={progress} status={completed ? 'success' : 'active'} aria-label="学习进度" />
        {reply?.note && <Typography.Text type="secondary">{reply.note}</Typography.Text>}
      </div>
      {video && (
        <LearnVideo
          itemId={it.id}
          file={video}
          player={player}
          manager={it.editable}
          transcoder={it.transcoder}
          reload={reload}
        />
      )}
      {it.summary && <Typography.Paragraph strong>{it.summary}</Typography.Paragraph>}
      {it.body && <div className="xf-learn-body">{it.body}</div>}
      {/* A PDF opens in the reader on the page (pdf.js, loaded only now); another document can be downloaded. */}
      {doc &&
        (doc.mime === 'application/pdf' ? (
          <PdfView url={`/api/v1/learn-items/${it.id}/files/${doc.id}`} fileName={doc.fileName} />
        ) : (
          <p>
            <a href={`/api/v1/learn-items/${it.id}/files/${doc.id}`} target="_blank" rel="noreferrer">
              下载电子书：{doc.fileName}
            </a>
          </p>
        ))}
      {it.keywords.length > 0 && (
        <p>
          {it.keywords.map((k) => (
            <Tag key={k}>{k}</Tag>
          ))}
        </p>
      )}
      {it.editable && (
        <Upload
          accept={it.kind === 'video' ? 'video/mp4,video/webm' : 'application/pdf'}
          showUploadList={false}
          customRequest={uploadRequest(uploading.run, async (fd) => {
            await api.post(`/learn-items/${it.id}/files?role=${it.kind === 'video' ? 'video' : 'document'}`, fd);
            void message.success('已上传');
            void reload();
          })}
        >
          <Button loading={uploading.busy}>{it.kind === 'video' ? '上传视频（MP4/WebM）' : '上传电子书（PDF）'}</Button>
        </Upload>
      )}
      {it.editable && it.kind === 'video' && !video && it.transcoder === false && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {NO_FFMPEG}
        </Typography.Paragraph>
      )}
    </>
  );
}
