/**
 * 考核 in the browser (issue 21): the group's 组织部 (zuzhibu) defines an assessment of 发电运营党总支's three 党支部
 * with automatic, manual and bonus indicators and a business KPI imported from Excel (1280); the 书记 of
 * 第一发电厂党支部 (shuji) self-assesses with evidence on his phone (390); 电力公司党委 (dianli) scores the three
 * branches and the 组织部 publishes; the ranking and a branch's breakdown on the page are the ones recomputed
 * from the records.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { addDays, nowMs, setClock, todayInChina } from '@xianfeng/shared';
import { queryRows } from '../apps/server/src/platform/db';
import { itWithShots, noOverflow, pickOrg, startE2e, type E2e } from './harness';

const TITLE = '季度融合考核（浏览器）';
const BRANCHES = ['第一发电厂党支部', '第二发电厂党支部', '检修公司党支部'];
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('考核 in the browser', () => {
  let e: E2e;
  let planId = '';
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'assess');
  const unitIds = async () =>
    new Map(
      (
        await queryRows<{ id: string; name: string }>(
          e.server.services.db,
          sql`select u.id, o.name from assess_unit u join org o on o.id = u.org_id where u.plan_id = ${planId}`,
        )
      ).map((r) => [r.name, r.id]),
    );

  it('the 组织部 defines an assessment with automatic, manual, bonus and KPI indicators and imports the KPI from Excel (1280)', async () => {
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.getByRole('menuitem', { name: /考核评价/ }).click();
    await page.waitForURL('**/assess');
    await page.getByRole('tab', { name: '指标库' }).click();
    await page.getByRole('cell', { name: '三会一课完成率' }).waitFor();
    await e.shot(page, 'assess-library-1280');
    await page.getByRole('tab', { name: '考核' }).click();
    await page.getByRole('button', { name: '新建考核' }).click();
    const dialog = page.getByRole('dialog');
    await pickOrg(page, dialog.locator('.ant-select').first(), [
      '华夏能源集团党委',
      '华夏电力有限公司党委',
      '发电运营党总支',
    ]);
    await dialog.getByLabel('考核名称').fill(TITLE);
    for (const [name, w] of [
      ['三会一课完成率', 30],
      ['党费收缴率', 20],
      ['党建品牌与特色工作', 30],
      ['发电量完成率', 20],
    ] as const)
      await dialog.getByLabel(`权重 ${name}`).fill(String(w));
    await dialog.getByLabel('选用 获上级表彰').check();
    await dialog.getByText('已选权重合计 100').waitFor();
    // A wrong sum first: the server's Chinese 422 is shown.
    await dialog.getByLabel('权重 党费收缴率').fill('25');
    await dialog.getByRole('button', { name: '创建考核' }).click();
    await dialog.getByText('计权重的指标权重之和须为 100，现在是 105').waitFor();
    await dialog.getByLabel('权重 党费收缴率').fill('20');
    await e.shot(page, 'assess-create-1280');
    await dialog.getByRole('button', { name: '创建考核' }).click();
    await page.getByRole('heading', { name: new RegExp(TITLE) }).waitFor();
    planId = new URL(page.url()).searchParams.get('plan') ?? '';
    assert.ok(planId);

    // The KPI sheet: one row per branch.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('业务指标');
    ws.addRow(['党组织', '指标', '目标值', '单位', '指标值']);
    const values = [104, 95, 100];
    BRANCHES.forEach((b, i) => ws.addRow([b, '发电量完成率', 100, '%', values[i]]));
    ws.addRow(['研发中心党支部', '发电量完成率', 100, '%', 'abc']);
    const bad = Buffer.from(await wb.xlsx.writeBuffer());
    await page
      .locator('input[type=file][accept=".xlsx"]')
      .setInputFiles({ name: 'kpi.xlsx', mimeType: 'application/octet-stream', buffer: bad });
    await page.locator('.ant-modal-confirm-title', { hasText: '导入失败，未导入任何数据' }).waitFor();
    await page.getByText('第 5 行「党组织」「研发中心党支部」不是本次考核的党支部', { exact: true }).waitFor();
    await e.shot(page, 'assess-import-errors-1280');
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /知道了|OK|确\s?定/ })
      .click();
    ws.spliceRows(5, 1);
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    await page
      .locator('input[type=file][accept=".xlsx"]')
      .setInputFiles({ name: 'kpi.xlsx', mimeType: 'application/octet-stream', buffer: good });
    await page.getByText('已导入 3 个业务指标值').waitFor();
    const [kpis] = await queryRows<{ n: number }>(
      e.server.services.db,
      sql`select count(*)::int as n from assess_unit where plan_id = ${planId} and kpi <> '{}'::jsonb`,
    );
    assert.equal(kpis!.n, 3);
    await e.shot(page, 'assess-plan-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the 书记 self-assesses the manual indicator with evidence on his phone (390)', async () => {
    const page = await e.page(390);
    await e.login(page, 'shuji');
    await page.goto('/assess');
    await page.getByText(TITLE).first().click();
    await page.locator('[data-unit="第一发电厂党支部"]').click();
    const drawer = page.locator('.ant-drawer-content');
    const line = drawer.locator('[data-line="党建品牌与特色工作"]');
    await line.waitFor();
    await line.locator('input[type=file]').setInputFiles({ name: '品牌活动.png', mimeType: 'image/png', buffer: PNG });
    await line.getByRole('link', { name: '品牌活动.png' }).waitFor();
    await drawer.getByLabel('自评 党建品牌与特色工作').fill('9');
    await drawer.getByRole('button', { name: '提交自评' }).click();
    await drawer.getByText('自评 9/10，待上级评分').waitFor();
    await noOverflow(page, 'the assessment drawer at 390px');
    await e.shot(page, 'assess-self-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the committee above scores the three branches, the 组织部 publishes, and the ranking and breakdown are the recomputed ones (1280)', async () => {
    const units = await unitIds();
    const page = await e.page(1280);
    await e.login(page, 'dianli');
    const scores: Record<string, [number, number]> = {
      第一发电厂党支部: [8, 2],
      第二发电厂党支部: [7, 0],
      检修公司党支部: [9, 0],
    };
    for (const b of BRANCHES) {
      await page.goto(`/assess?plan=${planId}&unit=${units.get(b)}`);
      const drawer = page.locator('.ant-drawer-content');
      await drawer.getByLabel('评分 党建品牌与特色工作').fill(String(scores[b]![0]));
      if (scores[b]![1]) await drawer.getByLabel('评分 获上级表彰').fill(String(scores[b]![1]));
      await drawer.getByRole('button', { name: '保存评分' }).click();
      await drawer.getByText(`评分 ${scores[b]![0]}/10`).waitFor();
    }
    const admin = await e.page(1280);
    await e.login(admin, 'zuzhibu');
    await admin.goto(`/assess?plan=${planId}`);
    await admin.getByRole('button', { name: '公布结果' }).click();
    await admin
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /确\s?定|OK/ })
      .click();
    await admin.getByText('已公布（可申诉）').first().waitFor();

    // Read back: the stored totals and ranks, recomputed from the lines and from each other.
    const db = e.server.services.db;
    const rows = await queryRows<{
      name: string;
      total: string;
      rank: number;
      auto: Record<string, { ratio: number }>;
      review: Record<string, { score: number }>;
      kpi: Record<string, number>;
    }>(
      db,
      sql`select o.name, u.total::text as total, u.rank, u.auto, u.review, u.kpi from assess_unit u join org o on o.id = u.org_id where u.plan_id = ${planId}`,
    );
    const [plan] = await queryRows<{
      items: { key: string; name: string; weight: number; maxScore: number; method: string }[];
    }>(db, sql`select items from assess_plan where id = ${planId}`);
    const key = (n: string) => plan!.items.find((i) => i.name === n)!.key;
    const r2 = (x: number) => Math.round(x * 100) / 100;
    for (const r of rows) {
      const kpi = r.kpi[key('发电量完成率')]!;
      const want = r2(
        r2(30 * r.auto[key('三会一课完成率')]!.ratio) +
          r2(20 * r.auto[key('党费收缴率')]!.ratio) +
          r2((30 * r.review[key('党建品牌与特色工作')]!.score) / 10) +
          r2(20 * Math.min(1, kpi / 100)) +
          (r.review[key('获上级表彰')]?.score ?? 0),
      );
      assert.equal(Number(r.total), want, `${r.name}: total from its lines`);
      assert.equal(
        r.rank,
        1 + rows.filter((x) => Number(x.total) > Number(r.total)).length,
        `${r.name}: rank within 发电运营党总支`,
      );
      await admin
        .locator('.xf-assess-units tr', { hasText: r.name })
        .getByRole('cell', { name: `${r.rank} / 3` })
        .waitFor();
      await admin
        .locator('.xf-assess-units tr', { hasText: r.name })
        .getByRole('cell', { name: String(Number(r.total)), exact: true })
        .waitFor();
    }
    await e.shot(admin, 'assess-results-1280');
    // The breakdown of 第一发电厂党支部: the automatic figures with their basis, the evidence and the chart.
    await admin.goto(`/assess?plan=${planId}&unit=${units.get('第一发电厂党支部')}`);
    const drawer = admin.locator('.ant-drawer-content');
    await drawer
      .locator('[data-line="党费收缴率"]')
      .getByText(/已缴 \d+ 笔 \/ 应缴 \d+ 笔/)
      .waitFor();
    await drawer.getByRole('link', { name: '品牌活动.png' }).waitFor();
    await drawer.getByRole('img', { name: '各项得分图表' }).waitFor();
    const first = rows.find((r) => r.name === '第一发电厂党支部')!;
    await drawer.getByText(`发电运营党总支内第 ${first.rank} 名 / 共 3 个`).waitFor();
    await e.shot(admin, 'assess-breakdown-1280');
    // The branch's own view on the phone: its rank, no other branch.
    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto(`/assess?plan=${planId}`);
    await phone.locator('[data-unit="第一发电厂党支部"]').getByText(`发电运营党总支第 ${first.rank} / 3 名`).waitFor();
    await phone
      .locator('[data-unit="第一发电厂党支部"]')
      .getByText(`${Number(first.total)} 分`)
      .waitFor();
    assert.equal(await phone.locator('[data-unit="第二发电厂党支部"]').count(), 0, 'the branch sees only itself');
    await noOverflow(phone, 'the plan at 390px');
    await e.shot(phone, 'assess-results-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the committee above turns the lost points of an indicator into a 整改 item; the 书记 finds it in his 整改 list and on the result (1280, 390)', async () => {
    assert.ok(planId, 'the plan of the first test exists');
    const unit = (await unitIds()).get('第一发电厂党支部');
    const page = await e.page(1280);
    await e.login(page, 'dianli');
    await page.goto(`/assess?plan=${planId}&unit=${unit}`);
    const drawer = page.locator('.ant-drawer-content');
    const line = drawer.locator('[data-line="党建品牌与特色工作"]');
    await line.getByRole('button', { name: '下达整改 党建品牌与特色工作' }).click();
    const dialog = page.getByRole('dialog', { name: /下达整改/ });
    // Pre-filled from the line: 8/10 at weight 30 = 24 of 30 points.
    assert.equal(await dialog.getByLabel('问题标题').inputValue(), '党建品牌与特色工作失分整改');
    assert.match(await dialog.getByLabel('问题描述').inputValue(), /得 24 分（满分 30 分）/);
    await dialog.getByLabel('整改要求').fill('对照品牌创建方案补齐特色工作台账，形成可推广的案例。');
    const deadline = addDays(todayInChina(), 20);
    await dialog.getByLabel('整改期限').fill(deadline);
    await dialog.getByLabel('整改期限').press('Enter');
    await page.waitForFunction(() => {
      const m = document.querySelector('.ant-modal');
      return m !== null && getComputedStyle(m).opacity === '1' && getComputedStyle(m).transform === 'none';
    });
    await e.shot(page, 'assess-rectify-dialog-1280');
    await dialog.getByRole('button', { name: '下达并通知党支部' }).click();
    await line.locator('[data-rectify]').getByText('待整改').waitFor();
    assert.equal(
      await line.getByRole('button', { name: '下达整改 党建品牌与特色工作' }).count(),
      0,
      'one open item per line',
    );
    const [row] = await queryRows<{ id: string; org: string; source_ref: string; deadline: string }>(
      e.server.services.db,
      sql`select i.id, o.name as org, i.source_ref, i.deadline::text as deadline from supervise_rectification i join org o on o.id = i.org_id
          where i.source_kind = 'assessment' and i.title = '党建品牌与特色工作失分整改'`,
    );
    assert.ok(row, 'the 整改 item is in the supervise module');
    assert.equal(row.org, '第一发电厂党支部');
    assert.equal(row.deadline, deadline);
    assert.ok(row.source_ref.startsWith(`/assess?plan=${planId}&unit=${unit}&item=`), row.source_ref);
    await e.shot(page, 'assess-rectify-1280');

    // The branch's 书记 on his phone: the item is in the branch's 整改 list; its source leads back to the result.
    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto(`/supervise/rectify?item=${row.id}`);
    const item = phone.locator('.ant-drawer-content');
    await item.getByText('党建品牌与特色工作失分整改').first().waitFor();
    await item.getByRole('link', { name: '查看考核结果' }).click();
    const back = phone.locator('.ant-drawer-content [data-line="党建品牌与特色工作"] [data-rectify]');
    await back.getByText('待整改').waitFor();
    await back.scrollIntoViewIfNeeded();
    await noOverflow(phone, 'the result with its 整改 item at 390px');
    await e.shot(phone, 'assess-rectify-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the 自评 deadline shows on the phone; after it the 书记 cannot self-assess until the org above reopens it (390, 1280)', async () => {
    // The demo's open plan of 发电运营党总支 has a 自评 deadline two weeks after the seed day.
    const [demo] = await queryRows<{ plan: string; unit: string; deadline: string }>(
      e.server.services.db,
      sql`select p.id as plan, u.id as unit, p.self_deadline::text as deadline from assess_plan p join assess_unit u on u.plan_id = p.id join org o on o.id = u.org_id
          where p.status = 'open' and p.self_deadline is not null and o.name = '第一发电厂党支部' order by p.created_at limit 1`,
    );
    assert.ok(demo, 'the demo plan has a 自评 deadline');
    const realAt = Date.now();
    const clockAt = nowMs();
    try {
      const phone = await e.page(390);
      await e.login(phone, 'shuji');
      await phone.goto(`/assess?plan=${demo.plan}&unit=${demo.unit}`);
      const drawer = phone.locator('.ant-drawer-content');
      await drawer.getByText(demo.deadline).waitFor();
      await drawer.getByRole('button', { name: '提交自评' }).waitFor();
      await e.shot(phone, 'assess-deadline-390');
      // The day after the deadline: no 自评, the date named.
      setClock(addDays(demo.deadline, 1));
      await phone.reload();
      await drawer.getByText(`自评已于 ${demo.deadline} 截止`).waitFor();
      assert.equal(await drawer.getByRole('button', { name: '提交自评' }).count(), 0, 'no 自评 after the deadline');
      await noOverflow(phone, 'the closed 自评 at 390px');
      await e.shot(phone, 'assess-deadline-closed-390');
      // The org above reopens it for this branch.
      const page = await e.page(1280);
      await e.login(page, 'dianli');
      await page.goto(`/assess?plan=${demo.plan}&unit=${demo.unit}`);
      const d = page.locator('.ant-drawer-content');
      const until = addDays(demo.deadline, 4);
      await d.getByLabel('重新开放至').fill(until);
      await d.getByLabel('重新开放至').press('Enter');
      await e.shot(page, 'assess-reopen-1280');
      await d.getByRole('button', { name: '重新开放自评' }).click();
      await d.getByText(/重新开放）/).waitFor();
      assert.equal(await d.getByText(`自评已于 ${demo.deadline} 截止`).count(), 0, 'the warning is gone');
      const [row] = await queryRows<{ until: string }>(
        e.server.services.db,
        sql`select self_reopened_until::text as until from assess_unit where id = ${demo.unit}`,
      );
      assert.equal(row!.until, until);
      await phone.reload();
      await drawer.getByRole('button', { name: '提交自评' }).waitFor();
      await drawer.getByText(until).waitFor();
      assert.deepEqual(e.pageErrors, []);
    } finally {
      setClock(new Date(clockAt + (Date.now() - realAt)));
    }
  });
});
