/**
 * 志愿服务 (volunteer service): an org publishes an activity (time, place, slots, optional skills); members of its
 * subtree sign up on the phone (within the slots, and may cancel before the start); at the place they check in and
 * out by scanning the activity's rotating QR code — the platform's signed QR tokens (platform/qr-token.ts), the same
 * mechanism as the meeting venue's, with this module's own key; hours are counted from check-in to check-out within
 * the activity's time; the organizer may correct them with a reason (audited). Hours are read per member (profile,
 * phone, personal-data copy, `volunteerMinutes` for 党员积分) and rolled up per org subtree.
 */
import {
  chinaDate,
  chinaDateTimeLabel,
  now as clockNow,
  VOLUNTEER_RULES,
  type VolunteerActivityPatch,
  type VolunteerActivity,
  type VolunteerActivityInput,
  type VolunteerCorrectionInput,
  type VolunteerHours,
  type VolunteerRollup,
  type VolunteerSignup,
  type VolunteerSignupState,
} from '@xianfeng/shared';
import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { actorName, type Caller, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { FieldCrypto } from '../../platform/crypto';
import { queryRows, type Db, type Queryable, onKey } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { issueQrToken, verifyQrToken, type QrTokenWords } from '../../platform/qr-token';
import { org } from '../../platform/schema';
import { member, memberOfUser } from '../member/service';
import { notify } from '../notify/service';
import { volunteerActivity, volunteerSignup, volunteerYearCertificate } from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

type ActivityRow = typeof volunteerActivity.$inferSelect;
type SignupRow = typeof volunteerSignup.$inferSelect;
type SignupInsert = typeof volunteerSignup.$inferInsert;
/** What signing up (or walking in) writes on a member's sign-up row. */
type SignupValues = Pick<SignupInsert, 'signedUpAt' | 'cancelledAt' | 'orgId' | 'userId'> &
  Partial<Pick<SignupInsert, 'checkedInAt' | 'checkedOutAt' | 'minutes'>>;

// ---------------------------------------------------------------- the QR code at the place

/** The activity screen's signing key: its own subkey, so a meeting's token never opens an activity and back. */
export const volunteerKey = (fc: FieldCrypto) => fc.subkey('xianfeng/volunteer-checkin-token/v1');
const LABEL = 'volunteer';
const WORDS: QrTokenWords = {
  invalid: '签到二维码无效，请扫描活动现场屏幕上的二维码',
  wrongRecord: '这是另一项志愿服务活动的二维码',
  wrongRecordCode: 'CHECKIN_TOKEN_WRONG_ACTIVITY',
  expired: '二维码已过期，请扫描活动现场屏幕上最新的二维码',
};

export const issueVolunteerToken = (key: Buffer, activityId: string, now: Date = clockNow()) =>
  issueQrToken(key, LABEL, activityId, now);

// ---------------------------------------------------------------- access lookups

async function activityHead(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ orgId: volunteerActivity.orgId, path: org.path })
    .from(volunteerActivity)
    .innerJoin(org, onKey(org, volunteerActivity.orgId, volunteerActivity))
    .where(and(eq(volunteerActivity.tenantId, tenantId), eq(volunteerActivity.id, id)));
  return row ?? null;
}

/** The activity's org: its organizers (the record keepers covering it) act on it. */
export async function orgOfActivity(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  return (await activityHead(db, tenantId, id))?.orgId ?? null;
}

/**
 * An activity as a person reaches it: a member of the publishing org's subtree (the audience) reaches it through
 * their own org — a member of a 党小组 signs up to the group committee's activity; anyone else through the
 * activity's org, which their binding must cover (another branch's member: 404).
 */
export async function orgOfActivityForCaller(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const head = await activityHead(db, tenantId, id);
  if (!head) return null;
  const self = await memberOfUser(db, tenantId, caller.userId);
  if (self && self.leftAt === null && self.orgPath.startsWith(head.path)) return self.orgId;
  return head.orgId;
}

/** A sign-up as its organizers correct it: the activity's org. */
export async function orgOfSignup(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  const [row] = await db
    .select({ orgId: volunteerActivity.orgId })
    .from(volunteerSignup)
    .innerJoin(volunteerActivity, onKey(volunteerActivity, volunteerSignup.activityId, volunteerSignup))
    .where(and(eq(volunteerSignup.tenantId, tenantId), eq(volunteerSignup.id, id)));
  return row?.orgId ?? null;
}

// ---------------------------------------------------------------- views

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function stateOf(s: Pick<SignupRow, 'cancelledAt' | 'checkedInAt' | 'checkedOutAt'>): VolunteerSignupState {
  if (s.cancelledAt) return 'cancelled';
  if (s.checkedOutAt) return 'checked_out';
  if (s.checkedInAt) return 'checked_in';
  return 'signed_up';
}

/** Minutes of service (to the nearest minute): check-in to check-out, only the part inside the activity’s time. */
export function servedMinutes(a: Pick<ActivityRow, 'startsAt' | 'endsAt'>, inAt: Date, outAt: Date): number {
  const from = Math.max(inAt.getTime(), a.startsAt.getTime());
  const to = Math.min(outAt.getTime(), a.endsAt.getTime());
  return Math.max(0, Math.round((to - from) / 60_000));
}

