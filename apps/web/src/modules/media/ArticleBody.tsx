/**
 * An article's block document as React elements (docs/adr/0001-article-documents.md): every text is a
 * React child (escaped by React), a link gets its href only when it is http(s) or mailto, an image points at
 * our own file route. No HTML string is ever made here.
 */
import { isSafeHref, type ArticleDoc, type Inline } from '@xianfeng/shared';
import type { ReactNode } from 'react';

function Run({ x }: { x: Inline }) {
  let node: ReactNode = x.text;
  if (x.marks?.includes('italic')) node = <em>{node}</em>;
  if (x.marks?.includes('bold')) node = <strong>{node}</strong>;
  if (x.type === 'link' && isSafeHref(x.href))
    return (
      <a href={x.href} target="_blank" rel="noopener noreferrer nofollow">
        {node}
      </a>
    );
  return <>{node}</>;
}
const Runs = ({ xs }: { xs: Inline[] }) => (
  <>
    {xs.map((x, i) => (
      <Run key={i} x={x} />
    ))}
  </>
);

export function ArticleBody({ doc, fileUrl }: { doc: ArticleDoc; fileUrl: (fileId: string) => string }) {
  return (
    <div className="xf-article-body">
      {doc.blocks.map((b, i) => {
        switch (b.type) {
          case 'paragraph':
            return (
              <p key={i}>
                <Runs xs={b.content} />
              </p>
            );
          case 'heading':
            return b.level === 3 ? (
              <h3 key={i}>
                <Runs xs={b.content} />
              </h3>
            ) : (
              <h2 key={i}>
                <Runs xs={b.content} />
              </h2>
            );
          case 'list': {
            const items = b.items.map((it, j) => (
              <li key={j}>
                <Runs xs={it} />
              </li>
            ));
            return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          case 'image':
            return (
              <figure key={i}>
                <img src={fileUrl(b.fileId)} alt={b.caption ?? ''} loading="lazy" />
                {b.caption && <figcaption>{b.caption}</figcaption>}
              </figure>
            );
          default:
            return null;
        }
      })}
    </div>
  );
}
