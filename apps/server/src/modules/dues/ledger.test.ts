// @fixed-days: bills by month, arrears of 1, 3 and 6 months (tools/test.mjs runs this file under each fixed clock).
/**
 * Bases, the monthly bill run, exemptions, arrears and the ledger through the API: idempotent
 * generation, scope between branches, bad input in Chinese 4xx, and totals that reconcile.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { queryRows } from '../../platform/db';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { addMonths, currentMonth } from './service';
import { now, todayInChina } from '@xianfeng/shared';
import { member as memberTable } from '../member/schema';

describe('dues bases, bills, arrears and ledger', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let admin: string;
  let secretary: string;
  let member: string;
  let plant: string;
  let lab: string;
  const count = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(t.services.db, q))[0]!.n;

  before(async () => {
    t = await startTestApp();
    [admin, secretary, member] = await signIn(t, 'admin', 'shuji', 'dangyuan');
    plant = await t.orgId('第一发电厂党支部');
    lab = await t.orgId('研发中心党支部');
  });
  after(() => t.close());

  it('answers the DESIGN.md quote contract exactly, and rejects unknown categories and negative or absurd bases in Chinese', async () => {
    const q = await post('/dues/quote', member, { category: 'employed', monthlyBaseFen: 300_001 });
    assert.equal(q.status, 200);
    assert.equal(q.body.rate, 0.01);
    assert.equal(q.body.monthlyFen, 3000);
    assert.match(q.body.ruleCitation, /党费收缴、使用和管理的规定/);
    for (const body of [
      { category: 'soldier', monthlyBaseFen: 1 },
      { category: 'employed', monthlyBaseFen: -1 },
      { category: 'employed', monthlyBaseFen: 100_000_001 },
      { category: 'employed', monthlyBaseFen: 12.5 },
    ]) {
      const r = await post('/dues/quote', member, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
    }
  });

  it('generates a month’s bills for every member in scope in one run, and running it twice creates nothing twice', async () => {
    const month = addMonths(currentMonth(), 1);
    const run = async () => {
      const r = await post('/dues/bills/generate', admin, { month });
      assert.equal(r.status, 202);
      await t.services.jobs.drain();
      return (await get(`/jobs/${r.body.jobId}`, admin)).body.result;
    };
    const first = await run();
    const active = await count(
      // On the roll: not left, and not 停止党籍 (the demo has one; no dues while the 党籍 is stopped, member/lost.ts).
      sql`select count(*)::int as n from member where left_at is null and suspended_on is null and joined_at < ${`${month}-01`}::date + interval '1 month'`,
    );
    assert.ok(first.created > 0);
    assert.equal(first.created + first.missingBase, active);
    const second = await run();
    assert.equal(second.created, 0);
    assert.equal(
      await count(sql`select count(*)::int as n from dues_bill where month = ${`${month}-01`}::date`),
      first.created,
    );
  });

  it('keeps a base history per member, re-prices unpaid bills from the new base’s month, and shows the member their own', async () => {
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m where m.org_id = ${plant} and m.dues_category = 'employed' and m.user_id is null limit 1`,
    );
    const from = addMonths(currentMonth(), 1);
    const r = await post(`/members/${m!.id}/dues-bases`, secretary, { monthlyBaseFen: 500_001, effectiveFrom: from });
    assert.equal(r.status, 201, r.raw);
    assert.equal(r.body.monthlyFen, 7500);
    const history = await get(`/members/${m!.id}/dues-bases`, secretary);
    assert.equal(history.body.total, 2);
    const [bill] = await queryRows<{ due_fen: string }>(
      t.services.db,
      sql`select due_fen from dues_bill where member_id = ${m!.id} and month = ${`${from}-01`}::date`,
    );
    assert.equal(Number(bill!.due_fen), 7500);
    for (const bad of [
      { monthlyBaseFen: -100, effectiveFrom: from },
      { monthlyBaseFen: 1e12, effectiveFrom: from },
      { monthlyBaseFen: 100, effectiveFrom: '2026-13' },
      { monthlyBaseFen: 100, effectiveFrom: from, category: 'nobody' },
    ]) {
      const x = await post(`/members/${m!.id}/dues-bases`, secretary, bad);
      assert.equal(x.status, 400, JSON.stringify(bad));
    }
    const me = await get('/dues/me', member);
    assert.equal(me.status, 200);
    assert.ok(me.body.base.monthlyFen > 0);
    const corr = await post('/dues/me/corrections', member, { proposedBaseFen: 420_000, reason: '今年工资调整' });
    assert.equal(corr.status, 201);
    assert.equal(
      (await post('/dues/me/corrections', member, { proposedBaseFen: 420_000, reason: '再次申请' })).status,
      409,
    );
    const decided = await post(`/dues-corrections/${corr.body.id}/decision`, secretary, {
      approve: true,
      note: '已核对工资条',
    });
    assert.equal(decided.status, 200);
    assert.equal((await get('/dues/me', member)).body.base.monthlyBaseFen, 420_000);
  });

  it('keeps a branch secretary inside the branch: another branch’s member, bill or ledger is out of reach', async () => {
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${lab} limit 1`,
    );
    assert.equal(
      (await post(`/members/${m!.id}/dues-bases`, secretary, { monthlyBaseFen: 1, effectiveFrom: currentMonth() }))
        .status,
      404,
    );
    assert.equal((await get(`/dues/bills?orgId=${lab}`, secretary)).status, 403);
    assert.equal((await get(`/dues/ledger?orgId=${lab}`, secretary)).status, 403);
    const own = await get('/dues/bills?pageSize=200', secretary);
    assert.ok(
      own.body.items.every(
        (b: { orgName: string }) => b.orgName.startsWith('第一发电厂党支部') || b.orgName.includes('党小组'),
      ),
    );
    assert.equal((await get('/dues/bills', member)).status, 403, 'members use /dues/me/bills');
  });

  it('imports payroll bases all-or-nothing, naming the row and column of each error', async () => {
    const [m] = await queryRows<{ id: string; name: string; id_card_enc: string }>(
      t.services.db,
      sql`select id, name, id_card_enc from member where org_id = ${plant} and user_id is null order by name limit 1`,
    );
    const idCard = t.services.fieldCrypto.decrypt(m!.id_card_enc, memberTable.idCardEnc, m!.id);
    const sheet = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('党费基数');
      ws.addRow(['姓名', '身份证号', '月核定基数（元）', '生效月份', '党费类别']);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const bad = await sheet([
      [m!.name, idCard, '6500.00', currentMonth(), '在职'],
      [m!.name, idCard, '-3000', currentMonth(), '在职'],
      ['某某', '110101199001011234', '5000', '2026-13', '军人'],
    ]);
    const r = await t.request({
      method: 'POST',
      url: '/api/v1/dues/bases/import',
      token: secretary,
      ...multipartFile(bad),
    });
    assert.equal(r.status, 422);
    const fields = r.body.error.details.map((d: { row: number; field: string }) => `${d.row}:${d.field}`);
    assert.ok(fields.includes('3:月核定基数（元）'));
    assert.ok(fields.includes('4:身份证号'));
    assert.ok(fields.includes('4:生效月份'));
    assert.ok(fields.includes('4:党费类别'));
    assert.equal(
      await count(
        sql`select count(*)::int as n from dues_base where member_id = ${m!.id} and monthly_base_fen = 650000`,
      ),
      0,
      'nothing written',
    );
    const good = await t.request({
      method: 'POST',
      url: '/api/v1/dues/bases/import',
      token: secretary,
      ...multipartFile(await sheet([[m!.name, idCard, '6,500.00', currentMonth(), '在职']])),
    });
    assert.equal(good.status, 200, good.raw);
    assert.equal(good.body.imported, 1);
  });

  it('lets only the committee above approve a hardship exemption, which zeroes the months at once', async () => {
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select b.member_id as id from dues_bill b where b.org_id = ${plant} and b.status = 'unpaid' and b.month = ${`${currentMonth()}-01`}::date
        and not exists (select 1 from dues_exemption e where e.member_id = b.member_id) limit 1`,
    );
    const req = await post(`/members/${m!.id}/dues-exemptions`, secretary, {
      fromMonth: currentMonth(),
      toMonth: currentMonth(),
      reducedFen: 0,
      reason: '重病住院，生活困难',
    });
    assert.equal(req.status, 201, req.raw);
    const self = await post(`/dues-exemptions/${req.body.id}/decision`, secretary, { approve: true });
    assert.equal(self.status, 403);
    const dianli = await t.login('dianli');
    const ok = await post(`/dues-exemptions/${req.body.id}/decision`, dianli, { approve: true, note: '同意' });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.billsChanged, 1);
    const [b] = await queryRows<{ status: string; due_fen: string }>(
      t.services.db,
      sql`select status, due_fen from dues_bill where member_id = ${m!.id} and month = ${`${currentMonth()}-01`}::date`,
    );
    assert.deepEqual([b!.status, Number(b!.due_fen)], ['exempt', 0]);
  });

  it("leaves a dues exemption to the 上一级党委 (党费规定第七条): not the secretary of a 党小组 member's own branch, not a 党总支", async () => {
    // File one of the branch's members in its first party group.
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`update member set org_id = (select id from org where parent_id = ${plant} and kind = 'group' order by path limit 1)
        where id = (select m.id from member m where m.org_id = ${plant} and m.left_at is null
          and not exists (select 1 from dues_exemption e where e.member_id = m.id) order by m.id limit 1) returning id`,
    );
    assert.ok(m, 'a member filed in a party group of the branch');
    const req = await post(`/members/${m.id}/dues-exemptions`, admin, {
      fromMonth: currentMonth(),
      toMonth: currentMonth(),
      reducedFen: 0,
      reason: '家庭变故，生活困难',
    });
    assert.equal(req.status, 201, req.raw);
    const decide = (token: string) =>
      post(`/dues-exemptions/${req.body.id}/decision`, token, { approve: true, note: '同意' });
    assert.equal((await decide(secretary)).status, 403, 'the branch secretary studies it, but does not approve');
    const general = await t.orgId('发电运营党总支');
    const u = await post('/users', admin, {
      username: 'zongzhi_jianmian',
      password: 'Zongzhi-Pass-123',
      roles: [{ role: 'org_admin', orgId: general }],
    });
    assert.equal(u.status, 201, u.raw);
    const first = await t.login('zongzhi_jianmian', 'Zongzhi-Pass-123');
    const changed = await post('/auth/password', first, {
      oldPassword: 'Zongzhi-Pass-123',
      newPassword: 'Zongzhi-Pass-456',
    });
    assert.equal(changed.status, 204, changed.raw);
    const zongzhi = await t.login('zongzhi_jianmian', 'Zongzhi-Pass-456');
    const refused = await decide(zongzhi);
    assert.equal(refused.status, 403, 'a 党总支 is not a 党委');
    assert.equal(refused.body.error.code, 'NEEDS_HIGHER_APPROVAL');
    assert.equal((await decide(await t.login('dianli'))).status, 200);
  });

  it('lists arrears of 1, 3 and 6 months with a warning from three and the 党章 Art. 9 level at six, and reminds the members', async () => {
    const all = await get('/dues/arrears?pageSize=200', admin);
    assert.equal(all.status, 200);
    assert.ok(all.body.total > 0);
    const three = await get('/dues/arrears?minMonths=3&pageSize=200', admin);
    const six = await get('/dues/arrears?minMonths=6&pageSize=200', admin);
    assert.ok(all.body.total >= three.body.total && three.body.total >= six.body.total);
    assert.ok(three.body.items.every((i: { level: string }) => i.level === 'warning' || i.level === 'critical'));
    assert.ok(
      six.body.items.some(
        (i: { level: string; message: string }) => i.level === 'critical' && /第九条/.test(i.message),
      ),
    );
    // The list adds up: its owed total is the sum of unpaid bills before this month.
    const unpaid = await queryRows<{ s: string }>(
      t.services.db,
      sql`select coalesce(sum(b.due_fen), 0) as s from dues_bill b join member m on m.id = b.member_id
          where b.status = 'unpaid' and b.month < ${`${currentMonth()}-01`}::date and m.left_at is null`,
    );
    assert.equal(all.body.owedFen, Number(unpaid[0]!.s));
    assert.equal(
      all.body.items.reduce((s: number, i: { owedFen: number }) => s + i.owedFen, 0),
      all.body.owedFen,
    );
    const reminded = await post('/dues/arrears/reminders', secretary, { minMonths: 1 });
    assert.equal(reminded.status, 200);
    const again = await post('/dues/arrears/reminders', secretary, { minMonths: 1 });
    assert.equal(again.body.reminded, 0, 'at most one reminder a day');
    const todo = await get('/dues/todo', secretary);
    assert.ok(todo.body.items.length > 0);
  });

  it('drops a member who has left from the arrears list and its counts; the bills stay in the ledger', async () => {
    const before = await get('/dues/arrears?pageSize=200', secretary);
    // Not a demo account's own record (their sessions are used by the tests after this one).
    const gone = (before.body.items as { memberId: string; memberName: string; owedFen: number }[]).find(
      (i) => !['陈志远', '张建国', '刘芳'].includes(i.memberName),
    )!;
    assert.ok(gone, 'someone in arrears in the branch');
    const exit = await post(`/members/${gone.memberId}/exit`, secretary, {
      reason: 'death',
      date: todayInChina(),
      note: '',
    });
    assert.equal(exit.status, 200, exit.raw);
    const after = await get('/dues/arrears?pageSize=200', secretary);
    assert.ok(!after.body.items.some((i: { memberId: string }) => i.memberId === gone.memberId));
    assert.equal(after.body.total, before.body.total - 1);
    assert.equal(after.body.owedFen, before.body.owedFen - gone.owedFen);
    const [kept] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from dues_bill where member_id = ${gone.memberId} and status = 'unpaid'`,
    );
    assert.ok(kept!.n > 0, 'the unpaid bills are not deleted');
  });

  it('shows a member the branch’s reminders without marking them read; only the POST that says “seen” does (security finding 14.14)', async () => {
    await queryRows(
      t.services.db,
      sql`insert into dues_reminder (tenant_id, org_id, member_id, sent_on, unpaid_months, owed_fen, level, sent_by)
          select m.tenant_id, m.org_id, m.id, '2001-01-01', 2, 200, 'notice', 'probe'
          from member m join app_user u on u.id = m.user_id where u.username = 'dangyuan'
          on conflict do nothing`,
    );
    const unread = async () =>
      (
        await queryRows<{ n: number }>(
          t.services.db,
          sql`select count(*)::int as n from dues_reminder r join member m on m.id = r.member_id join app_user u on u.id = m.user_id
              where u.username = 'dangyuan' and r.read_at is null`,
        )
      )[0]!.n;
    for (let i = 0; i < 2; i++) {
      const me = await get('/dues/me', member);
      assert.equal(me.status, 200, me.raw);
      assert.ok(me.body.reminders.some((r: { sentOn: string; read: boolean }) => r.sentOn === '2001-01-01' && !r.read));
    }
    assert.ok((await unread()) > 0, 'reading /dues/me marks nothing');
    const marked = await t.request({ method: 'POST', url: '/api/v1/dues/me/reminders/read', token: member });
    assert.equal(marked.status, 200, marked.raw);
    assert.ok(marked.body.marked > 0);
    assert.equal(await unread(), 0);
    const me = await get('/dues/me', member);
    assert.ok(me.body.reminders.every((r: { read: boolean }) => r.read));
  });

  it('reconciles: bills, payments, remittances and usage add up per org and in total, and the ledger agrees', async () => {
    const usage = await post('/dues/usages', secretary, {
      orgId: plant,
      spentOn: now().toISOString().slice(0, 10),
      amountFen: 12_345,
      purpose: '购买学习书籍',
    });
    assert.equal(usage.status, 201);
    assert.equal(
      (await post(`/dues-usages/${usage.body.id}/decision`, secretary, { approve: true })).status,
      403,
      'not one’s own',
    );
    assert.equal((await post(`/dues-usages/${usage.body.id}/decision`, admin, { approve: true })).status, 200);
    const remit = await post('/dues/remittances', secretary, {
      orgId: plant,
      periodMonth: currentMonth(),
      amountFen: 10_000,
      remittedOn: now().toISOString().slice(0, 10),
    });
    assert.equal(remit.status, 201);
    assert.equal(
      (
        await post('/dues/remittances', secretary, {
          orgId: plant,
          periodMonth: currentMonth(),
          amountFen: -5,
          remittedOn: '2026-01-01',
        })
      ).status,
      400,
    );

    const from = addMonths(currentMonth(), -11);
    const to = addMonths(currentMonth(), 1);
    const rec = await get(`/dues/reconciliation?from=${from}&to=${to}&pageSize=200`, admin);
    assert.equal(rec.status, 200, rec.raw);
    assert.deepEqual(
      rec.body.checks.filter((c: { ok: boolean }) => !c.ok),
      [],
    );
    for (const k of ['billedFen', 'collectedFen', 'usedFen', 'remittedOutFen', 'netFen'])
      assert.equal(
        rec.body.totals[k],
        rec.body.items.reduce((s: number, r: Record<string, number>) => s + r[k]!, 0),
        k,
      );
    assert.ok(rec.body.totals.collectedFen > 0);
    const paidBills = await queryRows<{ s: string }>(
      t.services.db,
      sql`select sum(due_fen) as s from dues_bill where status = 'paid' and month between ${`${from}-01`}::date and ${`${to}-01`}::date`,
    );
    assert.equal(rec.body.totals.paidBillsFen, Number(paidBills[0]!.s));

    // The year's ledger of the whole tenant agrees with the reconciliation for the same months.
    const year = Number(currentMonth().slice(0, 4));
    const ledger = await get(`/dues/ledger?year=${year}`, admin);
    const yearRec = await get(`/dues/reconciliation?from=${year}-01&to=${year}-12`, admin);
    assert.equal(ledger.body.totals.collectedFen, yearRec.body.totals.collectedFen);
    assert.equal(ledger.body.totals.billedFen, yearRec.body.totals.billedFen);
    assert.equal(ledger.body.totals.usedFen, yearRec.body.totals.usedFen);
    assert.equal(ledger.body.items.at(-1).balanceFen, ledger.body.openingFen + ledger.body.totals.netFen);

    // Members see their branch's public ledger, with the approved usage and without anyone's bills.
    const pub = await get(`/dues/public-ledger?year=${year}`, member);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.org.name, '第一发电厂党支部');
    assert.ok(pub.body.usages.some((u: { purpose: string }) => u.purpose === '购买学习书籍'));
    assert.ok(!JSON.stringify(pub.body).includes('memberName'));
    // A member filed in a 党小组 sees the branch's ledger: a party group keeps no dues accounts of its own.
    const [moved] = await queryRows<{ id: string; old: string }>(
      t.services.db,
      sql`update member m set org_id = (select id from org where parent_id = ${plant} and kind = 'group' order by path limit 1)
        from member o where o.id = m.id and m.user_id = (select id from app_user where username = 'dangyuan')
        returning m.id, o.org_id as old`,
    );
    assert.ok(moved, 'the demo member is filed in a party group');
    const inGroup = await get(`/dues/public-ledger?year=${year}`, member);
    await t.services.db.execute(sql`update member set org_id = ${moved.old} where id = ${moved.id}`);
    assert.equal(inGroup.status, 200, inGroup.raw);
    assert.equal(inGroup.body.org.name, '第一发电厂党支部');

    const xlsx = await t.app.inject({
      method: 'GET',
      url: `/api/v1/dues/export?orgId=${plant}&year=${year}`,
      headers: { authorization: `Bearer ${secretary}` },
    });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['月度台账', '党费账单', '缴费记录', '上缴记录', '党费使用', '对账'],
    );
  });
  // 《关于中国共产党党费收缴、使用和管理的规定》“一、党费的收缴”：自愿一次多交纳1000元以上的党费，全部上缴中央 (issue 13 item 10).
  it('keeps a voluntary payment of 1000 元 or more out of the usable balance as owed to the Central Committee, and sends it up first with the next remittance', async () => {
    const unpaid = await queryRows<{ id: string }>(
      t.services.db,
      sql`select b.id from dues_bill b where b.org_id = ${plant} and b.status = 'unpaid' order by b.month, b.id limit 2`,
    );
    assert.equal(unpaid.length, 2, 'the demo branch has unpaid bills');
    const paidOn = now().toISOString().slice(0, 10);
    const pay = (id: string, extraFen: number) =>
      post(`/dues-bills/${id}/offline-payment`, secretary, { method: 'cash', paidOn, catchUp: false, extraFen });
    const year = Number(currentMonth().slice(0, 4));
    const read = async () => (await get(`/dues/ledger?orgId=${plant}&year=${year}`, secretary)).body;
    const before = await read();
    assert.equal((await pay(unpaid[0]!.id, 99_999)).status, 201, '999.99 元 extra: the branch’s own');
    assert.equal((await pay(unpaid[1]!.id, 100_000)).status, 201, '1000 元 extra: the Central Committee’s');
    const l = await read();
    assert.equal(l.totals.centralFen - before.totals.centralFen, 100_000, 'only the payment of 1000 元 counts');
    assert.equal(l.totals.closingCentralHeldFen - before.totals.closingCentralHeldFen, 100_000);
    assert.equal(
      l.totals.closingUsableFen,
      l.totals.closingFen - l.totals.closingCentralHeldFen,
      'usable = balance less what is owed upward',
    );
    assert.match(l.centralRule, /1000元以上的党费，全部上缴中央/);
    const month = l.items.find((i: { month: string }) => i.month === currentMonth());
    assert.ok(month.centralFen >= 100_000 && month.usableFen === month.balanceFen - month.centralHeldFen);

    const held = l.totals.closingCentralHeldFen;
    const remit = await post('/dues/remittances', secretary, {
      orgId: plant,
      periodMonth: currentMonth(),
      amountFen: held + 5_000,
      remittedOn: paidOn,
    });
    assert.equal(remit.status, 201, remit.raw);
    assert.equal(remit.body.centralFen, held, 'the money owed to the Central Committee goes up first');
    const after = await read();
    assert.equal(after.totals.closingCentralHeldFen, 0);
    assert.equal(after.totals.closingUsableFen, after.totals.closingFen);
    const list = await get(`/dues/remittances?orgId=${plant}&year=${year}`, secretary);
    assert.equal(list.body.items.find((r: { id: string }) => r.id === remit.body.id).centralFen, held);
  });
});
