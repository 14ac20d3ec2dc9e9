/**
 * 志愿服务证明 (the e-certificate of volunteer hours): one per completed sign-up (hours recorded by check-out or by an
 * organizer's correction). The member downloads it as a PDF naming them, the activity, its time and place, the hours,
 * the issuing org (the activity's publisher), the date of issue, a serial and a QR code of the public check's URL.
 *
 * Who: only the member the hours belong to (`orgOfOwnSignup`: anyone else — another member, a 书记 — is told the
 * record does not exist). The public check (`checkCertificate`, no login) answers for a serial only whether it is
 * genuine and what it certifies, with the name masked (陈**): no org of the person, no id, no contact.
 *
 * The serial is stored with the hours (volunteer_signup.certificate_serial) and replaced when they are corrected, so a
 * certificate printed before a correction no longer verifies: the member downloads it again.
 */
import {
  chinaDate,
  now as clockNow,
  maskPersonName,
  todayInChina,
  YEAR_CERTIFICATE_PREFIX,
  type AnyCertificateCheck,
  type YearCertificateCheck,
} from '@xianfeng/shared';
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Caller } from '../../platform/access';
import { onKey, type Queryable } from '../../platform/db';
import { AppError, notFound, unprocessable } from '../../platform/errors';
import { cjkPdf, findCjkFont, type CjkFont } from '../../platform/pdf';
import { org } from '../../platform/schema';
import { member, memberOfUser } from '../member/service';
import { volunteerActivity, volunteerSignup, volunteerYearCertificate } from './schema';
import { newCertificateSerial, yearStart } from './service';

/** What a certificate states. */
export type Certificate = {
  serial: string;
  memberName: string;
  activityTitle: string;
  place: string;
  startsAt: Date;
  endsAt: Date;
  minutes: number;
  issuer: string;
  issuedOn: string;
};

/**
 * A sign-up as its certificate is reached: through the caller's own org when the sign-up is the caller's own, and
 * not at all otherwise (null → 404), so no one can fetch another person's certificate, whatever their role.
 */
export async function orgOfOwnSignup(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const self = await memberOfUser(db, tenantId, caller.userId);
  if (!self) return null;
  const [row] = await db
    .select({ id: volunteerSignup.id })
    .from(volunteerSignup)
    .where(
      and(eq(volunteerSignup.tenantId, tenantId), eq(volunteerSignup.id, id), eq(volunteerSignup.memberId, self.id)),
    );
  return row ? self.orgId : null;
}

const certificateSelect = {
  signupId: volunteerSignup.id,
  serial: volunteerSignup.certificateSerial,
  minutes: volunteerSignup.minutes,
  cancelledAt: volunteerSignup.cancelledAt,
  memberName: member.name,
  activityTitle: volunteerActivity.title,
  place: volunteerActivity.place,
  startsAt: volunteerActivity.startsAt,
  endsAt: volunteerActivity.endsAt,
  status: volunteerActivity.status,
  issuer: org.name,
};

const joined = (db: Queryable) =>
  db
    .select(certificateSelect)
    .from(volunteerSignup)
    .innerJoin(volunteerActivity, onKey(volunteerActivity, volunteerSignup.activityId, volunteerSignup))
    .innerJoin(member, onKey(member, volunteerSignup.memberId, volunteerSignup))
    .innerJoin(org, onKey(org, volunteerActivity.orgId, volunteerActivity));

/** The certificate of one of the caller's sign-ups (the access lookup made sure it is theirs). */
export async function certificateOf(db: Queryable, tenantId: string, signupId: string): Promise<Certificate> {
  const [r] = await joined(db).where(and(eq(volunteerSignup.tenantId, tenantId), eq(volunteerSignup.id, signupId)));
  if (!r) throw notFound();
  if (r.cancelledAt || r.status === 'cancelled')
    throw unprocessable('报名已取消或活动已取消，不能开具志愿服务证明', undefined, 'CERTIFICATE_NOT_EARNED');
  if (!r.minutes || r.minutes <= 0 || !r.serial)
    throw unprocessable(
      '这项活动还没有记录服务时长（签退后或组织者登记时长后才能开具证明）',
      undefined,
      'CERTIFICATE_NOT_EARNED',
    );
  return {
    serial: r.serial,
    memberName: r.memberName,
    activityTitle: r.activityTitle,
    place: r.place,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    minutes: r.minutes,
    issuer: r.issuer,
    issuedOn: todayInChina(),
  };
}

