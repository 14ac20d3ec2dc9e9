/**
 * Demo 组织生活: a believable past twelve months of meetings for the demo branches, with
 * notices, sign-ins, leave requests, minutes and 补学 — most branches keep the cadence, a few
 * are behind (missed committee meetings, no secretary's lecture, theme days skipped) so the
 * compliance roll-up has something to show.
 */
import { MEETING_KIND_LABELS, todayInChina, type MeetingKind, now } from '@xianfeng/shared';
import crypto from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import type { Tx } from '../../platform/db';
import { seededRandom } from '../../demo/people';
import { member } from '../member/service';
import { committeeMember } from '../org/service';
import { meeting, meetingAttendance, meetingMinutes, meetingTally, talk } from './schema';
import { chinaMonth } from './service';

/** Branches behind on purpose, and what they skip. */
const BEHIND: Record<
  string,
  { skipCommittee?: number; skipThemeDay?: number; noLecture?: boolean; noCongressQuarters?: number }
> = {
  检修公司党支部: { skipCommittee: 5, noLecture: true },
  海外项目部党支部: { skipCommittee: 8, skipThemeDay: 6, noCongressQuarters: 2, noLecture: true },
  生产二部党支部: { skipThemeDay: 2 },
  集团离退休干部党支部: { skipCommittee: 3 },
};

const THEMES = [
  '重温入党誓词，学习党章',
  '学习贯彻党的二十届四中全会精神',
  '安全生产大检查志愿服务',
  '“七一”主题党日：走访慰问老党员',
  '廉洁文化进班组',
  '学习《中国共产党纪律处分条例》',
  '节能降耗金点子征集',
  '红色教育基地参观学习',
];
const TOPICS = [
  '以高质量党建引领企业高质量发展',
  '深入学习贯彻新时代党的建设总要求',
  '发扬斗争精神，勇于担当作为',
  '党员干部如何做到清正廉洁',
];
const pad = (n: number) => String(n).padStart(2, '0');

