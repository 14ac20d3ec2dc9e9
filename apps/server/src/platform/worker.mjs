// The entry of every worker thread the server starts (platform/sheets.ts): the main thread runs TypeScript
// through tsx (`node --import tsx`), but a worker thread does not inherit that loader hook — register it
// here, then run the TypeScript module named in workerData.module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
