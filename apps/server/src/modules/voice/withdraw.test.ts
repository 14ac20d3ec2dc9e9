/**
 * 意见建议: the submitter withdraws their own item before it is answered — a named member in the app, an
 * anonymous member or an employee with the 查询码. A withdrawn item leaves the handling queue's open and overdue
 * counts and the dashboard's 应答复; managers can no longer assign, answer or attach to it; after an answer the
 * withdrawal is refused with a clear Chinese 409. The audit entry of an anonymous withdrawal names nobody.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { opinionYearFigures } from './opinions';
import { assertNoIdentity, memberAccounts, type Identity } from './test-helpers';

describe('意见建议: withdrawing one’s own item before the answer', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string, dangyuan: string, admin: string, shenji: string, branch: string, branchPath: string;
  let other: Identity & { token: string };
  const submit = (token: string, over: Record<string, unknown> = {}) =>
    post('/voice/opinions', token, {
      orgId: branch,
      category: 'suggestion',
      title: '建议调整学习时间',
      body: '周三晚上学习与倒班冲突。',
      ...over,
    });
  const list = async (query: string) =>
    (await get(`/voice/opinions?orgId=${branch}&pageSize=200${query}`, shuji)).body.items as {
      id: string;
      status: string;
    }[];

  before(async () => {
    t = await startTestApp();
    [admin, shuji, dangyuan, shenji] = await signIn(t, 'admin', 'shuji', 'dangyuan', 'shenji');
    branch = await t.orgId('第一发电厂党支部');
    const [o] = await queryRows<{ path: string }>(t.services.db, sql`select path from org where id = ${branch}`);
    branchPath = o!.path;
    const [a] = await memberAccounts(t, '第一发电厂党支部', 'wd', ['撤回测试人']);
    other = a!;
  });
  after(() => t.close());

  it('lets a member withdraw their item before the answer: out of the open and overdue counts, no more handling, audited', async () => {
    const sent = await submit(dangyuan);
    assert.equal(sent.status, 201, sent.raw);
    const id = sent.body.id as string;
    // Past its due day, so it counts as overdue until withdrawn.
    await t.services.db.execute(
      sql`update voice_opinion set due_on = ${addDays(todayInChina(), -3)}, submitted_on = ${todayInChina()} where id = ${id}`,
    );
    await afterLocalWrite(t.services.db);
    assert.ok(
      (await list('&overdue=true')).some((o) => o.id === id),
      'overdue before the withdrawal',
    );
    const before = await opinionYearFigures(t.services.db, t.tenantId, branchPath);

    assert.equal(
      (await post(`/voice-opinions/${id}/withdraw`, other.token)).status,
      404,
      'another member of the branch: 404',
    );
    const byManager = await post(`/voice-opinions/${id}/withdraw`, shuji);
    assert.equal(byManager.status, 403, 'the secretary does not withdraw a member’s item');
    assert.match(byManager.body.error.message, /只能撤回自己提交的意见建议/);

    const done = await post(`/voice-opinions/${id}/withdraw`, dangyuan);
    assert.equal(done.status, 200, done.raw);
    assert.equal(done.body.status, 'withdrawn');
    assert.equal(done.body.overdue, false, 'a withdrawn item is not overdue');
    assert.equal(done.body.steps.at(-1).label, '提交人撤回');
    assert.ok(!(await list('&overdue=true')).some((o) => o.id === id), 'out of the overdue list');
    assert.ok(
      (await list('&status=withdrawn')).some((o) => o.id === id),
      'listed as 已撤回',
    );
    const after = await opinionYearFigures(t.services.db, t.tenantId, branchPath);
    assert.equal(after.overdueOpen, before.overdueOpen - 1, 'the dashboard’s overdue count drops');
    assert.equal(after.due, before.due - 1, 'and it is no longer due an answer (按时答复率)');

    for (const [what, url, body] of [
      ['answer', `/voice-opinions/${id}/answer`, { answer: '已研究。' }],
      ['close', `/voice-opinions/${id}/close`, {}],
    ] as const) {
      const r = await post(url, shuji, body);
      assert.equal(r.status, 409, `${what}: ${r.raw}`);
    }
    const answer = await post(`/voice-opinions/${id}/answer`, shuji, { answer: '已研究。' });
    assert.match(answer.body.error.message, /提交人已撤回/);
    const f = multipartFile(
      Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
        'hex',
      ),
      'x.png',
    );
    const file = await t.request({
      method: 'POST',
      url: `/api/v1/voice-opinions/${id}/files`,
      token: shuji,
      body: f.body,
      headers: f.headers,
    });
    assert.equal(file.status, 409, file.raw);
    const again = await post(`/voice-opinions/${id}/withdraw`, dangyuan);
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /已撤回/);

    const audit = await get('/audit?pageSize=50&action=voice.opinion.withdrawn', admin);
    assert.ok(
      audit.body.items.some((a: { entityId: string }) => a.entityId === id),
      audit.raw.slice(0, 300),
    );
  });

  it('refuses to withdraw an answered item with a clear Chinese 409', async () => {
    const sent = await submit(dangyuan, { title: '建议增加书架' });
    const id = sent.body.id as string;
    assert.equal((await post(`/voice-opinions/${id}/answer`, shuji, { answer: '已增加两个书架。' })).status, 200);
    const r = await post(`/voice-opinions/${id}/withdraw`, dangyuan);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.message, '该意见建议已经答复，不能撤回；如对答复不满意，可以在评价中说明');
    assert.equal((await get(`/voice-opinions/${id}`, dangyuan)).body.status, 'answered', 'unchanged');
  });

  it('lets an anonymous submitter withdraw with the 查询码; the audit entries managers read name nobody', async () => {
    const sent = await submit(other.token, { anonymous: true, title: '匿名：建议公开评先过程' });
    assert.equal(sent.status, 201, sent.raw);
    const receipt = sent.body.receipt as string;
    const bad = await post('/public/voice/receipt/withdraw', undefined, { receipt: 'ABCDEFGHJKMN' });
    assert.equal(bad.status, 404);
    assert.match(bad.body.error.message, /查询码不正确/);
    const done = await post('/public/voice/receipt/withdraw', undefined, { receipt });
    assert.equal(done.status, 200, done.raw);
    assert.equal(done.body.status, 'withdrawn');
    assert.equal(done.body.steps.at(-1).actor, '匿名提交人');
    // What the handling secretary, the admin and the auditor see of it: the item, 已撤回, and nobody.
    const seen = await get(`/voice-opinions/${sent.body.id}`, shuji);
    assert.equal(seen.body.status, 'withdrawn');
    assertNoIdentity('the item as the secretary sees it', seen.raw, other);
    for (const [who, token] of Object.entries({ admin, shenji })) {
      const audit = await get('/audit?pageSize=200&entityType=voice_opinion', token);
      assert.equal(audit.status, 200, `${who}: ${audit.raw}`);
      assert.ok(
        audit.body.items.some(
          (a: { action: string; entityId: string }) =>
            a.action === 'voice.opinion.withdrawn' && a.entityId === sent.body.id,
        ),
        `${who} sees the withdrawal`,
      );
      assertNoIdentity(`the audit entries ${who} reads`, audit.raw, other);
    }
    const twice = await post('/public/voice/receipt/withdraw', undefined, { receipt });
    assert.equal(twice.status, 409);
  });
});
