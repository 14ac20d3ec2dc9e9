/**
 * `npm run audit:verify [-- --log <server log> …]`: checks the audit hash chain of the configured database
 * against the installation's key (XF_SECRET_KEY / the key file) and the signed checkpoints — those in the
 * files area, and those found in the server logs of XF_AUDIT_LOGS and any named with --log (the same
 * verification as GET /api/v1/audit/verify, which reads XF_AUDIT_LOGS). Exit 1 if anything does not check.
 * What it proves: docs/security.md, "What audit:verify proves".
 */
import { useAuditKeys, verifyInstallationAudit } from '../platform/audit';
import { loadConfig } from '../platform/config';
import { loadSecretMaterial } from '../platform/crypto';
import { openDatabase } from '../platform/db';

const config = loadConfig(process.env);
const logs: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) if (args[i] === '--log' && args[i + 1]) logs.push(args[++i]!);
useAuditKeys(loadSecretMaterial(config.secretKey, config.dataDir));
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  directUrl: config.databaseDirectUrl,
  dataDir: config.dataDir,
});
const result = await verifyInstallationAudit(database.db, config.dataDir, [...config.auditLogs, ...logs]);
await database.close();
const anchors = result.checkpoints
  ? `；${result.checkpoints} 个签名检查点，最新锚定到第 ${result.anchoredTo} 条`
  : '；没有找到签名检查点（无法发现末尾截断）';
if (result.ok)
  console.log(
    `审计日志完整：已校验 ${result.checked} 条（哈希链版本 ${result.version}${result.version === 2 ? '，带密钥' : '，未带密钥'}）${anchors}。Audit chain intact: ${result.checked} entries, ${result.checkpoints ?? 0} checkpoints.`,
  );
else
  console.log(
    `审计日志被破坏：${result.firstBrokenId ? `第 ${result.firstBrokenId} 条，` : ''}${result.reason}。Audit chain broken${result.firstBrokenId ? ` at entry ${result.firstBrokenId}` : ''}.`,
  );
process.exit(result.ok ? 0 : 1);
