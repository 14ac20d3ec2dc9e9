// @fixed-days: the first day of a month (tools/test.mjs runs this file under each fixed clock).
/**
 * #16 item 9 — the dashboard on the first day of a month. Rule proved: a period (month, quarter,
 * year) is due only once it has ended, so on 1 July neither July nor the third quarter counts as
 * missed; leaders see the last complete month (June) beside the month in progress, for meeting
 * compliance and for dues collection. Run on a set clock (1 July, mid-July, 1 October).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CADENCE_RULES, dueWindow, nowMs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { randomMember, seededRandom } from '../../demo/people';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

const CONTENT = '集中学习了上级文件精神，党员逐一交流发言，讨论了下一步工作安排。';

describe('dueWindow: only periods that have ended are due', () => {
  it('on 1 July: six months and two quarters are due, the year is not', () => {
    assert.deepEqual(dueWindow({ grain: 'month' }, 2026, '2026-07-01'), {
      from: '2026-01-01',
      to: '2026-07-01',
      required: 6,
    });
    assert.deepEqual(dueWindow({ grain: 'quarter' }, 2026, '2026-07-01'), {
      from: '2026-01-01',
      to: '2026-07-01',
      required: 2,
    });
    assert.equal(dueWindow({ grain: 'year' }, 2026, '2026-07-01').required, 0);
  });
  it('a month and a quarter are due on their last day, the year on 31 December; past and future years', () => {
    assert.equal(dueWindow({ grain: 'month' }, 2026, '2026-06-30').required, 6);
    assert.equal(dueWindow({ grain: 'quarter' }, 2026, '2026-06-30').required, 2);
    assert.equal(dueWindow({ grain: 'quarter' }, 2026, '2026-06-29').required, 1);
    assert.equal(dueWindow({ grain: 'month' }, 2028, '2028-02-29').required, 2);
    assert.equal(dueWindow({ grain: 'year' }, 2026, '2026-12-31').required, 1);
    assert.deepEqual(dueWindow({ grain: 'year' }, 2025, '2026-03-01'), {
      from: '2025-01-01',
      to: '2026-01-01',
      required: 1,
    });
    assert.equal(dueWindow({ grain: 'month' }, 2027, '2026-12-31').required, 0);
  });
});

describe('驾驶舱 on the first day of a month (set clock)', () => {
  let t: TestApp;
  const { get, put } = api(() => t);
  let admin: string;
  let kept: string; // held every month's 主题党日 and each quarter's 党员大会 through June
  let missed: string; // the same, but no 主题党日 in June
  let top: string;
  const offset = nowMs() - Date.now();
  const on = (day: string) => setClock(day);
  const dash = async (orgId: string) => {
    const r = await get(`/dashboard?orgId=${orgId}`, admin);
    assert.equal(r.status, 200, r.raw);
    return r.body;
  };
  const post = (url: string, body: unknown) => t.request({ method: 'POST', url, token: admin, body });
  const held = async (orgId: string, kind: string, day: string) => {
    const startsAt = `${day}T14:30:00+08:00`;
    const m = await post('/api/v1/meetings', {
      orgId,
      kind,
      title: `${kind} ${day}`,
      startsAt,
      endsAt: `${day}T16:00:00+08:00`,
      location: '党员活动室',
    });
    assert.equal(m.status, 201, m.raw);
    const [present] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${orgId} order by name limit 1`,
    );
    const r = await put(`/meetings/${m.body.id}/minutes`, admin, {
      host: '书记',
      recorder: '委员',
      content: CONTENT,
      attendees: [present!.id],
    });
    assert.equal(r.status, 200, r.raw);
  };

  before(async () => {
    on('2026-07-15');
    t = await startTestApp();
    admin = await adminToken(t);
    top = await t.orgId('华夏能源集团党委');
    const parent = await t.orgId('华夏新材料有限公司党委');
    const rng = seededRandom(16);
    const mk = async (name: string) => {
      const o = await post('/api/v1/orgs', { parentId: parent, name, kind: 'branch' });
      assert.equal(o.status, 201, o.raw);
      for (let i = 0; i < 3; i++) {
        const r = await post('/api/v1/members', {
          ...randomMember(rng, o.body.id, { today: '2024-06-01' }),
          status: 'full',
          fullAt: null,
        });
        assert.equal(r.status, 201, r.raw);
      }
      return o.body.id as string;
    };
    kept = await mk('月初测试党支部');
    missed = await mk('月初缺会党支部');
    for (const b of [kept, missed]) {
      for (let m = 1; m <= 6; m++) if (b === kept || m < 6) await held(b, 'theme_day', `2026-0${m}-10`);
      await held(b, 'party_congress', '2026-02-20');
      await held(b, 'party_congress', '2026-05-20');
    }
  });
  after(async () => {
    setClock(new Date(Date.now() + offset));
    await t.close();
  });

  it('on 1 July counts June as the last complete month: nothing still running is behind', async () => {
    on('2026-07-01');
    const d = await dash(kept);
    assert.deepEqual([d.meetings.year, d.meetings.through], [2026, '2026-06-30']);
    // Before: July's 主题党日, the third quarter's 党员大会 and the yearly rules counted as missed → 0 %.
    assert.deepEqual([d.meetings.units, d.meetings.onTrack, d.meetings.onTrackRate], [1, 1, 1]);
    assert.equal(
      d.warnings.find((w: { kind: string }) => w.kind === 'meeting_behind'),
      undefined,
    );
    assert.deepEqual([d.meetings.current.month, d.meetings.current.units, d.meetings.current.done], ['2026-07', 1, 0]);
    const m = await dash(missed);
    assert.deepEqual([m.meetings.onTrack, m.meetings.worst[0]?.behind], [0, 1], 'June without a 主题党日 is behind');
    assert.match(m.warnings.find((w: { kind: string }) => w.kind === 'meeting_behind').message, /截至 2026-06-30/);
  });

  it('the 工作台’s 组织生活未达标 card (compliance with due) on 1 July: the month just begun is not missed', async () => {
    on('2026-07-01');
    type Item = { rule: string; required: number; actual: number; ok: boolean };
    const standing = async (orgId: string, q = '') => {
      const r = await get(`/orgs/${orgId}/compliance?year=2026${q}`, admin);
      assert.equal(r.status, 200, r.raw);
      return r.body.items as Item[];
    };
    const theme = (items: Item[]) => items.find((i) => i.rule === 'theme_day_monthly')!;
    const due = await standing(kept, '&due=true');
    assert.deepEqual([theme(due).required, theme(due).actual], [6, 6]);
    assert.ok(
      due.every((i) => i.ok),
      JSON.stringify(due),
    );
    // Without it, the year view counts July from its first day (the compliance page; issue 13 item 13).
    assert.deepEqual([theme(await standing(kept)).required, theme(await standing(kept)).ok], [7, false]);
    // A month that has ended without its meeting is behind all the same.
    const m = theme(await standing(missed, '&due=true'));
    assert.deepEqual([m.required, m.actual, m.ok], [6, 5, false]);
    const bad = await get(`/orgs/${kept}/compliance?year=2026&month=7&due=true`, admin);
    assert.equal(bad.status, 400);
    assert.match(bad.raw, /只用于全年/);
  });

  it('in mid-July still checks through June, and shows this month’s progress once a 主题党日 is held', async () => {
    on('2026-07-15');
    await held(kept, 'theme_day', '2026-07-03');
    const d = await dash(kept);
    assert.equal(d.meetings.through, '2026-06-30');
    assert.deepEqual([d.meetings.onTrack, d.meetings.current.done, d.meetings.current.rate], [1, 1, 1]);
    // A July meeting does not make up for the June one that was missed.
    await held(missed, 'theme_day', '2026-07-04');
    assert.equal((await dash(missed)).meetings.onTrack, 0);
  });

  it('on 1 October the third quarter has ended: without its 党员大会 the branch is behind', async () => {
    on('2026-10-01');
    for (const day of ['2026-08-10', '2026-09-10']) await held(kept, 'theme_day', day);
    const d = await dash(kept);
    assert.equal(d.meetings.through, '2026-09-30');
    assert.deepEqual([d.meetings.onTrack, d.meetings.worst[0]?.behind], [0, 1]);
    await held(kept, 'party_congress', '2026-09-25');
    assert.equal((await dash(kept)).meetings.onTrack, 1);
  });

  it('shows the last complete month’s dues collection beside the month in progress, as counted from the bills', async () => {
    on('2026-07-01');
    const d = await dash(top);
    assert.equal(d.dues.month, '2026-07');
    assert.equal(d.dues.lastMonth.month, '2026-06');
    const [b] = await queryRows<{ bills: number; paid_bills: number; billed: number; paid: number }>(
      t.services.db,
      sql`select count(*)::int as bills, (count(*) filter (where b.status = 'paid'))::int as paid_bills,
            coalesce(sum(b.due_fen), 0)::int as billed, coalesce(sum(b.due_fen) filter (where b.status = 'paid'), 0)::int as paid
          from dues_bill b join org o on o.id = b.org_id
          where o.path like (select path from org where id = ${top}) || '%' and b.month = '2026-06-01'::date`,
    );
    const l = d.dues.lastMonth;
    assert.deepEqual([l.bills, l.paidBills, l.billedFen, l.paidFen], [b!.bills, b!.paid_bills, b!.billed, b!.paid]);
    assert.equal(l.collectionRate, b!.billed > 0 ? Math.round((b!.paid / b!.billed) * 1000) / 1000 : null);
  });

  it('checks the whole past year from 1 January, the yearly rules included', async () => {
    on('2027-01-01');
    const d = await dash(kept);
    assert.deepEqual([d.meetings.year, d.meetings.through], [2026, '2026-12-31']);
    const yearly = CADENCE_RULES.filter((r) => !r.local && r.grain === 'year').length;
    assert.ok(d.meetings.worst[0]?.behind >= yearly, 'Oct–Dec and the yearly rules are now due');
  });
});
