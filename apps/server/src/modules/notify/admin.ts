/**
 * Settings and logs: org group robots (secretaries and org admins, for their orgs), integrators'
 * webhook endpoints (admins), the delivery log with per-channel statistics, and the dead letters of
 * notify jobs with resend. Every change is audited; secrets never enter the audit log or an answer.
 */
import {
  addDays,
  chinaDayStart,
  DELIVERY_STATUSES,
  now as clockNow,
  type DeliveryStatus,
  type RobotBody,
  type RobotProvider,
} from '@xianfeng/shared';
import crypto from 'node:crypto';
import { and, count, desc, eq, gte, inArray, like, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { queryRows, type Db } from '../../platform/db';
import { badRequest, notFound } from '../../platform/errors';
import { resendJob } from '../../platform/jobs';
import { checkOutboundUrl } from '../../platform/outbound';
import { job } from '../../platform/schema';
import type { Services } from '../../platform/services';
import { checkRobotUrl, maskRobotUrl } from './channels/robots';
import { newWebhookSecret } from './channels/webhook';
import { policyOf, requeueDelivery, testRobot, testWebhook } from './delivery';
import { notification, notifyDelivery, notifyRobot, webhookEndpoint } from './schema';
import { DELIVER_JOB } from './service';
import { countFrom, pageWhere } from '../../platform/paging';

// ---------- robots ----------

function robotView(r: typeof notifyRobot.$inferSelect, fc: Services['fieldCrypto']) {
  return {
    id: r.id,
    orgId: r.orgId,
    provider: r.provider as RobotProvider,
    name: r.name,
    urlMasked: maskRobotUrl(fc.decrypt(r.urlEnc, notifyRobot.urlEnc, r.id)),
    hasSecret: Boolean(r.secretEnc),
    kinds: r.kinds,
    subtree: r.subtree,
    quietHours: r.quietStart && r.quietEnd ? { start: r.quietStart, end: r.quietEnd } : null,
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listRobots(services: Services, scope: Scope, page = 1, pageSize = 200) {
  const where = and(eq(notifyRobot.tenantId, scope.tenantId), eq(notifyRobot.orgId, scope.org.id));
  const { items: rows, total } = await pageWhere(
    services.db.select().from(notifyRobot).$dynamic(),
    countFrom(services.db, notifyRobot),
    where,
    [notifyRobot.createdAt, notifyRobot.id],
    page,
    pageSize,
  );
  return { items: rows.map((r) => robotView(r, services.fieldCrypto)), total };
}

const auditView = (v: ReturnType<typeof robotView>) => ({
  provider: v.provider,
  name: v.name,
  urlMasked: v.urlMasked,
  hasSecret: v.hasSecret,
  kinds: v.kinds,
  subtree: v.subtree,
  quietHours: v.quietHours,
  enabled: v.enabled,
});

function checkSecret(provider: RobotProvider, secret: string | null) {
  if (provider === 'wecom' && secret)
    throw badRequest('企业微信群机器人没有加签密钥，请留空', [{ field: 'secret', message: '企业微信不需要密钥' }]);
  if (provider === 'dingtalk' && secret && !/^SEC[0-9a-f]{20,}$/i.test(secret))
    throw badRequest('钉钉加签密钥应为 SEC 开头的字符串（机器人安全设置 → 加签）', [
      { field: 'secret', message: '格式不正确' },
    ]);
}

export async function createRobot(services: Services, scope: Scope, input: RobotBody) {
  checkRobotUrl(input.provider, input.url, policyOf(services));
  checkSecret(input.provider, input.secret || null);
  const fc = services.fieldCrypto;
  const id = crypto.randomUUID(); // chosen here: the sealed URL and secret are bound to it
  return services.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(notifyRobot)
      .values({
        id,
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        provider: input.provider,
        name: input.name,
        urlEnc: fc.encrypt(input.url, notifyRobot.urlEnc, id),
        secretEnc: input.secret ? fc.encrypt(input.secret, notifyRobot.secretEnc, id) : null,
        kinds: input.kinds,
        subtree: input.subtree,
        quietStart: input.quietHours?.start ?? null,
        quietEnd: input.quietHours?.end ?? null,
        enabled: input.enabled,
        createdBy: scope.principal.user.id,
        createdAt: clockNow(),
        updatedAt: clockNow(),
      })
      .returning();
    const view = robotView(row!, fc);
    await writeAudit(tx, scope.actor, {
      action: 'notify.robot.create',
      entityType: 'notify_robot',
      entityId: row!.id,
      org: scope.org,
      after: auditView(view),
    });
    return view;
  });
}

async function robotIn(db: Db, scope: Scope, id: string) {
  const [row] = await db
    .select()
    .from(notifyRobot)
    .where(and(eq(notifyRobot.tenantId, scope.tenantId), eq(notifyRobot.id, id)));
  if (!row) throw notFound('机器人不存在');
  return row;
}

export async function updateRobot(services: Services, scope: Scope, id: string, patch: Partial<RobotBody>) {
  const fc = services.fieldCrypto;
  const row = await robotIn(services.db, scope, id);
  const provider = (patch.provider ?? row.provider) as RobotProvider;
  const url = patch.url ?? fc.decrypt(row.urlEnc, notifyRobot.urlEnc, row.id);
  if (patch.url !== undefined || patch.provider !== undefined) checkRobotUrl(provider, url, policyOf(services));
  const secret =
    patch.secret === undefined || patch.secret === null
      ? row.secretEnc
        ? fc.decrypt(row.secretEnc, notifyRobot.secretEnc, row.id)
        : null
      : patch.secret || null;
  checkSecret(provider, secret);
  return services.db.transaction(async (tx) => {
    const before = robotView(row, fc);
    const [next] = await tx
      .update(notifyRobot)
      .set({
        provider,
        name: patch.name ?? row.name,
        urlEnc: patch.url !== undefined ? fc.encrypt(url, notifyRobot.urlEnc, row.id) : row.urlEnc,
        secretEnc: secret ? fc.encrypt(secret, notifyRobot.secretEnc, row.id) : null,
        kinds: patch.kinds ?? row.kinds,
        subtree: patch.subtree ?? row.subtree,
        ...(patch.quietHours !== undefined
          ? { quietStart: patch.quietHours?.start ?? null, quietEnd: patch.quietHours?.end ?? null }
          : {}),
        enabled: patch.enabled ?? row.enabled,
        updatedAt: clockNow(),
      })
      .where(and(eq(notifyRobot.tenantId, scope.tenantId), eq(notifyRobot.id, id)))
      .returning();
    const view = robotView(next!, fc);
    await writeAudit(tx, scope.actor, {
      action: 'notify.robot.update',
      entityType: 'notify_robot',
      entityId: id,
      org: scope.org,
      before: auditView(before),
      after: auditView(view),
    });
    return view;
  });
}

export async function deleteRobot(services: Services, scope: Scope, id: string) {
  const row = await robotIn(services.db, scope, id);
  await services.db.transaction(async (tx) => {
    await tx.delete(notifyRobot).where(and(eq(notifyRobot.tenantId, scope.tenantId), eq(notifyRobot.id, id)));
    await writeAudit(tx, scope.actor, {
      action: 'notify.robot.delete',
      entityType: 'notify_robot',
      entityId: id,
      org: scope.org,
      before: auditView(robotView(row, services.fieldCrypto)),
    });
  });
}

export async function testRobotById(services: Services, scope: Scope, id: string) {
  return testRobot(services, await robotIn(services.db, scope, id));
}

// ---------- webhooks ----------

const webhookView = (w: typeof webhookEndpoint.$inferSelect) => ({
  id: w.id,
  name: w.name,
  url: w.url,
  kinds: w.kinds,
  enabled: w.enabled,
  createdAt: w.createdAt.toISOString(),
});

export async function listWebhooks(db: Db, scope: Scope, page = 1, pageSize = 200) {
  const where = eq(webhookEndpoint.tenantId, scope.tenantId);
  const { items: rows, total } = await pageWhere(
    db.select().from(webhookEndpoint).$dynamic(),
    countFrom(db, webhookEndpoint),
    where,
    [webhookEndpoint.createdAt, webhookEndpoint.id],
    page,
    pageSize,
  );
  return { items: rows.map(webhookView), total };
}

export async function createWebhook(
  services: Services,
  scope: Scope,
  input: { name: string; url: string; kinds: string[]; enabled: boolean },
) {
  checkOutboundUrl(input.url, policyOf(services));
  const secret = newWebhookSecret();
  const id = crypto.randomUUID(); // chosen here: the sealed secret is bound to it
  return services.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoint)
      .values({
        id,
        tenantId: scope.tenantId,
        name: input.name,
        url: input.url,
        secretEnc: services.fieldCrypto.encrypt(secret, webhookEndpoint.secretEnc, id),
        kinds: input.kinds,
        enabled: input.enabled,
        createdBy: scope.principal.user.id,
        createdAt: clockNow(),
        updatedAt: clockNow(),
      })
      .returning();
    const view = webhookView(row!);
    await writeAudit(tx, scope.actor, {
      action: 'notify.webhook.create',
      entityType: 'webhook_endpoint',
      entityId: row!.id,
      after: view,
    });
    return { ...view, secret };
  });
}

