/**
 * 课时管理 for the keepers of the course's org: add a lesson (text, or a PDF, audio or video uploaded to the course
 * first), edit it, move it up or down, retire it (kept with everyone's progress, off the course) or bring it back.
 */
import {
  LESSON_FILE_ROLE,
  LESSON_KIND_LABELS,
  LESSON_KINDS,
  type ItemDetail,
  type Lesson,
  type LessonKind,
  type LessonPage,
  type LearnFile,
} from '@xianfeng/shared';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Space,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useState } from 'react';
import { api } from '../../platform/api';
import { FormDialog } from '../../platform/FormDialog';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { useSubmit } from '../../platform/useSubmit';

const ACCEPT: Record<LessonKind, string> = {
  text: '',
  pdf: 'application/pdf',
  audio: 'audio/mpeg,audio/mp4,audio/ogg,audio/wav,.mp3,.m4a',
  video: 'video/mp4,video/webm',
};
const FILE_HINT: Record<LessonKind, string> = {
  text: '',
  pdf: 'PDF 文档，10 MB 以内',
  audio: 'MP3、M4A、OGG 或 WAV，60 MB 以内',
  video: 'MP4 或 WebM，60 MB 以内',
};

type Values = { kind: LessonKind; title: string; minutes: number; body?: string };

