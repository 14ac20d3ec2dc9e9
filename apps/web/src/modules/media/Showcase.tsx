/**
 * 典型宣传 (the showcase of 党员先锋岗 and 身边人身边事 stories on the reader's line), 党建品牌 (the gallery of every org's
 * published brand across the group), the honoree tags of a story, and the member record's tab of stories naming them.
 */
import {
  ARTICLE_KIND_LABELS,
  RECORD_KEEPERS,
  type ArticleBrief,
  type BrandFields,
  type HonoreeView,
} from '@xianfeng/shared';
import { Button, Card, Col, Empty, List, Row, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { PagedTable } from '../../platform/PagedTable';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { fmtDate } from './common';
import './media.css';

/** 「陈志远 · 第一发电厂党支部 · 锅炉检修班安全生产党员先锋岗」 for each member a story is about. */
export function HonoreeTags({ honorees }: { honorees: HonoreeView[] }) {
  if (!honorees.length) return null;
  return (
    <Space wrap size={[4, 4]} className="xf-honorees">
      {honorees.map((h) => (
        <Tag key={h.memberId} color="red" className="xf-honoree">
          {h.name} · {h.orgName}
          {h.post ? ` · ${h.post}` : ''}
        </Tag>
      ))}
    </Space>
  );
}

export function Showcase() {
  const [kind, setKind] = useState<'pioneer' | 'story'>('pioneer');
  const { current } = useAuth();
  const navigate = useNavigate();
  const paging = usePaging('篇');
  const list = useAsync(
    () => api.get<Page<ArticleBrief>>('/media/articles', { kind, page: paging.page, pageSize: paging.pageSize }),
    [kind, paging.page, paging.pageSize, current?.orgId],
  );
  return (
    <>
      <div className="xf-learn-filters">
        <Segmented
          value={kind}
          onChange={(v) => {
            setKind(v as 'pioneer' | 'story');
            paging.setPage(1);
          }}
          options={[
            { value: 'pioneer', label: '党员先锋岗' },
            { value: 'story', label: '身边人身边事' },
          ]}
        />
        {current && allows(RECORD_KEEPERS, current.role) && (
          <Button type="primary" onClick={() => navigate(`/media/new?kind=${kind}`)}>
            {kind === 'pioneer' ? '撰写先锋岗事迹' : '撰写典型事迹'}
          </Button>
        )}
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <List<ArticleBrief>
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: `暂无${ARTICLE_KIND_LABELS[kind]}事迹` }}
        pagination={{ ...paging.pagination(list.data?.total ?? 0), align: 'center', size: 'small' }}
        renderItem={(a) => (
          <List.Item
            className="xf-news-item"
            extra={
              a.coverFileId ? (
                <img className="xf-news-cover" src={`/api/v1/media-articles/${a.id}/files/${a.coverFileId}`} alt="" />
              ) : undefined
            }
          >
            <List.Item.Meta
              title={<Link to={`/media/articles/${a.id}`}>{a.title}</Link>}
              description={
                <>
                  <HonoreeTags honorees={a.honorees} />
                  <div>
                    {a.summary}
                    {a.publishedAt ? ` · ${fmtDate(a.publishedAt)}` : ''}
                  </div>
                </>
              }
            />
          </List.Item>
        )}
      />
    </>
  );
}

type BrandBrief = ArticleBrief & { brand: BrandFields };

export function BrandGallery() {
  const { current } = useAuth();
  const navigate = useNavigate();
  const paging = usePaging('个');
  const list = useAsync(
    () => api.get<Page<BrandBrief>>('/media/brands', { page: paging.page, pageSize: paging.pageSize }),
    [paging.page, paging.pageSize],
  );
  // The acting org's own brand, in any state (the keepers edit it; one per org).
  const keeper = current && allows(RECORD_KEEPERS, current.role);
  const own = useAsync(
    () =>
      keeper && current
        ? api.get<Page<ArticleBrief>>('/media/manage', { orgId: current.orgId, kind: 'brand', pageSize: 50 })
        : Promise.resolve(null),
    [keeper, current?.orgId],
  );
  const mine = own.data?.items.find((a) => a.orgId === current?.orgId);
  const items = list.data?.items ?? [];
  return (
    <>
      {keeper && (
        <div className="xf-learn-filters" style={{ marginBottom: 12 }}>
          {mine ? (
            <Button onClick={() => navigate(`/media/articles/${mine.id}`)}>本组织的党建品牌：{mine.title}</Button>
          ) : (
            <Button type="primary" onClick={() => navigate('/media/brand/new')}>
              创建本组织的党建品牌
            </Button>
          )}
        </div>
      )}
      <LoadError error={list.error ?? own.error} onRetry={list.reload} />
      {!list.loading && items.length === 0 && <Empty description="暂无已发布的党建品牌" />}
      <Row gutter={[12, 12]}>
        {items.map((b) => (
          <Col key={b.id} xs={24} md={12} xl={8}>
            <Card
              size="small"
              className="xf-brand-card"
              cover={
                b.brand.photoFileIds[0] || b.coverFileId ? (
                  <img
                    className="xf-brand-cover"
                    alt=""
                    src={`/api/v1/media-articles/${b.id}/files/${b.coverFileId ?? b.brand.photoFileIds[0]}`}
                  />
                ) : undefined
              }
            >
              <Link to={`/media/articles/${b.id}`} className="xf-brand-name">
                {b.title}
              </Link>
              <Typography.Paragraph strong style={{ margin: '4px 0' }}>
                {b.brand.slogan}
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 4 }}>
                {b.brand.idea}
              </Typography.Paragraph>
              <Typography.Text type="secondary">{b.orgName}</Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}

/** The member record's tab: the 典型/先锋岗 stories naming this member (published, and drafts the caller keeps). */
export function MemberHonorsTab({ m }: { m: { id: string } }) {
  const paging = usePaging('篇');
  const list = useAsync(
    () =>
      api.get<Page<ArticleBrief>>(`/members/${m.id}/media-honors`, { page: paging.page, pageSize: paging.pageSize }),
    [m.id, paging.page, paging.pageSize],
  );
  return (
    <>
      <PagedTable<ArticleBrief>
        size="small"
        locale={{ emptyText: '暂无典型宣传' }}
        list={list}
        pagination={paging.pagination}
        columns={[
          {
            title: '标题',
            dataIndex: 'title',
            render: (t: string, a) => <Link to={`/media/articles/${a.id}`}>{t}</Link>,
          },
          { title: '类型', dataIndex: 'kind', render: (k: ArticleBrief['kind']) => ARTICLE_KIND_LABELS[k] },
          {
            title: '岗位',
            key: 'post',
            render: (_: unknown, a) => a.honorees.find((h) => h.memberId === m.id)?.post || '—',
          },
          {
            title: '发布',
            dataIndex: 'publishedAt',
            render: (v: string | null, a) => (v && a.status === 'published' ? fmtDate(v) : <Tag>未发布</Tag>),
          },
        ]}
      />
    </>
  );
}
