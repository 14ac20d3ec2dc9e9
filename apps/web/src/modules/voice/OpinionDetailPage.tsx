/**
 * One opinion for its handlers: the text, the handling trail, and the actions — assign to a
 * handler, transfer to another org, answer (and publish to the board when the submitter allowed
 * it), close. The auditor may read the sealed identity of an anonymous item, with a reason.
 */
import { UploadOutlined } from '@ant-design/icons';
import { OPINION_FILE_MAX, type OpinionDetail } from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Rate,
  Select,
  Space,
  Spin,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, errorText } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { BackTitle } from '../../platform/BackTitle';
import { LoadError } from '../../platform/LoadError';
import { RECORD_KEEPERS } from '@xianfeng/shared';
import { useAsync } from '../../platform/useAsync';
import { OrgPicker } from '../org/OrgPicker';
import { AnswerFiles } from './forms';
import { CategoryTag, OpinionStatusTag } from './labels';
import { useSubmit } from '../../platform/useSubmit';

export function OpinionDetailPage() {
  const { id } = useParams();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const item = useAsync(() => api.get<OpinionDetail>(`/voice-opinions/${id}`), [id]);
  const [answer, setAnswer] = useState('');
  const [publish, setPublish] = useState(true);
  const { busy, error, run } = useSubmit();
  const [assigning, setAssigning] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [revealing, setRevealing] = useState(false);
  const o = item.data;
  const manager = can(...RECORD_KEEPERS);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    await run(async () => {
      await fn();
      message.success(done);
      await item.reload();
    });
  };
  if (item.error) return <LoadError error={item.error} onRetry={item.reload} />;
  if (!o) return <Spin className="xf-center-small" />;
  const open = o.status !== 'closed' && o.status !== 'withdrawn';
  return (
    <Card className="xf-voice-page" title={<BackTitle>{o.title}</BackTitle>}>
      <div className="xf-my-tags">
        <CategoryTag c={o.category} />
        <OpinionStatusTag o={o} />
      </div>
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} className="xf-voice-desc">
        <Descriptions.Item label="提交人">
          {o.anonymous ? `匿名（${o.identityKept ? '身份已封存，仅审计员可按事由查阅' : '未保存身份'}）` : o.authorName}
        </Descriptions.Item>
        {o.contact && <Descriptions.Item label="联系方式">{o.contact}</Descriptions.Item>}
        <Descriptions.Item label="渠道">{o.channel === 'code' ? '职工参与码' : '党员提交'}</Descriptions.Item>
        <Descriptions.Item label="党组织">{o.orgName}</Descriptions.Item>
        <Descriptions.Item label="提交日期">{o.submittedOn}</Descriptions.Item>
        <Descriptions.Item label="答复期限">{o.dueOn}</Descriptions.Item>
        <Descriptions.Item label="承办人">{o.handlerName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="公开答复">
          {o.allowPublic ? (o.published ? '已公开' : '提交人同意公开，尚未公开') : '提交人未同意公开'}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph className="xf-voice-body">{o.body}</Typography.Paragraph>
      {o.answer && (
        <div className="xf-voice-answer">
          <div className="xf-voice-answer-head">
            {o.answeredBy} 答复 · {o.answeredOn}
          </div>
          <div>{o.answer}</div>
        </div>
      )}
      {(o.answerFiles.length > 0 || (manager && open)) && (
        <div className="xf-voice-answer-files">
          <Typography.Text type="secondary">答复附件{o.answer ? '' : '（答复后提交人可见）'}：</Typography.Text>
          <AnswerFiles files={o.answerFiles} />
          {manager && open && o.answerFiles.length < OPINION_FILE_MAX && (
            <Upload
              name="file"
              action={`/api/v1/voice-opinions/${o.id}/files`}
              showUploadList={false}
              onChange={(info) => {
                if (info.file.status === 'done') void item.reload();
                if (info.file.status === 'error')
                  message.error((info.file.response as { error?: { message?: string } })?.error?.message ?? '上传失败');
              }}
            >
              <Button size="small" icon={<UploadOutlined />}>
                添加附件
              </Button>
            </Upload>
          )}
          {manager && open && (
            <Typography.Text type="secondary">
              {' '}
              图片、PDF 或 Office 文件，每个不超过 10 MB，最多 {OPINION_FILE_MAX} 个
            </Typography.Text>
          )}
        </div>
      )}
      {o.rating !== null && (
        <p>
          提交人评价：
          <Rate disabled value={o.rating} /> {o.ratingComment}
        </p>
      )}
      {error && <Alert type="error" showIcon message={error} style={{ margin: '12px 0' }} />}
      {manager && open && (
        <div className="xf-voice-actions">
          <Form layout="vertical">
            <Form.Item label={o.answer ? '补充答复' : '答复'}>
              <Input.TextArea
                aria-label="答复内容"
                value={answer}
                onChange={(e) => setAnswer(e.target.value)}
                autoSize={{ minRows: 3, maxRows: 8 }}
                maxLength={5000}
              />
            </Form.Item>
            {o.allowPublic && (
              <Checkbox checked={publish} onChange={(e) => setPublish(e.target.checked)}>
                同时在公开答复栏公开（不显示提交人）
              </Checkbox>
            )}
          </Form>
          <Space wrap style={{ marginTop: 12 }}>
            <Button
              type="primary"
              loading={busy}
              disabled={answer.trim().length < 2}
              onClick={() =>
                act(
                  () =>
                    api
                      .post(`/voice-opinions/${o.id}/answer`, {
                        answer: answer.trim(),
                        publish: o.allowPublic && publish,
                      })
                      .then(() => setAnswer('')),
                  '已答复',
                )
              }
            >
              提交答复
            </Button>
            {!o.answer && <Button onClick={() => setAssigning(true)}>交办</Button>}
            {!o.answer && <Button onClick={() => setTransferring(true)}>转办</Button>}
            {o.answer && o.allowPublic && (
              <Button
                onClick={() =>
                  act(
                    () => api.post(`/voice-opinions/${o.id}/publish`, { published: !o.published }),
                    o.published ? '已撤回公开' : '已公开',
                  )
                }
              >
                {o.published ? '撤回公开' : '公开答复'}
              </Button>
            )}
            {o.answer && (
              <Button onClick={() => act(() => api.post(`/voice-opinions/${o.id}/close`, {}), '已办结')}>办结</Button>
            )}
          </Space>
        </div>
      )}
      {can('auditor') && o.anonymous && o.identityKept && (
        <Button danger style={{ marginTop: 12 }} onClick={() => setRevealing(true)}>
          查阅封存身份
        </Button>
      )}
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        办理经过
      </Typography.Title>
      <Timeline
        items={[
          { children: `${o.submittedOn} 提交${o.anonymous ? '（匿名）' : ''}` },
          ...o.steps.map((s) => ({ children: `${s.on} ${s.label} · ${s.actor}${s.note ? `：${s.note}` : ''}` })),
        ]}
      />
      <AssignDialog
        open={assigning}
        orgId={o.orgId}
        onClose={() => setAssigning(false)}
        onOk={(userId, note) =>
          act(() => api.post(`/voice-opinions/${o.id}/assign`, { userId, ...(note ? { note } : {}) }), '已交办')
        }
      />
      <TransferDialog
        open={transferring}
        onClose={() => setTransferring(false)}
        onOk={(orgId, note) =>
          act(async () => {
            await api.post(`/voice-opinions/${o.id}/transfer`, { orgId, ...(note ? { note } : {}) });
          }, '已转办')
        }
      />
      <RevealDialog open={revealing} id={o.id} onClose={() => setRevealing(false)} />
    </Card>
  );
}

