/**
 * The PDF reader of the e-library's books and of PDF lessons (pdf.js, in this lazily loaded chunk only: the app's
 * first load does not carry it). A page at a time, drawn on a canvas as wide as the reader (at most READ_WIDTH css
 * px) times the zoom, sharp on a phone's dense screen (devicePixelRatio); page n / N, 上一页 / 下一页, a jump to a
 * page, zoom (大字模式 starts larger), and the 目录 from the PDF's outline — beside the page on a desktop, in a
 * drawer on a phone. The page last read is kept on this device per account and file (localStorage: the server's
 * learning record keeps time and completion, not a position in a book). A file pdf.js cannot read gets a Chinese
 * sentence, not a blank page.
 */
import { MenuOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Grid, InputNumber, Space, Spin, Typography } from 'antd';
import { getDocument, GlobalWorkerOptions, VerbosityLevel, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAuth } from '../../platform/auth';

GlobalWorkerOptions.workerSrc = workerUrl;

export type PdfReaderProps = {
  /** The file's address (same origin: the session's cookie goes with it). */
  url: string;
  fileName: string;
  /** Opening the file in a new page (the browser's own viewer, a download): the learner reads elsewhere. */
  onOpenElsewhere?: () => void;
};

/** The widest a page is drawn at 100 % (css px): a desktop's card would make it unreadably tall. */
const READ_WIDTH = 760;
const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

/** An entry of the 目录 with the page it opens (null: it points nowhere in this file, e.g. a web link). */
type TocEntry = { title: string; page: number | null; items: TocEntry[] };
type OutlineNode = { title: string; dest: string | unknown[] | null; items: OutlineNode[] };

async function pagesOf(doc: PDFDocumentProxy, nodes: OutlineNode[]): Promise<TocEntry[]> {
  return Promise.all(
    nodes.map(async (n) => {
      let page: number | null = null;
      try {
        const dest = typeof n.dest === 'string' ? await doc.getDestination(n.dest) : n.dest;
        const target = dest?.[0];
        if (typeof target === 'number') page = target + 1;
        else if (target && typeof target === 'object')
          page = (await doc.getPageIndex(target as { num: number; gen: number })) + 1;
      } catch {
        page = null;
      }
      return { title: n.title, page, items: await pagesOf(doc, n.items ?? []) };
    }),
  );
}

/** Why a file could not be opened, in words for the reader. */
function openError(e: unknown): string {
  const name = (e as { name?: string } | null)?.name;
  const status = (e as { status?: number } | null)?.status;
  if (name === 'PasswordException') return '这份 PDF 设有密码，不能在线阅读。请下载后用其他软件打开。';
  if (status === 404 || name === 'MissingPDFException') return '文件已丢失，请联系上传者重新上传。';
  if (status === 401 || status === 403) return '没有权限阅读这份文件，请重新登录后再试。';
  if (name === 'InvalidPDFException' || name === 'FormatError')
    return '这份 PDF 文件无法读取：文件可能已损坏，或不是有效的 PDF。可以下载后用其他软件打开，或请上传者重新上传。';
  return '这份 PDF 暂时打不开，请检查网络后重试；仍打不开时可以下载后阅读。';
}

const storageKey = (user: string, url: string) => `xf-pdf-page:${user}:${url}`;

