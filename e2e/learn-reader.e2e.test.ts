/**
 * The e-library's PDF reader (pdf.js) in the browser: the secretary publishes a book whose PDF (written by the
 * platform's plainPdf: five pages, a nested table of contents in Chinese) is uploaded as its document; member
 * `dangyuan` reads it at 1280 (目录 beside the page) and on a 390px phone (目录 in a drawer): the first page is really
 * drawn on the canvas, the 目录 lists the outline's titles, its 2nd entry opens page 2 of 5, 上一页 / 下一页 / the page
 * jump work, the page is remembered, the phone never scrolls sideways. 大字模式 opens at 125 %. A corrupt PDF gets a
 * Chinese sentence, a PDF without an outline 「没有目录」, and a course's PDF lesson the same reader.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { plainPdf } from '../apps/server/src/platform/pdf';
import { apiCall, DEMO_PASSWORD, itWithShots, noOverflow, secretaryOf, startE2e, type E2e } from './harness';

const BOOK = '支部书架：党章学习读本';
const TITLES = ['总纲', '第一章 党员', '第二章 党的组织制度', '第三章 党的中央组织', '第五章 党的基层组织'];

/** How much of the reader's canvas is drawn (not white), the colour at the top centre, and its css width. */
const CANVAS_STATE = `(() => {
  const c = document.querySelector('canvas.xf-pdf-page');
  const g = c.getContext('2d');
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let inked = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) inked++;
  const top = g.getImageData(Math.floor(c.width / 2), 5, 1, 1).data;
  return { share: inked / (d.length / 4), top: [top[0], top[1], top[2]], css: c.getBoundingClientRect().width, frame: c.parentElement.clientWidth };
})()`;
type CanvasState = { share: number; top: number[]; css: number; frame: number };

async function drawn(page: Page, n: number, of: number): Promise<CanvasState> {
  await page.getByText(`第 ${n} / ${of} 页`, { exact: true }).waitFor();
  await page.locator(`canvas.xf-pdf-page[data-drawn="true"][aria-label="第 ${n} 页"]`).waitFor();
  const s = (await page.evaluate(CANVAS_STATE)) as CanvasState;
  assert.ok(s.share > 0.1, `page ${n} is drawn (${(s.share * 100).toFixed(1)} % of the canvas inked)`);
  assert.ok(s.top[0]! > 150 && s.top[1]! < 90, `the page's red band is at its top (rgb ${s.top.join(',')})`);
  return s;
}