/** A fresh certificate serial, ZYFW-XXXX-XXXX-XXXX: 12 characters of Crockford's base32 (no I, L, O, U), 60 random bits. */
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newCertificateSerial(prefix: 'ZYFW' | 'ZYND' = 'ZYFW'): string {
  const bytes = randomBytes(12);
  const chars = Array.from(bytes, (b) => SERIAL_ALPHABET[b & 31]!).join('');
  return `${prefix}-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

const lengthMinutes = (a: Pick<ActivityRow, 'startsAt' | 'endsAt'>) =>
  Math.floor((a.endsAt.getTime() - a.startsAt.getTime()) / 60_000);

const signupSelect = {
  s: volunteerSignup,
  activityTitle: volunteerActivity.title,
  startsAt: volunteerActivity.startsAt,
  endsAt: volunteerActivity.endsAt,
  place: volunteerActivity.place,
  activityStatus: volunteerActivity.status,
  memberName: member.name,
  orgName: org.name,
};
type SignupJoined = {
  s: SignupRow;
  activityTitle: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  activityStatus: string;
  memberName: string;
  orgName: string;
};

const signupsJoined = (db: Queryable) =>
  db
    .select(signupSelect)
    .from(volunteerSignup)
    .innerJoin(volunteerActivity, onKey(volunteerActivity, volunteerSignup.activityId, volunteerSignup))
    .innerJoin(member, onKey(member, volunteerSignup.memberId, volunteerSignup))
    .innerJoin(org, onKey(org, volunteerSignup.orgId, volunteerSignup));

function signupView(j: SignupJoined): VolunteerSignup {
  const { s } = j;
  return {
    id: s.id,
    activityId: s.activityId,
    activityTitle: j.activityTitle,
    startsAt: j.startsAt.toISOString(),
    endsAt: j.endsAt.toISOString(),
    place: j.place,
    memberId: s.memberId,
    memberName: j.memberName,
    orgName: j.orgName,
    state: stateOf(s),
    signedUpAt: s.signedUpAt.toISOString(),
    checkedInAt: iso(s.checkedInAt),
    checkedOutAt: iso(s.checkedOutAt),
    minutes: s.minutes,
    correctionReason: s.correctionReason,
    correctedBy: s.correctedBy,
    certificateSerial: s.certificateSerial,
    walkIn: isWalkIn(s),
    activityCancelled: j.activityStatus === 'cancelled',
  };
}

/**
 * 现场签到 leaves its mark in the row itself: a walk-in's sign-up and check-in are written with the same instant, which a
 * sign-up made beforehand never has (sign-up closes at the start and check-in is a later request).
 */
export const isWalkIn = (s: Pick<SignupRow, 'signedUpAt' | 'checkedInAt'>) =>
  s.checkedInAt !== null && s.checkedInAt.getTime() === s.signedUpAt.getTime();

async function signupById(db: Queryable, id: string): Promise<VolunteerSignup> {
  const [row] = await signupsJoined(db).where(eq(volunteerSignup.id, id));
  if (!row) throw notFound();
  return signupView(row);
}

/** Counts per activity, and the caller's own state, for a list of activity rows. */
async function activityViews(
  db: Queryable,
  rows: (ActivityRow & { orgName: string })[],
  memberId: string | null,
): Promise<VolunteerActivity[]> {
  if (rows.length === 0) return [];
  const tenantId = rows[0]!.tenantId; // the rows come from one tenant's query
  const ids = rows.map((r) => r.id);
  const idList = sql.join(
    ids.map((i) => sql`${i}::uuid`),
    sql`, `,
  );
  const counts = await queryRows<{ activity_id: string; signed_up: number; checked_in: number; minutes: number }>(
    db,
    sql`select activity_id, count(*) filter (where cancelled_at is null)::int as signed_up,
               count(*) filter (where cancelled_at is null and checked_in_at is not null)::int as checked_in,
               coalesce(sum(minutes) filter (where cancelled_at is null), 0)::int as minutes
        from volunteer_signup where tenant_id = ${tenantId} and activity_id in (${idList}) group by activity_id`,
  );
  const mine = memberId
    ? await db
        .select()
        .from(volunteerSignup)
        .where(
          and(
            eq(volunteerSignup.tenantId, tenantId),
            eq(volunteerSignup.memberId, memberId),
            sql`${volunteerSignup.activityId} in (${idList})`,
          ),
        )
    : [];
  return rows.map((r) => {
    const c = counts.find((x) => x.activity_id === r.id);
    const m = mine.find((x) => x.activityId === r.id);
    return {
      id: r.id,
      orgId: r.orgId,
      orgName: r.orgName,
      title: r.title,
      description: r.description,
      place: r.place,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      slots: r.slots,
      skills: r.skills,
      status: r.status as 'published' | 'cancelled',
      signedUp: c?.signed_up ?? 0,
      checkedIn: c?.checked_in ?? 0,
      minutes: c?.minutes ?? 0,
      createdBy: r.createdBy,
      mine: m ? stateOf(m) : null,
    };
  });
}

const activitiesJoined = (db: Queryable) =>
  db
    .select({ a: volunteerActivity, orgName: org.name })
    .from(volunteerActivity)
    .innerJoin(org, onKey(org, volunteerActivity.orgId, volunteerActivity));

async function loadActivity(
  db: Queryable,
  tenantId: string,
  id: string,
): Promise<ActivityRow & { orgName: string; orgPath: string }> {
  const [row] = await db
    .select({ a: volunteerActivity, orgName: org.name, orgPath: org.path })
    .from(volunteerActivity)
    .innerJoin(org, onKey(org, volunteerActivity.orgId, volunteerActivity))
    .where(and(eq(volunteerActivity.tenantId, tenantId), eq(volunteerActivity.id, id)));
  if (!row) throw notFound();
  return { ...row.a, orgName: row.orgName, orgPath: row.orgPath };
}

// ---------------------------------------------------------------- organizer

export async function createActivity(db: Db, scope: Scope, input: VolunteerActivityInput): Promise<VolunteerActivity> {
  const startsAt = new Date(input.startsAt);
  if (startsAt.getTime() <= clockNow().getTime())
    throw unprocessable(
      '活动开始时间已过，请填写将来的时间',
      [{ field: 'startsAt', message: '须晚于现在' }],
      'ACTIVITY_IN_PAST',
    );
  const by = actorName(scope);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(volunteerActivity)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        title: input.title,
        description: input.description,
        place: input.place,
        startsAt,
        endsAt: new Date(input.endsAt),
        slots: input.slots,
        skills: input.skills,
        createdBy: by,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'volunteer.activity.create',
      entityType: 'volunteer_activity',
      entityId: row!.id,
      org: scope.org,
      after: {
        title: input.title,
        place: input.place,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        slots: input.slots,
      },
    });
    return row!.id;
  });
  return getActivity(db, scope, id);
}

export async function getActivity(db: Queryable, scope: Scope, id: string): Promise<VolunteerActivity> {
  const a = await loadActivity(db, scope.tenantId, id);
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  return (await activityViews(db, [a], self?.id ?? null))[0]!;
}

/** Activities published by the orgs of the scope's subtree, newest start first. */
export async function listActivities(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const where = and(eq(volunteerActivity.tenantId, scope.tenantId), sql`${org.path} like ${`${scope.org.path}%`}`);
  const { items: rows, total } = await pageWhere(
    activitiesJoined(db).$dynamic(),
    countFrom(db, volunteerActivity).innerJoin(org, onKey(org, volunteerActivity.orgId, volunteerActivity)),
    where,
    [desc(volunteerActivity.startsAt), volunteerActivity.id],
    page,
    pageSize,
  );
  return {
    items: await activityViews(
      db,
      rows.map((r) => ({ ...r.a, orgName: r.orgName })),
      null,
    ),
    total,
  };
}

export async function signupsOf(db: Queryable, scope: Scope, activityId: string, page: number, pageSize: number) {
  await loadActivity(db, scope.tenantId, activityId);
  const where = and(eq(volunteerSignup.tenantId, scope.tenantId), eq(volunteerSignup.activityId, activityId));
  const { items: rows, total } = await pageWhere(
    signupsJoined(db).$dynamic(),
    countFrom(db, volunteerSignup),
    where,
    [sql`${volunteerSignup.cancelledAt} is not null`, volunteerSignup.signedUpAt, volunteerSignup.id],
    page,
    pageSize,
  );
  return { items: rows.map(signupView), total };
}

export async function qrOf(db: Queryable, key: Buffer, scope: Scope, id: string) {
  const a = await loadActivity(db, scope.tenantId, id);
  if (a.status === 'cancelled') throw conflict('活动已取消', 'ACTIVITY_CANCELLED');
  return { activity: a, ...issueVolunteerToken(key, a.id) };
}

/**
 * 更正时长: the organizer sets the minutes of one sign-up (a member who forgot to check out, a wrong scan), at most
 * the activity's length, with a reason; the audit entry keeps the minutes before and after.
 */
export async function correctMinutes(
  db: Db,
  scope: Scope,
  signupId: string,
  input: VolunteerCorrectionInput,
): Promise<VolunteerSignup> {
  const [row] = await db
    .select({ s: volunteerSignup, a: volunteerActivity })
    .from(volunteerSignup)
    .innerJoin(volunteerActivity, onKey(volunteerActivity, volunteerSignup.activityId, volunteerSignup))
    .where(and(eq(volunteerSignup.tenantId, scope.tenantId), eq(volunteerSignup.id, signupId)));
  if (!row) throw notFound();
  const { s, a } = row;
  if (s.cancelledAt) throw unprocessable('该党员已取消报名，不能登记时长', undefined, 'SIGNUP_CANCELLED');
  if (clockNow().getTime() < a.startsAt.getTime())
    throw unprocessable('活动尚未开始，不能登记时长', undefined, 'ACTIVITY_NOT_STARTED');
  const max = lengthMinutes(a);
  if (input.minutes > max)
    throw unprocessable(
      `服务时长不能超过活动时间（${max} 分钟）`,
      [{ field: 'minutes', message: `最多 ${max} 分钟` }],
      'MINUTES_OVER_ACTIVITY',
    );
  const by = actorName(scope);
  await db.transaction(async (tx) => {
    await tx
      .update(volunteerSignup)
      .set({
        minutes: input.minutes,
        correctionReason: input.reason,
        correctedBy: by,
        correctedAt: clockNow(),
        certificateSerial: newCertificateSerial(),
      })
      .where(eq(volunteerSignup.id, s.id));
    await writeAudit(tx, scope.actor, {
      action: 'volunteer.minutes.correct',
      entityType: 'volunteer_signup',
      entityId: s.id,
      org: scope.org,
      before: { minutes: s.minutes },
      after: { minutes: input.minutes, reason: input.reason, memberId: s.memberId, activityId: a.id },
    });
  });
  return signupById(db, s.id);
}

// ---------------------------------------------------------------- member

/** The signed-in member, and that the activity is theirs to join (published at their org or above). */
async function selfFor(db: Queryable, scope: Scope, a: { orgPath: string }) {
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!self || self.leftAt !== null)
    throw unprocessable('您的账号未关联党员信息，不能报名志愿服务', undefined, 'NOT_A_MEMBER');
  if (!self.orgPath.startsWith(a.orgPath))
    throw unprocessable('本活动面向发布组织及其下级组织的党员，您不在其中', undefined, 'NOT_IN_AUDIENCE');
  return self;
}

/** Activities open to the signed-in member: published at their org or above, not yet ended; soonest first. */
export async function openActivities(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!self || self.leftAt !== null) return { items: [], total: 0 };
  const where = and(
    eq(volunteerActivity.tenantId, scope.tenantId),
    eq(volunteerActivity.status, 'published'),
    gt(volunteerActivity.endsAt, clockNow()),
    sql`${self.orgPath} like ${org.path} || '%'`,
  );
  const { items: rows, total } = await pageWhere(
    activitiesJoined(db).$dynamic(),
    countFrom(db, volunteerActivity).innerJoin(org, onKey(org, volunteerActivity.orgId, volunteerActivity)),
    where,
    [volunteerActivity.startsAt, volunteerActivity.id],
    page,
    pageSize,
  );
  return {
    items: await activityViews(
      db,
      rows.map((r) => ({ ...r.a, orgName: r.orgName })),
      self.id,
    ),
    total,
  };
}

/** An activity's key: its tenant and id. */
type ActivityKey = { tenantId: string; id: string };

/** The activity `a`'s row, and its signups, by its tenant and id. */
const isActivity = (a: ActivityKey) => and(eq(volunteerActivity.tenantId, a.tenantId), eq(volunteerActivity.id, a.id));
const signupsOfActivity = (a: ActivityKey) =>
  and(eq(volunteerSignup.tenantId, a.tenantId), eq(volunteerSignup.activityId, a.id));

async function ownSignup(db: Queryable, a: ActivityKey, memberId: string) {
  const [row] = await db
    .select()
    .from(volunteerSignup)
    .where(and(signupsOfActivity(a), eq(volunteerSignup.memberId, memberId)));
  return row ?? null;
}

/** Locks the activity's row for the transaction: sign-ups, walk-ins and edits of its slots count places one at a time. */
const lockActivity = (tx: Queryable, a: ActivityKey) =>
  tx.execute(sql`select id from volunteer_activity where tenant_id = ${a.tenantId} and id = ${a.id} for update`);

/** Places taken: sign-ups not cancelled (walk-ins included). */
async function placesTaken(tx: Queryable, a: ActivityKey): Promise<number> {
  const [{ taken }] = (await tx
    .select({ taken: count() })
    .from(volunteerSignup)
    .where(and(signupsOfActivity(a), isNull(volunteerSignup.cancelledAt)))) as [{ taken: number }];
  return taken;
}

/**
 * A member's sign-up row written with `values`: their cancelled one again when there is one (a member has one row per
 * activity), else a new one.
 */
async function writeSignup(
  tx: Queryable,
  a: ActivityKey,
  memberId: string,
  existing: SignupRow | null,
  values: SignupValues,
): Promise<SignupRow> {
  const [row] = existing
    ? await tx.update(volunteerSignup).set(values).where(eq(volunteerSignup.id, existing.id)).returning()
    : await tx
        .insert(volunteerSignup)
        .values({ tenantId: a.tenantId, activityId: a.id, memberId, ...values })
        .returning();
  return row!;
}

/** 报名: before the start, within the slots (counted under a lock on the activity). Signing up twice answers the sign-up. */
export async function signUp(db: Db, scope: Scope, activityId: string): Promise<VolunteerSignup> {
  const a = await loadActivity(db, scope.tenantId, activityId);
  const self = await selfFor(db, scope, a);
  if (a.status === 'cancelled') throw conflict('活动已取消，不能报名', 'ACTIVITY_CANCELLED');
  if (clockNow().getTime() >= a.startsAt.getTime())
    throw unprocessable('活动已开始，报名已截止', undefined, 'SIGNUP_CLOSED');
  const id = await db.transaction(async (tx) => {
    await lockActivity(tx, a);
    const existing = await ownSignup(tx, a, self.id);
    if (existing && !existing.cancelledAt) return existing.id;
    const taken = await placesTaken(tx, a);
    if (taken >= a.slots) throw conflict(`名额已满（共 ${a.slots} 人），不能报名`, 'ACTIVITY_FULL', { slots: a.slots });
    const values = { signedUpAt: clockNow(), cancelledAt: null, orgId: self.orgId, userId: scope.principal.user.id };
    const row = await writeSignup(tx, a, self.id, existing, values);
    await writeAudit(tx, scope.actor, {
      action: 'volunteer.signup',
      entityType: 'volunteer_signup',
      entityId: row.id,
      org: scope.org,
      after: { activityId: a.id, memberId: self.id },
    });
    return row.id;
  });
  return signupById(db, id);
}

/** 取消报名: only before the start. */
export async function cancelSignup(db: Db, scope: Scope, activityId: string): Promise<VolunteerSignup> {
  const a = await loadActivity(db, scope.tenantId, activityId);
  const self = await selfFor(db, scope, a);
  const s = await ownSignup(db, a, self.id);
  if (!s || s.cancelledAt) throw unprocessable('您没有报名这项活动', undefined, 'NOT_SIGNED_UP');
  if (clockNow().getTime() >= a.startsAt.getTime())
    throw unprocessable('活动已开始，不能取消报名', undefined, 'CANCEL_CLOSED');
  await db.transaction(async (tx) => {
    await tx.update(volunteerSignup).set({ cancelledAt: clockNow() }).where(eq(volunteerSignup.id, s.id));
    await writeAudit(tx, scope.actor, {
      action: 'volunteer.signup.cancel',
      entityType: 'volunteer_signup',
      entityId: s.id,
      org: scope.org,
      after: { activityId: a.id, memberId: self.id },
    });
  });
  return signupById(db, s.id);
}

/**
 * 签到 / 签退 by the QR code of the activity's screen. The token is checked first (forged, expired, another
 * activity's: 400); then the member's sign-up and the time: check-in from 30 minutes before the start until the end,
 * check-out after check-in until two hours after the end. Scanning again answers the earlier scan unchanged.
 */
export async function scan(
  db: Db,
  key: Buffer,
  scope: Scope,
  activityId: string,
  token: string,
  what: 'in' | 'out',
): Promise<VolunteerSignup & { already: boolean }> {
  const a = await loadActivity(db, scope.tenantId, activityId);
  verifyQrToken(key, LABEL, a.id, token, WORDS);
  const self = await selfFor(db, scope, a);
  if (a.status === 'cancelled')
    throw conflict(`活动已取消，不能${what === 'in' ? '签到' : '签退'}`, 'ACTIVITY_CANCELLED');
  const s = await ownSignup(db, a, self.id);
  const now = clockNow();
  const t = now.getTime();
  if (what === 'in' && (!s || s.cancelledAt)) return walkIn(db, scope, a, self, s, now);
  if (!s || s.cancelledAt) throw unprocessable('您没有报名这项活动，请先报名或联系组织者', undefined, 'NOT_SIGNED_UP');
  let set: Partial<SignupRow>;
  if (what === 'in') {
    if (s.checkedInAt) return { ...(await signupById(db, s.id)), already: true };
    checkinWindow(a, t);
    set = { checkedInAt: now };
  } else {
    if (!s.checkedInAt)
      throw unprocessable('您还没有签到，不能签退：请先扫码签到', undefined, 'CHECKOUT_BEFORE_CHECKIN');
    if (s.checkedOutAt) return { ...(await signupById(db, s.id)), already: true };
    const closes = a.endsAt.getTime() + VOLUNTEER_RULES.checkoutClosesMinutesAfter * 60_000;
    if (t > closes) throw unprocessable('签退时间已过，请联系组织者更正服务时长', undefined, 'CHECKOUT_CLOSED');
    set = {
      checkedOutAt: now,
      minutes: servedMinutes(a, s.checkedInAt, now),
      certificateSerial: newCertificateSerial(),
    };
  }
  const changed = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(volunteerSignup)
      .set(set)
      .where(
        and(
          eq(volunteerSignup.id, s.id),
          what === 'in' ? isNull(volunteerSignup.checkedInAt) : isNull(volunteerSignup.checkedOutAt),
        ),
      )
      .returning();
    if (!row) return false; // scanned twice at once: the other scan stands
    await writeAudit(tx, scope.actor, {
      action: what === 'in' ? 'volunteer.checkin' : 'volunteer.checkout',
      entityType: 'volunteer_signup',
      entityId: s.id,
      org: scope.org,
      after: {
        activityId: a.id,
        memberId: self.id,
        at: now.toISOString(),
        ...(what === 'out' ? { minutes: row.minutes } : {}),
      },
    });
    return true;
  });
  return { ...(await signupById(db, s.id)), already: !changed };
}

/** Check-in is open from 30 minutes before the start until the end. */
function checkinWindow(a: Pick<ActivityRow, 'startsAt' | 'endsAt'>, t: number) {
  const opens = a.startsAt.getTime() - VOLUNTEER_RULES.checkinOpensMinutesBefore * 60_000;
  if (t < opens)
    throw unprocessable(
      `签到尚未开始：活动开始前 ${VOLUNTEER_RULES.checkinOpensMinutesBefore} 分钟起可以签到`,
      { opensAt: new Date(opens).toISOString() },
      'CHECKIN_NOT_OPEN',
    );
  if (t > a.endsAt.getTime())
    throw unprocessable('活动已结束，不能签到；如确实参加了，请联系组织者登记时长', undefined, 'CHECKIN_CLOSED');
}

/**
 * 现场签到 of a member of the audience who did not sign up (or cancelled): within the check-in window, when places
 * remain (counted under the activity's lock, as a sign-up is), the scan signs them up and checks them in at once.
 */
async function walkIn(
  db: Db,
  scope: Scope,
  a: ActivityRow,
  self: { id: string; orgId: string },
  existing: SignupRow | null,
  now: Date,
): Promise<VolunteerSignup & { already: boolean }> {
  checkinWindow(a, now.getTime());
  const { id, walked } = await db.transaction(async (tx) => {
    await lockActivity(tx, a);
    const again = await ownSignup(tx, a, self.id);
    // Signed up or walked in meanwhile (another scan at once): that stands, and a scan again checks in as usual.
    if (again && !again.cancelledAt) return { id: again.id, walked: false };
    const taken = await placesTaken(tx, a);
    if (taken >= a.slots)
      throw conflict(`名额已满（共 ${a.slots} 人），不能现场签到；如确需参加，请联系组织者`, 'ACTIVITY_FULL', {
        slots: a.slots,
      });
    const values = {
      signedUpAt: now,
      checkedInAt: now,
      cancelledAt: null,
      checkedOutAt: null,
      minutes: null,
      orgId: self.orgId,
      userId: scope.principal.user.id,
    };
    const row = await writeSignup(tx, a, self.id, existing, values);
    await writeAudit(tx, scope.actor, {
      action: 'volunteer.checkin.walkin',
      entityType: 'volunteer_signup',
      entityId: row.id,
      org: scope.org,
      after: { activityId: a.id, memberId: self.id, at: now.toISOString(), walkIn: true },
    });
    return { id: row.id, walked: true };
  });
  return { ...(await signupById(db, id)), already: !walked };
}

// ---------------------------------------------------------------- organizer: change and cancel

const endsLabel = (startsAt: Date, endsAt: Date) => {
  const full = chinaDateTimeLabel(endsAt);
  return chinaDate(startsAt) === chinaDate(endsAt) ? full.slice(full.indexOf('）') + 1) : full;
};

/** Sign-ups still standing (not cancelled): the volunteers a change or a cancellation is told to. */
async function standingMembers(db: Queryable, a: ActivityKey): Promise<string[]> {
  const rows = await db
    .select({ memberId: volunteerSignup.memberId })
    .from(volunteerSignup)
    .where(and(signupsOfActivity(a), isNull(volunteerSignup.cancelledAt)));
  return rows.map((r) => r.memberId);
}

/**
 * 修改活动: a published activity's fields. Refused on a cancelled one (409) and after it ended (422); its time only
 * before the start, to a future start; its slots never below the volunteers signed up (counted under the
 * activity's lock, so a sign-up racing the edit cannot slip past). A changed time or place is told to the volunteers
 * signed up (notice `volunteer.changed`). Audited with the fields before and after.
 */
export async function updateActivity(
  db: Db,
  scope: Scope,
  id: string,
  patch: VolunteerActivityPatch,
): Promise<VolunteerActivity> {
  const a = await loadActivity(db, scope.tenantId, id);
  if (a.status === 'cancelled') throw conflict('活动已取消，不能修改', 'ACTIVITY_CANCELLED');
  const t = clockNow().getTime();
  if (t >= a.endsAt.getTime()) throw unprocessable('活动已结束，不能修改', undefined, 'ACTIVITY_ENDED');
  const startsAt = patch.startsAt ? new Date(patch.startsAt) : a.startsAt;
  const endsAt = patch.endsAt ? new Date(patch.endsAt) : a.endsAt;
  const retimed = startsAt.getTime() !== a.startsAt.getTime() || endsAt.getTime() !== a.endsAt.getTime();
  if (retimed) {
    if (t >= a.startsAt.getTime())
      throw unprocessable(
        '活动已开始，不能修改时间',
        [{ field: 'startsAt', message: '活动已开始' }],
        'ACTIVITY_STARTED',
      );
    if (startsAt.getTime() <= t)
      throw unprocessable(
        '活动开始时间已过，请填写将来的时间',
        [{ field: 'startsAt', message: '须晚于现在' }],
        'ACTIVITY_IN_PAST',
      );
    if (endsAt.getTime() <= startsAt.getTime())
      throw unprocessable(
        '结束时间须晚于开始时间',
        [{ field: 'endsAt', message: '须晚于开始时间' }],
        'ENDS_BEFORE_START',
      );
    if (endsAt.getTime() - startsAt.getTime() > 24 * 3_600_000)
      throw unprocessable('一次活动最长 24 小时', [{ field: 'endsAt', message: '最长 24 小时' }], 'ACTIVITY_TOO_LONG');
  }
  const next = {
    title: patch.title ?? a.title,
    description: patch.description ?? a.description,
    place: patch.place ?? a.place,
    startsAt,
    endsAt,
    slots: patch.slots ?? a.slots,
    skills: patch.skills ?? a.skills,
  };
  const fields = ['title', 'description', 'place', 'startsAt', 'endsAt', 'slots', 'skills'] as const;
  const plain = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  const changed = fields.filter((f) => plain(next[f]) !== plain(a[f]));
  if (changed.length === 0) return getActivity(db, scope, id);
  await db.transaction(async (tx) => {
    await lockActivity(tx, a);
    const taken = await placesTaken(tx, a);
    if (next.slots < taken)
      throw unprocessable(
        `已有 ${taken} 人报名，名额不能少于 ${taken} 人`,
        [{ field: 'slots', message: `至少 ${taken} 人` }],
        'SLOTS_BELOW_SIGNUPS',
      );
    await tx.update(volunteerActivity).set(next).where(isActivity(a));
    await writeAudit(tx, scope.actor, {
      action: 'volunteer.activity.update',
      entityType: 'volunteer_activity',
      entityId: a.id,
      org: scope.org,
      before: Object.fromEntries(changed.map((f) => [f, plain(a[f])])),
      after: Object.fromEntries(changed.map((f) => [f, plain(next[f])])),
    });
    const told: string[] = [];
    if (startsAt.getTime() !== a.startsAt.getTime())
      told.push(`开始时间由 ${chinaDateTimeLabel(a.startsAt)} 改为 ${chinaDateTimeLabel(startsAt)}`);
    if (endsAt.getTime() !== a.endsAt.getTime())
      told.push(`结束时间由 ${endsLabel(a.startsAt, a.endsAt)} 改为 ${endsLabel(startsAt, endsAt)}`);
    if (next.place !== a.place) told.push(`地点由「${a.place}」改为「${next.place}」`);
    const members = told.length > 0 ? await standingMembers(tx, a) : [];
    if (members.length > 0)
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'volunteer.changed',
        recipients: { members },
        data: {
          title: next.title,
          changes: told.join('；'),
          startsAt: chinaDateTimeLabel(startsAt),
          endsAt: endsLabel(startsAt, endsAt),
          place: next.place,
        },
        link: '/my/volunteer',
        orgId: a.orgId,
        dedupeKey: `volunteer.changed:${a.id}:${clockNow().toISOString()}`,
      });
  });
  return getActivity(db, scope, id);
}

/**
 * 取消活动: before its end, and not once hours are recorded (they would vanish from the volunteers' records and
 * certificates). The volunteers signed up hear of it with the reason (notice `volunteer.cancelled`, urgent, once);
 * afterwards sign-up, check-in and the QR screen answer 409. Audited with the reason.
 */
export async function cancelActivity(db: Db, scope: Scope, id: string, reason: string): Promise<VolunteerActivity> {
  const a = await loadActivity(db, scope.tenantId, id);
  if (a.status === 'cancelled') throw conflict('活动已取消', 'ACTIVITY_CANCELLED');
  if (clockNow().getTime() >= a.endsAt.getTime())
    throw unprocessable('活动已结束，不能取消', undefined, 'ACTIVITY_ENDED');
  await db.transaction(async (tx) => {
    const [locked] = await queryRows<{ status: string }>(
      tx,
      sql`select status from volunteer_activity where id = ${a.id} for update`,
    );
    if (locked?.status === 'cancelled') throw conflict('活动已取消', 'ACTIVITY_CANCELLED');
    const [{ served }] = (await tx
      .select({ served: count() })
      .from(volunteerSignup)
      .where(
        and(
          eq(volunteerSignup.activityId, a.id),
          isNull(volunteerSignup.cancelledAt),
          sql`${volunteerSignup.minutes} is not null`,
        ),
      )) as [{ served: number }];
    if (served > 0)
      throw unprocessable(
        `已有 ${served} 人记录了服务时长，不能取消活动；如需调整，请更正服务时长`,
        undefined,
        'ACTIVITY_HAS_HOURS',
      );
    await tx.update(volunteerActivity).set({ status: 'cancelled' }).where(isActivity(a));
    const members = await standingMembers(tx, a);
    await writeAudit(tx, scope.actor, {
      action: 'volunteer.activity.cancel',
      entityType: 'volunteer_activity',
      entityId: a.id,
      org: scope.org,
      before: { status: a.status },
      after: { status: 'cancelled', reason, notified: members.length },
    });
    if (members.length > 0)
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'volunteer.cancelled',
        recipients: { members },
        data: {
          title: a.title,
          orgName: a.orgName,
          startsAt: chinaDateTimeLabel(a.startsAt),
          place: a.place,
          reason: `取消原因：${reason}。`,
        },
        link: '/my/volunteer',
        orgId: a.orgId,
        urgent: true,
        dedupeKey: `volunteer.cancelled:${a.id}`,
      });
  });
  return getActivity(db, scope, id);
}

// ---------------------------------------------------------------- hours

export const yearStart = (year: number) => new Date(`${year}-01-01T00:00:00+08:00`);

/** A member's volunteer minutes (for 党员积分 and the profile): all, or those of activities starting in [from, to). */
export async function volunteerMinutes(
  db: Queryable,
  tenantId: string,
  memberId: string,
  from?: Date,
  to?: Date,
): Promise<number> {
  const conds: SQL[] = [
    eq(volunteerSignup.tenantId, tenantId),
    eq(volunteerSignup.memberId, memberId),
    isNull(volunteerSignup.cancelledAt),
  ];
  if (from) conds.push(sql`${volunteerActivity.startsAt} >= ${from.toISOString()}`);
  if (to) conds.push(sql`${volunteerActivity.startsAt} < ${to.toISOString()}`);
  const [row] = await db
    .select({ m: sql<number>`coalesce(sum(${volunteerSignup.minutes}), 0)::int` })
    .from(volunteerSignup)
    .innerJoin(volunteerActivity, onKey(volunteerActivity, volunteerSignup.activityId, volunteerSignup))
    .where(and(...conds));
  return Number(row?.m ?? 0);
}

/** A member's hours: totals and the sign-ups (newest activity first). */
export async function hoursOfMember(
  db: Queryable,
  tenantId: string,
  memberId: string,
  page: number,
  pageSize: number,
  year: number,
): Promise<VolunteerHours> {
  const [m] = await db
    .select({ name: member.name })
    .from(member)
    .where(and(eq(member.tenantId, tenantId), eq(member.id, memberId)));
  if (!m) throw notFound();
  const where = and(eq(volunteerSignup.tenantId, tenantId), eq(volunteerSignup.memberId, memberId));
  const { items: rows, total } = await pageWhere(
    signupsJoined(db).$dynamic(),
    countFrom(db, volunteerSignup),
    where,
    [desc(volunteerActivity.startsAt), volunteerSignup.id],
    page,
    pageSize,
  );
  const [{ served }] = (await db
    .select({ served: count() })
    .from(volunteerSignup)
    .where(and(where, isNull(volunteerSignup.cancelledAt), sql`${volunteerSignup.minutes} > 0`))) as [
    { served: number },
  ];
  return {
    memberId,
    memberName: m.name,
    totalMinutes: await volunteerMinutes(db, tenantId, memberId),
    yearMinutes: await volunteerMinutes(db, tenantId, memberId, yearStart(year), yearStart(year + 1)),
    activities: served,
    items: rows.map(signupView),
    total,
  };
}

export async function myHours(
  db: Queryable,
  scope: Scope,
  page: number,
  pageSize: number,
  year: number,
): Promise<VolunteerHours> {
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!self)
    return { memberId: null, memberName: null, totalMinutes: 0, yearMinutes: 0, activities: 0, items: [], total: 0 };
  return hoursOfMember(db, scope.tenantId, self.id, page, pageSize, year);
}

/**
 * One subtree's volunteer figures in a year (the roll-up's lines and the dashboard's figure): activities published
 * by its orgs starting that year; members of its orgs with minutes recorded at such activities (wherever published)
 * and those minutes.
 */
export async function volunteerFigures(db: Queryable, tenantId: string, path: string, year: number) {
  const from = yearStart(year).toISOString();
  const to = yearStart(year + 1).toISOString();
  const [acts] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from volunteer_activity a join org o on o.tenant_id = a.tenant_id and o.id = a.org_id
        where a.tenant_id = ${tenantId} and o.path like ${`${path}%`} and a.status = 'published'
          and a.starts_at >= ${from} and a.starts_at < ${to}`,
  );
  const [served] = await queryRows<{ members: number; minutes: number }>(
    db,
    sql`select count(distinct s.member_id)::int as members, coalesce(sum(s.minutes), 0)::int as minutes
        from volunteer_signup s join org o on o.tenant_id = s.tenant_id and o.id = s.org_id join volunteer_activity a on a.tenant_id = s.tenant_id and a.id = s.activity_id
        where s.tenant_id = ${tenantId} and o.path like ${`${path}%`} and s.cancelled_at is null
          and s.minutes > 0 and a.starts_at >= ${from} and a.starts_at < ${to}`,
  );
  return { activities: acts?.n ?? 0, members: served?.members ?? 0, minutes: served?.minutes ?? 0 };
}

