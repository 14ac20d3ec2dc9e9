/**
 * Generated paperwork (.docx) filled from the record: the 公示 notices (admission and
 * conversion) and one registration form (登记表) per stage with the person's data and the dates
 * and responsible bodies of that stage's steps. The numbers printed are masked as on screen.
 */
import {
  addYears,
  DEVELOP_RULES,
  DEVELOP_STAGES,
  DEVELOP_STATUS_LABELS,
  DEVELOP_STEPS,
  GENDER_LABELS,
  type DevelopPersonDetail,
  type VoteInput,
} from '@xianfeng/shared';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { unprocessable } from '../../platform/errors';

export const DOCUMENT_KINDS = [
  'notice',
  'conversion_notice',
  'stage1',
  'stage2',
  'stage3',
  'stage4',
  'stage5',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

const FORM_TITLES: Record<number, string> = {
  1: '入党申请人登记表',
  2: '入党积极分子培养教育考察登记表',
  3: '发展对象登记表',
  4: '接收预备党员登记表',
  5: '预备党员教育考察及转正登记表',
};

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const borders = { top: border, bottom: border, left: border, right: border };
const FONT = 'SimSun';

const text = (t: string, opts: { bold?: boolean; size?: number } = {}) =>
  new TextRun({ text: t, bold: opts.bold ?? false, font: FONT, size: opts.size ?? 24 });
const para = (t: string, opts: { bold?: boolean; size?: number; center?: boolean; indent?: boolean } = {}) =>
  new Paragraph({
    children: [text(t, opts)],
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { after: 120, line: 360 },
    ...(opts.indent ? { indent: { firstLine: 480 } } : {}),
  });
const cell = (t: string, opts: { bold?: boolean; width?: number; span?: number } = {}) =>
  new TableCell({
    borders,
    children: t
      .split('\n')
      .map((line) => new Paragraph({ children: [text(line, { bold: opts.bold ?? false, size: 21 })] })),
    ...(opts.width ? { width: { size: opts.width, type: WidthType.PERCENTAGE } } : {}),
    ...(opts.span ? { columnSpan: opts.span } : {}),
  });
const table = (rows: TableCell[][]) =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map((children) => new TableRow({ children })),
  });

const cnDate = (d: string | undefined | null) =>
  d ? `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日` : '';
const stepDate = (p: DevelopPersonDetail, no: number) => p.steps.find((s) => s.step === no)?.date ?? null;

function basics(p: DevelopPersonDetail): TableCell[][] {
  return [
    [
      cell('姓名', { bold: true }),
      cell(p.name),
      cell('性别', { bold: true }),
      cell(GENDER_LABELS[p.gender]),
      cell('民族', { bold: true }),
      cell(p.ethnicity),
    ],
    [
      cell('出生日期', { bold: true }),
      cell(cnDate(p.birthDate)),
      cell('学历', { bold: true }),
      cell(p.education ?? ''),
      cell('身份', { bold: true }),
      cell(DEVELOP_STATUS_LABELS[p.status]),
    ],
    [cell('身份证号', { bold: true }), cell(p.idCardNo, { span: 3 }), cell('联系电话', { bold: true }), cell(p.phone)],
    [
      cell('所在党支部', { bold: true }),
      cell(p.orgName, { span: 3 }),
      cell('工作岗位', { bold: true }),
      cell(p.jobTitle ?? ''),
    ],
  ];
}

function noticeDoc(p: DevelopPersonDetail, conversion: boolean, branchName: string): Paragraph[] | null {
  const noticeStep = conversion ? 22 : 12;
  const notice = p.notices.find((x) => x.step === noticeStep);
  if (!notice) return null;
  const { from, to } = notice;
  const title = conversion
    ? `关于${p.name}同志拟转为中共正式党员的公示`
    : `关于拟发展${p.name}同志为中共预备党员的公示`;
  const sponsors = p.sponsors.map((x) => x.name).join('、') || '（未登记）';
  const body = conversion
    ? `${p.name}，${GENDER_LABELS[p.gender]}，${p.ethnicity}，${cnDate(p.birthDate)}出生，${p.education ?? ''}${p.education ? '学历，' : ''}现任${p.jobTitle ?? '本单位职工'}。` +
      `于${cnDate(stepDate(p, 15))}经支部大会讨论通过为中共预备党员，预备期至${cnDate(stepDate(p, 15) ? addYears(stepDate(p, 15)!, DEVELOP_RULES.probationYears) : null)}。` +
      `经支部委员会研究，拟讨论其转为中共正式党员，现予公示。`
    : `${p.name}，${GENDER_LABELS[p.gender]}，${p.ethnicity}，${cnDate(p.birthDate)}出生，${p.education ?? ''}${p.education ? '学历，' : ''}现任${p.jobTitle ?? '本单位职工'}。` +
      `${cnDate(p.appliedAt)}递交入党申请书，${cnDate(stepDate(p, 3))}被确定为入党积极分子，${cnDate(stepDate(p, 7))}被列为发展对象，入党介绍人为${sponsors}。` +
      `经支部委员会审查，拟将其发展为中共预备党员，现予公示。`;
  return [
    para(title, { bold: true, size: 36, center: true }),
    para(body, { indent: true }),
    para(`公示时间：${cnDate(from)}至${cnDate(to)}（${DEVELOP_RULES.noticeWorkingDays}个工作日）。`, { indent: true }),
    para(
      '公示期间，党员和群众可通过来信、来电、来访等方式向党支部或上级党委组织部门反映情况。反映问题应实事求是，以真实姓名反映的，我们将严格保密。',
      { indent: true },
    ),
    para(''),
    para(`中共${branchName}`),
    para(cnDate(from)),
  ];
}

