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
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  try {
    doc.registerFont('cjk', font.path, font.family);
    doc.font('cjk');
  } catch {
    throw missing();
  }
  return {
    doc,
    async finish() {
      doc.end();
      await done;
      return Buffer.concat(chunks);
    },
  };
}
