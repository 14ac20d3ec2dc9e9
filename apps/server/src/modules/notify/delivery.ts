/**
 * Sending: the job `notify.deliver` sends one delivery row through its channel and logs the outcome
 * on the row. A retryable failure (timeout, 5xx, rate limit) throws a plain error — the runner tries
 * again after a backoff; a permanent one (bad key or signature, unknown address) throws a 4xx AppError
 * — the job becomes a dead letter at once. Either way the row says why. A channel that is not
 * configured (no SMTP, no SMS provider) marks the row skipped.
 *
 * Also here: the `webhooks` event processor, which turns each domain event into one signed delivery
 * per subscribed integrator endpoint, and the test sends behind the settings pages' test buttons.
 */
import {
  chinaDateTimeLabel,
  CHANNEL_LABELS,
  NOTIFY_KINDS,
  now as clockNow,
  renderTemplate,
  type RobotProvider,
} from '@xianfeng/shared';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db, type Queryable } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { JobContext, OutboxEvent } from '../../platform/jobs';
import { OutboundError, postOutbound, type OutboundPolicy } from '../../platform/outbound';
import type { Services } from '../../platform/services';
import { METRICS } from '../../platform/counters';
import { sendEmail } from './channels/email';
import { robotOutcome, robotRequest, type RobotMessage } from './channels/robots';
import { aliyunSms, type SmsProvider } from './channels/sms';
import { webhookHeaders, webhookOutcome } from './channels/webhook';
import { notifyDelivery, notifyPref, notifyRobot, webhookEndpoint } from './schema';
import { phoneOfUser, queueDeliveries } from './service';

/** How often a delivery is tried: 6 tries over about 30 minutes (30 s, 1, 2, 4, 8 … min). */
export const DELIVERY_RETRY = { attempts: 6, backoffMs: (n: number) => Math.min(30_000 * 2 ** (n - 1), 15 * 60_000) };

export const policyOf = (services: Services): OutboundPolicy => ({ allow: services.config.notify.outboundAllow });
const absolute = (services: Services, link: string | null) =>
  link ? `${services.config.notify.publicUrl}${link}` : null;

type Outcome =
  | { ok: true; status?: number | null; excerpt?: string | null; ms?: number | null }
  | { ok: false; retry: boolean; message: string; status?: number | null; excerpt?: string | null; ms?: number | null };

/** The SMS provider of this configuration (null: SMS off). Tests may swap the transport. */
export function smsProviderOf(services: Services): SmsProvider | null {
  const cfg = services.config.notify.sms;
  if (!cfg) return null;
  return aliyunSms(cfg, async (url, form) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, text: await res.text() };
  });
}

async function sendRobot(
  services: Services,
  robot: typeof notifyRobot.$inferSelect,
  msg: RobotMessage,
): Promise<Outcome> {
  const fc = services.fieldCrypto;
  const req = robotRequest(
    robot.provider as RobotProvider,
    fc.decrypt(robot.urlEnc, notifyRobot.urlEnc, robot.id),
    robot.secretEnc ? fc.decrypt(robot.secretEnc, notifyRobot.secretEnc, robot.id) : null,
    msg,
  );
  try {
    const reply = await postOutbound(req.url, req.body, { policy: policyOf(services) });
    const out = robotOutcome(robot.provider as RobotProvider, reply);
    return { ...out, status: reply.status, excerpt: reply.text.slice(0, 300), ms: reply.durationMs };
  } catch (e) {
    if (e instanceof OutboundError) return { ok: false, retry: !e.blocked, message: e.message };
    if (e instanceof AppError) return { ok: false, retry: false, message: e.message };
    throw e;
  }
}

