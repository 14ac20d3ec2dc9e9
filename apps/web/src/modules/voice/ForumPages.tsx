/**
 * 支部在线: the branch's threads (pinned first), a new thread with @mentions, a thread with its
 * replies and attachments, and the moderators' pin / lock / hide.
 */
import { LockOutlined, PaperClipOutlined, PushpinOutlined, TeamOutlined, UploadOutlined } from '@ant-design/icons';
import type { ForumThread, ForumThreadDetail } from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Empty,
  Form,
  Input,
  List,
  Pagination,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { FormDialog } from '../../platform/FormDialog';
import { BackTitle } from '../../platform/BackTitle';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';
import { RECORD_KEEPERS } from '@xianfeng/shared';
import { useAsync } from '../../platform/useAsync';
import { OrgPicker } from '../org/OrgPicker';
import { fmtDay, fmtTime } from './labels';

type Mentionable = { userId: string; name: string };
type ThreadPage = Page<ForumThread> & { forum: { orgId: string; orgName: string; moderator: boolean } };

function MentionSelect({
  orgId,
  value,
  onChange,
}: {
  orgId: string;
  value?: string[];
  onChange?: (v: string[]) => void;
}) {
  const people = useAsync(() => api.get<{ items: Mentionable[] }>('/voice/mentionable', { orgId }), [orgId]);
  return (
    <Select
      mode="multiple"
      aria-label="提醒谁看"
      placeholder="@ 提醒谁看（选填）"
      value={value}
      onChange={onChange}
      optionFilterProp="label"
      options={(people.data?.items ?? []).map((p) => ({ value: p.userId, label: p.name }))}
    />
  );
}

export function ForumPage() {
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const mine = useAsync(() => api.get<{ items: { orgId: string; orgName: string }[] }>('/voice/forums'), []);
  const orgId = params.get('org') ?? mine.data?.items[0]?.orgId;
  const [page, setPage] = useState(1);
  const list = useAsync(
    () => (orgId ? api.get<ThreadPage>('/voice/threads', { orgId, page, pageSize: 20 }) : Promise.resolve(null)),
    [orgId, page],
  );
  const [writing, setWriting] = useState(false);
  const manager = can(...RECORD_KEEPERS);
  return (
    <Card
      className="xf-voice-page"
      title={
        <span>
          <TeamOutlined /> 支部在线{list.data ? ` · ${list.data.forum.orgName}` : ''}
        </span>
      }
      extra={
        orgId && (
          <Button type="primary" onClick={() => setWriting(true)}>
            发起话题
          </Button>
        )
      }
    >
      {(manager || (mine.data?.items.length ?? 0) > 1) && (
        <div className="xf-toolbar">
          {manager ? (
            <div style={{ minWidth: 260, flex: 1, maxWidth: 420 }}>
              <OrgPicker
                value={orgId}
                onChange={(v) => v && setParams({ org: v })}
                selectable={['branch']}
                placeholder="选择党支部"
              />
            </div>
          ) : (
            <Select
              aria-label="支部"
              value={orgId}
              onChange={(v) => setParams({ org: v })}
              options={mine.data!.items.map((f) => ({ value: f.orgId, label: f.orgName }))}
            />
          )}
        </div>
      )}
      <LoadError error={mine.error ?? list.error} onRetry={list.reload} />
      {!orgId && mine.data && <Empty description={manager ? '请选择一个党支部' : '你还不在任何党支部的支部在线里'} />}
      {list.data && (
        <>
          <List<ForumThread>
            dataSource={list.data.items}
            locale={{ emptyText: '还没有话题，来发起第一个吧' }}
            renderItem={(t) => (
              <List.Item className="xf-voice-thread-row" onClick={() => navigate(`/voice/forum/${t.id}`)}>
                <List.Item.Meta
                  title={
                    <Space size={4} wrap>
                      {t.pinned && (
                        <Tag color="red" icon={<PushpinOutlined />}>
                          置顶
                        </Tag>
                      )}
                      {t.locked && <Tag icon={<LockOutlined />}>已锁定</Tag>}
                      {t.hidden && <Tag color="default">已隐藏</Tag>}
                      <Link to={`/voice/forum/${t.id}`}>{t.title}</Link>
                    </Space>
                  }
                  description={`${t.authorName} · ${fmtDay(t.createdAt)} · ${t.replyCount} 条回复 · 最后回复 ${fmtDay(t.lastPostAt)}`}
                />
              </List.Item>
            )}
          />
          {list.data.total > 20 && (
            <Pagination simple current={page} total={list.data.total} pageSize={20} onChange={setPage} />
          )}
        </>
      )}
      {orgId && (
        <FormDialog<{ title: string; body: string; mentions: string[] }>
          title="发起话题"
          open={writing}
          onClose={() => setWriting(false)}
          okText="发布"
          initialValues={{ mentions: [] }}
          onSubmit={async (v) => {
            const t = await api.post<ForumThreadDetail>('/voice/threads', {
              orgId,
              title: v.title,
              body: v.body,
              mentions: v.mentions ?? [],
            });
            setWriting(false);
            navigate(`/voice/forum/${t.id}`);
          }}
        >
          <Form.Item
            name="title"
            label="标题"
            rules={[
              { required: true, message: '请填写标题' },
              { min: 2, message: '标题至少 2 个字' },
            ]}
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="body" label="内容" rules={[{ required: true, message: '请填写内容' }]}>
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 10 }} maxLength={5000} />
          </Form.Item>
          <Form.Item name="mentions" label="提醒">
            <MentionSelect orgId={orgId} />
          </Form.Item>
        </FormDialog>
      )}
    </Card>
  );
}

