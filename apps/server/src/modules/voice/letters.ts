/**
 * 党务信箱: a member's private letter to an org's 书记 or 纪检委员. Only the sender and the holders
 * of the addressed position at that org read it — not the admin, not the org department, not the
 * auditor: the access lookup answers "no such record" to everyone else. Subject and messages are
 * encrypted at rest; audit entries record that a letter moved, never what it says.
 *
 * Who holds a position: for 书记, accounts with the secretary role bound to that very org, and the
 * account of the member recorded as 书记 in the org's current committee term; for 纪检委员, the
 * account of the member recorded as 纪检委员 in the current term.
 */
import {
  now,
  LETTER_FILE_MAX,
  LETTER_RULE_CITATION,
  LETTER_POSITIONS,
  type Letter,
  type LetterDetail,
  type LetterPosition,
  type LetterStatus,
  type LetterTarget,
} from '@xianfeng/shared';
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Caller, Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import crypto from 'node:crypto';
import type { FieldCrypto } from '../../platform/crypto';
import { byKey, inTenant, onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { userRole } from '../../platform/schema';
import { member, memberOfUser } from '../member/service';
import { notify } from '../notify/service';
import { committeeMember, orgTerm } from '../org/service';
import { displayName, orgNames, orgsOnPath, ownOrgUnder, reachedThrough } from './common';
import { voiceLetter, voiceLetterFile, voiceLetterMessage } from './schema';
import type { StoredFile } from '../../platform/files';
import { countFrom, pageWhere } from '../../platform/paging';

type Row = typeof voiceLetter.$inferSelect;

/** The current term of each org (latest start), as a subquery of term ids. */
const currentTerms = (db: Queryable, tenantId: string, orgIds: string[]) =>
  db
    .selectDistinctOn([orgTerm.orgId], { id: orgTerm.id, orgId: orgTerm.orgId })
    .from(orgTerm)
    .where(and(eq(orgTerm.tenantId, tenantId), inArray(orgTerm.orgId, orgIds)))
    .orderBy(orgTerm.orgId, desc(orgTerm.startsOn), desc(orgTerm.createdAt));

/** Accounts that read letters to `position` at `orgId`, with the org each reaches them from. */
export async function readersOf(
  db: Queryable,
  tenantId: string,
  orgId: string,
  position: LetterPosition,
): Promise<{ userId: string; viaOrgId: string }[]> {
  const out = new Map<string, string>();
  if (position === '书记') {
    const secs = await db
      .select({ userId: userRole.userId })
      .from(userRole)
      .where(and(eq(userRole.tenantId, tenantId), eq(userRole.orgId, orgId), eq(userRole.role, 'secretary')));
    for (const s of secs) out.set(s.userId, orgId);
  }
  const terms = await currentTerms(db, tenantId, [orgId]);
  if (terms[0]) {
    const holders = await db
      .select({ userId: member.userId, orgId: member.orgId })
      .from(committeeMember)
      .innerJoin(member, onKey(member, committeeMember.memberId, committeeMember))
      .where(
        and(
          eq(committeeMember.tenantId, tenantId),
          eq(committeeMember.termId, terms[0].id),
          eq(committeeMember.position, position),
          sql`${member.leftAt} is null`,
        ),
      );
    for (const h of holders) if (h.userId && !out.has(h.userId)) out.set(h.userId, h.orgId);
  }
  return [...out].map(([userId, viaOrgId]) => ({ userId, viaOrgId }));
}

/** The (org, position) slots whose letters the caller reads. */
async function slotsOf(db: Queryable, scope: Scope): Promise<{ orgId: string; position: LetterPosition }[]> {
  const slots: { orgId: string; position: LetterPosition }[] = scope.principal.bindings
    .filter((b) => b.role === 'secretary')
    .map((b) => ({ orgId: b.org.id, position: '书记' as const }));
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (self) {
    const held = await db
      .select({ orgId: committeeMember.orgId, termId: committeeMember.termId, position: committeeMember.position })
      .from(committeeMember)
      .where(
        and(
          eq(committeeMember.tenantId, scope.tenantId),
          eq(committeeMember.memberId, self.id),
          inArray(committeeMember.position, [...LETTER_POSITIONS]),
        ),
      );
    if (held.length) {
      const current = new Set(
        (
          await currentTerms(
            db,
            scope.tenantId,
            held.map((h) => h.orgId),
          )
        ).map((t) => t.id),
      );
      for (const h of held)
        if (current.has(h.termId)) slots.push({ orgId: h.orgId, position: h.position as LetterPosition });
    }
  }
  return slots;
}

/** For the access layer: the sender from their own org, a reader from the org that makes them one; nobody else. */
export async function orgOfLetter(db: Queryable, tenantId: string, id: string, caller: Caller): Promise<string | null> {
  const [row] = await db
    .select({
      orgId: voiceLetter.orgId,
      position: voiceLetter.position,
      fromUserId: voiceLetter.fromUserId,
      fromOrgId: voiceLetter.fromOrgId,
    })
    .from(voiceLetter)
    .where(and(eq(voiceLetter.tenantId, tenantId), eq(voiceLetter.id, id)));
  if (!row) return null;
  if (row.fromUserId === caller.userId) return row.fromOrgId;
  const reader = (await readersOf(db, tenantId, row.orgId, row.position as LetterPosition)).find(
    (r) => r.userId === caller.userId,
  );
  return reader?.viaOrgId ?? null;
}

export async function letterTargets(db: Queryable, scope: Scope): Promise<LetterTarget[]> {
  const orgs = (await orgsOnPath(db, scope.principal)).filter((o) => o.kind !== 'group');
  const out: LetterTarget[] = [];
  for (const o of orgs)
    for (const position of LETTER_POSITIONS) {
      const readers = await readersOf(db, scope.tenantId, o.id, position);
      out.push({
        orgId: o.id,
        orgName: o.name,
        position,
        available: readers.some((r) => r.userId !== scope.principal.user.id),
      });
    }
  return out;
}

/** A message row with its body sealed to the row (its id is chosen here for that). */
export function sealedMessage(
  fc: FieldCrypto,
  body: string,
  values: Omit<typeof voiceLetterMessage.$inferInsert, 'id' | 'bodyEnc'>,
) {
  const id = crypto.randomUUID();
  return { ...values, id, bodyEnc: fc.encrypt(body, voiceLetterMessage.bodyEnc, id) };
}

function view(r: Row, fc: FieldCrypto, orgName: string, userId: string): Letter {
  return {
    id: r.id,
    orgId: r.orgId,
    orgName,
    position: r.position as LetterPosition,
    subject: fc.decrypt(r.subjectEnc, voiceLetter.subjectEnc, r.id),
    fromName: r.fromName,
    status: r.status as LetterStatus,
    sentAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    mine: r.fromUserId === userId,
  };
}

export async function sendLetter(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  input: { orgId: string; position: LetterPosition; subject: string; body: string },
) {
  const p = scope.principal;
  const target = (await orgsOnPath(db, p)).find((o) => o.id === input.orgId);
  if (!target || target.kind === 'group')
    throw forbidden('只能写信给本人所在的党组织或其上级党组织', 'VOICE_NOT_ON_PATH');
  const readers = (await readersOf(db, scope.tenantId, target.id, input.position)).filter(
    (r) => r.userId !== p.user.id,
  );
  if (readers.length === 0)
    throw unprocessable(
      `「${target.name}」暂无可以收信的${input.position}账号，请改写给其他收信人或联系组织部`,
      undefined,
      'VOICE_NO_READER',
    );
  const from = (await ownOrgUnder(db, p, target)) ?? target;
  const name = await displayName(db, p);
  const letterId = crypto.randomUUID(); // chosen here: the sealed subject is bound to it
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(voiceLetter)
      .values({
        id: letterId,
        tenantId: scope.tenantId,
        orgId: target.id,
        position: input.position,
        fromUserId: p.user.id,
        fromOrgId: from.id,
        fromName: name,
        subjectEnc: fc.encrypt(input.subject, voiceLetter.subjectEnc, letterId),
        status: 'unread',
        createdAt: now(),
        updatedAt: now(),
      })
      .returning();
    await tx.insert(voiceLetterMessage).values(
      sealedMessage(fc, input.body, {
        tenantId: scope.tenantId,
        letterId: row!.id,
        side: 'sender',
        authorUserId: p.user.id,
        authorName: name,
        createdAt: now(),
      }),
    );
    await writeAudit(tx, scope.actor, {
      action: 'voice.letter.send',
      entityType: 'voice_letter',
      entityId: row!.id,
      // Who wrote, never what or to whom: the sender's own org, no position, no subject.
      org: from,
      event: { kind: 'voice.letter.sent', data: { letterId: row!.id, notifyUserIds: readers.map((r) => r.userId) } },
    });
    // The addressee hears of it through the notice service: no subject, no sender (an e-mail or SMS
    // copy leaves the platform), no orgId (a group robot must not post it).
    await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'voice.letter.received',
      recipients: { users: readers.map((r) => r.userId) },
      data: { orgName: target.name, position: input.position },
      link: `/voice/letters/${row!.id}`,
      dedupeKey: `voice.letter.received:${row!.id}`,
    });
    return row!;
  });
  return getLetter(db, fc, scope, row.id);
}

