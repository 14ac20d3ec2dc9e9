/**
 * Files on the answer of an opinion (意见建议): the handling managers upload them through the platform's file
 * upload (same types and size limit as every attachment), at most OPINION_FILE_MAX, until the item is closed;
 * the submitter sees and fetches them once the item is answered — a member in the app, an anonymous member or an
 * employee with the 查询码; nobody else does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OPINION_FILE_MAX } from '@xianfeng/shared';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { download, memberAccounts } from './test-helpers';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);

describe('意见建议: files on the answer', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string, shuji2: string, dangyuan: string, other: string, branch: string;
  const upload = (id: string, token: string, data = PNG, name = '整改现场.png') => {
    const f = multipartFile(data, name);
    return t.request({
      method: 'POST',
      url: `/api/v1/voice-opinions/${id}/files`,
      token,
      body: f.body,
      headers: f.headers,
    });
  };
  const submit = (token: string, over: Record<string, unknown> = {}) =>
    post('/voice/opinions', token, {
      orgId: branch,
      category: 'suggestion',
      title: '建议更换会议室投影仪',
      body: '投影看不清。',
      ...over,
    });

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, dangyuan] = await signIn(t, 'shuji', 'shuji2', 'dangyuan');
    branch = await t.orgId('第一发电厂党支部');
    other = (await memberAccounts(t, '第一发电厂党支部', 'filer', ['旁观者']))[0]!.token;
  });
  after(() => t.close());

  it('shows the secretary’s file to the member once answered, to nobody else', async () => {
    const sent = await submit(dangyuan);
    assert.equal(sent.status, 201, sent.raw);
    const id = sent.body.id as string;
    const up = await upload(id, shuji);
    assert.equal(up.status, 201, up.raw);
    assert.equal(up.body.fileName, '整改现场.png');
    assert.equal(up.body.mime, 'image/png');
    assert.deepEqual(
      (await get(`/voice-opinions/${id}`, shuji)).body.answerFiles.map((f: { id: string }) => f.id),
      [up.body.id],
      'the handler sees it at once',
    );
    assert.deepEqual(
      (await get(`/voice-opinions/${id}`, dangyuan)).body.answerFiles,
      [],
      'not the member before the answer',
    );
    assert.equal((await download(t, `/api/v1/voice-opinion-files/${up.body.id}`, dangyuan)).status, 404);

    assert.equal(
      (await post(`/voice-opinions/${id}/answer`, shuji, { answer: '已更换新投影仪，见附件照片。' })).status,
      200,
    );
    const mine = await get(`/voice-opinions/${id}`, dangyuan);
    assert.deepEqual(mine.body.answerFiles, [
      { id: up.body.id, fileName: '整改现场.png', mime: 'image/png', size: PNG.length },
    ]);
    const got = await download(t, `/api/v1/voice-opinion-files/${up.body.id}`, dangyuan);
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(got.body), PNG);

    assert.equal(
      (await download(t, `/api/v1/voice-opinion-files/${up.body.id}`, other)).status,
      404,
      'another member of the branch',
    );
    assert.equal(
      (await download(t, `/api/v1/voice-opinion-files/${up.body.id}`, shuji2)).status,
      404,
      'another branch’s secretary',
    );
    assert.equal((await upload(id, dangyuan)).status, 403, 'the submitter does not add files to the answer');
    assert.equal((await upload(id, shuji2)).status, 404);
  });

  it('takes the platform’s file types only, at most five, until closed; refusals in Chinese', async () => {
    const sent = await submit(dangyuan, { title: '建议增加学习资料' });
    const id = sent.body.id as string;
    const exe = await upload(id, shuji, Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), '工具.exe');
    assert.equal(exe.status, 400);
    assert.match(exe.body.error.message, /附件须为图片、PDF 或 Word\/Excel\/PowerPoint/);
    for (let i = 0; i < OPINION_FILE_MAX; i++)
      assert.equal((await upload(id, shuji, PNG, `第${i + 1}张.png`)).status, 201);
    const sixth = await upload(id, shuji);
    assert.equal(sixth.status, 422);
    assert.match(sixth.body.error.message, /每条答复最多 5 个附件/);
    assert.equal((await post(`/voice-opinions/${id}/answer`, shuji, { answer: '已补充学习资料。' })).status, 200);
    assert.equal((await post(`/voice-opinions/${id}/close`, shuji, {})).status, 200);
    const closed = await upload(id, shuji);
    assert.equal(closed.status, 409);
    assert.match(closed.body.error.message, /已办结/);
  });

  it('lets an anonymous submitter fetch the answer’s file with the 查询码, and only that item’s', async () => {
    const sent = await submit(other, { anonymous: true, title: '匿名：建议公开党费使用' });
    assert.equal(sent.status, 201, sent.raw);
    const receipt = sent.body.receipt as string;
    const id = sent.body.id as string;
    const up = await upload(id, shuji, PNG, '党费使用公示.png');
    assert.equal(up.status, 201, up.raw);
    const early = await post(`/public/voice/receipt/files/${up.body.id}`, undefined, { receipt });
    assert.equal(early.status, 404, 'not before the answer');
    await post(`/voice-opinions/${id}/answer`, shuji, { answer: '已在支部公开栏公示，见附件。' });
    const view = await post('/public/voice/receipt', undefined, { receipt });
    assert.deepEqual(
      view.body.answerFiles.map((f: { fileName: string }) => f.fileName),
      ['党费使用公示.png'],
    );
    const got = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/voice/receipt/files/${up.body.id}`,
      payload: { receipt },
    });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.rawPayload, PNG);
    const wrong = await post(`/public/voice/receipt/files/${up.body.id}`, undefined, {
      receipt: 'ABCDEFGHJKMN',
    });
    assert.equal(wrong.status, 404);
    assert.match(wrong.body.error.message, /查询码不正确/);
    // Another item's file with this 查询码: nothing.
    const named = await submit(dangyuan, { title: '建议增加书架' });
    const foreign = await upload(named.body.id, shuji);
    await post(`/voice-opinions/${named.body.id}/answer`, shuji, { answer: '已增加。' });
    assert.equal((await post(`/public/voice/receipt/files/${foreign.body.id}`, undefined, { receipt })).status, 404);
  });
});
