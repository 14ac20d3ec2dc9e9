/**
 * Outbound channels against local fakes that check every request the way the real services do:
 * group robots (企业微信, 钉钉 with 加签, 飞书 with signature), e-mail (an SMTP sink), SMS (Aliyun's
 * signature v1), integrators' webhooks (HMAC-SHA256 over timestamp + body); retries with backoff,
 * dead letters and resend, quiet hours, the delivery log and statistics, and the SSRF guard.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { systemActor, writeAudit } from '../../platform/audit';
import { queryRows } from '../../platform/db';
import {
  addressAllowed,
  checkOutboundUrl,
  guardedLookup,
  isBlockedAddress,
  postOutbound,
} from '../../platform/outbound';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { dingtalkSign, feishuSign, robotOutcome } from './channels/robots';
import { aliyunSignature, aliyunStringToSign, percentEncode } from './channels/sms';
import { verifyWebhook, webhookSignature } from './channels/webhook';
import { startWebhookReceiver, startSmtpSink } from './fake/receivers';
import { startFakeRobots, type FakeRobots } from './fake/robots';
import { startFakeSms } from './fake/sms';
import { notify, type NotifyInput } from './service';

describe('outbound address check (SSRF)', () => {
  it('blocks loopback, private, link-local, CGNAT, multicast and reserved addresses, in v4 and v6 forms', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::10.0.0.1',
    ])
      assert.equal(isBlockedAddress(ip), true, ip);
    for (const ip of ['8.8.8.8', '114.114.114.114', '172.32.0.1', '2400:3200::1', '::ffff:8.8.8.8'])
      assert.equal(isBlockedAddress(ip), false, ip);
  });

  it('lets the operator allow a host or a range (XF_OUTBOUND_ALLOW_PRIVATE), and nothing else', () => {
    const policy = { allow: ['127.0.0.1', '10.8.0.0/16', 'hooks.internal'] };
    assert.equal(addressAllowed('x', '127.0.0.1', policy), true);
    assert.equal(addressAllowed('x', '10.8.3.4', policy), true);
    assert.equal(addressAllowed('x', '10.9.3.4', policy), false);
    assert.equal(addressAllowed('hooks.internal', '10.9.3.4', policy), true, 'an allowed name may resolve anywhere');
    assert.equal(addressAllowed('x', '127.0.0.2', policy), false);
  });

  it('refuses URLs to private addresses, other schemes and credentials before connecting, in Chinese', () => {
    const none = { allow: [] };
    for (const bad of [
      'http://10.0.0.1/hook',
      'http://[::1]:8080/',
      'http://169.254.169.254/latest/meta-data',
      'http://localhost:3000/x',
      'ftp://example.com/',
      'https://user:pw@example.com/',
      'not a url',
      'http://0x7f000001/',
    ])
      assert.throws(
        () => checkOutboundUrl(bad, none),
        (e: Error & { code?: string }) => e.code === 'URL_NOT_ALLOWED' && /地址不可用/.test(e.message),
        bad,
      );
    assert.equal(checkOutboundUrl('https://example.com/hook', none).hostname, 'example.com');
  });

  it('checks the address a name resolves to at connection time (no DNS rebinding): a name resolving to loopback is refused', async () => {
    const look = (policy: { allow: string[] }) =>
      new Promise<string>((resolve) =>
        guardedLookup(policy)('localhost', { family: 0 }, (err, address) =>
          resolve(err ? String((err as NodeJS.ErrnoException).code) : String(address)),
        ),
      );
    assert.equal(await look({ allow: [] }), 'XF_BLOCKED');
    assert.match(await look({ allow: ['localhost'] }), /^(127\.0\.0\.1|::1)$/);
    // An address literal is checked before any connection is attempted.
    await assert.rejects(
      postOutbound('http://127.0.0.1:9/x', '{}', { policy: { allow: [] } }),
      /不能指向本机、内网或保留地址/,
    );
  });
});

describe('robot protocols', () => {
  it('signs DingTalk as base64(HmacSHA256(secret, timestamp\\n secret)) and Feishu keyed by timestamp\\n secret over ""', () => {
    // Worked examples computed independently with Python's hmac/hashlib/base64.
    assert.equal(dingtalkSign('1700000000000', 'SECabc'), 'jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=');
    assert.equal(feishuSign('1700000000', 'abc'), 'VIS10b0EBvzzSdFnuk4tznEmK5wHaruvf/WnViv2yR4=');
  });

  it('reads robot answers: 0 is sent, rate limits and 5xx are retried, bad keys and signatures are not', () => {
    const r = (provider: 'wecom' | 'dingtalk' | 'feishu', status: number, body: unknown) =>
      robotOutcome(provider, { status, text: JSON.stringify(body), durationMs: 1 });
    assert.deepEqual(r('wecom', 200, { errcode: 0, errmsg: 'ok' }), { ok: true });
    assert.deepEqual(r('feishu', 200, { code: 0, msg: 'success' }), { ok: true });
    assert.deepEqual(r('feishu', 200, { StatusCode: 0, StatusMessage: 'success' }), { ok: true });
    const limited = r('wecom', 200, { errcode: 45009, errmsg: 'api freq out of limit' });
    assert.equal(limited.ok || limited.retry, true);
    const sign = r('dingtalk', 200, { errcode: 310000, errmsg: 'sign not match' });
    assert.ok(!sign.ok && !sign.retry && /310000/.test(sign.message) && /签名/.test(sign.message));
    const fs = r('feishu', 200, { code: 19021, msg: 'sign match fail' });
    assert.ok(!fs.ok && !fs.retry && /19021/.test(fs.message));
    const down = r('dingtalk', 503, {});
    assert.ok(!down.ok && down.retry);
  });

  it('computes the Aliyun RPC signature v1 as the provider documents it', () => {
    assert.equal(percentEncode("a b*~!'()"), 'a%20b%2A~%21%27%28%29');
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
      OutId: '123',
    };
    // The worked example of Aliyun's SMS signature documentation.
    assert.equal(aliyunSignature('testSecret', aliyunStringToSign('GET', params)), 'zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('signs webhooks as sha256=HMAC(secret, timestamp.body) and a receiver refuses a changed body or an old timestamp', () => {
    const body = '{"kind":"meeting.publish"}';
    const now = 1_800_000_000_000;
    const headers = {
      'x-xf-timestamp': '1800000000',
      'x-xf-signature': webhookSignature('whsec_x', '1800000000', body),
    };
    assert.equal(verifyWebhook('whsec_x', headers, body, now), true);
    assert.equal(verifyWebhook('whsec_x', headers, body.replace('publish', 'cancel'), now), false);
    assert.equal(verifyWebhook('whsec_y', headers, body, now), false);
    assert.equal(verifyWebhook('whsec_x', headers, body, now + 301_000), false, 'older than 5 minutes');
  });
});

describe('notify channels end to end', () => {
  let t: TestApp;
  const { get, post, put, patch } = api(() => t);
  let fake: FakeRobots;
  let admin: string;
  let secretary: string;
  let branchId: string;
  let memberUserId: string;
  const sends: NotifyInput[] = [];
  /**
   * The robot posts of this file's own notices (all link to /meetings/abc): the scheduled morning sweeps (换届,
   * 发展党员, 流动党员) also post to the org's robots on days they have something due.
   */
  const ours = (token?: string) =>
    fake.received.filter((r) => JSON.stringify(r.body).includes('/meetings/abc') && (!token || r.token === token));
  const send = (over: Partial<NotifyInput> & { dedupeKey: string }) => {
    const input: NotifyInput = {
      tenantId: t.tenantId,
      kind: 'meeting.notice',
      recipients: { users: [memberUserId] },
      data: {
        title: '主题党日',
        orgName: '第一发电厂党支部',
        kindLabel: '主题党日',
        startsAt: '3月5日（周四）14:30',
        location: '三楼会议室',
      },
      link: '/meetings/abc',
      orgId: branchId,
      ...over,
    };
    sends.push(input);
    return t.services.db.transaction((tx) => notify(tx, input));
  };
  const deliveries = async () =>
    (await get('/notify/deliveries?pageSize=200', admin)).body.items as {
      id: string;
      channel: string;
      status: string;
      lastError: string | null;
      attempts: number;
      title: string;
      deadJobId: string | null;
      target: string;
    }[];
  const addRobot = async (body: Record<string, unknown>) => post(`/orgs/${branchId}/robots`, secretary, body);

  before(async () => {
    t = await startTestApp();
    fake = await startFakeRobots();
    t.services.config.notify.outboundAllow = ['127.0.0.1'];
    t.services.config.notify.publicUrl = 'https://dj.example.cn';
    [admin, secretary] = await signIn(t, 'admin', 'shuji');
    branchId = await t.orgId('第一发电厂党支部');
    [{ id: memberUserId }] = (await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'dangyuan'`,
    )) as [{ id: string }];
  });
  after(async () => {
    setClock(null);
    await fake.close();
    await t.close();
  });
  beforeEach(async () => {
    // Each test starts with no robots of the branch.
    await t.services.db.execute(sql`delete from notify_robot`);
    setClock(null);
  });

  it('posts a notice about an org to each of its robots once, signed as each provider requires, with a link into the app', async () => {
    const wecom = fake.robot('wecom');
    const ding = fake.robot('dingtalk');
    const feishu = fake.robot('feishu');
    for (const [provider, r] of [
      ['wecom', wecom],
      ['dingtalk', ding],
      ['feishu', feishu],
    ] as const) {
      const res = await addRobot({ provider, name: `${provider}群`, url: r.url, secret: r.secret, quietHours: null });
      assert.equal(res.status, 201, res.raw);
      assert.equal(res.body.hasSecret, Boolean(r.secret));
      assert.ok(!res.body.urlMasked.includes(r.token), 'the key is masked');
    }
    const before = ours().length;
    const result = await send({ dedupeKey: 'robots-1' });
    assert.equal(result.robots, 3);
    await t.services.jobs.settle();
    const got = ours().slice(before);
    assert.deepEqual(got.map((g) => g.provider).sort(), ['dingtalk', 'feishu', 'wecom']);
    assert.equal(fake.rejected.length, 0, JSON.stringify(fake.rejected));
    const w = got.find((g) => g.provider === 'wecom')!.body as { markdown: { content: string } };
    assert.match(w.markdown.content, /\*\*【会议通知】主题党日\*\*/);
    assert.match(w.markdown.content, /\[查看详情\]\(https:\/\/dj\.example\.cn\/meetings\/abc\)/);
    const d = got.find((g) => g.provider === 'dingtalk')!;
    assert.ok(d.query.timestamp && d.query.sign, 'DingTalk carries timestamp and sign in the URL');
    const f = got.find((g) => g.provider === 'feishu')!.body as { timestamp: string; sign: string; msg_type: string };
    assert.equal(f.msg_type, 'post');
    assert.ok(f.timestamp && f.sign);
    // Sending the same notice again posts nothing again.
    await send({ dedupeKey: 'robots-1' });
    await t.services.jobs.settle();
    assert.equal(ours().length - before, 3);
    const log = await deliveries();
    assert.equal(
      log.filter((x) => ['wecom', 'dingtalk', 'feishu'].includes(x.channel) && x.status === 'sent').length >= 3,
      true,
    );
  });

  it('records a robot that refuses our signature as failed with its error, dead-letters it at once, and resends it once the secret is fixed', async () => {
    const ding = fake.robot('dingtalk');
    const res = await addRobot({
      provider: 'dingtalk',
      name: '错密钥',
      url: ding.url,
      secret: `SEC${'0'.repeat(64)}`,
      quietHours: null,
    });
    const robotId = res.body.id as string;
    const rejectedBefore = fake.rejected.length;
    await send({ dedupeKey: 'badsign-1' });
    await t.services.jobs.settle();
    assert.equal(fake.rejected.length - rejectedBefore, 1, 'refused once, not retried');
    assert.equal(fake.rejected.at(-1)!.code, 310000);
    const row = (await deliveries()).find((x) => x.target === '错密钥')!;
    assert.equal(row.status, 'failed');
    assert.match(row.lastError!, /钉钉返回错误 310000：安全设置校验未通过/);
    assert.ok(row.deadJobId, 'a dead letter');
    const dead = await get('/notify/dead-letters', admin);
    assert.ok(
      dead.body.items.some((d: { id: string; what: string }) => d.id === row.deadJobId && /错密钥/.test(d.what)),
    );

    const fix = await patch(`/notify-robots/${robotId}`, secretary, { secret: ding.secret });
    assert.equal(fix.status, 200, fix.raw);
    const resend = await t.request({
      method: 'POST',
      url: `/api/v1/notify/dead-letters/${row.deadJobId}/resend`,
      token: admin,
    });
    assert.equal(resend.status, 204, resend.raw);
    await t.services.jobs.settle();
    const again = (await deliveries()).find((x) => x.id === row.id)!;
    assert.equal(again.status, 'sent');
    assert.equal(again.deadJobId, null);
    const twice = await t.request({
      method: 'POST',
      url: `/api/v1/notify/dead-letters/${row.deadJobId}/resend`,
      token: admin,
    });
    assert.equal(twice.status, 404, 'a sent message is no dead letter');
  });

  it('retries a robot that is down (HTTP 500) after a backoff, and sends once it is back', async () => {
    const wecom = fake.robot('wecom');
    await addRobot({ provider: 'wecom', name: '故障群', url: wecom.url, quietHours: null });
    fake.failNext(2, 502);
    const before = ours().length;
    await send({ dedupeKey: 'retry-1' });
    await t.services.jobs.settle();
    let row = (await deliveries()).find((x) => x.target === '故障群')!;
    assert.equal(row.status, 'retrying');
    assert.match(row.lastError!, /暂时不可用（HTTP 502）/);
    assert.equal(ours().length, before, 'not sent yet');
    // The clock moves past the first and second backoffs (30 s, 1 min).
    setClock(new Date(Date.now() + 31_000));
    await t.services.jobs.settle();
    setClock(new Date(Date.now() + 95_000));
    await t.services.jobs.settle();
    row = (await deliveries()).find((x) => x.target === '故障群')!;
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 3);
    assert.equal(ours().length - before, 1);
  });

  it("holds robot messages during the org's quiet hours until they end, but not urgent ones", async () => {
    const wecom = fake.robot('wecom');
    await addRobot({ provider: 'wecom', name: '夜间群', url: wecom.url, quietHours: { start: '22:00', end: '07:00' } });
    setClock('2026-12-03T23:30:00+08:00');
    const notices = () => ours(wecom.token).length;
    await send({ dedupeKey: 'quiet-1' });
    await send({ dedupeKey: 'quiet-2', urgent: true });
    await t.services.jobs.settle();
    assert.equal(notices(), 1, 'only the urgent one at night');
    const [held] = await queryRows<{ run_at: Date }>(
      t.services.db,
      sql`select j.run_at from job j join notify_delivery d on j.dedupe_key = 'deliver:' || d.id where d.dedupe_key like 'robot:%:quiet-1'`,
    );
    assert.equal(new Date(held!.run_at).toISOString(), '2026-12-03T23:00:00.000Z', '07:00 in Beijing');
    setClock('2026-12-04T07:00:30+08:00');
    await t.services.jobs.settle();
    assert.equal(notices(), 2);
  });

  it("refuses robot addresses that are not the provider's, not https, or private; and secrets of the wrong shape", async () => {
    t.services.config.notify.outboundAllow = [];
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { provider: 'wecom', name: 'x', url: 'https://evil.example.com/cgi-bin/webhook/send?key=1' },
        /企业微信机器人地址应为/,
      ],
      [
        { provider: 'dingtalk', name: 'x', url: 'http://oapi.dingtalk.com/robot/send?access_token=1' },
        /必须使用 https/,
      ],
      [
        { provider: 'feishu', name: 'x', url: 'http://127.0.0.1:1/open-apis/bot/v2/hook/abc' },
        /不能指向本机、内网或保留地址/,
      ],
      [{ provider: 'dingtalk', name: 'x', url: 'https://oapi.dingtalk.com/robot/send' }, /缺少 access_token/],
      [
        { provider: 'dingtalk', name: 'x', url: 'https://oapi.dingtalk.com/robot/send?access_token=1', secret: 'abc' },
        /SEC 开头/,
      ],
      [
        { provider: 'wecom', name: 'x', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1', secret: 'abc' },
        /企业微信群机器人没有加签密钥/,
      ],
    ];
    try {
      for (const [body, msg] of cases) {
        const res = await addRobot(body);
        assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.raw}`);
        assert.match(res.body.error.message, msg);
      }
      const ok = await addRobot({
        provider: 'feishu',
        name: '正式',
        url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc-123',
        secret: 'xyz',
      });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.urlMasked, 'https://open.feishu.cn/open-apis/bot/v2/hook/****-123');
      // Stored encrypted: neither the token nor the secret appears in the row.
      const [row] = await queryRows<{ url_enc: string; secret_enc: string }>(
        t.services.db,
        sql`select url_enc, secret_enc from notify_robot where id = ${ok.body.id}`,
      );
      assert.ok(!row!.url_enc.includes('abc-123') && !row!.secret_enc.includes('xyz'));
      assert.ok(row!.url_enc.startsWith('v2.'), 'sealed in the current format, bound to its row');
    } finally {
      t.services.config.notify.outboundAllow = ['127.0.0.1'];
    }
  });

  it("answers the test button with the robot's verdict and logs it", async () => {
    const feishu = fake.robot('feishu');
    const good = await addRobot({ provider: 'feishu', name: '测试群', url: feishu.url, secret: feishu.secret });
    const ok = await t.request({ method: 'POST', url: `/api/v1/notify-robots/${good.body.id}/test`, token: secretary });
    assert.equal(ok.body.ok, true, ok.raw);
    const bad = await addRobot({ provider: 'feishu', name: '坏测试群', url: feishu.url, secret: 'wrong' });
    const no = await t.request({ method: 'POST', url: `/api/v1/notify-robots/${bad.body.id}/test`, token: secretary });
    assert.equal(no.body.ok, false);
    assert.match(no.body.message, /飞书返回错误 19021/);
    const other = await t.login('shuji2');
    const foreign = await t.request({
      method: 'POST',
      url: `/api/v1/notify-robots/${good.body.id}/test`,
      token: other,
    });
    assert.equal(foreign.status, 404, "another branch's secretary does not see it");
  });

  it('e-mails users who turned e-mail on, through SMTP; a 5xx answer is permanent, a refused connection is retried', async () => {
    const sink = await startSmtpSink();
    let sinkOpen = true;
    t.services.config.notify.smtp = sink.config();
    try {
      const member = await t.login('dangyuan');
      const saved = await put('/me/notify-settings', member, {
        email: 'chenzy@example.cn',
        channels: { email: true, sms: false },
        quietHours: null,
        mutedKinds: [],
      });
      assert.equal(saved.status, 200, saved.raw);
      await send({ dedupeKey: 'mail-1', orgId: null });
      await t.services.jobs.settle();
      assert.equal(sink.messages.length, 1);
      const m = sink.messages[0]!;
      assert.deepEqual(m.to, ['chenzy@example.cn']);
      assert.match(
        m.raw,
        /Subject: =\?UTF-8\?B\?44CQ5Lya6K6u6YCa55\+l44CR5Li76aKY5YWa5pel\?=/,
        'the subject is the title, 【会议通知】主题党日',
      );
      const text = Buffer.from(
        /text\/plain[^]*?base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(m.raw)![1]!.replace(/\r\n/g, ''),
        'base64',
      ).toString('utf8');
      assert.match(text, /^第一发电厂党支部定于 3月5日（周四）14:30 在三楼会议室召开主题党日/);
      assert.match(text, /查看详情：https:\/\/dj\.example\.cn\/meetings\/abc/);
      const row = (await deliveries()).find((x) => x.channel === 'email')!;
      assert.equal(row.status, 'sent');
      assert.equal(row.target, 'c***@example.cn');

      sink.state.refuse = { code: 550, message: 'mailbox unavailable' };
      await send({ dedupeKey: 'mail-2', orgId: null });
      await t.services.jobs.settle();
      const refused = (await deliveries()).find((x) => x.channel === 'email' && x.status !== 'sent')!;
      assert.equal(refused.status, 'failed');
      assert.match(refused.lastError!, /邮件服务器拒收（550）/);

      sink.state.refuse = null;
      await sink.close();
      sinkOpen = false;
      await send({ dedupeKey: 'mail-3', orgId: null });
      await t.services.jobs.settle();
      const down = (await deliveries()).find((x) => x.channel === 'email' && x.status === 'retrying');
      assert.ok(down, 'the SMTP server being down is retried later');
      await put('/me/notify-settings', member, {
        email: null,
        channels: { email: false, sms: false },
        quietHours: null,
        mutedKinds: [],
      });
    } finally {
      t.services.config.notify.smtp = null;
      if (sinkOpen) await sink.close();
    }
  });

  it('texts users who turned SMS on through Aliyun, signed; a wrong key is refused by the provider and not retried', async () => {
    const sms = await startFakeSms();
    t.services.config.notify.sms = sms.config();
    try {
      const member = await t.login('dangyuan');
      const saved = await put('/me/notify-settings', member, {
        email: null,
        channels: { email: false, sms: true },
        quietHours: null,
        mutedKinds: [],
      });
      assert.equal(saved.status, 200, saved.raw);
      await send({ dedupeKey: 'sms-1', orgId: null });
      await t.services.jobs.settle();
      assert.equal(sms.sent.length, 1, JSON.stringify(sms.rejected));
      assert.match(sms.sent[0]!.phone, /^1[3-9]\d{9}$/);
      assert.equal(sms.sent[0]!.templateCode, 'SMS_000001');
      assert.equal(sms.sent[0]!.params.title, '【会议通知】主题党日');

      t.services.config.notify.sms = sms.config({ accessKeySecret: 'not-the-secret' });
      await send({ dedupeKey: 'sms-2', orgId: null });
      await t.services.jobs.settle();
      assert.deepEqual(
        sms.rejected.map((r) => r.code),
        ['SignatureDoesNotMatch'],
      );
      const row = (await deliveries()).find((x) => x.channel === 'sms' && x.status === 'failed')!;
      assert.match(row.lastError!, /阿里云短信返回 SignatureDoesNotMatch：签名校验失败/);
      await put('/me/notify-settings', member, {
        email: null,
        channels: { email: false, sms: false },
        quietHours: null,
        mutedKinds: [],
      }).catch(() => {});
    } finally {
      t.services.config.notify.sms = null;
      await sms.close();
    }
  });

  it("posts subscribed domain events to integrators' webhooks, signed; retries a 5xx; tests on demand", async () => {
    const rx = await startWebhookReceiver();
    try {
      const bad = await post('/notify/webhooks', admin, {
        name: 'x',
        url: 'http://10.1.1.1/hook',
        kinds: ['meeting.publish'],
      });
      assert.equal(bad.status, 400);
      const unknownKind = await post('/notify/webhooks', admin, { name: 'x', url: rx.url, kinds: ['auth.login'] });
      assert.equal(unknownKind.status, 400);
      const created = await post('/notify/webhooks', admin, {
        name: 'OA 系统',
        url: rx.url,
        kinds: ['meeting.publish'],
      });
      assert.equal(created.status, 201, created.raw);
      assert.match(created.body.secret, /^whsec_/);
      rx.state.secret = created.body.secret;
      const listed = await get('/notify/webhooks', admin);
      assert.equal(listed.body.items[0].secret, undefined, 'the secret is shown once only');

      await t.services.db.transaction(async (tx) => {
        await writeAudit(tx, systemActor(t.tenantId), {
          action: 'meeting.publish',
          entityType: 'meeting',
          entityId: 'm-1',
          after: { title: '主题党日' },
        });
        await writeAudit(tx, systemActor(t.tenantId), {
          action: 'member.update',
          entityType: 'member',
          entityId: 'p-1',
          after: {},
        });
      });
      await t.services.jobs.settle();
      assert.equal(rx.got.length, 1, 'only the subscribed kind');
      const got = rx.got[0]!;
      assert.equal(got.verified, true, 'the signature verifies with the secret');
      assert.equal(got.headers['x-xf-event'], 'meeting.publish');
      assert.equal(got.json.kind, 'meeting.publish');
      assert.equal(got.json.entityId, 'm-1');
      assert.deepEqual(got.json.data, { title: '主题党日' });

      rx.state.status = 503;
      await t.services.db.transaction((tx) =>
        writeAudit(tx, systemActor(t.tenantId), {
          action: 'meeting.publish',
          entityType: 'meeting',
          entityId: 'm-2',
          after: {},
        }),
      );
      await t.services.jobs.settle();
      let row = (await get(`/notify/deliveries?channel=webhook&endpointId=${created.body.id}`, admin)).body.items[0];
      assert.equal(row.status, 'retrying');
      assert.equal(row.responseStatus, 503);
      rx.state.status = 200;
      setClock(new Date(Date.now() + 31_000));
      await t.services.jobs.settle();
      row = (await get(`/notify/deliveries?channel=webhook&endpointId=${created.body.id}`, admin)).body.items[0];
      assert.equal(row.status, 'sent');
      assert.equal(
        rx.got.filter((g) => g.json.entityId === 'm-2').length,
        2,
        'the same delivery twice: first refused, then accepted',
      );
      assert.equal(
        new Set(rx.got.filter((g) => g.json.entityId === 'm-2').map((g) => g.headers['x-xf-delivery'])).size,
        1,
        'with one delivery id, so the receiver can drop repeats',
      );

      const test = await t.request({
        method: 'POST',
        url: `/api/v1/notify/webhooks/${created.body.id}/test`,
        token: admin,
      });
      assert.equal(test.body.ok, true, test.raw);
      assert.equal(rx.got.at(-1)!.json.kind, 'notify.test');
    } finally {
      await rx.close();
    }
  });

  it('counts sent, failed and read per channel', async () => {
    const stats = await get('/notify/stats', await t.login('shenji'));
    assert.equal(stats.status, 200);
    const by = Object.fromEntries(stats.body.items.map((i: { channel: string }) => [i.channel, i]));
    assert.ok(by.inapp.sent >= sends.length - 1);
    assert.equal(typeof by.inapp.read, 'number');
    assert.ok(by.wecom.sent >= 2);
    assert.ok(by.dingtalk.failed + by.dingtalk.sent >= 2);
    assert.ok(by.email.failed >= 1);
    assert.ok(by.webhook.sent >= 2);
    assert.equal(by.sms.failed, 1);
  });
});
