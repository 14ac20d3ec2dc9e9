/**
 * Moving uploaded files between the local folder and S3-compatible storage (issue 26): `npm run files:move -- --to s3`
 * copies every file of XF_DATA_DIR/files into the bucket of XF_S3_*, `--to local` copies the bucket back into the
 * folder. The keys are the same in both stores and the database names files by key, so nothing in the database
 * changes. Files already at the target with the same size are skipped, so a second run after an interruption only
 * does what is left; the source is never deleted (remove it yourself once the server runs on the new store). The
 * folder's `audit/` (signed audit checkpoints) stays local: it is not an upload.
 */
import fs from 'node:fs';
import path from 'node:path';
import { localBackend, s3Backend, type FileBackend } from './files';
import { S3Client, type S3Config } from './s3';

/** Every key of the local folder (relative, `/`-separated), uploads only. */
export async function* localKeys(dataDir: string): AsyncGenerator<string> {
  const root = path.join(dataDir, 'files');
  if (!fs.existsSync(root)) return;
  for (const entry of await fs.promises.readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const key = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (!key.startsWith('audit/')) yield key;
  }
}

export type MoveReport = { copied: number; skipped: number; failed: { key: string; error: string }[]; bytes: number };

export async function moveFiles(
  keys: AsyncIterable<string>,
  from: FileBackend,
  to: FileBackend,
  log: (line: string) => void = () => {},
): Promise<MoveReport> {
  const report: MoveReport = { copied: 0, skipped: 0, failed: [], bytes: 0 };
  for await (const key of keys) {
    try {
      const size = await from.size(key);
      const there = await to.size(key).catch(() => -1);
      if (there === size) {
        report.skipped += 1;
        continue;
      }
      if (there >= 0) await to.remove(key);
      const data = await from.get(key);
      await to.put(key, data);
      if ((await to.size(key)) !== data.length) throw new Error('size differs after copying');
      report.copied += 1;
      report.bytes += data.length;
      if (report.copied % 100 === 0) log(`  ${report.copied} copied…`);
    } catch (err) {
      report.failed.push({ key, error: (err as Error).message });
    }
  }
  return report;
}

/** The CLI's plan: which way, from and to which store, and the keys to walk. */
export function movePlan(direction: 'local' | 's3', dataDir: string, s3: S3Config) {
  const local = localBackend(() => dataDir);
  const bucket = s3Backend(s3);
  if (direction === 's3') return { from: local, to: bucket, keys: localKeys(dataDir) };
  const client = new S3Client(s3);
  async function* bucketKeys() {
    for await (const o of client.list('')) yield o.key;
  }
  return { from: bucket, to: local, keys: bucketKeys() };
}
