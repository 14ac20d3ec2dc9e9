/**
 * 照片与附件: upload the meeting's photos (images only, checked by the server from the bytes)
 * and attachments (slides, documents), each up to 10 MB; photos show as thumbnails.
 */
import { CameraOutlined, DeleteOutlined, FileOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Empty, Image, List, Popconfirm, Upload } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, errorText, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import type { Meeting, MeetingFile } from './labels';
import { now } from '@xianfeng/shared';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

const MAX_MB = 10;
const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

export function FilesTab({ m, manager }: { m: Meeting; manager: boolean }) {
  const { message } = AntApp.useApp();
  const { busyKey: busy, run } = useSubmit();
  const removing = useSubmit('toast');
  const [error, setError] = useState<string | null>(null);
  const files = useAsync(() => api.get<Page<MeetingFile>>(`/meetings/${m.id}/files`, { pageSize: 200 }), [m.id]);
  const photos = (files.data?.items ?? []).filter((f) => f.kind === 'photo');
  const attachments = (files.data?.items ?? []).filter((f) => f.kind !== 'photo');
  const started = !dayjs(m.startsAt).isAfter(dayjs(now()));

  const upload = async (kind: 'photo' | 'attachment', file: File) => {
    setError(null);
    // Type and size are the server's to judge (from the bytes); its Chinese message is shown.
    await run(
      async () => {
        const form = new FormData();
        form.append('file', file, file.name);
        const saved =
          kind === 'photo'
            ? await api.post<MeetingFile>(`/meetings/${m.id}/files?kind=photo`, form)
            : await api.post<MeetingFile>(`/meetings/${m.id}/files?kind=attachment`, form);
        message.success(`已上传「${saved.fileName}」`);
        await files.reload();
      },
      { key: kind, onError: (e) => setError(`「${file.name}」上传失败：${errorText(e)}`) },
    );
  };

  const remove = (f: MeetingFile) =>
    removing.run(
      async () => {
        await api.delete(`/meeting-files/${f.id}`, { reason: '上传错误，由书记删除' });
        message.success(`已删除「${f.fileName}」`);
        await files.reload();
      },
      { key: f.id },
    );
  const removeButton = (f: MeetingFile) =>
    manager &&
    m.status !== 'cancelled' && (
      <Popconfirm
        title={`删除「${f.fileName}」？`}
        description="删除后台账中也不再包含，删除操作记入审计日志"
        okText="删除"
        okButtonProps={{ danger: true }}
        cancelText="不删除"
        onConfirm={() => remove(f)}
      >
        <Button
          size="small"
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={`删除${f.fileName}`}
          loading={removing.busyKey === f.id}
        >
          删除
        </Button>
      </Popconfirm>
    );

  const picker = (kind: 'photo' | 'attachment') => (
    <Upload
      accept={kind === 'photo' ? 'image/*' : undefined}
      multiple
      showUploadList={false}
      disabled={busy !== null || m.status === 'cancelled'}
      beforeUpload={(file) => {
        void upload(kind, file);
        return false;
      }}
    >
      <Button
        type={kind === 'photo' ? 'primary' : 'default'}
        icon={kind === 'photo' ? <CameraOutlined /> : <PaperClipOutlined />}
        loading={busy === kind}
        disabled={m.status === 'cancelled' || (kind === 'photo' && !started)}
      >
        {kind === 'photo' ? '上传照片' : '上传附件'}
      </Button>
    </Upload>
  );

  return (
    <>
      {manager && (
        <div className="xf-toolbar">
          {picker('photo')}
          {picker('attachment')}
          <span className="xf-hint">
            照片须为图片，每个文件不超过 {MAX_MB} MB{!started ? '；会议开始后才能上传活动照片' : ''}
          </span>
        </div>
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          closable
          onClose={() => setError(null)}
          style={{ marginBottom: 12 }}
        />
      )}
      <LoadError error={files.error} onRetry={files.reload} />
      {photos.length === 0 && attachments.length === 0 && !files.loading && <Empty description="还没有照片或附件" />}
      {photos.length > 0 && (
        <Image.PreviewGroup>
          <div className="xf-photos">
            {photos.map((f) => (
              <figure key={f.id} className="xf-photo">
                <Image src={f.url} alt={f.fileName} width="100%" height={120} style={{ objectFit: 'cover' }} />
                <figcaption title={f.fileName}>
                  <span className="xf-photo-name">{f.fileName}</span>
                  {removeButton(f)}
                </figcaption>
              </figure>
            ))}
          </div>
        </Image.PreviewGroup>
      )}
      {attachments.length > 0 && (
        <List
          size="small"
          header="附件"
          dataSource={attachments}
          renderItem={(f) => (
            <List.Item>
              <a href={f.url} target="_blank" rel="noreferrer" className="xf-wrap">
                <FileOutlined /> {f.fileName}
              </a>
              <span className="xf-hint">{size(f.size)}</span>
              {removeButton(f)}
            </List.Item>
          )}
        />
      )}
    </>
  );
}
