/**
 * Reading an uploaded .xlsx import file the same way in every module: it must really be an
 * .xlsx (ZIP magic), its first sheet must carry the template's required column headers, and it
 * may not exceed the module's row limit. Problems are Chinese 4xx answers naming the column.
 * The file is unpacked and parsed in a worker thread with its own heap limit and a time limit
 * (security review #14, finding 5), so a file crafted to exhaust the parser ends that worker only.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { AppError, badRequest, unprocessable } from './errors';

/** A cell's value as the text a user typed, whatever type Excel stored it as. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v).trim();
}

type ImportColumn = { header: string; required?: boolean };

const notXlsx = () => badRequest('请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）', undefined, 'NOT_XLSX');
/** A file that is a zip but that the parser cannot read; `reason` (the parser's own words, for support) goes with it. */
export const unreadable = (reason: string) =>
  badRequest('无法读取该 Excel 文件，请确认文件未损坏且为 .xlsx 格式', { reason }, 'NOT_XLSX');
const noSheet = () =>
  unprocessable('文件中没有工作表', [{ row: 0, field: '', message: '文件中没有工作表' }], 'IMPORT_INVALID');
const tooManyRows = (maxRows: number) => unprocessable(`单次最多导入 ${maxRows} 行`, [], 'IMPORT_TOO_LARGE');

/** The column number of each header of row 1, or a 422 naming the template columns that are missing. */
function headerColumns(headerRow: ExcelJS.Row | undefined, columns: readonly ImportColumn[]): Map<string, number> {
  const colOf = new Map<string, number>();
  headerRow?.eachCell((cell, col) => colOf.set(cellText(cell.value), col));
  const missing = columns.filter((c) => c.required && !colOf.has(c.header));
  if (missing.length)
    throw unprocessable(
      `缺少必填列：${missing.map((c) => c.header).join('、')}（请使用导入模板）`,
      missing.map((c) => ({ row: 1, field: c.header, message: '缺少该列' })),
      'IMPORT_INVALID',
    );
  return colOf;
}

const isZip = (file: Buffer) => file.length >= 4 && file.readUInt32LE(0) === 0x04034b50;

/** How much an import file may unpack to, checked before any parser sees it (issue 14 item 5). */
export type UnpackLimits = {
  /** Entries in the zip (a real .xlsx has about ten). */
  entries: number;
  /** Bytes of one worksheet's XML. */
  sheet: number;
  /** Bytes of xl/sharedStrings.xml: every string in it is held in memory while the sheet is read. */
  sharedStrings: number;
  /** Bytes of any other entry (styles, workbook, relationships, themes). */
  other: number;
  /** Bytes of all entries together. */
  total: number;
};

/** What an import file may unpack to, and what its parser may use (the worker's heap, the time it works). */
export type ImportLimits = UnpackLimits & {
  /** The parsing worker's old-generation heap, MB (V8 `maxOldGenerationSizeMb`): past it the worker dies, not the server. */
  heapMb: number;
  /** Seconds the worker may spend unpacking and parsing, summed over the whole file (time waiting for the caller excluded). */
  parseSeconds: number;
};

const bombed = () =>
  unprocessable('文件解压后过大或结构异常，已拒绝读取（请使用导入模板，或分批导入）', [], 'IMPORT_TOO_LARGE');

/** One entry of an import file's zip, where its bytes lie in the file. */
type ZipEntry = {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** The unpacked size its header claims (a hint only: a crafted file can claim anything). */
  claimedSize: number;
  /** Its local header, its data, and the first byte after it (and after its data descriptor, if any). */
  local: number;
  dataStart: number;
  dataEnd: number;
  end: number;
};

/**
 * The entries of the zip, read from its central directory. The local entries must be exactly those of the
 * central directory, back to back, so what the streaming reader walks is what is measured and reordered here.
 */
