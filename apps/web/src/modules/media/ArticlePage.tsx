/**
 * One article: the body as React elements, read receipt on opening (the 必读 receipt and read count), the
 * editor's actions (edit, submit, withdraw, pin), the reviewer's (approve, reject with a reason), the
 * portal link of a public article, and for a 必读 notice the managers' list of who has not read it.
 */
import { ARTICLE_STATUS_LABELS, RECORD_READERS, type ArticleDetail, type UnreadRow } from '@xianfeng/shared';
import { App, Button, Card, Input, Modal, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { PagedTable } from '../../platform/PagedTable';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { ArticleBody } from './ArticleBody';
import { SubjectComments } from './Comments';
import { fmtDate, fmtDateTime, statusColor } from './common';
import { HonoreeTags } from './Showcase';
import './media.css';
import { useSubmit } from '../../platform/useSubmit';

function Unread({ id }: { id: string }) {
  const paging = usePaging('人');
  const r = useAsync(
    () =>
      api.get<Page<UnreadRow> & { members: number }>(`/media-articles/${id}/unread`, {
        page: paging.page,
        pageSize: paging.pageSize,
      }),
    [id, paging.page, paging.pageSize],
  );
  return (
    <Card
      size="small"
      title="未读人员"
      style={{ marginTop: 16 }}
      extra={r.data && `${r.data.members} 名党员中 ${r.data.total} 人未读`}
    >
      <PagedTable<UnreadRow>
        rowKey="memberId"
        size="small"
        list={r}
        pagination={paging.pagination}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '所在组织', dataIndex: 'orgName' },
          {
            title: '账号',
            dataIndex: 'hasAccount',
            render: (v: boolean) => (v ? '已开通' : <Tag>未开通（请线下传达）</Tag>),
          },
        ]}
      />
    </Card>
  );
}

