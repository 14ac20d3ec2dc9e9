/**
 * 党务信箱: write a private letter to one's own org's (or an org above's) 书记 or 纪检委员, follow
 * one's letters, and — for whoever holds those positions — read and answer the letters sent to
 * them. Nobody else, the administrators included, can open a letter.
 */
import { MailOutlined, UploadOutlined } from '@ant-design/icons';
import {
  LETTER_FILE_MAX,
  LETTER_POSITIONS,
  type Letter,
  type LetterDetail,
  type LetterTarget,
  type LetterPosition,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Badge,
  Button,
  Card,
  Empty,
  Form,
  Input,
  List,
  Pagination,
  Radio,
  Select,
  Space,
  Spin,
  Tabs,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { BackTitle } from '../../platform/BackTitle';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { AnswerFiles } from './forms';
import { fmtTime, LetterStatusTag } from './labels';
import { useSubmit } from '../../platform/useSubmit';

function Write() {
  const targets = useAsync(() => api.get<{ items: LetterTarget[] }>('/voice/letter-targets'), []);
  const navigate = useNavigate();
  const [orgId, setOrgId] = useState<string>();
  const [position, setPosition] = useState<LetterPosition>('书记');
  const { busy, error, run } = useSubmit();
  const items = targets.data?.items ?? [];
  const orgs = [...new Map(items.map((t) => [t.orgId, t.orgName])).entries()];
  const chosenOrg = orgId ?? orgs.at(-1)?.[0];
  const slot = items.find((t) => t.orgId === chosenOrg && t.position === position);
  if (targets.error) return <LoadError error={targets.error} onRetry={targets.reload} />;
  if (!targets.data) return <Spin className="xf-center-small" />;
  return (
    <Form
      layout="vertical"
      size="large"
      className="xf-voice-form"
      onFinish={async (v: { subject: string; body: string }) => {
        await run(async () => {
          const l = await api.post<LetterDetail>('/voice/letters', {
            orgId: chosenOrg,
            position,
            subject: v.subject,
            body: v.body,
          });
          navigate(`/voice/letters/${l.id}`);
        });
      }}
    >
      <Alert
        type="info"
        showIcon
        message="信件只有收信人本人能看到，组织部和系统管理员也无法查看。"
        style={{ marginBottom: 16 }}
      />
      <Form.Item label="收信党组织">
        <Select
          aria-label="收信党组织"
          value={chosenOrg}
          onChange={setOrgId}
          options={orgs.map(([id, name]) => ({ value: id, label: name }))}
        />
      </Form.Item>
      <Form.Item
        label="收信人"
        extra={slot && !slot.available ? '该组织暂无此收信人的账号，请改写给其他收信人' : undefined}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          value={position}
          onChange={(e) => setPosition(e.target.value as LetterPosition)}
          options={LETTER_POSITIONS.map((p) => ({ value: p, label: p }))}
        />
      </Form.Item>
      <Form.Item
        name="subject"
        label="主题"
        rules={[
          { required: true, message: '请填写主题' },
          { min: 2, message: '主题至少 2 个字' },
        ]}
      >
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item
        name="body"
        label="内容"
        rules={[
          { required: true, message: '请填写内容' },
          { min: 5, message: '内容至少 5 个字' },
        ]}
      >
        <Input.TextArea autoSize={{ minRows: 5, maxRows: 12 }} maxLength={5000} showCount />
      </Form.Item>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" block loading={busy} disabled={Boolean(slot && !slot.available)}>
        寄出
      </Button>
    </Form>
  );
}

function Letters({ path }: { path: '/voice/letters/sent' | '/voice/letters/inbox' }) {
  const [page, setPage] = useState(1);
  const list = useAsync(() => api.get<Page<Letter> & { unread?: number }>(path, { page, pageSize: 10 }), [path, page]);
  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Spin className="xf-center-small" />;
  if (list.data.items.length === 0)
    return <Empty description={path.endsWith('inbox') ? '没有写给你的信' : '还没有写过信'} />;
  return (
    <>
      <List<Letter>
        dataSource={list.data.items}
        renderItem={(l) => (
          <List.Item className="xf-voice-letter" extra={<LetterStatusTag s={l.status} />}>
            <List.Item.Meta
              title={<Link to={`/voice/letters/${l.id}`}>{l.subject}</Link>}
              description={
                l.mine
                  ? `致 ${l.orgName} ${l.position} · ${fmtTime(l.sentAt)}`
                  : `${l.fromName} 致 ${l.orgName} ${l.position} · ${fmtTime(l.sentAt)}`
              }
            />
          </List.Item>
        )}
      />
      {list.data.total > 10 && (
        <Pagination simple current={page} total={list.data.total} pageSize={10} onChange={setPage} />
      )}
    </>
  );
}

export function LettersPage() {
  const [params, setParams] = useSearchParams();
  const inbox = useAsync(() => api.get<Page<Letter> & { unread: number }>('/voice/letters/inbox', { pageSize: 1 }), []);
  const tab = params.get('tab') ?? (inbox.data?.unread ? 'inbox' : 'write');
  return (
    <Card
      className="xf-voice-page"
      title={
        <span>
          <MailOutlined /> 党务信箱
        </span>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'write', label: '写信', children: <Write /> },
          { key: 'sent', label: '我写的信', children: <Letters path="/voice/letters/sent" /> },
          {
            key: 'inbox',
            label: (
              <Badge count={inbox.data?.unread ?? 0} size="small" offset={[8, 0]}>
                收到的信
              </Badge>
            ),
            children: <Letters path="/voice/letters/inbox" />,
          },
        ]}
      />
    </Card>
  );
}