async function sendWebhook(
  services: Services,
  endpoint: typeof webhookEndpoint.$inferSelect,
  kind: string,
  deliveryId: string,
  body: string,
): Promise<Outcome> {
  const secret = services.fieldCrypto.decrypt(endpoint.secretEnc, webhookEndpoint.secretEnc, endpoint.id);
  try {
    const reply = await postOutbound(endpoint.url, body, {
      policy: policyOf(services),
      headers: webhookHeaders(secret, kind, deliveryId, body),
      timeoutMs: 10_000,
    });
    return {
      ...webhookOutcome(reply.status),
      status: reply.status,
      excerpt: reply.text.slice(0, 300),
      ms: reply.durationMs,
    };
  } catch (e) {
    if (e instanceof OutboundError) return { ok: false, retry: !e.blocked, message: e.message };
    if (e instanceof AppError) return { ok: false, retry: false, message: e.message };
    throw e;
  }
}

/** The job: sends one delivery. */
export async function deliver(services: Services, deliveryId: string, ctx: JobContext): Promise<unknown> {
  const { db } = services;
  // The job names its tenant: notify/service.ts enqueues each delivery with its row's tenant.
  const tenantId = ctx.job.tenantId;
  if (!tenantId) return { missing: true };
  const [d] = await db
    .select()
    .from(notifyDelivery)
    .where(and(eq(notifyDelivery.tenantId, tenantId), eq(notifyDelivery.id, deliveryId)));
  if (!d) return { missing: true };
  if (d.status === 'sent' || d.status === 'skipped') return { already: d.status };
  const p = d.payload as { title: string; body: string; link: string | null; body_json?: string };
  const msg = { title: p.title, body: p.body, link: absolute(services, p.link) };
  let out: Outcome;
  const started = Date.now();
  if (d.channel === 'email') {
    const cfg = services.config.notify.smtp;
    const [pref] = d.userId
      ? await db
          .select()
          .from(notifyPref)
          .where(and(eq(notifyPref.tenantId, d.tenantId), eq(notifyPref.userId, d.userId)))
      : [];
    if (!cfg) out = { ok: false, retry: false, message: 'skip:未配置邮件服务（XF_SMTP_HOST）' };
    else if (!pref?.email || !pref.emailOn) out = { ok: false, retry: false, message: 'skip:收件人已关闭邮件通知' };
    else out = await sendEmail(cfg, pref.email, msg);
  } else if (d.channel === 'sms') {
    const sms = smsProviderOf(services);
    const phone = d.userId ? await phoneOfUser(db, services.fieldCrypto, d.tenantId, d.userId) : null;
    if (!sms) out = { ok: false, retry: false, message: 'skip:未配置短信服务（XF_SMS_PROVIDER）' };
    else if (!phone) out = { ok: false, retry: false, message: 'skip:收件人没有手机号' };
    else {
      try {
        out = await sms.send(phone, { title: msg.title });
      } catch (e) {
        out = { ok: false, retry: true, message: `短信接口连接失败：${(e as Error).message}` };
      }
    }
  } else if (d.channel === 'webhook') {
    const [ep] = d.endpointId
      ? await db.select().from(webhookEndpoint).where(eq(webhookEndpoint.id, d.endpointId))
      : [];
    if (!ep || !ep.enabled) out = { ok: false, retry: false, message: 'skip:推送地址已删除或停用' };
    else out = await sendWebhook(services, ep, d.kind, d.id, p.body_json ?? '{}');
  } else {
    const [robot] = d.robotId
      ? await db
          .select()
          .from(notifyRobot)
          .where(and(eq(notifyRobot.tenantId, d.tenantId), eq(notifyRobot.id, d.robotId)))
      : [];
    if (!robot || !robot.enabled) out = { ok: false, retry: false, message: 'skip:机器人已删除或停用' };
    else out = await sendRobot(services, robot, msg);
  }
  const ms = out.ms ?? Date.now() - started;
  METRICS.deliveries.inc({
    channel: d.channel,
    result: out.ok ? 'sent' : out.message.startsWith('skip:') ? 'skipped' : 'error',
  });
  const at = clockNow();
  const fields = {
    attempts: ctx.job.attempts,
    responseStatus: out.status ?? null,
    responseExcerpt: out.excerpt ?? null,
    durationMs: ms,
    updatedAt: at,
  };
  if (out.ok) {
    await db
      .update(notifyDelivery)
      .set({ ...fields, status: 'sent', sentAt: at, lastError: null })
      .where(and(eq(notifyDelivery.tenantId, d.tenantId), eq(notifyDelivery.id, d.id)));
    return { sent: true };
  }
  if (out.message.startsWith('skip:')) {
    await db
      .update(notifyDelivery)
      .set({ ...fields, status: 'skipped', lastError: out.message.slice(5) })
      .where(and(eq(notifyDelivery.tenantId, d.tenantId), eq(notifyDelivery.id, d.id)));
    return { skipped: out.message.slice(5) };
  }
  const last = !out.retry || ctx.job.attempts >= DELIVERY_RETRY.attempts;
  await db
    .update(notifyDelivery)
    .set({ ...fields, status: last ? 'failed' : 'retrying', lastError: out.message })
    .where(and(eq(notifyDelivery.tenantId, d.tenantId), eq(notifyDelivery.id, d.id)));
  if (!out.retry) throw new AppError(422, 'DELIVERY_REJECTED', out.message);
  throw new Error(out.message);
}

