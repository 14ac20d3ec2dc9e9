// @one-database: start-up messages; it boots on the embedded database either way (tools/test.mjs leaves it out of the PostgreSQL pass).
/**
 * Start-up warnings for the operator (issue 22): without XF_PUBLIC_URL the links in notices and the QR codes printed
 * on volunteer certificates point at http://HOST:PORT, which phones usually cannot open — start-up says so once, in
 * plain English, at level warn; with XF_PUBLIC_URL set it says nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { boot, startupWarnings } from '../boot';
import { loadConfig } from './config';

/** Boots a server on an empty data folder (no demo) and answers the JSON log lines it wrote. */
async function bootAndLog(extra: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-warn-'));
  const lines: { level: number; msg: string }[] = [];
  const logTo = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as { level: number; msg: string });
      done();
    },
  });
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    XF_DATA_DIR: dir,
    XF_WEB_DIST: '/nonexistent',
    XF_DEMO: '0',
    XF_ADMIN_PASSWORD: 'Initial-Pass-1',
    XF_LOG_LEVEL: 'info',
    ...extra,
  };
  const running = await boot(env, { logTo });
  try {
    return { running, lines };
  } finally {
    await running.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('start-up warnings', () => {
  it('warns once, in plain English, that XF_PUBLIC_URL is unset and where links and QR codes point instead', async () => {
    const { running, lines } = await bootAndLog({});
    const about = lines.filter((l) => l.msg.includes('XF_PUBLIC_URL'));
    assert.equal(about.length, 1, `logged once: ${JSON.stringify(lines.map((l) => l.msg))}`);
    assert.equal(about[0]!.level, 40, 'at level warn');
    assert.match(
      about[0]!.msg,
      /^XF_PUBLIC_URL is not set, .*QR codes .*http:\/\/127\.0\.0\.1:0.*Set XF_PUBLIC_URL to the address your users open/,
    );
    assert.deepEqual(running.warnings, [about[0]!.msg]);
  });

  it('says nothing about it when XF_PUBLIC_URL is set', async () => {
    const { running, lines } = await bootAndLog({ XF_PUBLIC_URL: 'https://dangjian.example.cn' });
    assert.deepEqual(running.warnings, []);
    assert.ok(
      !lines.some((l) => l.msg.includes('XF_PUBLIC_URL')),
      `no warning: ${JSON.stringify(lines.map((l) => l.msg))}`,
    );
    // A blank value is as good as none.
    assert.equal(startupWarnings({ XF_PUBLIC_URL: ' ' }, loadConfig({})).length, 1);
  });
});
