/**
 * Sign-in through 企业微信 (WeCom) and 钉钉 (DingTalk): each tenant's app credentials (the secret sealed like the
 * notify robots' secrets) and the bindings of an external account to a Xianfeng user — at most one of each
 * provider per user, and an external account bound to one user only.
 */
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appUser } from '../../platform/schema';
import { idColumn, refColumn, tenantColumn } from '../../platform/columns';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A tenant's WeCom app (corpid, agentid, secret) or DingTalk app (clientId = AppKey, appSecret, optional corpId). */
export const ssoApp = pgTable(
  'sso_app',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    provider: text('provider').notNull(),
    /** WeCom: the corpid; DingTalk: the app's Client ID (AppKey). */
    appId: text('app_id').notNull(),
    /** WeCom: the app's AgentId; DingTalk: unused. */
    agentId: text('agent_id'),
    /** DingTalk: the organisation's corpId a sign-in must come from (null: any organisation). */
    corpId: text('corp_id'),
    secretEnc: text('secret_enc').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sso_app_tenant_provider_uq').on(t.tenantId, t.provider)],
);

/** An external account bound to a user: WeCom userid within its corp, DingTalk unionId. */
export const ssoBinding = pgTable(
  'sso_binding',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    userId: refColumn('user_id', () => appUser.id),
    provider: text('provider').notNull(),
    /** WeCom: the corpid the userid belongs to; DingTalk: the app's Client ID. */
    issuer: text('issuer').notNull(),
    externalId: text('external_id').notNull(),
    createdAt: createdAt(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('sso_binding_external_uq').on(t.tenantId, t.provider, t.issuer, t.externalId),
    uniqueIndex('sso_binding_user_provider_uq').on(t.userId, t.provider),
    index('sso_binding_tenant_idx').on(t.tenantId),
  ],
);
