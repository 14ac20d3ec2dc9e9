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
