/**
 * 宣传 comments: the article page's comment list and box (a held comment shows 待审核 to its author only), the
 * moderators' 评论审核 queue, and the administrators' 敏感词 list (edit, import a .txt file of one word a line).
 * Texts are shown as React text, never as markup.
 */
import {
  COMMENT_MAX_CHARS,
  COMMENT_STATUS_LABELS,
  COMMENT_SUBJECT_LABELS,
  type CommentStatus,
  type CommentSubject,
  type CommentView,
  type QueuedComment,
} from '@xianfeng/shared';
import {
  App,
  Button,
  Card,
  Input,
  List,
  Modal,
  Popconfirm,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { PagedTable } from '../../platform/PagedTable';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { useSubmit } from '../../platform/useSubmit';

const statusColor: Record<CommentStatus, string> = { shown: 'green', held: 'gold', rejected: 'red' };
const fmtTime = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));

/** Approve, or reject with a reason (a modal): one control for the article page and the queue. */
function Decide({ c, onDone }: { c: CommentView; onDone: () => void }) {
  const { message } = App.useApp();
  const { busyKey, run } = useSubmit('toast');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const decide = (approve: boolean) =>
    run(
      async () => {
        await api.post(`/media-comments/${c.id}/decide`, approve ? { approve } : { approve, reason });
        void message.success(approve ? '已通过，评论已显示' : '已拒绝');
        setOpen(false);
        onDone();
      },
      { key: approve ? 'approve' : 'reject' },
    );
  return (
    <Space wrap>
      <Button size="small" type="primary" loading={busyKey === 'approve'} onClick={() => void decide(true)}>
        通过
      </Button>
      <Button size="small" danger onClick={() => setOpen(true)}>
        拒绝
      </Button>
      <Modal
        title="拒绝评论"
        open={open}
        okText="拒绝"
        cancelText="取消"
        confirmLoading={busyKey === 'reject'}
        onCancel={() => setOpen(false)}
        onOk={() => decide(false)}
      >
        <Input.TextArea
          aria-label="拒绝理由"
          placeholder="请写明理由（评论人可见）"
          value={reason}
          maxLength={200}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </Space>
  );
}

function CommentBody({ c }: { c: CommentView }) {
  return (
    <>
      <Typography.Paragraph style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}>{c.text}</Typography.Paragraph>
      {c.hits.length > 0 && (
        <div>
          命中敏感词：
          {c.hits.map((w) => (
            <Tag key={w} color="volcano">
              {w}
            </Tag>
          ))}
        </div>
      )}
      {c.status === 'rejected' && c.reason && <Typography.Text type="danger">未通过理由：{c.reason}</Typography.Text>}
    </>
  );
}

const subjectBase: Record<CommentSubject, string> = {
  article: '/media-articles',
  lecture: '/media-lectures',
  entry: '/media-contest-entries',
};

/**
 * The comments under an article, a lecture (its recording) or a contest entry (its video): everyone's shown ones,
 * the caller's own held/rejected ones, all for moderators. `count` (articles keep one) or the list's total.
 */
