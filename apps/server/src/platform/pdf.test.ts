/**
 * plainPdf (the demo's e-library books, the reader's tests): what it writes is read back by pdf.js itself — the
 * library the web's reader uses — with its pages, its title and a nested table of contents whose Chinese titles
 * survive (UTF-16BE text strings) and whose entries lead to the right pages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { plainPdf } from './pdf';

type Outline = { title: string; dest: string | unknown[] | null; items: Outline[] };

describe('plainPdf', () => {
  it('writes a PDF that pdf.js reads: pages, title, a nested Chinese table of contents', async () => {
    const bytes = await plainPdf({
      title: '中国共产党章程（演示）',
      pages: [
        { heading: 'General Program', lines: ['Demo page (text) 1'] },
        { heading: 'Chapter 1' },
        { heading: 'Chapter 2' },
      ],
      outline: [
        { title: '总纲', page: 1 },
        { title: '第一章 党员', page: 2, children: [{ title: '第一条 入党条件', page: 2 }] },
        { title: '第二章 党的组织制度', page: 3 },
      ],
    });
    assert.equal(
      bytes.subarray(0, 5).toString('latin1'),
      '%PDF-',
      'starts with the PDF header the upload check sniffs',
    );
    const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
    try {
      assert.equal(doc.numPages, 3);
      const meta = await doc.getMetadata();
      assert.equal((meta.info as { Title?: string }).Title, '中国共产党章程（演示）');
      const outline = (await doc.getOutline()) as Outline[];
      assert.deepEqual(
        outline.map((o) => o.title),
        ['总纲', '第一章 党员', '第二章 党的组织制度'],
      );
      assert.deepEqual(
        outline[1]!.items.map((o) => o.title),
        ['第一条 入党条件'],
      );
      const pageOf = async (o: Outline) => {
        const dest = typeof o.dest === 'string' ? await doc.getDestination(o.dest) : o.dest;
        return (await doc.getPageIndex(dest![0] as { num: number; gen: number })) + 1;
      };
      assert.deepEqual(await Promise.all(outline.map(pageOf)), [1, 2, 3]);
      assert.equal(await pageOf(outline[1]!.items[0]!), 2);
      const text = await (await doc.getPage(1)).getTextContent();
      const words = text.items.map((t) => ('str' in t ? t.str : '')).join(' ');
      assert.match(words, /General Program/);
      assert.match(words, /- 1 \/ 3 -/);
    } finally {
      await doc.destroy();
    }
  });

  it('writes no outline when there is none (the reader then says 「没有目录」)', async () => {
    const bytes = await plainPdf({ title: 'x', pages: [{ heading: 'Only page' }] });
    const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
    try {
      assert.equal(doc.numPages, 1);
      assert.equal(await doc.getOutline(), null);
    } finally {
      await doc.destroy();
    }
  });
});
