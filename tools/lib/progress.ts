/** A one-line progress bar on stderr (redrawn in place on a terminal, a line per 10% otherwise). */
export type Progress = {
  stage(name: string, total: number): void;
  tick(done: number): void;
  done(note?: string): void;
};

export function progressBar(enabled = true): Progress {
  const tty = process.stderr.isTTY;
  let name = '';
  let total = 1;
  let started = 0;
  let lastDraw = 0;
  let lastDecile = -1;
  const draw = (done: number, final = false) => {
    if (!enabled) return;
    const now = performance.now();
    const frac = Math.min(1, done / Math.max(1, total));
    if (tty) {
      if (!final && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 30;
      const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
      process.stderr.write(
        `\r${name.padEnd(22)} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total} ${((now - started) / 1000).toFixed(1)}s\x1b[K`,
      );
    } else {
      const decile = Math.floor(frac * 10);
      if (decile === lastDecile && !final) return;
      lastDecile = decile;
      process.stderr.write(
        `${name} ${(frac * 100).toFixed(0)}% ${done}/${total} ${((now - started) / 1000).toFixed(1)}s\n`,
      );
    }
  };
  let current = 0;
  return {
    stage(n, t) {
      name = n;
      total = t;
      current = 0;
      started = performance.now();
      lastDecile = -1;
      draw(0);
    },
    tick(d) {
      current = d;
      draw(d);
    },
    done(note) {
      draw(Math.max(current, total), true);
      if (enabled && tty) process.stderr.write(note ? `  ${note}\n` : '\n');
      else if (enabled && note) process.stderr.write(`${name}: ${note}\n`);
    },
  };
}
