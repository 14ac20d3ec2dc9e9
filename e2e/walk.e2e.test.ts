/**
 * Issue 16: what the secretary (shuji) and the org department (zuzhibu) hit when they walked the
 * product by clicking. Each test walks one path the way the user does — menus, buttons, typing —
 * and fails on the code before the fix. Pages are photographed at 1280 and 390 px.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { apiGet, itWithShots, noOverflow, startE2e, type E2e } from './harness';

/** Picks an option of the antd Select labelled `label` inside `scope`. */
async function choose(page: Page, scope: ReturnType<Page['locator']> | Page, label: string, option: string) {
  // Let a dialog finish opening first: a moving select cannot be clicked.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await scope
    .locator('.ant-select')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('.ant-select-selector')
    .click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/** The hit of an org search (OrgSearch) whose name is `name`. */
const orgHit = (page: Page, name: string) =>
  page
    .locator('.ant-select-dropdown:visible .xf-org-hit')
    .filter({ has: page.locator('.xf-org-hit-name', { hasText: new RegExp(`^${name}（`) }) });

/** Opens the side menu entry (on a phone the menu sits in a drawer). */
async function menu(page: Page, name: RegExp) {
  if ((page.viewportSize()?.width ?? 1280) < 768) await page.getByRole('button', { name: '打开菜单' }).click();
  await page.getByRole('menuitem', { name }).click();
}

describe('issue 16: the walk of the secretary and the org department', () => {
  let e: E2e;
  const test = itWithShots(() => e, 'walk');

  before(async () => {
    e = await startE2e();
  });
  after(async () => {
    await e?.close();
  });

  test('8. a failed request says what happened and what to do, with the request id and 重试 — never a bare status code', async () => {
    for (const width of [1280, 390]) {
      const p = await e.page(width);
      await e.login(p, 'shuji');
      // A reverse proxy in front of the server answers its own HTML page once (as nginx does while
      // the server restarts); the retry reaches the real server.
      let failed = 0;
      await p.route(/\/api\/v1\/meetings\?/, async (route) => {
        if (failed++ > 0) return route.continue();
        await route.fulfill({
          status: 502,
          contentType: 'text/html',
          body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        });
      });
      await menu(p, /组织生活/);
      const alert = p.getByRole('alert').filter({ hasText: '服务器暂时无法访问，请稍后重试' });
      await alert.waitFor();
      const text = await alert.innerText();
      assert.match(text, /请求编号 [0-9a-f]{24}/, 'the request id to give the administrator');
      assert.doesNotMatch(await p.locator('body').innerText(), /502|请求失败/, 'no raw status code on the page');
      await noOverflow(p, 'load error');
      await e.shot(p, `walk-error-retry-${width}`);
      await alert.getByRole('button', { name: /重\s*试/ }).click();
      await p
        .locator(width < 768 ? '.xf-meeting-card' : '.ant-table-row')
        .first()
        .waitFor();
      assert.equal(await alert.count(), 0);
      await p.unroute(/\/api\/v1\/meetings\?/);

      // The server's own 500 answer: its message and request id reach the user unchanged.
      await p.route(/\/api\/v1\/meetings\?/, (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/json',
          headers: { 'x-request-id': 'req-e2e-500-0001' },
          body: JSON.stringify({
            error: {
              code: 'INTERNAL',
              message: '服务器出错了，请稍后重试；如仍不成功，请联系管理员并提供请求编号 req-e2e-500-0001',
              details: { requestId: 'req-e2e-500-0001' },
            },
          }),
        }),
      );
      await p.getByPlaceholder('会议名称').fill('主题党日');
      await p.getByPlaceholder('会议名称').press('Enter');
      const server = p.getByRole('alert').filter({ hasText: 'req-e2e-500-0001' });
      await server.waitFor();
      assert.equal((await server.innerText()).match(/req-e2e-500-0001/g)?.length, 1, 'the id once, not twice');
      await server.getByRole('button', { name: /重\s*试/ }).waitFor();
      await p.unroute(/\/api\/v1\/meetings\?/);

      // The network gone while saving: the form says so, with the id, and keeps what was typed.
      await p.getByRole('button', { name: /新建会议/ }).click();
      const dialog = p.getByRole('dialog', { name: '新建会议' });
      await dialog.getByLabel('会议名称').fill('网络中断时保存的会议');
      await p.route('**/api/v1/meetings', (route) => route.abort('internetdisconnected'));
      await dialog.getByRole('button', { name: /创\s*建/ }).click();
      await dialog.getByText(/网络连接失败，请检查网络后重试（请求编号 [0-9a-f]{24}）/).waitFor();
      assert.equal(await dialog.getByLabel('会议名称').inputValue(), '网络中断时保存的会议');
      await p.unroute('**/api/v1/meetings');
      await p.close();
    }
  });

  test('3. changing the kind in the new-meeting form replaces the pre-filled title and agenda, but not what the secretary wrote', async () => {
    const p = await e.page(1280);
    await e.login(p, 'shuji');
    await menu(p, /组织生活/);
    await p.getByRole('button', { name: /新建会议/ }).click();
    const dialog = p.getByRole('dialog', { name: '新建会议' });
    await dialog.waitFor();
    assert.match(await dialog.getByLabel('会议名称').inputValue(), /月主题党日$/);
    assert.match(await dialog.getByLabel('议程').inputValue(), /重温入党誓词/);

    await choose(p, dialog, '会议类型', '支委会');
    assert.match(await dialog.getByLabel('会议名称').inputValue(), /^\d+月支委会$/);
    const agenda = await dialog.getByLabel('议程').inputValue();
    assert.match(agenda, /研究本月支部工作/);
    assert.doesNotMatch(agenda, /重温入党誓词/, 'no 主题党日 agenda in a 支委会');
    await e.shot(p, 'walk-kind-committee-1280');

    // What the secretary writes stays when the kind changes again.
    await dialog.getByLabel('会议名称').fill('研究七一表彰人选');
    await choose(p, dialog, '会议类型', '党员大会');
    assert.equal(await dialog.getByLabel('会议名称').inputValue(), '研究七一表彰人选');
    assert.match(await dialog.getByLabel('议程').inputValue(), /表决并形成决议/, 'the untouched agenda follows');
    await dialog.getByLabel('议程').fill('1. 讨论七一表彰人选');
    await choose(p, dialog, '会议类型', '党课');
    assert.equal(await dialog.getByLabel('议程').inputValue(), '1. 讨论七一表彰人选');
    await p.close();

    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await menu(phone, /组织生活/);
    await phone.getByRole('button', { name: /新建会议/ }).click();
    const d2 = phone.getByRole('dialog', { name: '新建会议' });
    await choose(phone, d2, '会议类型', '支委会');
    assert.match(await d2.getByLabel('会议名称').inputValue(), /^\d+月支委会$/);
    await noOverflow(phone, 'new meeting form');
    await e.shot(phone, 'walk-kind-committee-390');
    await phone.close();
  });

  test('4. the org department finds a branch by typing part of its name or its pinyin initials, in the tree and in every org picker', async () => {
    const p = await e.page(1280);
    await e.login(p, 'zuzhibu');
    await menu(p, /组织管理/);
    const box = p.getByLabel('查找组织');
    await box.fill('电力');
    const hit = orgHit(p, '华夏电力有限公司党委');
    await hit.waitFor();
    await e.shot(p, 'walk-org-search-1280');
    // Pinyin initials, and one click to the branch: the tree opens down to it and shows it.
    await box.fill('dyfdc');
    await orgHit(p, '第一发电厂党支部').click();
    await p.locator('.xf-org-detail').getByText('第一发电厂党支部').first().waitFor();
    await p.locator('.ant-tree-node-selected', { hasText: '第一发电厂党支部' }).waitFor();
    await e.shot(p, 'walk-org-search-picked-1280');

    // The same search in an org picker: the meetings list filtered to a branch by its initials.
    await menu(p, /组织生活/);
    const picker = p.locator('.xf-org-filter .ant-select');
    await picker.click();
    await p.keyboard.type('yfzx');
    await orgHit(p, '研发中心党支部').click();
    await p.waitForURL(/orgId=/);
    await p.locator('.xf-org-filter .ant-select-selection-item', { hasText: '研发中心党支部' }).waitFor();
    // Nothing found says so.
    await picker.click();
    await p.keyboard.type('不存在的组织');
    await p.locator('.ant-select-dropdown:visible', { hasText: '没有找到与「不存在的组织」相符的组织' }).waitFor();
    await p.keyboard.press('Escape');
    await p.close();

    const phone = await e.page(390);
    await e.login(phone, 'zuzhibu');
    await menu(phone, /组织管理/);
    await phone.getByLabel('查找组织').fill('电力');
    await orgHit(phone, '华夏电力有限公司党委').waitFor();
    await noOverflow(phone, 'org search');
    await e.shot(phone, 'walk-org-search-390');
    const org = await apiGet<{ total: number }>(phone, '/orgs/search?q=dl');
    assert.ok(org.total >= 1);
    await phone.close();
  });
});
