import { Org, OrgCreateBody, Page, Paging, Uuid } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import type { Services } from '../../platform/services';
import { createOrg, getOrg, listChildren } from './service';

export const orgRoutes =
  ({ db }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/orgs',
      {
        schema: { tags: ['org'], summary: '新建组织', body: OrgCreateBody, response: { 201: Org } },
        config: { access: { roles: ['admin', 'org_admin'], target: { from: 'body', key: 'parentId' } } },
      },
      async (req, reply) => reply.status(201).send(await createOrg(db, scopeOf(req), req.body)),
    );

    app.get(
      '/orgs/:id',
      {
        schema: { tags: ['org'], summary: '组织详情', params: z.object({ id: Uuid }), response: { 200: Org } },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id' } } },
      },
      async (req) => getOrg(db, scopeOf(req).tenantId, scopeOf(req).org.id),
    );

    app.get(
      '/orgs',
      {
        schema: {
          tags: ['org'],
          summary: '下级组织列表（不给 parentId 时为本人所在组织）',
          querystring: Paging.extend({ parentId: Uuid.optional() }),
          response: { 200: Page(Org) },
        },
        config: { access: { roles: 'any', target: { from: 'query', key: 'parentId', optional: true } } },
      },
      async (req) => {
        const scope = scopeOf(req);
        // Without a parent the caller sees the org their role is bound to, as a one-item list.
        if (!req.query.parentId) return { items: [await getOrg(db, scope.tenantId, scope.org.id)], total: 1 };
        return listChildren(db, scope.org, req.query.page, req.query.pageSize);
      },
    );
  };