function AssignDialog({
  open,
  orgId,
  onClose,
  onOk,
}: {
  open: boolean;
  orgId: string;
  onClose: () => void;
  onOk: (userId: string, note: string) => Promise<void>;
}) {
  const people = useAsync(
    () =>
      open
        ? api.get<{ items: { userId: string; name: string }[] }>('/voice/handlers', { orgId })
        : Promise.resolve({ items: [] }),
    [open, orgId],
  );
  const [userId, setUserId] = useState<string>();
  const [note, setNote] = useState('');
  return (
    <Modal
      title="交办"
      open={open}
      onCancel={onClose}
      okButtonProps={{ disabled: !userId }}
      onOk={async () => {
        await onOk(userId!, note.trim());
        onClose();
      }}
      destroyOnHidden
    >
      <Select
        aria-label="承办人"
        placeholder="选择承办人"
        style={{ width: '100%', marginBottom: 12 }}
        value={userId}
        onChange={setUserId}
        options={(people.data?.items ?? []).map((p) => ({ value: p.userId, label: p.name }))}
      />
      <Input.TextArea
        aria-label="交办说明"
        placeholder="交办说明（选填）"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={500}
      />
    </Modal>
  );
}

function TransferDialog({
  open,
  onClose,
  onOk,
}: {
  open: boolean;
  onClose: () => void;
  onOk: (orgId: string, note: string) => Promise<void>;
}) {
  const [orgId, setOrgId] = useState<string>();
  const [note, setNote] = useState('');
  return (
    <Modal
      title="转办到其他党组织"
      open={open}
      onCancel={onClose}
      okButtonProps={{ disabled: !orgId }}
      onOk={async () => {
        await onOk(orgId!, note.trim());
        onClose();
      }}
      destroyOnHidden
    >
      <div style={{ marginBottom: 12 }}>
        <OrgPicker value={orgId} onChange={(v) => setOrgId(v)} selectable={['committee', 'general_branch', 'branch']} />
      </div>
      <Input.TextArea
        aria-label="转办说明"
        placeholder="转办说明（选填）"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={500}
      />
    </Modal>
  );
}

function RevealDialog({ open, id, onClose }: { open: boolean; id: string; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [who, setWho] = useState<{ name: string; username: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      title="查阅封存身份"
      open={open}
      onCancel={() => {
        setWho(null);
        onClose();
      }}
      okText="查阅"
      okButtonProps={{ disabled: reason.trim().length < 5 || Boolean(who) }}
      onOk={async () => {
        setError(null);
        try {
          setWho(await api.post(`/voice-opinions/${id}/identity`, { reason: reason.trim() }));
        } catch (e) {
          setError(errorText(e));
        }
      }}
      destroyOnHidden
    >
      <Alert
        type="warning"
        showIcon
        message="查阅将记入审计日志（查阅人、时间、事由）。仅在核查违纪违法、诬告陷害等情形下查阅。"
        style={{ marginBottom: 12 }}
      />
      <Input.TextArea
        aria-label="查阅事由"
        placeholder="查阅事由（至少 5 个字）"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={200}
      />
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      {who && (
        <Alert
          type="info"
          style={{ marginTop: 12 }}
          message={`提交人：${who.name}${who.username ? `（账号 ${who.username}）` : ''}`}
        />
      )}
    </Modal>
  );
}
