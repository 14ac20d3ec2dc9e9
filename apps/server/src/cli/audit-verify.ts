/** `npm run audit:verify`: checks the audit hash chain of the configured database; exit 1 if broken. */
import { verifyAuditChain } from '../platform/audit';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/db';

const config = loadConfig(process.env);
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const result = await verifyAuditChain(database.db);
await database.close();
if (result.ok) console.log(`审计日志完整：已校验 ${result.checked} 条。Audit chain intact: ${result.checked} entries.`);
else console.log(`审计日志被破坏：第 ${result.firstBrokenId} 条，${result.reason}。Audit chain broken at entry ${result.firstBrokenId}.`);
process.exit(result.ok ? 0 : 1);
