/**
 * Personal data stays out of the logs: with logging at its most verbose, a session of sign-ins,
 * member edits, searches by phone and 身份证号, and rejected input leaves no ID number, phone,
 * password or session token in any log line.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { idCardCheckChar } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from './db';
import { api, adminToken, DEMO_PASSWORD, startTestApp, type TestApp } from '../testing/harness';
import { startFakePayProvider } from '../modules/dues/fake/provider';

const first17 = '11010119870316124';
const ID_CARD = first17 + idCardCheckChar(first17);
const PHONE = '13987654321';
const NEW_PHONE = '13711112222';
const WRONG_PASSWORD = 'Wrong-Secret-77';

describe('privacy of the logs', () => {
  let t: TestApp;
  const { get, post, patch } = api(() => t);
  let log = '';
  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    t = await startTestApp({ log: { level: 'trace', stream } });
  });
  after(() => t.close());

  it('logs no ID number, phone, password or token, even at trace level', async () => {
    await post('/auth/login', undefined, { username: 'shuji', password: WRONG_PASSWORD });
    const token = await t.login('shuji');
    const orgId = await t.orgId('第一发电厂党支部');
    const member = {
      orgId,
      name: '林晓梅',
      gender: 'female',
      birthDate: '1987-03-16',
      idCardNo: ID_CARD,
      phone: PHONE,
      joinedAt: '2012-07-01',
      status: 'full',
    };
    const created = await post('/members', token, member);
    assert.equal(created.status, 201, created.raw);
    const dup = await post('/members', token, member);
    assert.equal(dup.status >= 400 && dup.status < 500, true);
    const badId = await post('/members', token, {
      ...member,
      idCardNo: ID_CARD.slice(0, 17) + (ID_CARD.endsWith('0') ? '1' : '0'),
      phone: NEW_PHONE,
    });
    assert.equal(badId.status, 422);
    for (const q of [PHONE, ID_CARD]) {
      const found = await get(`/members?q=${q}`, token);
      assert.equal(found.body.total, 1);
    }
    await patch(`/members/${created.body.id}`, token, { phone: NEW_PHONE });
    await post('/auth/password', token, { oldPassword: WRONG_PASSWORD, newPassword: 'Another-Secret-88' });
    // Security #14.6: accounts opened for members and a sign-in typed as a phone leave no phone in the log.
    const opened = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/accounts',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(opened.statusCode, 200, opened.body);
    const byPhone = await post('/auth/login', undefined, { username: NEW_PHONE, password: WRONG_PASSWORD });
    assert.equal(byPhone.status, 401);

    assert.ok(log.length > 1000, 'the app logged requests at trace level');
    for (const [what, secret] of [
      ['身份证号', ID_CARD],
      ['phone', PHONE],
      ['new phone', NEW_PHONE],
      ['password', DEMO_PASSWORD],
      ['wrong password', WRONG_PASSWORD],
      ['session token', token],
    ] as const)
      assert.equal(log.includes(secret), false, `the log contains the ${what}`);
  });

  it('logs no payment key material while ordering and settling online payments (issue 28 item 3)', async () => {
    const fake = await startFakePayProvider();
    const saved = t.services.config.payment;
    try {
      const pay = fake.paymentConfig('https://dangjian.example.com');
      t.services.config.payment = pay;
      const member = await t.login('dangyuan');
      const bills = await get('/dues/me/bills?status=unpaid', member);
      const bill = bills.body.items[0];
      const r = await post(`/dues-bills/${bill.id}/pay`, member, { channel: 'wechat', tradeType: 'h5' });
      assert.equal(r.status, 200, r.raw);
      const n = fake.wechatNotification(r.body.payment.outTradeNo);
      await t.app.inject({ method: 'POST', url: new URL(n.url).pathname, headers: n.headers, payload: n.body });
      // A wrong key: the provider refuses, the error is logged — without the key.
      t.services.config.payment = {
        ...pay,
        alipay: { ...pay.alipay!, gateway: 'http://127.0.0.1:9/gateway.do' },
        wechat: { ...pay.wechat!, apiV3Key: 'x'.repeat(32) },
      };
      await t.app.inject({ method: 'POST', url: new URL(n.url).pathname, headers: n.headers, payload: n.body });
      const secrets: [string, string][] = [
        ['WeChat merchant key', pay.wechat!.privateKeyPem],
        ['Alipay app key', pay.alipay!.privateKeyPem],
        ['APIv3 key', pay.wechat!.apiV3Key],
      ];
      for (const [what, secret] of secrets) {
        const s = secret.replace(/-----[^-]+-----|\s/g, '');
        for (let i = 0; i + 24 <= s.length; i += 12)
          assert.equal(log.includes(s.slice(i, i + 24)), false, `the log contains the ${what}`);
      }
    } finally {
      t.services.config.payment = saved;
      await fake.close();
    }
  });

  it('gives a member everything held about them, with their own full numbers, and audits the export', async () => {
    const token = await t.login('dangyuan');
    // 陈志远's admission record: the link step 17 (接收预备党员) sets, on a demo 发展党员 person.
    const [person] = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`update develop_person set member_id = (select m.id from member m join app_user u on u.id = m.user_id where u.username = 'dangyuan')
          where id = (select id from develop_person order by created_at limit 1) returning id, name`,
    );
    assert.ok(person, 'the demo has 发展党员 records');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/personal-data',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /attachment/);
    const data = JSON.parse(res.body);
    assert.equal(data.account.username, 'dangyuan');
    assert.equal(data.member.profile.name, '陈志远');
    assert.match(data.member.profile.idCardNo, /^\d{17}[\dX]$/, 'their own ID number unmasked');
    assert.ok(data.member.meetings.length > 0, 'their meetings');
    assert.ok(data.member.dues.bills.length > 0, 'their dues bills');
    assert.equal(data.member.development?.id, person.id, 'their 发展党员 record');
    assert.ok(data.member.development.steps.length > 0, 'with its steps');
    assert.ok(
      data.member.dues.bills.every((b: { memberName: string }) => b.memberName === '陈志远'),
      'only their own bills',
    );
    const audit = await get('/audit?action=privacy.export', await adminToken(t));
    assert.ok(audit.body.items.some((e: { actorName: string }) => e.actorName === 'dangyuan'));
  });
});
