/**
 * 谈心谈话: talks with members, counted for the yearly talk rule, and the yearly coverage of the current committee's
 * seats × the org's members (TALK_COVERAGE_RULE) with reminders to the seats that are behind.
 */
import { inSubtree } from '../../platform/access';
import {
  now as clockNow,
  TALK_COVERAGE_RULE,
  todayInChina,
  type TalkCoverage,
  type TalkRecord,
  type TalkReminderResult,
} from '@xianfeng/shared';
import { and, asc, desc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { queryRows, type Db, type Queryable, onKey } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { countFrom, pageWhere } from '../../platform/paging';
import { org } from '../../platform/schema';
import { member, onRollAs } from '../member/service';
import { notify } from '../notify/service';
import { currentCommitteeOf } from '../org/service';
import { talk } from './schema';
import { chinaDate, bumpTally } from './meetings';

export type TalkInput = {
  orgId: string;
  memberId: string;
  talker: string;
  talkerMemberId?: string | undefined;
  heldOn: string;
  topic: string;
  summary: string;
};

export async function createTalk(db: Db, scope: Scope, input: TalkInput, today = chinaDate(clockNow())) {
  if (input.heldOn > today)
    throw unprocessable(
      '谈话日期不能晚于今天',
      [{ field: 'heldOn', message: '谈话日期不能晚于今天' }],
      'TALK_IN_FUTURE',
    );
  return db.transaction(async (tx) => {
    // Locking the member row serializes "first talk of the year" for the counter.
    const [mem] = await tx
      .select({ id: member.id, orgId: member.orgId, name: member.name })
      .from(member)
      .innerJoin(org, onKey(org, member.orgId, member))
      .where(
        and(
          eq(member.tenantId, scope.tenantId),
          eq(member.id, input.memberId),
          isNull(member.leftAt),
          inSubtree(org.path, scope.org.path),
        ),
      )
      .for('update', { of: member });
    if (!mem)
      throw unprocessable(
        '该党员不属于本组织',
        [{ field: 'memberId', message: '不属于本组织或已不在册' }],
        'MEMBER_NOT_IN_ORG',
      );
    let talker = input.talker;
    if (input.talkerMemberId) {
      if (input.talkerMemberId === mem.id)
        throw unprocessable(
          '谈话人和谈话对象不能是同一人',
          [{ field: 'talkerMemberId', message: '谈话人和谈话对象不能是同一人' }],
          'TALK_WITH_SELF',
        );
      // The talker: a member on the roll of this org's subtree, or a seat of a committee above it (党委委员).
      const [t] = await queryRows<{ name: string }>(
        tx,
        sql`select m.name from member m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
            where m.tenant_id = ${scope.tenantId} and m.id = ${input.talkerMemberId} and ${onRollAs('m')}
              and (o.path like ${`${scope.org.path}%`}
                or exists (select 1 from committee_member c join org a on a.tenant_id = c.tenant_id and a.id = c.org_id
                           where c.member_id = m.id and ${scope.org.path} like a.path || '%'))`,
      );
      if (!t)
        throw unprocessable(
          '谈话人须为本组织在册党员或上级党组织委员',
          [{ field: 'talkerMemberId', message: '不属于本组织或已不在册' }],
          'TALKER_NOT_IN_ORG',
        );
      if (!talker) talker = t.name;
    }
    const year = input.heldOn.slice(0, 4);
    const [earlier] = await tx
      .select({ id: talk.id })
      .from(talk)
      .where(
        and(eq(talk.memberId, mem.id), gte(talk.heldOn, `${year}-01-01`), lt(talk.heldOn, `${Number(year) + 1}-01-01`)),
      )
      .limit(1);
    const [row] = await tx
      .insert(talk)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        memberId: mem.id,
        talker,
        talkerMemberId: input.talkerMemberId ?? null,
        heldOn: input.heldOn,
        topic: input.topic,
        summary: input.summary,
        createdBy: scope.actor.userId,
      })
      .returning();
    // The yearly talk rule counts members talked with, credited to the member's own org.
    if (!earlier) await bumpTally(tx, scope.tenantId, mem.orgId, 'talk', `${input.heldOn.slice(0, 7)}-01`, 1);
    await writeAudit(tx, scope.actor, {
      action: 'talk.create',
      entityType: 'talk',
      entityId: row!.id,
      org: scope.org,
      after: input,
    });
    return { ...talkView(row!), memberName: mem.name };
  });
}