export function LetterPage() {
  const { id } = useParams();
  const { message } = AntApp.useApp();
  const letter = useAsync(() => api.get<LetterDetail>(`/voice-letters/${id}`), [id]);
  const [text, setText] = useState('');
  const { busyKey, run } = useSubmit('toast');
  const l = letter.data;
  if (letter.error) return <LoadError error={letter.error} onRetry={letter.reload} />;
  if (!l) return <Spin className="xf-center-small" />;
  const send = () =>
    run(
      async () => {
        letter.setData(await api.post<LetterDetail>(`/voice-letters/${l.id}/messages`, { body: text.trim() }));
        setText('');
      },
      { key: 'send' },
    );
  return (
    <Card
      className="xf-voice-page"
      title={<BackTitle to="/voice/letters">{l.subject}</BackTitle>}
      extra={<LetterStatusTag s={l.status} />}
    >
      <Typography.Paragraph type="secondary">
        {l.mine ? '我' : l.fromName} 致 {l.orgName} {l.position}
      </Typography.Paragraph>
      <div className="xf-voice-thread">
        {l.messages.map((m) => (
          <div key={m.id} className={`xf-voice-msg xf-voice-msg-${m.side}`} data-testid="letter-message">
            <div className="xf-voice-msg-head">
              {m.authorName} · {fmtTime(m.at)}
            </div>
            <div className="xf-voice-msg-body">{m.body}</div>
            <AnswerFiles files={m.files} base="/voice-letter-files" testId="letter-files" />
            {m.canAttach && (
              <div className="xf-voice-msg-attach">
                <Upload
                  name="file"
                  action={`/api/v1/voice-letter-messages/${m.id}/files`}
                  showUploadList={false}
                  onChange={(info) => {
                    if (info.file.status === 'done') void letter.reload();
                    if (info.file.status === 'error')
                      message.error(
                        (info.file.response as { error?: { message?: string } })?.error?.message ?? '上传失败',
                      );
                  }}
                >
                  <Button size="small" icon={<UploadOutlined />}>
                    添加附件
                  </Button>
                </Upload>
                <Typography.Text type="secondary" className="xf-voice-hint">
                  加密保存，仅写信人和收信人可下载；图片、PDF 或 Office 文件，每个不超过 10 MB，每条最多{' '}
                  {LETTER_FILE_MAX} 个
                </Typography.Text>
              </div>
            )}
          </div>
        ))}
      </div>
      {l.status !== 'closed' ? (
        <>
          <Input.TextArea
            aria-label={l.mine ? '补充' : '回复'}
            placeholder={l.mine ? '补充说明' : '回复写信人'}
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={5000}
          />
          <Space style={{ marginTop: 12 }} wrap>
            <Button type="primary" size="large" disabled={!text.trim()} loading={busyKey === 'send'} onClick={send}>
              {l.mine ? '补充' : '回复'}
            </Button>
            {!l.mine && (
              <Button
                size="large"
                loading={busyKey === 'close'}
                onClick={() =>
                  run(async () => letter.setData(await api.post<LetterDetail>(`/voice-letters/${l.id}/close`, {})), {
                    key: 'close',
                  })
                }
              >
                办结
              </Button>
            )}
          </Space>
        </>
      ) : (
        <Alert type="success" message="信件已办结" />
      )}
      <Typography.Paragraph type="secondary" className="xf-voice-cite">
        依据：{l.citation}
      </Typography.Paragraph>
    </Card>
  );
}
