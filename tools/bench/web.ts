/**
 * `npm run bench -- --web [--runs 3] [--profiles slow4g,fast4g] [--json FILE]`: the member's first and repeat
 * load of the phone home page under throttled networks (web-load.ts), on the real server with the demo
 * enterprise and the built web app (`npm run build -w apps/web` first). Prints a markdown table: the median of
 * `--runs` runs, each in a fresh browser context (empty cache, no service worker yet).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { boot } from '../../apps/server/src/boot';
import { DEMO_PASSWORD } from '../../apps/server/src/demo/seed';
import { readSeed } from '../../apps/server/src/testing/seed';
import type { readArgs } from '../lib/args';
import {
  apiLogin,
  kb,
  loginReady,
  measureLoad,
  memberHomeReady,
  phoneContext,
  PROFILES,
  type LoadResult,
} from './web-load';

type Row = { profile: string; what: string; runs: LoadResult[] };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

export async function runWebCli(a: ReturnType<typeof readArgs>) {
  const runs = a.num('runs', 3);
  const profiles = (a.str('profiles') ?? 'slow4g,fast4g').split(',').map((k) => {
    const p = PROFILES[k];
    if (!p) throw new Error(`--profiles: unknown ${k} (known: ${Object.keys(PROFILES).join(', ')})`);
    return p;
  });
  const dist = path.resolve(import.meta.dirname, '../../apps/web/dist/index.html');
  if (!fs.existsSync(dist)) throw new Error('no web build: run `npm run build -w apps/web` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-bench-web-'));
  const seed = readSeed(undefined, false);
  if (seed) fs.cpSync(seed.dataDir, dataDir, { recursive: true });
  const server = await boot({
    PORT: '0',
    HOST: '127.0.0.1',
    XF_DATA_DIR: dataDir,
    XF_DEMO: '1',
    XF_DEMO_PASSWORD: DEMO_PASSWORD,
    XF_LOG_LEVEL: 'warn',
  });
  const browser = await chromium.launch({
    executablePath: process.env.XF_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const rows: Row[] = [];
  try {
    const password = DEMO_PASSWORD;
    for (const profile of profiles) {
      const first: Row = { profile: profile.label, what: 'member home, first load', runs: [] };
      const repeat: Row = { profile: profile.label, what: 'member home, repeat load', runs: [] };
      const login: Row = { profile: profile.label, what: 'login page, first load', runs: [] };
      for (let i = 0; i < runs; i++) {
        const token = await apiLogin(server.url, 'dangyuan', password);
        const ctx = await phoneContext(browser, server.url, token);
        const page = await ctx.newPage();
        first.runs.push(await measureLoad(page, '/', memberHomeReady, profile));
        // The service worker (when there is one) has installed and cached the shell by now.
        await page.waitForTimeout(1000);
        repeat.runs.push(await measureLoad(page, '/', memberHomeReady, profile));
        await ctx.close();
        const anon = await browser.newContext({
          baseURL: server.url,
          viewport: { width: 390, height: 844 },
          isMobile: true,
          hasTouch: true,
        });
        login.runs.push(await measureLoad(await anon.newPage(), '/login', loginReady, profile));
        await anon.close();
        console.log(
          `${profile.key} run ${i + 1}: first ${first.runs.at(-1)!.readyMs} ms, repeat ${repeat.runs.at(-1)!.readyMs} ms`,
        );
      }
      rows.push(first, repeat, login);
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const table = [
    '| network | load | transferred | + service worker | requests | first paint | home ready | all loaded |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const m = (f: (x: LoadResult) => number | null) => {
        const xs = r.runs.map(f).filter((x): x is number => x !== null);
        return xs.length ? median(xs) : null;
      };
      const ms = (x: number | null) => (x === null ? '—' : `${(x / 1000).toFixed(2)} s`);
      return `| ${r.profile} | ${r.what} | ${kb(m((x) => x.bytes)!)} | ${kb(m((x) => x.serviceWorkerBytes)!)} | ${m((x) => x.requests.filter((t) => !t.cached && !t.fromServiceWorker).length)} | ${ms(m((x) => x.firstPaintMs))} | ${ms(m((x) => x.readyMs))} | ${ms(m((x) => x.settledMs))} |`;
    }),
  ].join('\n');
  console.log(`\nmedian of ${runs} runs, ${new Date().toISOString()}\n\n${table}`);
  const json = a.str('json');
  if (json) fs.writeFileSync(json, JSON.stringify(rows, null, 2));
  const last = rows[0]?.runs.at(-1);
  if (last && a.has('verbose'))
    for (const t of last.requests)
      console.log(`${t.status} ${kb(t.bytes).padStart(7)} ${t.cached ? 'cache ' : ''}${t.url.replace(server.url, '')}`);
  if (last && a.has('verbose')) {
    console.log(`ready at ${last.readyMs} ms; timeline (ms after navigation start):`);
    for (const t of last.timeline)
      console.log(`${String(t.start).padStart(6)} → ${String(t.end).padStart(6)} ${t.url.replace(server.url, '')}`);
  }
}
