/**
 * 通知提醒 routes: the inbox and its live stream (DESIGN.md contract), my notification settings,
 * templates (admins), org group robots (secretaries and org admins of the org), integrators'
 * webhooks, the delivery log, statistics and dead letters (admins; log and statistics also auditors).
 */
import {
  AUDIT_READERS,
  DeadLetter,
  DeliveriesQuery,
  DeliveryItem,
  NotificationsQuery,
  NotificationsReply,
  NotifySettings,
  NotifySettingsBody,
  Paging,
  RECORD_KEEPERS,
  RobotBody,
  RobotItem,
  RobotPatch,
  StatsReply,
  TemplateBody,
  TemplateItem,
  TemplatePreview,
  TemplatePreviewBody,
  TestResult,
  Uuid,
  WebhookBody,
  WebhookCreated,
  WebhookItem,
  WebhookPatch,
  type Role,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { scopeOf } from '../../platform/http';
import { declared, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import {
  createRobot,
  createWebhook,
  deleteRobot,
  deleteWebhook,
  deliveryStats,
  listDeliveries,
  listNotifyDeadLetters,
  listRobots,
  listWebhooks,
  resendDeadLetter,
  testRobotById,
  testWebhookById,
  updateRobot,
  updateWebhook,
} from './admin';
import {
  assertKind,
  getMySettings,
  listNotifications,
  listTemplates,
  markAllRead,
  markRead,
  orgOfRobot,
  previewTemplate,
  putMySettings,
  putTemplate,
  resetTemplate,
} from './service';
import { StreamHub } from './stream';

const tags = ['notify'];
const ADMIN = ['admin'] as const satisfies readonly Role[];
const Id = z.object({ id: Uuid });
const Kind = z.object({ kind: z.string().max(64) });

export const notifyRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, config } = services;
    const hub = new StreamHub(db, services.sessionPolicy);
    // Open streams would hold the server open: end them before it closes.
    app.addHook('preClose', async () => hub.close());

    // ---------- the inbox (DESIGN.md contract) ----------

    app.get(
      '/notifications',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的通知（站内信），新的在前；unread=true 只看未读',
        querystring: NotificationsQuery,
        response: { 200: NotificationsReply },
      }),
      async (req) => {
        const q = req.query;
        const scope = scopeOf(req);
        return listNotifications(db, scope.tenantId, scope.principal.user.id, {
          page: q.page,
          pageSize: q.pageSize,
          unreadOnly: q.unread === 'true' || q.unread === '1',
        });
      },
    );

    app.get(
      '/notifications/stream',
      declared({
        access: { roles: 'any' },
        tags,
        summary:
          '我的新通知实时推送（text/event-stream：hello、notification、unread 事件；断线重连带 Last-Event-ID 补发）',
        response: { 200: z.string().describe('text/event-stream') },
      }),
      async (req, reply) => {
        if (!String(req.headers.accept ?? '').includes('text/event-stream'))
          throw new AppError(406, 'NOT_EVENT_STREAM', '实时通知需以 EventSource 连接（Accept: text/event-stream）');
        const scope = scopeOf(req);
        await hub.serve(req, reply, scope.tenantId, scope.principal.user.id, scope.principal.tokenHash);
      },
    );

    app.post(
      '/notifications/:id/read',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '标记一条通知为已读',
        params: Id,
        response: { 200: z.object({ unread: z.number() }) },
      }),
      async (req) => {
        const scope = scopeOf(req);
        return { unread: await markRead(db, scope.tenantId, scope.principal.user.id, req.params.id) };
      },
    );

    app.post(
      '/notifications/read-all',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '全部标记为已读',
        response: { 200: z.object({ updated: z.number(), unread: z.literal(0) }) },
      }),
      async (req) => {
        const scope = scopeOf(req);
        return { updated: await markAllRead(db, scope.tenantId, scope.principal.user.id), unread: 0 as const };
      },
    );

    // ---------- my settings ----------

    app.get(
      '/me/notify-settings',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的通知设置：渠道、邮箱、免打扰时段、不接收的通知类型',
        response: { 200: NotifySettings },
      }),
      async (req) => {
        const scope = scopeOf(req);
        return getMySettings(db, config.notify, scope.tenantId, scope.principal.user.id);
      },
    );

    app.put(
      '/me/notify-settings',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '修改我的通知设置',
        body: NotifySettingsBody,
        response: { 200: NotifySettings },
      }),
      async (req) => putMySettings(db, config.notify, scopeOf(req), req.body),
    );

    // ---------- templates ----------

    app.get(
      '/notify/templates',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '各类通知的模板（含默认模板与可用占位符）',
        response: { 200: z.object({ items: z.array(TemplateItem), total: z.number() }) },
      }),
      async (req) => {
        const items = await listTemplates(db, scopeOf(req).tenantId);
        return { items, total: items.length };
      },
    );

    app.put(
      '/notify/templates/:kind',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '修改一类通知的模板（保存时检查占位符）',
        params: Kind,
        body: TemplateBody,
        response: { 200: TemplateItem },
      }),
      async (req) => putTemplate(db, scopeOf(req), assertKind(req.params.kind), req.body),
    );

    app.delete(
      '/notify/templates/:kind',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '恢复默认模板',
        params: Kind,
        response: { 200: TemplateItem },
      }),
      async (req) => resetTemplate(db, scopeOf(req), assertKind(req.params.kind)),
    );

    app.post(
      '/notify/templates/preview',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '用示例数据预览模板',
        body: TemplatePreviewBody,
        response: { 200: TemplatePreview },
      }),
      async (req) => previewTemplate(assertKind(req.body.kind), req.body),
    );

    // ---------- org group robots ----------

    app.get(
      '/orgs/:id/robots',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'params', key: 'id' } },
        tags,
        summary: '本组织的群机器人（企业微信、钉钉、飞书）',
        params: Id,
        querystring: Paging,
        response: { 200: z.object({ items: z.array(RobotItem), total: z.number() }) },
      }),
      async (req) => listRobots(services, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.post(
      '/orgs/:id/robots',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'params', key: 'id' } },
        tags,
        summary: '添加群机器人（地址与密钥加密保存）',
        params: Id,
        body: RobotBody,
        response: { 201: RobotItem },
      }),
      async (req, reply) => reply.status(201).send(await createRobot(services, scopeOf(req), req.body)),
    );

    const robotTarget = recordOrg(orgOfRobot);

    app.patch(
      '/notify-robots/:id',
      declared({
        access: { roles: RECORD_KEEPERS, target: robotTarget },
        tags,
        summary: '修改群机器人；密钥留空（null）保持不变，空字符串删除',
        params: Id,
        body: RobotPatch,
        response: { 200: RobotItem },
      }),
      async (req) => updateRobot(services, scopeOf(req), req.params.id, req.body),
    );

    app.delete(
      '/notify-robots/:id',
      declared({ access: { roles: RECORD_KEEPERS, target: robotTarget }, tags, summary: '删除群机器人', params: Id }),
      async (req, reply) => {
        await deleteRobot(services, scopeOf(req), req.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/notify-robots/:id/test',
      declared({
        access: { roles: RECORD_KEEPERS, target: robotTarget },
        tags,
        summary: '向群机器人发送一条测试消息',
        params: Id,
        response: { 200: TestResult },
      }),
      async (req) => testRobotById(services, scopeOf(req), req.params.id),
    );

    // ---------- integrators' webhooks ----------

    app.get(
      '/notify/webhooks',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '对外推送（Webhook）地址',
        querystring: Paging,
        response: { 200: z.object({ items: z.array(WebhookItem), total: z.number() }) },
      }),
      async (req) => listWebhooks(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.post(
      '/notify/webhooks',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '添加对外推送地址；签名密钥只在此时返回一次',
        body: WebhookBody,
        response: { 201: WebhookCreated },
      }),
      async (req, reply) => reply.status(201).send(await createWebhook(services, scopeOf(req), req.body)),
    );

    app.patch(
      '/notify/webhooks/:id',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '修改对外推送地址',
        params: Id,
        body: WebhookPatch,
        response: { 200: WebhookItem },
      }),
      async (req) => updateWebhook(services, scopeOf(req), req.params.id, req.body),
    );

    app.delete(
      '/notify/webhooks/:id',
      declared({ access: { roles: ADMIN }, tags, summary: '删除对外推送地址', params: Id }),
      async (req, reply) => {
        await deleteWebhook(services, scopeOf(req), req.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/notify/webhooks/:id/test',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '发送一条测试推送',
        params: Id,
        response: { 200: TestResult },
      }),
      async (req) => testWebhookById(services, scopeOf(req), req.params.id),
    );

    // ---------- delivery log, statistics, dead letters ----------

    app.get(
      '/notify/deliveries',
      declared({
        access: { roles: AUDIT_READERS },
        tags,
        summary: '发送记录（邮件、短信、群机器人、对外推送）',
        querystring: DeliveriesQuery,
        response: { 200: z.object({ items: z.array(DeliveryItem), total: z.number() }) },
      }),
      async (req) => listDeliveries(db, scopeOf(req), req.query),
    );

    app.get(
      '/notify/stats',
      declared({
        access: { roles: AUDIT_READERS },
        tags,
        summary: '近 30 天各渠道发送统计：已发送、失败、待发送；站内信已读',
        response: { 200: StatsReply },
      }),
      async (req) => deliveryStats(db, scopeOf(req)),
    );

    app.get(
      '/notify/dead-letters',
      declared({
        access: { roles: ADMIN },
        tags,
        summary: '死信：重试用尽仍未送达的消息与事件',
        querystring: Paging,
        response: { 200: z.object({ items: z.array(DeadLetter), total: z.number() }) },
      }),
      async (req) => listNotifyDeadLetters(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.post(
      '/notify/dead-letters/:id/resend',
      declared({ access: { roles: ADMIN }, tags, summary: '重新发送一条死信', params: Id }),
      async (req, reply) => {
        await resendDeadLetter(services, scopeOf(req), req.params.id);
        return reply.status(204).send();
      },
    );
  };
