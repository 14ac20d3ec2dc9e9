/**
 * `XF_WORKERS=2 npm start` (issue 26): two workers on one port and one PostgreSQL; a worker that dies is replaced
 * while the other keeps answering; SIGTERM stops them all cleanly. Needs PostgreSQL (XF_TEST_PG_URL).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { workersWanted } from './cluster';
import { DEMO_PASSWORD } from './demo/seed';
import { freshPostgres } from './testing/harness';
import { api, login, startServer, type ServerProcess } from './testing/serverProcess';

/** GET on a new connection each time, so the primary hands each one to the next worker. */
const freshGet = (url: string) =>
  new Promise<number>((resolve) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', () => resolve(0));
  });

const ready = (s: ServerProcess) => [...s.output().matchAll(/Worker \d+: pid (\d+) 已就绪/g)].map((m) => Number(m[1]));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('XF_WORKERS: the settings it refuses', () => {
  it('needs a whole number from 1 to 64, and PostgreSQL for more than one', () => {
    assert.equal(workersWanted({}), 1);
    assert.equal(workersWanted({ XF_WORKERS: '4', DATABASE_URL: 'postgres://x' }), 4);
    for (const bad of ['0', '65', '1.5', 'two'])
      assert.throws(() => workersWanted({ XF_WORKERS: bad, DATABASE_URL: 'postgres://x' }), /1 到 64 的整数/, bad);
    assert.throws(() => workersWanted({ XF_WORKERS: '2' }), /需要 PostgreSQL/);
  });
});

describe(
  'XF_WORKERS=2 on one PostgreSQL',
  { skip: !process.env.XF_TEST_PG_URL && 'no PostgreSQL for this run (set XF_TEST_PG_URL)' },
  () => {
    let db: { url: string; drop(): Promise<void> };
    let s: ServerProcess;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-cluster-'));
    before(async () => {
      db = (await freshPostgres())!;
      s = await startServer({
        DATABASE_URL: db.url,
        XF_DATA_DIR: dir,
        XF_SECRET_KEY: 'cluster-test-secret-0123456789abcdef',
        XF_DEMO: '1',
        XF_WORKERS: '2',
      });
    });
    after(async () => {
      await s?.stop();
      await db?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('serves from two workers on one port, replaces one that dies, and stops them all on SIGTERM', async () => {
      await s.waitForLine(/2 个工作进程共用一个端口/);
      const deadline = Date.now() + 120_000;
      while (ready(s).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const [first, second] = ready(s);
      assert.ok(first && second && first !== second, `two workers listening: ${s.output().slice(-800)}`);

      const token = await login(s.url, 'shuji', DEMO_PASSWORD);
      assert.equal((await api(s.url, token, '/me')).status, 200, 'a session works through the shared port');
      const before = await Promise.all(Array.from({ length: 20 }, () => freshGet(`${s.url}/api/health`)));
      assert.deepEqual([...new Set(before)], [200], `every connection answered: ${before.join(' ')}`);

      process.kill(first, 'SIGKILL');
      await s.waitForLine(new RegExp(`pid ${first} 已退出（SIGKILL），正在重启`), 10_000);
      // While the replacement starts, the other worker answers every new connection.
      const during = await Promise.all(Array.from({ length: 20 }, () => freshGet(`${s.url}/api/health`)));
      assert.deepEqual([...new Set(during)], [200], `answered while one worker was down: ${during.join(' ')}`);
      while (ready(s).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const third = ready(s)[2];
      assert.ok(third && alive(third), 'a new worker took its place');
      assert.equal((await api(s.url, token, '/me')).status, 200, 'the session still works (it lives in the database)');

      await s.stop();
      assert.equal(s.child.exitCode, 0, 'the primary exits cleanly');
      assert.ok(!alive(second) && !alive(third), 'no worker is left running');
    });
  },
);