const certificateNotFound = () =>
  new AppError(
    404,
    'CERTIFICATE_NOT_FOUND',
    '未找到这个编号的志愿服务证明：编号有误，或证明因服务时长更正已作废（请以新证明为准）',
  );

/**
 * The public check: a genuine serial's statement with the name masked; anything else is 404. A yearly serial
 * (ZYND-…) is answered by `checkYearCertificate`.
 */
export async function checkCertificate(db: Queryable, serial: string): Promise<AnyCertificateCheck> {
  if (serial.startsWith(`${YEAR_CERTIFICATE_PREFIX}-`)) return checkYearCertificate(db, serial);
  const [r] = await joined(db).where(and(eq(volunteerSignup.certificateSerial, serial), earned()));
  if (!r || !r.minutes) throw certificateNotFound();
  return {
    serial,
    genuine: true,
    memberName: maskPersonName(r.memberName),
    activityTitle: r.activityTitle,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    minutes: r.minutes,
    issuer: r.issuer,
  };
}

// ---- the yearly certificate (年度志愿服务证明) ----------------------------------------------------------------

/** One activity on a yearly certificate. */
export type YearLine = {
  signupId: string;
  serial: string;
  activityTitle: string;
  place: string;
  startsAt: Date;
  endsAt: Date;
  minutes: number;
  issuer: string;
};
/** What a yearly certificate states. */
export type YearCertificate = {
  serial: string;
  memberName: string;
  year: number;
  minutes: number;
  lines: YearLine[];
  issuedOn: string;
};

/** A sign-up whose hours stand: not cancelled, the activity not cancelled, minutes recorded (hence a serial). */
const earned = () =>
  and(
    isNull(volunteerSignup.cancelledAt),
    sql`${volunteerSignup.minutes} > 0`,
    isNotNull(volunteerSignup.certificateSerial),
    eq(volunteerActivity.status, 'published'),
  );

const lineOf = (r: Awaited<ReturnType<ReturnType<typeof joined>['where']>>[number]): YearLine => ({
  signupId: r.signupId,
  serial: r.serial!,
  activityTitle: r.activityTitle,
  place: r.place,
  startsAt: r.startsAt,
  endsAt: r.endsAt,
  minutes: r.minutes!,
  issuer: r.issuer,
});

/** A member's sign-ups with hours at activities starting in the Beijing year `year`, oldest first. */
async function earnedInYear(db: Queryable, tenantId: string, memberId: string, year: number): Promise<YearLine[]> {
  const rows = await joined(db)
    .where(
      and(
        eq(volunteerSignup.tenantId, tenantId),
        eq(volunteerSignup.memberId, memberId),
        earned(),
        sql`${volunteerActivity.startsAt} >= ${yearStart(year).toISOString()}`,
        sql`${volunteerActivity.startsAt} < ${yearStart(year + 1).toISOString()}`,
      ),
    )
    .orderBy(asc(volunteerActivity.startsAt), asc(volunteerSignup.id));
  return rows.map(lineOf);
}

const sameSignups = (a: { id: string; serial: string }[], b: { id: string; serial: string }[]) =>
  a.length === b.length && a.every((x, i) => x.id === b[i]!.id && x.serial === b[i]!.serial);

/**
 * Issues the caller's yearly certificate of `year` (POST: it may write). The same hours as an earlier issue give that
 * certificate again (same serial and date); different ones (a new activity, a correction) a new serial. Someone
 * without a member record, or without hours that year, gets a clear 422.
 */
