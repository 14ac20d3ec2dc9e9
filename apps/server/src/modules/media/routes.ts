/**
 * 宣传 routes. Records addressed by id have their own first path segment (media-articles): reading
 * resolves through the caller's line, editing through the article's own org, reviewing through its
 * review org (the org above) — all in `config.access`, so the platform's one scope check decides.
 * The portal (no login) is under /public/articles: JSON list (outside contract), the phone page as
 * server-rendered HTML from render.ts, and the images those pages show.
 */
import {
  ArticleBrief,
  ArticleDetail,
  ArticleInput,
  ArticlePatch,
  ARTICLE_KINDS,
  ARTICLE_STATUSES,
  BrandFields,
  ChannelInput,
  ChannelView,
  MediaFile,
  MediaTodo,
  ORG_ADMINS,
  Page,
  Paging,
  PublicArticle,
  RECORD_KEEPERS,
  RECORD_READERS,
  ReviewInput,
  UnreadRow,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../platform/errors';
import { contentDisposition, fileStore, MAX_FILE_BYTES } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { pageOf } from '../../platform/paging';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { orgOfMember } from '../member/service';
import { commentRoutes } from './comments.routes';
import { contestRoutes } from './contests.routes';
import { lectureRoutes } from './lectures.routes';
import { renderArticlePage, renderListPage } from './render';
import {
  createArticle,
  createChannel,
  getArticle,
  honorsOfMember,
  myHonors,
  insertFile,
  listBrands,
  listChannels,
  listFeed,
  listManaged,
  loadFile,
  markRead,
  myTodo,
  orgOfArticle,
  ownerOrgOfArticle,
  portalArticle,
  portalFile,
  portalList,
  portalTenant,
  reviewArticle,
  reviewOrgOfArticle,
  reviewQueue,
  submitArticle,
  unreadOf,
  updateArticle,
  withdrawArticle,
} from './service';

const tags = ['media'];
const read = recordOrg(orgOfArticle);
const edit = recordOrg(ownerOrgOfArticle);
const review = recordOrg(reviewOrgOfArticle);
const PUBLIC = { public: true } as const;
const TenantQuery = z.object({ tenant: Uuid.optional() });
const Kind = z.enum(ARTICLE_KINDS, '类型须为 news、story、pioneer 或 brand');

/** Portal addresses, absolute (the Open Graph card needs them so). */
const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
const tq = (tenantId: string) => `tenant=${tenantId}`;
const portalUrl = (req: FastifyRequest, tenantId: string, id: string) =>
  `${origin(req)}/api/v1/public/articles/${id}?${tq(tenantId)}`;
const portalFileUrl = (req: FastifyRequest, tenantId: string, id: string, fileId: string) =>
  `${origin(req)}/api/v1/public/articles/${id}/files/${fileId}?${tq(tenantId)}`;

export const mediaRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, config } = services;
    const store = fileStore(() => config.dataDir, config.s3);
    // 网上课堂/讲座 (lectures.routes.ts).
    lectureRoutes(app, services, store);
    contestRoutes(app, services, store);
    // Comments and the sensitive-word list (comments.routes.ts).
    commentRoutes(app, services);

    // ---- channels ----------------------------------------------------------------------------
    app.get(
      '/media/channels',
      declared({
        access: { roles: 'any', target: optionalOrg },
        tags,
        summary: '栏目（内置栏目及本组织和上级添加的栏目）',
        querystring: Paging.extend({ orgId: Uuid.optional() }),
        response: { 200: Page(ChannelView) },
      }),
      async (req) => {
        const all = await listChannels(db, scopeOf(req));
        const { page, pageSize } = req.query;
        return pageOf(all, page, pageSize);
      },
    );
    app.post(
      '/media/channels',
      declared({
        access: { roles: ORG_ADMINS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '为组织添加栏目（管理员）',
        body: ChannelInput,
        response: { 201: ChannelView },
      }),
      async (req, reply) => reply.status(201).send(await createChannel(db, scopeOf(req), req.body.name)),
    );

    // ---- feed, management, review queue, to-do ----------------------------------------------------
    app.get(
      '/media/articles',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '新闻动态（本组织及上级发布的文章；置顶在前）',
        querystring: Paging.extend({
          channel: z.string().trim().max(20).optional(),
          mustRead: z.stringbool().optional(),
          kind: Kind.optional(),
        }),
        response: { 200: Page(ArticleBrief) },
      }),
      async (req) => {
        const { page, pageSize, ...f } = req.query;
        return listFeed(db, scopeOf(req), f, page, pageSize);
      },
    );
    app.post(
      '/media/articles',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '撰写文章（存为草稿）',
        body: ArticleInput,
        response: { 201: ArticleDetail },
      }),
      async (req, reply) => reply.status(201).send(await createArticle(db, scopeOf(req), req.body)),
    );
    app.get(
      '/media/manage',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '稿件管理（本组织及下级的全部文章）',
        querystring: Paging.extend({
          orgId: Uuid.optional(),
          status: z.enum(ARTICLE_STATUSES, '状态须为 draft、in_review、published 或 rejected').optional(),
          kind: Kind.optional(),
        }),
        response: { 200: Page(ArticleBrief) },
      }),
      async (req) =>
        listManaged(db, scopeOf(req), req.query.status, req.query.page, req.query.pageSize, req.query.kind),
    );
    app.get(
      '/media/brands',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '党建品牌展示（全集团各组织已发布的党建品牌）',
        querystring: Paging,
        response: { 200: Page(ArticleBrief.extend({ brand: BrandFields })) },
      }),
      async (req) => listBrands(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/members/:id/media-honors',
      onRecord({
        access: { roles: RECORD_READERS, target: recordOrg(orgOfMember) },
        tags,
        summary: '党员的典型、先锋岗宣传（所在组织的管理员）',
        querystring: Paging,
        response: { 200: Page(ArticleBrief) },
      }),
      async (req) => honorsOfMember(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.get(
      '/media/me/honors',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的典型、先锋岗宣传（已发布的、写到我的稿件）',
        querystring: Paging,
        response: { 200: Page(ArticleBrief) },
      }),
      async (req) => myHonors(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/media/review-queue',
      declared({
        access: { roles: RECORD_KEEPERS },
        tags,
        summary: '待我审核的稿件（下级组织提交的）',
        querystring: Paging,
        response: { 200: Page(ArticleBrief) },
      }),
      async (req) => reviewQueue(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/media/me/todo',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我未读的必读通知',
        querystring: Paging,
        response: { 200: Page(MediaTodo) },
      }),
      async (req) => myTodo(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    // ---- one article ------------------------------------------------------------------------------
    app.get(
      '/media-articles/:id',
      onRecord({ access: { roles: 'any', target: read }, tags, summary: '文章详情', response: { 200: ArticleDetail } }),
      async (req) => getArticle(db, scopeOf(req), req.params.id),
    );
    app.patch(
      '/media-articles/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: edit },
        tags,
        summary: '修改文章（草稿或已退回；已发布的只能置顶/取消置顶）',
        body: ArticlePatch,
        response: { 200: ArticleDetail },
      }),
      async (req) => updateArticle(db, scopeOf(req), req.params.id, req.body),
    );
    app.post(
      '/media-articles/:id/submit',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: edit },
        tags,
        summary: '提交审核',
        response: { 200: ArticleDetail },
      }),
      async (req) => submitArticle(db, scopeOf(req), req.params.id),
    );
    app.post(
      '/media-articles/:id/withdraw',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: edit },
        tags,
        summary: '撤回（回到草稿）',
        response: { 200: ArticleDetail },
      }),
      async (req) => withdrawArticle(db, scopeOf(req), req.params.id),
    );
    app.post(
      '/media-articles/:id/review',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: review },
        tags,
        summary: '审核：通过即发布，退回须写理由（上一级党组织的管理员）',
        body: ReviewInput,
        response: { 200: ArticleDetail },
      }),
      async (req) => reviewArticle(db, scopeOf(req), req.params.id, req.body),
    );
    app.post(
      '/media-articles/:id/read',
      onRecord({
        access: { roles: 'any', target: read },
        tags,
        summary: '记录已读（首次阅读计入阅读数和必读回执）',
        response: { 200: z.object({ read: z.literal(true), readCount: z.number() }) },
      }),
      async (req) => markRead(db, scopeOf(req), req.params.id),
    );
    app.get(
      '/media-articles/:id/unread',
      onRecord({
        access: { roles: RECORD_READERS, target: read },
        tags,
        summary: '必读文章的未读人员（本人管理范围内）',
        querystring: Paging,
        response: { 200: Page(UnreadRow).extend({ members: z.number() }) },
      }),
      async (req) => unreadOf(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.post(
      '/media-articles/:id/files',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: edit },
        tags,
        summary: `上传图片（封面或正文图片；JPEG/PNG/GIF/WebP，不超过 ${MAX_FILE_BYTES / 1024 / 1024} MB）；multipart 字段 file`,
        consumes: ['multipart/form-data'],
        response: { 201: MediaFile },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const article = await getArticle(db, scope, req.params.id);
        const view = await store.upload(req, 'photo', 'media', scope.tenantId, (file) =>
          insertFile(db, scope, article.id, { ...file, uploadedBy: scope.actor.username }),
        );
        return reply.status(201).send(view);
      },
    );
    app.get(
      '/media-articles/:id/files/:fileId',
      declared({
        access: { roles: 'any', target: read },
        tags,
        summary: '文章图片',
        params: z.object({ id: Uuid, fileId: Uuid }),
      }),
      async (req, reply) => {
        const f = await loadFile(db, scopeOf(req), req.params.id, req.params.fileId);
        return sendFile(reply, f, 'private, max-age=3600');
      },
    );

    async function sendFile(
      reply: import('fastify').FastifyReply,
      f: { storageKey: string; mime: string; fileName: string },
      cache: string,
    ) {
      let size: number;
      try {
        size = await store.size(f.storageKey);
      } catch {
        throw notFound('文件已丢失，请重新上传', 'FILE_MISSING');
      }
      return reply
        .header('content-type', f.mime)
        .header('content-disposition', contentDisposition(f.fileName, true))
        .header('cache-control', cache)
        .header('content-length', size)
        .send(store.stream(f.storageKey, 0, Math.max(0, size - 1)));
    }

    // ---- the public portal (no login) ----------------------------------------------------------------
    const tenantOf = async (id: string | undefined) => {
      const t = await portalTenant(db, id);
      if (!t) throw notFound('单位不存在');
      return t;
    };

    app.get(
      '/public/articles',
      declared({
        access: PUBLIC,
        tags,
        summary: '门户：公开发布的文章（无需登录）',
        querystring: Paging.extend(TenantQuery.shape),
        response: { 200: Page(PublicArticle) },
      }),
      async (req) => {
        const t = await tenantOf(req.query.tenant);
        const { rows, total } = await portalList(db, t.id, req.query.page, req.query.pageSize);
        return {
          items: rows.map((r) => ({
            id: r.id,
            channel: r.channel,
            title: r.title,
            summary: r.summary,
            byline: r.byline,
            orgName: r.orgName,
            publishedAt: r.publishedAt.toISOString(),
            coverUrl: r.coverFileId ? portalFileUrl(req, t.id, r.id, r.coverFileId) : null,
            url: portalUrl(req, t.id, r.id),
          })),
          total,
        };
      },
    );
    app.get(
      '/public/portal',
      declared({
        access: PUBLIC,
        tags,
        summary: '门户首页（手机网页；无需登录）',
        querystring: Paging.extend(TenantQuery.shape),
      }),
      async (req, reply) => {
        const t = await tenantOf(req.query.tenant);
        const { page, pageSize } = req.query;
        const { rows, total } = await portalList(db, t.id, page, pageSize);
        const at = (p: number) => `${origin(req)}/api/v1/public/portal?${tq(t.id)}&page=${p}&pageSize=${pageSize}`;
        const html = renderListPage(
          rows.map((r) => ({ ...r, url: portalUrl(req, t.id, r.id) })),
          {
            tenantName: t.name,
            prev: page > 1 ? at(page - 1) : null,
            next: page * pageSize < total ? at(page + 1) : null,
          },
        );
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'public, max-age=60')
          .send(html);
      },
    );
    app.get(
      '/public/articles/:id',
      onRecord({
        access: PUBLIC,
        tags,
        summary: '门户文章页（手机网页，含分享卡片；无需登录）',
        querystring: TenantQuery,
      }),
      async (req, reply) => {
        const t = await tenantOf(req.query.tenant);
        const a = await portalArticle(db, t.id, req.params.id);
        const html = renderArticlePage(a, {
          tenantName: t.name,
          pageUrl: portalUrl(req, t.id, a.id),
          coverUrl: a.coverFileId ? portalFileUrl(req, t.id, a.id, a.coverFileId) : null,
          fileUrl: (fileId) => portalFileUrl(req, t.id, a.id, fileId),
          listUrl: `${origin(req)}/api/v1/public/portal?${tq(t.id)}`,
        });
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'public, max-age=60')
          .send(html);
      },
    );
    app.get(
      '/public/articles/:id/files/:fileId',
      declared({
        access: PUBLIC,
        tags,
        summary: '门户文章的图片（无需登录）',
        params: z.object({ id: Uuid, fileId: Uuid }),
        querystring: TenantQuery,
      }),
      async (req, reply) => {
        const t = await tenantOf(req.query.tenant);
        const f = await portalFile(db, t.id, req.params.id, req.params.fileId);
        return sendFile(reply, f, 'public, max-age=3600');
      },
    );
  };
