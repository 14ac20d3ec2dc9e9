/**
 * A course (课程): its lessons in order, each with the learner's own progress, and the player of the lesson chosen
 * — video, audio, a PDF (in the reader, PdfView) or text. It opens where the learner stopped (the first lesson not yet learned); a lesson's
 * time is reported by the study clock (heartbeat.ts) to that lesson. The lessons are large buttons: an older member
 * on a phone taps them with a finger. The course's keepers edit the lessons below (LessonEditor).
 *
 * A text lesson is read when the learner scrolled to its end and spent the minimum reading time on it (the server
 * judges; TEXT_READ_RULE): the page measures how far down the text has been on screen, keeps the furthest, and
 * the study clock sends it. The learner sees 「已读到 60%」 / 「已读完」 in words, not only a bar.
 */
import { CheckCircleFilled } from '@ant-design/icons';
import {
  LESSON_KIND_LABELS,
  type ItemDetail,
  type Lesson,
  type LessonPage,
  type LessonProgressReply,
} from '@xianfeng/shared';
import { App, Button, Progress, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { useHeartbeat } from './heartbeat';
import { LearnVideo } from './LearnVideo';
import { LessonEditor } from './LessonEditor';
import { PdfView } from './PdfView';
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
    // At once, before the new lesson shows: its text is then measured from its top, not from the list below it.
    document.querySelector('.xf-lesson-player')?.scrollIntoView({ block: 'start' });
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
            reload={lessons.reload}
            onReply={(r) =>
              lessons.setData(
                (d) =>
                  d && {
                    ...d,
                    items: d.items.map((l) =>
                      l.id === chosen.id ? { ...l, progress: r.progress, completed: r.completed, readTo: r.readTo } : l,
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
                  ) : l.readTo !== null ? (
                    `已读到 ${l.readTo}%`
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

/** 「45 秒」 / 「2 分 30 秒」: the minimum reading time in words. */
const readLabel = (s: number) => (s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分${s % 60 ? ` ${s % 60} 秒` : '钟'}`);

/** One lesson: its player or text, its progress, and the way on to the next one. */
function Player(props: {
  item: ItemDetail;
  lesson: Lesson;
  index: number;
  count: number;
  next: Lesson | undefined;
  onNext: (l: Lesson) => void;
  onReply: (r: LessonProgressReply) => void;
  /** Loads the lessons again (a video's rendition state). */
  reload: () => Promise<void>;
}) {
  const { item, lesson, next } = props;
  const { message } = App.useApp();
  const [reply, setReply] = useState<LessonProgressReply | null>(null);
  const media = lesson.kind === 'video' || lesson.kind === 'audio';
  /** The PDF was opened in a new page (its download link): its time counts while this page is behind it. */
  const reading = useRef(false);
  const text = lesson.kind === 'text';
  /** A text lesson: the text, and the furthest of it that has been on screen (0–100 %). */
  const body = useRef<HTMLDivElement>(null);
  const furthest = useRef(lesson.readTo ?? 0);
  const [readTo, setReadTo] = useState(lesson.readTo ?? 0);
  const position = useCallback(() => furthest.current, []);
  const { player, moved } = useHeartbeat<LessonProgressReply>(
    `/learn-items/${item.id}/lessons/${lesson.id}/progress`,
    media,
    (r) => {
      setReply(r);
      props.onReply(r);
      if (r.points > 0) void message.success(`课程学完了，获得 ${r.points} 个学习积分`);
    },
    () => reading.current,
    text ? position : undefined,
  );
  useEffect(() => {
    if (!text) return;
    const measure = () => {
      const el = body.current;
      const r = el?.getBoundingClientRect();
      // How far down the text the screen reaches, while the text is on screen (a text that fits is read to its
      // end at once). Scrolled wholly past it (the page jumped to the lesson list), nothing is learned of it.
      if (!r || r.bottom <= 0 || r.top >= window.innerHeight) return;
      const seen = r.height <= 0 ? 100 : ((Math.min(window.innerHeight, r.bottom) - r.top) / r.height) * 100;
      const at = Math.max(0, Math.min(100, Math.floor(seen)));
      if (at <= furthest.current) return;
      furthest.current = at;
      setReadTo(at);
      moved();
    };
    measure();
    // Capture: the page may scroll in the window or inside the layout's content.
    window.addEventListener('scroll', measure, { capture: true, passive: true });
    window.addEventListener('resize', measure);
    return () => {
      window.removeEventListener('scroll', measure, { capture: true });
      window.removeEventListener('resize', measure);
    };
  }, [text, moved]);
  const progress = reply?.progress ?? lesson.progress ?? 0;
  const completed = reply?.completed ?? lesson.completed;
  const src = lesson.file && fileUrl(item.id, lesson.file.id);
  return (
    <section className="xf-lesson-player" aria-label="课时内容">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        第 {props.index + 1} 课（共 {props.count} 课）：{lesson.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        <Tag>{LESSON_KIND_LABELS[lesson.kind]}</Tag>
        {text
          ? `约 ${lesson.minutes} 分钟，读到末尾、阅读满 ${readLabel(lesson.readSeconds ?? 0)}即读完`
          : `约 ${lesson.minutes} 分钟，学满 ${Math.ceil(lesson.minutes * 0.8)} 分钟即学完`}
      </Typography.Paragraph>
      {text && (
        <Typography.Paragraph strong className="xf-lesson-read" role="status">
          {completed ? '已读完' : `已读到 ${Math.max(readTo, reply?.readTo ?? 0)}%`}
        </Typography.Paragraph>
      )}
      <Progress percent={progress} status={completed ? 'success' : 'active'} aria-label="课时进度" />
      {reply?.note && <Typography.Paragraph type="secondary">{reply.note}</Typography.Paragraph>}
      {lesson.kind === 'video' && lesson.file && (
        <LearnVideo
          itemId={item.id}
          file={lesson.file}
          player={player}
          manager={item.editable}
          transcoder={item.transcoder}
          reload={props.reload}
        />
      )}
      {lesson.kind === 'audio' && src && (
        <audio className="xf-learn-audio" controls preload="metadata" src={src} {...player} />
      )}
      {/* The reader on the page (pdf.js); its download link opens the file elsewhere, where its time still counts. */}
      {lesson.kind === 'pdf' && src && (
        <PdfView url={src} fileName={lesson.file!.fileName} onOpenElsewhere={() => (reading.current = true)} />
      )}
      {lesson.body && (
        <div className="xf-learn-body" ref={body}>
          {lesson.body}
        </div>
      )}
      {text && !completed && (
        <Typography.Paragraph type="secondary" className="xf-lesson-end">
          —— 本课到此结束 ——
        </Typography.Paragraph>
      )}
      {completed && next && (
        <Button type="primary" size="large" block className="xf-lesson-next" onClick={() => props.onNext(next)}>
          下一课：{next.title}
        </Button>
      )}
    </section>
  );
}
