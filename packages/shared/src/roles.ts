/** Roles a user holds; each binding is to one org and covers that org's subtree. */
export const ROLES = ['admin', 'org_admin', 'secretary', 'member', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  org_admin: '组织部管理员',
  secretary: '支部书记',
  member: '党员',
  auditor: '审计员',
};

// ---- role groups: who may do what, named once -------------------------------------------------
// Each group is used in route access declarations (server) and in menus and buttons (web). A binding
// (role, org) still covers only that org's subtree; the group says which roles count.

/** 系统管理员 and 组织部管理员: the org structure, accounts, and approvals kept above the branch. */
export const ORG_ADMINS = ['admin', 'org_admin'] as const satisfies readonly Role[];
/** Who keeps an org's party records (members, meetings, development, dues): the administrators and the 书记. */
export const RECORD_KEEPERS = ['admin', 'org_admin', 'secretary'] as const satisfies readonly Role[];
/** Who may read an org's party records: the record keepers and the 审计员 (who reads and never writes). */
export const RECORD_READERS = ['admin', 'org_admin', 'secretary', 'auditor'] as const satisfies readonly Role[];
/** Who reads the audit trail and payment-provider logs: the 系统管理员 and the 审计员. */
export const AUDIT_READERS = ['admin', 'auditor'] as const satisfies readonly Role[];

/** Whether `role` is one of `group`. */
export const inGroup = (group: readonly Role[], role: string): boolean => (group as readonly string[]).includes(role);

export const ORG_KINDS = ['committee', 'general_branch', 'branch', 'group'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  committee: '党委',
  general_branch: '党总支',
  branch: '党支部',
  group: '党小组',
};

/** Which kinds may sit directly under which (a group only under a branch). */
export const ALLOWED_CHILD_KINDS: Record<OrgKind, readonly OrgKind[]> = {
  committee: ['committee', 'general_branch', 'branch'],
  general_branch: ['branch'],
  branch: ['group'],
  group: [],
};

/**
 * Who may see a member's full phone number, one reveal at a time and each reveal audited: the
 * branch secretary and the org department, whose work is calling members (issue 16 item 5). Only
 * for members in the viewer's own scope; everyone else keeps seeing 138****5678. A local rule of
 * minimum necessary access (个人信息保护法 第六条 最小必要, cited as the principle, not an
 * article about party work) — not a party regulation.
 */
export const PHONE_REVEALERS = ['org_admin', 'secretary'] as const satisfies readonly Role[];
export const PHONE_REVEAL_CITATION =
  '个人信息保护法第六条（最小必要原则）；本系统规则：支部书记、组织部可逐人查看本范围党员完整手机号并留痕';
