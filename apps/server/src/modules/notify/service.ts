/**
 * The notification service. Every module sends through `notify(tx, …)`: a kind (packages/shared
 * notify.ts), recipients (users, members, or an org + roles), a link into the app, and the template's
 * data. Inside the caller's transaction it renders the tenant's template, writes one inbox notice per
 * user (a repeated dedupe key is no new notice), queues the user's e-mail and SMS and the org's group
 * robots as deliveries (after quiet hours unless urgent), and signals live streams (`xf_notify`).
 * Nothing is sent in the transaction: the job `notify.deliver` sends each delivery after commit, with
 * retries and a dead letter at the end (delivery.ts).
 */
import {
  now as clockNow,
  DEFAULT_QUIET_HOURS,
  isNotifyKind,
  NOTIFY_KINDS,
  quietUntil,
  renderTemplate,
  unknownPlaceholders,
  type NotifyKind,
  type NotifySettingsBody,
  type QuietHours,
  type Role,
} from '@xianfeng/shared';
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { orgOfRow, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { NotifyConfig } from '../../platform/config';
import type { FieldCrypto } from '../../platform/crypto';
import { queryRows, type Db, type Queryable } from '../../platform/db';
import { badRequest, notFound } from '../../platform/errors';
import { enqueueJobs } from '../../platform/jobs';
import { appUser } from '../../platform/schema';
import { memberOfUser, memberPhone, userIdsOfMembers } from '../member/service';
import { notification, notifyDelivery, notifyPref, notifyRobot, notifyTemplate } from './schema';

export type Recipients = {
  users?: string[];
  members?: string[];
  /** Users bound with one of `roles` at the org; `nearest`: if nobody is, the nearest org above that has someone. */
  orgRoles?: { orgId: string; roles: readonly Role[]; nearest?: boolean }[];
};

export type NotifyInput = {
  tenantId: string;
  kind: NotifyKind;
  recipients: Recipients;
  data: Record<string, string | number>;
  /** A path in the web app, e.g. `/meetings/<id>`. */
  link?: string | null;
  /** The org the notice is about: its group robots post it. */
  orgId?: string | null;
  urgent?: boolean;
  /**
   * Only the platform's own inbox: no e-mail, SMS or group-robot delivery. For a notice whose mere delivery row
   * (readable by admins in 发送记录, with the masked address and the time) would link a person to something they
   * did anonymously (voice: the answer to an anonymous 意见建议).
   */
  inAppOnly?: boolean;
  /** Names the logical notice (e.g. `meeting.notice:<id>:<startsAt>`): sending it again to a user is a no-op. */
  dedupeKey: string;
};

export type NotifyResult = { notified: number; already: number; unreachable: number; robots: number };

export const DELIVER_JOB = 'notify.deliver';

const uniq = <T>(xs: T[]) => [...new Set(xs)];

/** The users behind a recipients description (enabled accounts of the tenant). */
export async function resolveRecipients(
  q: Queryable,
  tenantId: string,
  r: Recipients,
): Promise<{ userIds: string[]; unreachable: number }> {
  const ids: string[] = [];
  let unreachable = 0;
  if (r.users?.length) ids.push(...r.users);
  if (r.members?.length) {
    const map = await userIdsOfMembers(q, tenantId, uniq(r.members));
    unreachable += uniq(r.members).length - map.size;
    ids.push(...map.values());
  }
  for (const o of r.orgRoles ?? []) {
    const rows = await queryRows<{ user_id: string; depth: number }>(
      q,
      o.nearest
        ? sql`select ur.user_id, a.depth from org t join org a on a.tenant_id = t.tenant_id and t.path like a.path || '%'
              join user_role ur on ur.tenant_id = a.tenant_id and ur.org_id = a.id join app_user u on u.tenant_id = ur.tenant_id and u.id = ur.user_id
              where t.id = ${o.orgId} and t.tenant_id = ${tenantId} and ur.role in (${sql.join(
                o.roles.map((x) => sql`${x}`),
                sql`, `,
              )}) and not u.disabled
              order by a.depth desc`
        : sql`select ur.user_id, 0 as depth from user_role ur join app_user u on u.tenant_id = ur.tenant_id and u.id = ur.user_id
              where ur.org_id = ${o.orgId} and ur.tenant_id = ${tenantId} and ur.role in (${sql.join(
                o.roles.map((x) => sql`${x}`),
                sql`, `,
              )}) and not u.disabled`,
    );
    const deepest = rows[0]?.depth;
    ids.push(...rows.filter((x) => x.depth === deepest).map((x) => x.user_id));
  }
  if (ids.length === 0) return { userIds: [], unreachable };
  const users = await q
    .select({ id: appUser.id })
    .from(appUser)
    .where(and(eq(appUser.tenantId, tenantId), inArray(appUser.id, uniq(ids)), eq(appUser.disabled, false)));
  return { userIds: users.map((u) => u.id), unreachable };
}

/** The template of a kind in a tenant: the edited one, or the default. */
export async function templateOf(q: Queryable, tenantId: string, kind: NotifyKind) {
  const [row] = await q
    .select()
    .from(notifyTemplate)
    .where(and(eq(notifyTemplate.tenantId, tenantId), eq(notifyTemplate.kind, kind)));
  const def = NOTIFY_KINDS[kind];
  return row
    ? { title: row.title, body: row.body, urgent: row.urgent, customized: true }
    : { title: def.title, body: def.body, urgent: false, customized: false };
}

const quietOf = (start: string | null, end: string | null): QuietHours | null => (start && end ? { start, end } : null);

export async function notify(q: Queryable, input: NotifyInput): Promise<NotifyResult> {
  const now = clockNow();
  const tpl = await templateOf(q, input.tenantId, input.kind);
  const urgent = Boolean(input.urgent || tpl.urgent);
  const title = renderTemplate(tpl.title, input.data).slice(0, 200);
  const body = renderTemplate(tpl.body, input.data).slice(0, 2000);
  const link = input.link ?? null;
  const { userIds, unreachable } = await resolveRecipients(q, input.tenantId, input.recipients);

  const prefs = userIds.length
    ? await q
        .select()
        .from(notifyPref)
        .where(and(eq(notifyPref.tenantId, input.tenantId), inArray(notifyPref.userId, userIds)))
    : [];
  const prefOf = new Map(prefs.map((p) => [p.userId, p]));
  const wanted = userIds.filter((u) => urgent || !prefOf.get(u)?.mutedKinds.includes(input.kind));

  const inserted: { id: string; userId: string }[] = [];
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    inserted.push(
      ...(await q
        .insert(notification)
        .values(
          chunk.map((userId) => ({
            tenantId: input.tenantId,
            userId,
            kind: input.kind,
            title,
            body,
            link,
            orgId: input.orgId ?? null,
            urgent,
            dedupeKey: input.dedupeKey,
            createdAt: now,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: notification.id, userId: notification.userId })),
    );
  }

  type DeliveryValues = typeof notifyDelivery.$inferInsert & { runAt: Date };
  const deliveries: DeliveryValues[] = [];
  const payload = { title, body, link };
  for (const n of input.inAppOnly ? [] : inserted) {
    const p = prefOf.get(n.userId);
    if (!p) continue;
    const runAt = (urgent ? null : quietUntil(now, quietOf(p.quietStart, p.quietEnd))) ?? now;
    if (p.emailOn && p.email)
      deliveries.push({
        tenantId: input.tenantId,
        channel: 'email',
        kind: input.kind,
        notificationId: n.id,
        userId: n.userId,
        target: maskEmail(p.email),
        title,
        payload,
        dedupeKey: `email:${n.id}`,
        runAt,
      });
    if (p.smsOn)
      deliveries.push({
        tenantId: input.tenantId,
        channel: 'sms',
        kind: input.kind,
        notificationId: n.id,
        userId: n.userId,
        target: '手机',
        title,
        payload,
        dedupeKey: `sms:${n.id}`,
        runAt,
      });
  }

  let robots = 0;
  if (input.orgId && !input.inAppOnly) {
    const rows = await queryRows<{
      id: string;
      provider: string;
      name: string;
      quiet_start: string | null;
      quiet_end: string | null;
    }>(
      q,
      sql`select r.id, r.provider, r.name, r.quiet_start, r.quiet_end from notify_robot r
          join org ro on ro.tenant_id = r.tenant_id and ro.id = r.org_id join org t on t.tenant_id = r.tenant_id and t.id = ${input.orgId}
          where r.tenant_id = ${input.tenantId} and r.enabled
            and (r.org_id = t.id or (r.subtree and t.path like ro.path || '%'))
            and (cardinality(r.kinds) = 0 or ${input.kind} = any(r.kinds))`,
    );
    for (const r of rows) {
      const runAt = (urgent ? null : quietUntil(now, quietOf(r.quiet_start, r.quiet_end))) ?? now;
      deliveries.push({
        tenantId: input.tenantId,
        channel: r.provider,
        kind: input.kind,
        robotId: r.id,
        target: r.name,
        title,
        payload,
        dedupeKey: `robot:${r.id}:${input.dedupeKey}`,
        runAt,
      });
      robots++;
    }
  }
  await queueDeliveries(q, deliveries, now);

  // Live streams of these users (in every process) read their new notices at commit.
  const users = uniq(inserted.map((n) => n.userId));
  for (let i = 0; i < users.length; i += 200)
    await q.execute(
      sql`select pg_notify('xf_notify', u) from (values ${sql.join(
        users.slice(i, i + 200).map((u) => sql`(${u})`),
        sql`, `,
      )}) as v(u)`,
    );

  return { notified: inserted.length, already: wanted.length - inserted.length, unreachable, robots };
}

/** Inserts delivery rows (duplicates by dedupe key skipped) and one send job for each new one. */
export async function queueDeliveries(
  q: Queryable,
  rows: (typeof notifyDelivery.$inferInsert & { runAt: Date })[],
  now: Date,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 300) {
    const chunk = rows.slice(i, i + 300);
    const created = await q
      .insert(notifyDelivery)
      .values(chunk.map(({ runAt: _r, ...d }) => ({ ...d, createdAt: now, updatedAt: now })))
      .onConflictDoNothing()
      .returning({ id: notifyDelivery.id, dedupeKey: notifyDelivery.dedupeKey });
    const runAtOf = new Map(chunk.map((d) => [d.dedupeKey, d.runAt]));
    await enqueueJobs(
      q,
      created.map((d) => ({
        tenantId: chunk[0]!.tenantId,
        kind: DELIVER_JOB,
        payload: { deliveryId: d.id },
        runAt: runAtOf.get(d.dedupeKey) ?? now,
        dedupeKey: `deliver:${d.id}`,
      })),
      now,
    );
    ids.push(...created.map((d) => d.id));
  }
  return ids;
}

export function maskEmail(email: string): string {
  const [name, domain] = email.split('@');
  if (!name || !domain) return '***';
  return `${name.slice(0, 1)}***@${domain}`;
}

// ---------- the inbox ----------

const kindLabel = (k: string) => (isNotifyKind(k) ? NOTIFY_KINDS[k].label : k);

export function toItem(n: typeof notification.$inferSelect) {
  return {
    id: n.id,
    seq: n.seq,
    kind: n.kind,
    kindLabel: kindLabel(n.kind),
    title: n.title,
    body: n.body,
    link: n.link,
    urgent: n.urgent,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

export async function unreadCount(q: Queryable, tenantId: string, userId: string): Promise<number> {
  const [r] = await q
    .select({ n: count() })
    .from(notification)
    .where(and(eq(notification.tenantId, tenantId), eq(notification.userId, userId), isNull(notification.readAt)));
  return r?.n ?? 0;
}

export async function listNotifications(
  db: Db,
  tenantId: string,
  userId: string,
  f: { page: number; pageSize: number; unreadOnly: boolean },
) {
  const where = and(
    eq(notification.tenantId, tenantId),
    eq(notification.userId, userId),
    f.unreadOnly ? isNull(notification.readAt) : undefined,
  );
  const [items, [total], unread] = await Promise.all([
    db
      .select()
      .from(notification)
      .where(where)
      .orderBy(desc(notification.seq))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db.select({ n: count() }).from(notification).where(where),
    unreadCount(db, tenantId, userId),
  ]);
  return { items: items.map(toItem), total: total?.n ?? 0, unread };
}

/** Notices after `seq` (a live stream catching up), oldest first. */
export async function notificationsAfter(db: Queryable, tenantId: string, userId: string, seq: number, limit = 50) {
  const rows = await db
    .select()
    .from(notification)
    .where(and(eq(notification.tenantId, tenantId), eq(notification.userId, userId), sql`${notification.seq} > ${seq}`))
    .orderBy(notification.seq)
    .limit(limit);
  return rows.map(toItem);
}

export async function latestSeq(db: Queryable, tenantId: string, userId: string): Promise<number> {
  const [r] = await queryRows<{ s: string | number | null }>(
    db,
    sql`select max(seq) as s from notification where tenant_id = ${tenantId} and user_id = ${userId}`,
  );
  return Number(r?.s ?? 0);
}

/** Marks one of the user's own notices read (someone else's is "not found"). */
export async function markRead(db: Db, tenantId: string, userId: string, id: string): Promise<number> {
  const rows = await db
    .update(notification)
    .set({ readAt: sql`coalesce(${notification.readAt}, ${clockNow()})` })
    .where(and(eq(notification.tenantId, tenantId), eq(notification.id, id), eq(notification.userId, userId)))
    .returning({ id: notification.id });
  if (rows.length === 0) throw notFound('通知不存在');
  await db.execute(sql`select pg_notify('xf_notify', ${userId})`);
  return unreadCount(db, tenantId, userId);
}

export async function markAllRead(db: Db, tenantId: string, userId: string): Promise<number> {
  const rows = await db
    .update(notification)
    .set({ readAt: clockNow() })
    .where(and(eq(notification.tenantId, tenantId), eq(notification.userId, userId), isNull(notification.readAt)))
    .returning({ id: notification.id });
  await db.execute(sql`select pg_notify('xf_notify', ${userId})`);
  return rows.length;
}

// ---------- my settings ----------

export async function getMySettings(db: Db, config: NotifyConfig, tenantId: string, userId: string) {
  const [p] = await db
    .select()
    .from(notifyPref)
    .where(and(eq(notifyPref.tenantId, tenantId), eq(notifyPref.userId, userId)));
  const self = await memberOfUser(db, tenantId, userId);
  return {
    email: p?.email ?? null,
    channels: { email: p?.emailOn ?? false, sms: p?.smsOn ?? false },
    quietHours: p ? quietOf(p.quietStart, p.quietEnd) : DEFAULT_QUIET_HOURS,
    mutedKinds: p?.mutedKinds ?? [],
    available: { email: config.smtp !== null, sms: config.sms !== null },
    hasPhone: Boolean(self?.phoneEnc),
  };
}

export async function putMySettings(db: Db, config: NotifyConfig, scope: Scope, input: NotifySettingsBody) {
  const userId = scope.principal.user.id;
  if (input.channels.email && !input.email)
    throw badRequest('开启邮件通知需要填写邮箱', [{ field: 'email', message: '请填写邮箱' }]);
  if (input.channels.email && !config.smtp) throw badRequest('本系统未配置邮件服务，无法开启邮件通知');
  if (input.channels.sms && !config.sms) throw badRequest('本系统未配置短信服务，无法开启短信通知');
  if (input.channels.sms && !(await memberOfUser(db, scope.tenantId, userId))?.phoneEnc)
    throw badRequest('您的账号没有关联党员手机号，无法开启短信通知');
  const values = {
    userId,
    tenantId: scope.tenantId,
    email: input.email,
    emailOn: input.channels.email,
    smsOn: input.channels.sms,
    quietStart: input.quietHours?.start ?? null,
    quietEnd: input.quietHours?.end ?? null,
    mutedKinds: input.mutedKinds,
    updatedAt: clockNow(),
  };
  await db.transaction(async (tx) => {
    await tx.insert(notifyPref).values(values).onConflictDoUpdate({ target: notifyPref.userId, set: values });
    await writeAudit(tx, scope.actor, {
      action: 'notify.settings',
      entityType: 'notify_pref',
      entityId: userId,
      after: {
        emailOn: values.emailOn,
        smsOn: values.smsOn,
        quietHours: input.quietHours,
        mutedKinds: input.mutedKinds,
      },
    });
  });
  return getMySettings(db, config, scope.tenantId, userId);
}

// ---------- templates ----------

export async function listTemplates(db: Db, tenantId: string) {
  const rows = await db.select().from(notifyTemplate).where(eq(notifyTemplate.tenantId, tenantId));
  const edited = new Map(rows.map((r) => [r.kind, r]));
  return Object.entries(NOTIFY_KINDS).map(([kind, def]) => {
    const row = edited.get(kind);
    return {
      kind,
      label: def.label,
      audience: def.audience,
      title: row?.title ?? def.title,
      body: row?.body ?? def.body,
      urgent: row?.urgent ?? false,
      customized: Boolean(row),
      placeholders: Object.entries(def.placeholders as Record<string, string>).map(([name, label]) => ({
        name,
        label,
      })),
      defaultTitle: def.title,
      defaultBody: def.body,
    };
  });
}

export function assertKind(kind: string): NotifyKind {
  if (!isNotifyKind(kind)) throw notFound('没有这种通知类型');
  return kind;
}

/** Unknown placeholders are refused when saved, each named. */
export function checkTemplate(kind: NotifyKind, t: { title: string; body: string }) {
  const problems = [
    ...unknownPlaceholders(kind, t.title).map((p) => ({
      field: 'title',
      message: `未知的占位符 ${p.startsWith('{') ? p : `{{${p}}}`}`,
    })),
    ...unknownPlaceholders(kind, t.body).map((p) => ({
      field: 'body',
      message: `未知的占位符 ${p.startsWith('{') ? p : `{{${p}}}`}`,
    })),
  ];
  if (problems.length) {
    const allowed = Object.keys(NOTIFY_KINDS[kind].placeholders)
      .map((p) => `{{${p}}}`)
      .join('、');
    throw badRequest(
      `模板中有未知的占位符：${problems.map((p) => p.message.replace('未知的占位符 ', '')).join('、')}。可用的有：${allowed}`,
      problems,
      'UNKNOWN_PLACEHOLDER',
    );
  }
}

export function previewTemplate(kind: NotifyKind, t: { title: string; body: string }) {
  checkTemplate(kind, t);
  const sample = NOTIFY_KINDS[kind].sample as Record<string, string>;
  return { title: renderTemplate(t.title, sample), body: renderTemplate(t.body, sample) };
}

export async function putTemplate(
  db: Db,
  scope: Scope,
  kind: NotifyKind,
  t: { title: string; body: string; urgent: boolean },
) {
  checkTemplate(kind, t);
  await db.transaction(async (tx) => {
    const before = await templateOf(tx, scope.tenantId, kind);
    const values = { tenantId: scope.tenantId, kind, ...t, updatedBy: scope.principal.user.id, updatedAt: clockNow() };
    await tx
      .insert(notifyTemplate)
      .values(values)
      .onConflictDoUpdate({ target: [notifyTemplate.tenantId, notifyTemplate.kind], set: values });
    await writeAudit(tx, scope.actor, {
      action: 'notify.template',
      entityType: 'notify_template',
      entityId: kind,
      before,
      after: t,
    });
  });
  return (await listTemplates(db, scope.tenantId)).find((x) => x.kind === kind)!;
}

export async function resetTemplate(db: Db, scope: Scope, kind: NotifyKind) {
  await db.transaction(async (tx) => {
    const before = await templateOf(tx, scope.tenantId, kind);
    await tx
      .delete(notifyTemplate)
      .where(and(eq(notifyTemplate.tenantId, scope.tenantId), eq(notifyTemplate.kind, kind)));
    await writeAudit(tx, scope.actor, {
      action: 'notify.template.reset',
      entityType: 'notify_template',
      entityId: kind,
      before,
    });
  });
  return (await listTemplates(db, scope.tenantId)).find((x) => x.kind === kind)!;
}

// ---------- lookups for access declarations ----------

export const orgOfRobot = orgOfRow(notifyRobot);

/** The phone of a user's member record, for SMS (decrypted only when sending). */
export async function phoneOfUser(
  db: Queryable,
  fc: FieldCrypto,
  tenantId: string,
  userId: string,
): Promise<string | null> {
  const m = await memberOfUser(db, tenantId, userId);
  return m?.phoneEnc ? memberPhone(fc, m) : null;
}
