/**
 * 台账: the meeting ledger of an org for a period, generated from what was recorded (minutes,
 * sign-in, photos) — no second entry. Word (.docx) in the layout secretaries print, and PDF
 * when a CJK font is installed on the server.
 */
import { inSubtree } from '../../platform/access';
import {
  addDays,
  chinaDayStart,
  MEETING_KIND_LABELS,
  MEETING_MODE_LABELS,
  type MeetingKind,
  type MeetingMode,
  ONLINE_SERVICE_LABELS,
  type OnlineService,
  type VoteCount,
  type VotingBody,
} from '@xianfeng/shared';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import { onKey, type Queryable } from '../../platform/db';
import { AppError, unprocessable } from '../../platform/errors';
import { cjkPdf, findCjkFont } from '../../platform/pdf';
import { org } from '../../platform/schema';
import { sniff, type FileStore } from '../../platform/files';
import { meeting, meetingFile } from './schema';
import { chinaDate, chinaDateTime, getMinutes, type MinutesView } from './service';

export const MAX_LEDGER_MEETINGS = 300;

/** `note`: why the photo is listed by name only, not embedded. */
type Photo = {
  fileName: string;
  mime: string;
  data: Buffer;
  width: number | null;
  height: number | null;
  note?: string;
};

/**
 * Caps on what one 台账 holds in memory (issue 14 item 12): photos are embedded until their bytes reach
 * MAX_LEDGER_PHOTO_BYTES, and none whose header declares more than MAX_PHOTO_PIXELS — the PDF writer
 * decodes PNGs to pixels, and a small PNG of 8000 × 8000 zeros decodes to 256 MB. Photos past a cap are
 * listed by name with the reason; they stay in the system.
 */
export const MAX_LEDGER_PHOTO_BYTES = 48 * 1024 * 1024;
export const MAX_PHOTO_PIXELS = 24_000_000;
export type LedgerEntry = {
  id: string;
  kind: MeetingKind;
  title: string;
  orgName: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  /** 现场 / 线上 / 现场 + 线上 with the video service and meeting number (issue #27); null for in person. */
  modeText: string | null;
  minutes: MinutesView;
  photos: Photo[];
  attachments: string[];
};
export type Ledger = { org: OrgRef; from: string; to: string; entries: LedgerEntry[] };

/** Held meetings of the org and its subtree between two China dates (inclusive), with their records. */
/** `visible`: org paths whose people the reader sees by name (a joint activity's guests from elsewhere are not named). */
export async function loadLedger(
  db: Queryable,
  store: FileStore,
  tenantId: string,
  root: OrgRef,
  from: string,
  to: string,
  visible?: readonly string[],
): Promise<Ledger> {
  if (to < from)
    throw unprocessable(
      '结束日期须不早于开始日期',
      [{ field: 'to', message: '结束日期须不早于开始日期' }],
      'PERIOD_INVALID',
    );
  const rows = await db
    .select({ m: meeting, orgName: org.name })
    .from(meeting)
    .innerJoin(org, onKey(org, meeting.orgId, meeting))
    .where(
      and(
        eq(meeting.tenantId, tenantId),
        inSubtree(org.path, root.path),
        eq(meeting.status, 'held'),
        gte(meeting.startsAt, chinaDayStart(from)),
        lt(meeting.startsAt, chinaDayStart(addDays(to, 1))),
      ),
    )
    .orderBy(asc(meeting.startsAt), asc(meeting.id))
    .limit(MAX_LEDGER_MEETINGS + 1);
  if (rows.length > MAX_LEDGER_MEETINGS)
    throw unprocessable(
      `该期间会议超过 ${MAX_LEDGER_MEETINGS} 次，请缩短期间或按下级组织分别生成台账`,
      undefined,
      'LEDGER_TOO_LARGE',
    );
  const entries: LedgerEntry[] = [];
  let photoBytes = 0;
  for (const { m, orgName } of rows) {
    const files = await db
      .select()
      .from(meetingFile)
      .where(eq(meetingFile.meetingId, m.id))
      .orderBy(asc(meetingFile.createdAt));
    const photos: Photo[] = [];
    for (const f of files.filter((f) => f.kind === 'photo')) {
      const listed = (note: string): Photo => ({
        fileName: f.fileName,
        mime: f.mime,
        data: Buffer.alloc(0),
        width: null,
        height: null,
        note,
      });
      if (photoBytes + f.size > MAX_LEDGER_PHOTO_BYTES) {
        photos.push(listed('台账照片已达上限，未嵌入，请在系统中查看'));
        continue;
      }
      let data: Buffer;
      try {
        data = await store.get(f.storageKey);
      } catch {
        photos.push({
          fileName: `${f.fileName}（文件缺失）`,
          mime: 'missing',
          data: Buffer.alloc(0),
          width: null,
          height: null,
        });
        continue;
      }
      // The dimensions the file itself declares (not the row's copy), before any writer decodes it.
      const s = sniff(data);
      if (!s?.image) {
        photos.push(listed('无法识别的图片格式，未嵌入，请在系统中查看'));
        continue;
      }
      if ((s.width ?? 0) * (s.height ?? 0) > MAX_PHOTO_PIXELS) {
        photos.push(listed('图片尺寸过大，未嵌入，请在系统中查看'));
        continue;
      }
      photoBytes += data.length;
      photos.push({ fileName: f.fileName, mime: s.mime, data, width: s.width, height: s.height });
    }
    entries.push({
      id: m.id,
      kind: m.kind as MeetingKind,
      title: m.title,
      orgName,
      startsAt: m.startsAt,
      endsAt: m.endsAt,
      location: m.location,
      modeText:
        m.mode === 'in_person'
          ? null
          : `${MEETING_MODE_LABELS[m.mode as MeetingMode]}${m.onlineService ? `（${ONLINE_SERVICE_LABELS[m.onlineService as OnlineService] ?? m.onlineService} 会议号 ${m.onlineNumber ?? ''}）` : ''}`,
      minutes: await getMinutes(db, tenantId, m.id, visible),
      photos,
      attachments: files.filter((f) => f.kind !== 'photo').map((f) => f.fileName),
    });
  }
  return { org: root, from, to, entries };
}

