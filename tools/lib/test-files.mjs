// Several test files in one runner process: `testFiles(files)` nests each file's suites under a suite named by its
// path. A test file costs ~6 s before its first test when it has a process of its own (start-up, importing the app,
// compiling PGlite's WebAssembly); sharing the process pays that once per group (tools/test.mjs groups the files).
// Between files the clock goes back to XF_NOW and process.env to what it was, so a file that set either leaves the
// next file as it would have found a fresh process. Imported only by the generated group files under .tmp/.
import { after, before, describe } from 'node:test';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { clockFromEnv } from '../../packages/shared/src/clock.ts';

const root = path.resolve(import.meta.dirname, '../..');

function restoreEnv(saved) {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
}

/**
 * node:test puts a suite under the suite whose code is running when it is declared, and a file's suites are
 * declared when the file is evaluated: its import must start inside its wrapper suite's body (not after an await
 * there), and no other file may be loading at the same time (a file whose imports finish loading during another
 * file's import is evaluated in that one's suite). So: one file at a time, each imported from its wrapper's body.
 */
export async function testFiles(files) {
  for (const file of files) {
    await new Promise((loaded) => {
      describe(path.relative(root, file), () => {
        let saved = {};
        before(() => {
          saved = { ...process.env };
          clockFromEnv();
        });
        after(() => {
          restoreEnv(saved);
          clockFromEnv();
        });
        return import(pathToFileURL(file).href).finally(loaded);
      });
    });
  }
}
