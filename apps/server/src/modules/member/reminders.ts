/**
 * 流动党员 reminders (issue #17): every morning the scheduler tells the branch secretary about flowing
 * members whose regular contact is due (no contact for the branch's interval, flowcontact.ts), whose 失联 mark
 * is FLOW_CONTACT_RULE.lostWarnDays away, and who have reached it (LOST_CONTACT_MONTHS without contact).
 * Each stage once per last contact: recording a contact (recordFlowContact, or the member's own 报到 in flowself.ts)
 * starts the count again. The member is told too (member.flow.self) when they have an account.
 */
import { chinaDateLabel, FLOW_CONTACT_RULE, LOST_CONTACT_MONTHS, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db';
import { notify } from '../notify/service';
import { contactIntervalSql } from './flowcontact';

export const FLOW_REMIND_JOB = 'member.flow.remind';

export async function flowReminders(db: Db, today = todayInChina()) {
  const rows = await queryRows<{
    tenant_id: string;
    member_id: string;
    member_name: string;
    org_id: string;
    org_name: string;
    location: string;
    last_contact_on: string;
    lost_on: string;
    every_months: number;
  }>(
    db,
    sql`select * from (
          select f.tenant_id, m.id as member_id, m.name as member_name, m.org_id, o.name as org_name, o.path,
            f.location, f.last_contact_on as contact_on, f.last_contact_on::text as last_contact_on,
            (f.last_contact_on + make_interval(months => ${LOST_CONTACT_MONTHS}::int))::date::text as lost_on,
            ${contactIntervalSql(sql`f.tenant_id`, sql`o.path`)} as every_months
          from member_flow f join member m on m.tenant_id = f.tenant_id and m.id = f.member_id join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
          where f.ended_on is null and m.left_at is null) x
        where x.contact_on <= (${today}::date - make_interval(months => x.every_months))::date
        order by x.tenant_id, x.path, x.member_name`,
  );
  let sent = 0;
  await db.transaction(async (tx) => {
    for (const r of rows) {
      const daysToLost = Math.round((Date.parse(r.lost_on) - Date.parse(today)) / 86_400_000);
      const [stage, due] =
        daysToLost <= 0
          ? ['lost', `已 ${LOST_CONTACT_MONTHS} 个月未联系，列为失联党员`]
          : daysToLost <= FLOW_CONTACT_RULE.lostWarnDays
            ? ['lost-soon', `再过 ${daysToLost} 天将满 ${LOST_CONTACT_MONTHS} 个月未联系（失联）`]
            : [
                'contact',
                `已超过 ${r.every_months} 个月未联系，应定期联系（本支部的联系周期为每 ${r.every_months} 个月）`,
              ];
      const res = await notify(tx, {
        tenantId: r.tenant_id,
        kind: 'member.flow',
        recipients: { orgRoles: [{ orgId: r.org_id, roles: ['secretary'], nearest: true }] },
        data: {
          memberName: r.member_name,
          orgName: r.org_name,
          location: r.location,
          lastContact: chinaDateLabel(r.last_contact_on),
          due,
          rule: FLOW_CONTACT_RULE.citation,
        },
        link: '/flowing',
        orgId: r.org_id,
        dedupeKey: `member.flow:${r.member_id}:${r.last_contact_on}:${stage}`,
      });
      sent += res.notified;
      // The member is asked to report in too (「流动党员报到」 on the phone), on the same stages, once per last contact.
      const self = await notify(tx, {
        tenantId: r.tenant_id,
        kind: 'member.flow.self',
        recipients: { members: [r.member_id] },
        data: { orgName: r.org_name, lastContact: chinaDateLabel(r.last_contact_on), due },
        link: '/my/flow',
        orgId: r.org_id,
        dedupeKey: `member.flow.self:${r.member_id}:${r.last_contact_on}:${stage}`,
      });
      sent += self.notified;
    }
  });
  return { members: rows.length, sent };
}