const talkView = (t: typeof talk.$inferSelect): Omit<TalkRecord, 'memberName'> => ({
  id: t.id,
  orgId: t.orgId,
  memberId: t.memberId,
  talker: t.talker,
  talkerMemberId: t.talkerMemberId,
  heldOn: t.heldOn,
  topic: t.topic,
  summary: t.summary,
  createdAt: t.createdAt.toISOString(),
});

export async function listTalks(
  db: Queryable,
  scope: Scope,
  f: { year?: number | undefined; memberId?: string | undefined; talkerMemberId?: string | undefined },
  page: number,
  pageSize: number,
) {
  const conds: SQL[] = [eq(talk.tenantId, scope.tenantId), inSubtree(org.path, scope.org.path)];
  if (f.year) conds.push(gte(talk.heldOn, `${f.year}-01-01`), lt(talk.heldOn, `${f.year + 1}-01-01`));
  if (f.memberId) conds.push(eq(talk.memberId, f.memberId));
  if (f.talkerMemberId) conds.push(eq(talk.talkerMemberId, f.talkerMemberId));
  const where = and(...conds);
  return pageWhere(
    db
      .select({ t: talk, memberName: member.name })
      .from(talk)
      .innerJoin(org, onKey(org, talk.orgId, talk))
      .innerJoin(member, onKey(member, talk.memberId, talk))
      .$dynamic(),
    countFrom(db, talk).innerJoin(org, onKey(org, talk.orgId, talk)),
    where,
    [desc(talk.heldOn), asc(talk.id)],
    page,
    pageSize,
    (r) => ({ ...talkView(r.t), memberName: r.memberName }),
  );
}

/** The linked seats of the org's current committee, one per member (a member holding two seats shows both titles). */
async function seatsOf(db: Queryable, tenantId: string, orgId: string) {
  const committee = await currentCommitteeOf(db, tenantId, orgId);
  const seats = new Map<string, { memberId: string; name: string; position: string }>();
  const unlinked: string[] = [];
  for (const s of committee?.seats ?? []) {
    if (!s.memberId) {
      unlinked.push(`${s.position} ${s.name}`);
      continue;
    }
    const had = seats.get(s.memberId);
    seats.set(
      s.memberId,
      had
        ? { ...had, position: `${had.position}、${s.position}` }
        : { memberId: s.memberId, name: s.name, position: s.position },
    );
  }
  return { seats: [...seats.values()], unlinked };
}

const seatList = (ids: string[]) =>
  ids.length
    ? sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )
    : sql`null::uuid`;

type Tally = {
  id: string;
  name: string;
  org_name: string;
  talks: number;
  last_on: string | null;
  seats_done: number;
  is_seat: boolean;
};

