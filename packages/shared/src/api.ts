/**
 * Wire shapes shared by the server (route schemas) and the web client (types).
 * The server validates with these; the web imports the inferred types.
 */
import { z } from 'zod';
import { ORG_KINDS, ROLES } from './roles';

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(128),
});
export const SessionUser = z.object({ id: z.string(), username: z.string(), mustChangePassword: z.boolean() });
export const LoginReply = z.object({ token: z.string(), user: SessionUser });
export type LoginReply = z.infer<typeof LoginReply>;

export const ChangePasswordBody = z.strictObject({
  oldPassword: z.string().min(1, '请输入原密码').max(128),
  newPassword: z.string().min(1, '请输入新密码').max(128),
});

export const RoleBinding = z.object({ role: z.enum(ROLES), orgId: z.string(), orgName: z.string() });
export type RoleBinding = z.infer<typeof RoleBinding>;

export const MeReply = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  mustChangePassword: z.boolean(),
  roles: z.array(RoleBinding),
  prefs: z.object({ largeFont: z.boolean() }),
});
export type MeReply = z.infer<typeof MeReply>;

export const PrefsBody = z.strictObject({ largeFont: z.boolean() });

export const Paging = z.object({
  page: z.coerce.number().int().min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});

export const Uuid = z.uuid('编号格式不正确');

/** 代为填写 (issue #24): why the branch enters something for a member (no phone, dictated, on paper); kept in the audit. */
export const ProxyReason = z
  .string()
  .trim()
  .min(2, '请写明代为填写的原因（如：本人没有智能手机，口述代录）')
  .max(200, '原因最多 200 字');

export const Org = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  kind: z.enum(ORG_KINDS),
  path: z.string(),
  depth: z.number(),
  sortOrder: z.number(),
  childCount: z.number(),
  contactPerson: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  establishedOn: z.string().nullable(),
});
export type Org = z.infer<typeof Org>;

/** Finding an org by typing: part of its name (电力) or its pinyin initials (dl, hxdl), within `orgId`'s subtree. */
export const OrgSearchQuery = Paging.extend({
  q: z.string().trim().min(1, '请输入组织名称或拼音首字母').max(50, '搜索词不能超过 50 字'),
  orgId: z.uuid('组织编号不正确').optional(),
  /** Only these kinds, comma separated (e.g. `branch,general_branch`). */
  kinds: z
    .string()
    .regex(/^(committee|general_branch|branch|group)(,(committee|general_branch|branch|group))*$/, '组织类型不正确')
    .optional(),
});
/** A search hit: the org and where it sits (its ancestors' names below the searched org). */
export const OrgHit = Org.extend({ trail: z.string() });
export type OrgHit = z.infer<typeof OrgHit>;

/** An org's name, as it is created and renamed (the web's form rules: `orgNameRules` in modules/org/OrgInfoTab). */
const OrgName = z.string().trim().min(1, '请填写组织名称').max(100, '组织名称不能超过 100 字');

export const OrgUpdateBody = z
  .strictObject({
    name: OrgName,
    contactPerson: z.string().trim().max(50).nullable(),
    contactPhone: z.string().trim().max(30).nullable(),
    address: z.string().trim().max(200).nullable(),
    lat: z.number().min(-90).max(90, '纬度须在 -90 到 90 之间').nullable(),
    lng: z.number().min(-180).max(180, '经度须在 -180 到 180 之间').nullable(),
    establishedOn: z.iso.date('成立日期须为 YYYY-MM-DD').nullable(),
    sortOrder: z.number().int().min(0).max(100000),
  })
  .partial();

export const OrgMoveBody = z.strictObject({ parentId: Uuid });
export const OrgDissolveBody = z.strictObject({
  reason: z.string().trim().min(1, '请填写撤销原因').max(200),
  mergeIntoId: Uuid.optional(),
});

export const OrgCreateBody = z.strictObject({
  parentId: Uuid,
  name: OrgName,
  kind: z.enum(ORG_KINDS, '组织类型须为 committee、general_branch、branch 或 group 之一'),
});

export const UserCreateBody = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名须为 3–32 位字母、数字、下划线、点或短横线')
    // Security review #14, finding 6: usernames show in account lists and the audit log, unmasked.
    .refine(
      (u) => !/(?<!\d)(?:86)?1\d{10}(?!\d)/.test(u),
      '用户名不能含手机号（手机号属于个人信息）；党员可直接用手机号登录',
    ),
  password: z.string().min(1).max(128),
  displayName: z.string().trim().max(50).optional(),
  roles: z
    .array(z.strictObject({ role: z.enum(ROLES, '角色不正确'), orgId: Uuid }))
    .min(1, '至少分配一个角色')
    .max(20),
});

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  orgId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerifyReply = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstBrokenId: z.number().nullable(),
  reason: z.string().nullable(),
  /** 1: unkeyed SHA-256 chain (before security finding 14.4); 2: keyed with the installation secret. */
  version: z.number().optional(),
  /** Signed checkpoints (kept outside the database) checked, and the newest entry they anchor. */
  checkpoints: z.number().optional(),
  anchoredTo: z.number().nullable().optional(),
});
export type AuditVerifyReply = z.infer<typeof AuditVerifyReply>;

/** A page of a list. `totalCapped`: the list stopped counting at `total` (there are more; shown as "10000+"). */
export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), totalCapped: z.boolean().optional() });
