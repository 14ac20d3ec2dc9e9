/**
 * `npm run backup -- [folder]`: database + uploaded files + key file into a new folder
 * (default ./backups/xianfeng-<time>). With the embedded database, stop the server first.
 */
import path from 'node:path';
import { backup } from '../platform/backup';
import { loadConfig } from '../platform/config';

const config = loadConfig(process.env);
const out = path.resolve(
  process.argv[2] ?? path.join('backups', `xianfeng-${new Date().toISOString().replace(/[:.]/g, '-')}`),
);
try {
  const m = await backup(config, out);
  const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
  console.log(`备份完成 Backup written: ${out}`);
  console.log(
    `  ${Object.keys(m.tables).length} 张表 ${rows} 行，${Object.keys(m.files).length} 个文件${m.hasKeyFile ? '，含密钥文件 secret.key（请妥善保管此备份）' : ''}`,
  );
} catch (e) {
  console.error(`备份失败 Backup failed: ${(e as Error).message}`);
  process.exit(1);
}