export function SubjectComments({
  kind,
  id,
  count,
  open,
  closedText,
  moderator,
  title = '评论',
}: {
  kind: CommentSubject;
  id: string;
  count?: number;
  open: boolean;
  closedText?: string;
  moderator: boolean;
  title?: string;
}) {
  const { message } = App.useApp();
  const paging = usePaging('条');
  const url = `${subjectBase[kind]}/${id}/comments`;
  const list = useAsync(
    () => api.get<Page<CommentView>>(url, { page: paging.page, pageSize: paging.pageSize }),
    [url, paging.page, paging.pageSize],
  );
  const [text, setText] = useState('');
  const { busy, run } = useSubmit('toast');
  const removing = useSubmit('toast');
  const send = async () => {
    await run(async () => {
      const c = await api.post<CommentView>(url, { text });
      void message.success(c.status === 'held' ? '评论已提交，审核通过后其他人可见' : '评论已发表');
      setText('');
      paging.setPage(1);
      void list.reload();
    });
  };
  return (
    <Card
      size="small"
      title={`${title}（${count ?? list.data?.total ?? 0}）`}
      style={{ marginTop: 16 }}
      className="xf-comments"
    >
      {open ? (
        <div className="xf-comment-box">
          <Input.TextArea
            aria-label="写评论"
            placeholder="写下你的评论（文明发言，含敏感词的评论审核后显示）"
            value={text}
            maxLength={COMMENT_MAX_CHARS}
            showCount
            autoSize={{ minRows: 2, maxRows: 6 }}
            onChange={(e) => setText(e.target.value)}
          />
          <Button
            type="primary"
            loading={busy}
            disabled={text.trim() === ''}
            onClick={() => void send()}
            style={{ marginTop: 24 }}
          >
            发表评论
          </Button>
        </div>
      ) : (
        <Typography.Paragraph type="secondary">{closedText ?? '发布后才能评论。'}</Typography.Paragraph>
      )}
      <LoadError error={list.error} onRetry={list.reload} />
      <List<CommentView>
        loading={list.loading}
        locale={{ emptyText: '暂无评论' }}
        dataSource={list.data?.items ?? []}
        pagination={
          list.data && list.data.total > paging.pageSize
            ? { ...paging.pagination(list.data.total), align: 'center', size: 'small' }
            : false
        }
        renderItem={(c) => (
          <List.Item
            key={c.id}
            extra={
              moderator && c.status === 'held' ? (
                <Decide c={c} onDone={() => void list.reload()} />
              ) : c.mine ? (
                <Popconfirm
                  title="删除这条评论？"
                  description="删除后内容随即清除，不能恢复。"
                  okText="删除"
                  cancelText="取消"
                  onConfirm={() =>
                    removing.run(
                      async () => {
                        await api.delete(`/media-comments/${c.id}`);
                        void message.success('评论已删除');
                        void list.reload();
                      },
                      { key: c.id },
                    )
                  }
                >
                  <Button size="small" type="link" danger loading={removing.busyKey === c.id}>
                    删除
                  </Button>
                </Popconfirm>
              ) : undefined
            }
          >
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  <span>{c.authorName}</span>
                  {c.mine && <Tag>我</Tag>}
                  {c.status !== 'shown' && <Tag color={statusColor[c.status]}>{COMMENT_STATUS_LABELS[c.status]}</Tag>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtTime(c.createdAt)}
                  </Typography.Text>
                </Space>
              }
              description={<CommentBody c={c} />}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 评论审核: the comments on the articles, lectures and contest entries of the acting org's subtree, held ones first. */
export function CommentQueue({ orgId }: { orgId: string | undefined }) {
  const [status, setStatus] = useState<CommentStatus>('held');
  const paging = usePaging('条');
  const list = useAsync(
    () =>
      api.get<Page<QueuedComment>>('/media/comment-queue', {
        orgId,
        status,
        page: paging.page,
        pageSize: paging.pageSize,
      }),
    [orgId, status, paging.page, paging.pageSize],
  );
  return (
    <>
      <div className="xf-learn-filters" style={{ marginBottom: 12 }}>
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as CommentStatus);
            paging.setPage(1);
          }}
          options={(['held', 'shown', 'rejected'] as const).map((s) => ({ value: s, label: COMMENT_STATUS_LABELS[s] }))}
        />
      </div>
      <PagedTable<QueuedComment>
        size="small"
        locale={{ emptyText: status === 'held' ? '没有待审核的评论' : '暂无评论' }}
        list={list}
        pagination={paging.pagination}
        columns={[
          { title: '评论', render: (_: unknown, c) => <CommentBody c={c} /> },
          { title: '评论人', dataIndex: 'authorName', width: 96 },
          {
            title: '评论对象',
            dataIndex: 'subjectTitle',
            responsive: ['md'],
            render: (t: string, c) => (
              <>
                <Tag>{COMMENT_SUBJECT_LABELS[c.subjectKind]}</Tag>
                <Link to={c.subjectLink}>{t}</Link>
              </>
            ),
          },
          { title: '时间', dataIndex: 'createdAt', responsive: ['md'], width: 120, render: fmtTime },
          ...(status === 'held'
            ? [
                {
                  title: '操作',
                  width: 150,
                  render: (_: unknown, c: QueuedComment) => <Decide c={c} onDone={() => void list.reload()} />,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

type WordsPage = Page<{ word: string }> & { version: number; isDefault: boolean; source: string };

/** 敏感词: the tenant's list; the top org's administrators add, import and remove words. */
export function SensitiveWords() {
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const paging = usePaging('个');
  const list = useAsync(
    () =>
      api.get<WordsPage>('/media/sensitive-words', { q: q || undefined, page: paging.page, pageSize: paging.pageSize }),
    [q, paging.page, paging.pageSize],
  );
  const [adding, setAdding] = useState('');
  const { busyKey, run } = useSubmit('toast');
  /** `key`: which control spins — 'add', 'import', or `word:…` for the row that removes it. */
  const edit = (body: { add?: string[]; remove?: string[] }, key: string) =>
    run(
      async () => {
        const r = await api.post<{ added: number; removed: number; total: number }>('/media/sensitive-words', body);
        void message.success(`已添加 ${r.added} 个、删除 ${r.removed} 个，词表共 ${r.total} 个`);
        setAdding('');
        void list.reload();
      },
      { key },
    );
  const lines = (s: string) =>
    s
      .split(/[\r\n,，]+/)
      .map((w) => w.trim())
      .filter(Boolean);
  return (
    <>
      <Typography.Paragraph type="secondary">
        评论命中词表中的词时先不显示，由文章所属组织的书记或管理员审核。
        {list.data?.isDefault ? '当前为系统默认词表（示例），请按本单位要求维护。' : ''}
        <br />
        <span style={{ fontSize: 12 }}>依据：{list.data?.source}</span>
      </Typography.Paragraph>
      <Space wrap align="start" style={{ marginBottom: 12 }}>
        <Input.TextArea
          aria-label="添加敏感词"
          placeholder="添加敏感词，每行一个"
          value={adding}
          onChange={(e) => setAdding(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 6 }}
          style={{ width: 260 }}
        />
        <Button
          type="primary"
          disabled={lines(adding).length === 0}
          loading={busyKey === 'add'}
          onClick={() => void edit({ add: lines(adding) }, 'add')}
        >
          添加
        </Button>
        <Upload
          accept=".txt,text/plain"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((s) => edit({ add: lines(s) }, 'import'));
            return false;
          }}
        >
          <Button loading={busyKey === 'import'}>导入词表（.txt，每行一个）</Button>
        </Upload>
        <Input.Search
          aria-label="搜索敏感词"
          placeholder="搜索"
          allowClear
          style={{ width: 160 }}
          onSearch={(v) => (setQ(v.trim()), paging.setPage(1))}
        />
      </Space>
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<{ word: string }>
        rowKey="word"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging.pagination(list.data?.total ?? 0)}
        columns={[
          { title: '敏感词', dataIndex: 'word' },
          {
            title: '操作',
            width: 90,
            render: (_: unknown, r) => (
              <Button
                size="small"
                danger
                loading={busyKey === `word:${r.word}`}
                onClick={() => void edit({ remove: [r.word] }, `word:${r.word}`)}
              >
                删除
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
