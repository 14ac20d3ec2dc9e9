/**
 * Issue 7 in the browser: on a 390px phone the member 陈志远 opens 我的党费, sees this month's
 * open bill with the rule it follows, pays it through the (local fake) WeChat Pay H5 cashier —
 * the server orders with a signed request, the cashier's 「确认支付」 sends the signed,
 * AES-GCM-encrypted notification — comes back to the receipt page, which waits for the
 * notification and shows the receipt with the amount; the bill is then paid. His branch's
 * secretary sees the payment, the arrears list with its levels, and downloads the ledger as
 * .xlsx on a 1280px page. Every dues page is photographed at 1280 and 390.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakePayProvider, type FakePayProvider } from '../apps/server/src/modules/dues/fake/provider';
import { CATCH_UP_RULE, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../apps/server/src/platform/db';
import { addMonths, currentMonth, generateBills, getSettings } from '../apps/server/src/modules/dues/service';
import { DOWNLOAD_WAIT, changeAdminPassword, SCREENSHOTS, startE2e, type E2e, noOverflow } from './harness';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-e2e-dues-'));

const apiGet = <T>(page: Page, url: string): Promise<T> =>
  page.evaluate(async (u) => {
    const r = await fetch(`/api/v1${u}`);
    if (!r.ok) throw new Error(`${u}: ${r.status} ${await r.text()}`);
    return r.json();
  }, url) as Promise<T>;

/** 1234 → "12.34 元", as the pages show money. */
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')} 元`;
const thisMonth = () => todayInChina().slice(0, 7);

/**
 * Waits until no antd spinner turns and no transition runs (tables loaded, tab faded in), before a screenshot.
 * Endless animations (a badge's pulse, a wave) never finish, so only those that end are waited for.
 */
async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.ant-spin-spinning, .ant-spin-blur').length === 0 &&
      document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  );
}

type Bill = { id: string; month: string; dueFen: number; status: string; paymentId: string | null };

