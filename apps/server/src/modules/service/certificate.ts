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
import { chinaDate, maskPersonName, todayInChina, type CertificateCheck } from '@xianfeng/shared';
import { and, eq, isNull, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Caller } from '../../platform/access';
import type { Queryable } from '../../platform/db';
import { AppError, notFound, unprocessable } from '../../platform/errors';
import { cjkPdf, findCjkFont, type CjkFont } from '../../platform/pdf';
import { org } from '../../platform/schema';
import { member } from '../member/schema';
import { memberOfUser } from '../member/service';
import { volunteerActivity, volunteerSignup } from './schema';

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
export async function orgOfOwnSignup(db: Queryable, tenantId: string, id: string, caller: Caller): Promise<string | null> {
  const self = await memberOfUser(db, tenantId, caller.userId);
  if (!self) return null;
  const [row] = await db
    .select({ id: volunteerSignup.id })
    .from(volunteerSignup)
    .where(and(eq(volunteerSignup.tenantId, tenantId), eq(volunteerSignup.id, id), eq(volunteerSignup.memberId, self.id)));
  return row ? self.orgId : null;
}

const certificateSelect = {
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
    .innerJoin(volunteerActivity, eq(volunteerActivity.id, volunteerSignup.activityId))
    .innerJoin(member, eq(member.id, volunteerSignup.memberId))
    .innerJoin(org, eq(org.id, volunteerActivity.orgId));

/** The certificate of one of the caller's sign-ups (the access lookup made sure it is theirs). */
export async function certificateOf(db: Queryable, tenantId: string, signupId: string): Promise<Certificate> {
  const [r] = await joined(db).where(and(eq(volunteerSignup.tenantId, tenantId), eq(volunteerSignup.id, signupId)));
  if (!r) throw notFound();
  if (r.cancelledAt || r.status === 'cancelled')
    throw unprocessable('报名已取消或活动已取消，不能开具志愿服务证明', undefined, 'CERTIFICATE_NOT_EARNED');
  if (!r.minutes || r.minutes <= 0 || !r.serial)
    throw unprocessable('这项活动还没有记录服务时长（签退后或组织者登记时长后才能开具证明）', undefined, 'CERTIFICATE_NOT_EARNED');
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

/** The public check: a genuine serial's statement with the name masked; anything else is 404. */
export async function checkCertificate(db: Queryable, serial: string): Promise<CertificateCheck> {
  const [r] = await joined(db).where(
    and(eq(volunteerSignup.certificateSerial, serial), isNull(volunteerSignup.cancelledAt), sql`${volunteerSignup.minutes} > 0`, eq(volunteerActivity.status, 'published')),
  );
  if (!r || !r.minutes)
    throw new AppError(404, 'CERTIFICATE_NOT_FOUND', '未找到这个编号的志愿服务证明：编号有误，或证明因服务时长更正已作废（请以新证明为准）');
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

/** The QR code of the check's URL as a grayscale PNG (no alpha: pdfkit embeds it as it is). */
export const certificateQr = (url: string): Promise<Buffer> =>
  QRCode.toBuffer(url, { errorCorrectionLevel: 'M', margin: 1, width: 300, rendererOpts: { colorType: 0 } as object });

export const certificateFontMissing = () =>
  new AppError(503, 'PDF_FONT_MISSING', '服务器未安装中文字体，暂时无法生成志愿服务证明；请管理员安装 fonts-noto-cjk（或设置 XF_CJK_FONT）后重试');

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

/**
 * The certificate as an A4 landscape PDF (pdfkit, the CJK font the meeting 台账 uses): a red double frame, the title,
 * the statement, the issuer and date, and at the foot the serial with the QR code (`qrPng`) of `verifyUrl`.
 */
export async function certificatePdf(c: Certificate, verifyUrl: string, qrPng: Buffer, font: CjkFont | null = findCjkFont()): Promise<Buffer> {
  const { doc, finish } = cjkPdf(
    {
      size: 'A4',
      layout: 'landscape',
      margin: 0,
      info: { Title: `志愿服务证明 ${c.serial}`, Subject: c.activityTitle, Creator: '先锋 Xianfeng' },
    },
    font,
    certificateFontMissing,
  );
  const W = doc.page.width; // 841.89
  const H = doc.page.height; // 595.28
  const red = '#c8102e';
  doc.lineWidth(3).strokeColor(red).rect(28, 28, W - 56, H - 56).stroke();
  doc.lineWidth(1).rect(38, 38, W - 76, H - 76).stroke();

  const left = 96;
  const width = W - 2 * left;
  doc.fillColor(red).fontSize(34).text('志愿服务证明', left, 84, { width, align: 'center', characterSpacing: 8 });
  doc.fillColor('#333333').fontSize(11).text(`证书编号：${c.serial}`, left, 136, { width, align: 'center' });

  doc.fillColor('#000000').fontSize(17);
  const statement =
    `兹证明 ${c.memberName} 同志于 ${whenText(c.startsAt, c.endsAt)} 参加由 ${c.issuer} 组织的志愿服务活动` +
    `「${c.activityTitle}」（地点：${c.place}），经签到签退记录核实，服务时长 ${hoursText(c.minutes)}。`;
  doc.text(statement, left, 186, { width, lineGap: 10, indent: 34 });
  doc.moveDown(0.6).text('特此证明。', { width, indent: 34 });

  // Issuer and date, right-aligned above the foot.
  doc.fontSize(16).text(c.issuer, left, H - 206, { width, align: 'right' });
  doc.fontSize(14).text(cnDate(c.issuedOn), left, H - 178, { width, align: 'right' });

  // The foot: QR code at the left, how to verify beside it.
  const qr = 104;
  const qy = H - 58 - qr;
  doc.image(qrPng, left, qy, { width: qr, height: qr });
  doc.fillColor('#333333').fontSize(10);
  const tx = left + qr + 14;
  doc.text('扫描二维码或打开下方网址，即可核验本证明的真伪及所证明的内容。', tx, qy + 22, { width: 360 });
  doc.text(verifyUrl, tx, qy + 42, { width: 420 });
  doc.text('本证明依据先锋智慧党建平台的签到签退记录生成；服务时长经组织者更正后原证明作废，以新证明为准。', tx, qy + 62, { width: 420 });
  return finish();
}
