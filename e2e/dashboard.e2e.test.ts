/**
 * 驾驶舱 in the browser: the group's org admin opens it from the menu on a 1280px desktop and
 * sees the figures the API computes (members, collection rate, branches on track, the two
 * branches overdue for 换届), each with what it counts and 统计时间; the 换届 warning leads to
 * the org page that fixes it. On a 390px phone the cards stack without sideways scrolling, also
 * in 大字模式, and another org is chosen through the address.
 * On 1 July (#16 item 9) the leader sees June — the last complete month — beside July for meeting
 * compliance and dues collection, and picks the org through the labelled 统计范围 selector by typing.
 * The 整改 and 考核 cards (the supervise and assess modules' dashboard parts) show the API's figures at 1280 and
 * 390 px, and each figure opens the list behind it (the ledger's overdue items, the published plan).
 * 全屏 shows the big-screen layout over the whole window (with the browser's full screen where it is granted) at
 * 1280 and 390 px, and 退出全屏 returns to the page; `?screen=big` opens in it.
 * Every chart drills down (#23): a click (a tap at 390 px) on a 下级组织对比 bar opens that org's 驾驶舱, from the
 * group to a company to a 党总支 to a branch, with the trail and the back button leading up; at the branch a bar or
 * slice opens the list behind it, which counts what the chart showed; the figures open their org's lists.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { AGE_BANDS, EDUCATIONS, nowMs, setClock, todayInChina, type Dashboard } from '@xianfeng/shared';
import type { DashboardChildren } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { apiCall, apiGet, DEMO_PASSWORD, itWithShots, noOverflow, SCREENSHOTS, startE2e, type E2e } from './harness';

/** Waits until no antd spinner turns and no animation runs, so a screenshot shows the loaded page. */
async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.ant-spin-spinning, .ant-skeleton').length === 0 &&
      document.getAnimations().every((a) => a.playState !== 'running'),
  );
}

/**
 * Clicks (on a phone: taps) one item of an ECharts chart where it is drawn: the chart writes its items' centres to
 * `data-hits` ([seriesIndex, dataIndex, x, y]) once drawn; waits until the wanted item is there.
 */