const names = (list: { name: string }[]) => list.map((p) => p.name).join('、') || '无';

/** The rows of one meeting's record, as label and text, shared by the Word and PDF layouts. */
/** 「（应到会有表决权 9 人，实到 8 人；赞成 7 票，反对 1 票，弃权 0 票）」 after a voted resolution. */
const voteText = (v: (VoteCount & VotingBody) | undefined) =>
  v
    ? `（应到会有表决权 ${v.entitled} 人，实到 ${v.present} 人；赞成 ${v.for} 票，反对 ${v.against} 票，弃权 ${v.abstain} 票）`
    : '';

/** 「（线上）」「（早退）」「（线上，代签）」「（线上，早退）」 after an attendee's name. */
const attendeeNote = (a: { online: boolean; method?: string | null; leftEarlyAt: string | null }) => {
  const notes = [
    a.online ? '线上' : '',
    a.method === 'manual_online' ? '代签' : '',
    a.leftEarlyAt ? '早退' : '',
  ].filter(Boolean);
  return notes.length ? `（${notes.join('，')}）` : '';
};

function recordRows(e: LedgerEntry): [string, string][] {
  const mi = e.minutes;
  const late = mi.attendees.filter((a) => a.late);
  const rows: [string, string][] = [
    ['会议类型', MEETING_KIND_LABELS[e.kind]],
    ['组织', e.orgName],
    [
      '时间',
      `${chinaDateTime(e.startsAt)} 至 ${chinaDateTime(e.endsAt).slice(chinaDate(e.startsAt) === chinaDate(e.endsAt) ? 11 : 0)}`,
    ],
    ['地点', e.location],
    ...(e.modeText ? ([['会议形式', e.modeText]] as [string, string][]) : []),
    ['主持人', mi.host ?? ''],
    ['记录人', mi.recorder ?? ''],
    [
      '应到 / 实到',
      `应到 ${mi.due} 人，实到 ${mi.present} 人${mi.presentOnline ? `（现场 ${mi.presentInPerson} 人，线上 ${mi.presentOnline} 人）` : ''}${late.length ? `（迟到 ${late.length} 人：${names(late)}）` : ''}`,
    ],
    ['出席人员', names(mi.attendees.map((a) => ({ name: `${a.name}${attendeeNote(a)}` })))],
    ['缺席人员及原因', mi.absentees.map((a) => `${a.name}（${a.reason}）`).join('；') || '无'],
  ];
  if (e.kind === 'lecture')
    rows.push([
      '主讲人 / 党课题目',
      `${mi.speaker ?? ''}${mi.speakerIsSecretary ? '（党支部书记）' : ''} / ${mi.topic ?? ''}`,
    ]);
  rows.push(
    ['会议议程', mi.agenda || '—'],
    ['会议内容', mi.content ?? ''],
    ['形成决议', mi.resolutions.map((r, i) => `${i + 1}. ${r}${voteText(mi.votes[i])}`).join('\n') || '无'],
  );
  const absent = mi.absentees.length;
  if (absent)
    rows.push(['补学情况', `应补学 ${absent} 人，已完成 ${mi.absentees.filter((a) => a.makeupDoneAt).length} 人`]);
  if (e.attachments.length) rows.push(['附件', e.attachments.join('、')]);
  return rows;
}

const periodText = (l: Ledger) => `${l.from} 至 ${l.to}`;

// ---- Word -------------------------------------------------------------------

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const borders = { top: border, bottom: border, left: border, right: border };
const lines = (text: string, bold = false) =>
  text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] }));
const cell = (text: string, opts: { bold?: boolean; width?: number } = {}) =>
  new TableCell({
    borders,
    children: lines(text, opts.bold),
    ...(opts.width ? { width: { size: opts.width, type: WidthType.PERCENTAGE } } : {}),
  });

function scaled(p: Photo, maxW = 480, maxH = 360): { width: number; height: number } {
  const w = p.width ?? 4;
  const h = p.height ?? 3;
  const k = Math.min(maxW / w, maxH / h, 1);
  return { width: Math.max(1, Math.round(w * k)), height: Math.max(1, Math.round(h * k)) };
}