export default function PdfReader({ url, fileName, onOpenElsewhere }: PdfReaderProps) {
  const { me } = useAuth();
  const large = Boolean(me?.prefs.largeFont);
  const phone = !Grid.useBreakpoint().md;
  const key = storageKey(me?.id ?? '', url);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pageError, setPageError] = useState(false);
  const [page, setPage] = useState(1);
  const [jump, setJump] = useState<number | null>(null);
  const [zoom, setZoom] = useState(large ? 1.25 : 1);
  const [toc, setToc] = useState<TocEntry[] | null>(null);
  const [tocOpen, setTocOpen] = useState(false);
  const [width, setWidth] = useState(0);
  const [drawn, setDrawn] = useState(0);
  const frame = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  // 大字模式 switched while reading: the page grows (or shrinks) with it.
  useEffect(() => setZoom(large ? 1.25 : 1), [large]);

  useEffect(() => {
    setDoc(null);
    setError(null);
    setToc(null);
    const task = getDocument({ url, isEvalSupported: false, verbosity: VerbosityLevel.ERRORS });
    let gone = false;
    task.promise.then(
      async (d) => {
        if (gone) return;
        const kept = Number(localStorage.getItem(key));
        setPage(Number.isInteger(kept) && kept >= 1 && kept <= d.numPages ? kept : 1);
        setDoc(d);
        try {
          const outline = (await d.getOutline()) as OutlineNode[] | null;
          if (!gone) setToc(outline ? await pagesOf(d, outline) : []);
        } catch {
          if (!gone) setToc([]);
        }
      },
      (e: unknown) => {
        if (!gone) setError(openError(e));
      },
    );
    return () => {
      gone = true;
      void task.destroy();
    };
  }, [url, key]);

  // The reader's width: the page fits it (a phone's 390 px, a desktop's column).
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [doc]);

  useEffect(() => {
    if (!doc || !canvas.current || width <= 0) return;
    let task: ReturnType<Awaited<ReturnType<PDFDocumentProxy['getPage']>>['render']> | null = null;
    let gone = false;
    void (async () => {
      try {
        const p = await doc.getPage(page);
        if (gone || !canvas.current) return;
        const base = p.getViewport({ scale: 1 });
        const css = (Math.min(width, READ_WIDTH) / base.width) * zoom;
        const dpr = window.devicePixelRatio || 1;
        const viewport = p.getViewport({ scale: css * dpr });
        const c = canvas.current;
        c.width = Math.floor(viewport.width);
        c.height = Math.floor(viewport.height);
        c.style.width = `${Math.floor(base.width * css)}px`;
        c.style.height = `${Math.floor(base.height * css)}px`;
        task = p.render({ canvas: c, viewport });
        await task.promise;
        if (!gone) {
          setPageError(false);
          setDrawn(page);
        }
      } catch (e) {
        if (!gone && (e as { name?: string })?.name !== 'RenderingCancelledException') setPageError(true);
      }
    })();
    return () => {
      gone = true;
      task?.cancel();
    };
  }, [doc, page, zoom, width]);

  const count = doc?.numPages ?? 0;
  const go = useCallback(
    (n: number) => {
      if (!count) return;
      const to = Math.min(Math.max(1, Math.round(n)), count);
      setPage(to);
      localStorage.setItem(key, String(to));
      frame.current?.scrollTo({ top: 0, left: 0 });
    },
    [count, key],
  );
  const zoomAt = ZOOMS.indexOf(zoom);

  const link = (
    <Typography.Paragraph className="xf-pdf-download">
      <a href={url} target="_blank" rel="noreferrer" download={fileName} onClick={onOpenElsewhere}>
        下载 PDF：{fileName}
      </a>
    </Typography.Paragraph>
  );
  if (error)
    return (
      <div className="xf-pdf" data-testid="pdf-reader">
        <Alert type="error" showIcon role="alert" message="无法打开电子书" description={error} />
        {link}
      </div>
    );
  if (!doc)
    return (
      <div className="xf-pdf xf-pdf-loading" data-testid="pdf-reader" role="status">
        <Spin /> 正在打开 PDF…
      </div>
    );

  const contents = (
    <nav aria-label="目录" className="xf-pdf-toc">
      {toc === null ? (
        <Spin size="small" />
      ) : toc.length === 0 ? (
        <Typography.Text type="secondary">没有目录</Typography.Text>
      ) : (
        <TocList
          entries={toc}
          current={page}
          onGo={(n) => {
            go(n);
            setTocOpen(false);
          }}
        />
      )}
    </nav>
  );
  return (
    <div className="xf-pdf" data-testid="pdf-reader">
      <div className="xf-pdf-bar" role="toolbar" aria-label="阅读工具">
        {/* Turning pages first: on a phone it is a row of its own, the other tools below it. */}
        <span className="xf-pdf-turn">
          <Button onClick={() => go(page - 1)} disabled={page <= 1}>
            上一页
          </Button>
          <span className="xf-pdf-count" role="status" aria-live="polite">
            第 {page} / {count} 页
          </span>
          <Button onClick={() => go(page + 1)} disabled={page >= count}>
            下一页
          </Button>
        </span>
        {phone && (
          <Button icon={<MenuOutlined />} onClick={() => setTocOpen(true)}>
            目录
          </Button>
        )}
        <Space.Compact>
          <InputNumber
            min={1}
            max={count}
            precision={0}
            value={jump}
            onChange={(v) => setJump(v)}
            onPressEnter={() => jump && go(jump)}
            placeholder="页码"
            aria-label="跳到第几页"
            style={{ width: 76 }}
          />
          <Button onClick={() => jump && go(jump)} disabled={!jump}>
            跳转
          </Button>
        </Space.Compact>
        <Space.Compact>
          <Button onClick={() => setZoom(ZOOMS[zoomAt - 1]!)} disabled={zoomAt <= 0} aria-label="缩小">
            −
          </Button>
          <Button className="xf-pdf-zoom" onClick={() => setZoom(large ? 1.25 : 1)} aria-label="恢复默认大小">
            {Math.round(zoom * 100)}%
          </Button>
          <Button onClick={() => setZoom(ZOOMS[zoomAt + 1]!)} disabled={zoomAt >= ZOOMS.length - 1} aria-label="放大">
            +
          </Button>
        </Space.Compact>
      </div>
      <div className="xf-pdf-body">
        {!phone && <aside className="xf-pdf-side">{contents}</aside>}
        <div className="xf-pdf-frame" ref={frame}>
          {pageError && (
            <Alert type="warning" showIcon message={`第 ${page} 页无法显示，可以翻到其他页或下载后阅读。`} />
          )}
          <canvas
            ref={canvas}
            className="xf-pdf-page"
            role="img"
            aria-label={`第 ${page} 页`}
            data-drawn={drawn === page ? 'true' : 'false'}
          />
        </div>
      </div>
      {phone && (
        <Drawer title="目录" placement="left" open={tocOpen} onClose={() => setTocOpen(false)} width="85%">
          {contents}
        </Drawer>
      )}
      {link}
    </div>
  );
}

/** The 目录, nested as the PDF nests it; each entry goes to its page (the one being read is marked). */
function TocList({ entries, current, onGo }: { entries: TocEntry[]; current: number; onGo: (n: number) => void }) {
  return (
    <ol>
      {entries.map((e, i) => (
        <li key={i}>
          <button
            type="button"
            className="xf-pdf-toc-entry"
            disabled={e.page === null}
            aria-current={e.page === current && e.items.every((c) => c.page !== current) ? 'page' : undefined}
            onClick={() => e.page !== null && onGo(e.page)}
          >
            <span>{e.title}</span>
            {e.page !== null && <small>{e.page}</small>}
          </button>
          {e.items.length > 0 && <TocList entries={e.items} current={current} onGo={onGo} />}
        </li>
      ))}
    </ol>
  );
}
