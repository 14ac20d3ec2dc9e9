import { AUDIT_READERS, AuditEntry, AuditVerifyReply, Page, Paging } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchAudit, verifyInstallationAudit } from '../../platform/audit';
import { scopeOf } from '../../platform/http';
import { declared } from '../../platform/route';
import type { Services } from '../../platform/services';

export const auditRoutes =
  ({ db, config }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit',
      declared({
        access: { roles: AUDIT_READERS },
        tags: ['audit'],
        summary: '审计日志检索',
        querystring: Paging.extend({
          q: z.string().trim().max(100).optional(),
          entityType: z.string().max(50).optional(),
          action: z.string().max(50).optional(),
        }),
        response: { 200: Page(AuditEntry) },
      }),
      async (req) => {
        const scope = scopeOf(req);
        // Bound at the tenant root, a role sees everything, including entries tied to no org.
        const atRoot = scope.org.path.split('/').length === 3;
        return searchAudit(db, { ...req.query, tenantId: scope.tenantId, orgPath: atRoot ? null : scope.org.path });
      },
    );

    app.get(
      '/audit/verify',
      declared({
        access: { roles: AUDIT_READERS },
        tags: ['audit'],
        summary: '校验审计日志哈希链',
        response: { 200: AuditVerifyReply },
      }),
      // Against the signed checkpoints in the files area and the configured logs (security review #14, finding 4).
      async () => verifyInstallationAudit(db, config.dataDir, config.auditLogs),
    );
  };