async function webhookIn(db: Db, scope: Scope, id: string) {
  const [row] = await db
    .select()
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.tenantId, scope.tenantId), eq(webhookEndpoint.id, id)));
  if (!row) throw notFound('推送地址不存在');
  return row;
}

export async function updateWebhook(
  services: Services,
  scope: Scope,
  id: string,
  patch: Partial<{ name: string; url: string; kinds: string[]; enabled: boolean }>,
) {
  const row = await webhookIn(services.db, scope, id);
  if (patch.url !== undefined) checkOutboundUrl(patch.url, policyOf(services));
  return services.db.transaction(async (tx) => {
    const [next] = await tx
      .update(webhookEndpoint)
      .set({
        name: patch.name ?? row.name,
        url: patch.url ?? row.url,
        kinds: patch.kinds ?? row.kinds,
        enabled: patch.enabled ?? row.enabled,
        updatedAt: clockNow(),
      })
      .where(eq(webhookEndpoint.id, id))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'notify.webhook.update',
      entityType: 'webhook_endpoint',
      entityId: id,
      before: webhookView(row),
      after: webhookView(next!),
    });
    return webhookView(next!);
  });
}

export async function deleteWebhook(services: Services, scope: Scope, id: string) {
  const row = await webhookIn(services.db, scope, id);
  await services.db.transaction(async (tx) => {
    await tx.delete(webhookEndpoint).where(eq(webhookEndpoint.id, id));
    await writeAudit(tx, scope.actor, {
      action: 'notify.webhook.delete',
      entityType: 'webhook_endpoint',
      entityId: id,
      before: webhookView(row),
    });
  });
}

