/**
 * `npm run restore -- <backup folder> [--force]`: puts a backup back into XF_DATA_DIR (or the
 * DATABASE_URL database) and checks row counts and file hashes against its manifest.
 */
import path from 'node:path';
import { restore } from '../platform/backup';
import { loadConfig } from '../platform/config';

const args = process.argv.slice(2);
const from = args.find((a) => !a.startsWith('--'));
if (!from) {
  console.error('用法 Usage: npm run restore -- <备份目录> [--force]');
  process.exit(2);
}
try {
  const { problems, manifest } = await restore(loadConfig(process.env), path.resolve(from), {
    force: args.includes('--force'),
  });
  if (problems.length) {
    console.error('恢复后校验不一致 Restored data differs from the backup:');
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`恢复完成并已校验 Restored and verified (backup of ${manifest.createdAt}).`);
} catch (e) {
  console.error(`恢复失败 Restore failed: ${(e as Error).message}`);
  process.exit(1);
}
