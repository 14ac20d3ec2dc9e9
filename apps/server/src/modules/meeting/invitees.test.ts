import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MEETING_TEMPLATES, nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp } from '../../testing/harness';

const MIN = 60_000;
const iso = (ms: number) => new Date(nowMs() + ms).toISOString();

type Invitee = { memberId: string; name: string; orgId: string; status: string; why: string };
type Invitees = {
  rule: string;
  citation: string;
  notes: string[];
  defaults: Invitee[];
  invited: Invitee[];
  changes: { memberId: string; change: string; reason: string }[];
};

/** Issue 16 items 1 and 2: who a meeting invites by its kind, and minutes that are really minutes. */
describe('invitations by meeting kind, and minutes that count', () => {
  let t: TestApp;
  const { get, post, put } = api(() => t);
  let shuji: string;
  let branch: string; // 第一发电厂党支部
  let group: string; // its 第一党小组
  let seats: { memberId: string | null; name: string; position: string }[];
  let moved: string[]; // three members moved from the branch into its first group (the first made probationary)
  let inGroup: string[]; // everyone in the first group
  let all: { id: string; status: string }[];
  const meetingOf = async (kind: string, orgId = branch, startsIn = 2 * 24 * 3600_000) => {
    const r = await post('/meetings', shuji, {
      orgId,
      kind,
      title: `测试${kind}`,
      startsAt: iso(startsIn),
      endsAt: iso(startsIn + 60 * MIN),
      location: '党员活动室',
    });
    assert.equal(r.status, 201, r.raw);
    return r.body.id as string;
  };
  const invitees = async (id: string) => (await get(`/meetings/${id}/invitees`, shuji)).body as Invitees;

  before(async () => {
    t = await startTestApp();
    shuji = await t.login('shuji');
    branch = await t.orgId('第一发电厂党支部');
    [{ id: group }] = (await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from org where parent_id = ${branch} and name = '第一党小组'`,
    )) as [{ id: string }];
    seats = await queryRows(
      t.services.db,
      sql`select c.member_id as "memberId", c.name, c.position from committee_member c
          join org_term tm on tm.id = c.term_id where tm.org_id = ${branch}
          and tm.starts_on = (select max(starts_on) from org_term where org_id = ${branch})`,
    );
    // File three more of the branch's own members in its first party group (the demo deals two thirds
    // of a branch's members into its groups and keeps the rest in the branch).
    const rows = await queryRows<{ id: string }>(
      t.services.db,
      sql`update member set org_id = ${group} where id in (
            select id from member where org_id = ${branch} and user_id is null and left_at is null
            and id not in (select member_id from committee_member where member_id is not null)
            order by name limit 3) returning id`,
    );
    moved = rows.map((m) => m.id);
    assert.equal(moved.length, 3, 'the branch keeps members of its own');
    await queryRows(
      t.services.db,
      sql`update member set status = 'probationary', full_at = null where id = ${moved[0]}`,
    );
    inGroup = (
      await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from member where org_id = ${group} and left_at is null`,
      )
    ).map((m) => m.id);
    assert.ok(inGroup.length > moved.length, 'the demo group has members of its own');
    all = await queryRows(
      t.services.db,
      sql`select m.id, m.status from member m join org o on o.id = m.org_id
          where m.left_at is null and o.path like (select path from org where id = ${branch}) || '%'`,
    );
  });
  after(() => t.close());

  it('invites the current committee to a 支委会, not the whole branch, and says who cannot be reached', async () => {
    const id = await meetingOf('committee');
    const inv = await invitees(id);
    const linked = seats.filter((s) => s.memberId).map((s) => s.memberId!);
    assert.ok(linked.length >= 3, 'the demo branch has a committee');
    assert.deepEqual(inv.defaults.map((d) => d.memberId).sort(), [...linked].sort());
    assert.match(inv.rule, /本届支部委员会委员/);
    assert.match(inv.citation, /支部工作条例/);
    // The demo secretary 张建国 (shuji) is a member of the branch: invited as 书记 (#16's walk found him missing).
    assert.equal(inv.defaults.find((d) => d.name === '张建国')?.why, '书记');
    // A seat without a member record: the list says so rather than silently missing them.
    const [term] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from org_term where org_id = ${branch} order by starts_on desc limit 1`,
    );
    await t.services.db.execute(
      sql`insert into committee_member (tenant_id, org_id, term_id, member_id, name, position)
          select tenant_id, org_id, id, null, '王未档', '委员' from org_term where id = ${term!.id}`,
    );
    assert.ok((await invitees(id)).notes.some((n) => /王未档（委员）未关联党员档案/.test(n)));
    assert.ok(
      inv.defaults.every((d) => ['组织委员', '宣传委员', '纪检委员', '书记', '副书记', '委员'].includes(d.why)),
    );

    const published = await post(`/meetings/${id}/publish`, shuji, {});
    assert.equal(published.status, 200, published.raw);
    assert.equal(published.body.counts.invited, linked.length);
    assert.ok(all.length > linked.length + 10, `the branch has ${all.length} members`);
  });

  it("invites a 党小组会 to the group's members only", async () => {
    const id = await meetingOf('group', group);
    const inv = await invitees(id);
    assert.deepEqual(inv.defaults.map((d) => d.memberId).sort(), [...inGroup].sort());
    const r = await post(`/meetings/${id}/publish`, shuji, {});
    assert.equal(r.body.counts.invited, inGroup.length);
  });

  it('invites every member of the branch including its groups to a 党员大会, the probationary without a vote', async () => {
    const id = await meetingOf('party_congress');
    const inv = await invitees(id);
    assert.equal(inv.defaults.length, all.length);
    for (const g of inGroup)
      assert.ok(
        inv.defaults.some((d) => d.memberId === g),
        'group members are branch members',
      );
    const probationary = inv.defaults.find((d) => d.memberId === moved[0]);
    assert.equal(probationary!.why, '预备党员（无表决权）');
    // 主题党日 and 党课 reach the whole branch too.
    for (const kind of ['theme_day', 'lecture'])
      assert.equal((await invitees(await meetingOf(kind))).defaults.length, all.length);
  });

  it('asks a reason for each person added to or left out of the default list, keeps them, and audits them', async () => {
    const id = await meetingOf('committee');
    const defaults = (await invitees(id)).defaults.map((d) => d.memberId);
    const guest = moved[1]!; // in the group, not on the committee
    const dropped = defaults[0]!;
    const list = [...defaults.filter((d) => d !== dropped), guest];
    const refused = await post(`/meetings/${id}/publish`, shuji, {
      memberIds: list,
      reasons: { [guest]: '列席汇报' },
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'INVITATION_REASON_REQUIRED');
    assert.match(refused.body.error.message, /请写明原因：不通知/);
    assert.equal((await get(`/meetings/${id}`, shuji)).body.status, 'planned', 'nothing published');

    const ok = await post(`/meetings/${id}/publish`, shuji, {
      memberIds: list,
      reasons: { [guest]: '列席汇报党小组工作', [dropped]: '外出培训，已请假' },
    });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.counts.invited, defaults.length);
    const after = await invitees(id);
    assert.deepEqual(
      after.changes.map((c) => `${c.change}:${c.memberId}:${c.reason}`).sort(),
      [`added:${guest}:列席汇报党小组工作`, `removed:${dropped}:外出培训，已请假`].sort(),
    );
    assert.ok(after.invited.some((i) => i.memberId === guest && i.why === '手动添加'));
    const [audit] = await queryRows<{ after: { changes: unknown[] } }>(
      t.services.db,
      sql`select after from audit_log where action = 'meeting.publish' and entity_id = ${id}`,
    );
    assert.equal(audit!.after.changes.length, 2);

    // A second notice without a list keeps the one left out out, and the guest in.
    const again = await post(`/meetings/${id}/publish`, shuji, {});
    assert.equal(again.status, 200, again.raw);
    const inv = await invitees(id);
    assert.ok(!inv.invited.some((i) => i.memberId === dropped));
    assert.ok(inv.invited.some((i) => i.memberId === guest));
  });

  it('counts attendance, absentees and 补学 against the invitation list: a 支委会 leaves the rest of the branch alone', async () => {
    const id = await meetingOf('committee', branch, -10 * MIN);
    assert.equal((await post(`/meetings/${id}/publish`, shuji, {})).status, 200);
    const [first, ...rest] = (await invitees(id)).invited;
    assert.equal((await post(`/meetings/${id}/checkin`, shuji, { memberId: first!.memberId })).status, 200);
    const minutes = await put(`/meetings/${id}/minutes`, shuji, {
      host: '支部书记',
      recorder: '组织委员',
      content: '一、学习内容：学习上级文件精神。\n二、研究事项：研究了本月发展党员工作。',
    });
    assert.equal(minutes.status, 200, minutes.raw);
    assert.equal(minutes.body.due, rest.length + 1);
    assert.equal(minutes.body.absentees.length, rest.length, 'only invited committee members can be absent');
    const makeup = await get(`/meetings/${id}/attendance?filter=makeup_pending&pageSize=200`, shuji);
    assert.equal(makeup.body.total, rest.length);
  });

  it('refuses minutes that are only the outline, and minutes without anyone present; the meeting is not held', async () => {
    const id = await meetingOf('theme_day', branch, -30 * MIN);
    assert.equal((await post(`/meetings/${id}/publish`, shuji, {})).status, 200);
    const base = { host: '张建国', recorder: '李明' };
    const outline = await put(`/meetings/${id}/minutes`, shuji, {
      ...base,
      content: MEETING_TEMPLATES.theme_day.minutes,
    });
    assert.equal(outline.status, 422);
    assert.equal(outline.body.error.code, 'MINUTES_OUTLINE_ONLY');
    assert.match(outline.body.error.message, /只有提纲/);
    const short = await put(`/meetings/${id}/minutes`, shuji, {
      ...base,
      content: `${MEETING_TEMPLATES.theme_day.minutes}学习`,
    });
    assert.equal(short.body.error.code, 'MINUTES_OUTLINE_ONLY');
    const content = '一、活动主题：重温入党誓词\n二、学习内容：集中学习党章，党员交流发言。';
    const nobody = await put(`/meetings/${id}/minutes`, shuji, { ...base, content });
    assert.equal(nobody.status, 422);
    assert.equal(nobody.body.error.code, 'MINUTES_NO_ATTENDANCE');
    assert.equal((await get(`/meetings/${id}`, shuji)).body.status, 'published');
    const month = new Date(nowMs() - 30 * MIN + 8 * 3600_000).toISOString().slice(0, 7);
    const tally = async () =>
      (
        await queryRows<{ n: number }>(
          t.services.db,
          sql`select coalesce(sum(${sql.raw(`m${Number(month.slice(5))}`)}), 0)::int as n from meeting_tally
              where org_id = ${branch} and kind = 'theme_day' and year = ${Number(month.slice(0, 4))}`,
        )
      )[0]!.n;
    const before = await tally();
    // The paper sign-in sheet: ticking who was there in the minutes records them as present.
    const someone = (await invitees(id)).invited[0]!.memberId;
    const ok = await put(`/meetings/${id}/minutes`, shuji, { ...base, content, attendees: [someone] });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.present, 1);
    assert.equal((await get(`/meetings/${id}`, shuji)).body.status, 'held');
    assert.equal(await tally(), before + 1);
  });
});
