/**
 * A course (课程): its lessons in order, each with the learner's own progress, and the player of the lesson chosen
 * — video, audio, a PDF (opened in the browser's viewer) or text. It opens where the learner stopped (the first lesson not yet learned); a lesson's
 * time is reported by the study clock (heartbeat.ts) to that lesson. The lessons are large buttons: an older member
 * on a phone taps them with a finger. The course's keepers edit the lessons below (LessonEditor).
 */
import { CheckCircleFilled } from '@ant-design/icons';
import {
  LESSON_KIND_LABELS,
  type ItemDetail,
  type Lesson,
  type LessonPage,
  type LessonProgressReply,
} from '@xianfeng/shared';
import { App, Button, Grid, Progress, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { useHeartbeat } from './heartbeat';
import { LessonEditor } from './LessonEditor';
import './learn.css';

const fileUrl = (itemId: string, fileId: string) => `/api/v1/learn-items/${itemId}/files/${fileId}`;

export function CourseLessons({ item, onChanged }: { item: ItemDetail; onChanged: () => Promise<void> }) {
  const lessons = useAsync(() => api.get<LessonPage>(`/learn-items/${item.id}/lessons`, { pageSize: 100 }), [item.id]);
  const [params, setParams] = useSearchParams();
  const list = lessons.data?.items ?? [];
  const chosen = list.find((l) => l.id === params.get('lesson')) ?? list.find((l) => !l.completed) ?? list[0];
  const choose = (l: Lesson) => {
    setParams((p) => {
      p.set('lesson', l.id);
      return p;
    });
    document.querySelector('.xf-lesson-player')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  const c = lessons.data?.course;
  return (
    <div data-testid="course-lessons">
      <LoadError error={lessons.error} onRetry={lessons.reload} />
      {c && (
        <div className="xf-course-progress">
          <Typography.Text strong>
            {c.completed ? '课程已学完' : `已学完 ${c.done} / ${c.lessons} 课时`}
          </Typography.Text>
          <Progress
            percent={c.completed ? 100 : (c.progress ?? 0)}
            status={c.completed ? 'success' : 'active'}
            aria-label="课程进度"
          />
        </div>
      )}
      {lessons.data && list.length === 0 && (
        <Typography.Paragraph type="secondary">这门课程还没有课时。</Typography.Paragraph>
      )}
      <div className="xf-course">
        {chosen && item.publishedAt ? (
          <Player
            key={chosen.id}
            item={item}
            lesson={chosen}
            index={list.indexOf(chosen)}
            count={list.length}
            next={list[list.indexOf(chosen) + 1]}
            onNext={choose}
            onReply={(r) =>
              lessons.setData(
                (d) =>
                  d && {
                    ...d,
                    items: d.items.map((l) =>
                      l.id === chosen.id ? { ...l, progress: r.progress, completed: r.completed } : l,
                    ),
                    course: {
                      ...d.course,
                      done: r.course.done,
                      lessons: r.course.lessons,
                      progress: r.course.progress,
                      completed: r.course.completed,
                    },
                  },
              )
            }
          />
        ) : (
          chosen && <Typography.Paragraph type="secondary">草稿发布后才能学习。</Typography.Paragraph>
        )}
        <ol className="xf-lessons" aria-label="课时">
          {list.map((l, i) => (
            <li key={l.id}>
              <button
                type="button"
                className={`xf-lesson${l.id === chosen?.id ? ' xf-lesson-current' : ''}`}
                aria-current={l.id === chosen?.id ? 'true' : undefined}
                onClick={() => choose(l)}
              >
                <span className="xf-lesson-no">{i + 1}</span>
                <span className="xf-lesson-title">
                  {l.title}
                  <small>
                    {LESSON_KIND_LABELS[l.kind]} · {l.minutes} 分钟
                  </small>
                </span>
                <span className="xf-lesson-state">
                  {l.completed ? (
                    <span className="xf-lesson-done">
                      <CheckCircleFilled /> 已学完
                    </span>
                  ) : l.progress !== null ? (
                    `${l.progress}%`
                  ) : (
                    '未学'
                  )}
                </span>
              </button>
            </li>
          ))}
        </ol>
      </div>
      {lessons.data?.rule && (
        <Typography.Paragraph type="secondary" className="xf-course-rule">
          {lessons.data.rule}
        </Typography.Paragraph>
      )}
      {item.editable && (
        <LessonEditor
          item={item}
          onChanged={async () => {
            await Promise.all([lessons.reload(), onChanged()]);
          }}
        />
      )}
    </div>
  );
}

/** One lesson: its player or text, its progress, and the way on to the next one. */
function Player(props: {
  item: ItemDetail;
  lesson: Lesson;
  index: number;
  count: number;
  next: Lesson | undefined;
  onNext: (l: Lesson) => void;
  onReply: (r: LessonProgressReply) => void;
}) {
  const { item, lesson, next } = props;
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const [reply, setReply] = useState<LessonProgressReply | null>(null);
  const media = lesson.kind === 'video' || lesson.kind === 'audio';
  /** The PDF was opened in the browser's viewer: its time counts while this page is behind it. */
  const reading = useRef(false);
  const player = useHeartbeat<LessonProgressReply>(
    `/learn-items/${item.id}/lessons/${lesson.id}/progress`,
    media,
    (r) => {
      setReply(r);
      props.onReply(r);
      if (r.points > 0) void message.success(`课程学完了，获得 ${r.points} 个学习积分`);
    },
    () => reading.current,
  );
  const progress = reply?.progress ?? lesson.progress ?? 0;
  const completed = reply?.completed ?? lesson.completed;
  const src = lesson.file && fileUrl(item.id, lesson.file.id);
  return (
    <section className="xf-lesson-player" aria-label="课时内容">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        第 {props.index + 1} 课（共 {props.count} 课）：{lesson.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        <Tag>{LESSON_KIND_LABELS[lesson.kind]}</Tag>约 {lesson.minutes} 分钟，学满 {Math.ceil(lesson.minutes * 0.8)}{' '}
        分钟即学完
      </Typography.Paragraph>
      <Progress percent={progress} status={completed ? 'success' : 'active'} aria-label="课时进度" />
      {reply?.note && <Typography.Paragraph type="secondary">{reply.note}</Typography.Paragraph>}
      {lesson.kind === 'video' && src && (
        <video className="xf-learn-video" controls preload="metadata" src={src} {...player} />
      )}
      {lesson.kind === 'audio' && src && (
        <audio className="xf-learn-audio" controls preload="metadata" src={src} {...player} />
      )}
      {/* The browser's own PDF viewer, in a new page (every answer of the server forbids framing). */}
      {lesson.kind === 'pdf' && src && (
        <Button
          size="large"
          block={phone}
          href={src}
          target="_blank"
          rel="noreferrer"
          className="xf-lesson-open"
          onClick={() => (reading.current = true)}
        >
          打开 PDF 文档：{lesson.file!.fileName}
        </Button>
      )}
      {lesson.body && <div className="xf-learn-body">{lesson.body}</div>}
      {completed && next && (
        <Button type="primary" size="large" block className="xf-lesson-next" onClick={() => props.onNext(next)}>
          下一课：{next.title}
        </Button>
      )}
    </section>
  );
}