describe('the PDF reader of the e-library', () => {
  let e: E2e;
  let bookId: string;
  let corruptId: string;
  let plainId: string;
  let courseId: string;
  let lessonId: string;
  let shuji: string;
  const token = async (u: string) =>
    (await apiCall(e, 'POST', '/auth/login', null, { username: u, password: DEMO_PASSWORD })).token as string;
  const upload = async (itemId: string, name: string, bytes: Buffer) => {
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
    const r = await fetch(`${e.server.url}/api/v1/learn-items/${itemId}/files?role=document`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shuji}` },
      body: fd,
    });
    const text = await r.text();
    assert.equal(r.status, 201, text);
    return JSON.parse(text) as { id: string; mime: string };
  };
  before(async () => {
    e = await startE2e();
    const secretary = await secretaryOf(e, 'shuji');
    shuji = secretary.token;
    const orgId = secretary.orgId;
    const item = (kind: string, title: string) =>
      apiCall(e, 'POST', '/learn/items', shuji, { orgId, kind, title, summary: '阅读器测试', minutes: 10 });
    bookId = (await item('book', BOOK)).id;
    const pdf = await plainPdf({
      title: BOOK,
      pages: TITLES.map((t, i) => ({ heading: `Chapter ${i}`, lines: [`Test page ${i + 1}`] })),
      outline: TITLES.map((title, i) =>
        i === 1 ? { title, page: 2, children: [{ title: '入党条件', page: 2 }] } : { title, page: i + 1 },
      ),
    });
    assert.equal((await upload(bookId, '党章学习读本.pdf', pdf)).mime, 'application/pdf');
    corruptId = (await item('book', '支部书架：损坏的文件')).id;
    await upload(corruptId, '损坏.pdf', Buffer.from('%PDF-1.4\nthe upload was cut short here\n'));
    plainId = (await item('book', '支部书架：没有目录的小册子')).id;
    await upload(
      plainId,
      '小册子.pdf',
      await plainPdf({ title: '小册子', pages: [{ heading: 'One' }, { heading: 'Two' }] }),
    );
    courseId = (await item('course', '支部书架：PDF 课时')).id;
    const file = await upload(courseId, '课时讲义.pdf', pdf);
    // After the text lesson a new course starts with (its own content).
    lessonId = (
      await apiCall(e, 'POST', `/learn-items/${courseId}/lessons`, shuji, {
        kind: 'pdf',
        title: '讲义',
        minutes: 5,
        fileId: file.id,
      })
    ).id;
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'learn-reader');

  it('shows the book at 1280 with its 目录 beside the page, pages through it and remembers the page', async () => {
    const page = await e.page(1280);
    await e.login(page, 'dangyuan');
    await page.goto(`/learn/items/${bookId}`);
    const first = await drawn(page, 1, 5);
    assert.ok(first.css <= 760 + 1, `a desktop page is drawn at most 760 px wide (${first.css})`);
    const toc = page.getByRole('navigation', { name: '目录' });
    for (const t of [...TITLES, '入党条件']) await toc.getByRole('button', { name: new RegExp(`^${t}`) }).waitFor();
    await e.shot(page, 'learn-reader-book-1280');

    await toc.getByRole('button', { name: new RegExp(`^${TITLES[1]}`) }).click();
    await drawn(page, 2, 5);
    await page.getByRole('button', { name: '下一页' }).click();
    await drawn(page, 3, 5);
    await page.getByRole('button', { name: '上一页' }).click();
    await drawn(page, 2, 5);
    await page.getByLabel('跳到第几页').fill('5');
    await page.getByRole('button', { name: /^跳\s?转$/ }).click();
    await drawn(page, 5, 5);
    assert.equal(await page.getByRole('button', { name: '下一页' }).isDisabled(), true, 'no page after the last');

    const before = (await page.evaluate(CANVAS_STATE)) as CanvasState;
    await page.getByRole('button', { name: '放大' }).click();
    await page.getByRole('button', { name: '恢复默认大小' }).getByText('125%').waitFor();
    await page.waitForFunction(
      (w) => (document.querySelector('canvas.xf-pdf-page')?.getBoundingClientRect().width ?? 0) > w * 1.2,
      before.css,
    );
    await page.getByRole('link', { name: /下载 PDF：党章学习读本\.pdf/ }).waitFor();

    await page.reload();
    await drawn(page, 5, 5);
    assert.deepEqual(e.pageErrors, []);
  });

  it('fits a 390 px phone, with the 目录 in a drawer, and never scrolls sideways', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto(`/learn/items/${bookId}`);
    const s = await drawn(page, 1, 5);
    assert.ok(s.css <= s.frame + 1 && s.css > 300, `the page fits the phone's width (${s.css} of ${s.frame} px)`);
    await noOverflow(page, 'the book on a phone');
    await e.shot(page, 'learn-reader-book-390');

    await page.getByRole('button', { name: /目录$/ }).click();
    const drawer = page.locator('.ant-drawer-content');
    for (const t of TITLES) await drawer.getByRole('button', { name: new RegExp(`^${t}`) }).waitFor();
    await e.shot(page, 'learn-reader-toc-390');
    await drawer.getByRole('button', { name: new RegExp(`^${TITLES[1]}`) }).click();
    await drawn(page, 2, 5);
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '下一页' }).click();
    await drawn(page, 3, 5);
    await page.getByRole('button', { name: '上一页' }).click();
    await drawn(page, 2, 5);
    await noOverflow(page, 'the book on a phone, page 2');
    await e.shot(page, 'learn-reader-page2-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('opens at 125 % in 大字模式', async () => {
    const member = await token('dangyuan');
    await apiCall(e, 'PATCH', '/me/prefs', member, { largeFont: true });
    try {
      const page = await e.page(390);
      await e.login(page, 'dangyuan');
      await page.goto(`/learn/items/${bookId}`);
      await drawn(page, 1, 5);
      await page.getByRole('button', { name: '恢复默认大小' }).getByText('125%').waitFor();
      await noOverflow(page, 'the book in 大字模式');
      await e.shot(page, 'learn-reader-large-390');
    } finally {
      await apiCall(e, 'PATCH', '/me/prefs', member, { largeFont: false });
    }
  });

  it('says in Chinese that a corrupt PDF cannot be read, and 「没有目录」 for a PDF without one', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto(`/learn/items/${corruptId}`);
    await page
      .getByRole('alert')
      .getByText(/这份 PDF 文件无法读取/)
      .waitFor();
    await page.getByRole('link', { name: /下载 PDF：损坏\.pdf/ }).waitFor();
    await noOverflow(page, 'the corrupt book');
    await e.shot(page, 'learn-reader-corrupt-390');

    const desk = await e.page(1280);
    await e.login(desk, 'dangyuan');
    await desk.goto(`/learn/items/${plainId}`);
    await drawn(desk, 1, 2);
    await desk.getByRole('navigation', { name: '目录' }).getByText('没有目录').waitFor();
    await e.shot(desk, 'learn-reader-no-toc-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('reads a course’s PDF lesson in the same reader', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto(`/learn/items/${courseId}?lesson=${lessonId}`);
    await page.locator('.xf-lesson-player').getByTestId('pdf-reader').waitFor();
    await drawn(page, 1, 5);
    await noOverflow(page, 'a PDF lesson');
    await e.shot(page, 'learn-reader-lesson-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