function zipEntries(file: Buffer, maxEntries: number): { entries: ZipEntry[]; directory: number } {
  const eocd = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > file.length) throw unreadable('no end of central directory');
  const count = file.readUInt16LE(eocd + 10);
  if (count === 0xffff || count > maxEntries) throw bombed();
  const directory = file.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  let p = directory;
  let expectedLocal = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > file.length || file.readUInt32LE(p) !== 0x02014b50) throw unreadable('bad central directory');
    const flags = file.readUInt16LE(p + 8);
    const method = file.readUInt16LE(p + 10);
    const compressed = file.readUInt32LE(p + 20);
    const claimedSize = file.readUInt32LE(p + 24);
    const nameLen = file.readUInt16LE(p + 28);
    const local = file.readUInt32LE(p + 42);
    const name = file.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
    if (local !== expectedLocal || local + 30 > file.length || file.readUInt32LE(local) !== 0x04034b50) throw bombed();
    const localNameLen = file.readUInt16LE(local + 26);
    if (file.toString('utf8', local + 30, local + 30 + localNameLen) !== name) throw bombed();
    const dataStart = local + 30 + localNameLen + file.readUInt16LE(local + 28);
    const dataEnd = dataStart + compressed;
    if (compressed === 0xffffffff || dataEnd > file.length) throw bombed();
    // A data descriptor after the data (flag bit 3): 12 bytes, or 16 with its optional signature.
    const end =
      dataEnd + (flags & 8 ? (dataEnd + 4 <= file.length && file.readUInt32LE(dataEnd) === 0x08074b50 ? 16 : 12) : 0);
    entries.push({ name, method, claimedSize, local, dataStart, dataEnd, end });
    expectedLocal = end;
  }
  return { entries, directory };
}

const isWorksheet = (name: string) => /^xl\/worksheets\/[^/]+\.xml$/.test(name);

/**
 * Unpacks every entry of the zip once, counting bytes and keeping none, and refuses the file as soon as
 * an entry or the whole passes its limit — before ExcelJS caches a single shared string (a 1.3 MB
 * "decompression bomb" used to exhaust a 256 MB heap). Sizes are measured, not taken from the headers,
 * which a crafted file can fill with anything. Answers the measured entries.
 */
export async function assertUnpacksWithin(
  file: Buffer,
  limits: UnpackLimits,
): Promise<{ entries: ZipEntry[]; directory: number }> {
  const zip = zipEntries(file, limits.entries);
  let total = 0;
  for (const e of zip.entries) {
    const cap = isWorksheet(e.name)
      ? limits.sheet
      : e.name === 'xl/sharedStrings.xml'
        ? limits.sharedStrings
        : limits.other;
    const compressed = e.dataEnd - e.dataStart;
    const size =
      e.method === 0
        ? compressed
        : e.method === 8
          ? await inflatedSize(file.subarray(e.dataStart, e.dataEnd), Math.min(cap, limits.total - total))
          : -1;
    if (size < 0) throw bombed();
    total += size;
  }
  return zip;
}

/**
 * The file's bytes in the order ExcelJS's streaming reader can use without a temporary file: every other
 * entry (relationships, workbook, shared strings, styles) before the worksheets, then the central directory.
 * Excel, WPS and ExcelJS all write the worksheets before xl/sharedStrings.xml; the reader then copied each
 * worksheet to a file in the system's temporary folder and read it back at the end — and since the caller
 * stops reading after the first sheet, it never removed it: every import left its sheet (members' dates,
 * numbers, sometimes names) in /tmp, with a file descriptor open. The streaming unzipper reads local
 * entries one after another and never looks at the central directory's offsets, so the order is free.
 */
function inReaderOrder(file: Buffer, zip: { entries: ZipEntry[]; directory: number }): Buffer[] {
  const part = (e: ZipEntry) => file.subarray(e.local, e.end);
  return [
    ...zip.entries.filter((e) => !isWorksheet(e.name)).map(part),
    ...zip.entries.filter((e) => isWorksheet(e.name)).map(part),
    file.subarray(zip.directory),
  ];
}

/** The unpacked size of raw deflate data, or -1 once it passes `cap` (unpacking stops there). */
function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return new Promise((resolve) => {
    const inflate = zlib.createInflateRaw();
    let size = 0;
    let done = false;
    const finish = (n: number) => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve(n);
    };
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) finish(-1);
    });
    inflate.on('end', () => finish(size));
    inflate.on('error', () => finish(-1));
    inflate.end(data);
  });
}

/** One data row of an import sheet: its sheet row number and the text of each template column by key. */
export type SheetRow<K extends string> = { rowNo: number; raw: Record<K, string> };

/**
 * The parser, run inside the worker ({@link streamImportSheet}): the first worksheet read as a stream —
 * the workbook is never held in memory, rows arrive one by one (blank rows skipped). A file that turns
 * out to be corrupt halfway through is a 400.
 */
