import { ORG_ADMINS, Page, Paging, RoleBinding, UserCreateBody } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared } from '../../platform/route';
import type { Services } from '../../platform/services';
import { createUser, listUsers } from './service';

const UserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  mustChangePassword: z.boolean(),
});

export const userRoutes =
  ({ db }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/users',
      declared({
        access: { roles: ORG_ADMINS },
        tags: ['user'],
        summary: '新建用户',
        body: UserCreateBody,
        response: { 201: UserView },
      }),
      async (req, reply) => reply.status(201).send(await createUser(db, scopeOf(req), req.body)),
    );

    app.get(
      '/users',
      declared({
        access: { roles: ORG_ADMINS },
        tags: ['user'],
        summary: '用户列表（本组织及下级）',
        querystring: Paging,
        response: { 200: Page(UserView.extend({ roles: z.array(RoleBinding) })) },
      }),
      async (req) => listUsers(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
  };