export async function testWebhookById(services: Services, scope: Scope, id: string) {
  return testWebhook(services, await webhookIn(services.db, scope, id));
}

// ---------- the delivery log, statistics, dead letters ----------

export const DeliveriesFilter = z.object({
  channel: z.string().optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  endpointId: z.string().optional(),
  /** Beijing days, both included (checked by DeliveriesQuery: YYYY-MM-DD, from ≤ to). */
  from: z.string().optional(),
  to: z.string().optional(),
  page: z.number(),
  pageSize: z.number(),
});

/** The start of a Beijing day as an instant. */

export async function listDeliveries(db: Db, scope: Scope, f: z.infer<typeof DeliveriesFilter>) {
  const where = and(
    eq(notifyDelivery.tenantId, scope.tenantId),
    f.channel ? eq(notifyDelivery.channel, f.channel) : undefined,
    f.status ? eq(notifyDelivery.status, f.status) : undefined,
    f.endpointId ? eq(notifyDelivery.endpointId, f.endpointId) : undefined,
    f.from ? gte(notifyDelivery.createdAt, chinaDayStart(f.from)) : undefined,
    f.to ? lt(notifyDelivery.createdAt, chinaDayStart(addDays(f.to, 1))) : undefined,
  );
  const { items: rows, total } = await pageWhere(
    db
      .select({ d: notifyDelivery, deadJobId: job.id })
      .from(notifyDelivery)
      .leftJoin(job, and(eq(job.dedupeKey, sql`'deliver:' || ${notifyDelivery.id}`), eq(job.status, 'dead')))
      .$dynamic(),
    countFrom(db, notifyDelivery),
    where,
    [desc(notifyDelivery.createdAt), desc(notifyDelivery.id)],
    f.page,
    f.pageSize,
  );
  return {
    items: rows.map(({ d, deadJobId }) => ({
      id: d.id,
      channel: d.channel as 'email',
      kind: d.kind,
      target: d.target,
      title: d.title,
      status: d.status as DeliveryStatus,
      attempts: d.attempts,
      lastError: d.lastError,
      responseStatus: d.responseStatus,
      durationMs: d.durationMs,
      createdAt: d.createdAt.toISOString(),
      sentAt: d.sentAt?.toISOString() ?? null,
      deadJobId,
    })),
    total,
  };
}

