// @fixed-days: planning the next year from the cadence table (tools/test.mjs runs this file under each fixed clock).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import JSZip from 'jszip';
import { queryRows } from '../../platform/db';
import { fileStore, sniff } from '../../platform/files';
import { meetingFile } from './schema';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { accountFor } from '../../testing/accounts';
import { pdfText } from '../../testing/pdf';
import { checkinKey, issueCheckinToken } from './checkin';
import { now, nowMs, todayInChina } from '@xianfeng/shared';

const chinaYear = () => Number(todayInChina().slice(0, 4));

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const MIN = 60_000;
const iso = (ms: number) => new Date(nowMs() + ms).toISOString();

describe('组织生活: plan, notice, sign-in, minutes, 补学, 台账', () => {
  let t: TestApp;
  const { get, post, put, patch } = api(() => t);
  let admin: string;
  let shuji: string; // secretary of 第一发电厂党支部 (branch A)
  let shuji2: string; // secretary of 研发中心党支部 (branch B)
  let dangyuan: string; // member 陈志远 of branch A
  let branchA: string;
  let branchB: string;
  let selfId: string;
  let dataDir: string;
  const newMeeting = async (over: Record<string, unknown> = {}, token = shuji) => {
    const r = await post('/meetings', token, {
      orgId: branchA,
      kind: 'theme_day',
      title: '主题党日：重温入党誓词',
      startsAt: iso(-10 * MIN),
      endsAt: iso(80 * MIN),
      location: '党员活动室',
      ...over,
    });
    assert.equal(r.status, 201, r.raw);
    return r.body;
  };
  const auditCount = async (action: string, entityId: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${entityId}`,
      )
    )[0]!.n;
  const tokenFor = (meetingId: string, at = now()) =>
    issueCheckinToken(checkinKey(t.services.fieldCrypto), meetingId, at).token;

  before(async () => {
    t = await startTestApp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-meeting-'));
    t.services.config.dataDir = dataDir;
    [admin, shuji, shuji2, dangyuan] = await signIn(t, 'admin', 'shuji', 'shuji2', 'dangyuan');
    branchA = await t.orgId('第一发电厂党支部');
    branchB = await t.orgId('研发中心党支部');
    selfId = (await get('/members/me', dangyuan)).body.id;
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('meetings', () => {
    it('creates a meeting with the contract body and answers 201, audited in the same transaction', async () => {
      const m = await newMeeting();
      assert.equal(m.status, 'planned');
      assert.equal(m.orgName, '第一发电厂党支部');
      assert.equal(await auditCount('meeting.create', m.id), 1);
    });

    it('refuses a meeting that ends before it starts, in Chinese, and writes nothing', async () => {
      const before = (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from meeting`))[0]!.n;
      const r = await post('/meetings', shuji, {
        orgId: branchA,
        kind: 'committee',
        title: '支委会',
        startsAt: iso(2 * 3600_000),
        endsAt: iso(3600_000),
        location: '会议室',
      });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.code, 'MEETING_ENDS_BEFORE_START');
      assert.match(r.body.error.message, /结束时间须晚于开始时间/);
      const after = (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from meeting`))[0]!.n;
      assert.equal(after, before);
      const kind = await post('/meetings', shuji, {
        orgId: branchA,
        kind: 'picnic',
        title: 'x',
        startsAt: iso(0),
        endsAt: iso(MIN),
        location: 'x',
      });
      assert.equal(kind.status, 400);
      const group = await post('/meetings', shuji, {
        orgId: branchA,
        kind: 'group',
        title: '党小组会',
        startsAt: iso(0),
        endsAt: iso(MIN),
        location: 'x',
      });
      assert.equal(group.body.error.code, 'MEETING_KIND_NOT_FOR_ORG');
    });

    it("keeps branch B's meetings away from branch A's secretary: 403 to create, 404 to read", async () => {
      const b = await newMeeting({ orgId: branchB }, shuji2);
      assert.equal(
        (
          await post('/meetings', shuji, {
            orgId: branchB,
            kind: 'theme_day',
            title: 'x',
            startsAt: iso(0),
            endsAt: iso(MIN),
            location: 'x',
          })
        ).status,
        403,
      );
      for (const url of [
        `/api/v1/meetings/${b.id}`,
        `/api/v1/meetings/${b.id}/attendance`,
        `/api/v1/meetings/${b.id}/minutes`,
        `/api/v1/meetings/${b.id}/checkin-qr`,
      ])
        assert.equal((await t.request({ method: 'GET', url, token: shuji })).status, 404, url);
      assert.equal((await patch(`/meetings/${b.id}`, shuji, { title: '改' })).status, 404);
      assert.equal((await post(`/meetings/${b.id}/checkin`, shuji, { memberId: selfId })).status, 404);
      const list = await get(`/meetings?orgId=${branchB}`, shuji);
      assert.equal(list.status, 403);
      const own = await get('/meetings?pageSize=200', shuji);
      assert.ok(own.body.items.every((m: { orgId: string }) => m.orgId !== branchB));
      assert.ok(own.body.total >= own.body.items.length);
    });

    it('lists with paging and filters by kind and period', async () => {
      const r = await get(`/meetings?orgId=${branchA}&kind=committee&year=2026&pageSize=3`, admin);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length <= 3);
      assert.ok(r.body.items.every((m: { kind: string }) => m.kind === 'committee'));
      assert.equal((await get('/meetings?pageSize=500', admin)).status, 400);
    });

    it('moves a planned date, and refuses to move a held meeting or cancel it', async () => {
      const m = await newMeeting({ startsAt: iso(5 * 24 * 3600_000), endsAt: iso(5 * 24 * 3600_000 + 3600_000) });
      const moved = await patch(`/meetings/${m.id}`, shuji, {
        startsAt: iso(6 * 24 * 3600_000),
        endsAt: iso(6 * 24 * 3600_000 + 3600_000),
      });
      assert.equal(moved.status, 200, moved.raw);
      const bad = await patch(`/meetings/${m.id}`, shuji, { endsAt: iso(0) });
      assert.equal(bad.body.error.code, 'MEETING_ENDS_BEFORE_START');
      const heldOne = await newMeeting();
      const saved = await put(`/meetings/${heldOne.id}/minutes`, shuji, {
        host: '张建国',
        recorder: '李明',
        content: '集中学习了上级文件精神，党员交流发言。',
        attendees: [selfId],
      });
      assert.equal(saved.status, 200, saved.raw);
      assert.equal((await patch(`/meetings/${heldOne.id}`, shuji, { startsAt: iso(-20 * MIN) })).status, 409);
      assert.equal((await post(`/meetings/${heldOne.id}/cancel`, shuji, { reason: '取消' })).status, 409);
    });
  });

  describe('notice and answers', () => {
    let m: { id: string };
    before(async () => {
      m = await newMeeting({ startsAt: iso(2 * 24 * 3600_000), endsAt: iso(2 * 24 * 3600_000 + 2 * 3600_000) });
    });

    it("publishes the notice to the branch's members and the member sees it on the phone", async () => {
      const r = await post(`/meetings/${m.id}/publish`, shuji, {});
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.status, 'published');
      assert.ok(r.body.counts.invited >= 12);
      assert.equal(r.body.counts.pending, r.body.counts.invited);
      const mine = await get('/meeting-invitations/mine', dangyuan);
      assert.ok(mine.body.items.some((i: { meetingId: string }) => i.meetingId === m.id));
    });

    it('lets a member confirm, another ask for leave with a reason, and shows the secretary who has not answered', async () => {
      const mine = await get('/meeting-invitations/mine', dangyuan);
      const inv = mine.body.items.find((i: { meetingId: string }) => i.meetingId === m.id);
      const c = await post(`/meeting-invitations/${inv.id}/respond`, dangyuan, { response: 'confirmed' });
      assert.equal(c.status, 200, c.raw);
      assert.equal(c.body.response, 'confirmed');
      const pending = await get(`/meetings/${m.id}/attendance?filter=pending&pageSize=200`, shuji);
      assert.ok(!pending.body.items.some((i: { memberId: string }) => i.memberId === selfId));
      const other = pending.body.items[0];
      const noReason = await post(`/meeting-invitations/${other.id}/respond`, shuji, {
        response: 'leave',
      });
      assert.equal(noReason.status, 400);
      const leave = await post(`/meeting-invitations/${other.id}/respond`, shuji, {
        response: 'leave',
        reason: '出差在外',
      });
      assert.equal(leave.body.leaveReason, '出差在外');
      const all = await get(`/meetings/${m.id}/attendance`, shuji);
      assert.equal(all.body.summary.pending, all.body.summary.invited - 2);
      assert.equal(all.body.summary.leave, 1);
      // A member cannot answer for someone else.
      assert.equal(
        (await post(`/meeting-invitations/${other.id}/respond`, dangyuan, { response: 'confirmed' })).status,
        404,
      );
    });

    it('refuses a notice naming a member of another branch', async () => {
      const [outsider] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from member where org_id = ${branchB} limit 1`,
      );
      const r = await post(`/meetings/${m.id}/publish`, shuji, { memberIds: [selfId, outsider!.id] });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.code, 'MEMBER_NOT_IN_ORG');
    });

    it('invites the members of a joint org too, who answer through their own branch', async () => {
      // Held by someone with authority over both branches (see joint.test.ts for who may not).
      const joint = await newMeeting(
        {
          orgId: branchB,
          jointOrgIds: [branchA],
          startsAt: iso(3 * 24 * 3600_000),
          endsAt: iso(3 * 24 * 3600_000 + 3600_000),
        },
        admin,
      );
      assert.equal((await post(`/meetings/${joint.id}/publish`, admin, {})).status, 200);
      const mine = await get('/meeting-invitations/mine', dangyuan);
      const inv = mine.body.items.find((i: { meetingId: string }) => i.meetingId === joint.id);
      assert.ok(inv, 'the joint activity reaches the member of branch A');
      assert.equal(inv.meeting.orgName, '研发中心党支部');
      assert.equal(
        (await post(`/meeting-invitations/${inv.id}/respond`, dangyuan, { response: 'confirmed' })).status,
        200,
      );
    });
  });

  describe('sign-in', () => {
    it('signs a member in with the QR token from the venue screen, notes lateness, and is idempotent', async () => {
      const m = await newMeeting();
      const qr = await get(`/meetings/${m.id}/checkin-qr`, shuji);
      assert.equal(qr.status, 200, qr.raw);
      assert.match(qr.body.dataUrl, /^data:image\/png;base64,/);
      assert.match(qr.body.url, new RegExp(`/m/meetings/${m.id}/checkin\\?token=`));
      const first = await post(`/meetings/${m.id}/checkin`, dangyuan, { token: qr.body.token });
      assert.equal(first.status, 200, first.raw);
      assert.equal(first.body.memberId, selfId);
      assert.equal(first.body.late, true, 'ten minutes after the start is late');
      assert.equal(first.body.checkinMethod, 'qr');
      const again = await post(`/meetings/${m.id}/checkin`, dangyuan, { token: qr.body.token });
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.checkedInAt, first.body.checkedInAt);
      assert.equal(again.body.alreadySignedIn, true);
      assert.equal(await auditCount('meeting.checkin', first.body.id), 1);
    });

    it("refuses yesterday's, expired, forged and other meetings' tokens", async () => {
      const m = await newMeeting();
      const other = await newMeeting();
      const cases: [string, string][] = [
        [tokenFor(m.id, new Date(nowMs() - 24 * 3600_000)), 'CHECKIN_TOKEN_EXPIRED'],
        [tokenFor(m.id, new Date(nowMs() - 5 * MIN)), 'CHECKIN_TOKEN_EXPIRED'],
        [tokenFor(m.id).slice(0, -2) + 'AA', 'CHECKIN_TOKEN_INVALID'],
        ['v1.' + '0'.repeat(32) + '.abc.' + 'A'.repeat(22), 'CHECKIN_TOKEN_INVALID'],
        [tokenFor(other.id), 'CHECKIN_TOKEN_WRONG_MEETING'],
      ];
      for (const [token, code] of cases) {
        const r = await post(`/meetings/${m.id}/checkin`, dangyuan, { token });
        assert.equal(r.status, 400, `${code}: ${r.raw}`);
        assert.equal(r.body.error.code, code);
        assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
      }
      const n = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from meeting_attendance where meeting_id = ${m.id}`,
      );
      assert.equal(n[0]!.n, 0, 'nothing written');
    });

    it("refuses sign-in outside the meeting's window", async () => {
      const tomorrow = await newMeeting({ startsAt: iso(24 * 3600_000), endsAt: iso(25 * 3600_000) });
      const r = await post(`/meetings/${tomorrow.id}/checkin`, dangyuan, {
        token: tokenFor(tomorrow.id),
      });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.code, 'CHECKIN_OUTSIDE_WINDOW');
      const over = await newMeeting({ startsAt: iso(-3 * 3600_000), endsAt: iso(-2 * 3600_000) });
      assert.equal(
        (await post(`/meetings/${over.id}/checkin`, dangyuan, { token: tokenFor(over.id) })).body.error.code,
        'CHECKIN_OUTSIDE_WINDOW',
      );
    });

    it('checks the geofence when the venue has one', async () => {
      const m = await newMeeting({ venue: { lat: 39.9087, lng: 116.3975, radiusM: 200 } });
      const token = tokenFor(m.id);
      assert.equal(
        (await post(`/meetings/${m.id}/checkin`, dangyuan, { token })).body.error.code,
        'CHECKIN_LOCATION_REQUIRED',
      );
      const far = await post(`/meetings/${m.id}/checkin`, dangyuan, {
        token,
        lat: 39.9287,
        lng: 116.3975,
      });
      assert.equal(far.status, 422);
      assert.equal(far.body.error.code, 'CHECKIN_OUT_OF_RANGE');
      assert.match(far.body.error.message, /米/);
      const near = await post(`/meetings/${m.id}/checkin`, dangyuan, {
        token,
        lat: 39.9088,
        lng: 116.3976,
      });
      assert.equal(near.status, 200, near.raw);
    });

    it('lets the secretary sign in a member without a phone, but not a member of another branch', async () => {
      const m = await newMeeting();
      const r = await post(`/meetings/${m.id}/checkin`, shuji, { memberId: selfId });
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.checkinMethod, 'manual');
      const [outsider] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from member where org_id = ${branchB} limit 1`,
      );
      const no = await post(`/meetings/${m.id}/checkin`, shuji, { memberId: outsider!.id });
      assert.equal(no.status, 422);
      assert.equal(no.body.error.code, 'MEMBER_NOT_IN_ORG');
      // A member cannot sign in someone else by id.
      assert.equal((await post(`/meetings/${m.id}/checkin`, dangyuan, { memberId: selfId })).status, 403);
    });
    it("lets a 党小组 member sign in by QR to the branch's meeting, their own part in it, but nothing more", async () => {
      // A member's account is bound at their own org; for most members that is a 党小组 under the branch.
      const [g] = await queryRows<{ id: string; orgId: string }>(
        t.services.db,
        sql`update member set org_id = (select id from org where parent_id = ${branchA} and kind = 'group' order by name limit 1)
            where id = (select id from member where org_id = ${branchA} and user_id is null and left_at is null order by name limit 1)
            returning id, org_id as "orgId"`,
      );
      assert.ok(g?.orgId, 'a member moved into a 党小组 of branch A');
      const { token: grp } = await accountFor(t, admin, g.id, 'xiaozu1');
      const m = await newMeeting();
      const r = await post(`/meetings/${m.id}/checkin`, grp, { token: tokenFor(m.id) });
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.memberId, g.id);
      // Their own part only: the meeting itself, and signing in others, stay with the branch.
      assert.equal((await get(`/meetings/${m.id}`, grp)).status, 403);
      assert.equal((await post(`/meetings/${m.id}/checkin`, grp, { memberId: selfId })).status, 404);
      // A meeting of another branch is not theirs: 404, as if it did not exist.
      const b = await newMeeting({ orgId: branchB }, shuji2);
      assert.equal((await post(`/meetings/${b.id}/checkin`, grp, { token: tokenFor(b.id) })).status, 404);
    });
  });

  describe('minutes, photos, 补学 and the ledger', () => {
    let m: { id: string; title: string };
    let photoId: string;

    before(async () => {
      m = await newMeeting({ title: '十一月主题党日：学习全会精神', startsAt: iso(-30 * MIN), endsAt: iso(60 * MIN) });
      await post(`/meetings/${m.id}/publish`, shuji, {});
      const [someone] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from member where org_id = ${branchA} and id <> ${selfId} order by name limit 1`,
      );
      await post(`/meetings/${m.id}/checkin`, shuji, { memberId: someone!.id });
    });

    it('refuses minutes for a meeting that has not started', async () => {
      const later = await newMeeting({ startsAt: iso(3600_000), endsAt: iso(2 * 3600_000) });
      const r = await put(`/meetings/${later.id}/minutes`, shuji, {
        host: '张建国',
        recorder: '李明',
        content: '内容',
      });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.code, 'MEETING_NOT_STARTED');
      assert.equal((await get(`/meetings/${later.id}`, shuji)).body.status, 'planned');
    });

    it('records minutes with attendees from the sign-in and absentees with their reasons', async () => {
      const r = await put(`/meetings/${m.id}/minutes`, shuji, {
        host: '张建国',
        recorder: '李明',
        agenda: '重温入党誓词；集中学习',
        content: '集中学习了全会精神，党员交流发言。',
        resolutions: ['各党小组结合岗位开展学习'],
        absentReasons: { [selfId]: '值班' },
      });
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.present, 1);
      assert.equal(r.body.due, r.body.attendees.length + r.body.absentees.length);
      assert.equal(r.body.absentees.find((a: { memberId: string }) => a.memberId === selfId).reason, '值班');
      assert.equal((await get(`/meetings/${m.id}`, shuji)).body.status, 'held');
      assert.equal(await auditCount('meeting.minutes.create', m.id), 1);
    });

    it('stores a photo found to be an image by its bytes and serves it back only within scope', async () => {
      const up = await t.request({
        method: 'POST',
        url: `/api/v1/meetings/${m.id}/files?kind=photo`,
        token: shuji,
        ...multipartFile(PNG_1x1, '现场.png'),
      });
      assert.equal(up.status, 201, up.raw);
      photoId = up.body.id;
      // Kept re-encoded as JPEG (security finding 14.12), under the name it now has.
      assert.equal(up.body.mime, 'image/jpeg');
      assert.equal(up.body.fileName, '现场.jpg');
      const got = await t.app.inject({
        method: 'GET',
        url: `/api/v1/meeting-files/${photoId}`,
        headers: { authorization: `Bearer ${shuji}` },
      });
      assert.equal(got.statusCode, 200);
      assert.equal(got.headers['content-type'], 'image/jpeg');
      assert.deepEqual(sniff(got.rawPayload), { mime: 'image/jpeg', ext: '.jpg', image: true, width: 1, height: 1 });
      assert.equal((await get(`/meeting-files/${photoId}`, shuji2)).status, 404);
      const list = await get(`/meetings/${m.id}/files`, shuji);
      assert.equal(list.body.total, 1);
    });

    it('refuses a photo that is not an image, and uploads over 10 MB (50 MB too), writing nothing', async () => {
      const countFiles = async () =>
        (
          await queryRows<{ n: number }>(
            t.services.db,
            sql`select count(*)::int as n from meeting_file where meeting_id = ${m.id}`,
          )
        )[0]!.n;
      const before = await countFiles();
      const text = await t.request({
        method: 'POST',
        url: `/api/v1/meetings/${m.id}/files?kind=photo`,
        token: shuji,
        ...multipartFile(Buffer.from('这不是图片'), 'fake.jpg'),
      });
      assert.equal(text.status, 400);
      assert.equal(text.body.error.code, 'NOT_AN_IMAGE');
      for (const mb of [11, 50]) {
        const big = Buffer.alloc(mb * 1024 * 1024, 0);
        PNG_1x1.copy(big);
        const r = await t.request({
          method: 'POST',
          url: `/api/v1/meetings/${m.id}/files?kind=photo`,
          token: shuji,
          ...multipartFile(big, 'big.png'),
        });
        assert.equal(r.status, 413, `${mb} MB: ${r.raw}`);
        assert.equal(r.body.error.code, 'FILE_TOO_LARGE');
        assert.match(r.body.error.message, /10 MB/);
      }
      assert.equal(await countFiles(), before);
      const stored = fs.readdirSync(path.join(dataDir, 'files', 'meeting', t.tenantId));
      assert.equal(stored.length, before, 'no stray files on disk');
    });

    it('gives an absentee the materials and records their study with a reflection; the secretary sees it', async () => {
      const all = await get('/meeting-invitations/mine?filter=makeup&pageSize=100', dangyuan);
      const inv = all.body.items.find((i: { meetingId: string }) => i.meetingId === m.id);
      assert.ok(inv, 'the missed meeting is waiting for 补学');
      const detail = await get(`/meeting-invitations/${inv.id}`, dangyuan);
      assert.equal(detail.body.materials.content, '集中学习了全会精神，党员交流发言。');
      assert.equal(detail.body.materials.files.length, 1);
      const file = await t.app.inject({
        method: 'GET',
        url: detail.body.materials.files[0].url,
        headers: { authorization: `Bearer ${dangyuan}` },
      });
      assert.equal(file.statusCode, 200);
      assert.equal((await post(`/meeting-invitations/${inv.id}/makeup`, dangyuan, { reflection: '好' })).status, 400);
      const done = await post(`/meeting-invitations/${inv.id}/makeup`, dangyuan, {
        reflection: '认真学习了会议记录和全会精神，受到很大教育。',
      });
      assert.equal(done.status, 200, done.raw);
      assert.ok(done.body.makeupDoneAt);
      assert.equal(
        (
          await post(`/meeting-invitations/${inv.id}/makeup`, dangyuan, {
            reflection: '认真学习了会议记录和全会精神，受到很大教育。',
          })
        ).status,
        409,
      );
      // Sent again from the phone's offline queue (its first answer lost): the record, not a refusal.
      const resent = await post(`/meeting-invitations/${inv.id}/makeup`, dangyuan, {
        reflection: '离线时写的体会，联网后再发了一次。',
        queued: true,
      });
      assert.equal(resent.status, 200, resent.raw);
      assert.equal(resent.body.makeupDoneAt, done.body.makeupDoneAt);
      assert.equal(resent.body.makeupReflection, done.body.makeupReflection, 'the first confirmation stands');
      const seen = await get(`/meetings/${m.id}/attendance?filter=makeup_done`, shuji);
      assert.ok(seen.body.items.some((i: { memberId: string }) => i.memberId === selfId));
      assert.equal(seen.body.summary.makeupDone, 1);
      assert.equal(done.body.makeupOnBehalf, false, 'the member confirmed it themselves');
    });

    it('lets the secretary enter the 补学 of a member without a phone (代为填写), marked and audited with the reason', async () => {
      type Row = { id: string; memberId: string; checkedInAt: string | null };
      const pending = await get(`/meetings/${m.id}/attendance?filter=makeup_pending&pageSize=100`, shuji);
      const [shujiSelf] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select m.id from member m join app_user u on u.id = m.user_id where u.username = 'shuji'`,
      );
      const other = (pending.body.items as Row[]).find((i) => i.memberId !== selfId && i.memberId !== shujiSelf?.id)!;
      assert.ok(other, 'another absentee is waiting for 补学');
      const reflection = '电话里向支部书记讲了学习体会：要把全会精神落实到岗位上。';
      const body = { memberId: other.memberId, reflection, reason: '本人没有智能手机，电话口述代录' };
      // A member reaches neither another member's invitation nor the branch's entry.
      const viaMember = await post(`/meeting-invitations/${other.id}/makeup`, dangyuan, { reflection });
      assert.equal(viaMember.status, 404, viaMember.raw);
      assert.equal((await post(`/meetings/${m.id}/makeup`, dangyuan, body)).status, 403);
      assert.ok([403, 404].includes((await post(`/meetings/${m.id}/makeup`, shuji2, body)).status));
      // The member's own route does not record for another member: the entry says who entered it.
      const notSelf = await post(`/meeting-invitations/${other.id}/makeup`, shuji, { reflection });
      assert.equal(notSelf.status, 403, notSelf.raw);
      assert.equal(notSelf.body.error.code, 'MAKEUP_NOT_SELF');
      const noReason = await post(`/meetings/${m.id}/makeup`, shuji, { ...body, reason: '' });
      assert.equal(noReason.status, 400);
      assert.match(noReason.body.error.message, /代为填写的原因/);
      const attended = (await get(`/meetings/${m.id}/attendance?filter=signed_in`, shuji)).body.items[0] as Row;
      const already = await post(`/meetings/${m.id}/makeup`, shuji, {
        ...body,
        memberId: attended.memberId,
      });
      assert.equal(already.status, 409);
      assert.match(already.body.error.message, /该党员已参加本次会议/);

      const r = await post(`/meetings/${m.id}/makeup`, shuji, body);
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.memberId, other.memberId);
      assert.equal(r.body.makeupOnBehalf, true);
      assert.equal(r.body.makeupReflection, reflection);
      const [audit] = await queryRows<{ after: { reason: string; onBehalf: boolean } }>(
        t.services.db,
        sql`select after from audit_log where action = 'meeting.makeup.proxy' and entity_id = ${other.id}`,
      );
      assert.equal(audit?.after.reason, body.reason);
      assert.equal((await post(`/meetings/${m.id}/makeup`, shuji, body)).status, 409);
      // The member's record says so later.
      const record = await get(`/members/${other.memberId}/meetings?pageSize=100`, shuji);
      const row = record.body.items.find((i: { meetingId: string }) => i.meetingId === m.id);
      assert.equal(row.makeupOnBehalf, true);
    });

    it("shows the member's own participation record, and hides it from another branch's secretary", async () => {
      const me = await get(`/members/me/meetings?year=${chinaYear()}&pageSize=100`, dangyuan);
      assert.equal(me.status, 200);
      assert.ok(me.body.total >= 1);
      assert.ok(me.body.summary.attended >= 1);
      assert.ok(me.body.summary.madeUp >= 1);
      assert.equal((await get(`/members/${selfId}/meetings`, shuji)).status, 200);
      assert.equal((await get(`/members/${selfId}/meetings`, shuji2)).status, 404);
    });

    it('generates the 台账 .docx with the minutes, attendance and the photo', async () => {
      const y = chinaYear();
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/v1/orgs/${branchA}/meeting-ledger?year=${y}`,
        headers: { authorization: `Bearer ${shuji}` },
      });
      assert.equal(r.statusCode, 200, r.body);
      const zip = await JSZip.loadAsync(r.rawPayload);
      const xml = await zip.file('word/document.xml')!.async('string');
      const textOf = xml.replace(/<[^>]+>/g, '');
      assert.match(textOf, /第一发电厂党支部组织生活台账/);
      assert.ok(textOf.includes(m.title));
      assert.match(textOf, /应到 \d+ 人，实到 1 人/);
      assert.match(textOf, /集中学习了全会精神/);
      assert.match(textOf, /值班/);
      assert.ok(
        Object.keys(zip.files).some((f) => f.startsWith('word/media/')),
        'the photo is embedded',
      );
      assert.equal((await get(`/orgs/${branchB}/meeting-ledger?year=${y}`, shuji)).status, 404);
    });

    it('generates the PDF with a CJK font, or answers a clear 503 when none is installed', async () => {
      const y = chinaYear();
      const url = `/api/v1/orgs/${branchA}/meeting-ledger?year=${y}&month=${Number(todayInChina().slice(5, 7))}&format=pdf`;
      const saved = process.env.XF_CJK_FONT;
      process.env.XF_CJK_FONT = '/nonexistent/font.ttc';
      try {
        const r = await t.request({ method: 'GET', url, token: shuji });
        assert.equal(r.status, 503);
        assert.equal(r.body.error.code, 'PDF_FONT_MISSING');
      } finally {
        if (saved === undefined) delete process.env.XF_CJK_FONT;
        else process.env.XF_CJK_FONT = saved;
      }
      const { findCjkFont } = await import('./ledger');
      if (!findCjkFont()) return; // no CJK font on this machine: the 503 above is the answer
      const r = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${shuji}` } });
      assert.equal(r.statusCode, 200);
      assert.equal(r.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const text = pdfText(r.rawPayload);
      assert.match(text, /第一发电厂党支部组织生活台账/);
      assert.ok(text.includes(m.title), 'the meeting is in the PDF');
      assert.match(text, /集中学习了全会精神/);
    });

    it('lists a PNG of 8000 × 8000 pixels by name instead of decoding it into the 台账 (security finding 14.12)', async () => {
      // A small file (zeros compress well) that would decode to 256 MB of pixels in the PDF writer.
      const w = 8000;
      const h = 8000;
      const chunk = (type: string, data: Buffer) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(data.length);
        const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(zlib.crc32(body) >>> 0);
        return Buffer.concat([len, body, crc]);
      };
      const ihdr = Buffer.alloc(13);
      ihdr.writeUInt32BE(w, 0);
      ihdr.writeUInt32BE(h, 4);
      ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA: the PDF writer splits off the alpha channel, pixel by pixel
      const idat = zlib.deflateSync(Buffer.alloc((w * 4 + 1) * h), { level: 9 });
      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', ihdr),
        chunk('IDAT', idat),
        chunk('IEND', Buffer.alloc(0)),
      ]);
      // Uploading it is refused now (over PHOTO_MAX_INPUT_PIXELS, never decoded); one kept before that is still listed by name.
      const up = await t.request({
        method: 'POST',
        url: `/api/v1/meetings/${m.id}/files?kind=photo`,
        token: shuji,
        ...multipartFile(png, '巨幅.png'),
      });
      assert.equal(up.status, 422, up.raw);
      assert.equal(up.body.error.code, 'PHOTO_TOO_LARGE');
      await fileStore(() => dataDir).keep(
        'meeting',
        t.tenantId,
        { data: png, fileName: '巨幅.png' },
        sniff(png)!,
        (file) =>
          t.services.db
            .insert(meetingFile)
            .values({ ...file, tenantId: t.tenantId, meetingId: m.id, kind: 'photo', width: w, height: h }),
      );
      const y = chinaYear();
      const docx = await t.app.inject({
        method: 'GET',
        url: `/api/v1/orgs/${branchA}/meeting-ledger?year=${y}`,
        headers: { authorization: `Bearer ${shuji}` },
      });
      assert.equal(docx.statusCode, 200);
      const zip = await JSZip.loadAsync(docx.rawPayload);
      const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
      assert.equal(media.length, 1, 'only the small photo is embedded');
      const xml = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
      assert.match(xml, /巨幅\.png（图片尺寸过大，未嵌入/);
      const { findCjkFont } = await import('./ledger');
      if (!findCjkFont()) return;
      const pdf = await t.app.inject({
        method: 'GET',
        url: `/api/v1/orgs/${branchA}/meeting-ledger?year=${y}&month=${Number(todayInChina().slice(5, 7))}&format=pdf`,
        headers: { authorization: `Bearer ${shuji}` },
      });
      assert.equal(pdf.statusCode, 200);
      assert.match(pdfText(pdf.rawPayload), /巨幅\.png（图片尺寸过大/);
    });

    it('keeps a photo upright, at most 2048 px and without EXIF or GPS; a broken image is a 400 (security finding 14.12)', async () => {
      const sharp = (await import('sharp' as string)).default as (o: unknown) => {
        withExif(e: unknown): { jpeg(): { toBuffer(): Promise<Buffer> } };
        metadata(): Promise<{ width: number; height: number; exif?: Buffer }>;
      };
      const camera = await sharp({
        create: { width: 6000, height: 4000, channels: 3, background: { r: 200, g: 30, b: 30 } },
      })
        .withExif({
          IFD0: { Make: 'XianfengCam', Model: 'S-1' },
          IFD3: {
            GPSLatitudeRef: 'N',
            GPSLatitude: '39/1 54/1 27/1',
            GPSLongitudeRef: 'E',
            GPSLongitude: '116/1 23/1 30/1',
          },
        })
        .jpeg()
        .toBuffer();
      assert.ok((await sharp(camera).metadata()).exif, 'the upload carries EXIF');
      assert.ok(camera.includes(Buffer.from('XianfengCam')));
      const up = await t.request({
        method: 'POST',
        url: `/api/v1/meetings/${m.id}/files?kind=photo`,
        token: shuji,
        ...multipartFile(camera, 'IMG_0001.JPG'),
      });
      assert.equal(up.status, 201, up.raw);
      assert.deepEqual(
        [up.body.width, up.body.height, up.body.mime, up.body.fileName],
        [2048, 1365, 'image/jpeg', 'IMG_0001.jpg'],
      );
      const got = await t.app.inject({
        method: 'GET',
        url: `/api/v1/meeting-files/${up.body.id}`,
        headers: { authorization: `Bearer ${shuji}` },
      });
      const meta = await sharp(got.rawPayload).metadata();
      assert.deepEqual([meta.width, meta.height, meta.exif], [2048, 1365, undefined]);
      assert.ok(!got.rawPayload.includes(Buffer.from('Exif\0\0', 'latin1')), 'no EXIF segment');
      assert.ok(!got.rawPayload.includes(Buffer.from('XianfengCam')), 'no camera tag');
      assert.ok(got.rawPayload.length < camera.length);

      const broken = Buffer.concat([camera.subarray(0, 400), Buffer.alloc(2000, 0x55)]);
      const bad = await t.request({
        method: 'POST',
        url: `/api/v1/meetings/${m.id}/files?kind=photo`,
        token: shuji,
        ...multipartFile(broken, 'broken.jpg'),
      });
      assert.equal(bad.status, 400, bad.raw);
      assert.equal(bad.body.error.code, 'BAD_IMAGE');
      assert.match(bad.body.error.message, /无法读取该图片/);
    });
  });

  describe('yearly plan and talks', () => {
    it('plans next year from the cadence table, theme day on the fixed day, and does not duplicate on a second run', async () => {
      const year = chinaYear() + 1;
      const r = await post(`/orgs/${branchA}/meeting-plan`, shuji, { year, themeDay: 8 });
      assert.equal(r.status, 200, r.raw);
      // 4 general meetings + 12 committee + 12 theme days + 1 组织生活会 + 1 民主评议 + 12 for each of 2 party groups
      // (the secretary's yearly lecture is a local rule, not planned by default);
      // in December the demo's announced theme day of next January is already there (skipped, not doubled).
      assert.equal(r.body.created + r.body.skipped, 4 + 12 + 12 + 1 + 1 + 24);
      const again = await post(`/orgs/${branchA}/meeting-plan`, shuji, { year, themeDay: 8 });
      assert.deepEqual([again.body.created, again.body.skipped], [0, r.body.created + r.body.skipped]);
      const themeDays = await get(`/meetings?orgId=${branchA}&kind=theme_day&year=${year}&pageSize=50`, shuji);
      // Every month has a theme day, and the plan put one only in months that had none (on 31 December the
      // earlier tests' meetings "tomorrow" are already in next January).
      const monthOf = (d: { startsAt: string }) => todayInChina(new Date(d.startsAt)).slice(0, 7);
      const perMonth = new Map<string, number>();
      for (const d of themeDays.body.items) perMonth.set(monthOf(d), (perMonth.get(monthOf(d)) ?? 0) + 1);
      assert.equal(perMonth.size, 12);
      const planned = themeDays.body.items.filter((d: { title: string }) => d.title.endsWith('月主题党日'));
      for (const d of planned) {
        assert.equal(new Date(new Date(d.startsAt).getTime() + 8 * 3600_000).getUTCDate(), 8);
        assert.equal(perMonth.get(monthOf(d)), 1, `the plan doubled ${monthOf(d)}`);
      }
      assert.equal((await post(`/orgs/${branchB}/meeting-plan`, shuji, { year })).status, 404);
      const group = (await get(`/orgs?parentId=${branchA}`, shuji)).body.items[0].id;
      assert.equal((await post(`/orgs/${group}/meeting-plan`, shuji, { year })).status, 422);
    });

    it('never plans a second meeting of a kind in a period that already has one (a theme day set by hand)', async () => {
      const year = chinaYear() + 2;
      const own = await post('/meetings', shuji, {
        orgId: branchA,
        kind: 'theme_day',
        title: '六月主题党日：红色教育基地参观',
        startsAt: `${year}-06-20T06:30:00.000Z`,
        endsAt: `${year}-06-20T09:00:00.000Z`,
        location: '红色教育基地',
      });
      assert.equal(own.status, 201, own.raw);
      const r = await post(`/orgs/${branchA}/meeting-plan`, shuji, { year, themeDay: 8 });
      assert.equal(r.status, 200, r.raw);
      const themeDays = await get(`/meetings?orgId=${branchA}&kind=theme_day&year=${year}&pageSize=50`, shuji);
      assert.equal(themeDays.body.total, 12, 'one theme day a month, the hand-made June one included');
      const june = themeDays.body.items.filter(
        (d: { startsAt: string }) => todayInChina(new Date(d.startsAt)).slice(5, 7) === '06',
      );
      assert.deepEqual(
        june.map((d: { id: string }) => d.id),
        [own.body.id],
      );
    });

    it('records a talk with a member and lists it for the branch', async () => {
      const r = await post('/talks', shuji, {
        orgId: branchA,
        memberId: selfId,
        talker: '张建国',
        heldOn: '2026-01-05',
        topic: '思想工作情况',
        summary: '交流',
      });
      assert.equal(r.status, 201, r.raw);
      const future = await post('/talks', shuji, {
        orgId: branchA,
        memberId: selfId,
        talker: '张建国',
        heldOn: '2099-01-01',
        topic: '思想',
      });
      assert.equal(future.status, 422);
      const list = await get(`/talks?memberId=${selfId}`, shuji);
      assert.ok(list.body.items.some((i: { id: string }) => i.id === r.body.id));
      assert.equal((await get(`/talks?orgId=${branchB}`, shuji)).status, 403);
    });
  });
});