export function LessonEditor({ item, onChanged }: { item: ItemDetail; onChanged: () => Promise<void> }) {
  const { message } = App.useApp();
  const all = useAsync(
    () => api.get<LessonPage>(`/learn-items/${item.id}/lessons`, { pageSize: 100, includeRetired: 'true' }),
    [item.id],
  );
  /** The lesson being edited, or 'new'. */
  const [editing, setEditing] = useState<Lesson | 'new' | null>(null);
  const [files, setFiles] = useState<UploadFile[]>([]);
  /** A row's 上移, 下移, 停用 or 恢复: the clicked button spins (its key). */
  const acting = useSubmit('toast');
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'text';
  const lessons = all.data?.items ?? [];
  const live = lessons.filter((l) => !l.retired);

  const changed = async (text: string) => {
    void message.success(text);
    await Promise.all([all.reload(), onChanged()]);
  };
  const act = (key: string, what: () => Promise<unknown>, text: string) =>
    acting.run(
      async () => {
        await what();
        await changed(text);
      },
      { key },
    );
  const open = (l: Lesson | 'new') => {
    setFiles([]);
    setEditing(l);
  };
  const move = (l: Lesson, by: -1 | 1) => {
    const ids = live.map((x) => x.id);
    const i = ids.indexOf(l.id);
    [ids[i], ids[i + by]] = [ids[i + by]!, ids[i]!];
    void act(
      `${by}:${l.id}`,
      () => api.put(`/learn-items/${item.id}/lessons/order`, { lessonIds: ids }),
      '课时顺序已调整',
    );
  };
  const save = async (v: Values) => {
    const role = LESSON_FILE_ROLE[v.kind];
    // A new file goes to the course's files first; the lesson then names it.
    let fileId: string | undefined;
    const chosen = files[0]?.originFileObj;
    if (role && chosen) {
      const fd = new FormData();
      fd.append('file', chosen);
      fileId = (await api.post<LearnFile>(`/learn-items/${item.id}/files?role=${role}`, fd)).id;
    }
    const body = { title: v.title, minutes: v.minutes, body: v.body ?? '' };
    if (editing === 'new')
      await api.post(`/learn-items/${item.id}/lessons`, { ...body, kind: v.kind, fileId: fileId ?? null });
    else if (editing)
      await api.patch(`/learn-items/${item.id}/lessons/${editing.id}`, { ...body, ...(fileId && { fileId }) });
    setEditing(null);
    await changed(editing === 'new' ? `已添加课时「${v.title}」` : `已保存课时「${v.title}」`);
  };

  return (
    <Card
      title="课时管理"
      className="xf-learn-card"
      data-testid="lesson-editor"
      style={{ marginTop: 16 }}
      extra={
        <Button type="primary" onClick={() => open('new')}>
          添加课时
        </Button>
      }
    >
      <LoadError error={all.error} onRetry={all.reload} />
      <List
        loading={all.loading}
        dataSource={lessons}
        locale={{ emptyText: '还没有课时' }}
        renderItem={(l) => {
          const i = live.indexOf(l);
          return (
            <List.Item className="xf-lesson-edit">
              <div>
                <Typography.Text strong delete={l.retired}>
                  {l.retired ? '' : `${i + 1}. `}
                  {l.title}
                </Typography.Text>{' '}
                <Tag>{LESSON_KIND_LABELS[l.kind]}</Tag>
                <Typography.Text type="secondary">
                  {l.minutes} 分钟{l.file ? ` · ${l.file.fileName}` : ''}
                </Typography.Text>
                {l.retired && <Tag color="default">已停用</Tag>}
              </div>
              <Space wrap>
                {!l.retired && (
                  <>
                    <Button
                      disabled={i === 0}
                      loading={acting.busyKey === `-1:${l.id}`}
                      onClick={() => move(l, -1)}
                      aria-label={`上移 ${l.title}`}
                    >
                      上移
                    </Button>
                    <Button
                      disabled={i === live.length - 1}
                      loading={acting.busyKey === `1:${l.id}`}
                      onClick={() => move(l, 1)}
                      aria-label={`下移 ${l.title}`}
                    >
                      下移
                    </Button>
                    <Button onClick={() => open(l)} aria-label={`编辑 ${l.title}`}>
                      编辑
                    </Button>
                  </>
                )}
                <Button
                  danger={!l.retired}
                  aria-label={`${l.retired ? '恢复' : '停用'} ${l.title}`}
                  loading={acting.busyKey === `retire:${l.id}`}
                  onClick={() =>
                    void act(
                      `retire:${l.id}`,
                      () => api.patch(`/learn-items/${item.id}/lessons/${l.id}`, { retired: !l.retired }),
                      l.retired ? `已恢复「${l.title}」` : `已停用「${l.title}」，学习记录保留`,
                    )
                  }
                >
                  {l.retired ? '恢复' : '停用'}
                </Button>
              </Space>
            </List.Item>
          );
        }}
      />
      <FormDialog<Values>
        title={editing === 'new' ? '添加课时' : '编辑课时'}
        open={editing !== null}
        onClose={() => setEditing(null)}
        form={form}
        initialValues={
          editing === 'new' || editing === null
            ? { kind: 'text', title: '', minutes: 5, body: '' }
            : { kind: editing.kind, title: editing.title, minutes: editing.minutes, body: editing.body }
        }
        onSubmit={save}
      >
        <Form.Item name="kind" label="类型">
          <Radio.Group
            disabled={editing !== 'new'}
            options={LESSON_KINDS.map((k) => ({ value: k, label: LESSON_KIND_LABELS[k] }))}
            optionType="button"
          />
        </Form.Item>
        <Form.Item name="title" label="课时标题" rules={[{ required: true, min: 2, message: '课时标题至少 2 个字' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="minutes" label="时长（分钟）" extra="学满时长的八成即学完这一课时">
          <InputNumber min={1} max={600} />
        </Form.Item>
        {LESSON_FILE_ROLE[kind] && (
          <Form.Item
            label={`${LESSON_KIND_LABELS[kind]}文件`}
            required={editing === 'new'}
            extra={`${FILE_HINT[kind]}${editing !== 'new' && editing?.file ? `；不选则保留「${editing.file.fileName}」` : ''}`}
          >
            <Upload
              accept={ACCEPT[kind]}
              maxCount={1}
              fileList={files}
              beforeUpload={() => false}
              onChange={({ fileList }) => setFiles(fileList.slice(-1))}
            >
              <Button>选择文件</Button>
            </Upload>
          </Form.Item>
        )}
        <Form.Item name="body" label={kind === 'text' ? '正文' : '说明（可选）'}>
          <Input.TextArea rows={kind === 'text' ? 8 : 3} maxLength={50_000} />
        </Form.Item>
      </FormDialog>
    </Card>
  );
}
