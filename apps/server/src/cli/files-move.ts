/**
 * `npm run files:move -- --to s3|local`: copies the uploaded files from the local folder (XF_DATA_DIR/files) into the
 * S3-compatible bucket of XF_S3_* (`--to s3`), or back (`--to local`). See platform/files-move.ts and
 * docs/operations.md. Exit 1 if any file failed (run it again: what was copied is skipped).
 */
import { loadConfig } from '../platform/config';
import { moveFiles, movePlan } from '../platform/files-move';

const config = loadConfig(process.env);
const i = process.argv.indexOf('--to');
const to = process.argv[i + 1];
if (i < 0 || (to !== 's3' && to !== 'local')) {
  console.error(
    '用法 usage: npm run files:move -- --to s3   （本地文件夹 → 对象存储）  |  --to local （对象存储 → 本地文件夹）',
  );
  process.exit(2);
}
if (!config.s3) {
  console.error(
    '未配置对象存储：请设置 XF_S3_BUCKET、XF_S3_ENDPOINT、XF_S3_ACCESS_KEY_ID、XF_S3_SECRET_ACCESS_KEY。XF_S3_* is not configured.',
  );
  process.exit(2);
}
const plan = movePlan(to, config.dataDir, config.s3);
console.log(
  to === 's3'
    ? `复制 ${config.dataDir}/files → s3://${config.s3.bucket}/${config.s3.prefix}`
    : `复制 s3://${config.s3.bucket}/${config.s3.prefix} → ${config.dataDir}/files`,
);
const r = await moveFiles(plan.keys, plan.from, plan.to, (l) => console.log(l));
console.log(
  `已复制 ${r.copied} 个（${(r.bytes / 1048576).toFixed(1)} MB），已存在跳过 ${r.skipped} 个，失败 ${r.failed.length} 个。Copied ${r.copied}, skipped ${r.skipped}, failed ${r.failed.length}.`,
);
for (const f of r.failed.slice(0, 20)) console.log(`  失败 failed: ${f.key} — ${f.error}`);
process.exit(r.failed.length ? 1 : 0);
