/**
 * What parsing import files in a worker thread costs (security review #14, finding 5): the member import's
 * sheet read to its last row in this thread (`parseImportSheet`, as before) and in the worker with its heap
 * and time limits (`streamImportSheet`, as now), for an empty template and for N rows.
 * `node --import tsx tools/bench/import-worker.ts [ROWS] [ITERATIONS]` (defaults 20000, 3); medians in ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  COLUMNS,
  MAX_IMPORT_ROWS,
  MEMBER_IMPORT_LIMITS,
  templateWorkbook,
} from '../../apps/server/src/modules/member/excel';
import { parseImportSheet, streamImportSheet } from '../../apps/server/src/platform/sheets';
import { buildImportSheet } from './sheet';

const rows = Number(process.argv[2] ?? 20000);
const iterations = Number(process.argv[3] ?? 3);
const file = path.join(os.tmpdir(), `xf-import-worker-${process.pid}.xlsx`);
await buildImportSheet(rows, 7, file);
const files = { template: await templateWorkbook(), [`${rows} rows`]: fs.readFileSync(file) };
fs.rmSync(file);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, buf] of Object.entries(files)) {
  for (const [how, read] of [
    ['in this thread', parseImportSheet],
    ['in a worker', streamImportSheet],
  ] as const) {
    const ms: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      const sheet = await read(buf, COLUMNS, MAX_IMPORT_ROWS, MEMBER_IMPORT_LIMITS);
      let n = 0;
      for await (const _ of sheet.rows) n++;
      ms.push(performance.now() - t0);
      if (name !== 'template' && n !== rows) throw new Error(`read ${n} rows, expected ${rows}`);
    }
    console.log(
      `${name} (${(buf.length / 1024).toFixed(0)} KiB), ${how}: ${median(ms).toFixed(0)} ms (${ms.map((x) => x.toFixed(0)).join(', ')})`,
    );
  }
}
console.log(
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}, ${os.cpus().length} cores`,
);
