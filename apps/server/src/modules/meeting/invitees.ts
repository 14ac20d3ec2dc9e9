/**
 * Who a meeting invites: the default list for its kind (INVITEE_RULES — 支委会 the current
 * committee, 党小组会 the group, 党员大会 / 党课 / 主题党日 the whole branch with its groups), and
 * the list as the secretary settles it before publishing, each change from the default with its
 * reason. Attendance, 补学, the 台账 and the minutes' absentees all read the invited rows.
 */
import { inSubtree } from '../../platform/access';
import {
  INVITEE_RULES,
  RECORD_READERS,
  todayInChina,
  type InvitationChange,
  type Invitee,
  type InviteesReply,
  type MeetingKind,
} from '@xianfeng/shared';
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Scope } from '../../platform/access';
import { onKey, type Queryable } from '../../platform/db';
import { org } from '../../platform/schema';
import { member, memberFlow, onRoll } from '../member/service';
import { currentCommitteeOf } from '../org/service';
import { HIDDEN_NAME, inPaths, memberPaths, pathsWith, within } from './attendance';
import { type MeetingRow } from './meetings';
import { meetingAttendance } from './schema';

/**
 * 流动党员 registered with the meeting's org (or an org under it, or a joint org) as their 流入地党组织 (member_flow.host_org_id;
 * 一方隶属、参加多重组织生活, FLOW_HOST_RULE): on the roll, with an open flow. Their membership stays with their home branch.
 */
export async function hostedFlowing(db: Queryable, m: MeetingRow, only?: readonly string[]): Promise<Person[]> {
  const paths = await memberPaths(db, m);
  if (paths.length === 0) return [];
  const host = alias(org, 'host');
  return db
    .select(personColumns)
    .from(memberFlow)
    .innerJoin(member, onKey(member, memberFlow.memberId, memberFlow))
    .innerJoin(org, onKey(org, member.orgId, member))
    .innerJoin(host, onKey(host, memberFlow.hostOrgId, memberFlow))
    .where(
      and(
        eq(memberFlow.tenantId, m.tenantId),
        isNull(memberFlow.endedOn),
        onRoll(),
        or(...paths.map((p) => inSubtree(host.path, p))),
        ...(only ? [inArray(member.id, only.length ? [...only] : ['00000000-0000-0000-0000-000000000000'])] : []),
      ),
    )
    .orderBy(asc(member.name))
    .limit(MAX_INVITEES);
}

/** At most this many people on one list (the publish body's limit). */
export const MAX_INVITEES = 2000;

const STATUS_WHY: Record<string, string> = { probationary: '预备党员' };

type Person = { id: string; name: string; orgId: string; orgName: string; status: string };

const personColumns = {
  id: member.id,
  name: member.name,
  orgId: member.orgId,
  orgName: org.name,
  status: member.status,
};

/** The kind's default list, with the rule, its source, and what the secretary should know. */
export async function defaultInvitees(
  db: Queryable,
  m: MeetingRow,
): Promise<{ rule: string; citation: string; notes: string[]; items: Invitee[] }> {
  const kind = m.kind as MeetingKind;
  const rule = INVITEE_RULES[kind];
  const notes: string[] = [];
  let items: Invitee[] = [];
  if (rule.who === 'committee') {
    const committee = await currentCommitteeOf(db, m.tenantId, m.orgId);
    if (!committee || committee.seats.length === 0)
      notes.push('本组织还没有录入本届委员会，请先在「组织管理 › 班子与换届」中录入，或在下方手动添加参会人员');
    else {
      for (const s of committee.seats.filter((s) => !s.memberId))
        notes.push(
          `${s.name}（${s.position}）未关联党员档案，收不到通知；请在「组织管理 › 班子与换届」中关联，或在下方手动添加`,
        );
      const ids = committee.seats.flatMap((s) => (s.memberId ? [s.memberId] : []));
      const people = ids.length
        ? await db
            .select(personColumns)
            .from(member)
            .innerJoin(org, onKey(org, member.orgId, member))
            .where(and(eq(member.tenantId, m.tenantId), inArray(member.id, ids), onRoll()))
        : [];
      const byId = new Map(people.map((p) => [p.id, p]));
      for (const s of committee.seats) {
        const p = s.memberId ? byId.get(s.memberId) : undefined;
        if (s.memberId && !p) notes.push(`${s.name}（${s.position}）已不在册，不再通知`);
        if (p && !items.some((i) => i.memberId === p.id)) items.push(view(p, s.position));
      }
      if (committee.dueOn < todayInChina())
        notes.push(
          committee.dueOn === committee.endsOn
            ? `本届委员会任期已于 ${committee.endsOn} 届满，请及时换届`
            : `本届委员会任期 ${committee.endsOn} 届满，经批准延期至 ${committee.dueOn}，请及时换届`,
        );
    }
  } else {
    const paths = await memberPaths(db, m);
    const people = await db
      .select(personColumns)
      .from(member)
      .innerJoin(org, onKey(org, member.orgId, member))
      .where(and(eq(member.tenantId, m.tenantId), onRoll(), inPaths(paths)))
      .orderBy(asc(org.path), asc(member.name))
      .limit(MAX_INVITEES + 1);
    if (people.length > MAX_INVITEES)
      notes.push(`人数超过 ${MAX_INVITEES} 人，只列出前 ${MAX_INVITEES} 人；请按下级组织分别召开`);
    items = people.slice(0, MAX_INVITEES).map((p) => {
      const status = STATUS_WHY[p.status];
      const where = p.orgId === m.orgId ? '本组织党员' : p.orgName;
      return view(p, kind === 'party_congress' && status ? `${status}（无表决权）` : (status ?? where));
    });
    const have = new Set(items.map((i) => i.memberId));
    const flowing = (await hostedFlowing(db, m)).filter((p) => !have.has(p.id));
    items = [...items, ...flowing.map((p) => view(p, `流动党员（组织关系在${p.orgName}）`))].slice(0, MAX_INVITEES);
    if (flowing.length)
      notes.push(
        `${flowing.map((p) => p.name).join('、')}是在本组织参加组织生活的流动党员，组织关系在原支部，到会情况同时计入原支部`,
      );
    if (items.length === 0) notes.push('本组织没有在册党员，请在下方手动添加参会人员');
  }
  return { rule: rule.label, citation: rule.citation, notes, items };
}

