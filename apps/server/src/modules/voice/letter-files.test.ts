/**
 * 党务信箱: files on a letter's messages. A reply (or the writer's letter and follow-ups) may carry files, sealed
 * like the letter itself: the bytes in the file store and the file name are sealed to the file's row with the
 * installation's field key; only the letter's writer and its addressees fetch them — another member, the
 * secretary of another position, the org department, the admin and the auditor get 404; the audit log says that
 * a file was added, never its name.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { LETTER_FILE_MAX } from '@xianfeng/shared';
import { queryRows } from '../../platform/db';
import { fileStore } from '../../platform/files';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { download, memberAccounts } from './test-helpers';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);
// A minimal PDF whose text is easy to look for in the stored bytes.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% 物资领用台账 secret-marker-7731\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'utf8',
);

describe('党务信箱: sealed files on letters', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let dangyuan: string,
    jijian: string,
    shuji: string,
    shuji2: string,
    admin: string,
    zuzhibu: string,
    shenji: string,
    other: string;
  let branch: string;
  const upload = (messageId: string, token: string, data = PDF, name = '领用记录.pdf') => {
    const f = multipartFile(data, name);
    return t.request({
      method: 'POST',
      url: `/api/v1/voice-letter-messages/${messageId}/files`,
      token,
      body: f.body,
      headers: f.headers,
    });
  };
  const write = (subject: string) =>
    post('/voice/letters', dangyuan, {
      orgId: branch,
      position: '纪检委员',
      subject,
      body: '某班组长在物资领用中有不规范行为，请核实。',
    });

  before(async () => {
    t = await startTestApp();
    [dangyuan, jijian, shuji, shuji2] = await signIn(t, 'dangyuan', 'jijian', 'shuji', 'shuji2');
    [admin, zuzhibu, shenji] = await signIn(t, 'admin', 'zuzhibu', 'shenji');
    branch = await t.orgId('第一发电厂党支部');
    other = (await memberAccounts(t, '第一发电厂党支部', 'lfile', ['旁观党员']))[0]!.token;
  });
  after(() => t.close());

  it('lets the addressee attach a file to a reply that only the writer and the addressee fetch; sealed at rest; audit without the name', async () => {
    const sent = await write('反映物资领用问题');
    assert.equal(sent.status, 201, sent.raw);
    const id = sent.body.id as string;
    const replied = await post(`/voice-letters/${id}/messages`, jijian, { body: '已核实，处理情况见附件。' });
    assert.equal(replied.status, 200, replied.raw);
    const reply = replied.body.messages.at(-1);
    assert.equal(reply.side, 'reader', 'the last message is the reply');
    assert.equal(reply.canAttach, true, 'the replier may attach');
    assert.equal(replied.body.messages[0].canAttach, false, 'not to the writer’s message');

    const up = await upload(reply.id, jijian);
    assert.equal(up.status, 201, up.raw);
    assert.deepEqual(
      { ...up.body, id: undefined },
      { id: undefined, fileName: '领用记录.pdf', mime: 'application/pdf', size: PDF.length },
    );

    // The writer sees it under the reply and fetches the very bytes.
    const seen = await get(`/voice-letters/${id}`, dangyuan);
    assert.deepEqual(seen.body.messages.at(-1).files, [up.body]);
    assert.equal(seen.body.messages.at(-1).canAttach, false, 'the writer does not attach to the reply');
    const got = await download(t, `/api/v1/voice-letter-files/${up.body.id}`, dangyuan);
    assert.equal(got.status, 200);
    assert.ok(Buffer.from(got.body).equals(PDF), 'the writer gets the file as uploaded');
    assert.ok(
      Buffer.from((await download(t, `/api/v1/voice-letter-files/${up.body.id}`, jijian)).body).equals(PDF),
      'so does the addressee',
    );

    // Nobody else: another member of the branch, the branch's 书记 (the letter is to the 纪检委员), another
    // branch's secretary, the org department, the admin, the auditor.
    for (const [who, token] of Object.entries({ other, shuji, shuji2, zuzhibu, admin, shenji })) {
      const r = await download(t, `/api/v1/voice-letter-files/${up.body.id}`, token);
      assert.equal(r.status, 404, `${who} fetches the file → ${r.status}`);
      assert.ok(!r.text.includes('领用记录'), `${who}'s answer names the file`);
      assert.equal((await upload(reply.id, token)).status, 404, `${who} attaches to the reply`);
    }
    assert.equal(
      (await download(t, '/api/v1/voice-letter-files/00000000-0000-4000-8000-000000000000', dangyuan)).status,
      404,
    );

    // At rest: the name and the bytes are sealed to the row; the stored bytes hold nothing of the file.
    const [row] = await queryRows<{ file_name_enc: string; storage_key: string; sha256: string }>(
      t.services.db,
      sql`select file_name_enc, storage_key, sha256 from voice_letter_file where id = ${up.body.id}`,
    );
    assert.ok(row!.file_name_enc.startsWith('v2.') && !row!.file_name_enc.includes('领用'), 'the name is sealed');
    assert.ok(
      row!.storage_key.endsWith('.sealed') && !row!.storage_key.includes('.pdf'),
      'the key does not tell the type',
    );
    const stored = await fileStore(() => t.services.config.dataDir, t.services.config.s3).get(row!.storage_key);
    assert.ok(
      !stored.includes(Buffer.from('secret-marker-7731')) && !stored.includes(Buffer.from('%PDF')),
      'the bytes are sealed',
    );
    assert.equal(stored.length, PDF.length + 31, 'sealed: plain size + v2. + iv + tag');

    // The audit log: that a file was added to the letter, not its name nor the letter's words.
    const audit = await get('/audit?pageSize=50&entityType=voice_letter', admin);
    assert.equal(audit.status, 200, audit.raw);
    const entry = audit.body.items.find(
      (a: { action: string; entityId: string }) => a.action === 'voice.letter.file.add' && a.entityId === id,
    );
    assert.ok(entry, 'the upload is audited');
    for (const word of ['领用记录', '物资领用', '反映物资', 'application/pdf'])
      assert.ok(!audit.raw.includes(word), `the audit log shows ${word}`);
  });

  it('lets the writer attach to their own letter; refuses another’s message (403), wrong types (400), a sixth file (422) and after closing (409) in Chinese', async () => {
    const sent = await write('补充材料');
    const id = sent.body.id as string;
    const own = sent.body.messages[0];
    assert.equal(own.canAttach, true, 'the writer may attach to their letter');
    assert.equal((await upload(own.id, dangyuan, PNG, '现场照片.png')).status, 201);
    const theirs = await upload(own.id, jijian);
    assert.equal(theirs.status, 403, 'the addressee does not attach to the writer’s message');
    assert.match(theirs.body.error.message, /只能为自己写的回复添加附件/);
    const exe = await upload(own.id, dangyuan, Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), '工具.exe');
    assert.equal(exe.status, 400);
    assert.match(exe.body.error.message, /附件须为图片、PDF 或 Word\/Excel\/PowerPoint/);
    for (let i = 1; i < LETTER_FILE_MAX; i++)
      assert.equal((await upload(own.id, dangyuan, PNG, `第${i}张.png`)).status, 201, `file ${i + 1}`);
    const sixth = await upload(own.id, dangyuan, PNG, '多余.png');
    assert.equal(sixth.status, 422);
    assert.match(sixth.body.error.message, /每条回复最多 5 个附件/);
    const seen = await get(`/voice-letters/${id}`, jijian);
    assert.equal(seen.body.messages[0].files.length, LETTER_FILE_MAX, 'the addressee sees the writer’s files');
    assert.equal(seen.body.messages[0].files[0].fileName, '现场照片.png');

    const replied = await post(`/voice-letters/${id}/messages`, jijian, { body: '收到。' });
    assert.equal((await post(`/voice-letters/${id}/close`, jijian)).status, 200);
    const late = await upload(replied.body.messages.at(-1).id, jijian);
    assert.equal(late.status, 409);
    assert.match(late.body.error.message, /已办结/);
    const closed = await get(`/voice-letters/${id}`, jijian);
    assert.ok(
      closed.body.messages.every((m: { canAttach: boolean }) => !m.canAttach),
      'nothing attachable once closed',
    );
  });

  it('puts the file names of one’s own letters in one’s personal-data copy, not in anyone else’s', async () => {
    const sent = await write('个人信息副本');
    const up = await upload(sent.body.messages[0].id, dangyuan, PNG, '我的证据照片.png');
    assert.equal(up.status, 201, up.raw);
    const mine = await download(t, '/api/v1/me/personal-data', dangyuan);
    assert.equal(mine.status, 200);
    assert.ok(mine.text.includes('我的证据照片.png'), 'the writer’s copy lists the file');
    const theirs = await download(t, '/api/v1/me/personal-data', jijian);
    assert.ok(!theirs.text.includes('我的证据照片.png'), 'the addressee’s copy does not');
  });
});