const DOCX_TYPES: Record<string, 'jpg' | 'png' | 'gif'> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
};

export async function ledgerDocx(l: Ledger): Promise<Buffer> {
  const summary = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: ['序号', '日期', '类型', '会议名称', '应到', '实到', '缺席'].map((h) => cell(h, { bold: true })),
      }),
      ...l.entries.map(
        (e, i) =>
          new TableRow({
            children: [
              String(i + 1),
              chinaDate(e.startsAt),
              MEETING_KIND_LABELS[e.kind],
              e.title,
              String(e.minutes.due),
              String(e.minutes.present),
              String(e.minutes.absentees.length),
            ].map((t) => cell(t)),
          }),
      ),
    ],
  });
  const body: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: `${l.org.name}组织生活台账`, bold: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun(`期间：${periodText(l)}　共 ${l.entries.length} 次`)],
    }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('会议一览')] }),
    l.entries.length ? summary : new Paragraph('本期间没有已召开并记录的会议。'),
  ];
  l.entries.forEach((e, i) => {
    body.push(new Paragraph({ children: [new PageBreak()] }));
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${i + 1}. ${e.title}`)] }));
    body.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: recordRows(e).map(
          ([k, v]) => new TableRow({ children: [cell(k, { bold: true, width: 20 }), cell(v, { width: 80 })] }),
        ),
      }),
    );
    if (e.photos.length)
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('活动照片')] }));
    for (const p of e.photos) {
      if (p.note) {
        body.push(
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ text: `${p.fileName}（${p.note}）`, size: 18 })],
          }),
        );
        continue;
      }
      const type = DOCX_TYPES[p.mime];
      if (type)
        body.push(
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new ImageRun({
                type,
                data: p.data,
                transformation: scaled(p),
                altText: { name: p.fileName, description: p.fileName, title: p.fileName },
              }),
            ],
          }),
        );
      body.push(
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new TextRun({ text: type ? p.fileName : `${p.fileName}（此格式无法嵌入 Word，请在系统中查看）`, size: 18 }),
          ],
        }),
      );
    }
  });
  const doc = new Document({
    creator: '先锋 Xianfeng',
    title: `${l.org.name}组织生活台账`,
    styles: {
      default: {
        document: { run: { font: { ascii: 'Times New Roman', eastAsia: '宋体', hAnsi: 'Times New Roman' }, size: 24 } },
      },
    },
    sections: [{ children: body }],
  });
  return Packer.toBuffer(doc);
}

// ---- PDF --------------------------------------------------------------------

export { findCjkFont };

export const fontMissing = () =>
  new AppError(
    503,
    'PDF_FONT_MISSING',
    '服务器未安装中文字体，暂时无法生成 PDF 台账；请下载 Word 版，或由管理员安装 fonts-noto-cjk（或设置 XF_CJK_FONT）后重试',
  );

export async function ledgerPdf(l: Ledger, font = findCjkFont()): Promise<Buffer> {
  const { doc, finish } = cjkPdf(
    { size: 'A4', margin: 56, info: { Title: `${l.org.name}组织生活台账`, Creator: '先锋 Xianfeng' } },
    font,
    fontMissing,
  );
  const width = doc.page.width - 112;
  doc.fontSize(20).text(`${l.org.name}组织生活台账`, { align: 'center' });
  doc
    .moveDown(0.5)
    .fontSize(11)
    .text(`期间：${periodText(l)}　共 ${l.entries.length} 次`, { align: 'center' });
  doc.moveDown().fontSize(14).text('会议一览');
  doc.fontSize(10);
  if (!l.entries.length) doc.text('本期间没有已召开并记录的会议。');
  l.entries.forEach((e, i) => {
    doc.text(
      `${i + 1}. ${chinaDate(e.startsAt)}　${MEETING_KIND_LABELS[e.kind]}　${e.title}　应到 ${e.minutes.due} 人，实到 ${e.minutes.present} 人`,
      { width },
    );
  });
  for (const [i, e] of l.entries.entries()) {
    doc.addPage();
    doc.fontSize(15).text(`${i + 1}. ${e.title}`);
    doc.moveDown(0.5).fontSize(10.5);
    for (const [k, v] of recordRows(e)) {
      doc.text(`${k}：`, { continued: true, width }).text(v, { width });
      doc.moveDown(0.3);
    }
    for (const p of e.photos) {
      if (p.note) {
        doc.text(`照片：${p.fileName}（${p.note}）`);
        continue;
      }
      if (p.mime !== 'image/jpeg' && p.mime !== 'image/png') {
        doc.text(`照片：${p.fileName}（此格式无法嵌入 PDF，请在系统中查看）`);
        continue;
      }
      const { width: w, height: h } = scaled(p, width, 300);
      if (doc.y + h > doc.page.height - 72) doc.addPage();
      try {
        doc.image(p.data, { fit: [w, h] });
        doc.fontSize(9).text(p.fileName, { width }).fontSize(10.5);
      } catch {
        doc.text(`照片：${p.fileName}（图片无法读取）`);
      }
    }
  }
  return finish();
}
