/**
 * The demo enterprise (XF_DEMO=1): a group committee with three subsidiary committees,
 * about twenty branches with party groups, and one account per role. Module seeds
 * (members, meetings, …) hang off the org tree built here.
 */
import type { OrgKind, Role } from '@xianfeng/shared';
import { eq } from 'drizzle-orm';
import { loadOrgRef, type OrgRef } from '../platform/access';
import { systemActor } from '../platform/audit';
import type { DemoSeeder } from '../platform/module';
import { hashPassword } from '../platform/auth';
import type { Db } from '../platform/db';
import { org, tenant } from '../platform/schema';
import { insertOrg } from '../modules/org/service';
import { insertUser } from '../modules/user/service';

/**
 * The demo accounts' password in tests (the harnesses pass it, and set XF_DEMO_PASSWORD for server
 * processes). A real start uses XF_DEMO_PASSWORD or a random one per installation (boot.ts).
 */
export const DEMO_PASSWORD = 'Xianfeng@2026';

type Node = { name: string; kind: OrgKind; children?: Node[] };
const branch = (name: string, groups = 0): Node => ({
  name,
  kind: 'branch',
  children: Array.from({ length: groups }, (_, i) => ({ name: `第${'一二三四'[i]}党小组`, kind: 'group' as const })),
});

export const DEMO_TREE: Node[] = [
  branch('集团机关第一党支部', 2),
  branch('集团机关第二党支部'),
  branch('集团离退休干部党支部', 3),
  {
    name: '华夏电力有限公司党委',
    kind: 'committee',
    children: [
      {
        name: '发电运营党总支',
        kind: 'general_branch',
        children: [branch('第一发电厂党支部', 2), branch('第二发电厂党支部', 2), branch('检修公司党支部')],
      },
      branch('电力公司机关党支部'),
      branch('电力营销党支部', 2),
      branch('新能源项目部党支部'),
    ],
  },
  {
    name: '华夏新材料有限公司党委',
    kind: 'committee',
    children: [
      branch('研发中心党支部', 2),
      branch('生产一部党支部'),
      branch('生产二部党支部'),
      branch('质量安全党支部'),
      branch('新材料机关党支部'),
    ],
  },
  {
    name: '华夏工程建设有限公司党委',
    kind: 'committee',
    children: [
      branch('工程公司机关党支部'),
      branch('雄安项目部党支部'),
      branch('海外项目部党支部'),
      branch('设计院党支部', 2),
      branch('物资供应党支部'),
    ],
  },
];

/** The demo accounts: username, role, and the org (by name) the role is bound to. */
export const DEMO_USERS: { username: string; displayName: string; role: Role; org: string | null }[] = [
  { username: 'zuzhibu', displayName: '组织部 王敏', role: 'org_admin', org: null },
  { username: 'dianli', displayName: '电力公司党委 李强', role: 'org_admin', org: '华夏电力有限公司党委' },
  { username: 'shuji', displayName: '张建国（书记）', role: 'secretary', org: '第一发电厂党支部' },
  { username: 'shuji2', displayName: '刘芳（书记）', role: 'secretary', org: '研发中心党支部' },
  { username: 'dangyuan', displayName: '陈志远', role: 'member', org: '第一发电厂党支部' },
  // The branch's 纪检委员 (linked to their member record by the voice demo): reads letters to the 纪检委员.
  { username: 'jijian', displayName: '纪检委员', role: 'member', org: '第一发电厂党支部' },
  { username: 'shenji', displayName: '审计 赵雪', role: 'auditor', org: null },
];

/** Each module's seeder (its manifest's `demo`) fills its own tables from the demo org tree. */
export type { DemoContext, DemoSeeder } from '../platform/module';

export async function seedDemo(
  db: Db,
  tenantId: string,
  rootOrgId: string,
  seeders: DemoSeeder[],
  password = DEMO_PASSWORD,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const actor = systemActor(tenantId);
    await tx.update(tenant).set({ name: '华夏能源集团' }).where(eq(tenant.id, tenantId));
    await tx.update(org).set({ name: '华夏能源集团党委' }).where(eq(org.id, rootOrgId));
    const root = (await loadOrgRef(tx, tenantId, rootOrgId))!;
    const orgs: OrgRef[] = [root];
    const build = async (parent: OrgRef, nodes: Node[]) => {
      for (const [i, n] of nodes.entries()) {
        const created = await insertOrg(tx, actor, tenantId, parent, { name: n.name, kind: n.kind, sortOrder: i + 1 });
        const ref: OrgRef = { id: created.id, path: created.path, tenantId, name: created.name, kind: created.kind };
        orgs.push(ref);
        if (n.children) await build(ref, n.children);
      }
    };
    await build(root, DEMO_TREE);
    for (const u of DEMO_USERS) {
      const bound = u.org ? orgs.find((o) => o.name === u.org)! : root;
      await insertUser(
        tx,
        actor,
        tenantId,
        {
          username: u.username,
          password,
          displayName: u.displayName,
          roles: [{ role: u.role, orgId: bound.id }],
          mustChangePassword: false,
        },
        passwordHash,
      );
    }
    for (const seed of seeders) await seed({ tx, tenantId, root, orgs });
  });
}
