/**
 * 志愿服务证明 (the volunteer e-certificate) through the real HTTP stack on the demo enterprise: 陈志远 downloads the
 * certificate of the demo's tree-planting day (the PDF read back: his name, the activity, the hours, the issuing org,
 * the serial, and a QR code that encodes the public check's URL); the public check answers without a login, masks
 * the name and says nothing else about him; no one else can download his certificate; a sign-up without hours has
 * none; a correction of the hours replaces the serial, so the old certificate no longer verifies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CERTIFICATE_SERIAL_RE } from '@xianfeng/shared';
import zlib from 'node:zlib';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';
import { pdfStreams, pdfText } from '../../testing/pdf';
import { findCjkFont } from '../../platform/pdf';
import { certificateQr, hoursText } from './certificate';
import { newCertificateSerial } from './service';

type Signup = {
  id: string;
  activityTitle: string;
  minutes: number | null;
  state: string;
  certificateSerial: string | null;
};

describe('volunteer e-certificate (志愿服务证明)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let chen: string;
  let planting: Signup;

  before(async () => {
    t = await startTestApp();
    chen = await t.login('dangyuan');
    const mine = await get('/volunteer/mine?pageSize=200', chen);
    assert.equal(mine.status, 200, mine.raw);
    const found = (mine.body.items as Signup[]).find((s) => s.activityTitle === '“共建绿色家园”义务植树');
    assert.ok(found, `the demo's tree-planting sign-up of 陈志远 is there: ${mine.raw}`);
    planting = found;
  });
  after(() => t.close());
  let adminTok: string | undefined;
  /** The admin's token (the first login changes the password, so once per app). */
  const admin = async () => (adminTok ??= await adminToken(t));

  const download = (signupId: string, token: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/volunteer-signups/${signupId}/certificate`,
      headers: { authorization: `Bearer ${token}` },
    });
  const check = (serial: string) => get(`/public/volunteer-certificates/${encodeURIComponent(serial)}`);

  it('gives hours recorded a serial of the published form', () => {
    assert.ok(planting.minutes && planting.minutes > 0, `hours recorded: ${planting.minutes}`);
    assert.match(planting.certificateSerial ?? '', CERTIFICATE_SERIAL_RE);
    const many = new Set(Array.from({ length: 2000 }, newCertificateSerial));
    assert.equal(many.size, 2000, 'serials do not repeat');
    for (const s of many) assert.match(s, CERTIFICATE_SERIAL_RE);
  });

  it('lets the member download a PDF naming him, the activity, the hours, the issuer, the serial, with a QR code of the check', async () => {
    if (!findCjkFont()) {
      const r = await download(planting.id, chen);
      assert.equal(r.statusCode, 503, 'no CJK font on this machine: a clear 503');
      return;
    }
    const r = await download(planting.id, chen);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/pdf');
    assert.match(String(r.headers['content-disposition']), /^attachment; filename\*=UTF-8''/);
    const pdf = r.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdfText(pdf).replace(/\n/g, '');
    const serial = planting.certificateSerial!;
    for (const part of [
      '志愿服务证明',
      '陈志远',
      '“共建绿色家园”义务植树',
      '华夏能源集团党委',
      serial,
      hoursText(planting.minutes!),
      '特此证明',
    ])
      assert.ok(text.includes(part), `the certificate says ${part}: ${text}`);
    const url = `${t.services.config.notify.publicUrl}/verify/volunteer/${serial}`;
    assert.ok(text.includes(url), `the check's URL is printed: ${url}`);
    // The QR code: the PNG of the check URL's code is embedded as it is (its IDAT data is one of the PDF's streams).
    const idatOf = idat;
    const streams = pdfStreams(pdf);
    const right = idatOf(await certificateQr(url));
    const wrong = idatOf(await certificateQr(`${url}X`));
    assert.ok(
      streams.some((s) => s.equals(right)),
      'the embedded QR image is the code of the check URL',
    );
    assert.ok(!streams.some((s) => s.equals(wrong)), 'and not of another URL');
  });

  it('answers the public check without a login: genuine, what it certifies, the name masked and nothing else about him', async () => {
    const serial = planting.certificateSerial!;
    const r = await check(serial.toLowerCase());
    assert.equal(r.status, 200, r.raw);
    assert.deepEqual(Object.keys(r.body).sort(), [
      'activityTitle',
      'endsAt',
      'genuine',
      'issuer',
      'memberName',
      'minutes',
      'serial',
      'startsAt',
    ]);
    assert.equal(r.body.genuine, true);
    assert.equal(r.body.serial, serial);
    assert.equal(r.body.memberName, '陈**');
    assert.equal(r.body.minutes, planting.minutes);
    assert.equal(r.body.issuer, '华夏能源集团党委');
    assert.ok(!r.raw.includes('陈志远') && !r.raw.includes('第一发电厂'), `no full name, no org of his: ${r.raw}`);
    const unknown = await check('ZYFW-0000-0000-0000');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /未找到这个编号的志愿服务证明/);
    const malformed = await check('12345');
    assert.equal(malformed.status, 400);
    assert.match(malformed.raw, /证书编号格式不正确/);
  });

  it('lets no one else download his certificate: another member, his 书记, the 组织部 — all 404', async () => {
    for (const who of ['jijian', 'shuji', 'zuzhibu', 'admin'] as const) {
      const token = who === 'admin' ? await admin() : await t.login(who);
      const r = await download(planting.id, token);
      assert.equal(r.statusCode, 404, `${who}: ${r.body}`);
      assert.ok(!r.body.includes('陈志远'), `${who} learns nothing`);
    }
  });

  it('has no certificate for a sign-up without hours', async () => {
    const mine = await get('/volunteer/mine?pageSize=200', chen);
    const waiting = (mine.body.items as Signup[]).find((s) => s.minutes === null && s.state === 'signed_up');
    assert.ok(waiting, `陈志远 has a sign-up without hours in the demo: ${mine.raw}`);
    assert.equal(waiting.certificateSerial, null);
    const r = await download(waiting.id, chen);
    assert.equal(r.statusCode, findCjkFont() ? 422 : 503, r.body);
    if (findCjkFont()) assert.match(JSON.parse(r.body).error.message, /还没有记录服务时长/);
  });

  it('replaces the serial when the hours are corrected: the old certificate no longer verifies, the new one does', async () => {
    const zuzhibu = await t.login('zuzhibu');
    const old = planting.certificateSerial!;
    const c = await post(`/volunteer-signups/${planting.id}/correction`, zuzhibu, {
      minutes: 150,
      reason: '中途离场半小时，按实际更正',
    });
    assert.equal(c.status, 200, c.raw);
    assert.match(c.body.certificateSerial, CERTIFICATE_SERIAL_RE);
    assert.notEqual(c.body.certificateSerial, old);
    assert.equal((await check(old)).status, 404, 'the old serial no longer verifies');
    const fresh = await check(c.body.certificateSerial);
    assert.equal(fresh.status, 200, fresh.raw);
    assert.equal(fresh.body.minutes, 150);
  });

  // ---- the yearly certificate (年度志愿服务证明) ----
  const beijingYear = (iso: string) => Number(new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 4));
  const issueYear = (token: string | undefined, body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/volunteer/year-certificate',
      payload: body as object,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const yearSerial = (pdf: Buffer) => pdfText(pdf).match(/ZYND-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)?.[0];
  let yearly: { year: number; serial: string; lines: (Signup & { startsAt: string })[] };

  it('puts all of a member’s hours of one year on one PDF (the yearly certificate), with a QR code of the public check', async () => {
    const zuzhibu = await t.login('zuzhibu');
    // A second activity with hours: his sign-up at the activity under way (the demo's) gets 90 minutes by correction.
    const before = await get('/volunteer/mine?pageSize=200', chen);
    const waiting = (before.body.items as Signup[]).find((s) => s.minutes === null && s.state === 'signed_up');
    assert.ok(waiting, `陈志远 has a sign-up without hours at the activity under way: ${before.raw}`);
    const c = await post(`/volunteer-signups/${waiting.id}/correction`, zuzhibu, {
      minutes: 90,
      reason: '现场未扫码，按签到表登记',
    });
    assert.equal(c.status, 200, c.raw);
    const mine = await get('/volunteer/mine?pageSize=200', chen);
    const items = mine.body.items as (Signup & { startsAt: string })[];
    const planted = items.find((s) => s.id === planting.id)!;
    const year = beijingYear(planted.startsAt);
    const lines = items.filter((s) => s.minutes && s.state !== 'cancelled' && beijingYear(s.startsAt) === year);
    assert.ok(lines.length >= 1, `hours that year: ${mine.raw}`);
    const total = lines.reduce((n, s) => n + s.minutes!, 0);
    if (!findCjkFont()) {
      assert.equal((await issueYear(chen, { year })).statusCode, 503, 'no CJK font on this machine: a clear 503');
      return;
    }
    const r = await issueYear(chen, { year });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/pdf');
    const text = pdfText(r.rawPayload).replace(/\n/g, '');
    const serial = yearSerial(r.rawPayload);
    assert.ok(serial, `the yearly certificate has a ZYND serial: ${text}`);
    assert.match(serial, CERTIFICATE_SERIAL_RE);
    for (const part of [
      `${year}年度志愿服务证明`,
      '陈志远',
      `参加志愿服务活动 ${lines.length} 次`,
      `累计服务时长 ${hoursText(total)}`,
      ...lines.map((s) => s.activityTitle),
      '特此证明',
    ])
      assert.ok(text.includes(part), `the yearly certificate says ${part}: ${text}`);
    const url = `${t.services.config.notify.publicUrl}/verify/volunteer/${serial}`;
    assert.ok(text.includes(url), `the check's URL is printed: ${url}`);
    const right = await certificateQr(url);
    assert.ok(
      pdfStreams(r.rawPayload).some((st) => st.equals(idat(right))),
      'the embedded QR image is the code of the check URL',
    );
    const again = await issueYear(chen, { year });
    assert.equal(yearSerial(again.rawPayload), serial, 'the same hours give the same certificate again');
    yearly = { year, serial, lines };
    // The certificates issued are the member's data: in his personal-data copy (PIPL), with each activity's serial.
    const copy = await post('/me/personal-data', chen, {});
    assert.equal(copy.status, 200, copy.raw);
    const vol = JSON.parse(copy.raw).member.volunteer as {
      yearCertificates: { year: number; serial: string; minutes: number }[];
      signups: { certificateSerial: string | null }[];
    };
    assert.deepEqual(
      vol.yearCertificates.map((c) => [c.year, c.serial, c.minutes]),
      [[year, serial, total]],
      `the yearly certificate in the copy: ${copy.raw.slice(0, 400)}`,
    );
    assert.ok(
      vol.signups.some((s) => s.certificateSerial === planted.certificateSerial),
      'the one-activity serials too',
    );
  });

  /** Without a CJK font no yearly certificate is drawn (a 503, checked above): there is none to check or void. */
  const noYearly = !findCjkFont() && 'no CJK font on this machine: no yearly certificate was issued';

  it('answers the public check of a yearly serial: the year, the total, the activities, the name masked', async (ctx) => {
    if (noYearly) return ctx.skip(noYearly);
    assert.ok(yearly, 'the yearly certificate was issued (the test before)');
    const r = await check(yearly.serial.toLowerCase());
    assert.equal(r.status, 200, r.raw);
    assert.deepEqual(Object.keys(r.body).sort(), [
      'activities',
      'genuine',
      'issuedOn',
      'kind',
      'memberName',
      'minutes',
      'serial',
      'year',
    ]);
    assert.equal(r.body.kind, 'year');
    assert.equal(r.body.memberName, '陈**');
    assert.equal(r.body.year, yearly.year);
    assert.equal(
      r.body.minutes,
      yearly.lines.reduce((n, s) => n + s.minutes!, 0),
    );
    assert.deepEqual(
      (r.body.activities as { activityTitle: string }[]).map((a) => a.activityTitle).sort(),
      yearly.lines.map((s) => s.activityTitle).sort(),
    );
    assert.ok(!r.raw.includes('陈志远'), `no full name: ${r.raw}`);
    assert.equal((await check('ZYND-0000-0000-0000')).status, 404, 'an unknown yearly serial is not found');
  });

  it('voids a yearly certificate when one of its activities’ hours is corrected; issuing again gives a new serial', async (ctx) => {
    if (noYearly) return ctx.skip(noYearly);
    assert.ok(yearly, 'the yearly certificate was issued (the tests before)');
    const zuzhibu = await t.login('zuzhibu');
    const c = await post(`/volunteer-signups/${yearly.lines[0]!.id}/correction`, zuzhibu, {
      minutes: 60,
      reason: '核对签到表后更正为 1 小时',
    });
    assert.equal(c.status, 200, c.raw);
    const old = await check(yearly.serial);
    assert.equal(old.status, 404, `the old yearly certificate no longer verifies: ${old.raw}`);
    const r = await issueYear(chen, { year: yearly.year });
    assert.equal(r.statusCode, 200, r.body);
    const serial = yearSerial(r.rawPayload);
    assert.ok(serial && serial !== yearly.serial, `a new serial: ${serial}`);
    const fresh = await check(serial);
    assert.equal(fresh.status, 200, fresh.raw);
    assert.equal(fresh.body.minutes, yearly.lines.reduce((n, s) => n + s.minutes!, 0) - yearly.lines[0]!.minutes! + 60);
  });

  it('refuses a yearly certificate with a clear message: a bad year, someone else’s member id, a year without hours, an account without a member record', async () => {
    const wrong: string[] = [];
    const expect = async (who: string, token: string | undefined, body: unknown, status: number, message?: RegExp) => {
      const r = await issueYear(token, body);
      if (r.statusCode !== status && !(r.statusCode === 503 && status === 422 && !findCjkFont()))
        wrong.push(`${who} → ${r.statusCode} (want ${status}) ${r.body.slice(0, 160)}`);
      else if (message && r.statusCode === status && !message.test(JSON.parse(r.body).error.message))
        wrong.push(`${who}: message ${r.body.slice(0, 160)}`);
    };
    await expect('no year', chen, {}, 400, /请选择年份/);
    await expect('year 1999', chen, { year: 1999 }, 400, /2000～2100/);
    await expect('a year as text', chen, { year: '2026' }, 400);
    await expect(
      'another member’s id',
      chen,
      { year: yearly?.year ?? 2026, memberId: '00000000-0000-0000-0000-000000000000' },
      400,
    );
    await expect('a year without hours', chen, { year: (yearly?.year ?? 2026) - 5 }, 422, /没有记录服务时长/);
    await expect(
      'the 系统管理员 (no member record)',
      await admin(),
      { year: yearly?.year ?? 2026 },
      422,
      /没有关联党员档案/,
    );
    await expect('no login', undefined, { year: 2026 }, 401);
    assert.deepEqual(wrong, []);
  });
});

/** The inflated image data (IDAT) of a PNG: what pdfkit embeds of it. */
function idat(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  return zlib.inflateSync(Buffer.concat(parts));
}