/**
 * The subtree's volunteer work in a year: activities (published by its orgs, starting that year), members served
 * (members of its orgs with recorded minutes at such an activity, wherever it was published) and their minutes;
 * the same per child org.
 */
export async function rollup(db: Queryable, scope: Scope, year: number): Promise<VolunteerRollup> {
  const line = (path: string) => volunteerFigures(db, scope.tenantId, path, year);
  const children = await db
    .select({ id: org.id, name: org.name, path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, scope.tenantId), eq(org.parentId, scope.org.id), isNull(org.dissolvedAt)))
    .orderBy(org.path);
  return {
    orgId: scope.org.id,
    orgName: scope.org.name,
    year,
    ...(await line(scope.org.path)),
    children: await Promise.all(children.map(async (c) => ({ orgId: c.id, orgName: c.name, ...(await line(c.path)) }))),
    note: `${year} 年：本组织及下级组织发布的志愿服务活动数；服务党员人数和服务时长按党员报名时所在组织统计（不论活动由哪级组织发布），只计已记录时长的`,
  };
}

/** The member's sign-ups and hours, for the personal-data copy (PIPL). */
export async function personalVolunteer(db: Queryable, tenantId: string, memberId: string) {
  const rows = await signupsJoined(db)
    .where(and(eq(volunteerSignup.tenantId, tenantId), eq(volunteerSignup.memberId, memberId)))
    .orderBy(desc(volunteerActivity.startsAt));
  return {
    totalMinutes: await volunteerMinutes(db, tenantId, memberId),
    signups: rows.map(signupView).map((s) => ({
      activity: s.activityTitle,
      place: s.place,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      state: s.state,
      signedUpAt: s.signedUpAt,
      checkedInAt: s.checkedInAt,
      checkedOutAt: s.checkedOutAt,
      minutes: s.minutes,
      correctionReason: s.correctionReason,
      correctedBy: s.correctedBy,
      certificateSerial: s.certificateSerial,
    })),
    yearCertificates: (
      await db
        .select({
          year: volunteerYearCertificate.year,
          serial: volunteerYearCertificate.serial,
          minutes: volunteerYearCertificate.minutes,
          issuedAt: volunteerYearCertificate.issuedAt,
        })
        .from(volunteerYearCertificate)
        .where(and(eq(volunteerYearCertificate.tenantId, tenantId), eq(volunteerYearCertificate.memberId, memberId)))
        .orderBy(volunteerYearCertificate.issuedAt)
    ).map((c) => ({ ...c, issuedAt: c.issuedAt.toISOString() })),
  };
}
