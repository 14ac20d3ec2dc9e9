/**
 * 网上课堂: the lectures on the member's line (live and coming first), and for the hosting org's secretary
 * and admins 新建讲座 (title, speaker, time, live-stream address; a video is uploaded in the room before
 * publishing).
 */
import { RECORD_KEEPERS, now, type LectureView } from '@xianfeng/shared';
import { App, Button, Form, Input, List, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, errorText, fieldProblems, type Page } from '../../platform/api';
import { FormDialog } from '../../platform/FormDialog';
import { MinutePicker, endAfterStart } from '../../platform/MinutePicker';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import './media.css';

export const fmtTime = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));

export function PhaseTag({ l }: { l: Pick<LectureView, 'phase' | 'status'> }) {
  if (l.status === 'draft') return <Tag>草稿</Tag>;
  return l.phase === 'live' ? (
    <Tag color="red">进行中</Tag>
  ) : l.phase === 'before' ? (
    <Tag color="blue">未开始</Tag>
  ) : (
    <Tag>已结束</Tag>
  );
}

type FormValues = {
  title: string;
  speaker: string;
  summary?: string;
  startsAt: Dayjs;
  endsAt: Dayjs;
  streamUrl?: string;
};

/** 新建讲座 (a draft of the acting org), or 修改讲座 when `lecture` is given (PATCH; `onSaved` then reloads). */
export function LectureForm({
  orgId,
  lecture,
  onClose,
  onSaved,
}: {
  orgId: string;
  lecture?: LectureView;
  onClose: () => void;
  onSaved?: () => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const start = dayjs(now()).add(1, 'day').hour(14).minute(30).second(0).millisecond(0);
  const initial = lecture
    ? {
        title: lecture.title,
        speaker: lecture.speaker,
        summary: lecture.summary,
        startsAt: dayjs(lecture.startsAt),
        endsAt: dayjs(lecture.endsAt),
        streamUrl: lecture.streamUrl ?? '',
      }
    : { startsAt: start, endsAt: start.add(90, 'minute') };
  return (
    <FormDialog<FormValues>
      title={lecture ? '修改讲座' : '新建讲座'}
      open
      onClose={onClose}
      okText={lecture ? '保存' : '保存为草稿'}
      form={form}
      initialValues={initial}
      onSubmit={async (v) => {
        const fields = {
          title: v.title,
          speaker: v.speaker,
          summary: v.summary ?? '',
          startsAt: v.startsAt.second(0).millisecond(0).format(),
          endsAt: v.endsAt.second(0).millisecond(0).format(),
          streamUrl: v.streamUrl?.trim() || null,
        };
        if (lecture) {
          await api.patch<LectureView>(`/media-lectures/${lecture.id}`, fields);
          void message.success('已保存');
          onSaved?.();
          onClose();
        } else {
          const l = await api.post<LectureView>('/media/lectures', { orgId, ...fields });
          void message.success('已保存为草稿：可上传视频，然后发布');
          navigate(`/media/lectures/${l.id}`);
        }
      }}
      onError={(e) => {
        // The fields the server named are marked where they are; the sentence is a toast.
        const named = fieldProblems(e).filter((p) => p.field);
        if (named.length)
          form.setFields(named.map((p) => ({ name: p.field as keyof FormValues, errors: [p.message] })));
        void message.error(errorText(e));
      }}
    >
      <Form.Item
        name="title"
        label="讲座标题"
        rules={[{ required: true, whitespace: true, message: '请填写讲座标题' }, { max: 100 }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="speaker"
        label="主讲人"
        rules={[{ required: true, whitespace: true, message: '请填写主讲人' }, { max: 50 }]}
      >
        <Input maxLength={50} placeholder="如：张建国（党支部书记）" />
      </Form.Item>
      <Form.Item name="startsAt" label="开始时间" rules={[{ required: true, message: '请选择开始时间' }]}>
        <MinutePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="endsAt" label="结束时间" dependencies={['startsAt']} rules={endAfterStart()}>
        <MinutePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="streamUrl"
        label="直播地址（可选；或保存后上传视频）"
        rules={[{ pattern: /^https?:\/\/\S+$/i, message: '直播地址须为 http:// 或 https:// 开头的网址' }, { max: 500 }]}
      >
        <Input placeholder="https://" inputMode="url" maxLength={500} />
      </Form.Item>
      <Form.Item name="summary" label="简介">
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
    </FormDialog>
  );
}

export function LectureList() {
  const { current } = useAuth();
  const paging = usePaging('场');
  const [creating, setCreating] = useState(false);
  const list = useAsync(
    () => api.get<Page<LectureView>>('/media/lectures', { page: paging.page, pageSize: paging.pageSize }),
    [paging.page, paging.pageSize, current?.orgId],
  );
  const keeper = current && allows(RECORD_KEEPERS, current.role);
  return (
    <>
      {keeper && (
        <div className="xf-learn-filters" style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={() => setCreating(true)}>
            新建讲座
          </Button>
        </div>
      )}
      <LoadError error={list.error} onRetry={list.reload} />
      <List<LectureView>
        loading={list.loading}
        locale={{ emptyText: '暂无讲座' }}
        dataSource={list.data?.items ?? []}
        pagination={{ ...paging.pagination(list.data?.total ?? 0), align: 'center', size: 'small' }}
        renderItem={(l) => (
          <List.Item className="xf-news-item">
            <List.Item.Meta
              title={
                <Link to={`/media/lectures/${l.id}`}>
                  <PhaseTag l={l} />
                  {l.title}
                </Link>
              }
              description={`${fmtTime(l.startsAt)} · 主讲：${l.speaker} · ${l.orgName}${l.video ? ' · 视频' : l.streamUrl ? ' · 直播' : ''}`}
            />
          </List.Item>
        )}
      />
      {creating && current && <LectureForm orgId={current.orgId} onClose={() => setCreating(false)} />}
    </>
  );
}