/** A delivery is resent from the dead letters: its row goes back to queued. */
export async function requeueDelivery(db: Db, deliveryId: string) {
  await db
    .update(notifyDelivery)
    .set({ status: 'queued', updatedAt: clockNow() })
    .where(eq(notifyDelivery.id, deliveryId));
}

// ---------- webhooks: the event processor ----------

export function webhookBody(
  event: Pick<OutboxEvent, 'id' | 'kind' | 'entityType' | 'entityId' | 'orgId' | 'data'> & { at: string | Date },
) {
  return JSON.stringify({
    id: String(event.id),
    kind: event.kind,
    at: new Date(event.at).toISOString(),
    entityType: event.entityType,
    entityId: event.entityId,
    orgId: event.orgId,
    data: event.data,
  });
}

/** The events of a batch that some enabled endpoint of their tenant subscribes to (one query). */
export async function selectWebhookEvents(q: Queryable, events: OutboxEvent[]): Promise<OutboxEvent[]> {
  // Only the batch's tenants: an outbox batch spans tenants, but no statement reads every tenant's endpoints.
  const tenants = [...new Set(events.flatMap((e) => (e.tenantId ? [e.tenantId] : [])))];
  if (tenants.length === 0) return [];
  const rows = await queryRows<{ tenant_id: string; kind: string }>(
    q,
    sql`select distinct tenant_id, unnest(kinds) as kind from webhook_endpoint
        where enabled and tenant_id = any(${sql.param(tenants)}::uuid[])`,
  );
  if (rows.length === 0) return [];
  const wanted = new Set(rows.map((r) => `${r.tenant_id}:${r.kind}`));
  return events.filter((e) => e.tenantId && (wanted.has(`${e.tenantId}:*`) || wanted.has(`${e.tenantId}:${e.kind}`)));
}

/** Each event → one delivery per enabled endpoint of its tenant that subscribes to its kind. */
export async function onWebhookEvent(db: Db, event: OutboxEvent & { at: string | Date }) {
  if (!event.tenantId) return { endpoints: 0 };
  const endpoints = await db
    .select({ id: webhookEndpoint.id, name: webhookEndpoint.name })
    .from(webhookEndpoint)
    .where(
      and(
        eq(webhookEndpoint.tenantId, event.tenantId),
        eq(webhookEndpoint.enabled, true),
        sql`('*' = any(${webhookEndpoint.kinds}) or ${event.kind} = any(${webhookEndpoint.kinds}))`,
      ),
    );
  if (endpoints.length === 0) return { endpoints: 0 };
  const now = clockNow();
  const body = webhookBody(event);
  await db.transaction((tx) =>
    queueDeliveries(
      tx,
      endpoints.map((ep) => ({
        tenantId: event.tenantId!,
        channel: 'webhook',
        kind: event.kind,
        endpointId: ep.id,
        target: ep.name,
        title: event.kind,
        payload: { title: event.kind, body: '', link: null, body_json: body },
        dedupeKey: `webhook:${ep.id}:${event.id}`,
        runAt: now,
      })),
      now,
    ),
  );
  return { endpoints: endpoints.length };
}

