/**
 * The one place HTML is made from user content: the public portal's article page and list. It walks the
 * block document (shared/media.ts ArticleDoc) and writes only the elements of its allow-list — p, h2, h3,
 * ul, ol, li, strong, em, a (http/https/mailto, rel=noopener nofollow), figure, img (our own file URL),
 * figcaption — escaping every text and attribute. Nothing a user typed is ever copied into markup
 * unescaped; a block or link it does not know is dropped (docs/adr/0001-article-documents.md).
 */
import { isSafeHref, type ArticleDoc, type Inline } from '@xianfeng/shared';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for an element's content or a double-quoted attribute. */
export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function inline(x: Inline): string {
  let html = esc(x.text);
  const marks = Array.isArray(x.marks) ? x.marks : [];
  if (marks.includes('italic')) html = `<em>${html}</em>`;
  if (marks.includes('bold')) html = `<strong>${html}</strong>`;
  if (x.type === 'link') {
    // Checked again here: a document that somehow skipped validation still gets no script link.
    if (typeof x.href !== 'string' || !isSafeHref(x.href)) return html;
    return `<a href="${esc(x.href)}" rel="noopener noreferrer nofollow" target="_blank">${html}</a>`;
  }
  return html;
}
const inlines = (xs: unknown): string =>
  Array.isArray(xs)
    ? xs
        .filter((x) => x && (x.type === 'text' || x.type === 'link'))
        .map(inline)
        .join('')
    : '';

/** The body's HTML. `fileUrl` gives the address of an image file id (only well-formed ids are asked). */
export function renderDoc(doc: ArticleDoc, fileUrl: (fileId: string) => string | null): string {
  const out: string[] = [];
  for (const b of Array.isArray(doc?.blocks) ? doc.blocks : []) {
    switch (b?.type) {
      case 'paragraph':
        out.push(`<p>${inlines(b.content)}</p>`);
        break;
      case 'heading': {
        const tag = b.level === 3 ? 'h3' : 'h2';
        out.push(`<${tag}>${inlines(b.content)}</${tag}>`);
        break;
      }
      case 'list': {
        const tag = b.ordered === true ? 'ol' : 'ul';
        const items = Array.isArray(b.items) ? b.items : [];
        out.push(`<${tag}>${items.map((i) => `<li>${inlines(i)}</li>`).join('')}</${tag}>`);
        break;
      }
      case 'image': {
        const src = typeof b.fileId === 'string' && UUID_RE.test(b.fileId) ? fileUrl(b.fileId) : null;
        if (!src) break;
        const cap = b.caption ? `<figcaption>${esc(b.caption)}</figcaption>` : '';
        out.push(`<figure><img src="${esc(src)}" alt="${esc(b.caption ?? '')}" loading="lazy">${cap}</figure>`);
        break;
      }
      default:
        break; // unknown blocks are dropped
    }
  }
  return out.join('\n');
}

const STYLE = `
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f5f5f5;line-height:1.75}
main{max-width:720px;margin:0 auto;background:#fff;padding:20px 18px 40px;min-height:100vh;box-sizing:border-box;overflow-wrap:anywhere}
h1{font-size:22px;line-height:1.4;margin:0 0 10px}
h2{font-size:19px;margin:24px 0 8px}h3{font-size:17px;margin:20px 0 6px}
.meta{color:#888;font-size:14px;margin-bottom:18px}
.meta span{margin-right:10px}
p{margin:0 0 14px;font-size:17px;text-align:justify}
li{font-size:17px}
figure{margin:16px 0}img{max-width:100%;height:auto;display:block;margin:0 auto}
figcaption{color:#888;font-size:14px;text-align:center;margin-top:6px}
a{color:#1d4ed8;word-break:break-all}
.cover{width:100%;border-radius:6px;margin-bottom:16px}
.list a{display:block;text-decoration:none;color:inherit;padding:14px 0;border-bottom:1px solid #eee}
.list .t{font-size:17px;font-weight:600;color:#222}.list .s{color:#666;font-size:14px}
header.brand{background:#c8102e;color:#fff;padding:12px 18px;font-size:16px;font-weight:600}
footer{color:#aaa;font-size:13px;margin-top:30px;text-align:center}
`;

export type PortalArticle = {
  title: string;
  summary: string;
  byline: string;
  orgName: string;
  channel: string;
  publishedAt: Date;
  body: ArticleDoc;
};

const beijing = (d: Date) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);

/** The whole public page of one article, with its Open Graph card. URLs are absolute where OG needs them. */
export function renderArticlePage(
  a: PortalArticle,
  opts: {
    tenantName: string;
    pageUrl: string;
    coverUrl: string | null;
    fileUrl: (id: string) => string | null;
    listUrl: string;
  },
): string {
  const description = a.summary || '';
  const og = [
    ['og:type', 'article'],
    ['og:title', a.title],
    ['og:description', description],
    ['og:url', opts.pageUrl],
    ['og:site_name', opts.tenantName],
    ...(opts.coverUrl ? [['og:image', opts.coverUrl]] : []),
  ]
    .map(([k, v]) => `<meta property="${esc(k)}" content="${esc(v)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(a.title)} - ${esc(opts.tenantName)}</title>
<meta name="description" content="${esc(description)}">
${og}
<style>${STYLE}</style>
</head>
<body>
<header class="brand">${esc(opts.tenantName)}</header>
<main>
<article>
<h1>${esc(a.title)}</h1>
<div class="meta"><span>${esc(a.byline || a.orgName)}</span><span>${esc(a.channel)}</span><span>${esc(beijing(a.publishedAt))}</span></div>
${opts.coverUrl ? `<img class="cover" src="${esc(opts.coverUrl)}" alt="">` : ''}
${renderDoc(a.body, opts.fileUrl)}
</article>
<footer><a href="${esc(opts.listUrl)}">更多文章</a></footer>
</main>
</body>
</html>`;
}

/** The portal's list page: titles and summaries only. */
export function renderListPage(
  items: { title: string; summary: string; byline: string; orgName: string; publishedAt: Date; url: string }[],
  opts: { tenantName: string; prev: string | null; next: string | null },
): string {
  const rows = items
    .map(
      (x) =>
        `<a href="${esc(x.url)}"><div class="t">${esc(x.title)}</div><div class="s">${esc(x.byline || x.orgName)} · ${esc(beijing(x.publishedAt))}</div>${x.summary ? `<div class="s">${esc(x.summary)}</div>` : ''}</a>`,
    )
    .join('\n');
  const nav = [
    opts.prev ? `<a href="${esc(opts.prev)}">上一页</a>` : '',
    opts.next ? `<a href="${esc(opts.next)}">下一页</a>` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.tenantName)} - 党建宣传</title>
<meta property="og:type" content="website">
<meta property="og:title" content="${esc(opts.tenantName)} - 党建宣传">
<style>${STYLE}</style>
</head>
<body>
<header class="brand">${esc(opts.tenantName)} · 党建宣传</header>
<main>
<div class="list">${rows || '<p>暂无公开文章</p>'}</div>
${nav ? `<footer>${nav}</footer>` : ''}
</main>
</body>
</html>`;
}
