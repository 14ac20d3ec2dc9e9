/**
 * The sheet worker (platform/sheets.ts streamImportSheet): measures and parses one import file inside a
 * worker thread with its own heap limit, and hands the rows over in batches, one batch per request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from './errors';
import { parseImportSheet, type SheetRow, type SheetWorkerInput, type SheetWorkerMessage } from './sheets';

const port = parentPort!;
const input = workerData as SheetWorkerInput;
const send = (m: SheetWorkerMessage) => port.postMessage(m);

// Requests for the next batch ('more'), counted as they come so that none is missed.
let asked = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  asked += 1;
  wake?.();
  wake = null;
});
async function request() {
  while (asked === 0) await new Promise<void>((resolve) => (wake = resolve));
  asked -= 1;
}

try {
  const file = Buffer.from(input.file.buffer, input.file.byteOffset, input.file.byteLength);
  const sheet = await parseImportSheet(file, input.columns, input.maxRows, input.limits);
  // The module's own work on each batch (SheetStage), or the rows as they are.
  const stage = input.stage
    ? (
        (await import(input.stage.module)) as { createStage(data: unknown): (rows: SheetRow<string>[]) => unknown }
      ).createStage(input.stage.data)
    : (rows: SheetRow<string>[]) => rows;
  send({ t: 'head', rowsHint: sheet.rowsHint });
  let batch: SheetRow<string>[] = [];
  await request();
  for await (const row of sheet.rows) {
    batch.push(row);
    if (batch.length === input.batch) {
      send({ t: 'rows', rows: stage(batch), done: false });
      batch = [];
      await request();
    }
  }
  send({ t: 'rows', rows: stage(batch), done: true });
} catch (e) {
  // Only the parser's own Chinese answers cross over; anything else is an unreadable file.
  if (e instanceof AppError)
    send({ t: 'fail', status: e.status, code: e.code, message: e.message, details: e.details });
  else
    send({
      t: 'fail',
      status: 400,
      code: 'NOT_XLSX',
      message: '无法读取该 Excel 文件，请确认文件未损坏且为 .xlsx 格式',
    });
}
// Done: stop listening so the thread ends (its last messages are delivered before the main thread sees it exit).
port.removeAllListeners('message');
port.unref();
