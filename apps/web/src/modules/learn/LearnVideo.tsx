/**
 * A learning video (a micro-video's or a course lesson's): the phone rendition when the server has made it (H.264,
 * at most 720 px high, plays at once on a phone), the original otherwise, with the poster frame. The item's managers
 * also see how the rendition is going — 转码中 N% (the page asks again every 1.5 s while it runs), 已生成手机版, the
 * reason it failed, or that the server has no ffmpeg and the original is what plays.
 */
import type { LearnFile } from '@xianfeng/shared';
import { Alert, Progress, Tag, Typography } from 'antd';
import { useEffect, type HTMLAttributes } from 'react';

const fileUrl = (itemId: string, fileId: string) => `/api/v1/learn-items/${itemId}/files/${fileId}`;
/** What the server's rendition is (learn/media.ts): H.264 Main and AAC-LC in MP4. */
const RENDITION_TYPE = 'video/mp4; codecs="avc1.4D401F, mp4a.40.2"';
export const NO_FFMPEG = '服务器未安装 ffmpeg，播放的是原始文件（手机上可能较大或无法播放）';

export function LearnVideo(props: {
  itemId: string;
  file: LearnFile;
  /** The study clock's handlers (heartbeat.ts). */
  player: HTMLAttributes<HTMLVideoElement>;
  /** The viewer manages the item: show the rendition's state. */
  manager: boolean;
  /** The server has ffmpeg (ItemDetail.transcoder). */
  transcoder: boolean | undefined;
  /** Loads the file's state again (while the rendition is being made). */
  reload: () => Promise<void>;
}) {
  const { itemId, file, manager } = props;
  const m = file.media;
  const busy = m?.state === 'queued' || m?.state === 'running';
  const { reload } = props;
  useEffect(() => {
    if (!manager || !busy) return;
    const timer = setInterval(() => void reload(), 1500);
    return () => clearInterval(timer);
  }, [manager, busy, reload]);
  const rendition = m?.renditionId ?? null;
  return (
    <>
      {/* The rendition first, the original as the fallback for a browser without H.264; a new rendition is a new
          element (a <video> does not look at changed <source>s again). */}
      <video
        key={rendition ?? 'original'}
        className="xf-learn-video"
        controls
        preload="metadata"
        poster={m?.posterId ? fileUrl(itemId, m.posterId) : undefined}
        {...props.player}
      >
        {rendition && <source src={fileUrl(itemId, rendition)} type={RENDITION_TYPE} />}
        <source src={fileUrl(itemId, file.id)} type={file.mime} />
      </video>
      {manager && m && (
        <div className="xf-learn-media" role="status">
          {busy && (
            <>
              <Typography.Text>转码中 {m.percent}%</Typography.Text>
              <Progress percent={m.percent} size="small" status="active" showInfo={false} aria-label="转码进度" />
            </>
          )}
          {m.state === 'done' && <Tag color="success">已生成手机版</Tag>}
          {m.state === 'failed' && (
            <Alert type="warning" showIcon message="未能生成手机版" description={m.reason ?? undefined} />
          )}
          {m.state === 'original' &&
            (props.transcoder === false ? (
              <Alert type="info" showIcon message={NO_FFMPEG} />
            ) : (
              <Typography.Text type="secondary">播放的是原始文件（上传时未生成手机版）</Typography.Text>
            ))}
        </div>
      )}
    </>
  );
}
