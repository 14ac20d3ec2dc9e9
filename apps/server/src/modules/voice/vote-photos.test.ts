/**
 * Votes: candidates' photos. A keeper of the vote's org uploads (or replaces) a candidate's photo while the vote
 * is a draft, through the platform's photo check; once published the photos are fixed. Whoever sees the vote
 * sees the photos (its readers; its audience once published) — nobody else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { fileStore } from '../../platform/files';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { download } from './test-helpers';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);
const HOUR = 3_600_000;

describe('votes: candidates’ photos', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string, shuji2: string, dangyuan: string, branch: string;
  const iso = (ms: number) => new Date(nowMs() + ms).toISOString();
  const upload = (id: string, token: string, data = PNG, name = '照片.png') => {
    const f = multipartFile(data, name);
    return t.request({
      method: 'POST',
      url: `/api/v1/voice-candidates/${id}/photo`,
      token,
      body: f.body,
      headers: f.headers,
    });
  };
  const create = (title: string) =>
    post('/voice/votes', shuji, {
      orgId: branch,
      kind: 'honour',
      title,
      maxChoices: 1,
      audienceRoles: ['member'],
      opensAt: iso(-HOUR),
      closesAt: iso(HOUR),
      candidates: [{ name: '王建华' }, { name: '李秀英' }, { name: '赵国强' }],
    });

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, dangyuan] = await signIn(t, 'shuji', 'shuji2', 'dangyuan');
    branch = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  it('takes a photo per candidate while the vote is a draft, shows it to the audience once published, to nobody else', async () => {
    const made = await create('优秀共产党员评选');
    assert.equal(made.status, 201, made.raw);
    const [first, second] = made.body.candidates as { id: string; photo: boolean }[];
    assert.ok(first && second && !first.photo, 'no photo at first');

    const up = await upload(first.id, shuji);
    assert.equal(up.status, 200, up.raw);
    assert.equal(up.body.photo, true);
    const seen = await get(`/voice-votes/${made.body.id}`, shuji);
    assert.deepEqual(
      seen.body.candidates.map((c: { photo: boolean }) => c.photo),
      [true, false, false],
    );
    const mine = await download(t, `/api/v1/voice-candidates/${first.id}/photo`, shuji);
    assert.equal(mine.status, 200);
    assert.ok(Buffer.from(mine.body).equals(PNG), 'the keeper sees the photo');
    assert.equal(
      (await download(t, `/api/v1/voice-candidates/${first.id}/photo`, dangyuan)).status,
      404,
      'a member: not before publishing',
    );

    const none = await get(`/voice-candidates/${second.id}/photo`, shuji);
    assert.equal(none.status, 404);
    assert.match(none.body.error.message, /该候选没有照片/);
    const notImage = await upload(second.id, shuji, Buffer.from('%PDF-1.4\n%%EOF\n'), '简历.pdf');
    assert.equal(notImage.status, 400);
    assert.match(notImage.body.error.message, /照片须为 JPEG、PNG、GIF 或 WebP/);
    assert.equal((await upload(second.id, dangyuan)).status, 403, 'a member does not upload');
    assert.equal((await upload(second.id, shuji2)).status, 404, 'another branch’s secretary');

    assert.equal((await post(`/voice-votes/${made.body.id}/publish`, shuji)).status, 200);
    const ballot = await get(`/voice-votes/${made.body.id}`, dangyuan);
    assert.equal(ballot.status, 200, ballot.raw);
    assert.equal(ballot.body.candidates[0].photo, true, 'the ballot shows it');
    const got = await download(t, `/api/v1/voice-candidates/${first.id}/photo`, dangyuan);
    assert.equal(got.status, 200, 'the audience sees the photo');
    assert.ok(Buffer.from(got.body).equals(PNG));
    assert.equal(
      (await download(t, `/api/v1/voice-candidates/${first.id}/photo`, shuji2)).status,
      404,
      'another branch’s secretary does not',
    );

    const late = await upload(second.id, shuji);
    assert.equal(late.status, 409);
    assert.match(late.body.error.message, /投票已发布，候选照片不能再更换/);

    const audit = await queryRows<{ action: string }>(
      t.services.db,
      sql`select action from audit_log where entity_id = ${made.body.id} and action = 'voice.vote.candidate.photo'`,
    );
    assert.equal(audit.length, 1, 'the upload is audited');
  });

  it('replaces a draft candidate’s photo and removes the old bytes', async () => {
    const made = await create('优秀党务工作者评选');
    const id = made.body.candidates[0].id as string;
    assert.equal((await upload(id, shuji)).status, 200);
    const [before] = await queryRows<{ photo_key: string }>(
      t.services.db,
      sql`select photo_key from voice_candidate where id = ${id}`,
    );
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const again = await upload(id, shuji, jpeg, '新照片.jpg');
    assert.equal(again.status, 200, again.raw);
    const [after] = await queryRows<{ photo_key: string; photo_mime: string }>(
      t.services.db,
      sql`select photo_key, photo_mime from voice_candidate where id = ${id}`,
    );
    assert.notEqual(after!.photo_key, before!.photo_key);
    assert.equal(after!.photo_mime, 'image/jpeg');
    const store = fileStore(() => t.services.config.dataDir, t.services.config.s3);
    await assert.rejects(store.get(before!.photo_key), 'the replaced photo’s bytes are gone');
    const got = await download(t, `/api/v1/voice-candidates/${id}/photo`, shuji);
    assert.ok(Buffer.from(got.body).equals(jpeg), 'the new photo is served');
  });
});