export function ThreadPage() {
  const { id } = useParams();
  const { message, modal } = AntApp.useApp();
  const [page, setPage] = useState(1);
  const thread = useAsync(() => api.get<ForumThreadDetail>(`/voice-threads/${id}`, { page, pageSize: 20 }), [id, page]);
  const [text, setText] = useState('');
  const [mentions, setMentions] = useState<string[]>([]);
  const { busy, run } = useSubmit('toast');
  /** The moderator's buttons: the clicked one spins (its key: what it changes, or the post's id). */
  const mod = useSubmit('toast');
  const t = thread.data;
  if (thread.error) return <LoadError error={thread.error} onRetry={thread.reload} />;
  if (!t) return <Spin className="xf-center-small" />;
  const moderate = (body: { pinned?: boolean; locked?: boolean; hidden?: boolean; reason?: string }) =>
    mod.run(async () => thread.setData(await api.post<ForumThreadDetail>(`/voice-threads/${t.id}/moderate`, body)), {
      key: Object.keys(body)[0],
    });
  /** The author's own change (within the window the server gives in `editableUntil`); then the page reloads. */
  const change = async (go: () => Promise<unknown>, done: string) => {
    try {
      await go();
      message.success(done);
      await thread.reload();
    } catch (e) {
      message.error(errorText(e));
      throw e;
    }
  };
  const editText = (
    what: '话题' | '回复',
    initial: { title?: string; body: string },
    go: (v: { title?: string; body: string }) => Promise<unknown>,
  ) => {
    const v = { ...initial };
    modal.confirm({
      title: `修改${what}`,
      icon: null,
      content: (
        <Space direction="vertical" style={{ width: '100%' }}>
          {initial.title !== undefined && (
            <Input
              aria-label="标题"
              defaultValue={initial.title}
              maxLength={80}
              onChange={(e) => (v.title = e.target.value)}
            />
          )}
          <Input.TextArea
            aria-label="修改内容"
            defaultValue={initial.body}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={5000}
            onChange={(e) => (v.body = e.target.value)}
          />
          <Typography.Text type="secondary">修改后显示「已编辑」，修改前的内容记入审计日志。</Typography.Text>
        </Space>
      ),
      okText: '保存修改',
      onOk: () =>
        change(
          () => go({ ...v, body: v.body.trim(), ...(v.title !== undefined ? { title: v.title.trim() } : {}) }),
          '已修改',
        ),
    });
  };
  const withdraw = (what: '话题' | '回复', url: string) =>
    modal.confirm({
      title: `撤回这条${what}？`,
      content: `撤回后其他人看不到内容，只显示「已由作者撤回」；支部管理员和审计日志仍保留原文。`,
      okText: '撤回',
      okButtonProps: { danger: true },
      onOk: () => change(() => api.post(url, {}), '已撤回'),
    });
  const until = (iso: string) => `${fmtTime(iso).slice(-5)} 前可修改`;
  const askReason = (what: string, go: (reason: string) => Promise<unknown>) => {
    let reason = '';
    modal.confirm({
      title: `隐藏${what}`,
      content: (
        <Input.TextArea aria-label="隐藏原因" placeholder="请写明原因" onChange={(e) => (reason = e.target.value)} />
      ),
      okText: '隐藏',
      onOk: () => (reason.trim() ? go(reason.trim()) : Promise.reject(message.error('请写明原因'))),
    });
  };
  return (
    <Card className="xf-voice-page" title={<BackTitle to={`/voice/forum?org=${t.orgId}`}>{t.title}</BackTitle>}>
      <div className="xf-my-tags">
        {t.pinned && <Tag color="red">置顶</Tag>}
        {t.locked && <Tag>已锁定</Tag>}
        {t.hidden && <Tag>已隐藏{t.hiddenReason ? `：${t.hiddenReason}` : ''}</Tag>}
        {t.withdrawn && <Tag>已由作者撤回</Tag>}
        {t.edited && !t.withdrawn && <Tag title={t.editedAt ? `修改于 ${fmtTime(t.editedAt)}` : undefined}>已编辑</Tag>}
        <Typography.Text type="secondary">
          {t.orgName} · {t.authorName} · {fmtTime(t.createdAt)}
        </Typography.Text>
      </div>
      <Typography.Paragraph className="xf-voice-body">{t.body}</Typography.Paragraph>
      {t.mentions.length > 0 && (
        <Typography.Paragraph type="secondary">
          提醒：{t.mentions.map((m) => `@${m.name}`).join(' ')}
        </Typography.Paragraph>
      )}
      {t.attachments.length > 0 && (
        <div className="xf-voice-files">
          {t.attachments.map((a) => (
            <a key={a.id} href={`/api/v1/voice-attachments/${a.id}`} target="_blank" rel="noreferrer">
              <PaperClipOutlined /> {a.fileName}
            </a>
          ))}
        </div>
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        {(t.mine || t.canModerate) && !t.hidden && (
          <Upload
            name="file"
            action={`/api/v1/voice-threads/${t.id}/attachments`}
            showUploadList={false}
            onChange={(info) => {
              if (info.file.status === 'done') void thread.reload();
              if (info.file.status === 'error')
                message.error((info.file.response as { error?: { message?: string } })?.error?.message ?? '上传失败');
            }}
          >
            <Button icon={<UploadOutlined />}>添加附件</Button>
          </Upload>
        )}
        {t.editableUntil && (
          <>
            <Button
              onClick={() =>
                editText('话题', { title: t.title, body: t.body }, (v) => api.put(`/voice-threads/${t.id}`, v))
              }
            >
              修改
            </Button>
            <Button danger onClick={() => withdraw('话题', `/voice-threads/${t.id}/withdraw`)}>
              撤回
            </Button>
            <Typography.Text type="secondary">{until(t.editableUntil)}</Typography.Text>
          </>
        )}
        {t.canModerate && (
          <>
            <Button loading={mod.busyKey === 'pinned'} onClick={() => moderate({ pinned: !t.pinned })}>
              {t.pinned ? '取消置顶' : '置顶'}
            </Button>
            <Button loading={mod.busyKey === 'locked'} onClick={() => moderate({ locked: !t.locked })}>
              {t.locked ? '解除锁定' : '锁定'}
            </Button>
            {t.hidden ? (
              <Button loading={mod.busyKey === 'hidden'} onClick={() => moderate({ hidden: false })}>
                恢复显示
              </Button>
            ) : (
              <Button danger onClick={() => askReason('话题', (reason) => moderate({ hidden: true, reason }))}>
                隐藏
              </Button>
            )}
          </>
        )}
      </Space>
      <List
        header={`${t.postTotal} 条回复`}
        dataSource={t.posts}
        renderItem={(p) => (
          <List.Item
            data-testid="post"
            extra={
              <Space size={0} wrap>
                {p.editableUntil && (
                  <>
                    <Button
                      size="small"
                      type="link"
                      onClick={() =>
                        editText('回复', { body: p.body }, (v) => api.put(`/voice-posts/${p.id}`, { body: v.body }))
                      }
                    >
                      修改
                    </Button>
                    <Button
                      size="small"
                      type="link"
                      danger
                      onClick={() => withdraw('回复', `/voice-posts/${p.id}/withdraw`)}
                    >
                      撤回
                    </Button>
                  </>
                )}
                {t.canModerate && (
                  <Button
                    size="small"
                    type="link"
                    loading={mod.busyKey === p.id}
                    onClick={() =>
                      p.hidden
                        ? mod.run(
                            () => api.post(`/voice-posts/${p.id}/moderate`, { hidden: false }).then(thread.reload),
                            {
                              key: p.id,
                            },
                          )
                        : askReason('回复', (reason) =>
                            api.post(`/voice-posts/${p.id}/moderate`, { hidden: true, reason }).then(thread.reload),
                          )
                    }
                  >
                    {p.hidden ? '恢复' : '隐藏'}
                  </Button>
                )}
              </Space>
            }
          >
            <List.Item.Meta
              title={
                <span>
                  {p.authorName} <Typography.Text type="secondary">{fmtTime(p.at)}</Typography.Text>
                  {p.hidden && <Tag style={{ marginLeft: 8 }}>已隐藏</Tag>}
                  {p.withdrawn && <Tag style={{ marginLeft: 8 }}>已撤回</Tag>}
                  {p.edited && !p.withdrawn && (
                    <Tag style={{ marginLeft: 8 }} title={p.editedAt ? `修改于 ${fmtTime(p.editedAt)}` : undefined}>
                      已编辑
                    </Tag>
                  )}
                </span>
              }
              description={
                <span className="xf-voice-post">
                  {p.mentions.length > 0 && (
                    <span className="xf-voice-at">{p.mentions.map((m) => `@${m.name} `).join('')}</span>
                  )}
                  {p.body}
                </span>
              }
            />
          </List.Item>
        )}
      />
      {t.postTotal > 20 && <Pagination simple current={page} total={t.postTotal} pageSize={20} onChange={setPage} />}
      {t.locked || t.withdrawn ? (
        <Alert type="info" message={t.withdrawn ? '该话题已由作者撤回，不能回复' : '该话题已锁定，不能回复'} />
      ) : (
        <div className="xf-voice-reply">
          <MentionSelect orgId={t.orgId} value={mentions} onChange={setMentions} />
          <Input.TextArea
            aria-label="回复"
            placeholder="写下你的回复"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={5000}
          />
          <Button
            type="primary"
            size="large"
            disabled={!text.trim()}
            loading={busy}
            onClick={async () => {
              await run(async () => {
                const d = await api.post<ForumThreadDetail>(`/voice-threads/${t.id}/posts`, {
                  body: text.trim(),
                  mentions,
                });
                setText('');
                setMentions([]);
                setPage(Math.max(1, Math.ceil(d.postTotal / 20)));
                thread.setData(d);
              });
            }}
          >
            回复
          </Button>
        </div>
      )}
    </Card>
  );
}