export function ArticlePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { busyKey, run } = useSubmit('toast');
  const { current } = useAuth();
  const r = useAsync(() => api.get<ArticleDetail>(`/media-articles/${id}`), [id]);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const a = r.data;

  useEffect(() => {
    if (a?.status === 'published' && !a.scheduled && !a.read)
      void api.post(`/media-articles/${a.id}/read`).catch(() => undefined);
  }, [a?.id, a?.status, a?.scheduled, a?.read]);

  /** One of the article's buttons (`key`, which spins while it runs): the request, the toast, the reload. */
  const act = (key: string, fn: () => Promise<unknown>, done: string) =>
    run(
      async () => {
        await fn();
        void message.success(done);
        void r.reload();
      },
      { key },
    );
  const portal = a && a.isPublic && a.status === 'published' && !a.scheduled ? `/api/v1/public/articles/${a.id}` : null;

  return (
    <div className="xf-article">
      <LoadError error={r.error} onRetry={r.reload} />
      {a && (
        <Card loading={r.loading}>
          <Space wrap style={{ marginBottom: 8 }}>
            {a.status !== 'published' && <Tag color={statusColor(a.status)}>{ARTICLE_STATUS_LABELS[a.status]}</Tag>}
            {a.scheduled && <Tag color="purple">定时发布</Tag>}
            {a.pinned && <Tag color="red">置顶</Tag>}
            {a.mustRead && <Tag color="orange">必读</Tag>}
            {a.isPublic && <Tag color="blue">门户公开</Tag>}
            <Tag>{a.channel}</Tag>
          </Space>
          <h1>{a.title}</h1>
          <HonoreeTags honorees={a.honorees} />
          <div className="xf-article-meta">
            <span>{a.byline || a.orgName}</span>
            {a.publishedAt && <span>{fmtDate(a.publishedAt)}</span>}
            {a.status === 'published' && !a.scheduled && <span>阅读 {a.readCount}</span>}
            {a.status === 'published' && !a.scheduled && <span>评论 {a.commentCount}</span>}
          </div>
          {a.scheduled && a.publishedAt && (
            <Typography.Paragraph type="secondary">
              已审核通过，将于 {fmtDateTime(a.publishedAt)} 对党员显示并发出通知。
            </Typography.Paragraph>
          )}
          {a.publishAt && a.status !== 'published' && (
            <Typography.Paragraph type="secondary">
              定时发布：{fmtDateTime(a.publishAt)}（审核通过后生效）
            </Typography.Paragraph>
          )}
          {a.status === 'rejected' && (
            <Typography.Paragraph type="danger">退回理由：{a.rejectReason}</Typography.Paragraph>
          )}
          {a.status === 'in_review' && (
            <Typography.Paragraph type="secondary">等待{a.reviewOrgName}审核</Typography.Paragraph>
          )}
          {a.coverFileId && (
            <img className="xf-article-cover" src={`/api/v1/media-articles/${a.id}/files/${a.coverFileId}`} alt="" />
          )}
          <ArticleBody doc={a.body} fileUrl={(f) => `/api/v1/media-articles/${a.id}/files/${f}`} />
          <Space wrap style={{ marginTop: 16 }}>
            {a.canReview && (
              <>
                <Button
                  type="primary"
                  loading={busyKey === 'approve'}
                  onClick={() =>
                    void act(
                      'approve',
                      () => api.post(`/media-articles/${a.id}/review`, { approve: true }),
                      '已通过并发布',
                    )
                  }
                >
                  通过并发布
                </Button>
                <Button danger onClick={() => setRejecting(true)}>
                  退回
                </Button>
              </>
            )}
            {a.canEdit && (a.status === 'draft' || a.status === 'rejected') && (
              <>
                <Button
                  onClick={() => navigate(a.kind === 'brand' ? `/media/brand/edit/${a.id}` : `/media/edit/${a.id}`)}
                >
                  修改
                </Button>
                <Button
                  type="primary"
                  loading={busyKey === 'submit'}
                  onClick={() => void act('submit', () => api.post(`/media-articles/${a.id}/submit`), '已提交审核')}
                >
                  提交审核
                </Button>
              </>
            )}
            {a.canEdit && (a.status === 'published' || a.status === 'in_review') && (
              <Button
                loading={busyKey === 'withdraw'}
                onClick={() => void act('withdraw', () => api.post(`/media-articles/${a.id}/withdraw`), '已撤回为草稿')}
              >
                撤回
              </Button>
            )}
            {a.canEdit && a.status === 'published' && (
              <Button
                loading={busyKey === 'pin'}
                onClick={() =>
                  void act(
                    'pin',
                    () => api.patch(`/media-articles/${a.id}`, { pinned: !a.pinned }),
                    a.pinned ? '已取消置顶' : '已置顶',
                  )
                }
              >
                {a.pinned ? '取消置顶' : '置顶'}
              </Button>
            )}
            {portal && (
              <a href={portal} target="_blank" rel="noopener noreferrer">
                门户页面（可分享）
              </a>
            )}
            <Link to={a.kind === 'brand' ? '/media?tab=brands' : a.kind === 'news' ? '/media' : '/media?tab=showcase'}>
              返回宣传
            </Link>
          </Space>
          {(a.canEdit || a.canReview) && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
              审核规则：{a.reviewRule}
            </Typography.Paragraph>
          )}
        </Card>
      )}
      {a && a.status === 'published' && (
        <SubjectComments
          kind="article"
          id={a.id}
          count={a.commentCount}
          open={!a.scheduled}
          closedText="文章发布后才能评论。"
          moderator={a.canEdit}
        />
      )}
      {a && a.mustRead && a.status === 'published' && current && allows(RECORD_READERS, current.role) && (
        <Unread id={a.id} />
      )}
      <Modal
        title="退回稿件"
        open={rejecting}
        okText="退回"
        cancelText="取消"
        confirmLoading={busyKey === 'reject'}
        onCancel={() => setRejecting(false)}
        onOk={async () => {
          if (!a) return;
          await act('reject', () => api.post(`/media-articles/${a.id}/review`, { approve: false, reason }), '已退回');
          setRejecting(false);
        }}
      >
        <Input.TextArea
          aria-label="退回理由"
          placeholder="请写明退回理由"
          value={reason}
          maxLength={300}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </div>
  );
}
