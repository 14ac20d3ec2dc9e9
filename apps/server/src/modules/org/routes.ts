import {
  COMMITTEE_POSITIONS,
  ElectionInput,
  Org,
  OrgCreateBody,
  OrgHit,
  OrgSearchQuery,
  type OrgKind,
  OrgDissolveBody,
  OrgMoveBody,
  OrgUpdateBody,
  Page,
  Paging,
  Uuid,
  ORG_ADMINS,
  RECORD_KEEPERS,
  RECORD_READERS,
  TermPostponeInput,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { createOrg, getOrg, listChildren, searchOrgs } from './service';
import {
  dissolveOrg,
  getCommittee,
  moveOrg,
  postponeTerm,
  recordElection,
  startTerm,
  structureWarnings,
  updateOrg,
} from './structure';

export const orgRoutes =
  ({ db }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/orgs',
      declared({
        access: { roles: ORG_ADMINS, target: { from: 'body', key: 'parentId' } },
        tags: ['org'],
        summary: '新建组织',
        body: OrgCreateBody,
        response: { 201: Org },
      }),
      async (req, reply) => reply.status(201).send(await createOrg(db, scopeOf(req), req.body)),
    );

    app.get(
      '/orgs/:id',
      declared({
        access: { roles: 'any', target: { from: 'params', key: 'id' } },
        tags: ['org'],
        summary: '组织详情',
        params: z.object({ id: Uuid }),
        response: { 200: Org },
      }),
      async (req) => getOrg(db, scopeOf(req).tenantId, scopeOf(req).org.id),
    );

    app.get(
      '/orgs',
      declared({
        access: { roles: 'any', target: { from: 'query', key: 'parentId', optional: true } },
        tags: ['org'],
        summary: '下级组织列表（不给 parentId 时为本人所在组织）',
        querystring: Paging.extend({ parentId: Uuid.optional() }),
        response: { 200: Page(Org) },
      }),
      async (req) => {
        const scope = scopeOf(req);
        // Without a parent the caller sees the org their role is bound to, as a one-item list.
        if (!req.query.parentId) return { items: [await getOrg(db, scope.tenantId, scope.org.id)], total: 1 };
        return listChildren(db, scope.org, req.query.page, req.query.pageSize);
      },
    );

    app.get(
      '/orgs/search',
      declared({
        access: { roles: 'any', target: optionalOrg },
        tags: ['org'],
        summary: '按名称或拼音首字母查找组织（orgId 及其下级；不给 orgId 时为本人所在组织）',
        querystring: OrgSearchQuery,
        response: { 200: Page(OrgHit) },
      }),
      async (req) =>
        searchOrgs(
          db,
          scopeOf(req),
          req.query.q,
          req.query.kinds?.split(',') as OrgKind[] | undefined,
          req.query.page,
          req.query.pageSize,
        ),
    );

    const manageById = { roles: ORG_ADMINS, target: { from: 'params' as const, key: 'id' } };

    app.patch(
      '/orgs/:id',
      onRecord({
        access: manageById,
        tags: ['org'],
        summary: '修改组织信息（名称、联系方式、地址、坐标、成立日期、排序）',
        body: OrgUpdateBody,
        response: { 200: Org },
      }),
      async (req) => updateOrg(db, scopeOf(req), req.body),
    );

    app.post(
      '/orgs/:id/move',
      onRecord({
        access: manageById,
        tags: ['org'],
        summary: '调整隶属关系（连同下级组织）',
        body: OrgMoveBody,
        response: { 200: Org },
      }),
      async (req) => moveOrg(db, scopeOf(req), req.body.parentId),
    );

    app.post(
      '/orgs/:id/dissolve',
      onRecord({
        access: manageById,
        tags: ['org'],
        summary: '撤销组织（须无下级和党员），或合并到另一组织',
        body: OrgDissolveBody,
        response: { 200: z.object({ dissolved: z.boolean(), movedMembers: z.number(), movedOrgs: z.number() }) },
      }),
      async (req) => dissolveOrg(db, scopeOf(req), req.body),
    );

    app.get(
      '/orgs/:id/committee',
      onRecord({
        access: { roles: 'any', target: { from: 'params', key: 'id' } },
        tags: ['org'],
        summary: '委员会：本届委员、任期与换届',
      }),
      async (req) => getCommittee(db, scopeOf(req)),
    );

    app.post(
      '/orgs/:id/terms',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: { from: 'params', key: 'id' } },
        tags: ['org'],
        summary: '登记新一届委员会',
        body: z.strictObject({
          startsOn: z.iso.date('任期开始日期须为 YYYY-MM-DD'),
          termYears: z.number().int().min(1).max(10).optional(),
          electionId: Uuid.optional(),
          members: z
            .array(
              z.strictObject({
                name: z.string().trim().min(1).max(50),
                memberId: Uuid.nullish(),
                position: z.enum(COMMITTEE_POSITIONS, `职务须为：${COMMITTEE_POSITIONS.join('、')}`),
              }),
            )
            .max(31),
        }),
      }),
      async (req, reply) => reply.status(201).send(await startTerm(db, scopeOf(req), req.body)),
    );

    app.post(
      '/orgs/:id/term/postpone',
      onRecord({
        // Declared like the other committee writes; postponeTerm also requires a binding strictly above the org.
        access: { roles: RECORD_KEEPERS, target: { from: 'params', key: 'id' } },
        tags: ['org'],
        summary: '登记上级党组织批准的延期换届（一般不超过 1 年）',
        body: TermPostponeInput,
      }),
      async (req) => postponeTerm(db, scopeOf(req), req.body),
    );

    app.post(
      '/orgs/:id/elections',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: { from: 'params', key: 'id' } },
        tags: ['org'],
        summary: '登记换届选举并按选举工作条例校验',
        body: ElectionInput,
      }),
      async (req, reply) => reply.status(201).send(await recordElection(db, scopeOf(req), req.body)),
    );

    app.get(
      '/orgs/:id/warnings',
      onRecord({
        access: { roles: RECORD_READERS, target: { from: 'params', key: 'id' } },
        tags: ['org'],
        summary: '组织设置预警（换届逾期、党员不足 3 人、应设支委会、未配书记）',
        querystring: Paging,
        response: {
          200: Page(
            z.object({
              orgId: z.string(),
              orgName: z.string(),
              code: z.string(),
              message: z.string(),
              citation: z.string(),
            }),
          ),
        },
      }),
      async (req) => structureWarnings(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
  };