const view = (p: Person, why: string): Invitee => ({
  memberId: p.id,
  name: p.name,
  orgId: p.orgId,
  orgName: p.orgName,
  status: p.status,
  why,
});

/** The people invited now (after an earlier notice), in roster order. */
export async function invitedNow(db: Queryable, m: MeetingRow): Promise<Invitee[]> {
  const rows = await db
    .select(personColumns)
    .from(meetingAttendance)
    .innerJoin(member, onKey(member, meetingAttendance.memberId, meetingAttendance))
    .innerJoin(org, onKey(org, member.orgId, member))
    .where(
      and(
        eq(meetingAttendance.tenantId, m.tenantId),
        eq(meetingAttendance.meetingId, m.id),
        eq(meetingAttendance.invited, true),
      ),
    )
    .orderBy(asc(org.path), asc(member.name))
    .limit(MAX_INVITEES);
  const added = new Map(m.invitationChanges.filter((c) => c.change === 'added').map((c) => [c.memberId, c.reason]));
  return rows.map((p) => view(p, added.has(p.id) ? '手动添加' : (STATUS_WHY[p.status] ?? p.orgName)));
}

/**
 * What the publish dialog shows. People of a joint activity's orgs outside the viewer's scope are
 * not named (security review #14, finding 1), as in the attendance list.
 */
export async function inviteesOf(db: Queryable, scope: Scope, m: MeetingRow): Promise<InviteesReply> {
  const [d, invited] = await Promise.all([defaultInvitees(db, m), invitedNow(db, m)]);
  const ids = [...new Set([...d.items, ...invited].map((i) => i.memberId))];
  const people = ids.length
    ? await db
        .select({ id: member.id, path: org.path })
        .from(member)
        .innerJoin(org, onKey(org, member.orgId, member))
        .where(and(eq(member.tenantId, m.tenantId), inArray(member.id, ids)))
    : [];
  const paths = new Map(people.map((p) => [p.id, p.path]));
  const visible = pathsWith(scope, RECORD_READERS);
  // A 流动党员 registered with this org is named to its keepers (they invite and sign in the member).
  const hosted = new Set((await hostedFlowing(db, m)).map((p) => p.id));
  const seen = (memberId: string) => hosted.has(memberId) || within(visible, paths.get(memberId) ?? '\u0000');
  const hide = <T extends { memberId: string; name: string }>(i: T): T =>
    seen(i.memberId) ? i : { ...i, name: HIDDEN_NAME };
  return {
    rule: d.rule,
    citation: d.citation,
    notes: d.notes,
    defaults: d.items.map(hide),
    invited: invited.map(hide),
    changes: m.invitationChanges.map(hide),
  };
}

/** The changes a final list makes to the default one; each needs a reason (given now, or kept from before). */
export function changesFrom(
  defaults: readonly { memberId: string; name: string }[],
  final: readonly { id: string; name: string }[],
  reasons: Record<string, string>,
  before: readonly InvitationChange[],
): { changes: InvitationChange[]; missing: { memberId: string; name: string; change: 'added' | 'removed' }[] } {
  const inDefault = new Set(defaults.map((d) => d.memberId));
  const inFinal = new Set(final.map((f) => f.id));
  const earlier = new Map(before.map((c) => [`${c.change}:${c.memberId}`, c.reason]));
  const wanted = [
    ...final
      .filter((f) => !inDefault.has(f.id))
      .map((f) => ({ memberId: f.id, name: f.name, change: 'added' as const })),
    ...defaults
      .filter((d) => !inFinal.has(d.memberId))
      .map((d) => ({ memberId: d.memberId, name: d.name, change: 'removed' as const })),
  ];
  const changes: InvitationChange[] = [];
  const missing: typeof wanted = [];
  for (const w of wanted) {
    const reason = reasons[w.memberId]?.trim() || earlier.get(`${w.change}:${w.memberId}`);
    if (reason) changes.push({ ...w, reason });
    else missing.push(w);
  }
  return { changes, missing };
}