export async function seedMeetings(tx: Tx, tenantId: string, orgs: OrgRef[], today = todayInChina()): Promise<void> {
  const rng = seededRandom(20_260_815);
  const units = orgs.filter((o) => o.kind === 'branch' || o.kind === 'general_branch');
  /** The nearest branch or general branch above an org (the one whose path is longest). */
  const unitOf = (g: OrgRef) =>
    units.filter((u) => u.id !== g.id && g.path.startsWith(u.path)).sort((a, b) => b.path.length - a.path.length)[0];
  const groups = orgs.filter((g) => g.kind === 'group');
  const members = await tx
    .select({ id: member.id, orgId: member.orgId, name: member.name, status: member.status })
    .from(member)
    .where(
      and(
        inArray(
          member.orgId,
          [...units, ...groups].map((u) => u.id),
        ),
        isNull(member.leftAt),
      ),
    )
    .orderBy(member.name, member.id);
  // A 党小组's members are also its branch's (a 党员大会, 党课 or 主题党日 includes the groups).
  const byOrg = new Map<string, typeof members>();
  const file = (orgId: string, m: (typeof members)[number]) => byOrg.set(orgId, [...(byOrg.get(orgId) ?? []), m]);
  for (const m of members) {
    file(m.orgId, m);
    const g = groups.find((x) => x.id === m.orgId);
    const unit = g && unitOf(g);
    if (unit) file(unit.id, m);
  }
  // Who chairs: the 书记 of the unit's current committee (the demo has one term per org), else its first member.
  const allSeats = await tx
    .select({
      orgId: committeeMember.orgId,
      name: committeeMember.name,
      position: committeeMember.position,
      memberId: committeeMember.memberId,
    })
    .from(committeeMember)
    .where(eq(committeeMember.tenantId, tenantId))
    .orderBy(committeeMember.position, committeeMember.name);
  const seats = allSeats.filter((x) => x.position === '书记');
  const chairOf = (o: OrgRef, people: typeof members) =>
    seats.find((x) => x.orgId === o.id)?.name ?? people[0]?.name ?? '支部书记';
  // 谈心谈话 are shared out among the unit's linked seats (the 书记 first), so the coverage page has seats behind.
  const talkersOf = (o: OrgRef) => {
    const linked = allSeats.filter((x) => x.orgId === o.id && x.memberId);
    return [...linked.filter((x) => x.position === '书记'), ...linked.filter((x) => x.position !== '书记')];
  };

  // The twelve whole months before this one, and this month's days already past.
  const [ty, tm] = today.split('-').map(Number) as [number, number];
  const months = Array.from({ length: 13 }, (_, i) => {
    const k = ty * 12 + (tm - 1) - 12 + i;
    return { y: Math.floor(k / 12), m: (k % 12) + 1 };
  });

  type M = typeof meeting.$inferInsert & { id: string };
  const meetings: M[] = [];
  const minutes: (typeof meetingMinutes.$inferInsert)[] = [];
  const tallies = new Map<string, typeof meetingTally.$inferInsert>();
  const tally = (orgId: string, kind: string, month: string) => {
    const year = Number(month.slice(0, 4));
    const k = `${orgId}|${kind}|${year}`;
    const t = tallies.get(k) ?? { tenantId, orgId, kind, year };
    const col = `m${Number(month.slice(5, 7))}` as 'm1';
    t[col] = (t[col] ?? 0) + 1;
    tallies.set(k, t);
  };

  const add = (
    o: OrgRef,
    kind: MeetingKind,
    date: string,
    start: string,
    end: string,
    title: string,
    people: typeof members,
    extra: { speaker?: string; topic?: string; bySecretary?: boolean; chair?: string } = {},
  ) => {
    if (date >= today) return;
    const id = crypto.randomUUID();
    const startsAt = new Date(`${date}T${start}:00+08:00`);
    meetings.push({
      id,
      tenantId,
      orgId: o.id,
      kind,
      title,
      startsAt,
      endsAt: new Date(`${date}T${end}:00+08:00`),
      location: rng.next() < 0.8 ? '党员活动室' : '三楼会议室',
      status: 'held',
      speaker: extra.speaker ?? null,
      topic: extra.topic ?? null,
      publishedAt: new Date(startsAt.getTime() - 3 * 24 * 3600_000),
    });
    const secretary = extra.chair ?? people[0]?.name ?? '支部书记';
    minutes.push({
      meetingId: id,
      tenantId,
      host: secretary,
      recorder: people.find((p) => p.name !== secretary)?.name ?? secretary,
      agenda: extra.topic ? `党课：${extra.topic}` : title,
      content: `会议由${secretary}主持。${kind === 'lecture' ? `${extra.speaker ?? secretary}以“${extra.topic}”为题讲授党课。` : `围绕“${title}”开展学习讨论，与会党员结合岗位实际交流发言。`}`,
      resolutions: kind === 'party_congress' || kind === 'committee' ? ['会议议定事项按分工抓好落实'] : [],
      speaker: extra.speaker ?? null,
      topic: extra.topic ?? null,
      speakerIsSecretary: Boolean(extra.bySecretary),
      recordedAt: new Date(startsAt.getTime() + 3 * 3600_000),
    });
    const month = chinaMonth(startsAt);
    tally(o.id, kind, month);
    if (extra.bySecretary) tally(o.id, 'lecture_secretary', month);
  };

  for (const o of units) {
    const people = byOrg.get(o.id) ?? [];
    const chair = chairOf(o, people);
    const behind = BEHIND[o.name] ?? {};
    const hasCommittee = people.filter((p) => p.status === 'full').length >= 7;
    // The unit's own groups only: a general branch's subtree also holds its branches' groups, which
    // their branch already seeds (this once gave every group's monthly 党小组会 twice, #16).
    const ownGroups = groups.filter((g) => unitOf(g)?.id === o.id);
    const committee = hasCommittee || o.kind === 'general_branch';
    const skipC = new Set(Array.from({ length: behind.skipCommittee ?? 0 }, (_, i) => months.length - 1 - i * 2));
    const skipT = new Set(Array.from({ length: behind.skipThemeDay ?? 0 }, (_, i) => months.length - 2 - i * 2));
    months.forEach(({ y, m }, i) => {
      const ym = `${y}-${pad(m)}`;
      if (committee && !skipC.has(i))
        add(o, 'committee', `${ym}-05`, '16:00', '17:00', `${m}月支委会`, people, { chair });
      if (!skipT.has(i))
        add(
          o,
          'theme_day',
          `${ym}-15`,
          '14:30',
          '17:00',
          `${m}月主题党日：${THEMES[(i + o.name.length) % THEMES.length]}`,
          people,
          { chair },
        );
      ownGroups.forEach((g, gi) =>
        add(g, 'group', `${ym}-${pad(10 + gi)}`, '16:00', '17:00', `${g.name}${m}月党小组会`, byOrg.get(g.id) ?? []),
      );
      const quarterIndex = Math.floor((m - 1) / 3);
      if (m % 3 === 2 && !(behind.noCongressQuarters && quarterIndex < behind.noCongressQuarters))
        add(
          o,
          'party_congress',
          `${ym}-20`,
          '09:00',
          '11:00',
          `${y}年第${'一二三四'[quarterIndex]}季度${MEETING_KIND_LABELS.party_congress}`,
          people,
          { chair },
        );
      if (m === 7 && !behind.noLecture)
        add(o, 'lecture', `${ym}-01`, '09:00', '11:00', `${y}年度书记讲党课`, people, {
          speaker: chair,
          topic: rng.pick(TOPICS),
          bySecretary: true,
          chair,
        });
      if (m === 4)
        add(o, 'lecture', `${ym}-25`, '09:00', '11:00', '专题党课', people, {
          chair,
          speaker: '上级党委委员',
          topic: rng.pick(TOPICS),
        });
      if (m === 1) {
        add(o, 'org_life', `${ym}-12`, '09:00', '12:00', `${y - 1}年度组织生活会`, people, { chair });
        add(o, 'democratic_review', `${ym}-18`, '09:00', '12:00', `${y - 1}年度民主评议党员`, people, { chair });
      }
    });
  }
  // 谈心谈话 this year: every member in most branches, about half in the branches behind.
  const talks: (typeof talk.$inferInsert)[] = [];
  for (const o of units) {
    const people = byOrg.get(o.id) ?? [];
    const share = BEHIND[o.name] ? 0.5 : 1;
    const talkers = talkersOf(o);
    people.slice(0, Math.floor(people.length * share)).forEach((p, i) => {
      const heldOn = `${ty}-${pad(1 + (i % Math.max(1, tm - 1 || 1)))}-${pad(1 + (i % 27))}`;
      if (heldOn >= today) return;
      // Every other member by the 书记, the rest round the other seats; nobody talks with themself.
      const pick = talkers.length
        ? (talkers[i % 2 === 0 ? 0 : 1 + (((i - 1) / 2) % Math.max(1, talkers.length - 1))] ?? talkers[0]!)
        : null;
      const by = pick && pick.memberId !== p.id ? pick : (talkers.find((x) => x.memberId !== p.id) ?? null);
      talks.push({
        tenantId,
        orgId: o.id,
        memberId: p.id,
        talker: by?.name ?? chairOf(o, people),
        talkerMemberId: by?.memberId ?? null,
        heldOn,
        topic: '思想、工作和生活情况',
        summary: '交流了近期思想和工作情况，提出了意见建议。',
      });
      tally(p.orgId, 'talk', `${heldOn.slice(0, 7)}-01`);
    });
  }
  for (let i = 0; i < talks.length; i += 1000) await tx.insert(talk).values(talks.slice(i, i + 1000));
  for (let i = 0; i < meetings.length; i += 500) await tx.insert(meeting).values(meetings.slice(i, i + 500));
  for (let i = 0; i < minutes.length; i += 500) await tx.insert(meetingMinutes).values(minutes.slice(i, i + 500));
  // Notices, answers, sign-ins and 补学 for the people each meeting's kind invites (INVITEE_RULES):
  // a 支委会 its committee's members, a 党小组会 the group, any other meeting the branch with its
  // groups; decided by a hash of meeting and member so the demo is the same each time.
  // Generated in the database: ten thousand rows are much cheaper there than as parameters.
  await tx.execute(sql`
    with inv as (
      select mt.id as meeting_id, mt.kind, mt.starts_at, m.id as member_id, m.org_id,
             (abs(hashtext(mt.id::text || m.id::text)::bigint) % 10000) / 10000.0 as r,
             (abs(hashtext(m.id::text || mt.id::text)::bigint) % 10000) / 10000.0 as r2
      from meeting mt join member m on m.left_at is null and m.tenant_id = mt.tenant_id and (
        case when mt.kind = 'committee'
          then m.id in (select cm.member_id from committee_member cm where cm.org_id = mt.org_id)
          else m.org_id = mt.org_id
            or (mt.kind <> 'group' and m.org_id in (select g.id from org g where g.kind = 'group' and g.parent_id = mt.org_id))
        end)
      where mt.tenant_id = ${tenantId} and mt.status = 'held'
    )
    insert into meeting_attendance (tenant_id, meeting_id, member_id, org_id, response, leave_reason, responded_at,
      checked_in_at, checkin_method, late, absent_reason, makeup_done_at, makeup_reflection)
    select ${tenantId}, meeting_id, member_id, org_id,
      case when r < 0.86 then 'confirmed' when r < 0.96 then 'leave' else 'pending' end,
      case when r >= 0.86 and r < 0.96 then (array['出差在外','值班倒班','身体不适','外出培训','家中有事'])[1 + floor(r2 * 5)::int] end,
      case when r < 0.96 then starts_at - interval '2 days' end,
      case when r < 0.86 then starts_at + (case when r2 < 0.06 then 6 + floor(r2 * 300)::int else -1 - floor(r2 * 20)::int end) * interval '1 minute' end,
      case when r < 0.86 then case when r2 < 0.8 then 'qr' else 'manual' end end,
      r < 0.86 and r2 < 0.06,
      case when r >= 0.96 then '未说明原因' end,
      case when r >= 0.86 and r2 < 0.7 then starts_at + interval '5 days' end,
      case when r >= 0.86 and r2 < 0.7 then '已认真学习会议记录和学习材料，深受教育，将在工作中贯彻落实。' end
    from inv`);
  const t = [...tallies.values()];
  for (let i = 0; i < t.length; i += 1000) await tx.insert(meetingTally).values(t.slice(i, i + 1000));

  // Coming up: next month's theme day of the demo member's branch, announced, answers pending.
  const home = units.find((o) => o.name === '第一发电厂党支部');
  if (home) {
    const next = months[months.length - 1]!;
    const k = next.y * 12 + next.m; // the month after the current one
    const date = `${Math.floor(k / 12)}-${pad((k % 12) + 1)}-15`;
    const [upcoming] = await tx
      .insert(meeting)
      .values({
        tenantId,
        orgId: home.id,
        kind: 'theme_day',
        title: '主题党日：重温入党誓词，走访慰问老党员',
        startsAt: new Date(`${date}T14:30:00+08:00`),
        endsAt: new Date(`${date}T17:00:00+08:00`),
        location: '党员活动室',
        agenda: '重温入党誓词；集中学习；志愿服务',
        status: 'published',
        publishedAt: now(),
      })
      .returning({ id: meeting.id });
    const people = byOrg.get(home.id) ?? [];
    if (people.length)
      await tx
        .insert(meetingAttendance)
        .values(people.map((p) => ({ tenantId, meetingId: upcoming!.id, memberId: p.id, orgId: p.orgId })));
  }
}
