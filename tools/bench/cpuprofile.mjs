/**
 * Self time per function in a `.cpuprofile` (node --cpu-prof) over the stretch where HTTP requests were served
 * (first to last sample under node's HTTP parser): the flame summary of docs/benchmarks.md.
 *
 *   node tools/bench/cpuprofile.mjs PROFILE [--side app|bare] [--inclusive] [--top N]
 *
 * --side: the bench's app route and the bare Fastify route run one after the other in the same process; a sample
 * counts as the app's when a sample within 50 ms of it runs code of apps/server (the bare route runs none).
 */
import fs from 'node:fs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const p = JSON.parse(fs.readFileSync(args[0], 'utf8'));
const side = opt('--side');
const inclusive = args.includes('--inclusive');
const top = Number(opt('--top') ?? 25);

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stacks = p.samples.map((id) => {
  const s = [];
  for (let x = id; x !== undefined; x = parent.get(x)) s.push(byId.get(x));
  return s;
});
const times = [];
let t = p.startTime;
for (const d of p.timeDeltas) times.push((t += d));
const label = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url
    .replace(/.*node_modules\//, '')
    .replace(/.*\/(apps|tools|packages)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;

const http = stacks.map((s) => s.some((n) => /^parserOn(HeadersComplete|Incoming)$/.test(n.callFrame.functionName)));
const first = http.indexOf(true);
const last = http.lastIndexOf(true);
const app = stacks.map((s) => s.some((n) => n.callFrame.url.includes('/apps/server/src/')));
const nearApp = (i) => {
  for (let j = i; j >= first && times[i] - times[j] < 50_000; j--) if (app[j]) return true;
  for (let j = i; j <= last && times[j] - times[i] < 50_000; j++) if (app[j]) return true;
  return false;
};

const sums = new Map();
let busy = 0;
let idle = 0;
for (let i = first; i <= last; i++) {
  const dt = p.timeDeltas[i + 1] ?? 0;
  const s = stacks[i];
  if (s[0].callFrame.functionName === '(idle)') {
    idle += dt;
    continue;
  }
  if (side && (nearApp(i) ? 'app' : 'bare') !== side) continue;
  busy += dt;
  for (const k of inclusive ? new Set(s.map(label)) : [label(s[0])]) sums.set(k, (sums.get(k) ?? 0) + dt);
}
console.log(
  `HTTP stretch ${((times[last] - times[first]) / 1e6).toFixed(1)} s; ${side ?? 'both sides'} busy ${(busy / 1e6).toFixed(2)} s; idle ${(idle / 1e6).toFixed(2)} s`,
);
for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${((100 * v) / busy).toFixed(1).padStart(5)} %  ${(v / 1e3).toFixed(0).padStart(6)} ms  ${k}`);
