// @fixed-days: 整改 deadlines (tools/test.mjs runs this file under each fixed clock).
/**
 * 整改 (issue 21): an item goes through its whole life — the 书记 opens it with a 责任人 and a 验收人 from the org
 * above, the morning job reminds the 责任人 ahead of the deadline and, once it has passed, alerts the 责任人 and
 * the 验收人 through notify (once each); the 责任人 starts, uploads evidence and submits, the 验收人 returns it,
 * it is submitted again and closed, and a closed item can no longer change. Bad input is a Chinese 4xx; the
 * roll-up of a subtree agrees with the list; the member's personal-data copy holds the item.
 * Every date is relative to the shared clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addDays,
  nowMs,
  RECTIFY_STATUSES,
  setClock,
  todayInChina,
  type RectifyBrief,
  type RectifyRollup,
} from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { rectifyReminders } from './service';

const TITLE = '整改探针：党费台账未按月公示';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]),
  Buffer.alloc(16),
]);

type Notice = { kind: string; title: string; body: string; link: string | null };

describe('整改 (rectification)', () => {
  let t: TestApp;
  const { get, post, patch } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let dianli: string;
  let branch: string;
  let ownerId: string;
  let verifierId: string;
  let id: string;
  const start = todayInChina();
  const clockAt = nowMs();
  const realAt = Date.now();
  const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));
  /** 08:50 Beijing on the day `n` days after the file's start: after the 08:45 run. */
  const morning = async (n: number) => {
    setClock(new Date(`${addDays(start, n)}T08:50:00+08:00`));
    await t.services.jobs.settle();
    await t.services.jobs.settle();
  };
  const inbox = async (token: string, kind: string) => {
    const r = await get('/notifications?pageSize=200', token);
    assert.equal(r.status, 200, r.raw);
    return (r.body.items as Notice[]).filter((n) => n.kind === kind && n.title.includes(TITLE));
  };
  const act = (token: string, action: string, note?: string) =>
    post(`/supervise-rectifications/${id}/actions`, token, { action, ...(note ? { note } : {}) });
  const upload = (token: string, data: Buffer, name: string) =>
    t.request({
      method: 'POST',
      url: `/api/v1/supervise-rectifications/${id}/files`,
      token,
      ...multipartFile(data, name),
    });
  const base = () => ({
    orgId: branch,
    sourceKind: 'inspection',
    sourceRef: '电力公司党委巡察反馈第 5 条',
    title: TITLE,
    finding: '第三季度党费收缴和使用情况未在支部内公示。',
    measures: '每月 10 日前在支部公示栏和系统中公示上月党费收缴使用情况。',
    ownerMemberId: ownerId,
    deadline: addDays(start, 3),
    verifierUserId: verifierId,
  });

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan, dianli] = await signIn(t, 'shuji', 'dangyuan', 'dianli');
    branch = await t.orgId('第一发电厂党支部');
    const [ids] = await queryRows<{ owner: string; verifier: string }>(
      t.services.db,
      sql`select (select m.id from member m join app_user u on u.id = m.user_id where u.username = 'dangyuan') as owner,
                 (select id from app_user where username = 'dianli') as verifier`,
    );
    ownerId = ids!.owner;
    verifierId = ids!.verifier;
    t.services.config.dataDir = (await import('node:fs')).mkdtempSync('/tmp/xf-supervise-');
  });
  after(async () => {
    restore();
    await t.close();
  });

  it('refuses bad input with a Chinese 4xx: a deadline in the past, a 验收人 outside the rule, a 责任人 of another branch', async () => {
    const past = await post('/supervise/rectifications', shuji, { ...base(), deadline: addDays(start, -1) });
    assert.equal(past.status, 422, past.raw);
    assert.equal(past.body.error.code, 'RECTIFY_DEADLINE_PAST');
    assert.match(past.body.error.message, /整改期限不能早于今天/);
    // 刘芳 (shuji2) keeps another branch: neither above this branch nor on its committee.
    const [other] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'shuji2'`,
    );
    const outside = await post('/supervise/rectifications', shuji, { ...base(), verifierUserId: other!.id });
    assert.equal(outside.status, 422, outside.raw);
    assert.equal(outside.body.error.code, 'RECTIFY_VERIFIER_OUT_OF_SCOPE');
    assert.match(outside.body.error.message, /验收人须为上级党组织/);
    // The branch's 书记 sits on its committee and may verify a member's item, but not one the branch itself must fix
    // (he is its 责任人); nor may the 责任人 member verify their own.
    const [self] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'shuji'`,
    );
    const own = await post('/supervise/rectifications', shuji, {
      ...base(),
      ownerMemberId: null,
      verifierUserId: self!.id,
    });
    assert.equal(own.status, 422, own.raw);
    assert.equal(own.body.error.code, 'RECTIFY_VERIFIER_IS_OWNER');
    const [owner] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'dangyuan'`,
    );
    const himself = await post('/supervise/rectifications', shuji, { ...base(), verifierUserId: owner!.id });
    assert.equal(himself.status, 422, himself.raw);
    const [elsewhere] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join org o on o.id = m.org_id where o.name = '研发中心党支部' and m.left_at is null limit 1`,
    );
    const foreignOwner = await post('/supervise/rectifications', shuji, {
      ...base(),
      ownerMemberId: elsewhere!.id,
    });
    assert.equal(foreignOwner.status, 422, foreignOwner.raw);
    assert.equal(foreignOwner.body.error.code, 'RECTIFY_OWNER_OUT_OF_SCOPE');
    const kind = await post('/supervise/rectifications', shuji, { ...base(), sourceKind: 'rumour' });
    assert.equal(kind.status, 400, kind.raw);
    assert.match(kind.body.error.message, /问题来源须为/);
    // The candidates the form offers are exactly those the rule accepts.
    const candidates = await get(`/supervise/verifiers?orgId=${branch}`, shuji);
    assert.equal(candidates.status, 200, candidates.raw);
    const offered = (candidates.body.items as { userId: string }[]).map((c) => c.userId);
    assert.ok(offered.includes(verifierId), 'the 电力公司党委 admin is offered');
    assert.ok(!offered.includes(other!.id) && !offered.includes(owner!.id));
    assert.ok(offered.includes(self!.id), 'the branch’s 书记 is on its committee');
    assert.equal(candidates.body.confirmed, false, 'the regulation behind the verifier rule is marked unconfirmed');
  });

  it('goes through its whole life: reminded, overdue alert through notify, started, evidence, submitted, returned, closed', async () => {
    try {
      const created = await post('/supervise/rectifications', shuji, base());
      assert.equal(created.status, 201, created.raw);
      id = created.body.id;
      assert.equal(created.body.status, 'open');
      assert.equal((await inbox(dangyuan, 'supervise.rectify.assigned')).length, 1, 'the 责任人 is told');

      // Two days before the deadline the morning job reminds the 责任人 (the 7-day stage), once.
      await morning(1);
      const due = await inbox(dangyuan, 'supervise.rectify.due');
      assert.deepEqual(
        due.map((n) => n.title),
        [`【整改提醒】${TITLE}：还有 2 天到期`],
      );
      assert.equal(due[0]!.link, `/supervise/rectify?item=${id}`);
      // A day past the deadline: the overdue alert reaches the 责任人 and the 验收人.
      await morning(4);
      assert.deepEqual(
        (await inbox(dangyuan, 'supervise.rectify.overdue')).map((n) => n.title),
        [`【整改逾期】${TITLE}：已逾期 1 天`],
      );
      assert.equal((await inbox(dianli, 'supervise.rectify.overdue')).length, 1);
      const again = await rectifyReminders(t.services.db);
      assert.ok(again.items >= 1);
      assert.equal((await inbox(dangyuan, 'supervise.rectify.overdue')).length, 1, 'once per deadline');
      const seen = await get(`/supervise-rectifications/${id}`, dangyuan);
      assert.equal(seen.status, 200, seen.raw);
      assert.equal(seen.body.overdue, true);
      assert.equal(seen.body.daysLeft, -1);
      assert.deepEqual(seen.body.can.actions, ['start']);

      // Wrong order, missing evidence and the wrong file type are refused.
      const early = await act(dangyuan, 'submit', '已整改');
      assert.equal(early.status, 409, early.raw);
      assert.match(early.body.error.message, /当前状态为「待整改」，不能提交验收/);
      assert.equal((await act(dangyuan, 'start')).status, 200);
      const bare = await act(dangyuan, 'submit', '已整改');
      assert.equal(bare.status, 422, bare.raw);
      assert.equal(bare.body.error.code, 'RECTIFY_EVIDENCE_REQUIRED');
      const text = await upload(dangyuan, Buffer.from('just text, not a document'), '说明.txt');
      assert.equal(text.status, 400, text.raw);
      assert.match(text.body.error.message, /附件须为图片、PDF/);
      const png = await upload(dangyuan, PNG, '公示照片.png');
      assert.equal(png.status, 201, png.raw);
      const noNote = await act(dangyuan, 'submit');
      assert.equal(noNote.status, 422, noNote.raw);
      const submitted = await act(dangyuan, 'submit', '已在公示栏公示第三季度党费收缴使用情况，见照片。');
      assert.equal(submitted.status, 200, submitted.raw);
      assert.equal(submitted.body.status, 'pending_check');
      assert.equal((await inbox(dianli, 'supervise.rectify.submitted')).length, 1, 'the 验收人 is told');

      // Only the 验收人 verifies: not the 责任人, not the branch's 书记.
      const selfCheck = await act(dangyuan, 'accept');
      assert.equal(selfCheck.status, 403, selfCheck.raw);
      assert.match(selfCheck.body.error.message, /只有本事项的验收人/);
      assert.equal((await act(shuji, 'accept')).status, 403);
      const noReason = await act(dianli, 'return');
      assert.equal(noReason.status, 422, noReason.raw);
      const returned = await act(dianli, 'return', '缺少系统内的公示截图。');
      assert.equal(returned.status, 200, returned.raw);
      assert.equal(returned.body.status, 'in_progress');
      assert.equal((await inbox(dangyuan, 'supervise.rectify.returned')).length, 1);
      assert.equal((await upload(dangyuan, PNG, '系统公示截图.png')).status, 201);
      assert.equal((await act(dangyuan, 'submit', '已补充系统内公示截图。')).status, 200);
      const closed = await act(dianli, 'accept', '材料齐全，同意销号。');
      assert.equal(closed.status, 200, closed.raw);
      assert.equal(closed.body.status, 'closed');
      assert.equal(closed.body.overdue, false);
      assert.ok(closed.body.closedAt);
      assert.deepEqual(
        (closed.body.events as { action: string }[]).map((e) => e.action),
        ['create', 'start', 'submit', 'return', 'submit', 'accept'],
      );
      assert.equal(closed.body.files.length, 2);
      assert.equal((await inbox(dangyuan, 'supervise.rectify.closed')).length, 1);
      const down = await t.app.inject({
        method: 'GET',
        url: `/api/v1/supervise-rectifications/${id}/files/${png.body.id}`,
        headers: { authorization: `Bearer ${dianli}` },
      });
      assert.equal(down.statusCode, 200);
      assert.deepEqual(down.rawPayload, PNG);

      // A closed item no longer changes.
      const edit = await patch(`/supervise-rectifications/${id}`, shuji, { measures: '改' });
      assert.equal(edit.status, 409, edit.raw);
      assert.match(edit.body.error.message, /已销号/);
      assert.equal((await upload(dangyuan, PNG, 'late.png')).status, 409);
      const reopen = await act(dangyuan, 'start');
      assert.equal(reopen.status, 409, reopen.raw);
      // Closed: no more reminders for it.
      await morning(5);
      assert.equal((await inbox(dangyuan, 'supervise.rectify.overdue')).length, 1);
    } finally {
      restore();
    }
  });

  it('edits an open item: a new deadline must not be in the past; only keepers of the org edit', async () => {
    const created = await post('/supervise/rectifications', shuji, {
      ...base(),
      title: `${TITLE}（二）`,
      ownerMemberId: null,
    });
    assert.equal(created.status, 201, created.raw);
    const other = created.body.id as string;
    const past = await patch(`/supervise-rectifications/${other}`, shuji, {
      deadline: addDays(todayInChina(), -2),
    });
    assert.equal(past.status, 422, past.raw);
    const ok = await patch(`/supervise-rectifications/${other}`, shuji, {
      deadline: addDays(todayInChina(), 10),
      measures: '新的整改措施',
    });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.measures, '新的整改措施');
    assert.equal(ok.body.ownerName, '第一发电厂党支部', 'the org itself is responsible');
    assert.equal((await patch(`/supervise-rectifications/${other}`, dangyuan, { measures: 'x' })).status, 403);
  });

  it('rolls up a subtree: counts by status, overdue and the closure rate agree with the list', async () => {
    const list = async (token: string, q: string) => {
      const r = await get(`/supervise/rectifications?pageSize=200&${q}`, token);
      assert.equal(r.status, 200, r.raw);
      return r.body as { items: RectifyBrief[]; total: number };
    };
    for (const [token, orgName] of [
      [shuji, '第一发电厂党支部'],
      [dianli, '华夏电力有限公司党委'],
    ] as const) {
      const orgId = await t.orgId(orgName);
      const r = await get(`/supervise/rectifications/rollup?orgId=${orgId}`, token);
      assert.equal(r.status, 200, r.raw);
      const roll = r.body as RectifyRollup;
      const all = await list(token, `orgId=${orgId}`);
      assert.equal(roll.total, all.total);
      for (const s of RECTIFY_STATUSES)
        assert.equal(roll[s], all.items.filter((i) => i.status === s).length, `${orgName} ${s}`);
      assert.equal(roll.overdue, all.items.filter((i) => i.overdue).length);
      assert.equal((await list(token, `orgId=${orgId}&overdue=true`)).total, roll.overdue);
      assert.equal(roll.closureRate, roll.total ? Math.round((roll.closed / roll.total) * 1000) / 10 : null);
      assert.ok(roll.overdue >= 1, 'the demo has an overdue item');
      assert.ok(roll.closed >= 2, 'the demo’s closed item and this file’s');
      assert.equal(
        roll.children.reduce((n, c) => n + c.total, 0) + all.items.filter((i) => i.orgId === orgId).length,
        roll.total,
      );
    }
    // The branch's 书记 cannot roll up the company above.
    const above = await get(`/supervise/rectifications/rollup?orgId=${await t.orgId('华夏电力有限公司党委')}`, shuji);
    assert.equal(above.status, 403);
  });

  it('lists the member’s own items, and puts them in the member’s personal-data copy', async () => {
    const mine = await get('/supervise/rectifications/mine?pageSize=200', dangyuan);
    assert.equal(mine.status, 200, mine.raw);
    assert.ok((mine.body.items as RectifyBrief[]).some((i) => i.id === id && i.status === 'closed'));
    const copy = await post('/me/personal-data', dangyuan, {});
    assert.equal(copy.status, 200, copy.raw);
    const items = JSON.parse(copy.raw).member.rectifications as {
      title: string;
      status: string;
      files: unknown[];
      steps: unknown[];
    }[];
    const it_ = items.find((i) => i.title === TITLE);
    assert.ok(it_, 'the item is in the copy');
    assert.equal(it_.status, '已销号');
    assert.equal(it_.files.length, 2);
    assert.equal(it_.steps.length, 6);
  });
});
