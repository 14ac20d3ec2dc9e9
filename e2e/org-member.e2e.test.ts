/**
 * Issue 4 in the browser: an org admin builds part of the tree, imports 5,000 members from a
 * template-based file and finds one by name, a bad file writes nothing, a transfer
 * is received by the other branch's secretary, the roster exports to .xlsx, and a branch
 * secretary sees only their branch. Every page is photographed at desktop and phone width.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { addDays, addMonths, addYears, idCardCheckChar, todayInChina } from '@xianfeng/shared';
import { DEMO_PASSWORD } from '../apps/server/src/demo/seed';
import { memberSheet, sheetRows } from '../apps/server/src/testing/memberSheet';
import {
  DOWNLOAD_WAIT,
  SCREENSHOTS,
  apiCall,
  startE2e,
  type E2e,
  noOverflow,
  itWithShots,
  pickOrg,
  pickDateTime,
} from './harness';

const IMPORTED_NAME = '测试导入甲';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-e2e-files-'));

/** GET an API path with the page's session. */
const apiGet = <T>(page: Page, url: string): Promise<T> =>
  page.evaluate(async (u) => (await fetch(`/api/v1${u}`)).json(), url) as Promise<T>;

/** The total the roster shows ("共 N 人"). */
async function rosterTotal(page: Page): Promise<number> {
  const text = await page
    .getByText(/^共 \d+ 人$/)
    .first()
    .innerText();
  return Number(/\d+/.exec(text)![0]);
}

