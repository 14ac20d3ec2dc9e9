import { addDays, addMonths, todayInChina } from '@xianfeng/shared';
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import { randomMember, seededRandom } from '../../demo/people';
import type { DemoSeeder } from '../../platform/module';
import { appUser } from '../../platform/schema';
import type { Services } from '../../platform/services';
import { member, memberFlow, memberLost } from './schema';
import { insertMembers, toRow } from './service';

/**
 * 12–26 members per branch (the 离退休 branch retired), two thirds of them in its 党小组 where it has
 * any, and the demo accounts' own records (in their branches).
 */
export const seedMembers =
  (services: Services): DemoSeeder =>
  async ({ tx, tenantId, orgs }) => {
    const rng = seededRandom(20_260_701);
    const today = todayInChina();
    const rows: (ReturnType<typeof toRow> & { userId?: string })[] = orgs
      .filter((o) => o.kind === 'branch')
      .flatMap((o) => {
        const drawn = Array.from({ length: rng.int(12, 26) }, () =>
          toRow(services.fieldCrypto, tenantId, randomMember(rng, o.id, { retired: o.name.includes('离退休'), today })),
        );
        // A branch with 党小组 keeps its first third and deals the rest round-robin into its groups
        // (#16: every member used to sit in the branch itself, so no 党小组会 had anyone to invite).
        // Only the org changes, so the draws — and everything seeded from them — stay the same.
        const groups = orgs.filter((g) => g.kind === 'group' && g.path.startsWith(o.path) && g.id !== o.id);
        if (groups.length === 0) return drawn;
        const keep = Math.ceil(drawn.length / 3);
        return drawn.map((r, i) => (i < keep ? r : { ...r, orgId: groups[(i - keep) % groups.length]!.id }));
      });
    // The demo member account (dangyuan) is 陈志远 of 第一发电厂党支部.
    const [demoUser] = await tx.select({ id: appUser.id }).from(appUser).where(eq(appUser.username, 'dangyuan'));
    const home = orgs.find((o) => o.name === '第一发电厂党支部');
    if (demoUser && home) {
      const self = randomMember(rng, home.id, { today });
      rows.unshift({
        ...toRow(services.fieldCrypto, tenantId, { ...self, name: '陈志远', status: 'full' }),
        userId: demoUser.id,
      });
    }
    // The demo secretaries are members of their branches too (#16: 张建国 had no member record, so
    // he was missing from his own 支委会's invitation list): 张建国 (shuji) of 第一发电厂党支部 and
    // 刘芳 (shuji2) of 研发中心党支部, drawn after everyone else so the other members stay as they were.
    for (const [username, name, gender, branch] of [
      ['shuji', '张建国', 'male', '第一发电厂党支部'],
      ['shuji2', '刘芳', 'female', '研发中心党支部'],
    ] as const) {
      const [user] = await tx.select({ id: appUser.id }).from(appUser).where(eq(appUser.username, username));
      const o = orgs.find((x) => x.name === branch);
      if (!user || !o) continue;
      // Drawn until the (seeded) draw is a full member of the name's gender: the ID number carries the gender.
      let self = randomMember(rng, o.id, { today });
      while (self.gender !== gender || self.status !== 'full') self = randomMember(rng, o.id, { today });
      rows.unshift({ ...toRow(services.fieldCrypto, tenantId, { ...self, name }), userId: user.id });
    }
    // The seeded ID numbers can collide in rare cases; keep the first.
    const unique = [...new Map(rows.map((r) => [r.idCardIdx, r])).values()];
    await insertMembers(tx, unique);

    // 失联 (issue #13 item 9): one member of 第二发电厂党支部 lost 7 months ago and searched for once (停止党籍 may now
    // be decided), and one of 检修公司党支部 whose 党籍 was stopped 25 months ago (除名 is due).
    const lostCases = [
      { branch: '第二发电厂党支部', lastContact: addMonths(today, -7), suspended: null },
      { branch: '检修公司党支部', lastContact: addMonths(today, -32), suspended: addMonths(today, -25) },
    ];
    for (const c of lostCases) {
      const o = orgs.find((x) => x.name === c.branch);
      if (!o) continue;
      const [m] = await tx
        .select({ id: member.id })
        .from(member)
        .where(
          and(
            eq(member.orgId, o.id),
            eq(member.status, 'full'),
            isNull(member.userId),
            lt(member.joinedAt, c.lastContact),
          ),
        )
        .orderBy(asc(member.name))
        .limit(1);
      if (!m) continue;
      await tx.insert(memberLost).values({
        tenantId,
        memberId: m.id,
        status: c.suspended ? 'suspended' : 'lost',
        lastContactOn: c.lastContact,
        circumstances: '外出务工后电话停机，原住址已搬离',
        searches: [{ on: addMonths(c.lastContact, 2), how: '走访原单位和家属、联系流入地社区', result: '均不知去向' }],
        suspendedOn: c.suspended,
        decision: c.suspended
          ? { suspendDecidedOn: c.suspended, suspendApprovedOn: c.suspended, suspendApprovedBy: '华夏电力有限公司党委' }
          : null,
      });
      if (c.suspended) await tx.update(member).set({ suspendedOn: c.suspended }).where(eq(member.id, m.id));
    }
    // 流动党员 (issue #22) in 第二发电厂党支部: one in regular touch (12 days ago), one not heard from for 7 months (失联
    // reached, not yet put on the 失联 path: the escalation the 书记 is asked to take).
    const second = orgs.find((x) => x.name === '第二发电厂党支部');
    if (second) {
      const away = await tx
        .select({ id: member.id })
        .from(member)
        .where(
          and(
            eq(member.orgId, second.id),
            eq(member.status, 'full'),
            isNull(member.userId),
            sql`not exists (select 1 from member_lost l where l.member_id = ${member.id})`,
          ),
        )
        .orderBy(asc(member.name))
        .limit(2);
      const flows = [
        {
          location: '江苏省南京市（输变电工程项目部）',
          since: addMonths(today, -8),
          until: addMonths(today, 10),
          last: addDays(today, -12),
        },
        {
          location: '新疆哈密（风电项目）',
          since: addMonths(today, -14),
          until: addMonths(today, 4),
          last: addMonths(today, -7),
        },
      ];
      for (const [i, m] of away.entries()) {
        const f = flows[i]!;
        await tx.insert(memberFlow).values({
          tenantId,
          memberId: m.id,
          location: f.location,
          since: f.since,
          expectedUntil: f.until,
          contact: '微信',
          lastContactOn: f.last,
        });
        await tx.update(member).set({ flowing: true }).where(eq(member.id, m.id));
      }
    }
    // 疑似失联 (activity.ts): everyone on the roll was active in the last two months (at 09:00 China time), except two
    // members of 第一发电厂党支部 last seen 8 and 10 months ago — listed for 张建国 to check.
    await tx.execute(sql`
      insert into member_activity (member_id, tenant_id, last_active_at, last_action)
      select id, tenant_id, ((${today}::date - abs(hashtext(id::text)) % 60) + time '09:00') at time zone 'Asia/Shanghai', 'auth.login'
      from member where tenant_id = ${tenantId} and left_at is null and suspended_on is null`);
    if (home) {
      const silent = await tx
        .select({ id: member.id })
        .from(member)
        .where(
          and(
            eq(member.orgId, home.id),
            eq(member.status, 'full'),
            isNull(member.userId),
            sql`not exists (select 1 from member_lost l where l.member_id = ${member.id})`,
          ),
        )
        .orderBy(sql`${member.name} desc`)
        .limit(2);
      for (const [i, m] of silent.entries())
        await tx.execute(
          sql`update member_activity set last_active_at = (${addMonths(today, i ? -10 : -8)}::date + time '09:00') at time zone 'Asia/Shanghai',
                last_action = 'meeting.checkin' where member_id = ${m.id}`,
        );
    }
  };
