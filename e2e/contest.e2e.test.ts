/**
 * 微视频征集 in the browser (issue 19, the contest part of "Done when"): the 书记 of 第一发电厂党支部 creates a campaign
 * in the form at 1280 with two judges (himself and the branch's 纪检委员); the member 陈志远 submits a video on his
 * phone (390) and votes; the two judges score it on their own pages (1280 and 390) — the second sees the first's
 * score only after submitting his own; the 书记 publishes the results to learning in one step, and the member finds the
 * video in 学习教育 on his phone.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { apiCall, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

const CAMPAIGN = '「安全在我身边」微视频征集';
const WORK = '守护光明的夜班岗位';
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(4000, 7)]);

describe('微视频征集 in the browser', () => {
  let e: E2e;
  let contestId = '';
  let jijianName = '';
  before(async () => {
    e = await startE2e();
  });
  after(async () => {
    await e.close();
  });
  const it = itWithShots(() => e, 'contest');
  const token = async (username: string) =>
    (await apiCall(e, 'POST', '/auth/login', null, { username, password: DEMO_PASSWORD })).token as string;

  it('the secretary creates a campaign with two judges in the form (1280)', async () => {
    jijianName = (await apiCall(e, 'GET', '/members/me', await token('jijian'))).name;
    assert.ok(jijianName, 'the 纪检委员 has a member record');
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto('/media?tab=contests');
    await page.getByRole('button', { name: '新建征集' }).click();
    await page.waitForURL('**/media/contests/new');
    await page.getByLabel('征集标题').fill(CAMPAIGN);
    await page
      .getByLabel('征集规则')
      .fill('围绕安全生产拍摄 1–5 分钟的微视频，每人限交 1 件。评委独立打分，优秀作品发布到学习园地。');
    for (const name of ['张建国', jijianName]) {
      await page.locator('#judge-pick').fill(name);
      await page
        .locator('.ant-select-dropdown:visible')
        .getByText(new RegExp(`^${name}（`))
        .first()
        .click();
      await page.locator('.xf-contest-judges .ant-tag', { hasText: name }).waitFor();
    }
    await page.getByLabel('征集标题').click(); // closes the member list before the picture
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await e.shot(page, 'contest-new-1280');
    await page.getByRole('button', { name: '创建征集' }).click();
    await page.waitForURL(/\/media\/contests\/[0-9a-f-]+$/);
    contestId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: CAMPAIGN }).waitFor();
    await page.getByText(`张建国、${jijianName}`).waitFor();
    assert.deepEqual(e.pageErrors, []);
  });

  it('a member submits a contest video and votes on his phone (390)', async () => {
    assert.ok(contestId, 'the campaign was created');
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto('/media?tab=contests');
    await page.getByRole('link', { name: new RegExp(CAMPAIGN) }).click();
    await page.getByRole('heading', { name: CAMPAIGN }).waitFor();
    await page.getByRole('button', { name: '提交作品' }).click();
    await page.waitForURL(`**/media/contests/${contestId}/submit`);
    await page.getByLabel('作品名称').fill(WORK);
    await page.getByLabel('作品简介').fill('集控运行值班党员一个夜班的坚守。');
    await page.locator('input[type=file]').setInputFiles({ name: '夜班.mp4', mimeType: 'video/mp4', buffer: MP4 });
    await page.getByText('夜班.mp4').waitFor();
    await e.shot(page, 'contest-submit-390');
    await noOverflow(page, 'the submit page');
    await page.getByRole('button', { name: '提交作品' }).click();
    await page.waitForURL(new RegExp(`/media/contests/${contestId}$`));
    const item = page.locator('.xf-contest-entry', { hasText: WORK });
    await item.getByText('我的作品').waitFor();
    await item.locator('video').waitFor();
    await item.getByRole('button', { name: `投票：${WORK}` }).click();
    await page.getByText(`已为「${WORK}」投票，明天可以再投`).waitFor();
    await item.getByText('1 票').waitFor();
    await page.getByText('每人每天 1 票（今天已投）').waitFor();
    assert.equal(await item.getByRole('button', { name: `投票：${WORK}` }).count(), 0, 'no second vote today');
    await e.shot(page, 'contest-detail-390');
    await noOverflow(page, 'the campaign page');
    assert.deepEqual(e.pageErrors, []);
  });

  it('two judges score it independently (1280 and 390)', async () => {
    assert.ok(contestId, 'the campaign was created');
    const first = await e.page(1280);
    await e.login(first, 'shuji');
    await first.goto(`/media/contests/${contestId}`);
    await first.getByRole('button', { name: '评委评分' }).click();
    await first.waitForURL(`**/media/contests/${contestId}/judge`);
    for (const [label, v] of [
      ['主题思想', '36'],
      ['艺术表现', '26'],
      ['技术质量', '27'],
    ] as const)
      await first.getByLabel(`${WORK} ${label}`).fill(v);
    await first.getByRole('button', { name: '提交评分' }).click();
    await first.getByText('评分已提交').waitFor();
    await first
      .locator('.xf-contest-others')
      .getByText(/张建国（我）：36 \+ 26 \+ 27 = 89 分/)
      .waitFor();
    await first.getByText('已评：89 分').waitFor();
    await e.shot(first, 'contest-judge-1280');

    const second = await e.page(390);
    await e.login(second, 'jijian');
    await second.goto(`/media/contests/${contestId}/judge`);
    await second.getByLabel(`${WORK} 主题思想`).waitFor();
    // Before his own score: nothing of the first judge's.
    assert.equal(await second.locator('.xf-contest-others').count(), 0, 'no other scores before his own');
    assert.equal(await second.getByText('89').count(), 0, 'the first judge’s total is not on the page');
    await e.shot(second, 'contest-judge-390-before');
    await second.getByLabel(`${WORK} 主题思想`).fill('32');
    await second.getByLabel(`${WORK} 艺术表现`).fill('24');
    await second.getByLabel(`${WORK} 技术质量`).fill('25');
    await second.getByRole('button', { name: '提交评分' }).click();
    await second.getByText('评分已提交').waitFor();
    await second.locator('.xf-contest-others').getByText('张建国：36 + 26 + 27 = 89 分').waitFor();
    await second
      .locator('.xf-contest-others')
      .getByText(new RegExp(`${jijianName}（我）：32 \\+ 24 \\+ 25 = 81 分`))
      .waitFor();
    await e.shot(second, 'contest-judge-390');
    await noOverflow(second, 'the judge page');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the secretary publishes the results to learning in one step; the member finds the video in 学习教育 (390)', async () => {
    assert.ok(contestId, 'the campaign was created');
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto(`/media/contests/${contestId}/results`);
    const row = page.locator('tr', { hasText: WORK });
    await row.getByText('85.00').waitFor();
    await e.shot(page, 'contest-results-1280');
    await page.getByRole('button', { name: '发布到学习' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await page.getByText('已公布结果，获奖作品已发布到学习').waitFor();
    await row.getByRole('link', { name: '在学习中查看' }).waitFor();
    assert.equal(await page.getByRole('button', { name: '发布到学习' }).count(), 0, 'published once');
    await e.shot(page, 'contest-published-1280');

    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    await phone.goto('/learn');
    await phone.getByLabel('搜索学习内容').fill(WORK);
    await phone.getByLabel('搜索学习内容').press('Enter');
    await phone
      .getByRole('link', { name: new RegExp(WORK) })
      .first()
      .click();
    await phone.waitForURL(/\/learn\/items\/[0-9a-f-]+$/);
    await phone.getByText(WORK).first().waitFor();
    await phone.locator('video').waitFor();
    await e.shot(phone, 'contest-learn-390');
    await noOverflow(phone, 'the learn item page');
    // The member sees the results now that they are published.
    await phone.goto(`/media/contests/${contestId}/results`);
    await phone.locator('tr', { hasText: WORK }).getByText('获奖').waitFor();
    await e.shot(phone, 'contest-results-390');
    assert.deepEqual(e.pageErrors, []);
  });
  it('the secretary changes the demo campaign at 1280 and withdraws it at 390; the member then finds it withdrawn', async () => {
    const DEMO = '「我身边的共产党员」微视频征集';
    const RENAMED = '「我身边的共产党员」微视频征集（第二季）';
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto('/media?tab=contests');
    await page.getByRole('link', { name: DEMO }).click();
    await page.getByRole('button', { name: '修改征集' }).click();
    await page.waitForURL(/\/media\/contests\/[0-9a-f-]+\/edit$/);
    await page.getByText('评委开始评分后不能再改评分细则').waitFor();
    // The form comes filled from the campaign: its judges as tags.
    await page
      .locator('.xf-contest-judges')
      .getByText(/张建国/)
      .waitFor();
    await page.getByLabel('征集标题').fill(RENAMED);
    // Scores exist: a changed rubric is refused with the server's Chinese reason, nothing saved.
    await page.getByLabel('评分项 1 满分').fill('45');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText(/评委已开始评分，评分细则和计分方法/).waitFor();
    await page.getByLabel('评分项 1 满分').fill('40');
    await e.shot(page, 'contest-edit-1280');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByRole('heading', { name: RENAMED }).waitFor();
    const url = page.url();

    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto(url);
    await phone.getByRole('button', { name: '撤销征集' }).click();
    const dialog = phone.getByRole('dialog', { name: '撤销征集' });
    await dialog.getByLabel('撤销理由').fill('活动安排调整，另行通知');
    await dialog.getByRole('button', { name: /撤\s*销/ }).click();
    await phone.getByText('本次征集已撤销，不再接收作品、投票和评分。').waitFor();
    assert.equal(await phone.getByRole('button', { name: '撤销征集' }).count(), 0, 'no second withdrawal');
    await noOverflow(phone, 'a withdrawn campaign at 390px');
    await e.shot(phone, 'contest-withdrawn-390');

    const member = await e.page(390);
    await e.login(member, 'dangyuan');
    await member.goto(url);
    await member.getByText('本次征集已撤销，不再接收作品、投票和评分。').waitFor();
    assert.equal(await member.getByRole('button', { name: '提交作品' }).count(), 0, 'no submitting');
    assert.equal(await member.getByRole('button', { name: /^投\s*票/ }).count(), 0, 'no voting');
    assert.deepEqual(e.pageErrors, []);
  });
});
