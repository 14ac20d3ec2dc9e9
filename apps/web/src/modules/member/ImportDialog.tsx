/**
 * 导入党员: download the template, choose a filled .xlsx, watch the background job's
 * progress, and see either the imported count or every problem (row, column, message) —
 * in which case nothing was written. The same dialog imports other all-or-nothing sheets that run as
 * background jobs (the learn module's 题库 import) through `kind`.
 */
import type { ReactNode } from 'react';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Modal, Progress, Result, Steps, Table, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, errorText, fieldProblems } from '../../platform/api';
import { useSubmit } from '../../platform/useSubmit';

type Job = {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  total: number;
  result: { imported: number } | null;
  error: { code: string; message: string; details?: { row?: number; field?: string; message: string }[] } | null;
};
type Problem = { row?: number; field?: string; message: string };
type State =
  | { step: 'choose' }
  | { step: 'running'; job: Job | null }
  | { step: 'done'; imported: number }
  | { step: 'failed'; message: string; problems: Problem[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What one import is: its title, routes, the unit counted, the instructions and where the result is seen. */
export type ImportKind = {
  title: string;
  importPath: string;
  templatePath: string;
  /** The counted unit after a number: 「名党员」, 「道题」. */
  unit: string;
  instructions: ReactNode;
  doneHint: string;
  maxMb: number;
};
const MEMBERS: ImportKind = {
  title: '导入党员',
  importPath: '/members/import',
  templatePath: '/members/import-template',
  unit: '名党员',
  instructions: (
    <>
      第一步：下载导入模板，按表头填写（红色列为必填，日期写成 2010-07-01，身份证号设为文本格式）。
      <br />
      第二步：选择填好的 .xlsx 文件导入。任何一行有误都不会导入，并会列出每一处错误。
    </>
  ),
  doneHint: '可在花名册中搜索查看',
  maxMb: 20,
};

export function ImportDialog({
  open,
  orgId,
  onClose,
  kind = MEMBERS,
}: {
  open: boolean;
  orgId: string;
  onClose: (imported: boolean) => void;
  kind?: ImportKind;
}) {
  const { message } = AntApp.useApp();
  const template = useSubmit('toast');
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ step: 'choose' });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const reset = () => {
    setFile(null);
    setState({ step: 'choose' });
  };

  const start = async () => {
    if (!file) return;
    setState({ step: 'running', job: null });
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const { jobId } = await api.post<{ jobId: string }>(`${kind.importPath}?async=true&orgId=${orgId}`, form);
      for (;;) {
        if (!alive.current) return;
        const job = await api.get<Job>(`/jobs/${jobId}`);
        if (job.status === 'done') {
          setState({ step: 'done', imported: job.result?.imported ?? 0 });
          return;
        }
        if (job.status === 'failed') {
          setState({ step: 'failed', message: job.error?.message ?? '导入失败', problems: job.error?.details ?? [] });
          return;
        }
        setState({ step: 'running', job });
        await sleep(400);
      }
    } catch (e) {
      setState({ step: 'failed', message: errorText(e), problems: fieldProblems(e) });
    }
  };

  const current = { choose: 0, running: 1, done: 2, failed: 2 }[state.step];
  const running = state.step === 'running';
  const percent =
    state.step === 'running' && state.job && state.job.total > 0
      ? Math.floor((state.job.progress / state.job.total) * 100)
      : 0;

  return (
    <Modal
      title={kind.title}
      open={open}
      width={760}
      maskClosable={!running}
      closable={!running}
      onCancel={() => {
        const imported = state.step === 'done';
        reset();
        onClose(imported);
      }}
      footer={
        state.step === 'choose' ? (
          <Button type="primary" disabled={!file} onClick={() => void start()}>
            开始导入
          </Button>
        ) : state.step === 'failed' ? (
          <Button type="primary" onClick={reset}>
            修改后重新选择文件
          </Button>
        ) : state.step === 'done' ? (
          <Button
            type="primary"
            onClick={() => {
              reset();
              onClose(true);
            }}
          >
            完成
          </Button>
        ) : null
      }
      destroyOnHidden
    >
      <Steps
        size="small"
        current={current}
        status={state.step === 'failed' ? 'error' : undefined}
        items={[{ title: '选择文件' }, { title: '校验并导入' }, { title: '完成' }]}
        style={{ marginBottom: 20 }}
        responsive={false}
      />
      {state.step === 'choose' && (
        <>
          <Typography.Paragraph>{kind.instructions}</Typography.Paragraph>
          <Button
            icon={<DownloadOutlined />}
            style={{ marginBottom: 16 }}
            loading={template.busy}
            onClick={() => template.run(() => api.download(kind.templatePath))}
          >
            下载导入模板
          </Button>
          <Upload.Dragger
            accept=".xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              if (!/\.xlsx$/i.test(f.name)) {
                message.error('请选择 .xlsx 格式的 Excel 文件（可在 Excel 中“另存为”该格式）');
                return Upload.LIST_IGNORE;
              }
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或把文件拖到这里</p>
            <p className="ant-upload-hint">仅支持 .xlsx，最大 {kind.maxMb} MB</p>
          </Upload.Dragger>
        </>
      )}
      {state.step === 'running' && (
        <div className="xf-import-progress">
          <Progress percent={percent} status="active" aria-label="导入进度" />
          <Typography.Paragraph type="secondary">
            {state.job && state.job.total > 0
              ? `正在校验：${state.job.progress} / ${state.job.total} 行`
              : '正在上传并读取文件…'}
            请勿关闭此窗口。
          </Typography.Paragraph>
        </div>
      )}
      {state.step === 'done' && (
        <Result status="success" title={`导入成功：共导入 ${state.imported} ${kind.unit}`} subTitle={kind.doneHint} />
      )}
      {state.step === 'failed' && (
        <>
          <Alert
            type="error"
            showIcon
            message={state.message}
            description={
              state.problems.length > 0
                ? `共 ${state.problems.length} 处问题，本次没有导入任何数据。请在 Excel 中改正后重新导入。`
                : '本次没有导入任何数据。'
            }
            style={{ marginBottom: 12 }}
          />
          {state.problems.length > 0 && (
            <Table<Problem & { key: number }>
              size="small"
              className="xf-import-problems"
              dataSource={state.problems.map((p, i) => ({ ...p, key: i }))}
              pagination={state.problems.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
              columns={[
                { title: '行号', dataIndex: 'row', width: 70, render: (r?: number) => (r ? `第 ${r} 行` : '—') },
                { title: '列', dataIndex: 'field', width: 110, render: (f?: string) => f || '—' },
                { title: '问题', dataIndex: 'message' },
              ]}
            />
          )}
        </>
      )}
    </Modal>
  );
}
