/**
 * The sheet worker (platform/sheets.ts streamImportSheet): measures and parses one import file inside a
 * worker thread with its own heap limit, and hands the rows over in batches, one batch per request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from './errors';
import { parseImportSheet, unreadable, type SheetRow, type SheetWorkerInput, type SheetWorkerMessage } from './sheets';

/** Something a module's stage threw that is not its own answer to the user. */
class StageBug extends Error {
  constructor(override readonly cause: unknown) {
    super('sheet stage failed');
  }
}

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
  // A stage module that does not load is the server's fault, not the file's: a bug, never 「无法读取该 Excel 文件」.
  const stage = input.stage
    ? (
        (await import(input.stage.module).catch((e: unknown) => {
          throw new StageBug(e);
        })) as { createStage(data: unknown): (rows: SheetRow<string>[]) => unknown }
      ).createStage(input.stage.data)
    : (rows: SheetRow<string>[]) => rows;
  // A stage's own Chinese answer (AppError) is the user's; anything else it throws is a bug in the server, not a
  // bad file, and must surface as one (a 500 with its request id in the log), not as 「无法读取该 Excel 文件」.
  const staged = (rows: SheetRow<string>[]) => {
    try {
      return stage(rows);
    } catch (e) {
      throw e instanceof AppError ? e : new StageBug(e);
    }
  };
  send({ t: 'head', rowsHint: sheet.rowsHint });
  let batch: SheetRow<string>[] = [];
  await request();
  for await (const row of sheet.rows) {
    batch.push(row);
    if (batch.length === input.batch) {
      send({ t: 'rows', rows: staged(batch), done: false });
      batch = [];
      await request();
    }
  }
  send({ t: 'rows', rows: staged(batch), done: true });
} catch (e) {
  // The parser's and the stage's own Chinese answers cross over; a stage bug crosses as a bug; anything else the
  // parser throws means the file could not be read (its own words go along as the answer's reason).
  if (e instanceof StageBug)
    send({ t: 'bug', message: e.cause instanceof Error ? (e.cause.stack ?? e.cause.message) : String(e.cause) });
  else {
    const answer = e instanceof AppError ? e : unreadable(e instanceof Error ? e.message : String(e));
    send({ t: 'fail', status: answer.status, code: answer.code, message: answer.message, details: answer.details });
  }
}
// Done: stop listening so the thread ends (its last messages are delivered before the main thread sees it exit).
port.removeAllListeners('message');
port.unref();
