/**
 * `npm run gen -- --members 1000000 --orgs 50000 [--seed N] [--data-dir DIR] [--today YYYY-MM-DD]
 *  [--attendance-months N] [--bill-months N] [--admin-password P]`
 * Fills an empty database (PGlite in DIR, or PostgreSQL when DATABASE_URL is set) with a
 * synthetic enterprise. The field-encryption key is XF_SECRET_KEY or DIR/secret.key, as the app
 * reads it, so `XF_DATA_DIR=DIR XF_DEMO=0 npm start` serves (and can search) the generated data.
 */
import path from 'node:path';
import { todayInChina } from '@xianfeng/shared';
import { installationFieldCrypto, loadSecretMaterial } from '../../apps/server/src/platform/crypto';
import { useAuditKeys } from '../../apps/server/src/platform/audit';
import { openDatabase } from '../../apps/server/src/platform/db';
import { readArgs } from '../lib/args';
import { progressBar } from '../lib/progress';
import { generate } from './generate';

const args = readArgs(process.argv.slice(2));
const members = args.num('members', 20_000);
const orgs = args.num('orgs', Math.max(50, Math.round(members / 20)));
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = path.resolve(
  args.str('data-dir') ?? process.env.XF_DATA_DIR ?? path.join(root, '.tmp', `gen-${members}`),
);
const databaseUrl = process.env.DATABASE_URL;
const adminPassword = args.str('admin-password') ?? process.env.XF_ADMIN_PASSWORD ?? 'Xianfeng@2026';

const t0 = performance.now();
const database = await openDatabase({ databaseUrl, dataDir });
const fc = installationFieldCrypto(process.env.XF_SECRET_KEY, dataDir);
useAuditKeys(loadSecretMaterial(process.env.XF_SECRET_KEY, dataDir));
try {
  const r = await generate(
    database,
    fc,
    {
      members,
      orgs,
      seed: args.num('seed', 1),
      today: args.str('today') ?? todayInChina(),
      adminPassword,
      attendanceMonths: args.num('attendance-months', 1),
      billMonths: args.num('bill-months', 12),
    },
    progressBar(),
  );
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `Generated ${r.orgs} orgs (levels ${r.depth.min}–${r.depth.max}) and ${r.members} members` +
      (r.meetings === null ? '' : `, ${r.meetings} meetings, ${r.attendance} attendance rows`) +
      (r.bills === null ? '' : `, ${r.bills} dues bills`) +
      ` in ${secs} s on ${database.kind}.`,
  );
  console.log(`Stages (ms): ${JSON.stringify(r.timings)}; encryption + blind indexes ${r.cryptoMs} ms of Node CPU.`);
  console.log(
    `Serve it: ${databaseUrl ? `DATABASE_URL=${databaseUrl} ` : ''}XF_DATA_DIR=${dataDir} XF_DEMO=0 npm start   (admin / ${adminPassword})`,
  );
} finally {
  await database.close();
}
