/** The news feed's list of articles: on the 宣传 page and in the home page's news card. */
import type { ArticleBrief } from '@xianfeng/shared';
import { List, Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { usePaging } from '../../platform/usePaging';
import { fmtDate } from './common';
import './media.css';

export function NewsList({
  items,
  loading,
  pagination,
}: {
  items: ArticleBrief[];
  loading: boolean;
  pagination?: ReturnType<ReturnType<typeof usePaging>['pagination']>;
}) {
  return (
    <List<ArticleBrief>
      loading={loading}
      pagination={pagination ? { ...pagination, align: 'center', size: 'small' } : false}
      locale={{ emptyText: '暂无文章' }}
      dataSource={items}
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
            title={
              <Link to={`/media/articles/${a.id}`}>
                {a.pinned && <Tag color="red">置顶</Tag>}
                {a.mustRead && <Tag color={a.read ? 'default' : 'orange'}>{a.read ? '必读·已读' : '必读'}</Tag>}
                {a.title}
              </Link>
            }
            description={`${a.channel} · ${a.byline || a.orgName}${a.publishedAt ? ` · ${fmtDate(a.publishedAt)}` : ''} · 阅读 ${a.readCount} · 评论 ${a.commentCount}`}
          />
        </List.Item>
      )}
    />
  );
}
