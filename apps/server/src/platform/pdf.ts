/**
 * The CJK font the PDF writer (pdfkit) needs for Chinese text, looked for at run time: the meeting 台账 and the
 * volunteer e-certificate use it. XF_CJK_FONT (a .ttf/.otf/.ttc path, `path#PostScriptName` for a collection) wins.
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';

const FONT_CANDIDATES: { path: string; family?: string }[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', family: 'AR PL UMing CN' },
];

export type CjkFont = { path: string; family?: string };

export function findCjkFont(env = process.env): CjkFont | null {
  const given = env.XF_CJK_FONT;
  if (given) {
    const [p, family] = given.split('#') as [string, string | undefined];
    return fs.existsSync(p) ? { path: p, ...(family ? { family } : {}) } : null;
  }
  return FONT_CANDIDATES.find((c) => fs.existsSync(c.path)) ?? null;
}

/**
 * A pdfkit document written in the CJK font, and `finish()`, which ends it and answers its bytes. `missing` is the
 * caller's own error for a server without a usable font (no font found, or one pdfkit cannot read).
 */
export function cjkPdf(
  options: PDFKit.PDFDocumentOptions,
  font: CjkFont | null,
  missing: () => Error,
): { doc: PDFKit.PDFDocument; finish(): Promise<Buffer> } {
  if (!font) throw missing();
  const doc = new PDFDocument(options);
  const finish = collect(doc);
  try {
    doc.registerFont('cjk', font.path, font.family);
    doc.font('cjk');
  } catch {
    throw missing();
  }
  return { doc, finish };
}

/** Collects a pdfkit document's bytes as it writes them; the function returned ends it and answers them. */
function collect(doc: PDFKit.PDFDocument): () => Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  return async () => {
    doc.end();
    await done;
    return Buffer.concat(chunks);
  };
}

/** One page of a plain PDF: a heading and a few lines of Latin text (Helvetica: no font file is needed). */
export type PlainPage = { heading: string; lines?: string[] };
/** An entry of the table of contents: its title (any Unicode, Chinese too), the page it opens (1-based), entries below. */
export type OutlineEntry = { title: string; page: number; children?: OutlineEntry[] };

/**
 * A plain PDF with a table of contents, written without any font on the machine: the pages are drawn shapes and
 * Latin text in the standard Helvetica, the outline's titles are PDF text strings (UTF-16BE with a BOM, which
 * pdfkit writes for non-ASCII strings), so Chinese chapter names show in any reader. The demo's e-library books and
 * the reader's tests use it.
 */
export async function plainPdf(doc: { title: string; pages: PlainPage[]; outline?: OutlineEntry[] }): Promise<Buffer> {
  // No bottom margin: the page number near the foot must not spill onto a new page.
  const pdf = new PDFDocument({
    size: 'A5',
    margins: { top: 36, left: 36, right: 36, bottom: 0 },
    info: { Title: doc.title, Producer: 'Xianfeng' },
  });
  const finish = collect(pdf);
  const { width, height } = pdf.page;
  doc.pages.forEach((p, i) => {
    if (i > 0) pdf.addPage();
    // A red band with the heading in white, a gold rule, the lines, grey bars for a block of text, the page number.
    pdf.rect(0, 0, width, 110).fill('#c8161d');
    pdf.rect(36, 118, width - 72, 4).fill('#f0c040');
    pdf
      .font('Helvetica-Bold')
      .fontSize(22)
      .fillColor('#ffffff')
      .text(p.heading, 36, 50, { width: width - 72 });
    pdf.font('Helvetica').fontSize(12).fillColor('#262626');
    let y = 150;
    for (const line of p.lines ?? []) {
      pdf.text(line, 36, y, { width: width - 72 });
      y += 18;
    }
    for (let b = 0; b < 12; b++)
      pdf.rect(36, y + 12 + b * 22, width - 72 - ((b * 37 + i * 11) % 90), 9).fill('#d0d0d0');
    pdf
      .fontSize(11)
      .fillColor('#666666')
      .text(`- ${i + 1} / ${doc.pages.length} -`, 0, height - 48, { width, align: 'center' });
  });
  const add = (parent: PDFKit.PDFOutline, entries: OutlineEntry[]) => {
    for (const e of entries) {
      const pageNumber = Math.min(Math.max(e.page, 1), doc.pages.length) - 1;
      // pdfkit takes the page by its index (`pageNumber`), which its typings leave out.
      const item = parent.addItem(e.title, { pageNumber, expanded: true } as { expanded?: boolean });
      if (e.children?.length) add(item, e.children);
    }
  };
  add(pdf.outline, doc.outline ?? []);
  return finish();
}
