/**
 * The HTTP bench's cached read without a generated tenant, for profiling and A/B runs of the request path
 * (docs/benchmarks.md, "HTTP throughput of the cached read"):
 *
 *   node [--cpu-prof --cpu-prof-dir=DIR] --import tsx tools/bench/http-serve.ts [--root DIR] [--out FILE]
 *
 * Starts the test app (testing/harness.ts: a fresh in-memory PGlite, no demo) listening on 127.0.0.1 with a signed-in
 * admin, warms `GET /api/v1/members/stats?orgId=<root>` once (its cached read from then on), starts a bare Fastify
 * route answering the same payload, and writes `{ app, bare, url, token }` as JSON to FILE (default stdout); then
 * serves until SIGTERM/SIGINT. `--root` loads the server code of another checkout (an extracted `git archive` of the
 * base commit) for paired A/B runs. Drive it with autocannon (`-c 10 -H authorization=Bearer <token>`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { readArgs } from '../lib/args';
import type { TestApp } from '../../apps/server/src/testing/harness';

const args = readArgs(process.argv.slice(2));
const root = path.resolve(args.str('root') ?? path.join(import.meta.dirname, '../..'));
const harness = (await import(path.join(root, 'apps/server/src/testing/harness.ts'))) as {
  startTestApp(o: { demo: boolean }): Promise<TestApp>;
};
const t = await harness.startTestApp({ demo: false });
// The bootstrap admin must change the initial password before anything else: not what is measured here.
await t.services.db.execute(sql`update app_user set must_change_password = false`);
const token = await t.login('admin');
const url = `/api/v1/members/stats?orgId=${t.rootOrgId}`;
const warm = await t.request({ method: 'GET', url, token });
if (warm.status !== 200) throw new Error(`GET ${url}: ${warm.status} ${warm.raw}`);
// As in the bench's HTTP phase: no job runner polling beside the requests.
await t.services.jobs.stop();
await t.app.listen({ port: 0, host: '127.0.0.1' });
const bare = Fastify({ logger: false });
const payload: unknown = warm.body;
bare.get('/bare', async () => payload);
await bare.listen({ port: 0, host: '127.0.0.1' });
const port = (s: typeof bare.server) => (s.address() as { port: number }).port;
const info = JSON.stringify({ app: port(t.app.server), bare: port(bare.server), url, token });
const out = args.str('out');
if (out) fs.writeFileSync(out, info);
else console.log(info);
const stop = async () => {
  await bare.close();
  await t.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
