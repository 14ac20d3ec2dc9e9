/**
 * Demo committees: every branch, general branch and committee has a current term with its
 * 书记 (and, with 7 or more full members, 组织/宣传/纪检委员), except two whose term ran out, so
 * the demo shows 换届逾期 as an inspector would find it.
 */
import {
  COMMITTEE_POSITIONS,
  STRUCTURE_RULES,
  TERM_YEARS,
  termEnd,
  todayInChina,
  type OrgKind,
} from '@xianfeng/shared';
import type { OrgRef } from '../../platform/access';
import type { Tx } from '../../platform/db';
import { fullMembersOf } from '../member/service';
import { committeeMember, orgTerm } from './schema';

/** The demo secretaries' accounts are people too: their branches' 书记 carry their names. */
const NAMED_SECRETARIES: Record<string, string> = { 第一发电厂党支部: '张建国', 研发中心党支部: '刘芳' };
const OVERDUE = new Set(['检修公司党支部', '海外项目部党支部']);

export async function seedCommittees(tx: Tx, tenantId: string, orgs: OrgRef[]): Promise<void> {
  const shift = Number(todayInChina().slice(0, 4)) - 2026;
  const withTerms = orgs.filter((o) => TERM_YEARS[o.kind as OrgKind]);
  const members = await fullMembersOf(
    tx,
    tenantId,
    orgs.map((o) => o.id),
  );
  for (const o of withTerms) {
    // Its people come from its whole subtree (a branch's include its 党小组), earliest joined first.
    const pool = members
      .filter((m) => orgs.some((x) => x.id === m.orgId && x.path.startsWith(o.path)))
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
    if (pool.length === 0) continue;
    const years = TERM_YEARS[o.kind as OrgKind]!;
    // Written for 2026 and moved with the clock's year, so the demo is in the same state on any day.
    const startsOn = `${shift + (OVERDUE.has(o.name) ? 2022 : o.kind === 'committee' ? 2022 : 2024)}-${OVERDUE.has(o.name) ? '06' : o.kind === 'committee' ? '10' : '03'}-01`;
    const positions =
      pool.length >= STRUCTURE_RULES.committeeAtFullMembers.value
        ? COMMITTEE_POSITIONS.filter((p) => p !== '副书记' && p !== '委员')
        : (['书记'] as const);
    const [term] = await tx
      .insert(orgTerm)
      .values({ tenantId, orgId: o.id, startsOn, termYears: years, endsOn: termEnd(startsOn, years) })
      .returning({ id: orgTerm.id });
    // A named secretary is the member of that name (their account's own record); the other seats
    // go to the rest of the pool in order.
    const named = NAMED_SECRETARIES[o.name];
    const self = named ? pool.find((m) => m.name === named) : undefined;
    const others = pool.filter((m) => m !== self);
    let next = 0;
    await tx.insert(committeeMember).values(
      positions.map((position) => {
        if (position === '书记' && named)
          return { tenantId, orgId: o.id, termId: term!.id, memberId: self?.id ?? null, name: named, position };
        const m = others[next++ % Math.max(1, others.length)] ?? pool[0]!;
        return { tenantId, orgId: o.id, termId: term!.id, memberId: m.id, name: m.name, position };
      }),
    );
  }
}