function voteLine(v: VoteInput | undefined) {
  if (!v) return '';
  return `应到会有表决权 ${v.entitled} 人，实到 ${v.present} 人，书面意见 ${v.written} 人；赞成 ${v.for}，反对 ${v.against}，弃权 ${v.abstain}`;
}

function stageForm(p: DevelopPersonDetail, stage: number): (Paragraph | Table)[] {
  const steps = DEVELOP_STEPS.filter((s) => s.stage === stage);
  const rows: TableCell[][] = [
    [
      cell('步骤', { bold: true, width: 28 }),
      cell('日期', { bold: true, width: 17 }),
      cell('责任人/组织', { bold: true, width: 20 }),
      cell('情况记载', { bold: true, width: 35 }),
    ],
  ];
  for (const s of steps) {
    const rec = p.steps.find((x) => x.step === s.no);
    const notes: string[] = [];
    if (rec) {
      const d = rec.details as {
        vote?: VoteInput;
        trainingDays?: number;
        trainingHours?: number;
        reviewConclusion?: string;
        noticeFrom?: string;
      };
      if (s.no === 5 && p.contacts.length) notes.push(`培养联系人：${p.contacts.map((c) => c.name).join('、')}`);
      if (s.no === 9 && p.sponsors.length) notes.push(`入党介绍人：${p.sponsors.map((c) => c.name).join('、')}`);
      if (d.reviewConclusion) notes.push(`政审结论：${d.reviewConclusion}`);
      if (d.trainingDays || d.trainingHours)
        notes.push(`培训 ${d.trainingDays ?? 0} 天 / ${d.trainingHours ?? 0} 学时`);
      const notice = p.notices.find((x) => x.step === s.no);
      if (notice) notes.push(`公示：${notice.from} 至 ${notice.to}`);
      if (d.vote) notes.push(voteLine(d.vote));
      if (rec.notes) notes.push(rec.notes);
      if (rec.override) notes.push(`（经组织管理员越权通过：${rec.override.reason}）`);
    }
    rows.push([
      cell(`${s.no}. ${s.name}`),
      cell(rec ? cnDate(rec.date) : '未办理'),
      cell(rec?.responsible ?? s.responsible),
      cell(notes.join('\n')),
    ]);
  }
  const out: (Paragraph | Table)[] = [
    para(FORM_TITLES[stage]!, { bold: true, size: 36, center: true }),
    para(`第${'一二三四五'[stage - 1]}阶段：${DEVELOP_STAGES[stage - 1]!.label}`, { center: true }),
    table(basics(p)),
    para(''),
    table(rows),
  ];
  if (stage === 2 && p.assessments.length) {
    out.push(para(''), para('半年考察记录', { bold: true }));
    out.push(
      table([
        [
          cell('考察日期', { bold: true, width: 20 }),
          cell('考察人', { bold: true, width: 20 }),
          cell('考察意见', { bold: true, width: 60 }),
        ],
        ...p.assessments.map((a) => [cell(cnDate(a.on)), cell(a.assessor), cell(a.summary)]),
      ]),
    );
  }
  out.push(para(''), para('党支部书记（签字）：                    党支部（盖章）                    年    月    日'));
  return out;
}

export async function developDocument(
  p: DevelopPersonDetail,
  kind: DocumentKind,
): Promise<{ file: Buffer; fileName: string }> {
  let children: (Paragraph | Table)[];
  let fileName: string;
  if (kind === 'notice' || kind === 'conversion_notice') {
    const conversion = kind === 'conversion_notice';
    const paras = noticeDoc(p, conversion, p.orgName);
    if (!paras)
      throw unprocessable(
        conversion
          ? '尚未登记转正公示（第 22 步「提出转正申请」中的公示开始日期）'
          : '尚未登记公示（第 12 步「支部委员会审查」中的公示开始日期）',
        undefined,
        'NOTICE_NOT_RECORDED',
      );
    children = paras;
    fileName = `${conversion ? '转正公示' : '发展公示'}-${p.name}.docx`;
  } else {
    const stage = Number(kind.slice(5));
    children = stageForm(p, stage);
    fileName = `${FORM_TITLES[stage]}-${p.name}.docx`;
  }
  const doc = new Document({
    creator: '先锋智慧党建',
    title: fileName.replace(/\.docx$/, ''),
    styles: { default: { document: { run: { font: FONT } } } },
    sections: [{ children: [new Paragraph({ heading: HeadingLevel.TITLE, children: [] }), ...children] }],
  });
  return { file: await Packer.toBuffer(doc), fileName };
}