describe('organizations and members in the browser', () => {
  let e: E2e;
  const test = itWithShots(() => e, 'org-member');
  let template: Buffer;
  before(async () => {
    e = await startE2e();
  });
  after(async () => {
    await e.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('lets an org admin add a branch under a committee, edit it, and see it in the tree', async () => {
    const page = await e.page();
    await e.login(page, 'zuzhibu');
    await page.getByRole('menuitem', { name: /组织管理/ }).click();
    await page.waitForURL('**/orgs');
    const tree = page.locator('.xf-org-tree-card');
    const committee = tree.locator('.ant-tree-treenode', { hasText: '华夏新材料有限公司党委' });
    await committee.locator('.ant-tree-node-content-wrapper').click();
    await page.locator('.xf-org-detail').getByText('华夏新材料有限公司党委').first().waitFor();

    await page.getByRole('button', { name: '新建下级组织' }).click();
    const dialog = page.getByRole('dialog', { name: /新建组织/ });
    // A committee may hold committees, general branches and branches — never a party group.
    assert.deepEqual(await dialog.locator('.ant-radio-button-wrapper').allInnerTexts(), ['党委', '党总支', '党支部']);
    await dialog.getByText('党支部', { exact: true }).click();
    await dialog.getByLabel('组织名称').fill('新材料检测中心党支部');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await page.getByText('已新建「新材料检测中心党支部」').waitFor();
    await tree.locator('.ant-tree-title', { hasText: '新材料检测中心党支部' }).waitFor();

    // The new branch is selected: edit its details.
    const detail = page.locator('.xf-org-detail');
    await detail.locator('.ant-card-head').getByText('新材料检测中心党支部').waitFor();
    await detail.getByLabel('组织名称').fill('新材料检测中心第一党支部');
    await detail.getByLabel('联系人').fill('周红');
    await detail.getByLabel('联系电话').fill('010-88886666');
    await detail.getByLabel('地址').fill('北京市海淀区中关村南大街 8 号');
    await detail.getByLabel('纬度').fill('39.96');
    await detail.getByLabel('经度').fill('116.32');
    await detail.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存').waitFor();
    await tree.locator('.ant-tree-title', { hasText: '新材料检测中心第一党支部' }).waitFor();
    // Reload: the tree comes back from the server with the new name, opened down to the selected org.
    await page.reload();
    await tree.locator('.ant-tree-title', { hasText: '新材料检测中心第一党支部' }).waitFor();
    await e.shot(page, 'orgs-new-branch-1280');

    // A branch offers only party groups as children.
    await page.getByRole('button', { name: '新建下级组织' }).click();
    assert.deepEqual(await page.getByRole('dialog').locator('.ant-radio-button-wrapper').allInnerTexts(), ['党小组']);
    await page.keyboard.press('Escape');
  });

  test('records an election, shows which rules it broke with their citations, and registers the new committee', async () => {
    const page = await e.page();
    await e.login(page, 'zuzhibu');
    const found = await apiGet<{ items: { orgId: string }[] }>(page, `/members?q=${encodeURIComponent('陈志远')}`);
    await page.goto(`/orgs?org=${found.items[0]!.orgId}`);
    await page.getByRole('tab', { name: '班子与换届' }).click();
    await page.getByRole('button', { name: '登记换届选举' }).click();
    const dialog = page.getByRole('dialog', { name: '登记换届选举' });
    // A branch may say it elects only its 书记 (等额, when it has no committee); this one elects a committee.
    await dialog.getByRole('checkbox', { name: '只选举书记、副书记（不设支委会，可等额）' }).waitFor();
    await e.shot(page, 'orgs-election-dialog-1280');
    await dialog.getByLabel('应选人数').fill('3');
    await dialog.getByLabel('应到会有选举权人数').fill('10');
    await dialog.getByLabel('实到会有选举权人数').fill('9');
    await dialog.getByLabel('发出选票').fill('9');
    await dialog.getByLabel('收回选票').fill('9');
    const votes = [
      ['张建国', '9'],
      ['李红', '8'],
      ['王磊', '3'],
    ];
    for (const [i, [name, n]] of votes.entries()) {
      if (i > 0) await dialog.getByRole('button', { name: '添加候选人' }).click();
      await dialog.getByLabel('候选人姓名').nth(i).fill(name!);
      await dialog.getByLabel('得票').nth(i).fill(n!);
    }
    await dialog.getByRole('button', { name: '登记并校验' }).click();
    // 3 seats need 4 candidates (差额 20%), and 王磊's 3 of 9 is not more than half.
    await page.getByText('应选 3 人，候选人至少 4 人').waitFor();
    await page
      .getByText(/第十二条/)
      .first()
      .waitFor();
    await page.getByText(/得票过半者 2 人/).waitFor();
    await e.shot(page, 'orgs-election-warnings-1280');
    await page.getByRole('button', { name: '以当选人登记新一届委员会' }).click();
    const term = page.getByRole('dialog', { name: '登记新一届委员会' });
    assert.deepEqual(
      await term.getByLabel('委员姓名').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value)),
      ['张建国', '李红'],
    );
    await term.getByRole('button', { name: /登\s*记/ }).click();
    await page.getByText('已登记新一届委员会').waitFor();
    await page.getByText('任期内').waitFor();
    await page.locator('.ant-table-row', { hasText: '张建国' }).getByText('书记').waitFor();
  });

  test('the 组织部 approves a delayed 换届 for a branch whose term ended: it is no longer 换届逾期 (1280 and 390)', async () => {
    const { token } = await apiCall(e, 'POST', '/auth/login', null, { username: 'zuzhibu', password: DEMO_PASSWORD });
    const root = (await apiCall(e, 'GET', `/orgs/search?q=${encodeURIComponent('华夏能源集团党委')}`, token)).items[0];
    const branch = await apiCall(e, 'POST', '/orgs', token, {
      parentId: root.id,
      name: '延期换届演示党支部',
      kind: 'branch',
    });
    const endsOn = addDays(todayInChina(), -10);
    await apiCall(e, 'POST', `/orgs/${branch.id}/terms`, token, {
      startsOn: addYears(endsOn, -3),
      members: [{ name: '周明', position: '书记' }],
    });
    const page = await e.page();
    await e.login(page, 'zuzhibu');
    await page.goto(`/orgs?org=${branch.id}`);
    await page.getByRole('tab', { name: '班子与换届' }).click();
    await page.getByText('换届逾期').waitFor();
    await page.getByRole('button', { name: '批准延期换届' }).click();
    const dialog = page.getByRole('dialog', { name: '批准延期换届' });
    await dialog.getByText(`最迟 ${addMonths(endsOn, 12)}`).waitFor();
    const until = addMonths(endsOn, 6);
    await pickDateTime(dialog, '延期至', until, 'Tab');
    await dialog.getByLabel('批准文号').fill('集团党委〔2026〕8 号');
    await dialog.getByLabel('特殊情况说明').fill('企业重组，班子调整方案待定');
    await e.shot(page, 'orgs-term-postpone-dialog-1280');
    await dialog.getByRole('button', { name: /登\s*记/ }).click();
    await page.getByText('已登记延期换届').waitFor();
    await page.getByText('经批准延期').waitFor();
    await page
      .getByText(`经上级党组织批准延期至 ${until}（集团党委〔2026〕8 号）：企业重组，班子调整方案待定`)
      .waitFor();
    assert.equal(await page.getByText('换届逾期').count(), 0, 'no longer shown as overdue');
    await e.shot(page, 'orgs-term-postponed-1280');

    const phone = await e.page(390);
    await e.login(phone, 'zuzhibu');
    await phone.goto(`/orgs?org=${branch.id}`);
    await phone.getByRole('tab', { name: '班子与换届' }).click();
    await phone.getByText('经批准延期').waitFor();
    await noOverflow(phone, '班子与换届 at 390');
    await e.shot(phone, 'orgs-term-postponed-390');
  });

  test('imports 5,000 members from the template with a progress bar, then finds one by name', async () => {
    const page = await e.page();
    await e.login(page, 'zuzhibu');
    await page.goto('/members');
    const before = await rosterTotal(page);
    await page.getByRole('button', { name: /导\s*入/ }).click();
    const dialog = page.getByRole('dialog', { name: '导入党员' });
    // The template comes from the dialog's own download button.
    const [dl] = await Promise.all([
      page.waitForEvent('download', DOWNLOAD_WAIT),
      dialog.getByRole('button', { name: '下载导入模板' }).click(),
    ]);
    assert.equal(dl.suggestedFilename(), '党员导入模板.xlsx');
    template = fs.readFileSync((await dl.path())!);
    const file = path.join(tmp, '党员名册-5000.xlsx');
    fs.writeFileSync(
      file,
      await memberSheet(template, 5000, { edit: (row, m) => (row === 2500 ? { ...m, name: IMPORTED_NAME } : m) }),
    );
    await dialog.locator('input[type=file]').setInputFiles(file);
    await e.shot(page, 'members-import-chosen-1280');
    await dialog.getByRole('button', { name: '开始导入' }).click();
    await dialog.locator('.ant-progress').waitFor();
    await e.shot(page, 'members-import-progress-1280');
    await dialog.getByText('导入成功：共导入 5000 名党员').waitFor({ timeout: 180_000 });
    await e.shot(page, 'members-import-done-1280');
    await dialog.getByRole('button', { name: /完\s*成/ }).click();
    await page.getByText(`共 ${before + 5000} 人`).waitFor();

    const search = page.getByLabel('搜索党员');
    await search.fill(IMPORTED_NAME);
    // Speed is the bench's business (tools/bench: roster search); here the search must find the one imported member.
    // Wait for the state, not for one response: typing may already have sent the search Enter would send.
    await search.press('Enter');
    await page.getByText('共 1 人').waitFor({ timeout: 30_000 });
    await page.locator('.ant-table-row', { hasText: IMPORTED_NAME }).waitFor();
    assert.equal(await rosterTotal(page), 1);
    await e.shot(page, 'members-search-1280');
  });

  test('shows every problem of a file with one bad row, and imports nothing', async () => {
    const page = await e.page();
    await e.login(page, 'zuzhibu');
    await page.goto('/members');
    const before = await rosterTotal(page);
    const file = path.join(tmp, '党员名册-错误.xlsx');
    fs.writeFileSync(file, await memberSheet(template, 20, { breakRow: 7, seed: 99 }));
    await page.getByRole('button', { name: /导\s*入/ }).click();
    const dialog = page.getByRole('dialog', { name: '导入党员' });
    await dialog.locator('input[type=file]').setInputFiles(file);
    await dialog.getByRole('button', { name: '开始导入' }).click();
    await dialog.getByText('本次没有导入任何数据', { exact: false }).waitFor({ timeout: 60_000 });
    const row = dialog.locator('.xf-import-problems .ant-table-row');
    assert.equal(await row.count(), 1);
    assert.deepEqual(await row.locator('td').allInnerTexts(), ['第 7 行', '身份证号', '身份证号校验位不正确']);
    await e.shot(page, 'members-import-errors-1280');
    await dialog.getByRole('button', { name: '修改后重新选择文件' }).click();
    await page.keyboard.press('Escape');
    await page.reload();
    assert.equal(await rosterTotal(page), before);
  });

  test('transfers a member to another branch, and that branch secretary receives them', async () => {
    const admin = await e.page();
    await e.login(admin, 'zuzhibu');
    await admin.goto(`/members?q=${encodeURIComponent(IMPORTED_NAME)}`);
    await admin.locator('.ant-table-row', { hasText: IMPORTED_NAME }).getByRole('link').click();
    await admin.getByRole('tab', { name: '组织关系' }).click();
    await pickOrg(admin, admin.locator('.ant-form-item', { hasText: '接收组织' }).locator('.ant-select'), [
      '华夏能源集团党委',
      '华夏新材料有限公司党委',
      '研发中心党支部',
    ]);
    await admin.getByLabel('转接原因').fill('工作调动');
    await admin.getByRole('button', { name: '提交转接申请' }).click();
    await admin.getByText('等待接收组织确认').first().waitFor();
    await admin.getByText(/已申请转往「研发中心党支部」/).waitFor();
    await e.shot(admin, 'member-transfer-requested-1280');

    const receiver = await e.page(390);
    await e.login(receiver, 'shuji2');
    await receiver.goto('/transfers');
    const item = receiver.locator('.xf-transfer-item', { hasText: IMPORTED_NAME });
    await item.waitFor();
    await noOverflow(receiver, 'the transfers page');
    await e.shot(receiver, 'transfers-pending-390');
    await item.getByRole('button', { name: /接\s*收/ }).click();
    await receiver.getByText(`已接收「${IMPORTED_NAME}」的组织关系`).waitFor();
    // On a phone the history is a list of cards.
    await receiver.locator('.ant-list-item', { hasText: IMPORTED_NAME }).getByText('已转入').waitFor();
    await receiver.goto(`/members?q=${encodeURIComponent(IMPORTED_NAME)}`);
    await receiver.getByText('研发中心党支部').first().waitFor();

    // The sender sees the transfer done and the member now in the receiving branch.
    await admin.reload();
    await admin.getByText('研发中心党支部').first().waitFor();
    await admin.getByRole('tab', { name: '组织关系' }).click();
    await admin.locator('.ant-table-row').getByText('已转入').waitFor();
  });

  test('exports the filtered roster as .xlsx', async () => {
    const page = await e.page();
    await e.login(page, 'zuzhibu');
    await page.goto('/members?gender=female&education=%E7%A0%94%E7%A9%B6%E7%94%9F');
    const total = await rosterTotal(page);
    assert.ok(total > 0);
    const [dl] = await Promise.all([
      page.waitForEvent('download', DOWNLOAD_WAIT),
      page.getByRole('button', { name: /导\s*出/ }).click(),
    ]);
    assert.match(dl.suggestedFilename(), /\.xlsx$/);
    const rows = await sheetRows(fs.readFileSync((await dl.path())!));
    assert.equal(rows[0]![0], '姓名');
    assert.equal(rows.length - 1, total, 'one sheet row per member in the filtered roster');
    assert.ok(rows.slice(1).every((r) => r.includes('女') && r.includes('研究生')));
  });

  test('shows a branch secretary only their branch', async () => {
    const page = await e.page();
    await e.login(page, 'shuji');
    const me = await apiGet<{ roles: { orgId: string; orgName: string }[] }>(page, '/me');
    const branchId = me.roles[0]!.orgId;
    const admin = await e.page();
    await e.login(admin, 'zuzhibu');
    const branchStats = await apiGet<{ total: number }>(admin, `/members/stats?orgId=${branchId}`);
    const elsewhere = await apiGet<{ items: { id: string; orgName: string }[] }>(
      admin,
      `/members?q=${encodeURIComponent(IMPORTED_NAME)}`,
    );
    assert.equal(elsewhere.items[0]!.orgName, '研发中心党支部');

    await page.goto('/members');
    assert.equal(await rosterTotal(page), branchStats.total);
    await page.goto(`/members/${elsewhere.items[0]!.id}`);
    await page.getByText('未找到该党员').waitFor();
    await page.goto('/orgs');
    await page.locator('.xf-org-tree-card .ant-tree-title').first().waitFor();
    const titles = await page.locator('.xf-org-tree-card .ant-tree-title').allInnerTexts();
    assert.ok(titles[0]!.includes('第一发电厂党支部'), titles.join(','));
    assert.ok(!titles.some((t) => t.includes('研发中心')), titles.join(','));
  });

  test('puts the server field errors of a new member next to the fields', async () => {
    const page = await e.page();
    await e.login(page, 'shuji');
    await page.goto('/members');
    await page.getByRole('button', { name: '新增党员' }).click();
    const dialog = page.getByRole('dialog', { name: '新增党员' });
    await pickOrg(page, dialog.locator('.ant-form-item', { hasText: '所属党支部' }).locator('.ant-select'), [
      '第一发电厂党支部',
    ]);
    await dialog.getByLabel('姓名').fill('王晓明');
    const first17 = '11010119900307001';
    const valid = first17 + idCardCheckChar(first17);
    await dialog.getByLabel('身份证号').fill(first17 + (valid.endsWith('0') ? '1' : '0'));
    // A wrong check digit is refused in the browser already.
    await dialog.getByText('身份证号校验位不正确').waitFor();
    await dialog.getByLabel('身份证号').fill(valid);
    await dialog.getByText('已根据身份证号填写出生日期和性别').waitFor();
    await dialog.getByLabel('手机号').fill('13912345678');
    // Joined at 17: only the server's cross-field rules know this one.
    await dialog.getByLabel('入党时间').fill('2007-05-01');
    await dialog.getByLabel('入党时间').press('Enter');
    await dialog.getByLabel('转正时间').fill('2008-05-01');
    await dialog.getByLabel('转正时间').press('Enter');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('入党时须年满 18 岁').waitFor();
    await dialog.getByText('请按提示修改标红的项目').waitFor();
    await e.shot(page, 'members-new-error-1280');
    await dialog.getByLabel('入党时间').fill('2012-05-01');
    await dialog.getByLabel('入党时间').press('Enter');
    await dialog.getByLabel('转正时间').fill('2013-05-01');
    await dialog.getByLabel('转正时间').press('Enter');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已新增党员「王晓明」').waitFor();
  });
  test('registers a flowing member and lists them on the 流动党员 page', async () => {
    const page = await e.page();
    await e.login(page, 'zuzhibu');
    await page.goto(`/members?q=${encodeURIComponent(IMPORTED_NAME)}`);
    await page.locator('.ant-table-row', { hasText: IMPORTED_NAME }).getByRole('link').click();
    await page.getByRole('tab', { name: '流动党员' }).click();
    await page.getByLabel('流入地').fill('广东省深圳市南山区');
    await page.getByLabel('外出期间联系方式').fill('微信 xf-test');
    // Away under 6 months: not a 流动党员 (FLOW_RULE); the server says so next to the form.
    await pickDateTime(page, '预计返回日期', addMonths(todayInChina(), 3), 'Tab');
    await page.getByRole('button', { name: '登记流动党员' }).click();
    await page.getByText(/外出不满 6 个月.*不作为流动党员登记/).waitFor();
    await pickDateTime(page, '预计返回日期', addMonths(todayInChina(), 12), 'Tab');
    await page.getByRole('button', { name: '登记流动党员' }).click();
    await page.getByText('已登记为流动党员').waitFor();
    await page.getByRole('button', { name: '记录联系' }).waitFor();
    await page.goto('/flowing');
    await page.locator('.ant-table-row', { hasText: IMPORTED_NAME }).getByText('正常').waitFor();
  });

  test('photographs every page at desktop and phone width, without sideways scrolling on the phone', async () => {
    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'zuzhibu');
      const look = async (name: string) => {
        if (width < 768) await noOverflow(page, name);
        await e.shot(page, `${name}-${width}`);
      };
      const member = await apiGet<{ items: { id: string; orgId: string }[] }>(
        page,
        `/members?q=${encodeURIComponent(IMPORTED_NAME)}`,
      );
      await page.goto(`/orgs?org=${member.items[0]!.orgId}`);
      await page.locator('.xf-org-detail').getByText('研发中心党支部').first().waitFor();
      await look('orgs-info');
      for (const [tab, name] of [
        ['班子与换届', 'orgs-committee'],
        ['预警', 'orgs-warnings'],
        ['统计', 'orgs-stats'],
      ] as const) {
        await page.getByRole('tab', { name: tab }).click();
        if (tab === '统计') await page.locator('.xf-chart canvas').first().waitFor();
        await look(name);
      }
      await page.goto('/members');
      await page.getByText(/^共 \d+ 人$/).waitFor();
      await look('members');
      await page.getByRole('button', { name: '新增党员' }).click();
      await page.getByRole('dialog', { name: '新增党员' }).waitFor();
      await page.waitForTimeout(400); // let the opening animation finish before the photo
      await look('members-new');
      await page
        .getByRole('dialog', { name: '新增党员' })
        .getByRole('button', { name: /取\s*消/ })
        .click();
      await page.getByRole('dialog', { name: '新增党员' }).waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: /导\s*入/ }).click();
      await page.getByRole('dialog', { name: '导入党员' }).waitFor();
      await page.waitForTimeout(400); // let the opening animation finish before the photo
      await look('members-import');
      await page.getByRole('dialog', { name: '导入党员' }).getByRole('button', { name: 'Close' }).click();
      await page.getByRole('dialog', { name: '导入党员' }).waitFor({ state: 'hidden' });
      await page.goto(`/members/${member.items[0]!.id}`);
      await page.getByRole('tab', { name: '基本信息' }).waitFor();
      await look('member-info');
      for (const [tab, name] of [
        ['组织关系', 'member-relation'],
        ['流动党员', 'member-flow'],
        ['出党登记', 'member-exit'],
      ] as const) {
        await page.getByRole('tab', { name: tab }).click();
        await look(name);
      }
      await page.goto('/transfers');
      await page.getByText('转接记录').waitFor();
      await look('transfers');
      await page.goto('/flowing');
      await page.getByText(IMPORTED_NAME).first().waitFor();
      await look('flowing');

      const mine = await e.page(width);
      await e.login(mine, 'dangyuan');
      await mine.goto('/me/profile');
      await mine.getByText('陈志远').first().waitFor();
      // A member sees their own numbers in full.
      assert.match(await mine.locator('.ant-descriptions').innerText(), /\d{17}[\dX]/);
      if (width < 768) await noOverflow(mine, 'my profile');
      await e.shot(mine, `me-profile-${width}`);
    }
  });

  test('stays readable in 大字模式 on a phone', async () => {
    const page = await e.page(390);
    await e.login(page, 'shenji');
    await page.getByRole('switch', { name: '大字模式' }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
    await page.goto('/members');
    await page.getByText(/^共 \d+ 人$/).waitFor();
    await noOverflow(page, 'the roster in large-font mode');
    await e.shot(page, 'members-large-390');
    // Full-page shots of long pages are too small to read: look closely at one card too.
    await page
      .locator('.xf-member-card')
      .first()
      .screenshot({ path: path.join(SCREENSHOTS, 'members-card-large-390.png') });
    await page.goto('/orgs');
    await page.getByRole('tab', { name: '统计' }).click();
    await page.locator('.xf-chart canvas').first().waitFor();
    await noOverflow(page, 'the org page in large-font mode');
    await e.shot(page, 'orgs-stats-large-390');
    await page
      .locator('.xf-org-detail .ant-table')
      .nth(3)
      .screenshot({ path: path.join(SCREENSHOTS, 'orgs-stats-table-large-390.png') });
    await page.getByRole('switch', { name: '大字模式' }).click();
    await page.waitForFunction(() => !document.documentElement.classList.contains('xf-large'));
  });
});
