/**
 * 宣传 comments and 定时发布 in the browser (issue 19): the member 陈志远 comments on the group committee's news on
 * his phone (390) — a clean comment shows at once, one with a sensitive word shows him 待审核 and nobody else; the
 * group's org department (1280) moderates in 评论审核 (approve; reject with a reason), edits the sensitive-word
 * list, and sees the demo's scheduled notice as 定时发布, which the member's feed does not show.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { itWithShots, noOverflow, startE2e, type E2e } from './harness';

const NEWS = '集团党委召开党建工作推进会';
const SCHEDULED = '关于开展年度民主评议党员工作的通知';
const HELD = '有人在群里发赌博链接，请支部提醒大家。';
const CLEAN = '会议精神很实在，我们班组会认真落实。';
const ENTRY = '守护光明的夜班';
const ENTRY_CLEAN = '夜班的镜头很真实，向值班的同志学习。';
const ENTRY_HELD = '有人在群里拉人刷单返利换票。';
const LECTURE_CLEAN = '回放讲得透彻，结合生产实际很有收获。';

describe('宣传 comments and 定时发布 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'comments');

  it('a member comments on his phone: a clean comment shows, a held one shows him 待审核', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto('/media');
    await page.getByRole('link', { name: NEWS }).first().click();
    await page.getByRole('heading', { name: NEWS }).waitFor();
    const card = page.locator('.xf-comments');
    // The demo's held comment of his: 待审核, to him.
    await card.getByText('网络赌场', { exact: false }).waitFor();
    await card.getByText('待审核').first().waitFor();
    await card.getByLabel('写评论').fill(CLEAN);
    await card.getByRole('button', { name: '发表评论' }).click();
    await page.getByText('评论已发表').waitFor();
    await card.getByText(CLEAN).waitFor();
    await card.getByLabel('写评论').fill(HELD);
    await card.getByRole('button', { name: '发表评论' }).click();
    await page.getByText('评论已提交，审核通过后其他人可见').waitFor();
    await card.locator('.ant-list-item', { hasText: HELD }).getByText('待审核').waitFor();
    // An empty comment cannot be sent.
    assert.equal(await card.getByRole('button', { name: '发表评论' }).isDisabled(), true);
    // The scheduled notice is nowhere in his feed.
    await page.goto('/media');
    await page.getByRole('link', { name: NEWS }).first().waitFor();
    assert.equal(await page.getByText(SCHEDULED).count(), 0);
    await page.goto('/media');
    await page.getByRole('link', { name: NEWS }).first().click();
    await page.locator('.xf-comments').getByText(HELD).waitFor();
    await page.locator('.xf-comments').scrollIntoViewIfNeeded();
    await noOverflow(page, 'the article with comments at 390px');
    await e.shot(page, 'comments-member-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('another member does not see the held comment', async () => {
    const page = await e.page(390);
    await e.login(page, 'jijian');
    await page.goto('/media');
    await page.getByRole('link', { name: NEWS }).first().click();
    await page.locator('.xf-comments').getByText(CLEAN).waitFor();
    assert.equal(await page.locator('.xf-comments').getByText(HELD).count(), 0);
    assert.equal(await page.locator('.xf-comments').getByText('待审核').count(), 0);
  });

  it('the org department moderates at 1280: approves one, rejects one with a reason; edits the word list; sees 定时发布', async () => {
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.goto('/media?tab=comments');
    const row = (text: string) => page.locator('.ant-table-row', { hasText: text });
    await row(HELD).waitFor();
    await row(HELD).locator('.ant-tag', { hasText: '赌博' }).waitFor();
    await e.shot(page, 'comments-queue-1280');
    await row(HELD)
      .getByRole('button', { name: /通\s*过/ })
      .click();
    await page.getByText('已通过，评论已显示').waitFor();
    await row('网络赌场')
      .getByRole('button', { name: /^拒\s*绝$/ })
      .click();
    const dialog = page.getByRole('dialog', { name: '拒绝评论' });
    await dialog.getByLabel('拒绝理由').fill('涉及不良信息，请勿转述');
    await dialog.getByRole('button', { name: /拒\s*绝/ }).click();
    await page.getByText('已拒绝').waitFor();
    await page.getByText('没有待审核的评论').waitFor();

    await page.goto('/media?tab=words');
    await page.getByLabel('添加敏感词').fill('测试禁用词\n另一个禁用词');
    await page.getByRole('button', { name: /^添\s*加$/ }).click();
    await page.getByText(/已添加 2 个/).waitFor();
    await page.getByLabel('搜索敏感词').fill('禁用词');
    await page.getByLabel('搜索敏感词').press('Enter');
    await page.getByRole('cell', { name: '测试禁用词' }).waitFor();
    await e.shot(page, 'comments-words-1280');

    await page.goto('/media?tab=manage');
    await page
      .locator('.ant-table-row', { hasText: SCHEDULED })
      .getByText(/定时发布/)
      .waitFor();
    await page.getByRole('link', { name: SCHEDULED }).click();
    await page.getByText(/已审核通过，将于 .* 对党员显示并发出通知/).waitFor();
    await e.shot(page, 'comments-scheduled-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the member then sees his approved comment shown and the rejected one with its reason', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto('/media');
    await page.getByRole('link', { name: NEWS }).first().click();
    const card = page.locator('.xf-comments');
    await card.getByText(HELD).waitFor();
    assert.equal(await card.locator('.ant-list-item', { hasText: HELD }).getByText('待审核').count(), 0);
    await card.getByText('未通过理由：涉及不良信息，请勿转述').waitFor();
    await card.scrollIntoViewIfNeeded();
    await noOverflow(page, 'the decided comments at 390px');
    await e.shot(page, 'comments-decided-390');
  });

  it('a member comments on a contest video and on a lecture at 390; the branch secretary approves the held one at 1280', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto('/media?tab=contests');
    await page.getByRole('link', { name: /我身边的共产党员/ }).click();
    await page.getByRole('button', { name: `评论：${ENTRY}` }).click();
    const card = page.locator('.xf-contest-comments .xf-comments');
    await card.getByLabel('写评论').fill(ENTRY_CLEAN);
    await card.getByRole('button', { name: '发表评论' }).click();
    await card.getByText(ENTRY_CLEAN).waitFor();
    await card.getByLabel('写评论').fill(ENTRY_HELD);
    await card.getByRole('button', { name: '发表评论' }).click();
    await card.locator('.ant-list-item', { hasText: ENTRY_HELD }).getByText('待审核').waitFor();
    await card.scrollIntoViewIfNeeded();
    await noOverflow(page, 'a contest entry with comments at 390px');
    await e.shot(page, 'comments-entry-390');

    await page.goto('/media?tab=lectures');
    await page.getByRole('link', { name: /二十届三中全会精神专题党课/ }).click();
    const lc = page.locator('.xf-comments');
    await lc.getByLabel('写评论').fill(LECTURE_CLEAN);
    await lc.getByRole('button', { name: '发表评论' }).click();
    await lc.getByText(LECTURE_CLEAN).waitFor();
    await lc.scrollIntoViewIfNeeded();
    await noOverflow(page, 'the lecture room with comments at 390px');
    await e.shot(page, 'comments-lecture-390');

    const desk = await e.page(1280);
    await e.login(desk, 'shuji');
    await desk.goto('/media?tab=comments');
    const row = desk.locator('.ant-table-row', { hasText: ENTRY_HELD });
    await row.waitFor();
    await row.locator('.ant-tag', { hasText: '微视频作品' }).waitFor();
    await row.getByRole('link', { name: ENTRY }).waitFor();
    await e.shot(desk, 'comments-queue-entry-1280');
    await row.getByRole('button', { name: /通\s*过/ }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(e.pageErrors, []);
  });
});
