/**
 * One-time codes for employees who are not members: a manager prints a batch of codes on slips and
 * hands them out; each opens the org's public link once, for an opinion or for one survey. Codes are
 * 12 symbols from the system CSPRNG (~59 bits, see CODE_ALPHABET), stored only as hashes, used up in
 * the same transaction as the submission (a second use finds it used), and expire. The public routes
 * are rate-limited per address by the platform.
 */
import { inSubtree } from '../../platform/access';
import { formatCode, normalizeCode, now, type CodeBatch, type CodeInfo, type CodePurpose } from '@xianfeng/shared';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { OrgRef, Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable, type Tx } from '../../platform/db';
import { AppError, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { codeHash, loadOrg, newCode, orgNames } from './common';
import { settingsFor } from './opinions';
import { voiceCode, voiceCodeBatch, voiceSurvey } from './schema';
import { loadPublicSurvey } from './surveys';
import { countFrom, pageWhere } from '../../platform/paging';

const invalid = (message: string, code: string) => new AppError(422, code, message);
const CODE_SHAPE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/;

export async function createBatch(
  db: Db,
  scope: Scope,
  input: { purpose: CodePurpose; surveyId?: string | undefined; count: number; validDays: number; note: string },
) {
  if (scope.org.kind === 'group')
    throw unprocessable('党小组不发放参与码，请选择党支部或以上组织', undefined, 'VOICE_BAD_TARGET');
  if (input.purpose === 'survey') {
    const [s] = await db
      .select()
      .from(voiceSurvey)
      .where(and(eq(voiceSurvey.tenantId, scope.tenantId), eq(voiceSurvey.id, input.surveyId!)));
    // Codes for a survey are handed out by its org or an org under it (a branch for the committee's 下考上).
    if (!s || !scope.org.path.startsWith(s.orgPath)) throw notFound('问卷不存在，或不属于本组织及其上级组织');
    if (!s.allowCodes)
      throw unprocessable('该问卷未开放职工参与码，请先在问卷设置中开启', undefined, 'VOICE_CODES_OFF');
    if (s.closesAt <= now()) throw unprocessable('问卷已结束', undefined, 'VOICE_ENDED');
  }
  const codes = new Set<string>();
  while (codes.size < input.count) codes.add(newCode());
  const validUntil = new Date(now().getTime() + input.validDays * 86_400_000);
  const batch = await db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(voiceCodeBatch)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        purpose: input.purpose,
        surveyId: input.purpose === 'survey' ? input.surveyId! : null,
        count: input.count,
        createdAt: now(),
        validUntil,
        note: input.note,
        createdBy: scope.actor.username ?? '',
      })
      .returning();
    await tx
      .insert(voiceCode)
      .values([...codes].map((c) => ({ codeHash: codeHash(c), tenantId: scope.tenantId, batchId: batch!.id })));
    // The codes themselves are shown once, to the manager who prints them; the log keeps only how many.
    await writeAudit(tx, scope.actor, {
      action: 'voice.codes.create',
      entityType: 'voice_code_batch',
      entityId: batch!.id,
      org: scope.org,
      after: { purpose: input.purpose, surveyId: input.surveyId ?? null, count: input.count, validUntil },
    });
    return batch!;
  });
  return { batch: (await batchViews(db, [batch]))[0]!, codes: [...codes].map(formatCode) };
}

