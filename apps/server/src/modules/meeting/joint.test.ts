/**
 * Security review #14, finding 1: a joint activity (联合主题党日) must not let a branch secretary
 * reach members outside their own subtree. Joint orgs need the editor's authority over each of
 * them (create, update, publish), and people outside the viewer's scope are never shown by name
 * in attendance, minutes or the 台账; the secretary cannot sign them in or record their absence.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import JSZip from 'jszip';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';

const MIN = 60_000;
const iso = (ms: number) => new Date(nowMs() + ms).toISOString();

describe('joint activities stay inside the editor’s authority (security finding 1)', () => {
  let t: TestApp;
  const { get, post, put, patch } = api(() => t);
  let admin: string;
  let shuji: string; // secretary of 第一发电厂党支部
  let branchA: string;
  let branchB: string; // 研发中心党支部, outside shuji's subtree
  let committee: string; // 华夏电力有限公司党委, above shuji's branch
  const body = (over: Record<string, unknown> = {}) => ({
    orgId: branchA,
    kind: 'theme_day',
    title: '联合主题党日',
    startsAt: iso(-10 * MIN),
    endsAt: iso(80 * MIN),
    location: '党员活动室',
    ...over,
  });
  const namesOutside = async (orgId: string) =>
    (
      await queryRows<{ name: string }>(
        t.services.db,
        sql`select m.name from member m join org o on o.id = m.org_id
            where o.path like (select path from org where id = ${orgId}) || '%' and m.left_at is null`,
      )
    ).map((r) => r.name);

  before(async () => {
    t = await startTestApp();
    [admin, shuji] = await signIn(t, 'admin', 'shuji');
    branchA = await t.orgId('第一发电厂党支部');
    branchB = await t.orgId('研发中心党支部');
    committee = await t.orgId('华夏电力有限公司党委');
  });
  after(() => t.close());

  it('refuses a joint org the secretary has no authority over, on create (the committee above, a sibling branch, the root)', async () => {
    for (const joint of [committee, branchB, t.rootOrgId]) {
      const before = (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from meeting`))[0]!.n;
      const r = await post('/meetings', shuji, body({ jointOrgIds: [joint] }));
      assert.equal(r.status, 403, `joint org ${joint}: ${r.raw}`);
      assert.equal(r.body.error.code, 'JOINT_ORG_FORBIDDEN');
      assert.match(r.body.error.message, /无权/);
      const after = (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from meeting`))[0]!.n;
      assert.equal(after, before, 'nothing written');
    }
  });

  it('refuses the same on update of the secretary’s own meeting', async () => {
    const own = await post(
      '/meetings',
      shuji,
      body({ startsAt: iso(2 * 24 * 60 * MIN), endsAt: iso(2 * 24 * 60 * MIN + 60 * MIN) }),
    );
    assert.equal(own.status, 201, own.raw);
    const r = await patch(`/meetings/${own.body.id}`, shuji, { jointOrgIds: [committee] });
    assert.equal(r.status, 403, r.raw);
    assert.equal(r.body.error.code, 'JOINT_ORG_FORBIDDEN');
    const [row] = await queryRows<{ joint: string[] }>(
      t.services.db,
      sql`select joint_org_ids as joint from meeting where id = ${own.body.id}`,
    );
    assert.deepEqual(row!.joint, []);
  });

  it('lets someone with authority over every org hold a joint activity, and invites both', async () => {
    const r = await post(
      '/meetings',
      admin,
      body({ orgId: branchB, jointOrgIds: [branchA], startsAt: iso(24 * 60 * MIN), endsAt: iso(25 * 60 * MIN) }),
    );
    assert.equal(r.status, 201, r.raw);
    const p = await post(`/meetings/${r.body.id}/publish`, admin, {});
    assert.equal(p.status, 200, p.raw);
    const orgs = await queryRows<{ org_id: string }>(
      t.services.db,
      sql`select distinct org_id from meeting_attendance where meeting_id = ${r.body.id}`,
    );
    const invitedPaths = new Set(orgs.map((o) => o.org_id));
    assert.ok(invitedPaths.size >= 2, 'members of both branches are invited');
  });

  describe('a joint activity that already reaches outside (made before the fix, or by someone else)', () => {
    let legacy: string;
    let outsiderId: string;
    before(async () => {
      // What the attack left behind: the secretary's meeting with the whole electric-power committee joined in.
      const [m] = await queryRows<{ id: string }>(
        t.services.db,
        sql`insert into meeting (tenant_id, org_id, kind, title, starts_at, ends_at, location, status, joint_org_ids)
            values (${t.tenantId}, ${branchA}, 'theme_day', '联合主题党日（旧）', ${iso(-10 * MIN)}, ${iso(80 * MIN)}, '活动室', 'planned',
                    ${JSON.stringify([committee])}::jsonb) returning id`,
      );
      legacy = m!.id;
    });

    it('refuses to publish it: the publisher has no authority over the joint org', async () => {
      const r = await post(`/meetings/${legacy}/publish`, shuji, {});
      assert.equal(r.status, 403, r.raw);
      assert.equal(r.body.error.code, 'JOINT_ORG_FORBIDDEN');
      const [n] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from meeting_attendance where meeting_id = ${legacy}`,
      );
      assert.equal(n!.n, 0, 'nobody invited');
    });

    it('never names people outside the viewer’s scope in attendance, minutes or the 台账, and refuses to sign them in or record their absence', async () => {
      // Invitations as the old code wrote them: everyone in the committee's subtree.
      await t.services.db.execute(sql`
        insert into meeting_attendance (tenant_id, meeting_id, member_id, org_id)
        select ${t.tenantId}, ${legacy}, m.id, m.org_id from member m join org o on o.id = m.org_id
        where o.path like (select path from org where id = ${committee}) || '%' and m.left_at is null
        on conflict do nothing`);
      const outsideNames = new Set(await namesOutside(committee));
      const inside = new Set(await namesOutside(branchA));
      for (const n of inside) outsideNames.delete(n);
      assert.ok(outsideNames.size > 5, 'the committee has members outside the branch');
      const [o] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select a.member_id as id from meeting_attendance a join org o on o.id = a.org_id
            where a.meeting_id = ${legacy} and o.path not like (select path from org where id = ${branchA}) || '%' limit 1`,
      );
      outsiderId = o!.id;

      const att = await get(`/meetings/${legacy}/attendance?pageSize=200`, shuji);
      assert.equal(att.status, 200, att.raw);
      const shown = att.body.items.map((i: { memberName: string }) => i.memberName) as string[];
      const leaked = shown.filter((n) => outsideNames.has(n));
      assert.deepEqual(leaked, [], 'attendance names no one outside the branch');
      assert.ok(
        shown.some((n) => inside.has(n)),
        'the branch’s own members are named',
      );

      const sign = await post(`/meetings/${legacy}/checkin`, shuji, { memberId: outsiderId });
      assert.equal(sign.status, 403, sign.raw);
      const [signed] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from meeting_attendance where meeting_id = ${legacy} and checked_in_at is not null`,
      );
      assert.equal(signed!.n, 0);

      // Held needs own content and someone present (issue 16 item 2): one of the branch's own, from the paper sheet.
      const [own] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from member where org_id = ${branchA} limit 1`,
      );
      const minutes = {
        host: '张建国',
        recorder: '张建国',
        agenda: '学习',
        content: '学习了党章第一章，党员交流了学习体会。',
        resolutions: [],
        absentReasons: { [outsiderId]: '出差' },
        attendees: [own!.id],
        speakerIsSecretary: false,
      };
      const bad = await put(`/meetings/${legacy}/minutes`, shuji, minutes);
      assert.equal(bad.status, 403, bad.raw);
      const ok = await put(`/meetings/${legacy}/minutes`, shuji, { ...minutes, absentReasons: {} });
      assert.equal(ok.status, 200, ok.raw);
      const mins = await get(`/meetings/${legacy}/minutes`, shuji);
      const minuteNames = [...mins.body.attendees, ...mins.body.absentees].map((p: { name: string }) => p.name);
      assert.deepEqual(
        minuteNames.filter((n) => outsideNames.has(n)),
        [],
        'minutes name no one outside the branch',
      );

      const y = new Date(nowMs() - 10 * MIN + 8 * 3600_000).getUTCFullYear(); // the year of the legacy meeting, in China
      const ledger = await t.app.inject({
        method: 'GET',
        url: `/api/v1/orgs/${branchA}/meeting-ledger?year=${y}`,
        headers: { authorization: `Bearer ${shuji}` },
      });
      assert.equal(ledger.statusCode, 200, ledger.body);
      const xml = await (await JSZip.loadAsync(ledger.rawPayload)).file('word/document.xml')!.async('string');
      const text = xml.replace(/<[^>]+>/g, '');
      assert.ok(text.includes('联合主题党日（旧）'));
      // Names are listed between 、 ； （ ）: compare whole names, not substrings of longer ones.
      const words = new Set(text.split(/[、；（）：:\s]+/));
      assert.deepEqual(
        [...outsideNames].filter((n) => words.has(n)),
        [],
        'the 台账 names no one outside the branch',
      );
      assert.ok(words.has('其他组织党员'), 'people outside are there, unnamed');

      // Someone whose scope covers them all still sees the names.
      const full = await get(`/meetings/${legacy}/attendance?pageSize=200`, admin);
      assert.ok(full.body.items.some((i: { memberName: string }) => outsideNames.has(i.memberName)));
    });
  });
});
