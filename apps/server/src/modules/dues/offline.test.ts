/**
 * Offline payment instructions per org (issue 28 item 7 / issue 16 item 6): set by the branch's secretary
 * or an org admin (validated, Chinese errors, audited), inherited from the nearest ancestor that has some,
 * shown to the member with the online channels that are actually configured.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { startFakePayProvider, type FakePayProvider } from './fake/provider';

describe('offline payment instructions per org (issue 28 item 7)', () => {
  let t: TestApp;
  const { get, put } = api(() => t);
  let fake: FakePayProvider;
  let admin: string;
  let secretary: string;
  let member: string;
  let plant: string;
  let foreign: string;
  const info = { collector: '组织委员 李明', place: '二楼党员活动室', time: '每月 8 日 9:00–11:00', note: '可转账' };

  before(async () => {
    t = await startTestApp();
    fake = await startFakePayProvider();
    [admin, secretary, member] = await signIn(t, 'admin', 'shuji', 'dangyuan');
    plant = await t.orgId('第一发电厂党支部');
    foreign = await t.orgId('研发中心党支部');
  });
  after(async () => {
    await fake.close();
    await t.close();
  });

  it('inherits the nearest ancestor’s instructions where an org has none of its own', async () => {
    const r = await get(`/dues/offline-info?orgId=${foreign}`, admin);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.own, null, 'the demo sets none on 研发中心党支部');
    assert.ok(r.body.effective, 'it inherits one');
    assert.notEqual(r.body.effective.orgId, foreign);
    assert.equal(r.body.effective.collector, '各支部组织委员');
    const own = await get(`/dues/offline-info?orgId=${plant}`, secretary);
    assert.equal(own.body.own.orgId, plant);
    assert.deepEqual(own.body.own, own.body.effective, 'its own is the one in force');
  });

  it('lets the branch secretary set the branch’s instructions (audited), with Chinese errors for bad input', async () => {
    const bad = await put('/dues/offline-info', secretary, { ...info, orgId: plant, collector: '  ' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /请填写收缴人/);
    const long = await put('/dues/offline-info', secretary, { ...info, orgId: plant, note: '说'.repeat(301) });
    assert.equal(long.status, 400);
    assert.match(JSON.stringify(long.body), /补充说明不超过 300 个字/);
    const extra = await put('/dues/offline-info', secretary, { ...info, orgId: plant, phone: '1' });
    assert.equal(extra.status, 400, 'unknown fields are refused');

    const ok = await put('/dues/offline-info', secretary, { ...info, orgId: plant });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.own.collector, info.collector);
    const audit = await get('/audit?action=dues.offline_info.set', admin);
    const entry = audit.body.items.find((e: { entityId: string }) => e.entityId === plant);
    assert.ok(entry, 'the change is audited');
    assert.match(JSON.stringify(entry), /组织委员 李明/);
    assert.match(JSON.stringify(entry), /第一发电厂综合楼 305/, 'with what it was before');
  });

  it('refuses another org’s instructions to a secretary, and every change to a member', async () => {
    const other = await put('/dues/offline-info', secretary, { ...info, orgId: foreign });
    assert.equal(other.status, 403);
    assert.equal((await get(`/dues/offline-info?orgId=${foreign}`, secretary)).status, 403);
    const byMember = await put('/dues/offline-info', member, { ...info, orgId: plant });
    assert.equal(byMember.status, 403);
    assert.equal((await get(`/dues/offline-info?orgId=${foreign}`, member)).status, 403);
    const r = await get(`/dues/offline-info?orgId=${foreign}`, admin);
    assert.equal(r.body.own, null, 'nothing was written on the other org');
  });

  it('shows the member their own branch’s way to pay, and online channels only when configured', async () => {
    t.services.config.payment = { notifyBaseUrl: 'https://dangjian.example.com', wechat: null, alipay: null };
    const off = await get('/dues/me/pay-options', member);
    assert.equal(off.status, 200, off.raw);
    assert.deepEqual(off.body.online, { wechat: false, alipay: false });
    assert.equal(off.body.offline.orgId, plant, 'the member’s own branch, not another org');
    assert.equal(off.body.offline.collector, info.collector);
    const cfg = fake.paymentConfig('https://dangjian.example.com');
    t.services.config.payment = { ...cfg, alipay: null };
    const on = await get('/dues/me/pay-options', member);
    assert.deepEqual(on.body.online, { wechat: true, alipay: false });
    assert.equal(on.body.offline.orgId, plant, 'the offline way stays on offer');
  });
});