async function batchViews(db: Queryable, rows: (typeof voiceCodeBatch.$inferSelect)[]): Promise<CodeBatch[]> {
  const ids = rows.map((r) => r.id);
  const tenantId = rows[0]?.tenantId ?? ''; // the rows come from one tenant's query (none: nothing to read)
  const [used, names, surveys] = await Promise.all([
    ids.length
      ? db
          .select({ batchId: voiceCode.batchId, n: sql<number>`count(*) filter (where ${voiceCode.used})::int` })
          .from(voiceCode)
          .where(and(eq(voiceCode.tenantId, tenantId), inArray(voiceCode.batchId, ids)))
          .groupBy(voiceCode.batchId)
      : Promise.resolve([]),
    orgNames(
      db,
      tenantId,
      rows.map((r) => r.orgId),
    ),
    db
      .select({ id: voiceSurvey.id, title: voiceSurvey.title })
      .from(voiceSurvey)
      .where(
        and(
          eq(voiceSurvey.tenantId, tenantId),
          inArray(
            voiceSurvey.id,
            rows
              .map((r) => r.surveyId)
              .filter((x): x is string => Boolean(x))
              .concat(['00000000-0000-0000-0000-000000000000']),
          ),
        ),
      ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    orgId: r.orgId,
    orgName: names.get(r.orgId) ?? '',
    purpose: r.purpose as CodePurpose,
    surveyId: r.surveyId,
    surveyTitle: surveys.find((s) => s.id === r.surveyId)?.title ?? null,
    count: r.count,
    used: used.find((u) => u.batchId === r.id)?.n ?? 0,
    validUntil: r.validUntil.toISOString(),
    note: r.note,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listBatches(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const where = and(eq(voiceCodeBatch.tenantId, scope.tenantId), inSubtree(org.path, scope.org.path));
  const { items: rows, total } = await pageWhere(
    db
      .select({ b: voiceCodeBatch })
      .from(voiceCodeBatch)
      .innerJoin(org, onKey(org, voiceCodeBatch.orgId, voiceCodeBatch))
      .$dynamic(),
    countFrom(db, voiceCodeBatch).innerJoin(org, onKey(org, voiceCodeBatch.orgId, voiceCodeBatch)),
    where,
    [desc(voiceCodeBatch.createdAt), asc(voiceCodeBatch.id)],
    page,
    pageSize,
  );
  return {
    items: await batchViews(
      db,
      rows.map((r) => r.b),
    ),
    total,
  };
}

/**
 * Finds a code for the org of the public link: right org, not used, not expired. With `use`, marks
 * it used in the caller's transaction — the row lock makes a concurrent second use wait and then
 * find it used.
 */
async function findCode(db: Queryable, orgId: string, raw: string, use: boolean) {
  const text = normalizeCode(raw);
  if (!CODE_SHAPE.test(text)) throw invalid('参与码不正确，请核对纸条上的 12 位参与码', 'VOICE_CODE_INVALID');
  const q = db
    .select({ code: voiceCode, batch: voiceCodeBatch })
    .from(voiceCode)
    .innerJoin(voiceCodeBatch, onKey(voiceCodeBatch, voiceCode.batchId, voiceCode))
    .where(eq(voiceCode.codeHash, codeHash(text)));
  const [row] = use ? await q.for('update', { of: voiceCode }) : await q;
  if (!row || row.batch.orgId !== orgId)
    throw invalid('参与码不正确，请核对纸条上的 12 位参与码', 'VOICE_CODE_INVALID');
  if (row.code.used) throw invalid('该参与码已经使用过，每个参与码只能使用一次', 'VOICE_CODE_USED');
  if (row.batch.validUntil <= now()) throw invalid('该参与码已过期，请向党组织索取新的参与码', 'VOICE_CODE_EXPIRED');
  if (use) await db.update(voiceCode).set({ used: true }).where(eq(voiceCode.codeHash, row.code.codeHash));
  return row.batch;
}

export async function publicOrg(db: Queryable, orgId: string) {
  const [o] = await db.select().from(org).where(eq(org.id, orgId));
  if (!o || o.dissolvedAt || o.kind === 'group') throw notFound('链接无效：党组织不存在');
  return { id: o.id, name: o.name, tenantId: o.tenantId, path: o.path, kind: o.kind };
}

/** What a code opens, without using it up. */
export async function codeInfo(db: Queryable, orgId: string, code: string): Promise<CodeInfo> {
  const o = await publicOrg(db, orgId);
  const batch = await findCode(db, orgId, code, false);
  const settings = await settingsFor(db, o.tenantId, o);
  const survey = batch.surveyId ? await loadPublicSurvey(db, o.tenantId, batch.surveyId) : null;
  return { orgId: o.id, orgName: o.name, purpose: batch.purpose as CodePurpose, anonymity: settings.anonymity, survey };
}

/** Uses a code inside `tx` for `purpose` (and the survey, when it is for one); the org ref of the link. */
export async function useCode(
  tx: Tx,
  orgId: string,
  code: string,
  purpose: CodePurpose,
  surveyId?: string,
): Promise<OrgRef> {
  const o = await publicOrg(tx, orgId);
  const batch = await findCode(tx, orgId, code, true);
  if (batch.purpose !== purpose || (surveyId && batch.surveyId !== surveyId))
    throw invalid(
      purpose === 'opinion' ? '该参与码用于问卷测评，不能提交意见建议' : '该参与码不能用于这份问卷',
      'VOICE_CODE_PURPOSE',
    );
  const ref = await loadOrg(tx, o.tenantId, o.id);
  return { id: ref!.id, path: ref!.path, tenantId: ref!.tenantId, name: ref!.name, kind: ref!.kind };
}
