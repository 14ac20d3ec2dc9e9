// @fixed-days: committee terms and 换届 dates (tools/test.mjs runs this file under each fixed clock).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { addDays, addMonths, addYears, todayInChina } from '@xianfeng/shared';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

describe('org tree editing, committees and structure warnings', () => {
  let t: TestApp;
  const { get, post, patch } = api(() => t);
  let admin: string;
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  it('moves a general branch with its whole subtree, rewriting every descendant path', async () => {
    const gb = await t.orgId('发电运营党总支');
    const dest = await t.orgId('华夏工程建设有限公司党委');
    const r = await post(`/orgs/${gb}/move`, admin, { parentId: dest });
    assert.equal(r.status, 200, r.raw);
    const destPath = (await get(`/orgs/${dest}`, admin)).body.path;
    assert.ok(r.body.path.startsWith(destPath));
    const group = await queryRows<{ path: string; depth: number }>(
      t.services.db,
      sql`select o.path, o.depth from org o join org p on p.id = o.parent_id where p.name = '第一发电厂党支部' limit 1`,
    );
    assert.ok(group[0]!.path.startsWith(r.body.path), 'groups under the moved branches follow');
    assert.equal(group[0]!.depth, group[0]!.path.split('/').length - 2);
    // A secretary bound to a moved branch keeps seeing exactly their branch.
    const sec = await t.login('shuji');
    assert.equal((await get(`/members?pageSize=1`, sec)).status, 200);
  });

  it('refuses to move an org under its own descendant', async () => {
    const power = await t.orgId('华夏电力有限公司党委');
    const inside = await t.orgId('电力营销党支部');
    const r = await post(`/orgs/${power}/move`, admin, { parentId: inside });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /下级/);
  });

  it('refuses to dissolve an org that still has members, and merges it into another when asked', async () => {
    const from = await t.orgId('物资供应党支部');
    const into = await t.orgId('工程公司机关党支部');
    const refused = await post(`/orgs/${from}/dissolve`, admin, { reason: '机构调整' });
    assert.equal(refused.status, 409);
    const before = (await get(`/members?orgId=${into}&pageSize=1`, admin)).body.total;
    const moving = (await get(`/members?orgId=${from}&pageSize=1`, admin)).body.total;
    const merged = await post(`/orgs/${from}/dissolve`, admin, { reason: '机构调整', mergeIntoId: into });
    assert.equal(merged.status, 200, merged.raw);
    assert.equal(merged.body.movedMembers, moving);
    assert.equal((await get(`/members?orgId=${into}&pageSize=1`, admin)).body.total, before + moving);
    const siblings = await get(`/orgs?parentId=${await t.orgId('华夏工程建设有限公司党委')}`, admin);
    assert.ok(!siblings.body.items.some((o: { id: string }) => o.id === from), 'the dissolved org leaves the tree');
  });

  // A branch of its own, so the demo's committees do not decide which term is current.
  let electedBranch = '';
  it('records an election, flags a violated rule, and starts a term whose 换届 date follows the term length', async () => {
    // A 总支 (its voters are not counted from its own members here: a branch's are, item 11 below).
    const created = await post('/orgs', admin, {
      parentId: t.rootOrgId,
      name: '换届测试党总支',
      kind: 'general_branch',
    });
    const branch = (electedBranch = created.body.id);
    const sec = admin;
    const e = await post(`/orgs/${branch}/elections`, sec, {
      heldOn: '2020-05-10',
      seats: 3,
      dueVoters: 20,
      presentVoters: 16,
      ballotsIssued: 16,
      ballotsReturned: 16,
      candidates: [
        { name: '甲', votes: 15 },
        { name: '乙', votes: 12 },
        { name: '丙', votes: 9 },
        { name: '丁', votes: 4 },
      ],
    });
    assert.equal(e.status, 201);
    assert.equal(e.body.valid, false, 'exactly 4/5 present is not a quorum');
    const term = await post(`/orgs/${branch}/terms`, sec, {
      startsOn: '2020-05-10',
      members: [
        { name: '甲', position: '书记' },
        { name: '乙', position: '组织委员' },
        { name: '丙', position: '宣传委员' },
      ],
    });
    assert.equal(term.status, 201, term.raw);
    assert.equal(term.body.endsOn, '2023-05-10');
    const c = await get(`/orgs/${branch}/committee`, sec);
    assert.equal(c.body.current.overdue, true);
    assert.equal(c.body.members.length, 3);
  });

  it('links committee members and candidates only to members of the org itself; any other id answers alike (security finding 13)', async () => {
    const shuji = await t.login('shuji');
    const own = await t.orgId('第一发电厂党支部');
    const [mine] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${own} and left_at is null and status = 'full' limit 1`,
    );
    const [theirs] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where left_at is null and org_path not like (select path || '%' from org where id = ${own}) limit 1`,
    );
    const ghost = '00000000-0000-4000-8000-000000000007';
    const term = (memberId: string) =>
      post(`/orgs/${own}/terms`, shuji, {
        startsOn: '2019-03-01',
        members: [{ name: '甲', memberId, position: '书记' }],
      });
    const foreign = await term(theirs!.id);
    assert.equal(foreign.status, 422, foreign.raw);
    assert.equal(foreign.body.error.code, 'NOT_OWN_MEMBER');
    assert.equal(foreign.raw, (await term(ghost)).raw, 'another branch’s member and no member at all look the same');
    const election = (memberId: string) =>
      post(`/orgs/${own}/elections`, shuji, {
        heldOn: '2019-03-01',
        seats: 1,
        dueVoters: 5,
        presentVoters: 5,
        ballotsIssued: 5,
        ballotsReturned: 5,
        candidates: [{ name: '甲', memberId, votes: 5 }],
      });
    const e = await election(theirs!.id);
    assert.equal(e.status, 422, e.raw);
    assert.equal(e.raw, (await election(ghost)).raw);
    assert.equal((await term(mine!.id)).status, 201);
    assert.equal((await election(mine!.id)).status, 201);
  });

  // 党章 第七条 (预备党员 have no vote and cannot be elected); 支部工作条例 (committee of 3–5, generally ≤ 7);
  // the 20 % surplus decided for 书记-only elections of branches without a committee (issue 13 item 11).
  it('elects only 正式党员, counts no more voters than the branch’s full members, and lets a branch without a committee elect its 书记 unopposed', async () => {
    const shuji = await t.login('shuji');
    const own = await t.orgId('第一发电厂党支部');
    const [probationary] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${own} and left_at is null and status = 'probationary' limit 1`,
    );
    assert.ok(probationary, 'the demo branch has a 预备党员');
    const term = await post(`/orgs/${own}/terms`, shuji, {
      startsOn: '2019-03-01',
      members: [{ name: '预备', memberId: probationary!.id, position: '组织委员' }],
    });
    assert.equal(term.status, 422, term.raw);
    assert.equal(term.body.error.code, 'NOT_FULL_MEMBER');
    assert.match(term.body.error.message, /预备党员没有被选举权/);
    const [{ n: full }] = (await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member m join org o on o.id = m.org_id where (o.id = ${own} or o.parent_id = ${own}) and m.left_at is null and m.status = 'full'`,
    )) as [{ n: number }];
    const election = (body: Record<string, unknown>) =>
      post(`/orgs/${own}/elections`, shuji, {
        heldOn: '2019-03-01',
        seats: 1,
        presentVoters: 5,
        ballotsIssued: 5,
        ballotsReturned: 5,
        candidates: [{ name: '甲', votes: 5 }],
        ...body,
      });
    const tooMany = await election({ dueVoters: full + 1 });
    assert.equal(tooMany.status, 422, tooMany.raw);
    assert.equal(tooMany.body.error.code, 'TOO_MANY_VOTERS');
    assert.equal(
      (
        await election({
          dueVoters: full,
          presentVoters: full,
          ballotsIssued: full,
          ballotsReturned: full,
          candidates: [
            { name: '甲', votes: full },
            { name: '乙', votes: 0 },
          ],
        })
      ).status,
      201,
    );
    const big = await election({ dueVoters: 5, secretaryOnly: true });
    assert.equal(big.status, 422, 'a branch with a committee elects with a margin');
    assert.equal(big.body.error.code, 'MARGIN_REQUIRED');

    // A branch of 4 full members (no committee) elects its 书记 alone: valid without a second candidate.
    const small = await post('/orgs', admin, { parentId: t.rootOrgId, name: '四人党支部', kind: 'branch' });
    await t.services.db.execute(
      sql`update member set org_id = ${small.body.id} where id in (select id from member where org_id = ${own} and left_at is null and status = 'full' and user_id is null order by id limit 4)`,
    );
    const unopposed = (secretaryOnly: boolean) =>
      post(`/orgs/${small.body.id}/elections`, admin, {
        heldOn: '2019-03-01',
        seats: 1,
        dueVoters: 4,
        presentVoters: 4,
        ballotsIssued: 4,
        ballotsReturned: 4,
        candidates: [{ name: '甲', votes: 4 }],
        secretaryOnly,
      });
    const withMargin = await unopposed(false);
    assert.equal(
      withMargin.body.valid,
      false,
      'without the exception one candidate for one seat lacks the 20 % surplus',
    );
    const alone = await unopposed(true);
    assert.equal(alone.status, 201, alone.raw);
    assert.equal(alone.body.valid, true);
    assert.deepEqual(alone.body.elected, ['甲']);
    await t.services.db.execute(sql`update member set org_id = ${own} where org_id = ${small.body.id}`);

    // More than 7 in a branch committee is flagged.
    const eight = ['书记', '副书记', '组织委员', '宣传委员', '纪检委员', '委员', '委员', '委员'];
    const large = await post(`/orgs/${small.body.id}/terms`, admin, {
      startsOn: '2026-01-05',
      members: eight.map((p, i) => ({ name: `委员${i}`, position: p })),
    });
    assert.equal(large.status, 201, large.raw);
    const w = await get(`/orgs/${t.rootOrgId}/warnings?pageSize=200`, admin);
    assert.ok(
      w.body.items.some(
        (x: { orgId: string; code: string }) => x.orgId === small.body.id && x.code === 'COMMITTEE_TOO_LARGE',
      ),
    );
  });

  it('starts a term on 29 February: the 换届 date is a real date (the anniversary, 1 March), not a 500', async () => {
    const branch = await t.orgId('研发中心党支部');
    const term = await post(`/orgs/${branch}/terms`, admin, {
      startsOn: '2024-02-29',
      members: [{ name: '甲', position: '书记' }],
    });
    assert.equal(term.status, 201, term.raw);
    assert.equal(term.body.endsOn, '2027-03-01');
  });

  it('registers a branch term of 3 years, or 5 (村、社区党组织), and a 党委 term of 5; other lengths are refused (2018 意见)', async () => {
    const registerTerm = (org: string, termYears: number) =>
      post(`/orgs/${org}/terms`, admin, {
        startsOn: '2024-06-01',
        termYears,
        members: [{ name: '甲', position: '书记' }],
      });
    const branch = (await post('/orgs', admin, { parentId: t.rootOrgId, name: '任期测试党支部', kind: 'branch' })).body
      .id as string;
    const four = await registerTerm(branch, 4);
    assert.equal(four.status, 422, four.raw);
    assert.equal(four.body.error.code, 'TERM_YEARS');
    assert.match(four.body.error.message, /3 年或5 年（村、社区党组织）/, four.raw);
    assert.equal((await registerTerm(branch, 5)).body.endsOn, '2029-06-01', 'a village/community branch: 5 years');
    assert.equal((await registerTerm(branch, 3)).body.endsOn, '2027-06-01');
    const committee = await t.orgId('华夏电力有限公司党委');
    assert.equal((await registerTerm(committee, 3)).status, 422, 'a 基层党委 term is 5 years');
  });

  it('moves the 换届 date by an approval from above, by at most a year; the org itself cannot postpone its own (TERM_POSTPONE)', async () => {
    const dianli = await t.login('dianli');
    const shuji = await t.login('shuji');
    const postpone = (token: string, org: string, until: string) =>
      post(`/orgs/${org}/term/postpone`, token, {
        until,
        approvedOn: todayInChina(),
        documentNo: '电力党委〔2026〕12 号',
        reason: '企业重组，班子调整未定',
      });
    const committeeOrg = await t.orgId('华夏电力有限公司党委');
    const branch = (await post('/orgs', admin, { parentId: committeeOrg, name: '延期换届测试党支部', kind: 'branch' }))
      .body.id as string;
    // Its term ended ten days ago, whatever day the suite runs.
    const endsOn = addDays(todayInChina(), -10);
    const term = await post(`/orgs/${branch}/terms`, admin, {
      startsOn: addYears(endsOn, -3),
      members: [{ name: '甲', position: '书记' }],
    });
    assert.equal(term.body.endsOn, endsOn, term.raw);
    const overdue = async () => {
      const c = await get(`/orgs/${branch}/committee`, dianli);
      const w = await get(`/orgs/${committeeOrg}/warnings?pageSize=200`, dianli);
      const warned = w.body.items.some(
        (x: { orgId: string; code: string }) => x.orgId === branch && x.code === 'TERM_OVERDUE',
      );
      assert.equal(c.body.current.overdue, warned, 'the committee card and the warnings agree');
      return c.body.current;
    };
    assert.equal((await overdue()).overdue, true);

    // Not from the org itself, nor from someone whose binding is the org (the 党委 cannot approve its own delay).
    const own = await postpone(shuji, await t.orgId('第一发电厂党支部'), addMonths(endsOn, 6));
    assert.equal(own.status, 403, own.raw);
    assert.equal(own.body.error.code, 'NEEDS_HIGHER_APPROVAL');
    assert.equal((await postpone(dianli, committeeOrg, addMonths(endsOn, 6))).status, 403, 'not its own 换届');

    const tooLong = await postpone(dianli, branch, addDays(addMonths(endsOn, 12), 1));
    assert.equal(tooLong.status, 422, tooLong.raw);
    assert.equal(tooLong.body.error.code, 'POSTPONE_TOO_LONG');
    assert.match(tooLong.body.error.message, /一般不超过 1 年/);
    assert.equal((await postpone(dianli, branch, endsOn)).body.error.code, 'POSTPONE_NOT_LATER');

    const ok = await postpone(dianli, branch, addMonths(endsOn, 12));
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.electionDueOn, addMonths(endsOn, 12));
    const now = await overdue();
    assert.equal(now.overdue, false, 'no longer overdue within the approved delay');
    assert.equal(now.postponedTo, addMonths(endsOn, 12));
    assert.equal(now.postponement.documentNo, '电力党委〔2026〕12 号');
    assert.equal(now.endsOn, endsOn, 'the term itself still ended when it did');
    const [audit] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where action = 'org.term.postpone' and entity_id = ${term.body.id}`,
    );
    assert.equal(audit?.n, 1, 'the approval is in the audit chain');
  });

  it('lists structure warnings across the subtree: 换届逾期, no secretary, too few members', async () => {
    const branch = electedBranch;
    const r = await get(`/orgs/${t.rootOrgId}/warnings?pageSize=200`, admin);
    assert.equal(r.status, 200);
    const codes = (id: string) =>
      r.body.items.filter((w: { orgId: string }) => w.orgId === id).map((w: { code: string }) => w.code);
    assert.ok(codes(branch).includes('TERM_OVERDUE'));
    assert.ok(!codes(branch).includes('NO_SECRETARY'));
    const empty = await post('/orgs', admin, { parentId: t.rootOrgId, name: '新设党支部', kind: 'branch' });
    const again = await get(`/orgs/${t.rootOrgId}/warnings?pageSize=200`, admin);
    const emptyCodes = again.body.items
      .filter((w: { orgId: string }) => w.orgId === empty.body.id)
      .map((w: { code: string }) => w.code);
    assert.ok(emptyCodes.includes('TOO_FEW_MEMBERS'));
    assert.ok(emptyCodes.includes('NO_SECRETARY'));
  });

  it('counts members filed in a 党小组 as their branch’s members (issue 13 item 2)', async () => {
    const createOrg = (body: unknown) => post('/orgs', admin, body);
    const branch = (await createOrg({ parentId: t.rootOrgId, name: '小组制党支部', kind: 'branch' })).body.id as string;
    const group = await createOrg({ parentId: branch, name: '小组制党支部第一党小组', kind: 'group' });
    assert.equal(group.status, 201, group.raw);
    // Four full members of another branch are filed in the new branch's group, none in the branch itself.
    await queryRows(
      t.services.db,
      sql`update member set org_id = ${group.body.id} where id in (
            select m.id from member m join org o on o.id = m.org_id
            where o.name = '研发中心党支部' and m.status = 'full' and m.left_at is null order by m.id limit 4)`,
    );
    const warnings = await get(`/orgs/${t.rootOrgId}/warnings?pageSize=200`, admin);
    const codes = warnings.body.items
      .filter((w: { orgId: string }) => w.orgId === branch)
      .map((w: { code: string }) => w.code);
    assert.ok(!codes.includes('TOO_FEW_MEMBERS'), `the branch has 4 full members through its group: ${codes}`);
    assert.ok(codes.includes('NO_SECRETARY'));
  });

  it('lets only org admins edit the tree; a secretary gets 403 on its own branch and 404 elsewhere', async () => {
    const sec = await t.login('shuji');
    const own = await t.orgId('第一发电厂党支部');
    const other = await t.orgId('研发中心党支部');
    assert.equal((await patch(`/orgs/${own}`, sec, { address: 'x' })).status, 403);
    assert.equal((await get(`/orgs/${other}/committee`, sec)).status, 404);
    const ok = await patch(`/orgs/${own}`, admin, {
      address: '河北省保定市',
      lat: 38.87,
      lng: 115.46,
      establishedOn: '1998-07-01',
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.lat, 38.87);
    const bad = await patch(`/orgs/${own}`, admin, { lat: 123 });
    assert.equal(bad.status, 400);
  });
});