export async function parseImportSheet<K extends string>(
  file: Buffer,
  columns: readonly (ImportColumn & { key: K })[],
  maxRows: number,
  limits: UnpackLimits,
): Promise<{ rowsHint: number | null; rows: AsyncGenerator<SheetRow<K>> }> {
  if (!isZip(file)) throw notXlsx();
  const zip = await assertUnpacksWithin(file, limits);
  const declared = sheetRows(file, zip.entries);
  if (declared?.exact && declared.rows - 1 > maxRows) throw tooManyRows(maxRows);
  // Styles are read so that cells typed as dates come back as dates, as with the whole-workbook reader.
  const reader = new ImportWorkbookReader(Readable.from(inReaderOrder(file, zip)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const unzipFailure = (e: unknown) =>
    e instanceof AppError ? e : unreadable(e instanceof Error ? e.message : String(e));
  const sheets = reader[Symbol.asyncIterator]();
  const first = await sheets.next().catch((e: unknown) => {
    throw unzipFailure(e);
  });
  if (first.done) throw noSheet();
  const rowIter = (first.value as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  const head = await rowIter.next().catch((e: unknown) => {
    throw unzipFailure(e);
  });
  // A sheet without a first row (the header) has none of the required columns.
  const headerRow = !head.done && head.value.number === 1 ? head.value : undefined;
  const colOf = headerColumns(headerRow, columns);
  const picks = columns.map((c) => [c.key, colOf.get(c.header)] as const);
  const toRecord = (r: ExcelJS.Row) => {
    const raw = {} as Record<K, string>;
    let blank = true;
    for (const [key, col] of picks) {
      const text = col ? cellText(r.getCell(col).value) : '';
      if (text !== '') blank = false;
      raw[key] = text;
    }
    return blank ? null : raw;
  };

  async function* rows(): AsyncGenerator<SheetRow<K>> {
    let n = 0;
    try {
      if (!head.done && !headerRow) {
        const raw = toRecord(head.value);
        if (raw) {
          n++;
          yield { rowNo: head.value.number, raw };
        }
      }
      for (;;) {
        const next = await rowIter.next();
        if (next.done) break;
        const raw = toRecord(next.value);
        if (!raw) continue;
        if (++n > maxRows) throw tooManyRows(maxRows);
        yield { rowNo: next.value.number, raw };
      }
    } catch (e) {
      throw unzipFailure(e);
    } finally {
      // Stop unzipping the rest of the file (later sheets) when the caller is done or gave up.
      await rowIter.return?.(undefined);
      await sheets.return?.(undefined);
    }
  }
  return { rowsHint: declared ? Math.max(0, declared.rows - 1) : null, rows: rows() };
}

/**
 * ExcelJS's streaming reader, fitted to an import file given {@link inReaderOrder}:
 * - It decodes every inflated chunk as UTF-8 on its own, so a Chinese character split across two chunks turns
 *   into "��" (exceljs/exceljs#2084, still open in 4.4): here the sheet and shared-string streams are decoded
 *   with a StringDecoder, which carries a split character over to the next chunk, and ExcelJS gets strings it
 *   passes through untouched.
 * - It parses a worksheet at once only when it has already met the shared strings and the workbook's
 *   relationships, and otherwise copies it to a temporary file. In reader order both come before every
 *   worksheet when the file has them, so they start out empty here: a file without shared strings (numbers
 *   and inline strings only) is read at once too, and no worksheet is ever written to disk.
 */
class ImportWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  constructor(...args: ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>) {
    super(...args);
    const self = this as unknown as {
      sharedStrings: unknown[];
      workbookRels: unknown[];
      _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator;
      _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator;
    };
    self.sharedStrings = [];
    self.workbookRels = [];
    const parseWorksheet = self._parseWorksheet.bind(this);
    const parseSharedStrings = self._parseSharedStrings.bind(this);
    self._parseWorksheet = (iterator, sheetNo) => parseWorksheet(utf8Chunks(iterator), sheetNo);
    self._parseSharedStrings = (entry) => parseSharedStrings(entry.setEncoding('utf8'));
  }
}

async function* utf8Chunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * How many rows the first sheet has, from the zip's central directory without unpacking the sheet:
 * the `<dimension ref="A1:N100001"/>` it declares (exact), or else, for writers that leave it out,
 * its unpacked size divided by the size of its first rows (an estimate, for the progress bar only).
 */
function sheetRows(file: Buffer, entries: ZipEntry[]): { rows: number; exact: boolean } | null {
  const sheet = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml');
  if (!sheet) return null;
  const chunk = file.subarray(sheet.dataStart, Math.min(sheet.dataEnd, sheet.dataStart + 16 * 1024));
  let head: string;
  try {
    head = (
      sheet.method === 0 ? chunk : zlib.inflateRawSync(chunk, { finishFlush: zlib.constants.Z_SYNC_FLUSH })
    ).toString();
  } catch {
    return null;
  }
  const dim = /<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(head);
  if (dim) return { rows: Number(dim[1] ?? 1), exact: true };
  const first = head.indexOf('<row ');
  const last = head.lastIndexOf('<row ');
  if (first < 0 || last <= first) return null;
  const sampled = head.slice(first, last);
  const perRow = Buffer.byteLength(sampled) / (sampled.split('<row ').length - 1);
  return { rows: Math.round((sheet.claimedSize - Buffer.byteLength(head.slice(0, first))) / perRow), exact: false };
}

// ---------------------------------------------------------------------------------------------------
// The parser in a worker thread (security review #14, finding 5).

/** Rows per message from the worker; it reads the next batch only when the caller asks for it. */
const WORKER_BATCH = 500;

/** Messages from the sheet worker (platform/sheets.worker.ts): a batch is its rows, or what the stage made of them. */
export type SheetWorkerMessage<B = unknown> =
  | { t: 'head'; rowsHint: number | null }
  | { t: 'rows'; rows: B; done: boolean }
  | { t: 'fail'; status: number; code: string; message: string; details?: unknown }
  /** The module's stage threw something other than an AppError: a server bug (500), with the worker's stack. */
  | { t: 'bug'; message: string };

/**
 * Work a module runs on each batch of rows inside the sheet worker, after parsing (the member import checks and
 * encrypts its rows there, so the server's thread only talks to the database). `module` (a file URL) exports
 * `createStage(data)`, which returns the function a batch of {@link SheetRow}s is passed through; `data` is
 * copied into the worker (structured clone). A stage that throws an {@link AppError} answers with it.
 */
export type SheetStage = { module: string; data: unknown };

/** What the sheet worker is given (its workerData). */
export type SheetWorkerInput = {
  module: string;
  file: Uint8Array;
  columns: readonly (ImportColumn & { key: string })[];
  maxRows: number;
  limits: UnpackLimits;
  batch: number;
  stage?: SheetStage | undefined;
};

const WORKER_ENTRY = new URL('./worker.mjs', import.meta.url);
const SHEET_WORKER = new URL('./sheets.worker.ts', import.meta.url).href;

/** One refused cell of an import: the sheet's row number, the column's header, the reason in Chinese. */
export type RowError = { row: number; field: string; message: string };

/** The answer to an import file that has a header and no data rows. */
export const noDataRows = () =>
  unprocessable('文件中没有可导入的数据行', [{ row: 2, field: '', message: '没有数据行' }], 'IMPORT_INVALID');

/**
 * An import is all or nothing: when any row failed, answer 422 with how many failed, the first in the message
 * (row order), and up to 1,000 of them for the page to list. `what` names what was not imported (数据, 题目).
 */
export function refuseRowErrors(errors: RowError[], what = '数据'): void {
  if (errors.length === 0) return;
  errors.sort((a, b) => a.row - b.row);
  const first = errors[0]!;
  throw unprocessable(
    `导入失败：共 ${errors.length} 处错误，未导入任何${what}。第一处：第 ${first.row} 行「${first.field}」${first.message}`,
    errors.slice(0, 1000),
    'IMPORT_INVALID',
  );
}

export const unparseable = () =>
  unprocessable('文件过大或格式异常，无法解析（请使用导入模板，或分批导入）', [], 'IMPORT_TOO_LARGE');

/**
 * The first worksheet of an import file, read as a stream in a worker thread: the zip is measured against
 * `limits` ({@link assertUnpacksWithin}) and parsed ({@link parseImportSheet}) there, with a heap of
 * `limits.heapMb` and `limits.parseSeconds` of work in all. Rows come over in batches, only as the caller
 * reads them, so neither thread holds the sheet. A worker that runs out of memory or time, or dies, is
 * ended and the import answers 422 `IMPORT_TOO_LARGE` 「文件过大或格式异常，无法解析」; the server goes on.
 * Header and size problems are the parser's Chinese 4xx answers. `rowsHint` is the number of data rows
 * the sheet declares or, failing that, an estimate from its size (for a progress bar).
 */
export async function streamImportSheet<K extends string>(
  file: Buffer,
  columns: readonly (ImportColumn & { key: K })[],
  maxRows: number,
  limits: ImportLimits,
): Promise<{ rowsHint: number | null; rows: AsyncGenerator<SheetRow<K>> }> {
  const sheet = await streamImportBatches<K, SheetRow<K>[]>(file, columns, maxRows, limits);
  async function* rows(): AsyncGenerator<SheetRow<K>> {
    for await (const batch of sheet.batches) yield* batch;
  }
  return { rowsHint: sheet.rowsHint, rows: rows() };
}

/**
 * {@link streamImportSheet} by the batch, each batch passed through `stage` inside the worker when one is given
 * (without, a batch is its {@link SheetRow}s). The stage's time counts against `limits.parseSeconds`.
 */
export async function streamImportBatches<K extends string, B>(
  file: Buffer,
  columns: readonly (ImportColumn & { key: K })[],
  maxRows: number,
  limits: ImportLimits,
  stage?: SheetStage,
): Promise<{ rowsHint: number | null; batches: AsyncGenerator<B> }> {
  if (!isZip(file)) throw notXlsx();
  const copy = new Uint8Array(file); // the worker takes this copy; the caller keeps its buffer
  const { heapMb, parseSeconds, ...unpack } = limits;
  const input: SheetWorkerInput = {
    module: SHEET_WORKER,
    file: copy,
    columns: columns.map(({ header, required, key }) => ({ header, required, key })),
    maxRows,
    limits: unpack,
    batch: WORKER_BATCH,
    stage,
  };
  const worker = new Worker(WORKER_ENTRY, {
    workerData: input,
    transferList: [copy.buffer as ArrayBuffer],
    resourceLimits: {
      maxOldGenerationSizeMb: heapMb,
      // A young generation of 64 MB for the member import (512 MB heap): at 32 MB, its 100k-row file spent
      // about a third more time in GC (ExcelJS makes short-lived objects per cell).
      maxYoungGenerationSizeMb: Math.min(64, Math.max(4, heapMb / 8)),
      stackSizeMb: 4,
    },
    stdout: true,
    stderr: true,
  });
  const inbox: SheetWorkerMessage<B>[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const arrived = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: SheetWorkerMessage<B>) => {
    inbox.push(m);
    arrived();
  });
  // Out of memory (ERR_WORKER_OUT_OF_MEMORY), a crash, or an exit before the last rows: all the same to the user.
  worker.on('error', () => {
    ended = true;
    arrived();
  });
  worker.on('exit', () => {
    ended = true;
    arrived();
  });
  let budget = parseSeconds * 1000;
  const stop = () => void worker.terminate();

  /** The worker's next message, counting the wait against its time budget. */
  async function next(): Promise<SheetWorkerMessage<B>> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      while (inbox.length === 0) {
        if (ended || budget - (performance.now() - started) <= 0) throw unparseable();
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, Math.max(0, budget - (performance.now() - started)));
        });
        clearTimeout(timer);
      }
      return inbox.shift()!;
    } finally {
      clearTimeout(timer);
      budget -= performance.now() - started;
    }
  }
  const failed = (m: Extract<SheetWorkerMessage, { t: 'fail' | 'bug' }>) =>
    m.t === 'bug'
      ? new Error(`import stage failed in the sheet worker: ${m.message}`)
      : new AppError(m.status, m.code, m.message, m.details);

  let head: SheetWorkerMessage<B>;
  try {
    head = await next();
  } catch (e) {
    stop();
    throw e;
  }
  if (head.t === 'fail' || head.t === 'bug') {
    stop();
    throw failed(head);
  }
  if (head.t !== 'head') {
    stop();
    throw unparseable();
  }

  async function* batches(): AsyncGenerator<B> {
    try {
      // The worker reads one batch ahead, so parsing (there) and checking (here) overlap.
      worker.postMessage('more');
      for (;;) {
        worker.postMessage('more');
        const m = await next();
        if (m.t === 'fail' || m.t === 'bug') throw failed(m);
        if (m.t !== 'rows') throw unparseable();
        yield m.rows;
        if (m.done) return;
        // A whole turn of the event loop between batches: the caller's work on a batch can be all microtasks.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      stop();
    }
  }
  return { rowsHint: head.rowsHint, batches: batches() };
}
