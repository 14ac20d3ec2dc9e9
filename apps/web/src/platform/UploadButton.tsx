/**
 * A button that uploads the one file chosen (an antd Upload, no list) through `useSubmit('toast')`: it spins while
 * the file goes, and a failure is a toast. `send` posts the form (the file as its `file` field); then `done` is
 * shown and `onDone` runs (the reload).
 */
import { UploadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Upload } from 'antd';
import type { ReactNode } from 'react';
import { uploadRequest, useSubmit } from './useSubmit';

/** What evidence of work may be: pictures and office documents. */
export const EVIDENCE_TYPES = 'image/*,.pdf,.docx,.xlsx,.pptx';

export function UploadButton({
  accept,
  send,
  done,
  onDone,
  children,
  ariaLabel,
}: {
  accept: string;
  send: (form: FormData) => Promise<unknown>;
  done: string;
  onDone: () => unknown;
  children: ReactNode;
  ariaLabel?: string;
}) {
  const { message } = AntApp.useApp();
  const { busy, run } = useSubmit('toast');
  const upload = async (form: FormData) => {
    await send(form);
    void message.success(done);
    await onDone();
  };
  return (
    <Upload showUploadList={false} accept={accept} customRequest={uploadRequest(run, upload)}>
      <Button icon={<UploadOutlined />} aria-label={ariaLabel} loading={busy}>
        {children}
      </Button>
    </Upload>
  );
}
