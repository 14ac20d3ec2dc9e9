/**
 * `dayjs()` — now — is the one clock's now (packages/shared clock.ts), which the web sets from the server's answers
 * (api.ts `followServerClock`), not the device's. antd's date pickers ask dayjs for today (the highlighted day, the
 * month a picker opens on, 「今天」/「此刻」), and pages build default times with `dayjs()`: on a phone with a wrong
 * date, or a test server set to 30 November, they show the server's day. Installed once, before any page renders.
 */
import dayjs, { type PluginFunc } from 'dayjs';
import { nowMs } from '@xianfeng/shared';

type Parsing = { parse(cfg: { date?: unknown }): void };

export const sharedClock: PluginFunc = (_option, dayjsClass) => {
  const proto = dayjsClass.prototype as unknown as Parsing;
  const parse = proto.parse;
  proto.parse = function (this: Parsing, cfg) {
    // `dayjs()` and `dayjs(undefined)` mean now; anything else (null included: invalid) is parsed as given.
    parse.call(this, cfg.date === undefined ? { ...cfg, date: nowMs() } : cfg);
  };
};

dayjs.extend(sharedClock);
