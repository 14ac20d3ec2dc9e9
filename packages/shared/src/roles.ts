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