/** Sent / failed / pending per channel over the last `days` days; in-app: notices and how many were read. */
export async function deliveryStats(db: Db, scope: Scope, days = 30) {
  const since = new Date(clockNow().getTime() - days * 86_400_000);
  const rows = await queryRows<{ channel: string; sent: number; failed: number; pending: number }>(
    db,
    sql`select channel, count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status = 'failed')::int as failed,
          count(*) filter (where status in ('queued', 'retrying'))::int as pending
        from notify_delivery where tenant_id = ${scope.tenantId} and created_at >= ${since} group by channel`,
  );
  const [inapp] = await db
    .select({ sent: count(), read: sql<number>`count(${notification.readAt})::int` })
    .from(notification)
    .where(and(eq(notification.tenantId, scope.tenantId), gte(notification.createdAt, since)));
  const by = new Map(rows.map((r) => [r.channel, r]));
  const channels = ['email', 'sms', 'wecom', 'dingtalk', 'feishu', 'webhook'] as const;
  return {
    since: since.toISOString(),
    items: [
      { channel: 'inapp' as const, sent: inapp?.sent ?? 0, failed: 0, pending: 0, read: inapp?.read ?? 0 },
      ...channels.map((c) => ({
        channel: c,
        sent: by.get(c)?.sent ?? 0,
        failed: by.get(c)?.failed ?? 0,
        pending: by.get(c)?.pending ?? 0,
        read: null,
      })),
    ],
  };
}

/** Notify's dead letters: deliveries that gave up, and event processors that did. */
export async function listNotifyDeadLetters(db: Db, scope: Scope, page: number, pageSize: number) {
  const where = and(
    eq(job.tenantId, scope.tenantId),
    eq(job.status, 'dead'),
    or(eq(job.kind, DELIVER_JOB), like(job.kind, 'event:%')),
  );
  const { items: slice, total } = await pageWhere(
    db
      .select({
        id: job.id,
        kind: job.kind,
        payload: job.payload,
        error: job.error,
        attempts: job.attempts,
        updatedAt: job.updatedAt,
      })
      .from(job)
      .$dynamic(),
    countFrom(db, job),
    where,
    [desc(job.updatedAt)],
    page,
    pageSize,
  );
  const deliveryIds = slice
    .filter((d) => d.kind === DELIVER_JOB)
    .map((d) => String((d.payload as { deliveryId?: string }).deliveryId));
  const deliveries = deliveryIds.length
    ? await db.select().from(notifyDelivery).where(inArray(notifyDelivery.id, deliveryIds))
    : [];
  const byId = new Map(deliveries.map((d) => [d.id, d]));
  return {
    items: slice.map((d) => {
      const dl =
        d.kind === DELIVER_JOB ? byId.get(String((d.payload as { deliveryId?: string }).deliveryId)) : undefined;
      const ev = (d.payload as { event?: { kind?: string; entityId?: string } }).event;
      return {
        id: d.id,
        kind: d.kind,
        what: dl
          ? `${dl.channel} → ${dl.target}：${dl.title}`
          : ev
            ? `事件 ${ev.kind ?? ''} ${ev.entityId ?? ''}`.trim()
            : d.kind,
        error: (d.error as { message?: string } | null)?.message ?? '',
        attempts: d.attempts,
        at: d.updatedAt.toISOString(),
      };
    }),
    total,
  };
}

export async function resendDeadLetter(services: Services, scope: Scope, id: string) {
  const [row] = await services.db
    .select()
    .from(job)
    .where(and(eq(job.tenantId, scope.tenantId), eq(job.id, id)));
  if (!row || !(row.kind === DELIVER_JOB || row.kind.startsWith('event:'))) throw notFound('死信不存在');
  await services.db.transaction(async (tx) => {
    if (!(await resendJob(tx, scope.tenantId, id, clockNow()))) throw notFound('该任务不在死信中');
    await writeAudit(tx, scope.actor, {
      action: 'notify.resend',
      entityType: 'job',
      entityId: id,
      after: { kind: row.kind },
    });
  });
  const deliveryId = (row.payload as { deliveryId?: string }).deliveryId;
  if (row.kind === DELIVER_JOB && deliveryId) await requeueDelivery(services.db, deliveryId);
  services.jobs.kick();
}
