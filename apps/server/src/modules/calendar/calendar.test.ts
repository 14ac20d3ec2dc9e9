// @fixed-days: which years have holiday data (tools/test.mjs runs this file under each fixed clock).
/**
 * 节假日安排 through the API: a 系统管理员 at the top org enters a year from the State Council's notice, the
 * 发展党员 公示 periods are counted on it at once, and removing it falls back; everyone else is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_HOLIDAY_YEARS, estimatedYears, estimateWarning, BUILTIN_CALENDAR } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

describe('节假日安排 API', () => {
  let t: TestApp;
  const { get, put, del } = api(() => t);
  let admin: string;
  let shuji: string;

  before(async () => {
    t = await startTestApp();
    [admin, shuji] = await Promise.all([adminToken(t), t.login('shuji')]);
  });
  after(() => t.close());

  /** The demo's 郑丽 has recorded the 发展 公示 (step 12). */
  async function notice() {
    const list = await get('/develop/persons?q=郑丽&includeClosed=true', shuji);
    assert.equal(list.status, 200, list.raw);
    const p = await get(`/develop/persons/${list.body.items[0].id}`, shuji);
    assert.equal(p.status, 200, p.raw);
    const n = p.body.notices.find((x: { step: number }) => x.step === 12);
    assert.ok(n, 'the demo person has a recorded 公示');
    return n as { from: string; to: string; warning: string | null };
  }

  it('counts the 公示 on a year an administrator entered, audits it, and falls back when it is removed', async () => {
    const before = await notice();
    // On the built-in calendar, a period reaching a year without a notice says so.
    assert.equal(before.warning, estimateWarning(estimatedYears(before.from, before.to, BUILTIN_CALENDAR)));
    // The notice's last day made a holiday: the period must end later.
    const year = Number(before.to.slice(0, 4));
    const builtin = BUILTIN_HOLIDAY_YEARS.find((y) => y.year === year);
    const saved = await put(`/calendar/years/${year}`, admin, {
      holidays: [...(builtin?.holidays ?? []), before.to],
      workdays: builtin?.workdays ?? [],
      source: `国务院办公厅关于${year}年部分节假日安排的通知（测试）`,
    });
    assert.equal(saved.status, 200, saved.raw);
    assert.equal(saved.body.origin, 'stored');
    const moved = await notice();
    assert.equal(moved.from, before.from);
    assert.ok(moved.to > before.to, `${moved.to} after ${before.to}`);
    const listed = await get('/calendar/years?pageSize=100', shuji);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.items.find((y: { year: number }) => y.year === year).origin, 'stored');
    const [audit] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where action = 'calendar.year.put' and entity_id = ${String(year)}`,
    );
    assert.equal(audit!.n, 1);

    assert.equal((await del(`/calendar/years/${year}`, admin)).status, 204);
    assert.deepEqual(await notice(), before);
    assert.equal((await del(`/calendar/years/${year}`, admin)).status, 404);
  });

  it('refuses bad years and dates with Chinese messages, and writes nothing', async () => {
    const source = '国务院办公厅通知';
    const cases: [string, unknown, RegExp][] = [
      ['/calendar/years/1999', { holidays: ['1999-01-01'], source }, /年份须在 2020–2100 之间/],
      ['/calendar/years/abc', { holidays: ['2027-01-01'], source }, /年份须为数字/],
      ['/calendar/years/2027', { holidays: ['2028-01-01'], source }, /日期须在 2027 年内/],
      ['/calendar/years/2027', { holidays: ['2027-02-30'], source }, /YYYY-MM-DD/],
      ['/calendar/years/2027', { holidays: [], source }, /请至少填写一个放假日/],
      ['/calendar/years/2027', { holidays: ['2027-01-01'], workdays: ['2027-01-01'], source }, /既是放假日又是上班日/],
      ['/calendar/years/2027', { holidays: ['2027-01-01'], source: '' }, /请填写来源/],
    ];
    for (const [url, body, message] of cases) {
      const r = await put(url, admin, body);
      assert.ok(r.status === 400 || r.status === 422, `${url} ${JSON.stringify(body)}: ${r.status}`);
      assert.match(r.raw, message);
    }
    const listed = await get('/calendar/years?pageSize=100', admin);
    assert.ok(listed.body.items.every((y: { origin: string }) => y.origin === 'builtin'));
  });

  it('lets only the 系统管理员 keep the calendar; everyone reads it', async () => {
    const body = { holidays: ['2027-01-01'], source: '国务院办公厅通知' };
    assert.equal((await put('/calendar/years/2027', shuji, body)).status, 403);
    assert.equal((await del('/calendar/years/2027', shuji)).status, 403);
    // The org department keeps orgs and people, not the enterprise's calendar.
    assert.equal((await put('/calendar/years/2027', await t.login('dianli'), body)).status, 403);
    const member = await t.login('dangyuan');
    assert.equal((await put('/calendar/years/2027', member, body)).status, 403);
    const read = await get('/calendar/years', member);
    assert.equal(read.status, 200);
    assert.ok(read.body.items.some((y: { year: number }) => y.year === 2026));
  });
});