/** Per member of the roll: talks in the year, the last one, and how many seats (other than themself) talked with them. */
function tallySql(scope: Scope, seatIds: string[], year: number) {
  return sql`with roll as (
      select m.id, m.name, o.name as org_name, o.path from member m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
      where m.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`} and ${onRollAs('m')}
    ), yt as (
      select t.member_id, t.talker_member_id, t.held_on from talk t join roll r on r.id = t.member_id
      where t.tenant_id = ${scope.tenantId} and t.held_on >= ${`${year}-01-01`}::date and t.held_on < ${`${year + 1}-01-01`}::date
    )
    select r.id, r.name, r.org_name, r.path, count(yt.member_id)::int as talks, max(yt.held_on)::text as last_on,
      (count(distinct yt.talker_member_id) filter (where yt.talker_member_id in (${seatList(seatIds)}) and yt.talker_member_id <> r.id))::int as seats_done,
      (r.id in (${seatList(seatIds)})) as is_seat
    from roll r left join yt on yt.member_id = r.id
    group by r.id, r.name, r.org_name, r.path`;
}

/**
 * 谈心谈话 coverage of an org for a year: members on the roll of its subtree, who was talked with, and each seat of the
 * current committee against each member (TALK_COVERAGE_RULE). `gaps` keeps the members some seat has not talked with.
 */
export async function talkCoverage(
  db: Queryable,
  scope: Scope,
  year: number,
  gaps: boolean,
  page: number,
  pageSize: number,
): Promise<TalkCoverage> {
  const { seats, unlinked } = await seatsOf(db, scope.tenantId, scope.org.id);
  const ids = seats.map((s) => s.memberId);
  const n = ids.length;
  const base = tallySql(scope, ids, year);
  const missing = sql`(${n} - case when t.is_seat then 1 else 0 end - t.seats_done)`;
  const [sum] = await queryRows<{ members: number; talked: number; due: number; covered: number; gaps: number }>(
    db,
    sql`select count(*)::int as members, (count(*) filter (where t.talks > 0))::int as talked,
          coalesce(sum(${n} - case when t.is_seat then 1 else 0 end), 0)::int as due,
          coalesce(sum(t.seats_done), 0)::int as covered,
          (count(*) filter (where ${missing} > 0 or t.talks = 0))::int as gaps
        from (${base}) t`,
  );
  const rows = await queryRows<Tally>(
    db,
    sql`select * from (${base}) t ${gaps ? sql`where ${missing} > 0 or t.talks = 0` : sql``}
        order by ${missing} desc, t.talks, t.path, t.name, t.id
        limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const perSeat = n
    ? await queryRows<{ talker: string; covered: number }>(
        db,
        sql`select t.talker_member_id as talker, count(distinct t.member_id)::int as covered
            from talk t join member m on m.tenant_id = t.tenant_id and m.id = t.member_id join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
            where t.talker_member_id in (${seatList(ids)}) and t.member_id <> t.talker_member_id
              and m.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`} and ${onRollAs('m')}
              and t.held_on >= ${`${year}-01-01`}::date and t.held_on < ${`${year + 1}-01-01`}::date
            group by t.talker_member_id`,
      )
    : [];
  const pageIds = rows.map((r) => r.id);
  const cells =
    n && pageIds.length
      ? await queryRows<{ member_id: string; talker: string; last_on: string }>(
          db,
          sql`select member_id, talker_member_id as talker, max(held_on)::text as last_on from talk
              where tenant_id = ${scope.tenantId} and member_id in (${seatList(pageIds)}) and talker_member_id in (${seatList(ids)})
                and held_on >= ${`${year}-01-01`}::date and held_on < ${`${year + 1}-01-01`}::date
              group by member_id, talker_member_id`,
        )
      : [];
  const members = sum?.members ?? 0;
  const onRoll = new Set(
    n
      ? (
          await queryRows<{ id: string }>(
            db,
            sql`select m.id from member m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
                where m.tenant_id = ${scope.tenantId} and m.id in (${seatList(ids)}) and o.path like ${`${scope.org.path}%`} and ${onRollAs('m')}`,
          )
        ).map((r) => r.id)
      : [],
  );
  return {
    year,
    orgId: scope.org.id,
    orgName: scope.org.name,
    members,
    talkedWith: sum?.talked ?? 0,
    pairsDue: sum?.due ?? 0,
    pairsCovered: sum?.covered ?? 0,
    seats: seats.map((s) => ({
      ...s,
      covered: perSeat.find((p) => p.talker === s.memberId)?.covered ?? 0,
      due: members - (onRoll.has(s.memberId) ? 1 : 0),
    })),
    unlinkedSeats: unlinked,
    items: rows.map((r) => ({
      memberId: r.id,
      name: r.name,
      orgName: r.org_name,
      talks: r.talks,
      lastOn: r.last_on,
      bySeat: Object.fromEntries(cells.filter((c) => c.member_id === r.id).map((c) => [c.talker, c.last_on])),
    })),
    total: gaps ? (sum?.gaps ?? 0) : members,
    citation: TALK_COVERAGE_RULE.citation,
    citationConfirmed: TALK_COVERAGE_RULE.citationConfirmed,
    reading: TALK_COVERAGE_RULE.reading,
  };
}

/**
 * 「提醒委员」: a notice to each seat of the current committee that has not talked with every member this year, with
 * how many are left and a few names. At most once per seat per day (dedupe key); seats without an account are skipped.
 */
export async function remindTalkSeats(db: Db, scope: Scope, today = todayInChina()): Promise<TalkReminderResult> {
  const year = Number(today.slice(0, 4));
  const { seats } = await seatsOf(db, scope.tenantId, scope.org.id);
  let behind = 0;
  let sent = 0;
  await db.transaction(async (tx) => {
    for (const s of seats) {
      const left = await queryRows<{ name: string; n: number }>(
        tx,
        sql`select m.name, count(*) over ()::int as n from member m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
            where m.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`} and ${onRollAs('m')}
              and m.id <> ${s.memberId}
              and not exists (select 1 from talk t where t.tenant_id = m.tenant_id and t.member_id = m.id and t.talker_member_id = ${s.memberId}
                and t.held_on >= ${`${year}-01-01`}::date and t.held_on < ${`${year + 1}-01-01`}::date)
            order by o.path, m.name limit 5`,
      );
      if (!left.length) continue;
      behind += 1;
      const r = await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'talk.remind',
        recipients: { members: [s.memberId] },
        data: {
          orgName: scope.org.name,
          position: s.position,
          year: String(year),
          count: String(left[0]!.n),
          names: left.map((l) => l.name).join('、'),
        },
        link: '/talks',
        orgId: scope.org.id,
        dedupeKey: `talk.remind:${scope.org.id}:${s.memberId}:${today}`,
      });
      sent += r.notified;
    }
    await writeAudit(tx, scope.actor, {
      action: 'talk.remind',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      after: { year, seatsBehind: behind, sent },
    });
  });
  const message = !seats.length
    ? '本组织没有登记现任委员（或委员未关联党员档案），无法提醒'
    : behind === 0
      ? `${year}年现任委员已与全部党员谈心谈话，无需提醒`
      : sent === 0
        ? `${behind} 名委员尚未谈完；今天已提醒过或委员没有账号，未重复发送`
        : `已提醒 ${sent} 名委员（${behind} 名委员尚未谈完）`;
  return { seats: behind, sent, message };
}

/**
 * The person's part of the PIPL copy: the talks held with them (with the summary written about them) and the talks
 * they held as the talker (day and topic only: the summary is about the other member).
 */
export async function talksOfMember(db: Queryable, tenantId: string, memberId: string) {
  const [withMe, held] = await Promise.all([
    db
      .select({ heldOn: talk.heldOn, talker: talk.talker, topic: talk.topic, summary: talk.summary })
      .from(talk)
      .where(and(eq(talk.tenantId, tenantId), eq(talk.memberId, memberId)))
      .orderBy(desc(talk.heldOn), asc(talk.id)),
    db
      .select({ heldOn: talk.heldOn, topic: talk.topic })
      .from(talk)
      .where(and(eq(talk.tenantId, tenantId), eq(talk.talkerMemberId, memberId)))
      .orderBy(desc(talk.heldOn), asc(talk.id)),
  ]);
  return { withMe, held };
}
