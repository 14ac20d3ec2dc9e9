/**
 * 题库 Excel import: the template, and an all-or-nothing import with a row-and-column Chinese error report — the
 * member import's machinery (platform/sheets.ts: the file checked and streamed in a worker thread; the job runner's
 * progress for a background import). Each row is checked by the same QuestionInput as a question added by hand.
 * Duplicates are found by the normalised stem (normaliseStem): within the file, and against the live questions of
 * the bank the importing org works with (its line: above it, it, below it). Nothing is written when any row is bad.
 */
import {
  normaliseStem,
  QUESTION_CATEGORIES,
  QUESTION_DIFFICULTIES,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
  QuestionInput,
  type QuestionKind,
} from '@xianfeng/shared';
import { and, eq, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { pathPrefixes, type ActingScope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db } from '../../platform/db';
import { org } from '../../platform/schema';
import {
  noDataRows,
  refuseRowErrors,
  streamImportSheet,
  type ImportLimits,
  type RowError,
} from '../../platform/sheets';
import { learnQuestion } from './schema';
import { questionRow } from './service';

type Key =
  'kind' | 'category' | 'difficulty' | 'stem' | 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'answer' | 'explanation' | 'source';
type Column = { header: string; key: Key; required: boolean; width: number; note?: string };
const OPTION_KEYS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;

export const QUESTION_COLUMNS: Column[] = [
  { header: '题型', key: 'kind', required: true, width: 10, note: '单选题 / 多选题 / 判断题 / 填空题' },
  { header: '分类', key: 'category', required: false, width: 8, note: `${QUESTION_CATEGORIES.join(' / ')}；默认其他` },
  {
    header: '难度',
    key: 'difficulty',
    required: false,
    width: 8,
    note: `${QUESTION_DIFFICULTIES.join(' / ')}；默认中`,
  },
  { header: '题干', key: 'stem', required: true, width: 40, note: '填空题用 ____ 或（ ）标出每个空' },
  ...OPTION_KEYS.map((k) => ({
    header: `选项${k.toUpperCase()}`,
    key: k,
    required: false,
    width: 16,
    note: k === 'a' ? '单选、多选题至少两个选项；判断题、填空题不填' : undefined,
  })),
  {
    header: '答案',
    key: 'answer',
    required: true,
    width: 20,
    note: '选择题写字母，如 A 或 ABD；判断题写 正确 / 错误；填空题每个空用 | 隔开，一个空有几个都算对的答案用 / 隔开，如 1921/一九二一|中央委员会',
  },
  { header: '解析', key: 'explanation', required: false, width: 30 },
  { header: '出处', key: 'source', required: false, width: 20 },
];

export const MAX_QUESTION_ROWS = 5000;
/** A question file is small: 5,000 rows of ~500 characters are under 10 MB of sheet XML. */
export const QUESTION_IMPORT_LIMITS: ImportLimits = {
  entries: 64,
  sheet: 64 * 1024 * 1024,
  sharedStrings: 32 * 1024 * 1024,
  other: 8 * 1024 * 1024,
  total: 96 * 1024 * 1024,
  heapMb: 192,
  parseSeconds: 120,
};

const KIND_BY_LABEL: Record<string, QuestionKind> = Object.fromEntries(
  QUESTION_KINDS.flatMap((k) => [
    [QUESTION_KIND_LABELS[k], k],
    [QUESTION_KIND_LABELS[k].replace('题', ''), k],
    [k, k],
  ]),
);
const JUDGE_ANSWERS: Record<string, number> = { 正确: 0, 对: 0, '√': 0, A: 0, 错误: 1, 错: 1, '×': 1, B: 1 };

export async function questionTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题目');
  ws.columns = QUESTION_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  QUESTION_COLUMNS.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    cell.font = c.required ? { bold: true, color: { argb: 'FFC8161D' } } : { bold: true };
    if (c.note) cell.note = c.note;
  });
  ws.addRow([
    '单选题',
    '党规',
    '易',
    '党支部党员大会一般多长时间召开一次？',
    '每月',
    '每季度',
    '每半年',
    '每年',
    '',
    '',
    'B',
    '党员大会一般每季度召开一次。',
    '中国共产党支部工作条例（试行）',
  ]);
  ws.addRow([
    '判断题',
    '党章',
    '中',
    '预备党员有表决权、选举权和被选举权。',
    '',
    '',
    '',
    '',
    '',
    '',
    '错误',
    '预备党员没有这三项权利。',
    '中国共产党章程 第七条',
  ]);
  ws.addRow([
    '填空题',
    '党史',
    '中',
    '中国共产党第一次全国代表大会于 ____ 年召开。',
    '',
    '',
    '',
    '',
    '',
    '',
    '1921/一九二一',
    '',
    '中国共产党简史',
  ]);
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const help = wb.addWorksheet('填写说明');
  help.addRows([
    ['红色列为必填。示例行请删除后再导入。'],
    ...QUESTION_COLUMNS.filter((c) => c.note).map((c) => [`${c.header}：${c.note}`]),
    ['题干相同的题目（不计空格、标点和全角半角）不能重复导入：文件内重复、或与题库中已有的题目重复，都会列出。'],
    ['导入为整体操作：任何一行有误则全部不导入，并列出每一处错误（第几行、哪一列、什么问题）。'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export type Progress = (done: number, total: number) => Promise<void>;
const FIELD_HEADERS: Record<string, string> = {
  kind: '题型',
  category: '分类',
  difficulty: '难度',
  stem: '题干',
  options: '选项',
  answer: '答案',
  accepted: '答案',
  explanation: '解析',
  source: '出处',
};

/** One row as the question it describes (validated by QuestionInput), or null with its errors recorded. */
function checkRow(rowNo: number, raw: Record<Key, string>, orgId: string, errors: RowError[]): QuestionInput | null {
  const err = (field: string, message: string) => errors.push({ row: rowNo, field, message });
  const kind = KIND_BY_LABEL[raw.kind.replace(/\s/g, '')];
  if (!kind) {
    err('题型', `题型「${raw.kind}」不对，须为单选题、多选题、判断题或填空题`);
    return null;
  }
  const options = OPTION_KEYS.map((k) => raw[k]).filter(Boolean);
  const base = {
    orgId,
    kind,
    category: raw.category || undefined,
    difficulty: raw.difficulty || undefined,
    stem: raw.stem,
    explanation: raw.explanation,
    source: raw.source,
  };
  let candidate: Record<string, unknown>;
  const answer = raw.answer.normalize('NFKC').trim();
  if (kind === 'fill') {
    if (options.length) err('选项', '填空题不填选项');
    candidate = {
      ...base,
      accepted: answer
        .split('|')
        .map((blank) =>
          blank
            .split('/')
            .map((a) => a.trim())
            .filter(Boolean),
        )
        .filter((b) => b.length > 0),
    };
  } else if (kind === 'judge') {
    const k = JUDGE_ANSWERS[answer.toUpperCase()];
    if (k === undefined) {
      err('答案', `判断题的答案须为「正确」或「错误」，不能是「${raw.answer}」`);
      return null;
    }
    candidate = { ...base, options: ['正确', '错误'], answer: [k] };
  } else {
    const letters = answer.toUpperCase().replace(/[\s,，、]/g, '');
    if (!/^[A-F]+$/.test(letters)) {
      err('答案', `选择题的答案须为选项字母（如 A 或 ABD），不能是「${raw.answer}」`);
      return null;
    }
    const idx = [...letters].map((c) => c.charCodeAt(0) - 65);
    if (OPTION_KEYS.some((k, i) => !raw[k] && OPTION_KEYS.slice(i + 1).some((l) => raw[l])))
      err('选项', '选项须从选项A起依次填写，中间不能空');
    candidate = { ...base, options, answer: idx };
  }
  const parsed = QuestionInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      err(FIELD_HEADERS[key] ?? key, issue.message);
    }
    return null;
  }
  return errors.some((e) => e.row === rowNo) ? null : parsed.data;
}

/**
 * All-or-nothing import of the question sheet into the bank of `scope.org`: each row checked as it is read, the
 * normalised stems compared within the file and with the bank on the org's line; only when every row passed are
 * the questions written, in one transaction with one audit entry.
 */
export async function importQuestions(
  db: Db,
  scope: ActingScope,
  file: Buffer,
  fileName: string,
  progress?: Progress,
): Promise<{ imported: number }> {
  const sheet = await streamImportSheet(file, QUESTION_COLUMNS, MAX_QUESTION_ROWS, QUESTION_IMPORT_LIMITS);
  // The bank the org works with: live questions of the orgs on its line (above it, it, below it).
  const bank = await db
    .select({ stem: learnQuestion.stem, orgName: org.name, path: org.path })
    .from(learnQuestion)
    .innerJoin(org, onKey(org, learnQuestion.orgId, learnQuestion))
    .where(and(eq(learnQuestion.tenantId, scope.tenantId), isNull(learnQuestion.retiredAt)));
  const line = new Set(pathPrefixes(scope.org.path));
  const inBank = new Map<string, string>();
  for (const q of bank)
    if (line.has(q.path) || q.path.startsWith(scope.org.path)) inBank.set(normaliseStem(q.stem), q.orgName);

  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const rows: QuestionInput[] = [];
  let read = 0;
  await progress?.(0, sheet.rowsHint ?? 0);
  for await (const { rowNo, raw } of sheet.rows) {
    read++;
    if (read % 200 === 0) await progress?.(read, Math.max(read, sheet.rowsHint ?? 0));
    const q = checkRow(rowNo, raw, scope.org.id, errors);
    const key = normaliseStem(raw.stem);
    if (key) {
      const first = seen.get(key);
      if (first) errors.push({ row: rowNo, field: '题干', message: `与第 ${first} 行的题干重复` });
      else seen.set(key, rowNo);
      const owner = inBank.get(key);
      if (owner) errors.push({ row: rowNo, field: '题干', message: `题库中已有相同题干的题目（${owner}）` });
    }
    if (q && errors.length === 0) rows.push(q);
  }
  await progress?.(read, read);
  if (read === 0) throw noDataRows();
  refuseRowErrors(errors, '题目');
  const imported = await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500)
      await tx.insert(learnQuestion).values(rows.slice(i, i + 500).map((q) => questionRow(scope, q)));
    await writeAudit(tx, scope.actor, {
      action: 'learn.question.import',
      entityType: 'learn_question',
      org: scope.org,
      after: { fileName, rows: rows.length },
    });
    return rows.length;
  });
  return { imported };
}
