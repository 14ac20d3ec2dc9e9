/**
 * Security review #14, finding 7: the demo accounts must not carry a published password, and a
 * server reachable from the network gets the demo only when asked for it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { boot } from '../boot';
import { DEMO_PASSWORD } from '../demo/seed';
import { loadConfig } from './config';

describe('demo defaults (security finding 7)', () => {
  it('fills a demo only on a loopback HOST unless XF_DEMO=1 is said out loud', () => {
    assert.equal(loadConfig({}).demo, true);
    assert.equal(loadConfig({ HOST: '127.0.0.1' }).demo, true);
    assert.equal(loadConfig({ HOST: '::1' }).demo, true);
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).demo, false);
    assert.equal(loadConfig({ HOST: '10.1.2.3' }).demo, false);
    assert.equal(loadConfig({ HOST: '0.0.0.0', XF_DEMO: '1' }).demo, true);
    assert.equal(loadConfig({ HOST: '127.0.0.1', XF_DEMO: '0' }).demo, false);
  });

  it('gives the demo accounts a random password per installation, printed at the first start, and not the published one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-demo-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      XF_DATA_DIR: dir,
      XF_WEB_DIST: '/nonexistent',
      XF_ADMIN_PASSWORD: 'Initial-Pass-1',
      XF_LOG_LEVEL: 'silent',
    };
    let running = await boot(env);
    try {
      const demo = running.logins.filter((l) => l.username !== 'admin');
      assert.ok(demo.length >= 5, 'the demo accounts are printed');
      const password = demo[0]!.password;
      assert.notEqual(password, DEMO_PASSWORD);
      assert.ok(demo.every((l) => l.password === password && /演示/.test(l.note ?? '')));
      const login = (pw: string) =>
        fetch(`${running.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'zuzhibu', password: pw }),
        });
      assert.equal((await login(DEMO_PASSWORD)).status, 401, 'the published password does not open the demo');
      assert.equal((await login(password)).status, 200);
      await running.close();
      // A restart does not print a password it no longer knows.
      running = await boot(env);
      assert.deepEqual(
        running.logins.filter((l) => l.username !== 'admin'),
        [],
      );
    } finally {
      await running.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