async function tapItem(page: Page, testId: string, seriesIndex: number, dataIndex: number) {
  const chart = page.getByTestId(testId);
  await chart.scrollIntoViewIfNeeded();
  const handle = await page.waitForFunction(
    ([id, s, i]) => {
      const hits = JSON.parse(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-hits') ?? '[]');
      return (hits as number[][]).find((h) => h[0] === s && h[1] === i) ?? false;
    },
    [testId, seriesIndex, dataIndex] as const,
  );
  const [, , x, y] = (await handle.jsonValue()) as number[];
  const box = (await chart.boundingBox())!;
  if (page.viewportSize()!.width < 768) await page.touchscreen.tap(box.x + x!, box.y + y!);
  else await page.mouse.click(box.x + x!, box.y + y!);
}

/** The number in the members list's 「共 N 人」. */
async function rosterTotal(page: Page) {
  const t = page.locator('.xf-roster-total').getByText(/^共\s*\d+\s*人$/);
  await t.waitFor();
  return Number((await t.innerText()).replace(/\D/g, ''));
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

describe('驾驶舱 in the browser', () => {
  let e: E2e;
  const it = itWithShots(() => e, 'dashboard');
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());

  it('shows the org admin the group’s real figures with what they count, and leads from a warning to the page that fixes it', async () => {
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.getByRole('menuitem', { name: /驾驶舱/ }).click();
    await page.waitForURL('**/dashboard');
    await page.getByTestId('dash-members').waitFor();
    const d = await apiGet<Dashboard>(page, '/dashboard');
    assert.equal(d.org.orgName, '华夏能源集团党委');
    assert.ok(d.members.total > 100);
    const members = page.getByTestId('dash-members');
    assert.match(await members.innerText(), new RegExp(`党员总数\\s*${d.members.total}`));
    assert.match(
      await members.innerText(),
      new RegExp(`正式党员 ${d.members.full} 人，预备党员 ${d.members.probationary} 人`),
    );
    assert.match(await members.innerText(), /在册党员/, 'the figure says what it counts');
    assert.ok((await page.getByTestId('dash-dues').innerText()).includes(pct(d.dues.collectionRate)));
    assert.ok(
      (await page.getByTestId('dash-meetings').innerText()).includes(
        `${d.meetings.onTrack} / ${d.meetings.units} 个党支部达标`,
      ),
    );
    assert.match(await page.getByTestId('dash-arrears').innerText(), new RegExp(`${d.dues.arrears3Members}\\s*人`));
    await page
      .getByTestId('dash-asof')
      .getByText(/统计时间：\d{4}\/\d{1,2}\/\d{1,2}/)
      .waitFor();
    const warnings = page.getByTestId('dash-warnings');
    await warnings.getByRole('link', { name: '2 个党组织换届逾期（任期已届满未换届）' }).waitFor();
    await warnings.getByRole('link', { name: '检修公司党支部' }).first().waitFor();
    await page.locator('.xf-dash-chart canvas').first().waitFor();
    await settled(page);
    await e.shot(page, 'dashboard-1280');

    // Every figure opens the list behind it: each card holds a link (the 考核 card only once a plan is published).
    const unlinked = await page
      .locator('.xf-dash-figure')
      .evaluateAll((cards) =>
        cards
          .filter((c) => !c.querySelector('a.xf-dash-link') && c.getAttribute('data-testid') !== 'dash-assess')
          .map((c) => c.getAttribute('data-testid')),
      );
    assert.deepEqual(unlinked, [], 'figures without the list behind them');
    await page.getByTestId('dash-members-link').click();
    await page.waitForURL(/\/members\?orgId=/);
    await page.getByRole('columnheader', { name: '姓名' }).first().waitFor();
    await page.goBack();
    await page.getByTestId('dash-members').waitFor();

    await warnings.getByRole('link', { name: '海外项目部党支部' }).first().click();
    await page.waitForURL(/\/orgs\?org=/);
    await page.getByText('海外项目部党支部').first().waitFor();
    assert.deepEqual(e.pageErrors, []);
  });

  it('on 1 July shows June beside July for compliance and dues, and the labelled org selector finds 电力 by typing', async () => {
    const offset = nowMs() - Date.now();
    setClock('2026-07-01');
    try {
      for (const width of [1280, 390]) {
        const page = await e.page(width);
        await e.login(page, 'zuzhibu');
        await page.goto('/dashboard');
        const meetings = page.getByTestId('dash-meetings');
        await meetings.getByText('2026 年截至 2026 年 6 月底').waitFor();
        await meetings.getByText('2026 年 7 月（进行中）已开展').waitFor();
        const dues = page.getByTestId('dash-dues');
        await dues.getByText('2026 年 6 月（上月）').waitFor();
        await dues.getByText('2026 年 7 月（进行中）').waitFor();
        const d = await apiGet<Dashboard>(page, '/dashboard');
        assert.equal(d.meetings.through, '2026-06-30');
        assert.ok((await page.getByTestId('dash-meetings-done').innerText()).includes(pct(d.meetings.onTrackRate)));
        assert.ok((await page.getByTestId('dash-meetings-running').innerText()).includes(pct(d.meetings.current.rate)));
        assert.ok(
          (await page.getByTestId('dash-dues-done').innerText()).includes(pct(d.dues.lastMonth.collectionRate)),
        );
        assert.ok((await page.getByTestId('dash-dues-running').innerText()).includes(pct(d.dues.collectionRate)));
        assert.ok((await meetings.innerText()).includes(`${d.meetings.onTrack} / ${d.meetings.units} 个党支部达标`));
        await settled(page);
        if (width === 390) await noOverflow(page, '驾驶舱 on 1 July at 390px');
        await e.shot(page, `dashboard-july1-${width}`);
        if (width === 1280) {
          // The selector is labelled: found by its label, searched by typing.
          await page.getByLabel('统计范围（组织）').focus();
          await page.keyboard.type('电力');
          await page
            .locator('.ant-select-dropdown:visible .xf-org-hit')
            .filter({ has: page.locator('.xf-org-hit-name', { hasText: /^华夏电力有限公司党委（/ }) })
            .click();
          await page.getByText('驾驶舱 · 华夏电力有限公司党委').waitFor();
          await page.getByTestId('dash-meetings').getByText('2026 年截至 2026 年 6 月底').waitFor();
        }
      }
    } finally {
      setClock(new Date(Date.now() + offset));
    }
    assert.deepEqual(e.pageErrors, []);
  });

  it('stacks the cards on a 390px phone without sideways scrolling, also in 大字模式, for another org in scope', async () => {
    const page = await e.page(390);
    await e.login(page, 'zuzhibu');
    await page.goto('/dashboard');
    await page.getByTestId('dash-members').waitFor();
    await page.locator('.xf-dash-chart canvas').first().waitFor();
    await settled(page);
    await noOverflow(page, '驾驶舱 at 390px');
    const [a, b] = [
      await page.getByTestId('dash-members').boundingBox(),
      await page.getByTestId('dash-develop').boundingBox(),
    ];
    assert.ok(a && b && b.y >= a.y + a.height, 'the figure cards stack one under another');
    await e.shot(page, 'dashboard-390');

    const top = (await apiGet<Dashboard>(page, '/dashboard')).org.orgId;
    const children = await apiGet<{ items: { id: string; name: string }[] }>(
      page,
      `/orgs?parentId=${top}&pageSize=200`,
    );
    const orgId = children.items.find((o) => o.name === '华夏电力有限公司党委')!.id;
    await page.goto(`/dashboard?orgId=${orgId}`);
    await page.getByText('驾驶舱 · 华夏电力有限公司党委').waitFor();
    const d = await apiGet<Dashboard>(page, `/dashboard?orgId=${orgId}`);
    assert.match(await page.getByTestId('dash-members').innerText(), new RegExp(`党员总数\\s*${d.members.total}`));
    await page.getByRole('switch', { name: '大字模式' }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
    await settled(page);
    await noOverflow(page, '驾驶舱 in 大字模式 at 390px');
    await e.shot(page, 'dashboard-large-390');
    await page.getByRole('switch', { name: '大字模式' }).click();
    assert.deepEqual(e.pageErrors, []);
  });
  it('shows the 整改 and 考核 cards with the API’s figures, each opening the list behind it, at 1280 and 390 px', async () => {
    const login = async (username: string) =>
      (await apiCall(e, 'POST', '/auth/login', null, { username, password: DEMO_PASSWORD })).token as string;
    const [zuzhibu, dianli] = [await login('zuzhibu'), await login('dianli')];
    // A published 考核 of 发电运营党总支's three branches (one manual indicator weighing 100), made through the API.
    const orgs = await apiCall(e, 'GET', `/orgs/search?q=${encodeURIComponent('发电运营党总支')}&pageSize=20`, zuzhibu);
    const general = (orgs.items as { id: string; name: string }[]).find((o) => o.name === '发电运营党总支')!.id;
    const lib = await apiCall(e, 'GET', `/assess/indicators?orgId=${general}&pageSize=200`, zuzhibu);
    const brand = (lib.items as { id: string; name: string }[]).find((i) => i.name === '党建品牌与特色工作')!;
    const today = todayInChina();
    const plan = await apiCall(e, 'POST', '/assess/plans', zuzhibu, {
      orgId: general,
      title: '驾驶舱演示考核',
      year: Number(today.slice(0, 4)),
      quarter: Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1,
      items: [{ indicatorId: brand.id, weight: 100 }],
    });
    const units = await apiCall(e, 'GET', `/assess-plans/${plan.id}/units?pageSize=200`, zuzhibu);
    const score: Record<string, number> = { 第一发电厂党支部: 9, 第二发电厂党支部: 8, 检修公司党支部: 7 };
    for (const u of units.items as { id: string; orgName: string }[])
      await apiCall(e, 'PUT', `/assess-units/${u.id}/review`, dianli, {
        scores: [{ key: plan.items[0].key, score: score[u.orgName] }],
      });
    await apiCall(e, 'POST', `/assess-plans/${plan.id}/publish`, zuzhibu, {});
    // A part whose last count was slow is served once more as it was while it is recounted (platform/cache.ts, at
    // most 60 s): wait until the published plan is in the figure.
    for (let i = 0; i < 120; i++) {
      const now = await apiCall(e, 'GET', '/dashboard', zuzhibu);
      if (now.assess.plan?.planId === plan.id) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'zuzhibu');
      await page.goto('/dashboard');
      const rectify = page.getByTestId('dash-rectify');
      await rectify.waitFor();
      const d = await apiGet<Dashboard>(page, '/dashboard');
      assert.ok(d.supervise.total > 0, 'the demo has 整改 items');
      assert.match(
        await page.getByTestId('dash-rectify-done').innerText(),
        new RegExp(`未销号\\s*${d.supervise.open} 项`),
      );
      assert.match(
        await page.getByTestId('dash-rectify-running').innerText(),
        new RegExp(`已逾期\\s*${d.supervise.overdue} 项`),
      );
      const assess = page.getByTestId('dash-assess');
      await assess.getByText('考核平均分 · 驾驶舱演示考核').waitFor();
      assert.equal(d.assess.plan?.planId, plan.id);
      assert.equal(d.assess.average, 80);
      assert.match(await page.getByTestId('dash-assess-link').innerText(), /80\s*分/);
      assert.match(await page.getByTestId('dash-assess-bands').innerText(), /90 分及以上 1.*80–90 分 1.*60–80 分 1/s);
      assert.match(await page.getByTestId('dash-assess-top').innerText(), /第一发电厂党支部：90 分（同级第 1 \/ 3）/);
      await settled(page);
      if (width === 390) await noOverflow(page, '驾驶舱 整改 and 考核 at 390px');
      await assess.scrollIntoViewIfNeeded();
      await e.shot(page, `dashboard-parts-${width}`);
      if (width === 1280) {
        // 已逾期 opens the ledger of the org with the 逾期 filter on; the average opens the plan.
        await page.getByTestId('dash-rectify-running').click();
        await page.waitForURL(/\/supervise\/rectify\?tab=ledger&org=.*&status=overdue/);
        await page.locator('.ant-segmented-item-selected').getByText('逾期').waitFor();
        await page.goBack();
        await page.getByTestId('dash-assess-link').click();
        await page.waitForURL(new RegExp(`/assess\\?plan=${plan.id}`));
        await page.getByRole('button', { name: '← 返回考核列表' }).waitFor();
      }
    }
    assert.deepEqual(e.pageErrors, []);
  });
  it('the heatmap drills down from the group to a company and a branch, and the trail leads back up, at 1280 and 390', async () => {
    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'zuzhibu');
      await page.goto('/dashboard');
      const heat = page.getByTestId('dash-heatmap');
      const year = Number(todayInChina().slice(0, 4));
      const top = (await apiGet<Dashboard>(page, '/dashboard')).org.orgId;
      type Heat = { rows: { orgId: string; orgName: string; orgKind: string; units: number; ok: (number | null)[] }[] };
      const h = await apiGet<Heat>(page, `/stats/meetings-heatmap?orgId=${top}&year=${year}&pageSize=10`);
      const company = h.rows.find((r) => r.orgName === '华夏电力有限公司党委')!;
      assert.ok(company && company.units > 1, 'the company is a row with its branches');
      // The cell the page shows is the API's share of the company's branches for that month.
      const month = Number(todayInChina().slice(5, 7));
      const cell = company.ok[month - 1]!;
      await heat
        .getByRole('link', { name: `${month}月（进行中）：${cell} / ${company.units} 个党支部达标` })
        .first()
        .waitFor();
      await noOverflow(page, `the heatmap at ${width}px`);
      await heat.scrollIntoViewIfNeeded();
      await e.shot(page, `dashboard-heatmap-${width}`);
      // Down: the company's own 驾驶舱, then its 党总支's, whose rows are its branches …
      await heat.getByRole('link', { name: company.orgName, exact: true }).click();
      await page.getByText(`驾驶舱 · ${company.orgName}`).waitFor();
      await page.getByTestId('dash-trail').getByRole('link', { name: '华夏能源集团党委' }).waitFor();
      await page.getByTestId('dash-heatmap').getByRole('link', { name: '发电运营党总支', exact: true }).click();
      await page.getByText('驾驶舱 · 发电运营党总支').waitFor();
      await page.getByTestId('dash-trail').getByRole('link', { name: company.orgName }).waitFor();
      const branch = page.getByTestId('dash-heatmap').getByRole('link', { name: '第一发电厂党支部', exact: true });
      await branch.waitFor();
      if (width === 1280) {
        // … and a branch opens its compliance check.
        await branch.click();
        await page.waitForURL(/\/compliance\?orgId=/);
        await page.goBack();
        await page.getByText('驾驶舱 · 发电运营党总支').waitFor();
      }
      // Up again through the trail.
      await page.getByTestId('dash-trail').getByRole('link', { name: '华夏能源集团党委' }).click();
      await page.getByText('驾驶舱 · 华夏能源集团党委').waitFor();
      assert.deepEqual(e.pageErrors, []);
    }
  });

  it('全屏 shows the big-screen layout over the whole window and 退出全屏 leaves it, at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'zuzhibu');
      await page.goto('/dashboard');
      await page.getByTestId('dash-rectify').waitFor();
      await page.getByRole('button', { name: '全屏' }).click();
      await page.locator('.xf-dash-big').waitFor();
      await page.getByRole('button', { name: '退出全屏' }).waitFor();
      // The layout covers the window: the page's box is the viewport's, whether or not the browser granted full screen.
      const box = await page.getByTestId('dash-page').boundingBox();
      const view = page.viewportSize()!;
      assert.ok(box && box.x === 0 && box.y === 0 && Math.round(box.width) === view.width, JSON.stringify(box));
      await page.locator('.xf-dash-chart canvas').first().waitFor();
      await settled(page);
      if (width === 390) await noOverflow(page, '驾驶舱 全屏 at 390px');
      // What the screen shows (the layout scrolls inside the window, so a full-page shot would add the page behind).
      await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-fullscreen-${width}.png`) });
      await page.getByRole('button', { name: '退出全屏' }).click();
      await page.getByRole('button', { name: '全屏' }).waitFor();
      assert.equal(await page.locator('.xf-dash-big').count(), 0);
      assert.equal(await page.evaluate(() => document.fullscreenElement === null), true);
    }
    // A kiosk opens it from the address; Esc leaves the layout.
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.goto('/dashboard?screen=big');
    await page.locator('.xf-dash-big').waitFor();
    await page.getByTestId('dash-members').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '全屏' }).waitFor();
    assert.deepEqual(e.pageErrors, []);
  });
  it('drills down on the 下级组织对比 chart from the group to a branch, and at the branch a chart opens its list, at 1280 and 390', async () => {
    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'zuzhibu');
      await page.goto('/dashboard');
      await page.getByTestId('dash-children').waitFor();
      const top = (await apiGet<Dashboard>(page, '/dashboard')).org.orgId;
      /** Taps the bar of `name` in the 下级组织对比 chart (its first series) and returns that row. */
      const drill = async (orgId: string, name: string) => {
        const c = await apiGet<DashboardChildren>(page, `/stats/children?orgId=${orgId}&pageSize=10`);
        const i = c.rows.findIndex((r) => r.orgName === name);
        assert.ok(i >= 0, `${name} is a bar under ${c.org.orgName}`);
        await tapItem(page, 'dash-children-chart', 0, i);
        await page.getByText(`驾驶舱 · ${name}`).waitFor();
        assert.equal(new URL(page.url()).searchParams.get('orgId'), c.rows[i]!.orgId);
        return c.rows[i]!;
      };
      await settled(page);
      if (width === 390) await noOverflow(page, '驾驶舱 with 下级组织对比 at 390px');
      await page.getByTestId('dash-children').scrollIntoViewIfNeeded();
      await e.shot(page, `dashboard-children-${width}`);

      // Group → company: the company's 驾驶舱 shows the figure its bar showed, the trail leads back to the group.
      const company = await drill(top, '华夏电力有限公司党委');
      await page.getByTestId('dash-trail').getByRole('link', { name: '华夏能源集团党委' }).waitFor();
      assert.match(
        await page.getByTestId('dash-members').innerText(),
        new RegExp(`党员总数\\s*${company.members}\\s*人`),
      );
      // … → 党总支 → branch, each a step in the browser's history.
      await page.getByTestId('dash-children').waitFor();
      await drill(company.orgId, '发电运营党总支');
      await page.getByTestId('dash-trail').getByRole('link', { name: '华夏电力有限公司党委' }).waitFor();
      const general = new URL(page.url()).searchParams.get('orgId')!;
      const branch = await drill(general, '第一发电厂党支部');
      const trail = await page.getByTestId('dash-trail').innerText();
      assert.match(trail, /华夏能源集团党委[\s\S]*华夏电力有限公司党委[\s\S]*发电运营党总支[\s\S]*第一发电厂党支部/);
      // The drill-down ends at the branch: no 下级组织对比; its charts open the lists behind them.
      const d = await apiGet<Dashboard>(page, `/dashboard?orgId=${branch.orgId}`);
      await page.getByTestId('dash-age-chart').waitFor();
      assert.equal(await page.getByTestId('dash-children').count(), 0);
      await settled(page);
      if (width === 390) await noOverflow(page, '驾驶舱 of a branch at 390px');
      await e.shot(page, `dashboard-drill-branch-${width}`);

      const bands = AGE_BANDS.map((b) => b.key).filter((k) => k in d.members.byAgeBand);
      const band = bands.reduce((a, b) => (d.members.byAgeBand[b]! > d.members.byAgeBand[a]! ? b : a));
      await tapItem(page, 'dash-age-chart', 0, bands.indexOf(band));
      await page.waitForURL((u) => u.pathname === '/members' && u.searchParams.get('ageBand') === band);
      assert.equal(new URL(page.url()).searchParams.get('orgId'), branch.orgId);
      assert.equal(await rosterTotal(page), d.members.byAgeBand[band], `the ${band} list counts what the bar showed`);
      await e.shot(page, `dashboard-drill-list-${width}`);

      // Back: the branch, then the 党总支 (the browser's own back button).
      await page.goBack();
      await page.getByText('驾驶舱 · 第一发电厂党支部').waitFor();
      await page.goBack();
      await page.getByText('驾驶舱 · 发电运营党总支').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('orgId'), general);

      if (width === 390) {
        // A slice of the education pie (tapped) opens that education's members of the 党总支.
        const g = await apiGet<Dashboard>(page, `/dashboard?orgId=${general}`);
        const edu = [...EDUCATIONS, '未填'].find((k) => k in g.members.byEducation)!;
        assert.notEqual(edu, '未填');
        await tapItem(page, 'dash-education-chart', 0, 0);
        await page.waitForURL((u) => u.pathname === '/members' && u.searchParams.get('education') === edu);
        assert.equal(await rosterTotal(page), g.members.byEducation[edu]);
      } else {
        // The company's figures open their org's lists: 党员总数 counts the same, the last month's unpaid bills.
        await page.getByTestId('dash-trail').getByRole('link', { name: '华夏电力有限公司党委' }).click();
        await page.getByText('驾驶舱 · 华夏电力有限公司党委').waitFor();
        const c = await apiGet<Dashboard>(page, `/dashboard?orgId=${company.orgId}`);
        await page.getByTestId('dash-members-link').click();
        await page.waitForURL((u) => u.pathname === '/members' && u.searchParams.get('orgId') === company.orgId);
        assert.equal(await rosterTotal(page), c.members.total);
        await page.goBack();
        await page.getByTestId('dash-dues-done').click();
        await page.waitForURL((u) => u.searchParams.get('status') === 'unpaid');
        await page.getByTestId('dues-org-scope').getByText('范围：华夏电力有限公司党委及下级组织').waitFor();
        const m = c.dues.lastMonth;
        const q = `/dues/bills?orgId=${company.orgId}&month=${m.month}&pageSize=1`;
        const [unpaid, exempt] = [
          (await apiGet<{ total: number }>(page, `${q}&status=unpaid`)).total,
          (await apiGet<{ total: number }>(page, `${q}&status=exempt`)).total,
        ];
        assert.equal(unpaid + exempt + m.paidBills, m.bills, 'the figure’s bills are the list’s');
        await page.locator('.ant-pagination-total-text').getByText(`共 ${unpaid} 张`).waitFor();
        await e.shot(page, 'dashboard-drill-bills-1280');
        await page.goBack();
        // The trend chart: the bar of the last month with meetings opens that month's meetings.
        const i = c.trend.meetingsHeld.findLastIndex((n) => n > 0);
        await tapItem(page, 'dash-trend-chart', 0, i);
        const month = c.trend.months[i]!;
        await page.waitForURL(
          (u) =>
            u.pathname === '/meetings' &&
            u.searchParams.get('orgId') === company.orgId &&
            u.searchParams.get('month') === String(Number(month.slice(5, 7))),
        );
        // On the big screen a bar drills down too, and the big screen stays.
        await page.goto('/dashboard?screen=big');
        await page.locator('.xf-dash-big').waitFor();
        await drill(top, '华夏新材料有限公司党委');
        assert.equal(await page.locator('.xf-dash-big').count(), 1);
        assert.equal(new URL(page.url()).searchParams.get('screen'), 'big');
        await page.getByTestId('dash-members').waitFor();
        await settled(page);
        // The drill-down keeps the place on the page (the next level's bars are under the finger); the shot shows the top.
        await page.locator('.xf-dash-big').evaluate((el) => el.scrollTo(0, 0));
        await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-fullscreen-drill-1280.png') });
      }
      assert.deepEqual(e.pageErrors, []);
    }
  });
});
