/**
 * Sign-in through 企业微信 (WeCom) and 钉钉 (DingTalk), issue 24: the apps' settings, the start of a sign-in or a
 * binding, the provider's answer (code + state) and the bindings.
 */
import { z } from 'zod';

export const SSO_PROVIDERS = ['wecom', 'dingtalk'] as const;
export type SsoProvider = (typeof SSO_PROVIDERS)[number];
export const SsoProviderSchema = z.enum(SSO_PROVIDERS, '不支持的登录方式');
export const SSO_LABEL: Record<SsoProvider, string> = { wecom: '企业微信', dingtalk: '钉钉' };

/** Opened inside the provider's own app (its in-app browser): the login page starts that provider at once. */
export function ssoInAppProvider(userAgent: string): SsoProvider | null {
  if (/wxwork/i.test(userAgent)) return 'wecom';
  if (/DingTalk/i.test(userAgent)) return 'dingtalk';
  return null;
}

export const SsoProviderParams = z.object({ provider: SsoProviderSchema });

const idText = (label: string, max = 64) =>
  z
    .string()
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}过长`)
    .regex(/^[\w.-]+$/, `${label}只能包含字母、数字、下划线、点和连字符`);

/**
 * A tenant's app. WeCom: appId = corpid (ww…), agentId = the 自建应用's AgentId, secret = its Secret.
 * DingTalk: appId = Client ID (原 AppKey), secret = Client Secret (原 AppSecret), corpId = the organisation a sign-in
 * must come from (optional). The secret may be left empty when changing the other fields.
 */
export const SsoAppBody = z.strictObject({
  appId: idText('应用标识（corpid / Client ID）'),
  agentId: z
    .string()
    .trim()
    .max(32)
    .regex(/^\d*$/, 'AgentId 应为数字')
    .nullish()
    .transform((v) => v || null),
  corpId: z
    .string()
    .trim()
    .max(64)
    .regex(/^[\w.-]*$/, 'corpId 格式不正确')
    .nullish()
    .transform((v) => v || null),
  secret: z.string().trim().max(256, 'Secret 过长').optional(),
  enabled: z.boolean().default(true),
});
export type SsoAppBody = z.infer<typeof SsoAppBody>;

export const SsoAppView = z.object({
  provider: SsoProviderSchema,
  appId: z.string(),
  agentId: z.string().nullable(),
  corpId: z.string().nullable(),
  /** The secret's last 4 characters only. */
  secretMasked: z.string(),
  enabled: z.boolean(),
  updatedAt: z.string(),
  /** The address to enter as the app's 可信域名 / 回调域名 redirect. */
  redirectUri: z.string(),
});
export type SsoAppView = z.infer<typeof SsoAppView>;

export const SsoProvidersReply = z.object({ providers: z.array(SsoProviderSchema) });

export const SsoStartBody = z.strictObject({
  /** Opened inside the provider's app: WeCom then uses its in-app authorisation instead of the QR login page. */
  inApp: z.boolean().default(false),
});
export const SsoStartReply = z.object({ url: z.string() });

export const SsoCallbackBody = z.strictObject({
  code: z.string().trim().min(1, '缺少授权码').max(512, '授权码过长'),
  state: z.string().trim().min(1, '缺少 state').max(1024, 'state 过长'),
});
export type SsoCallbackBody = z.infer<typeof SsoCallbackBody>;

/** Signed in, or the external account is not bound to anyone yet (sign in with a password and bind it). */
export const SsoCallbackReply = z.union([
  z.object({
    status: z.literal('signedIn'),
    token: z.string(),
    user: z.object({ id: z.string(), username: z.string(), mustChangePassword: z.boolean() }),
  }),
  z.object({ status: z.literal('unbound'), provider: SsoProviderSchema, message: z.string() }),
]);

export const SsoBindingView = z.object({
  id: z.string(),
  provider: SsoProviderSchema,
  externalId: z.string(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
export type SsoBindingView = z.infer<typeof SsoBindingView>;
export const MySsoReply = z.object({ providers: z.array(SsoProviderSchema), bindings: z.array(SsoBindingView) });

export const SsoBindingAdminView = SsoBindingView.extend({ userId: z.string(), username: z.string() });