// ---------- test buttons ----------

const testMessage = (channel: string) => {
  const def = NOTIFY_KINDS['notify.test'];
  const data = { sentAt: chinaDateTimeLabel(clockNow()), channel };
  return { title: renderTemplate(def.title, data), body: renderTemplate(def.body, data), link: null };
};

export type TestOutcome = { ok: boolean; status: number | null; message: string; durationMs: number };

/** Sends a test message to a robot now and logs it as a delivery. */
export async function testRobot(services: Services, robot: typeof notifyRobot.$inferSelect): Promise<TestOutcome> {
  const started = Date.now();
  const msg = testMessage(CHANNEL_LABELS[robot.provider as RobotProvider]);
  const out = await sendRobot(services, robot, msg);
  return logTest(
    services,
    {
      tenantId: robot.tenantId,
      channel: robot.provider,
      robotId: robot.id,
      target: robot.name,
      title: msg.title,
      payload: msg,
    },
    out,
    started,
  );
}

export async function testWebhook(services: Services, ep: typeof webhookEndpoint.$inferSelect): Promise<TestOutcome> {
  const started = Date.now();
  const at = clockNow();
  const body = webhookBody({
    id: 0,
    kind: 'notify.test',
    at,
    entityType: 'webhook_endpoint',
    entityId: ep.id,
    orgId: null,
    data: { message: '这是一条测试推送' },
  });
  const [row] = await services.db
    .insert(notifyDelivery)
    .values({
      tenantId: ep.tenantId,
      channel: 'webhook',
      kind: 'notify.test',
      endpointId: ep.id,
      target: ep.name,
      title: '测试推送',
      payload: { title: '测试推送', body: '', link: null, body_json: body },
      dedupeKey: `test:${crypto.randomUUID()}`,
      status: 'queued',
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: notifyDelivery.id });
  const out = await sendWebhook(services, ep, 'notify.test', row!.id, body);
  return finishTest(services, row!.id, out, started);
}

async function logTest(
  services: Services,
  d: {
    tenantId: string;
    channel: string;
    robotId?: string;
    target: string;
    title: string;
    payload: Record<string, unknown>;
  },
  out: Outcome,
  started: number,
): Promise<TestOutcome> {
  const at = clockNow();
  const [row] = await services.db
    .insert(notifyDelivery)
    .values({
      ...d,
      kind: 'notify.test',
      dedupeKey: `test:${crypto.randomUUID()}`,
      status: 'queued',
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: notifyDelivery.id });
  return finishTest(services, row!.id, out, started);
}

async function finishTest(services: Services, id: string, out: Outcome, started: number): Promise<TestOutcome> {
  const ms = out.ms ?? Date.now() - started;
  const at = clockNow();
  await services.db
    .update(notifyDelivery)
    .set({
      attempts: 1,
      status: out.ok ? 'sent' : 'failed',
      sentAt: out.ok ? at : null,
      lastError: out.ok ? null : out.message,
      responseStatus: out.status ?? null,
      responseExcerpt: out.excerpt ?? null,
      durationMs: ms,
      updatedAt: at,
    })
    .where(eq(notifyDelivery.id, id));
  return { ok: out.ok, status: out.status ?? null, message: out.ok ? '发送成功' : out.message, durationMs: ms };
}
