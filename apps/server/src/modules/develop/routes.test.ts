// @fixed-days: the waiting periods between the steps of 发展党员 (tools/test.mjs runs this file under each fixed clock).
/** 发展党员 over HTTP: order, scope, bad input, overrides, admission and conversion, board, documents, files. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, addMonths, addYears, idCardCheckChar, todayInChina, type StepDetails } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { multipartFile, startTestApp, type TestApp, api } from '../../testing/harness';

const TODAY = todayInChina();
/** Day offsets of steps 1…25 from the application, each within every time rule. */
const OFFSETS = [
  0, 14, 60, 70, 72, 432, 433, 440, 442, 460, 470, 480, 495, 500, 520, 530, 550, 555, 556, 560, 700, 876, 896, 910, 915,
];

let seq = 0;
function idCard(birth: string, male = true) {
  seq += 1;
  const first17 = `110105${birth.replace(/-/g, '')}${String(100 + seq * 2 + (male ? 1 : 0)).slice(-3)}`;
  return first17 + idCardCheckChar(first17);
}

describe('发展党员 API', () => {
  let t: TestApp;
  let shuji: string;
  let shuji2: string;
  let dianli: string;
  let branch: string;
  let foreignBranch: string;
  let fullMembers: { id: string; name: string }[];
  let probationaryId: string;

  const { get, post, put } = api(() => t);
  const apply = (token: string, over: Record<string, unknown> = {}) =>
    post('/develop/persons', token, {
      orgId: branch,
      name: '测试申请人',
      idCardNo: idCard('1996-03-15'),
      phone: '13900001111',
      appliedAt: addDays(TODAY, -1000),
      ...over,
    });
  const details = (n: number, entitled: number): StepDetails => {
    if (n === 5) return { contactIds: [fullMembers[0]!.id] };
    if (n === 9) return { sponsorIds: [fullMembers[0]!.id, fullMembers[1]!.id] };
    if (n === 10) return { reviewConclusion: '合格' };
    if (n === 11) return { trainingDays: 3 };
    if (n === 12 || n === 22) return {};
    if (n === 15 || n === 23)
      return { vote: { entitled, present: entitled, written: 0, for: entitled, against: 0, abstain: 0 } };
    return {};
  };
  /** Takes a person from its last step to `to`, on the standard timeline from its application date. */
  async function walk(token: string, id: string, applied: string, from: number, to: number) {
    const entitled = Math.min(fullMembers.length, 9);
    let last;
    for (let n = from; n <= to; n++) {
      const date = addDays(applied, OFFSETS[n - 1]!);
      if (n === 6)
        for (const off of [230, 400]) {
          const r = await post(`/develop/persons/${id}/assessments`, token, {
            on: addDays(applied, off),
            assessor: '组织委员',
            summary: '表现良好',
          });
          assert.equal(r.status, 200, r.raw);
        }
      const d = details(n, entitled);
      if (n === 12 || n === 22) d.noticeFrom = date;
      last = await post(`/develop/persons/${id}/steps`, token, { step: n, date, responsible: '党支部', details: d });
      assert.equal(last.status, 200, `step ${n}: ${last.raw}`);
    }
    return last!;
  }

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, dianli] = await Promise.all([t.login('shuji'), t.login('shuji2'), t.login('dianli')]);
    branch = await t.orgId('第一发电厂党支部');
    foreignBranch = await t.orgId('研发中心党支部');
    const members = await get(`/members?orgId=${branch}&status=full&pageSize=50`, shuji);
    fullMembers = members.body.items;
    const list = await get(`/develop/persons?orgId=${branch}&status=probationary`, shuji);
    probationaryId = list.body.items[0].memberId;
    assert.ok(fullMembers.length >= 3 && probationaryId);
  });
  after(() => t.close());

  it('registers an applicant with step 1 recorded and the numbers masked', async () => {
    const r = await apply(shuji, { name: '王小明' });
    assert.equal(r.status, 201, r.raw);
    assert.equal(r.body.status, 'applicant');
    assert.equal(r.body.lastStep, 1);
    assert.equal(r.body.steps[0].name, '递交入党申请书');
    assert.match(r.body.idCardNo, /^110\*+\d{3}[\dX]$/);
    assert.match(r.body.phone, /^139\*{4}1111$/);
    assert.equal(r.body.gender, 'male');
    assert.equal(r.body.birthDate, '1996-03-15');
  });

  it('rejects an applicant one day short of 18, naming the rule', async () => {
    const birth = addDays(TODAY, 1).replace(/^(\d{4})/, (y) => String(Number(y) - 18));
    const r = await apply(shuji, { idCardNo: idCard(birth), appliedAt: TODAY });
    assert.equal(r.status, 422, r.raw);
    assert.match(r.body.error.message, /年满 18 岁.*第五条/);
  });

  it('rejects an invalid ID number, a duplicate and a person who is already a member', async () => {
    const bad = await apply(shuji, { idCardNo: '110105199603151234' });
    assert.equal(bad.status, 422);
    assert.match(bad.body.error.message, /身份证号/);
    const id = idCard('1990-01-01');
    assert.equal((await apply(shuji, { idCardNo: id })).status, 201);
    const dup = await apply(shuji, { idCardNo: id });
    assert.equal(dup.status, 409);
    assert.match(dup.body.error.message, /已有正在进行的发展记录/);
  });

  it('keeps secretaries to their own branch: 403 for another org, 404 for its records', async () => {
    const r = await apply(shuji, { orgId: foreignBranch });
    assert.equal(r.status, 403);
    const mine = await apply(shuji, { name: '甲' });
    assert.equal((await get(`/develop/persons/${mine.body.id}`, shuji2)).status, 404);
    assert.equal(
      (await post(`/develop/persons/${mine.body.id}/steps`, shuji2, { step: 2, date: TODAY, responsible: 'x' })).status,
      404,
    );
    const list = await get('/develop/persons', shuji2);
    assert.ok(list.body.items.every((p: { orgName: string }) => p.orgName === '研发中心党支部'));
  });

  it('rejects out-of-order steps, future dates and dates before the previous step', async () => {
    const applied = addDays(TODAY, -100);
    const p = (await apply(shuji, { appliedAt: applied })).body;
    const skip = await post(`/develop/persons/${p.id}/steps`, shuji, { step: 3, date: TODAY, responsible: '支委会' });
    assert.equal(skip.status, 422);
    assert.match(skip.body.error.message, /须先完成第 2 步「党组织派人谈话」/);
    const future = await post(`/develop/persons/${p.id}/steps`, shuji, {
      step: 2,
      date: addDays(TODAY, 1),
      responsible: '党支部',
    });
    assert.equal(future.status, 422);
    assert.match(future.body.error.message, /晚于今天/);
    const early = await post(`/develop/persons/${p.id}/steps`, shuji, {
      step: 2,
      date: addDays(applied, -1),
      responsible: '党支部',
    });
    assert.equal(early.status, 422);
    assert.match(early.body.error.message, /早于上一步「递交入党申请书」/);
    const malformed = await post(`/develop/persons/${p.id}/steps`, shuji, {
      step: 2,
      date: '2026-02-30x',
      responsible: '党支部',
    });
    assert.equal(malformed.status, 400);
  });

  it('blocks a late talk for a secretary; an org admin overrides it with a reason, audited', async () => {
    const applied = addDays(TODAY, -60);
    const p = (await apply(shuji, { appliedAt: applied })).body;
    const body = { step: 2, date: addDays(TODAY, -5), responsible: '党支部' };
    const late = await post(`/develop/persons/${p.id}/steps`, shuji, body);
    assert.equal(late.status, 422);
    assert.equal(late.body.error.code, 'DEVELOP_RULE_OVERRIDABLE');
    assert.match(late.body.error.message, /一个月内.*第七条/);
    const bySecretary = await post(`/develop/persons/${p.id}/steps`, shuji, {
      ...body,
      override: { reason: '申请人长期外派，无法按时谈话' },
    });
    assert.equal(bySecretary.status, 403);
    const short = await post(`/develop/persons/${p.id}/steps`, dianli, { ...body, override: { reason: '短' } });
    assert.equal(short.status, 400);
    const ok = await post(`/develop/persons/${p.id}/steps`, dianli, {
      ...body,
      override: { reason: '申请人长期外派，无法按时谈话' },
    });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.steps[1].override.reason, '申请人长期外派，无法按时谈话');
    assert.equal(ok.body.steps[1].override.violations[0].rule, 'talk_within_month');
    const [audit] = await queryRows<{ action: string; after: { override: { reason: string } } }>(
      t.services.db,
      sql`select action, after from audit_log where entity_id = ${p.id} order by id desc limit 1`,
    );
    assert.equal(audit!.action, 'develop.step.override');
    assert.equal(audit!.after.override.reason, '申请人长期外派，无法按时谈话');
  });

  it('rejects a development target one day short of a year as activist', async () => {
    const applied = addDays(TODAY, -600);
    const p = (await apply(shuji, { appliedAt: applied })).body;
    await walk(shuji, p.id, applied, 2, 5);
    for (const off of [230, 400])
      await post(`/develop/persons/${p.id}/assessments`, shuji, {
        on: addDays(applied, off),
        assessor: '组织委员',
        summary: '良好',
      });
    assert.equal(
      (
        await post(`/develop/persons/${p.id}/steps`, shuji, {
          step: 6,
          date: addDays(applied, 410),
          responsible: '党支部',
        })
      ).status,
      200,
    );
    const activistOn = addDays(applied, OFFSETS[2]!);
    const exact = addDays(activistOn, 365);
    assert.ok(exact > addDays(applied, 410));
    const r = await post(`/develop/persons/${p.id}/steps`, shuji, {
      step: 7,
      date: addDays(activistOn, 364),
      responsible: '支委会',
    });
    assert.equal(r.status, 422);
    assert.match(r.body.error.message, /一年以上培养教育和考察.*第十三条/);
  });

  it('rejects a probationary sponsor and a sponsor from another tenant', async () => {
    const applied = addDays(TODAY, -900);
    const p = (await apply(shuji, { appliedAt: applied })).body;
    await walk(shuji, p.id, applied, 2, 8);
    const date = addDays(applied, OFFSETS[8]!);
    const prob = await post(`/develop/persons/${p.id}/steps`, shuji, {
      step: 9,
      date,
      responsible: '党支部',
      details: { sponsorIds: [fullMembers[0]!.id, probationaryId] },
    });
    assert.equal(prob.status, 422);
    assert.match(prob.body.error.message, /是预备党员，不能作入党介绍人.*第十四条/);

    // Another enterprise's member with the same shape of record.
    const [other] = await queryRows<{ id: string }>(
      t.services.db,
      sql`with t as (insert into tenant (name) values ('别的企业') returning id),
               o as (insert into org (tenant_id, name, kind, path, depth) select id, '别的党支部', 'branch', '/999999/', 0 from t returning id, tenant_id)
          insert into member (tenant_id, org_id, name, name_initials, gender, birth_date, id_card_enc, id_card_idx, phone_enc, phone_idx, joined_at, status)
          select tenant_id, id, '外单位党员', 'wdwdy', 'male', '1980-01-01', 'x', 'foreign-idx', 'x', 'foreign-phone', '2000-01-01', 'full' from o returning id`,
    );
    const foreign = await post(`/develop/persons/${p.id}/steps`, shuji, {
      step: 9,
      date,
      responsible: '党支部',
      details: { sponsorIds: [fullMembers[0]!.id, other!.id] },
    });
    assert.equal(foreign.status, 422);
    assert.match(foreign.body.error.message, /须为您管理范围内的在册正式党员/);
    const one = await post(`/develop/persons/${p.id}/steps`, shuji, {
      step: 9,
      date,
      responsible: '党支部',
      details: { sponsorIds: [fullMembers[0]!.id] },
    });
    assert.equal(one.status, 422);
    assert.match(one.body.error.message, /两名/);
  });

  it('tells a secretary nothing about a sponsor outside their scope: another branch’s member answers like an unknown id, never with its name or status (security finding 13)', async () => {
    const applied = addDays(TODAY, -900);
    const p = (await apply(shuji, { appliedAt: applied })).body;
    await walk(shuji, p.id, applied, 2, 8);
    const date = addDays(applied, OFFSETS[8]!);
    const [elsewhere] = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select m.id, m.name from member m where m.left_at is null
          and m.org_path not like (select path || '%' from org where name = '第一发电厂党支部') limit 1`,
    );
    assert.ok(elsewhere, 'the demo has members in other branches');
    const ask = (id: string) =>
      post(`/develop/persons/${p.id}/steps`, shuji, {
        step: 9,
        date,
        responsible: '党支部',
        details: { sponsorIds: [fullMembers[0]!.id, id] },
      });
    const known = await ask(elsewhere.id);
    const unknown = await ask('00000000-0000-4000-8000-000000000009');
    assert.equal(known.status, 422);
    assert.doesNotMatch(known.raw, new RegExp(elsewhere.name));
    assert.equal(
      known.raw.replaceAll(elsewhere.id, 'ID'),
      unknown.raw.replaceAll('00000000-0000-4000-8000-000000000009', 'ID'),
    );
  });

  it('rejects a vote with more votes than voters, and one without a majority of those due to attend', async () => {
    const applied = addDays(TODAY, -900);
    const p = (await apply(shuji, { appliedAt: applied })).body;
    await walk(shuji, p.id, applied, 2, 14);
    const date = addDays(applied, OFFSETS[14]!);
    const vote = (v: object) =>
      post(`/develop/persons/${p.id}/steps`, shuji, {
        step: 15,
        date,
        responsible: '党支部',
        details: { vote: { entitled: 3, present: 3, written: 0, against: 0, abstain: 0, ...v } },
      });
    const tooMany = await vote({ for: 3, against: 1 });
    assert.equal(tooMany.status, 422);
    assert.match(tooMany.body.error.message, /票数多于投票人数.*第二十一条/);
    const half = await vote({ entitled: 4, present: 3, for: 2, against: 1 });
    assert.equal(half.status, 422);
    assert.match(half.body.error.message, /表决未通过.*半数/);
    const entitledTooMany = await vote({ entitled: 500, present: 400, for: 400 });
    assert.equal(entitledTooMany.status, 422);
    assert.match(entitledTooMany.body.error.message, /不能超过本支部正式党员人数/);
    const reject = await get(`/develop/persons/${p.id}`, shuji);
    assert.equal(reject.body.lastStep, 14);
  });

  it('takes an applicant through all 25 steps: admission creates the probationary member, conversion makes them full', async () => {
    const applied = addDays(TODAY, -1000);
    const p = (await apply(shuji, { name: '全流程', appliedAt: applied })).body;
    const at17 = await walk(shuji, p.id, applied, 2, 17);
    assert.equal(at17.body.status, 'probationary');
    const joined = addDays(applied, OFFSETS[14]!);
    const m = await get(`/members/${at17.body.memberId}`, shuji);
    assert.equal(m.status, 200);
    assert.equal(m.body.status, 'probationary');
    assert.equal(m.body.joinedAt, joined);
    assert.equal(m.body.name, '全流程');
    const done = await walk(shuji, p.id, applied, 18, 25);
    assert.equal(done.body.status, 'full');
    assert.equal(done.body.lastStep, 25);
    assert.equal(done.body.nextStep, null);
    const full = await get(`/members/${at17.body.memberId}`, shuji);
    assert.equal(full.body.status, 'full');
    assert.equal(full.body.fullAt, `${Number(joined.slice(0, 4)) + 1}${joined.slice(4)}`);
    const again = await post(`/develop/persons/${p.id}/steps`, shuji, { step: 25, date: TODAY, responsible: 'x' });
    assert.equal(again.status, 422);

    // Generated documents: a .docx (ZIP) for the notice and every stage form.
    for (const kind of ['notice', 'conversion_notice', 'stage1', 'stage2', 'stage3', 'stage4', 'stage5']) {
      const doc = await t.app.inject({
        method: 'GET',
        url: `/api/v1/develop/persons/${p.id}/document?kind=${kind}`,
        headers: { authorization: `Bearer ${shuji}` },
      });
      assert.equal(doc.statusCode, 200, `${kind}: ${doc.body.slice(0, 200)}`);
      assert.equal(doc.rawPayload.subarray(0, 2).toString(), 'PK');
      assert.match(String(doc.headers['content-disposition']), /\.docx/);
    }
  });

  it('extends a probation once — the 转正 vote waits for the extended end and 党龄 counts from it (细则第三十二条)', async () => {
    const applied = addDays(TODAY, -1300);
    const p = (await apply(shuji, { name: '延长预备期', appliedAt: applied })).body;
    await walk(shuji, p.id, applied, 2, 21);
    const end = addYears(addDays(applied, OFFSETS[14]!), 1);
    const entitled = Math.min(fullMembers.length, 9);
    const vote = { entitled, present: entitled, written: 0, for: entitled, against: 0, abstain: 0 };
    const decide = (body: Record<string, unknown>) =>
      post(`/develop/persons/${p.id}/probation`, shuji, {
        kind: 'extend',
        months: 6,
        vote,
        reason: '需要继续考察和教育',
        ...body,
      });

    const early = await decide({ meetingOn: addDays(end, -1), approvedOn: addDays(end, -1) });
    assert.equal(early.status, 422, early.raw);
    assert.match(early.body.error.message, /预备期满（.*）后，支部大会方可讨论延长预备期/);
    const short = await decide({ months: 5, meetingOn: end, approvedOn: end });
    assert.equal(short.status, 400, short.raw);
    assert.match(short.body.error.message, /不能少于半年/);
    const tooMany = await decide({
      meetingOn: end,
      approvedOn: end,
      vote: { ...vote, entitled: 500, present: 400, for: 400 },
    });
    assert.equal(tooMany.status, 422);
    assert.match(tooMany.body.error.message, /不能超过本支部正式党员人数/);
    const foreign = await post(`/develop/persons/${p.id}/probation`, shuji2, {
      kind: 'extend',
      months: 6,
      vote,
      reason: '越权',
      meetingOn: end,
      approvedOn: end,
    });
    assert.equal(foreign.status, 404);

    const ok = await decide({ meetingOn: end, approvedOn: addDays(end, 10) });
    assert.equal(ok.status, 200, ok.raw);
    const extended = addMonths(end, 6);
    assert.equal(ok.body.probationEndsOn, extended);
    assert.equal(ok.body.probationDecisions.length, 1);
    assert.equal(ok.body.nextDue.dueOn, extended);
    assert.match(ok.body.nextDue.what, /延长的预备期满/);
    const twice = await decide({ meetingOn: addDays(end, 20), approvedOn: addDays(end, 20) });
    assert.equal(twice.status, 422);
    assert.match(twice.body.error.message, /只能延长一次/);

    const step = (n: number, date: string, details: StepDetails = {}) =>
      post(`/develop/persons/${p.id}/steps`, shuji, { step: n, date, responsible: '党支部', details });
    assert.equal((await step(22, addDays(extended, -20), { noticeFrom: addDays(extended, -20) })).status, 200);
    const tooSoon = await step(23, addDays(extended, -1), { vote });
    assert.equal(tooSoon.status, 422);
    assert.match(tooSoon.body.error.message, /预备期已延长 6 个月，至 .* 期满/);
    assert.equal((await step(23, extended, { vote })).status, 200);
    const converted = await step(24, addDays(extended, 10));
    assert.equal(converted.status, 200, converted.raw);
    const m = await get(`/members/${converted.body.memberId}`, shuji);
    assert.equal(m.body.status, 'full');
    assert.equal(m.body.fullAt, extended);
    assert.equal(m.body.partyAgeFrom, extended);
  });

  it('cancels a 预备党员资格: the development record closes and the member record leaves, read-only; only a 预备党员 can be', async () => {
    const applied = addDays(TODAY, -1000);
    const p = (await apply(shuji, { name: '取消资格', appliedAt: applied })).body;
    const at17 = await walk(shuji, p.id, applied, 2, 17);
    const memberId = at17.body.memberId as string;
    const on = addDays(applied, OFFSETS[16]! + 100);
    const entitled = Math.min(fullMembers.length, 9);
    const vote = { entitled, present: entitled, written: 0, for: entitled, against: 0, abstain: 0 };
    const r = await post(`/develop/persons/${p.id}/probation`, shuji, {
      kind: 'cancel',
      meetingOn: on,
      vote,
      approvedOn: addDays(on, 15),
      reason: '不履行党员义务，不具备党员条件',
    });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.closedAt, addDays(on, 15));
    assert.match(r.body.closedReason, /^取消预备党员资格：不履行党员义务/);
    assert.equal(r.body.nextStep, null);
    const [row] = await queryRows<{ left_at: string; left_reason: string }>(
      t.services.db,
      sql`select left_at::text, left_reason from member where id = ${memberId}`,
    );
    assert.deepEqual(row, { left_at: addDays(on, 15), left_reason: 'probation_cancelled' });
    const next = await post(`/develop/persons/${p.id}/steps`, shuji, { step: 18, date: TODAY, responsible: '党支部' });
    assert.equal(next.status, 409);
    const audit = await queryRows<{ action: string }>(
      t.services.db,
      sql`select action from audit_log where entity_id = ${p.id} and action like 'develop.probation.%'`,
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['develop.probation.cancel'],
    );

    // A full member cannot be "cancelled" through the exit form either.
    const full = await post(`/members/${fullMembers[2]!.id}/exit`, shuji, {
      reason: 'probation_cancelled',
      date: TODAY,
    });
    assert.equal(full.status, 422);
    assert.match(full.body.error.message, /只有预备党员/);
  });

  it('ends a development with a reason: the record stays, read-only, and leaves the board', async () => {
    const p = (await apply(shuji, { name: '撤回申请', appliedAt: addDays(TODAY, -40) })).body;
    const closed = await post(`/develop/persons/${p.id}/close`, shuji, { date: TODAY, reason: '本人撤回入党申请' });
    assert.equal(closed.status, 200, closed.raw);
    assert.equal(closed.body.closedReason, '本人撤回入党申请');
    assert.equal(closed.body.nextStep, null);
    const step = await post(`/develop/persons/${p.id}/steps`, shuji, { step: 2, date: TODAY, responsible: '党支部' });
    assert.equal(step.status, 409);
    assert.match(step.body.error.message, /已于 .* 终止/);
    const b = await get(`/orgs/${branch}/develop-board`, shuji);
    assert.ok(!b.body.overdue.some((d: { personId: string }) => d.personId === p.id));
    assert.equal((await get(`/develop/persons/${p.id}`, shuji)).status, 200);
    const assess = await post(`/develop/persons/${p.id}/assessments`, shuji, {
      on: TODAY,
      assessor: 'x',
      summary: 'y',
    });
    assert.equal(assess.status, 409);
  });

  it('refuses the 公示 notice before the notice is recorded', async () => {
    const p = (await apply(shuji)).body;
    const r = await get(`/develop/persons/${p.id}/document?kind=notice`, shuji);
    assert.equal(r.status, 422);
    assert.match(r.body.error.message, /尚未登记公示/);
  });

  it('stores scans by their real type and refuses other files', async () => {
    const p = (await apply(shuji)).body;
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(8),
      Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]),
      Buffer.alloc(16),
    ]);
    const dir = await import('node:fs').then((fs) => fs.mkdtempSync('/tmp/xf-develop-'));
    t.services.config.dataDir = dir;
    const up = await t.request({
      method: 'POST',
      url: `/api/v1/develop/persons/${p.id}/files?step=1`,
      token: shuji,
      ...multipartFile(png, '入党申请书.png'),
    });
    assert.equal(up.status, 201, up.raw);
    assert.equal(up.body.mime, 'image/png');
    const down = await t.app.inject({
      method: 'GET',
      url: `/api/v1/develop/persons/${p.id}/files/${up.body.id}`,
      headers: { authorization: `Bearer ${shuji}` },
    });
    assert.equal(down.statusCode, 200);
    assert.deepEqual(down.rawPayload, png);
    const text = await t.request({
      method: 'POST',
      url: `/api/v1/develop/persons/${p.id}/files?step=1`,
      token: shuji,
      ...multipartFile(Buffer.from('not a scan'), 'a.png'),
    });
    assert.equal(text.status, 400);
    const ahead = await t.request({
      method: 'POST',
      url: `/api/v1/develop/persons/${p.id}/files?step=9`,
      token: shuji,
      ...multipartFile(png, 'x.png'),
    });
    assert.equal(ahead.status, 422);
    const detail = await get(`/develop/persons/${p.id}`, shuji);
    assert.equal(detail.body.files.length, 1);
  });

  it('shows the board: counts per stage, the overdue talk, the plan and its usage; only org admins set plans', async () => {
    const year = Number(TODAY.slice(0, 4));
    const b = await get(`/orgs/${branch}/develop-board?year=${year}`, shuji);
    assert.equal(b.status, 200, b.raw);
    assert.ok(
      b.body.counts.applicant >= 1 &&
        b.body.counts.activist >= 1 &&
        b.body.counts.candidate >= 1 &&
        b.body.counts.probationary >= 1,
    );
    const overdue = b.body.overdue.find((d: { name: string }) => d.name === '周晓明');
    assert.ok(overdue, JSON.stringify(b.body.overdue));
    assert.match(overdue.what, /谈话/);
    assert.equal(b.body.plan.quota, 2);
    assert.equal((await put(`/orgs/${branch}/develop-plan`, shuji, { year, quota: 3 })).status, 403);
    const set = await put(`/orgs/${branch}/develop-plan`, dianli, { year, quota: 3 });
    assert.equal(set.status, 200, set.raw);
    assert.equal(set.body.quota, 3);
    const todo = await get('/develop/todo', shuji);
    assert.equal(todo.status, 200);
    assert.ok(todo.body.items.some((d: { name: string; overdue: boolean }) => d.name === '周晓明' && d.overdue));
    assert.ok(todo.body.items.every((d: { orgName: string }) => d.orgName === '第一发电厂党支部'));
  });

  it('counts admissions against the yearly plan; over quota needs an org admin', async () => {
    const applied = addDays(TODAY, -560);
    const year = Number(addDays(applied, OFFSETS[14]!).slice(0, 4));
    const p = (await apply(shuji, { appliedAt: applied })).body;
    await walk(shuji, p.id, applied, 2, 14);
    // The branch's plan this year is full.
    await put(`/orgs/${branch}/develop-plan`, dianli, { year, quota: 0 });
    const entitled = Math.min(fullMembers.length, 9);
    const body = {
      step: 15,
      date: addDays(applied, OFFSETS[14]!),
      responsible: '党支部',
      details: details(15, entitled),
    };
    const r = await post(`/develop/persons/${p.id}/steps`, shuji, body);
    assert.equal(r.status, 422);
    assert.match(r.body.error.message, /超出年度发展计划/);
    const ok = await post(`/develop/persons/${p.id}/steps`, dianli, {
      ...body,
      override: { reason: '党委会研究同意追加名额' },
    });
    assert.equal(ok.status, 200, ok.raw);
  });
});