async function loadLetter(db: Queryable, scope: Scope, id: string, lock = false) {
  const q = db
    .select()
    .from(voiceLetter)
    .where(and(eq(voiceLetter.tenantId, scope.tenantId), eq(voiceLetter.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound();
  const userId = scope.principal.user.id;
  if (row.fromUserId === userId) return { row, side: 'sender' as const };
  const readers = await readersOf(db, scope.tenantId, row.orgId, row.position as LetterPosition);
  if (readers.some((r) => r.userId === userId)) return { row, side: 'reader' as const };
  throw notFound();
}

/** A letter with its messages; the addressee's first read marks it read. */
export async function getLetter(db: Db, fc: FieldCrypto, scope: Scope, id: string): Promise<LetterDetail> {
  const loaded = await loadLetter(db, scope, id);
  const side = loaded.side;
  let row = loaded.row;
  if (side === 'reader' && row.status === 'unread')
    row = await db.transaction(async (tx) => {
      const [u] = await tx
        .update(voiceLetter)
        .set({ status: 'read' })
        .where(byKey(voiceLetter, row.tenantId, row.id))
        .returning();
      await writeAudit(tx, scope.actor, {
        action: 'voice.letter.read',
        entityType: 'voice_letter',
        entityId: row.id,
        after: { status: 'read' },
      });
      return u!;
    });
  const messages = await db
    .select()
    .from(voiceLetterMessage)
    .where(inTenant(voiceLetterMessage, row.tenantId, eq(voiceLetterMessage.letterId, row.id)))
    .orderBy(asc(voiceLetterMessage.createdAt));
  const files = await filesOfLetter(db, fc, row);
  const names = await orgNames(db, row.tenantId, [row.orgId]);
  return {
    ...view(row, fc, names.get(row.orgId) ?? '', scope.principal.user.id),
    messages: messages.map((m) => {
      const own = files.filter((f) => f.messageId === m.id).map(({ messageId: _, ...f }) => f);
      return {
        id: m.id,
        side: m.side as 'sender' | 'reader',
        authorName: m.authorName,
        body: fc.decrypt(m.bodyEnc, voiceLetterMessage.bodyEnc, m.id),
        at: m.createdAt.toISOString(),
        files: own,
        canAttach:
          m.authorUserId === scope.principal.user.id && row.status !== 'closed' && own.length < LETTER_FILE_MAX,
      };
    }),
    citation: LETTER_RULE_CITATION,
  };
}

export async function addMessage(db: Db, fc: FieldCrypto, scope: Scope, id: string, body: string) {
  const name = await displayName(db, scope.principal);
  await db.transaction(async (tx) => {
    const { row, side } = await loadLetter(tx, scope, id, true);
    if (row.status === 'closed') throw conflict('信件已办结，不能再回复', 'VOICE_LETTER_CLOSED');
    const message = sealedMessage(fc, body, {
      tenantId: scope.tenantId,
      letterId: row.id,
      side,
      authorUserId: scope.principal.user.id,
      authorName: name,
      createdAt: now(),
    });
    await tx.insert(voiceLetterMessage).values(message);
    const status = side === 'reader' ? 'replied' : 'unread';
    await tx
      .update(voiceLetter)
      .set({ status, updatedAt: now() })
      .where(byKey(voiceLetter, row.tenantId, row.id));
    const toTell = (
      side === 'reader'
        ? [row.fromUserId]
        : (await readersOf(tx, scope.tenantId, row.orgId, row.position as LetterPosition)).map((r) => r.userId)
    ).filter((u): u is string => Boolean(u) && u !== scope.principal.user.id);
    // The other end hears of it through the notice service: a reader's reply reaches the sender, the sender's
    // follow-up the addressees — which org's 书记 or 纪检委员, never what (an e-mail or SMS copy leaves the
    // platform); no orgId, so no group robot posts it. One notice per message.
    if (toTell.length) {
      const names = await orgNames(tx, row.tenantId, [row.orgId]);
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: side === 'reader' ? 'voice.letter.replied' : 'voice.letter.followup',
        recipients: { users: toTell },
        data: { orgName: names.get(row.orgId) ?? '', position: row.position },
        link: `/voice/letters/${row.id}`,
        dedupeKey: `voice.letter.${side === 'reader' ? 'replied' : 'followup'}:${message.id}`,
      });
    }
    await writeAudit(tx, scope.actor, {
      action: 'voice.letter.message',
      entityType: 'voice_letter',
      entityId: row.id,
      after: { side, status },
      event: { kind: 'voice.letter.message', data: { letterId: row.id, notifyUserIds: toTell } },
    });
  });
  return getLetter(db, fc, scope, id);
}

export async function closeLetter(db: Db, fc: FieldCrypto, scope: Scope, id: string) {
  await db.transaction(async (tx) => {
    const { row, side } = await loadLetter(tx, scope, id, true);
    if (side !== 'reader') throw forbidden('只有收信人可以办结信件');
    if (row.status === 'closed') throw conflict('信件已办结', 'VOICE_LETTER_CLOSED');
    await tx
      .update(voiceLetter)
      .set({ status: 'closed', updatedAt: now() })
      .where(byKey(voiceLetter, row.tenantId, row.id));
    await writeAudit(tx, scope.actor, {
      action: 'voice.letter.close',
      entityType: 'voice_letter',
      entityId: row.id,
      before: { status: row.status },
      after: { status: 'closed' },
    });
  });
  return getLetter(db, fc, scope, id);
}

// ---- files on messages -------------------------------------------------------------------

/** The files of a letter with their names opened, oldest first. */
async function filesOfLetter(db: Queryable, fc: FieldCrypto, letter: { tenantId: string; id: string }) {
  const rows = await db
    .select({
      id: voiceLetterFile.id,
      messageId: voiceLetterFile.messageId,
      fileNameEnc: voiceLetterFile.fileNameEnc,
      mime: voiceLetterFile.mime,
      size: voiceLetterFile.size,
    })
    .from(voiceLetterFile)
    .where(inTenant(voiceLetterFile, letter.tenantId, eq(voiceLetterFile.letterId, letter.id)))
    .orderBy(asc(voiceLetterFile.createdAt), asc(voiceLetterFile.id));
  return rows.map((r) => ({
    id: r.id,
    messageId: r.messageId,
    fileName: fc.decrypt(r.fileNameEnc, voiceLetterFile.fileNameEnc, r.id),
    mime: r.mime,
    size: r.size,
  }));
}

/** For the access layer: a message (and a file) reaches exactly whoever reaches its letter. */
export const orgOfLetterMessage = reachedThrough(voiceLetterMessage, voiceLetterMessage.letterId, orgOfLetter);
export const orgOfLetterFile = reachedThrough(voiceLetterFile, voiceLetterFile.letterId, orgOfLetter);

/**
 * Before an upload: the message is the caller's own (a reply of the addressee, or the writer's letter or
 * follow-up), the letter not closed, fewer than LETTER_FILE_MAX files on the message.
 */
export async function checkLetterFile(db: Queryable, scope: Scope, messageId: string) {
  const [m] = await db
    .select()
    .from(voiceLetterMessage)
    .where(and(eq(voiceLetterMessage.tenantId, scope.tenantId), eq(voiceLetterMessage.id, messageId)));
  if (!m) throw notFound();
  const { row } = await loadLetter(db, scope, m.letterId);
  if (m.authorUserId !== scope.principal.user.id) throw forbidden('只能为自己写的回复添加附件', 'VOICE_NOT_AUTHOR');
  if (row.status === 'closed') throw conflict('信件已办结，不能再添加附件', 'VOICE_LETTER_CLOSED');
  const [n] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(voiceLetterFile)
    .where(inTenant(voiceLetterFile, m.tenantId, eq(voiceLetterFile.messageId, m.id)));
  if ((n?.n ?? 0) >= LETTER_FILE_MAX)
    throw unprocessable(`每条回复最多 ${LETTER_FILE_MAX} 个附件`, undefined, 'VOICE_TOO_MANY_FILES');
  return { letter: row, message: m };
}

/** Seals an upload's bytes to its row (the store's `keep` calls this with the row id it chose). */
export const sealLetterFile = (fc: FieldCrypto) => (data: Buffer, id: string) =>
  fc.sealBytes(data, voiceLetterFile.storageKey, id);

/**
 * Records a stored (sealed) file on the message. The audit entry says that a file was added to the letter and
 * its size — never its name or type (a file name is content); the letter's own org, not the writer's.
 */
export async function insertLetterFile(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  at: { letter: Row; message: typeof voiceLetterMessage.$inferSelect },
  file: StoredFile,
) {
  return db.transaction(async (tx) => {
    // Re-checked under the letter's lock: a close or another upload may have come in meanwhile.
    const { row } = await loadLetter(tx, scope, at.letter.id, true);
    if (row.status === 'closed') throw conflict('信件已办结，不能再添加附件', 'VOICE_LETTER_CLOSED');
    const [n] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(voiceLetterFile)
      .where(inTenant(voiceLetterFile, at.message.tenantId, eq(voiceLetterFile.messageId, at.message.id)));
    if ((n?.n ?? 0) >= LETTER_FILE_MAX)
      throw unprocessable(`每条回复最多 ${LETTER_FILE_MAX} 个附件`, undefined, 'VOICE_TOO_MANY_FILES');
    await tx.insert(voiceLetterFile).values({
      id: file.id,
      tenantId: scope.tenantId,
      letterId: row.id,
      messageId: at.message.id,
      fileNameEnc: fc.encrypt(file.fileName, voiceLetterFile.fileNameEnc, file.id),
      mime: file.mime,
      size: file.size,
      sha256: file.sha256,
      storageKey: file.storageKey,
      uploadedBy: scope.principal.user.id,
      createdAt: now(),
    });
    await tx
      .update(voiceLetter)
      .set({ updatedAt: now() })
      .where(byKey(voiceLetter, row.tenantId, row.id));
    await writeAudit(tx, scope.actor, {
      action: 'voice.letter.file.add',
      entityType: 'voice_letter',
      entityId: row.id,
      after: { fileId: file.id, size: file.size },
    });
    return { id: file.id, fileName: file.fileName, mime: file.mime, size: file.size };
  });
}

/** A file for its download: only the writer and the addressees (anyone else: 404), its name opened. */
export async function loadLetterFile(db: Queryable, fc: FieldCrypto, scope: Scope, id: string) {
  const [f] = await db
    .select()
    .from(voiceLetterFile)
    .where(and(eq(voiceLetterFile.tenantId, scope.tenantId), eq(voiceLetterFile.id, id)));
  if (!f) throw notFound();
  await loadLetter(db, scope, f.letterId);
  return {
    id: f.id,
    storageKey: f.storageKey,
    mime: f.mime,
    fileName: fc.decrypt(f.fileNameEnc, voiceLetterFile.fileNameEnc, f.id),
  };
}

/** Opens a letter file's stored bytes (bound to its row: a sealed file copied to another row does not open). */
export const openLetterFile = (fc: FieldCrypto, id: string, sealed: Buffer) =>
  fc.openBytes(sealed, voiceLetterFile.storageKey, id);

async function page(db: Queryable, fc: FieldCrypto, scope: Scope, where: SQL, p: number, size: number) {
  const { items: rows, total } = await pageWhere(
    db.select().from(voiceLetter).$dynamic(),
    countFrom(db, voiceLetter),
    where,
    [desc(voiceLetter.updatedAt), asc(voiceLetter.id)],
    p,
    size,
  );
  const names = await orgNames(
    db,
    scope.tenantId,
    rows.map((r) => r.orgId),
  );
  return {
    items: rows.map((r) => view(r, fc, names.get(r.orgId) ?? '', scope.principal.user.id)),
    total,
  };
}

export const sentLetters = (db: Queryable, fc: FieldCrypto, scope: Scope, p: number, size: number) =>
  page(
    db,
    fc,
    scope,
    and(eq(voiceLetter.tenantId, scope.tenantId), eq(voiceLetter.fromUserId, scope.principal.user.id))!,
    p,
    size,
  );

/** Letters addressed to a position the caller holds (never their own letters). */
export async function inbox(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  p: number,
  size: number,
  status?: LetterStatus,
) {
  const slots = await slotsOf(db, scope);
  if (slots.length === 0) return { items: [], total: 0, unread: 0 };
  const slotWhere = or(
    ...slots.map((s) => and(eq(voiceLetter.orgId, s.orgId), eq(voiceLetter.position, s.position))!),
  )!;
  const base = and(
    eq(voiceLetter.tenantId, scope.tenantId),
    slotWhere,
    sql`${voiceLetter.fromUserId} <> ${scope.principal.user.id}`,
  )!;
  const [result, [unread]] = await Promise.all([
    page(db, fc, scope, status ? and(base, eq(voiceLetter.status, status))! : base, p, size),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(voiceLetter)
      .where(and(base, eq(voiceLetter.status, 'unread'))),
  ]);
  return { ...result, unread: unread?.n ?? 0 };
}

/** A person's sent letters with their messages, for their personal-data copy. */
export async function lettersOfUser(db: Queryable, fc: FieldCrypto, tenantId: string, userId: string) {
  const rows = await db
    .select()
    .from(voiceLetter)
    .where(and(eq(voiceLetter.tenantId, tenantId), eq(voiceLetter.fromUserId, userId)))
    .orderBy(asc(voiceLetter.createdAt));
  const names = await orgNames(
    db,
    tenantId,
    rows.map((r) => r.orgId),
  );
  const out = [];
  for (const r of rows) {
    const messages = await db
      .select()
      .from(voiceLetterMessage)
      .where(inTenant(voiceLetterMessage, r.tenantId, eq(voiceLetterMessage.letterId, r.id)))
      .orderBy(asc(voiceLetterMessage.createdAt));
    const files = await filesOfLetter(db, fc, r);
    const { mine: _m, ...v } = view(r, fc, names.get(r.orgId) ?? '', userId);
    out.push({
      ...v,
      messages: messages.map((m) => ({
        side: m.side,
        authorName: m.authorName,
        body: fc.decrypt(m.bodyEnc, voiceLetterMessage.bodyEnc, m.id),
        at: m.createdAt.toISOString(),
        files: files
          .filter((f) => f.messageId === m.id)
          .map((f) => ({ fileName: f.fileName, mime: f.mime, size: f.size })),
      })),
    });
  }
  return out;
}
