/**
 * 困难帮扶 through the real HTTP stack on the demo enterprise: the branch 书记 opens a case for a member of the branch
 * (situation sealed at rest), logs visits with help and amounts; bad input answers in Chinese; lists carry no
 * situation text; the demo has a case with two visits. Who may see a case at all is in platform/authz.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp } from '../../testing/harness';

const SITUATION = '本人突发疾病住院，家庭收入骤减，需要组织关心帮助。';

describe('hardship cases (困难帮扶)', () => {
  let t: TestApp;
  let shuji: string;
  let branchId: string;
  let caseId: string;

  before(async () => {
    t = await startTestApp();
    shuji = await t.login('shuji');
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST', url: string, body?: unknown) => t.request({ method, url: `/api/v1${url}`, token: shuji, body });

  it('has the demo’s case of the branch with two visits, listed without its situation', async () => {
    const list = await call('GET', `/hardship/cases?orgId=${branchId}&pageSize=200`);
    assert.equal(list.status, 200, list.raw);
    const demo = list.body.items.find((c: { visits: number; amountFen: number }) => c.visits === 2 && c.amountFen === 200000);
    assert.ok(demo, list.raw);
    assert.ok(!list.raw.includes('住院'), 'no situation text in the list');
    const detail = await call('GET', `/hardship-cases/${demo.id}`);
    assert.match(detail.body.situation, /住院/);
    const visits = await call('GET', `/hardship-cases/${demo.id}/visits?pageSize=1`);
    assert.equal(visits.body.total, 2);
    assert.equal(visits.body.items.length, 1, 'visits page');
  });

  it('opens a case for a member of the branch, sealed at rest, and refuses bad input in Chinese', async () => {
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join org o on o.id = m.org_id where o.path like (select path from org where id = ${branchId}) || '%'
          and m.left_at is null and not exists (select 1 from hardship_case c where c.member_id = m.id) order by m.name, m.id limit 1`,
    );
    const [outsider] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join org o on o.id = m.org_id where o.name = '研发中心党支部' and m.left_at is null limit 1`,
    );
    const badLevel = await call('POST', '/hardship/cases', { orgId: branchId, memberId: m!.id, level: 'huge', situation: SITUATION });
    assert.equal(badLevel.status, 400);
    assert.match(badLevel.raw, /困难程度须为/);
    const short = await call('POST', '/hardship/cases', { orgId: branchId, memberId: m!.id, level: 'general', situation: '困难' });
    assert.equal(short.status, 400);
    assert.match(short.raw, /请填写困难情况/);
    const foreign = await call('POST', '/hardship/cases', { orgId: branchId, memberId: outsider!.id, level: 'general', situation: SITUATION });
    assert.equal(foreign.status, 422, foreign.raw);
    assert.match(foreign.body.error.message, /不属于所选组织/);
    const ok = await call('POST', '/hardship/cases', { orgId: branchId, memberId: m!.id, level: 'serious', situation: SITUATION });
    assert.equal(ok.status, 201, ok.raw);
    assert.equal(ok.body.situation, SITUATION);
    assert.equal(ok.body.createdBy, '张建国（书记）');
    caseId = ok.body.id;
    const [row] = await queryRows<{ situation_enc: string }>(t.services.db, sql`select situation_enc from hardship_case where id = ${caseId}`);
    assert.ok(row!.situation_enc.startsWith('v2.') && !row!.situation_enc.includes('住院'));
    const twice = await call('POST', '/hardship/cases', { orgId: branchId, memberId: m!.id, level: 'general', situation: SITUATION });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'HARDSHIP_CASE_OPEN');
    const [audit] = await queryRows<{ after: unknown }>(t.services.db, sql`select after from audit_log where action = 'hardship.case.open' and entity_id = ${caseId}`);
    assert.ok(audit && !JSON.stringify(audit.after).includes('住院'), 'the audit entry has no situation');
  });

  it('logs visits with help and amounts, never on a day after today', async () => {
    const today = todayInChina();
    const future = await call('POST', `/hardship-cases/${caseId}/visits`, { visitedOn: addDays(today, 1), visitors: '张建国', help: '慰问', amountFen: 0 });
    assert.equal(future.status, 422, future.raw);
    assert.match(future.body.error.message, /不能晚于今天/);
    const negative = await call('POST', `/hardship-cases/${caseId}/visits`, { visitedOn: today, visitors: '张建国', help: '慰问', amountFen: -1 });
    assert.equal(negative.status, 400);
    assert.match(negative.raw, /金额不能为负/);
    const v1 = await call('POST', `/hardship-cases/${caseId}/visits`, { visitedOn: addDays(today, -3), visitors: '张建国', help: '送去慰问金', amountFen: 50000, note: '病情好转，已出院。' });
    assert.equal(v1.status, 201, v1.raw);
    assert.equal(v1.body.note, '病情好转，已出院。');
    const v2 = await call('POST', `/hardship-cases/${caseId}/visits`, { visitedOn: today, visitors: '张建国、组织委员', help: '电话回访' });
    assert.equal(v2.status, 201, v2.raw);
    const detail = await call('GET', `/hardship-cases/${caseId}`);
    assert.equal(detail.body.visits, 2);
    assert.equal(detail.body.amountFen, 50000);
    assert.equal(detail.body.lastVisitOn, today);
    const visits = await call('GET', `/hardship-cases/${caseId}/visits`);
    assert.deepEqual(visits.body.items.map((v: { help: string }) => v.help), ['电话回访', '送去慰问金']);
    const [sealed] = await queryRows<{ note_enc: string }>(t.services.db, sql`select note_enc from hardship_visit where id = ${v1.body.id}`);
    assert.ok(!sealed!.note_enc.includes('出院'));
  });

  it('reviews a case: a new level, closing it (脱困) and taking it up again, kept in its record list with the reason sealed', async () => {
    const bad = await call('POST', `/hardship-cases/${caseId}/review`, { reason: '复核' });
    assert.equal(bad.status, 400, bad.raw);
    assert.match(bad.raw, /请选择新的困难程度或结案/);
    const before = (await call('GET', `/hardship-cases/${caseId}`)).body;
    const same = await call('POST', `/hardship-cases/${caseId}/review`, { level: before.level, reason: '情况没有变化' });
    assert.equal(same.status, 422, same.raw);
    assert.equal(same.body.error.code, 'HARDSHIP_NO_CHANGE');
    const up = await call('POST', `/hardship-cases/${caseId}/review`, { level: 'special', reason: '复诊发现病情加重，医疗费用增加。' });
    assert.equal(up.status, 200, up.raw);
    assert.equal(up.body.level, 'special');
    const closed = await call('POST', `/hardship-cases/${caseId}/review`, { status: 'closed', reason: '配偶康复出院，家庭收入恢复正常。' });
    assert.equal(closed.status, 200, closed.raw);
    assert.equal(closed.body.status, 'closed');
    const visits = (await call('GET', `/hardship-cases/${caseId}/visits`)).body.items as { help: string; note: string; amountFen: number }[];
    assert.equal(visits[0]!.help, '复核：结案（已脱困）');
    assert.equal(visits[0]!.note, '配偶康复出院，家庭收入恢复正常。');
    assert.match(visits[1]!.help, /困难程度由.*调整为特别困难/);
    const [audit] = await queryRows<{ before: unknown; after: unknown }>(
      t.services.db,
      sql`select before, after from audit_log where action = 'hardship.case.review' and entity_id = ${caseId} order by at desc limit 1`,
    );
    assert.ok(audit && !JSON.stringify(audit).includes('康复'), 'the audit entry has no reason');
    // Closed, a new case may be opened for the member; then the old one cannot be reopened.
    const fresh = await call('POST', '/hardship/cases', { orgId: branchId, memberId: before.memberId, level: 'general', situation: '再次因病致困，需要帮扶。' });
    assert.equal(fresh.status, 201, fresh.raw);
    const reopen = await call('POST', `/hardship-cases/${caseId}/review`, { status: 'open', reason: '重新纳入帮扶' });
    assert.equal(reopen.status, 409, reopen.raw);
    assert.equal(reopen.body.error.code, 'HARDSHIP_CASE_OPEN');
  });
});
