import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileStore } from './files';
import { createHttp } from './http';
import { startTestApp } from '../testing/harness';

describe('file serving cannot be walked out of its folder (path traversal)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-files-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses storage keys that climb out of XF_DATA_DIR/files', async () => {
    const store = fileStore(() => root);
    await store.put('meeting/t/a.png', Buffer.from('ok'));
    assert.equal((await store.get('meeting/t/a.png')).toString(), 'ok');
    for (const key of ['../secret.key', 'meeting/../../secret.key', '/etc/passwd', '..'])
      await assert.rejects(store.get(key), /bad storage key/, key);
  });

  it('serves the web app but nothing beside it, however the path is spelled', async () => {
    const web = path.join(root, 'web');
    fs.mkdirSync(path.join(web, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>xf</title>');
    fs.writeFileSync(path.join(root, 'secret.key'), 'TOP-SECRET-KEY');
    const t = await startTestApp({ demo: false });
    const app = await createHttp({
      db: t.services.db,
      sessionPolicy: t.services.sessionPolicy,
      logLevel: 'silent',
      webDist: web,
    });
    await app.ready();
    try {
      for (const url of [
        '/../secret.key',
        '/..%2fsecret.key',
        '/assets/..%2f..%2fsecret.key',
        '/%2e%2e/secret.key',
        '/assets/%2e%2e%2f%2e%2e%2fsecret.key',
      ]) {
        const res = await app.inject({ method: 'GET', url });
        assert.ok(!res.body.includes('TOP-SECRET-KEY'), `${url} leaked the file`);
        assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
      }
      assert.match((await app.inject({ method: 'GET', url: '/some/client/route' })).body, /<title>xf<\/title>/);
    } finally {
      await app.close();
      await t.close();
    }
  });
});
