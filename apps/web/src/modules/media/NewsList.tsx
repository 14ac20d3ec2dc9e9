/**
 * The news feed's list of articles: on the 宣传 page (which pages it) and in the home page's news card.
 * Plain list markup, not antd's List: the home card is on a member's first load, and List brings its pagination
 * and select along.
 */
import type { ArticleBrief } from '@xianfeng/shared';
import { Skeleton, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { fmtDate } from './common';
import './media.css';

export function NewsList({ items, loading }: { items: ArticleBrief[]; loading: boolean }) {
  if (loading && items.length === 0) return <Skeleton active paragraph={{ rows: 3 }} title={false} />;
  if (items.length === 0) return <div className="xf-news-empty">暂无文章</div>;
  return (
    <ul className="xf-news-list" aria-busy={loading}>
      {items.map((a) => (
        <li key={a.id} className="xf-news-item">
          <div className="xf-news-text">
            <Link className="xf-news-title" to={`/media/articles/${a.id}`}>
              {a.pinned && <Tag color="red">置顶</Tag>}
              {a.mustRead && <Tag color={a.read ? 'default' : 'orange'}>{a.read ? '必读·已读' : '必读'}</Tag>}
              {a.title}
            </Link>
            <div className="xf-news-meta">
              {`${a.channel} · ${a.byline || a.orgName}${a.publishedAt ? ` · ${fmtDate(a.publishedAt)}` : ''} · 阅读 ${a.readCount} · 评论 ${a.commentCount}`}
            </div>
          </div>
          {a.coverFileId && (
            <img className="xf-news-cover" src={`/api/v1/media-articles/${a.id}/files/${a.coverFileId}`} alt="" />
          )}
        </li>
      ))}
    </ul>
  );
}