export async function issueYearCertificate(
  db: Queryable,
  tenantId: string,
  userId: string,
  year: number,
): Promise<YearCertificate> {
  const self = await memberOfUser(db, tenantId, userId);
  if (!self) throw unprocessable('您的账号没有关联党员档案，没有志愿服务记录', undefined, 'NOT_A_MEMBER');
  const lines = await earnedInYear(db, tenantId, self.id, year);
  if (lines.length === 0)
    throw unprocessable(
      `${year} 年没有记录服务时长的志愿服务活动，不能开具年度证明`,
      undefined,
      'CERTIFICATE_NOT_EARNED',
    );
  const signups = lines.map((l) => ({ id: l.signupId, serial: l.serial }));
  const minutes = lines.reduce((n, l) => n + l.minutes, 0);
  const earlier = await db
    .select()
    .from(volunteerYearCertificate)
    .where(
      and(
        eq(volunteerYearCertificate.tenantId, tenantId),
        eq(volunteerYearCertificate.memberId, self.id),
        eq(volunteerYearCertificate.year, year),
      ),
    );
  let issued = earlier.find((c) => sameSignups(c.signups, signups));
  if (!issued) {
    [issued] = await db
      .insert(volunteerYearCertificate)
      .values({
        tenantId,
        memberId: self.id,
        year,
        serial: newCertificateSerial(YEAR_CERTIFICATE_PREFIX),
        signups,
        minutes,
        issuedAt: clockNow(),
      })
      .returning();
  }
  const [m] = await db.select({ name: member.name }).from(member).where(eq(member.id, self.id));
  return { serial: issued!.serial, memberName: m!.name, year, minutes, lines, issuedOn: chinaDate(issued!.issuedAt) };
}

/**
 * The public check of a yearly serial: genuine while each activity it lists still has the one-activity serial it had
 * at issue (a correction or cancellation since voids it: 404 like an unknown serial).
 */
async function checkYearCertificate(db: Queryable, serial: string): Promise<YearCertificateCheck> {
  const [c] = await db.select().from(volunteerYearCertificate).where(eq(volunteerYearCertificate.serial, serial));
  const rows = c?.signups.length
    ? await joined(db).where(
        and(
          eq(volunteerSignup.tenantId, c.tenantId),
          inArray(
            volunteerSignup.id,
            c.signups.map((s) => s.id),
          ),
          earned(),
        ),
      )
    : [];
  const byId = new Map(rows.map((r) => [r.signupId, r]));
  const lines = c?.signups.map((s) => byId.get(s.id)).filter((r) => r !== undefined) ?? [];
  if (!c || lines.length !== c.signups.length || c.signups.some((s) => byId.get(s.id)?.serial !== s.serial))
    throw certificateNotFound();
  return {
    serial,
    genuine: true,
    kind: 'year',
    memberName: maskPersonName(lines[0]!.memberName),
    year: c.year,
    minutes: lines.reduce((n, l) => n + (l.minutes ?? 0), 0),
    issuedOn: chinaDate(c.issuedAt),
    activities: lines.map((l) => ({
      activityTitle: l.activityTitle,
      startsAt: l.startsAt.toISOString(),
      endsAt: l.endsAt.toISOString(),
      minutes: l.minutes ?? 0,
      issuer: l.issuer,
    })),
  };
}

/** The QR code of the check's URL as a grayscale PNG (no alpha: pdfkit embeds it as it is). */
export const certificateQr = (url: string): Promise<Buffer> =>
  QRCode.toBuffer(url, { errorCorrectionLevel: 'M', margin: 1, width: 300, rendererOpts: { colorType: 0 } as object });

export const certificateFontMissing = () =>
  new AppError(
    503,
    'PDF_FONT_MISSING',
    '服务器未安装中文字体，暂时无法生成志愿服务证明；请管理员安装 fonts-noto-cjk（或设置 XF_CJK_FONT）后重试',
  );

