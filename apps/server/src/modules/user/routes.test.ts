import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

describe('user accounts', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let admin: string;
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  it('creates a secretary who must change the password at first login', async () => {
    const orgId = await t.orgId('电力营销党支部');
    const r = await post('/users', admin, {
      username: 'yingxiao',
      password: 'Strong-Pass-1',
      displayName: '营销书记',
      roles: [{ role: 'secretary', orgId }],
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.mustChangePassword, true);
    const token = await t.login('yingxiao', 'Strong-Pass-1');
    const blocked = await get(`/orgs/${orgId}`, token);
    assert.equal(blocked.body.error.code, 'PASSWORD_CHANGE_REQUIRED');
  });

  it('rejects a weak initial password, a taken username and an org admin granting admin', async () => {
    const orgId = await t.orgId('电力营销党支部');
    const weak = await post('/users', admin, {
      username: 'weakling',
      password: 'password',
      roles: [{ role: 'member', orgId }],
    });
    assert.equal(weak.status, 422);
    const taken = await post('/users', admin, {
      username: 'SHUJI',
      password: 'Strong-Pass-1',
      roles: [{ role: 'member', orgId }],
    });
    assert.equal(taken.status, 409);
    const dianli = await t.login('dianli');
    const escalate = await post('/users', dianli, {
      username: 'sneaky',
      password: 'Strong-Pass-1',
      roles: [{ role: 'admin', orgId }],
    });
    assert.equal(escalate.status, 403);
  });

  it('keeps a subsidiary org admin inside its subtree when binding roles and listing users', async () => {
    const dianli = await t.login('dianli');
    const other = await t.orgId('研发中心党支部');
    const r = await post('/users', dianli, {
      username: 'outsider',
      password: 'Strong-Pass-1',
      roles: [{ role: 'member', orgId: other }],
    });
    assert.equal(r.status, 403);
    const list = await get('/users?pageSize=200', dianli);
    assert.equal(list.status, 200);
    const names = list.body.items.map((u: { username: string }) => u.username);
    assert.ok(names.includes('shuji'));
    assert.ok(!names.includes('shuji2'), 'a user of another subsidiary is not listed');
    assert.ok(!names.includes('admin'));
  });

  it('does not let members or secretaries manage accounts', async () => {
    for (const who of ['dangyuan', 'shuji']) {
      const token = await t.login(who);
      assert.equal((await get('/users', token)).status, 403);
    }
  });

  it('lets an auditor search and verify the audit log, but not a secretary', async () => {
    const auditor = await t.login('shenji');
    const r = await get('/audit?entityType=user&pageSize=5', auditor);
    assert.equal(r.status, 200);
    assert.ok(r.body.total > 0);
    assert.ok(r.body.items.every((e: { entityType: string }) => e.entityType === 'user'));
    const v = await get('/audit/verify', auditor);
    assert.equal(v.body.ok, true);
    const sec = await t.login('shuji');
    assert.equal((await get('/audit', sec)).status, 403);
  });
});
