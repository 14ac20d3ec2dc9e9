/**
 * The sheet worker's answers: a module's stage that throws a bug (not its own AppError) surfaces as a server error,
 * never as 「无法读取该 Excel 文件」 — that sentence is for files the parser cannot read, and it carries the
 * parser's reason. Reading an import file writes nothing to disk.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { MEMBER_IMPORT_LIMITS } from '../modules/member/excel';
import { AppError } from './errors';
import { streamImportBatches, streamImportSheet } from './sheets';

const columns = [{ header: '姓名', key: 'name', required: true }] as const;

async function sheetOf(names: string[], useSharedStrings = true): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员');
  ws.addRow(['姓名']);
  for (const n of names) ws.addRow([n]);
  return Buffer.from(await wb.xlsx.writeBuffer({ useSharedStrings }));
}

describe('sheet worker stages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-stage-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stageFile = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, body);
    return pathToFileURL(file).href;
  };
  const drain = async (file: Buffer, module: string) => {
    const { batches } = await streamImportBatches(file, columns, 100, MEMBER_IMPORT_LIMITS, { module, data: null });
    const out: unknown[] = [];
    for await (const b of batches) out.push(b);
    return out;
  };

  it('passes the rows through a stage that works', async () => {
    const ok = stageFile('ok.mjs', 'export const createStage = () => (rows) => rows.map((r) => r.raw.name);');
    assert.deepEqual(await drain(await sheetOf(['张三', '李四']), ok), [['张三', '李四']]);
  });

  it('answers a stage bug as a server error, not as an unreadable file', async () => {
    const buggy = stageFile(
      'buggy.mjs',
      'export const createStage = () => (rows) => rows.map((r) => r.raw.missing.trim());',
    );
    await assert.rejects(drain(await sheetOf(['张三']), buggy), (e: Error) => {
      assert.ok(!(e instanceof AppError), `a bug is not a 4xx answer: ${e.message}`);
      assert.match(e.message, /import stage failed.*TypeError/s);
      return true;
    });
  });

  it('answers a stage module that does not load as a server error, not as an unreadable file', async () => {
    const broken = stageFile('broken.mjs', 'export const createStage = () => (rows) => rows; }');
    await assert.rejects(drain(await sheetOf(['张三']), broken), (e: Error) => {
      assert.ok(!(e instanceof AppError), `a module that does not load is not a 4xx answer: ${e.message}`);
      assert.match(e.message, /import stage failed.*SyntaxError/s);
      return true;
    });
  });

  it('still answers a file the parser cannot read with the Chinese 400', async () => {
    const ok = stageFile('ok2.mjs', 'export const createStage = () => (rows) => rows;');
    const notXlsx = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]);
    await assert.rejects(drain(notXlsx, ok), (e: AppError) => {
      assert.ok(e instanceof AppError && e.status === 400 && /无法读取该 Excel 文件/.test(e.message), String(e));
      // The parser's own words go with the answer, for whoever is asked why a file was refused.
      assert.match((e.details as { reason: string }).reason, /central directory/);
      return true;
    });
  });
});

describe('reading an import file', () => {
  // Excel, WPS and ExcelJS write the worksheet before xl/sharedStrings.xml; ExcelJS's streaming reader used to copy
  // such a worksheet to a file in the temporary folder while it read it, and left it there when the worker was
  // ended before its own exit handler ran (1,463 of them had piled up in this machine's /tmp).
  const names = Array.from({ length: 1200 }, (_, i) => `党员${i + 1}`);
  const outsideTsx = (dir: string) => fs.readdirSync(dir).filter((name) => !name.startsWith('tsx-')); // tsx's compile cache
  for (const useSharedStrings of [true, false])
    it(`reads every row and writes nothing to the temporary folder (${useSharedStrings ? 'shared' : 'inline'} strings)`, async () => {
      const file = await sheetOf(names, useSharedStrings);
      const at = (name: string) => file.indexOf(Buffer.from(name));
      assert.ok(at('xl/worksheets/sheet1.xml') < at('xl/sharedStrings.xml'), 'the worksheet comes first in the file');
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-sheet-tmp-'));
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = tmp; // the worker thread gets a copy of the environment as it is when it starts
      try {
        const sheet = await streamImportSheet(file, columns, 10_000, MEMBER_IMPORT_LIMITS);
        const read: string[] = [];
        for await (const row of sheet.rows) {
          // Mid-sheet: the worker has sent its first batch and waits, its sheet half read.
          if (read.length === 0) assert.deepEqual(outsideTsx(tmp), [], 'nothing on disk while the sheet is read');
          read.push(row.raw.name);
        }
        assert.deepEqual(read, names);
        assert.deepEqual(outsideTsx(tmp), []);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
});