/** Hours as the certificate words them: 3 小时, 2 小时 30 分钟, 45 分钟. */
export const hoursText = (minutes: number) => {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} 小时` : '', m ? `${m} 分钟` : ''].filter(Boolean).join(' ') || '0 分钟';
};
const beijingTime = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
const cnDate = (ymd: string) => `${Number(ymd.slice(0, 4))}年${Number(ymd.slice(5, 7))}月${Number(ymd.slice(8, 10))}日`;

/** The time of the activity as the certificate words it: 2026年11月12日 09:00—12:00 (or across days, both dates). */
export function whenText(startsAt: Date, endsAt: Date): string {
  const a = chinaDate(startsAt);
  const b = chinaDate(endsAt);
  return a === b
    ? `${cnDate(a)} ${beijingTime(startsAt)}—${beijingTime(endsAt)}`
    : `${cnDate(a)} ${beijingTime(startsAt)} 至 ${cnDate(b)} ${beijingTime(endsAt)}`;
}

const RED = '#c8102e';

/**
 * A certificate's page: A4 landscape, the red double frame and the title (`title`, and under it the serial line), in
 * the CJK font the meeting 台账 uses. Both kinds of certificate are drawn on it; `framedPage` starts a further page.
 */
function certificateDoc(info: PDFKit.DocumentInfo, font: CjkFont | null) {
  const { doc, finish } = cjkPdf(
    { size: 'A4', layout: 'landscape', margin: 0, info: { Creator: '先锋 Xianfeng', ...info } },
    font,
    certificateFontMissing,
  );
  const W = doc.page.width; // 841.89
  const H = doc.page.height; // 595.28
  const left = 96;
  const width = W - 2 * left;
  const frame = () => {
    doc
      .lineWidth(3)
      .strokeColor(RED)
      .rect(28, 28, W - 56, H - 56)
      .stroke();
    doc
      .lineWidth(1)
      .rect(38, 38, W - 76, H - 76)
      .stroke();
  };
  const head = (title: string, serial: string) => {
    frame();
    doc.fillColor(RED).fontSize(34).text(title, left, 84, { width, align: 'center', characterSpacing: 8 });
    doc.fillColor('#333333').fontSize(11).text(`证书编号：${serial}`, left, 136, { width, align: 'center' });
  };
  const framedPage = () => {
    doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
    frame();
  };
  return { doc, finish, W, H, left, width, head, framedPage };
}

/** The foot of a certificate's last page: the QR code (`qrPng`) of `verifyUrl` at the left, how to check it beside it. */
function certificateFoot(
  doc: PDFKit.PDFDocument,
  left: number,
  H: number,
  qrPng: Buffer,
  verifyUrl: string,
  note: string,
) {
  const qr = 104;
  const qy = H - 58 - qr;
  doc.image(qrPng, left, qy, { width: qr, height: qr });
  doc.fillColor('#333333').fontSize(10);
  const tx = left + qr + 14;
  doc.text('扫描二维码或打开下方网址，即可核验本证明的真伪及所证明的内容。', tx, qy + 22, { width: 360 });
  doc.text(verifyUrl, tx, qy + 42, { width: 420 });
  doc.text(note, tx, qy + 62, { width: 420 });
}

/**
 * The certificate as an A4 landscape PDF (pdfkit, the CJK font the meeting 台账 uses): a red double frame, the title,
 * the statement, the issuer and date, and at the foot the serial with the QR code (`qrPng`) of `verifyUrl`.
 */
export async function certificatePdf(
  c: Certificate,
  verifyUrl: string,
  qrPng: Buffer,
  font: CjkFont | null = findCjkFont(),
): Promise<Buffer> {
  const { doc, finish, H, left, width, head } = certificateDoc(
    { Title: `志愿服务证明 ${c.serial}`, Subject: c.activityTitle },
    font,
  );
  head('志愿服务证明', c.serial);

  doc.fillColor('#000000').fontSize(17);
  const statement =
    `兹证明 ${c.memberName} 同志于 ${whenText(c.startsAt, c.endsAt)} 参加由 ${c.issuer} 组织的志愿服务活动` +
    `「${c.activityTitle}」（地点：${c.place}），经签到签退记录核实，服务时长 ${hoursText(c.minutes)}。`;
  doc.text(statement, left, 186, { width, lineGap: 10, indent: 34 });
  doc.moveDown(0.6).text('特此证明。', { width, indent: 34 });

  // Issuer and date, right-aligned above the foot.
  doc.fontSize(16).text(c.issuer, left, H - 206, { width, align: 'right' });
  doc.fontSize(14).text(cnDate(c.issuedOn), left, H - 178, { width, align: 'right' });

  certificateFoot(
    doc,
    left,
    H,
    qrPng,
    verifyUrl,
    '本证明依据先锋智慧党建平台的签到签退记录生成；服务时长经组织者更正后原证明作废，以新证明为准。',
  );
  return finish();
}

/**
 * The yearly certificate as a PDF on the same page as the one-activity certificate: the statement (the year, how
 * many activities, the total), a table of the activities (time, activity, organizing org, hours — continued on
 * further pages when long), 特此证明 and the date of issue, and the QR foot on the last page.
 */
export async function yearCertificatePdf(
  c: YearCertificate,
  verifyUrl: string,
  qrPng: Buffer,
  font: CjkFont | null = findCjkFont(),
): Promise<Buffer> {
  const { doc, finish, H, left, width, head, framedPage } = certificateDoc(
    { Title: `年度志愿服务证明 ${c.serial}`, Subject: `${c.year} 年度志愿服务` },
    font,
  );
  head(`${c.year}年度志愿服务证明`, c.serial);
  doc.fillColor('#000000').fontSize(16);
  doc.text(
    `兹证明 ${c.memberName} 同志在 ${c.year} 年度参加志愿服务活动 ${c.lines.length} 次，经签到签退记录核实，累计服务时长 ${hoursText(c.minutes)}。明细如下：`,
    left,
    176,
    { width, lineGap: 8, indent: 32 },
  );
  const cols = [
    { title: '时间', width: 200 },
    { title: '活动', width: width - 200 - 170 - 90 },
    { title: '组织单位', width: 170 },
    { title: '服务时长', width: 90 },
  ];
  const row = (cells: string[], y: number, bold: boolean) => {
    doc.fontSize(10.5).fillColor(bold ? RED : '#000000');
    let x = left;
    let h = 0;
    cells.forEach((text, i) => {
      const w = cols[i]!.width;
      h = Math.max(h, doc.heightOfString(text, { width: w - 8 }));
      doc.text(text, x + 4, y + 4, { width: w - 8 });
      x += w;
    });
    const bottom = y + h + 8;
    doc
      .lineWidth(0.5)
      .strokeColor('#999999')
      .moveTo(left, bottom)
      .lineTo(left + width, bottom)
      .stroke();
    return bottom;
  };
  const header = (y: number) =>
    row(
      cols.map((c) => c.title),
      y,
      true,
    );
  let y = header(doc.y + 10);
  for (const l of c.lines) {
    const cells = [whenText(l.startsAt, l.endsAt), `${l.activityTitle}（${l.place}）`, l.issuer, hoursText(l.minutes)];
    const need =
      Math.max(...cells.map((t, i) => doc.fontSize(10.5).heightOfString(t, { width: cols[i]!.width - 8 }))) + 8;
    if (y + need > H - 70) {
      framedPage();
      doc
        .fillColor('#333333')
        .fontSize(11)
        .text(`${c.year}年度志愿服务证明（续） 证书编号：${c.serial}`, left, 60, { width, align: 'center' });
      y = header(86);
    }
    y = row(cells, y, false);
  }
  // 特此证明 (left) and the date of issue (right) on one line above the foot; a long table puts them on a page of their own.
  if (y > H - 200) {
    framedPage();
    y = 80;
  }
  doc
    .fillColor('#000000')
    .fontSize(15)
    .text('特此证明。', left + 32, y + 14, { width: width / 2 });
  doc.fontSize(14).text(cnDate(c.issuedOn), left, y + 16, { width, align: 'right' });
  certificateFoot(
    doc,
    left,
    H,
    qrPng,
    verifyUrl,
    '本证明汇总所列各组织单位的签到签退记录；任一活动的服务时长经更正或取消后本证明作废，以新证明为准。',
  );
  return finish();
}
