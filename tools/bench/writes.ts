/**
 * Benchmark (issue #25 item 6): do the change feed's version bumps serialize concurrent writers?
 *
 *   npm run bench -- --writes [--clients 200] [--rounds 3]
 *
 * On a throwaway PostgreSQL with the demo enterprise: `--clients` requests at once record one 线下缴纳 each
 * (`POST /dues-bills/:id/offline-payment`, the 组织部 at the root; each request writes dues_payment and dues_bill,
 * both on the `dues` topic), through the real app (inject: routing, auth, scope, validation, the write's transaction,
 * the after-write version read). Rounds alternate: the feed's triggers on, then off (`DISABLE TRIGGER`), so the
 * difference is the bump alone. While a round runs, pg_stat_activity is sampled every 5 ms for backends waiting on a
 * lock. Meeting sign-ins are not measured here: meeting_attendance has no feed trigger (0012, 0014), so a sign-in
 * bumps nothing.
 */
import { todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { addMonths, currentMonth } from '../../apps/server/src/modules/dues/service';
import { queryRows } from '../../apps/server/src/platform/db';
import { startTestApp } from '../../apps/server/src/testing/harness';
import type { readArgs } from '../lib/args';
import { startPostgres } from '../lib/postgres.mjs';
import { pct, round } from './run';

export type WritesRound = {
  feed: 'on' | 'off';
  clients: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  /** Most backends seen waiting on a lock at once, and the share of samples with any waiting. */
  lockWaitMax: number;
  lockWaitShare: number;
};

export async function runWritesCli(args: ReturnType<typeof readArgs>) {
  const clients = args.num('clients', 200);
  const rounds = args.num('rounds', 3);
  const server = startPostgres({ quiet: true, settings: ['shared_buffers=256MB'] });
  if (!server) throw new Error('--writes needs PostgreSQL (install it or set DATABASE_URL)');
  process.env.XF_TEST_PG_URL = server.url;
  const t = await startTestApp();
  try {
    const token = await t.login('zuzhibu');
    const db = t.services.db;
    // The `dues` topic's feed triggers (0014), named <table>_data_version.
    const setFeed = async (feed: 'on' | 'off') => {
      for (const table of ['dues_bill', 'dues_payment'])
        await db.execute(
          sql.raw(`alter table ${table} ${feed === 'on' ? 'enable' : 'disable'} trigger ${table}_data_version`),
        );
    };
    const results: WritesRound[] = [];
    for (let i = 0; i < rounds * 2; i++) {
      const feed = i % 2 === 0 ? ('on' as const) : ('off' as const);
      // A month of fresh unpaid bills for this round (the demo has a few hundred members).
      const month = addMonths(currentMonth(), i + 1);
      const gen = await t.request({ method: 'POST', url: '/api/v1/dues/bills/generate', token, body: { month } });
      if (gen.status !== 202) throw new Error(`bills: ${gen.status} ${gen.raw}`);
      await t.services.jobs.drain();
      const bills = await queryRows<{ id: string }>(
        db,
        sql`select id from dues_bill where month = ${`${month}-01`}::date and status = 'unpaid' order by id limit ${clients}`,
      );
      if (bills.length < clients) throw new Error(`only ${bills.length} unpaid bills for ${clients} clients`);
      await setFeed(feed);
      let sampling = true;
      const waits: number[] = [];
      const blocked = new Map<string, number>();
      const sampler = (async () => {
        while (sampling) {
          const w = await queryRows<{ q: string }>(
            db,
            sql`select left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 70) as q from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
          );
          waits.push(w.length);
          for (const { q } of w) blocked.set(q, (blocked.get(q) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const paidOn = todayInChina();
      const ms: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        bills.map(async (b) => {
          const s = performance.now();
          const r = await t.request({
            method: 'POST',
            url: `/api/v1/dues-bills/${b.id}/offline-payment`,
            token,
            body: { method: 'cash', paidOn, catchUp: false },
          });
          if (r.status !== 201) throw new Error(`payment: ${r.status} ${r.raw.slice(0, 300)}`);
          ms.push(performance.now() - s);
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      sampling = false;
      await sampler;
      const result: WritesRound = {
        feed,
        clients,
        seconds: round(seconds),
        perSecond: Math.round(clients / seconds),
        p50: round(pct(ms, 50)),
        p95: round(pct(ms, 95)),
        lockWaitMax: Math.max(...waits),
        lockWaitShare: round(waits.filter((n) => n > 0).length / waits.length),
      };
      results.push(result);
      if (process.env.XF_BENCH_VERBOSE) console.log([...blocked].sort((a, b) => b[1] - a[1]).slice(0, 5));
      console.log(
        `feed ${feed}: ${clients} payments at once in ${result.seconds} s (${result.perSecond}/s), p50 ${result.p50} ms, p95 ${result.p95} ms; waiting on a lock: max ${result.lockWaitMax}, ${Math.round(result.lockWaitShare * 100)} % of samples`,
      );
    }
    await setFeed('on');
    return results;
  } finally {
    await t.close();
    server.stop();
  }
}