describe('党费 in the browser', () => {
  let e: E2e;
  let fake: FakePayProvider;
  let phone: Page;
  let secretary: Page;
  let bill: Bill;
  let paymentId = '';
  const test = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      try {
        await fn();
      } catch (err) {
        const pages = e.browser.contexts().flatMap((c) => c.pages());
        for (const [i, p] of pages.entries())
          await p
            .screenshot({ path: path.join(SCREENSHOTS, `dues-failed-${i}.png`), fullPage: true })
            .catch(() => undefined);
        throw err;
      }
    });

  before(async () => {
    e = await startE2e();
    fake = await startFakePayProvider();
    // Payment settings are read at request time: point the server at the fake provider, with
    // its own address as the callback and return base.
    e.server.services.config.payment = fake.paymentConfig(e.server.url);
    phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    secretary = await e.page(1280);
    await e.login(secretary, 'shuji');
  });
  after(async () => {
    await e.close();
    await fake.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("the member sees this month's open bill, the amount and the rule on a 390px phone", async () => {
    const bills = await apiGet<{ items: Bill[] }>(phone, '/dues/me/bills?status=unpaid');
    const open = bills.items.find((b) => b.month === thisMonth());
    assert.ok(open, "the demo member's current month is unpaid");
    bill = open;
    // The 工作台 says it first.
    await phone.goto('/');
    await phone.getByText(`本月党费 ${(bill.dueFen / 100).toFixed(2)} 元待交纳`).waitFor();
    await phone.goto('/my/dues');
    await phone.getByRole('button', { name: /去缴费/ }).waitFor();
    await phone
      .getByTestId('unpaid-bill')
      .filter({ hasText: yuan(bill.dueFen) })
      .waitFor();
    await phone.getByText(/依据：.*中组发〔2008〕3号/).waitFor();
    await noOverflow(phone, '我的党费');
    await e.shot(phone, 'dues-my-390');
  });

  test('pays through the fake WeChat Pay H5 cashier and comes back to the receipt', async () => {
    await phone.getByRole('button', { name: /去缴费/ }).click();
    await phone.waitForURL('**/my/dues/pay');
    await phone.getByRole('radio', { name: /微信支付/ }).waitFor();
    assert.equal(await phone.getByTestId('pay-total').textContent(), yuan(bill.dueFen));
    // Choosing a prepayment changes the total; back to none.
    await phone.getByRole('radio', { name: '1 个月' }).click();
    assert.notEqual(await phone.getByTestId('pay-total').textContent(), yuan(bill.dueFen));
    await phone.getByRole('radio', { name: '不预交' }).click();
    await phone.getByRole('radio', { name: /支付宝/ }).click();
    await phone.getByRole('radio', { name: /微信支付/ }).click();
    assert.equal(await phone.getByRole('radio', { name: /微信支付/ }).getAttribute('aria-checked'), 'true');
    await noOverflow(phone, 'pay page');
    await e.shot(phone, 'dues-pay-390');

    await phone.getByRole('button', { name: /确认缴费/ }).click();
    await phone.waitForURL((u) => u.href.startsWith(`${fake.baseUrl}/h5pay`));
    await phone.getByText(`¥${(bill.dueFen / 100).toFixed(2)}`).waitFor();
    await e.shot(phone, 'dues-cashier-390');
    assert.deepEqual(fake.refused, [], 'the provider accepted the signed order');

    await phone.getByRole('button', { name: '确认支付' }).click();
    await phone.waitForURL(/\/dues\/receipt\/[0-9a-f-]{36}$/);
    paymentId = /\/dues\/receipt\/([0-9a-f-]{36})/.exec(phone.url())![1]!;
    const receipt = phone.getByTestId('receipt');
    await receipt.waitFor();
    assert.equal(await phone.getByTestId('receipt-amount').textContent(), yuan(bill.dueFen));
    await receipt.getByText('陈志远').waitFor();
    await receipt.getByText('微信支付').waitFor();
    await phone.getByText('缴费成功').waitFor();
    await noOverflow(phone, 'receipt');
    await e.shot(phone, 'dues-receipt-390');

    const paid = await apiGet<Bill>(phone, `/dues-bills/${bill.id}`);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.paymentId, paymentId);
    const payment = await apiGet<{ status: string; channel: string; amountFen: number }>(
      phone,
      `/dues-payments/${paymentId}`,
    );
    assert.deepEqual([payment.status, payment.channel, payment.amountFen], ['paid', 'wechat', bill.dueFen]);
  });

  test("the member's page shows everything paid, the payment with its receipt, the base and the public ledger", async () => {
    await phone.getByRole('button', { name: '返回我的党费' }).click();
    await phone.waitForURL('**/my/dues?tab=payments');
    await phone.getByText('已交清').waitFor();
    assert.equal(await phone.getByRole('button', { name: /去缴费/ }).count(), 0);
    await phone.getByTestId('payment').first().getByText('已支付').waitFor();
    await noOverflow(phone, 'payment record');
    await e.shot(phone, 'dues-my-payments-390');

    await phone.getByRole('tab', { name: '我的基数' }).click();
    await phone.getByText('申请更正基数').waitFor();
    await phone.getByLabel('正确的月基数（元）').fill('4800.00');
    await phone.getByLabel('更正原因').fill('今年起岗位调整，工资已变化');
    await phone.getByRole('button', { name: /提交更正申请/ }).click();
    await phone.getByText('您的更正申请正在等待支部处理').waitFor();
    await noOverflow(phone, 'base and correction');
    await e.shot(phone, 'dues-my-base-390');

    await phone.getByRole('tab', { name: '党费公开' }).click();
    await phone.getByText('全年收缴').waitFor();
    await phone.getByText('第一发电厂党支部').first().waitFor();
    await noOverflow(phone, 'public ledger');
    await e.shot(phone, 'dues-public-390');

    // Home: once every source of 现在要办 has answered, no dues row is left, and 我的记录 counts the payment.
    await phone.goto('/');
    await phone.locator('.xf-now-card[aria-busy="false"]').waitFor();
    assert.equal(await phone.locator('.xf-now-card a[href="/my/dues/pay"]').count(), 0, 'no dues left to pay');
    await phone
      .locator('.xf-records-card')
      .getByText(/^\d+ 笔$/)
      .waitFor();

    // 大字模式: bigger type, still one phone wide.
    await phone.goto('/my/dues');
    await phone.getByText('已交清').waitFor();
    await phone.getByRole('switch', { name: '大字模式' }).click();
    await phone.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
    await noOverflow(phone, '我的党费 in 大字模式');
    await e.shot(phone, 'dues-my-large-390');
    await phone.goto(`/dues/receipt/${paymentId}`);
    await phone.getByTestId('receipt').waitFor();
    await noOverflow(phone, 'receipt in 大字模式');
    await e.shot(phone, 'dues-receipt-large-390');
    await phone.getByRole('switch', { name: '大字模式' }).click();
  });

  test('the secretary sees the payment and the arrears, and exports the ledger as .xlsx', async () => {
    await secretary.getByRole('menuitem', { name: /党费管理/ }).click();
    await secretary.waitForURL('**/dues');
    await secretary.locator('.ant-table-row').first().waitFor();
    await e.shot(secretary, 'dues-bases-1280');

    await secretary.getByRole('tab', { name: '月度账单' }).click();
    const pane = secretary.locator('.ant-tabs-tabpane-active');
    await pane.getByText('缴费记录', { exact: true }).waitFor();
    await pane.getByPlaceholder('搜索姓名').fill('陈志远');
    await pane.getByPlaceholder('搜索姓名').press('Enter');
    const row = secretary.locator('.ant-table-row', { hasText: '陈志远' });
    await row.filter({ hasText: '已交' }).waitFor();
    await e.shot(secretary, 'dues-bills-1280');
    await pane.getByText('缴费记录', { exact: true }).click();
    const payRow = secretary.locator('.ant-table-row', { hasText: '陈志远' }).first();
    await payRow.waitFor();
    assert.match((await payRow.textContent()) ?? '', /微信支付.*已支付/);
    assert.match((await payRow.textContent()) ?? '', new RegExp((bill.dueFen / 100).toFixed(2)));
    await e.shot(secretary, 'dues-payments-1280');

    await secretary.getByRole('tab', { name: '欠缴提醒' }).click();
    await secretary.locator('.ant-table-row').first().waitFor();
    const arrears = await apiGet<{ total: number; summary: { warning: number } }>(
      secretary,
      '/dues/arrears?minMonths=1',
    );
    assert.ok(arrears.total > 0, 'the demo branch has members behind');
    assert.equal(await secretary.locator('.ant-table-row', { hasText: '陈志远' }).count(), 0, 'he has paid');
    await secretary.getByText('3 个月以上', { exact: true }).click();
    await secretary
      .getByText(/预警|严重/)
      .first()
      .waitFor();
    await e.shot(secretary, 'dues-arrears-1280');

    await secretary.getByRole('tab', { name: '减免审批' }).click();
    await secretary.locator('.ant-table-row').first().waitFor();
    await secretary.getByText('待上级党委审批').first().waitFor();
    await settled(secretary);
    await e.shot(secretary, 'dues-exemptions-1280');

    await secretary.getByRole('tab', { name: '台账与上缴' }).click();
    await secretary.getByRole('img', { name: /党费按月收缴/ }).waitFor();
    await secretary.getByTestId('recon-check').first().waitFor();
    // Money owed to the Central Committee (voluntary payments ≥ 1000 元) is shown apart from what the branch may use.
    await secretary.getByText('可用结余', { exact: true }).first().waitFor();
    await secretary.getByRole('columnheader', { name: '其中待上缴中央' }).waitFor();
    await secretary.getByRole('columnheader', { name: '其中上缴中央' }).waitFor();
    await settled(secretary);
    await e.shot(secretary, 'dues-ledger-1280');
    const [download] = await Promise.all([
      secretary.waitForEvent('download', DOWNLOAD_WAIT),
      secretary.getByRole('button', { name: /导出 Excel/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^党费台账-第一发电厂党支部-\d{4}\.xlsx$/);
    const saved = path.join(tmp, 'ledger.xlsx');
    await download.saveAs(saved);
    const bytes = fs.readFileSync(saved);
    assert.ok(bytes.length > 1000, `ledger is ${bytes.length} bytes`);
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip');

    // The member-detail tab.
    const self = await apiGet<{ id: string }>(phone, '/members/me');
    await secretary.goto(`/members/${self.id}?tab=dues`);
    await secretary.getByText('缴费记录').first().waitFor();
    await secretary.locator('.ant-table-row', { hasText: '微信支付' }).first().waitFor();
    await e.shot(secretary, 'dues-member-tab-1280');
    await secretary.goto(`/dues/receipt/${paymentId}`);
    await secretary.getByTestId('receipt').waitFor();
    await e.shot(secretary, 'dues-receipt-1280');
  });

  test('the dues pages fit a phone, and the member pages a desktop', async () => {
    const p = await e.page(390);
    await e.login(p, 'shuji');
    for (const tab of ['bases', 'bills', 'arrears', 'exemptions', 'ledger']) {
      await p.goto(`/dues${tab === 'bases' ? '' : `?tab=${tab}`}`);
      await p.locator('.ant-tabs-tabpane-active .ant-table, .ant-tabs-tabpane-active .ant-empty').first().waitFor();
      await settled(p);
      await noOverflow(p, `党费管理 ${tab}`);
      await e.shot(p, `dues-${tab}-390`);
    }
    await p.close();

    const d = await e.page(1280);
    await e.login(d, 'dangyuan');
    await d.goto('/my/dues');
    await d.getByText('已交清').waitFor();
    await e.shot(d, 'dues-my-1280');
    await d.goto('/my/dues/pay');
    await d.getByText('没有待交的党费').waitFor();
    await e.shot(d, 'dues-pay-none-1280');
    await d.goto(`/dues/receipt/${paymentId}`);
    await d.getByTestId('receipt').waitFor();
    await e.shot(d, 'dues-receipt-member-1280');
    await d.close();

    assert.deepEqual(e.pageErrors, []);
  });

  test('offline instructions: the secretary sets them in 党费管理; without online payment the member sees them from the start, with it beside the pay button (issue 28 item 7)', async () => {
    await secretary.goto('/dues?tab=offline');
    const place = secretary.getByLabel('地点');
    await place.waitFor();
    assert.equal(await place.inputValue(), '第一发电厂综合楼 305 党员活动室', 'the branch’s own (demo) instructions');
    await place.fill('第一发电厂综合楼 306 会议室');
    await secretary.getByRole('button', { name: '保存线下缴费方式' }).click();
    await secretary.getByText('已保存').waitFor();
    await secretary.getByText(/本组织的线下缴费方式（第一发电厂党支部）/).waitFor();
    await settled(secretary);
    await e.shot(secretary, 'dues-offline-1280');
    const sp = await e.page(390);
    await e.login(sp, 'shuji');
    await sp.goto('/dues?tab=offline');
    await sp.getByLabel('收缴人').waitFor();
    await settled(sp);
    await noOverflow(sp, '党费管理 线下缴费');
    await e.shot(sp, 'dues-offline-390');

    // Next month's bill, so the member has something to pay.
    const [y, m] = thisMonth().split('-').map(Number) as [number, number];
    const next = `${m === 12 ? y + 1 : y}-${String((m % 12) + 1).padStart(2, '0')}`;
    const jobId = await secretary.evaluate(async (month) => {
      const r = await fetch('/api/v1/dues/bills/generate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ month }),
      });
      if (r.status !== 202) throw new Error(`generate: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { jobId: string }).jobId;
    }, next);
    await secretary.waitForFunction(
      async (id) => ((await (await fetch(`/api/v1/jobs/${id}`)).json()) as { status: string }).status === 'done',
      jobId,
      { polling: 200 },
    );

    // Online payment not configured: no 去缴费 that leads nowhere — the branch's way to pay, at once.
    const online = e.server.services.config.payment;
    e.server.services.config.payment = { notifyBaseUrl: online.notifyBaseUrl, wechat: null, alipay: null };
    try {
      await phone.goto('/my/dues');
      await phone.getByText('请到支部线下交纳').waitFor();
      await phone.getByText('第一发电厂综合楼 306 会议室').waitFor();
      assert.equal(await phone.getByRole('button', { name: /去缴费/ }).count(), 0, 'no online pay button');
      await settled(phone);
      await noOverflow(phone, '我的党费（线下）');
      await e.shot(phone, 'dues-my-offline-390');
      await phone.goto('/my/dues/pay');
      await phone.getByText('本系统未开通在线缴纳党费，请按以下方式到支部交纳').waitFor();
      await phone.getByText('第一发电厂综合楼 306 会议室').waitFor();
      await noOverflow(phone, '缴纳党费（线下）');
      await e.shot(phone, 'dues-pay-offline-390');
      const d = await e.page(1280);
      await e.login(d, 'dangyuan');
      await d.goto('/my/dues');
      await d.getByText('请到支部线下交纳').waitFor();
      await settled(d);
      await e.shot(d, 'dues-my-offline-1280');
      await d.close();
    } finally {
      e.server.services.config.payment = online;
    }
    // Configured: the pay button, with the offline way beside it; the pay page offers only configured channels.
    e.server.services.config.payment = { ...online, alipay: null };
    try {
      await phone.goto('/my/dues');
      await phone.getByRole('button', { name: /去缴费/ }).waitFor();
      await phone.getByText('也可以线下交纳').waitFor();
      await settled(phone);
      await e.shot(phone, 'dues-my-online-offline-390');
      await phone.goto('/my/dues/pay');
      await phone.getByRole('radio', { name: /微信支付/ }).waitFor();
      assert.equal(
        await phone.getByRole('radio', { name: /支付宝/ }).count(),
        0,
        'Alipay is not configured, so not offered',
      );
      await e.shot(phone, 'dues-pay-wechat-only-390');
    } finally {
      e.server.services.config.payment = online;
    }
    assert.deepEqual(e.pageErrors, []);
  });

  test('缴费设置: the 系统管理员 sets the online 补交 limit; a member with older arrears is sent to the branch (issue 13 item 13)', async () => {
    await changeAdminPassword(e, 'Dues-Settings-2027');
    const admin = await e.page(1280);
    await e.login(admin, 'admin', 'Dues-Settings-2027');
    await admin.goto('/dues?tab=settings');
    const limit = admin.getByLabel('在线补交上限（本月之前的月数）');
    assert.equal(await limit.inputValue(), String(CATCH_UP_RULE.defaultMonths));
    await limit.fill('2');
    await admin.getByRole('button', { name: '保存党费设置' }).click();
    await admin.getByText('党费设置已保存').waitFor();
    await settled(admin);
    await e.shot(admin, 'dues-settings-1280');

    // The member gets an unpaid bill four months back (beyond 2): the pay page sends him to the branch.
    const db = e.server.services.db;
    const old = `${addMonths(currentMonth(), -4)}-01`;
    const [me] = await queryRows<{ id: string; path: string; tenant_id: string }>(
      db,
      sql`select m.id, o.path, m.tenant_id from member m join org o on o.id = m.org_id join app_user u on u.id = m.user_id where u.username = 'dangyuan'`,
    );
    const [existing] = await queryRows<{ status: string }>(
      db,
      sql`select status from dues_bill where member_id = ${me!.id} and month = ${old}::date`,
    );
    if (existing?.status === 'paid') {
      await db.execute(
        sql`delete from dues_payment_bill where bill_id in (select id from dues_bill where member_id = ${me!.id} and month = ${old}::date)`,
      );
      await db.execute(
        sql`update dues_bill set status = 'unpaid', paid_at = null where member_id = ${me!.id} and month = ${old}::date`,
      );
    } else if (!existing) {
      const settings = await getSettings(db, me!.tenant_id);
      assert.equal(await generateBills(db, me!.tenant_id, me!.path, old, settings, { memberId: me!.id }), 1);
    }
    await phone.goto('/my/dues/pay');
    await phone
      .getByTestId('catch-up-limit')
      .getByText(`${old.slice(0, 7)} 起有`)
      .waitFor();
    await phone.getByText('在线最多补交本月之前 2 个月的党费').waitFor();
    assert.equal(
      await phone.getByRole('button', { name: /确认缴费/ }).count(),
      0,
      'no online payment that the server would refuse',
    );
    await noOverflow(phone, '超过在线补交期限');
    await settled(phone);
    await e.shot(phone, 'dues-pay-catch-up-limit-390');
    await limit.fill(String(CATCH_UP_RULE.defaultMonths));
    await admin.getByRole('button', { name: '保存党费设置' }).click();
    await admin.getByText('党费设置已保存').first().waitFor();
    await admin.close();
    assert.deepEqual(e.pageErrors, []);
  });
});
