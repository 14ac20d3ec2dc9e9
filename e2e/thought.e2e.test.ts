/**
 * 思想汇报 in the browser (issue 22): 陈志远 (dangyuan), a 流动党员 working away from home, submits a thought report
 * on his 390px phone; the 书记 张建国 (shuji) reads it at 1280px in 思想汇报管理, marks it 优秀 and comments; the
 * member sees the comment on his phone. On the 本期未交 list the 书记 records an 入党积极分子's written report (she has
 * no account); the 思想动态 overview shows counts and no text.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { apiCall, apiGet, choicesAtLeast, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

const TITLE = '在深圳项目部的思想汇报';
const TEXT =
  '外出务工期间，我坚持每周在手机上学习党章和党的理论，按时交纳党费。在项目部带头遵守安全规程，帮助工友解决困难。今后我将继续与支部保持联系，按时汇报思想。';
const COMMENT = '身在外地不忘党员身份，按时汇报，值得肯定。注意劳逸结合，有困难及时和支部联系。';

describe('思想汇报 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
    const call = (method: string, url: string, token: string | null, body?: unknown) =>
      apiCall(e, method, url, token, body);
    // The 书记 registers 陈志远 as a 流动党员 (member module), so his branch expects his reports.
    const shuji = (await call('POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD })).token;
    const dangyuan = (await call('POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD })).token;
    const me = await call('GET', '/members/me', dangyuan);
    await call('POST', `/members/${me.id}/flow`, shuji, {
      location: '广东省深圳市',
      since: '2026-09-01',
      expectedUntil: '2027-09-01',
      contact: '微信',
    });
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'thought');

  it('a 流动党员 submits a thought report on a 390px phone', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('menuitem', { name: /我的思想汇报/ }).click();
    await page.waitForURL('**/thought/mine');
    await page.getByText(/您是流动党员，应每季度向党组织提交思想汇报/).waitFor();
    await page.getByLabel('标题').fill(TITLE);
    await page.getByLabel('汇报内容').fill(TEXT);
    // 思想动态: the member says what the report is about (two themes), big enough to tap.
    for (const theme of ['岗位工作', '意见建议']) await page.getByRole('checkbox', { name: theme }).check();
    await choicesAtLeast(page.getByRole('group', { name: '主要内容' }), 44);
    await noOverflow(page, 'the report form at 390px');
    await e.shot(page, 'thought-write-390');
    await page.getByRole('button', { name: '提交思想汇报' }).click();
    await page.getByText('思想汇报已提交', { exact: true }).waitFor();
    const card = page.locator('.xf-thought-card', { hasText: TITLE });
    await card.getByText('党组织尚未批阅').waitFor();
    await card.getByText('意见建议').waitFor();
    await page.getByText(/：已提交。/).waitFor();
    await noOverflow(page, 'my reports at 390px');
    await e.shot(page, 'thought-submitted-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the 书记 reads it at 1280px, marks it 优秀 and comments', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.getByRole('menuitem', { name: /思想汇报管理/ }).click();
    await page.waitForURL('**/thought/manage');
    await page.getByRole('cell', { name: TITLE }).waitFor();
    await e.shot(page, 'thought-queue-1280');
    await page.getByRole('cell', { name: TITLE }).click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByText(TEXT).waitFor();
    await drawer.getByText('优秀', { exact: true }).click();
    await drawer.getByLabel('批阅意见').fill(COMMENT);
    await e.shot(page, 'thought-comment-1280');
    await drawer.getByRole('button', { name: '保存批阅' }).click();
    await page.getByText('已批阅，已通知本人').waitFor();
    await drawer.locator('.xf-thought-feedback', { hasText: COMMENT }).waitFor();
    // Closed with Escape: the confirmation toast may sit over the drawer's close button.
    await page.keyboard.press('Escape');
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
    await page.getByRole('tab', { name: '本期未交' }).click();
    await page.getByRole('columnheader', { name: '上次提交' }).waitFor();
    await e.shot(page, 'thought-overdue-1280');
    // An 入党积极分子 has no account: the 书记 records the written report she handed in, and she is off the list.
    const activist = page.getByRole('row').filter({ hasText: '入党积极分子' }).first();
    const name = (await activist.getByRole('cell').first().innerText()).trim();
    await activist.getByRole('button', { name: '登记书面汇报' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('内容或摘要').fill('认真学习党的基本知识，端正入党动机。');
    // The dialog has finished zooming in before it is photographed.
    await page.waitForFunction(() => {
      const m = document.querySelector('.ant-modal');
      return m !== null && getComputedStyle(m).opacity === '1' && getComputedStyle(m).transform === 'none';
    });
    await e.shot(page, 'thought-paper-1280');
    await dialog.getByRole('button', { name: /登\s*记/ }).click();
    await page.getByText('已登记').waitFor();
    await page.getByRole('row').filter({ hasText: name }).waitFor({ state: 'detached' });
    // Her 发展党员 record shows the report for the 考察.
    const persons = await apiGet<{ items: { id: string; name: string }[] }>(
      page,
      `/develop/persons?q=${encodeURIComponent(name)}&pageSize=20`,
    );
    const personId = persons.items.find((x) => x.name === name)!.id;
    await page.goto(`/develop/${personId}`);
    await page.locator('.xf-thought-person', { hasText: '认真学习党的基本知识' }).waitFor();
    await e.shot(page, 'thought-develop-person-1280');
    await page.goto('/thought/manage');
    await page.getByRole('tab', { name: '思想动态' }).click();
    await page.getByText('本期应交（人）').waitFor();
    assert.equal(await page.getByText(TEXT).count(), 0, 'the overview shows no report text');
    // The themes of this quarter's reports: the one submitted above counts under 意见建议.
    const themes = page.getByLabel('汇报主要内容');
    assert.match(await themes.innerText(), /意见建议 [1-9]/);
    await e.shot(page, 'thought-overview-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the member sees the comment on the phone', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto('/thought/mine');
    const card = page.locator('.xf-thought-card', { hasText: TITLE });
    await card.getByLabel('批阅意见').getByText(COMMENT).waitFor();
    await card.getByText('优秀').waitFor();
    await noOverflow(page, 'the feedback at 390px');
    await e.shot(page, 'thought-feedback-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('代为填写: the 书记 enters a member’s dictated report from the 本期未交 list; the member sees it marked on the phone', async () => {
    // A second 流动党员 of the branch (he has an account, so he can look later), expected this quarter.
    const token = (await apiCall(e, 'POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD })).token;
    const jijian = (await apiCall(e, 'POST', '/auth/login', null, { username: 'jijian', password: DEMO_PASSWORD }))
      .token;
    const him = await apiCall(e, 'GET', '/members/me', jijian);
    await apiCall(e, 'POST', `/members/${him.id}/flow`, token, {
      location: '新疆哈密市',
      since: '2026-08-01',
      expectedUntil: '2027-08-01',
      contact: '电话',
    });
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto('/thought/manage');
    await page.getByRole('tab', { name: '本期未交' }).click();
    const row = page.getByRole('row').filter({ hasText: him.name });
    await row.getByRole('button', { name: '代为填写' }).click();
    const dialog = page.getByRole('dialog', { name: `代为填写思想汇报：${him.name}` });
    await dialog
      .getByLabel('汇报内容')
      .fill('本人口述：在哈密的工地上信号不好，这个季度坚持学习党章，按时交纳党费，没有困难。');
    await page.waitForFunction(() => {
      const m = document.querySelector('.ant-modal');
      return m !== null && getComputedStyle(m).opacity === '1' && getComputedStyle(m).transform === 'none';
    });
    await e.shot(page, 'thought-proxy-1280');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已代为填写').waitFor();
    await row.waitFor({ state: 'detached' });
    // In the 书记's list it is the member's report, marked as entered for them.
    await page.getByRole('tab', { name: '批阅', exact: true }).click();
    await page.getByRole('row').filter({ hasText: him.name }).getByText('代为填写').first().waitFor();

    const phone = await e.page(390);
    await e.login(phone, 'jijian');
    await phone.goto('/thought/mine');
    await phone.getByText(/：已提交。/).waitFor();
    await phone.getByTestId('entered-by').getByText('张建国（书记）', { exact: false }).waitFor();
    await noOverflow(phone, 'a report entered for the member at 390px');
    await e.shot(phone, 'thought-proxy-member-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
