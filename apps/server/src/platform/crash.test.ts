/**
 * Crash safety: the real server process is killed with SIGKILL in the middle of a 5,000-row
 * background import, then started again on the same data. Nothing committed before is lost,
 * and the import is all or nothing: the requeued job runs to the end (never half the rows).
 * Runs on the embedded database, and on PostgreSQL when the suite has one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../demo/seed';
import { multipartFile } from '../testing/harness';
import { memberSheet } from '../testing/memberSheet';
import { api, crashTargets, login as loginAs, startServer, waitForJob } from '../testing/serverProcess';

const login = (url: string) => loginAs(url, 'zuzhibu', DEMO_PASSWORD);

const memberTotal = async (url: string, token: string) =>
  (await api(url, token, '/members?pageSize=1')).body.total as number;

async function killDuringImport(env: Record<string, string>) {
  let server = await startServer(env);
  let token = await login(server.url);
  const before = await memberTotal(server.url, token);
  const template = (await api(server.url, token, '/members/import-template')).body as ArrayBuffer;
  const upload = multipartFile(await memberSheet(template, 5000, { seed: 777 }));
  const started = await api(server.url, token, '/members/import?async=true', {
    method: 'POST',
    body: upload.body,
    headers: upload.headers,
  });
  assert.equal(started.status, 202);
  const jobId = started.body.jobId as string;
  // Kill it once the job is under way.
  let atKill = 'queued';
  for (let i = 0; i < 400 && atKill === 'queued'; i++) {
    atKill = (await api(server.url, token, `/jobs/${jobId}`)).body.status;
    if (atKill === 'queued') await new Promise((r) => setTimeout(r, 20));
  }
  await server.kill();
  assert.equal(atKill, 'running', 'the server was killed while the import ran');

  server = await startServer(env);
  try {
    token = await login(server.url);
    const job = await waitForJob(server.url, token, jobId);
    const afterTotal = await memberTotal(server.url, token);
    assert.equal(job.status, 'done', `the interrupted import finishes after the restart: ${JSON.stringify(job)}`);
    assert.equal(afterTotal, before + 5000, 'all 5,000 rows, once each');
  } finally {
    await server.stop();
  }
}

describe('crash safety', () => {
  const on = crashTargets('xf-crash-');
  it(
    'survives SIGKILL in the middle of an import on the embedded database: the job reruns, all rows once',
    { skip: on.noEmbedded },
    () => on.embedded(killDuringImport),
  );
  it('survives SIGKILL in the middle of an import on PostgreSQL', { skip: on.noPostgres }, () =>
    on.postgres(killDuringImport),
  );
});
