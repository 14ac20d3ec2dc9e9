import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, multipartFile, startTestApp, type TestApp } from '../../testing/harness';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const iso = (ms: number) => new Date(nowMs() + ms).toISOString();

/** Issue 16 item 7: a wrongly uploaded meeting photo can be removed by the meeting's managers, audited. */
describe('removing a meeting photo', () => {
  let t: TestApp;
  const { get, post, del } = api(() => t);
  let dataDir: string;
  let shuji: string;
  let meetingId: string;

  before(async () => {
    t = await startTestApp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-files-'));
    t.services.config.dataDir = dataDir;
    shuji = await t.login('shuji');
    const branch = await t.orgId('第一发电厂党支部');
    const m = await post('/meetings', shuji, {
      orgId: branch,
      kind: 'theme_day',
      title: '主题党日',
      startsAt: iso(-30 * 60_000),
      endsAt: iso(60 * 60_000),
      location: '活动室',
    });
    meetingId = m.body.id;
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = async () => {
    const r = await t.request({
      method: 'POST',
      url: `/api/v1/meetings/${meetingId}/files?kind=photo`,
      token: shuji,
      ...multipartFile(PNG_1x1, '别的会议.png'),
    });
    assert.equal(r.status, 201, r.raw);
    return r.body.id as string;
  };
  const stored = () => fs.readdirSync(path.join(dataDir, 'files', 'meeting', t.tenantId)).length;

  it('lets the secretary delete a wrong photo: the row and the bytes go, the audit entry keeps name and hash', async () => {
    const id = await upload();
    const files = stored();
    const r = await t.request({
      method: 'DELETE',
      url: `/api/v1/meeting-files/${id}`,
      token: shuji,
      body: { reason: '传错了会议' },
    });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.fileName, '别的会议.jpg');
    assert.equal((await get(`/meetings/${meetingId}/files`, shuji)).body.total, 0);
    assert.equal((await get(`/meeting-files/${id}`, shuji)).status, 404);
    assert.equal(stored(), files - 1);
    const [audit] = await queryRows<{ before: { fileName: string; sha256: string }; after: { reason: string } }>(
      t.services.db,
      sql`select before, after from audit_log where action = 'meeting.file.delete' and entity_id = ${id}`,
    );
    assert.equal(audit!.before.fileName, '别的会议.jpg');
    assert.match(audit!.before.sha256, /^[0-9a-f]{64}$/);
    assert.equal(audit!.after.reason, '传错了会议');
  });

  it("answers 404 to another branch's secretary and 403 to a member; nothing is removed", async () => {
    const id = await upload();
    const other = await t.login('shuji2');
    assert.equal((await del(`/meeting-files/${id}`, other)).status, 404);
    const member = await t.login('dangyuan');
    assert.equal((await del(`/meeting-files/${id}`, member)).status, 403);
    assert.equal((await get(`/meetings/${meetingId}/files`, shuji)).body.total, 1);
  });
});
