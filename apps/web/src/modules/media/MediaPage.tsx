/**
 * 宣传: the news feed (channels, pinned first), 网上课堂 (LecturesPage), and for record keepers 稿件管理 (their org's articles in
 * every status) and 待我审核 (articles of the orgs below waiting for their review).
 */
import {
  ARTICLE_STATUS_LABELS,
  ARTICLE_STATUSES,
  ORG_ADMINS,
  RECORD_KEEPERS,
  type ArticleBrief,
  type ArticleStatus,
  type ChannelView,
} from '@xianfeng/shared';
import { App, Button, Input, Modal, Pagination, Segmented, Select, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { CommentQueue, SensitiveWords } from './Comments';
import { fmtDateTime, statusColor } from './common';
import { LectureList } from './LecturesPage';
import { ContestList } from './Contests';
import './media.css';
import { NewsList } from './NewsList';
import { BrandGallery, Showcase } from './Showcase';
import { useSubmit } from '../../platform/useSubmit';

function Feed() {
  const [channel, setChannel] = useState('全部');
  const { current } = useAuth();
  const paging = usePaging('篇');
  const channels = useAsync(() => api.get<Page<ChannelView>>('/media/channels', { pageSize: 200 }), [current?.orgId]);
  const list = useAsync(
    () =>
      api.get<Page<ArticleBrief>>('/media/articles', {
        channel: channel === '全部' ? undefined : channel,
        page: paging.page,
        pageSize: paging.pageSize,
      }),
    [channel, paging.page, paging.pageSize, current?.orgId],
  );
  return (
    <>
      <div className="xf-learn-filters" style={{ marginBottom: 12, overflowX: 'auto' }}>
        <Segmented
          value={channel}
          onChange={(v) => {
            setChannel(String(v));
            paging.setPage(1);
          }}
          options={['全部', ...(channels.data?.items ?? []).map((c) => c.name)]}
        />
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <NewsList items={list.data?.items ?? []} loading={list.loading} />
      <Pagination className="xf-news-pages" size="small" {...paging.pagination(list.data?.total ?? 0)} />
    </>
  );
}

const columns = [
  {
    title: '标题',
    dataIndex: 'title',
    render: (t: string, a: ArticleBrief) => <Link to={`/media/articles/${a.id}`}>{t}</Link>,
  },
  { title: '栏目', dataIndex: 'channel', responsive: ['md' as const] },
  { title: '组织', dataIndex: 'orgName', responsive: ['md' as const] },
  {
    title: '状态',
    dataIndex: 'status',
    render: (s: ArticleStatus, a: ArticleBrief) =>
      a.scheduled && a.publishedAt ? (
        <Tag color="purple">定时发布 {fmtDateTime(a.publishedAt)}</Tag>
      ) : (
        <Tag color={statusColor(s)}>{ARTICLE_STATUS_LABELS[s]}</Tag>
      ),
  },
];

/** 添加栏目 (administrators): a channel of the acting org, seen by its whole subtree. */
function AddChannel({ orgId }: { orgId: string }) {
  const { message } = App.useApp();
  const { busy, run } = useSubmit('toast');
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  return (
    <>
      <Button onClick={() => setOpen(true)}>添加栏目</Button>
      <Modal
        title="添加栏目（本组织及下级可用）"
        open={open}
        okText="添加"
        cancelText="取消"
        confirmLoading={busy}
        onCancel={() => setOpen(false)}
        onOk={() =>
          run(async () => {
            await api.post('/media/channels', { orgId, name });
            void message.success(`已添加栏目“${name}”`);
            setName('');
            setOpen(false);
          })
        }
      >
        <Input
          aria-label="栏目名称"
          placeholder="如：理论学习"
          maxLength={20}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </Modal>
    </>
  );
}

function Manage() {
  const [status, setStatus] = useState<ArticleStatus | undefined>(undefined);
  const { current } = useAuth();
  const navigate = useNavigate();
  const paging = usePaging('篇');
  const list = useAsync(
    () =>
      api.get<Page<ArticleBrief>>('/media/manage', {
        orgId: current?.orgId,
        status,
        page: paging.page,
        pageSize: paging.pageSize,
      }),
    [status, paging.page, paging.pageSize, current?.orgId],
  );
  return (
    <>
      <div className="xf-learn-filters">
        <Button type="primary" onClick={() => navigate('/media/new')}>
          撰写文章
        </Button>
        <Select
          allowClear
          placeholder="全部状态"
          style={{ width: 140 }}
          value={status}
          onChange={(v) => {
            setStatus(v);
            paging.setPage(1);
          }}
          options={ARTICLE_STATUSES.map((s) => ({ value: s, label: ARTICLE_STATUS_LABELS[s] }))}
        />
        {current && allows(ORG_ADMINS, current.role) && <AddChannel orgId={current.orgId} />}
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<ArticleBrief>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={paging.pagination(list.data?.total ?? 0)}
      />
    </>
  );
}

function ReviewQueue() {
  const paging = usePaging('篇');
  const list = useAsync(
    () => api.get<Page<ArticleBrief>>('/media/review-queue', { page: paging.page, pageSize: paging.pageSize }),
    [paging.page, paging.pageSize],
  );
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<ArticleBrief>
        rowKey="id"
        size="small"
        loading={list.loading}
        locale={{ emptyText: '没有待审核的稿件' }}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={paging.pagination(list.data?.total ?? 0)}
      />
    </>
  );
}

export function MediaPage() {
  const { current } = useAuth();
  const [params, setParams] = useSearchParams();
  const keeper = allows(RECORD_KEEPERS, current?.role);
  const items = [
    { key: 'feed', label: '新闻动态', children: <Feed /> },
    { key: 'showcase', label: '典型宣传', children: <Showcase /> },
    { key: 'brands', label: '党建品牌', children: <BrandGallery /> },
    { key: 'lectures', label: '网上课堂', children: <LectureList /> },
    { key: 'contests', label: '微视频征集', children: <ContestList /> },
    ...(keeper
      ? [
          { key: 'manage', label: '稿件管理', children: <Manage /> },
          { key: 'review', label: '待我审核', children: <ReviewQueue /> },
          { key: 'comments', label: '评论审核', children: <CommentQueue orgId={current?.orgId} /> },
        ]
      : []),
    ...(current && allows(ORG_ADMINS, current.role)
      ? [{ key: 'words', label: '敏感词', children: <SensitiveWords /> }]
      : []),
  ];
  return (
    <Tabs
      activeKey={params.get('tab') ?? 'feed'}
      onChange={(k) => setParams({ tab: k })}
      items={items}
      destroyOnHidden
    />
  );
}
