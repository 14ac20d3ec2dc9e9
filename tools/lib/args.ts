/** Tiny `--name value` / `--flag` argument reader for the tools' commands. */
export function readArgs(argv: string[]) {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length && !argv[i + 1]!.startsWith('--') ? argv[i + 1] : undefined;
  };
  return {
    has: (name: string) => argv.includes(`--${name}`),
    str: get,
    num(name: string, fallback: number): number {
      const v = get(name);
      if (v === undefined) return fallback;
      const n = Number(v.replace(/_/g, ''));
      if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} expects a number, got ${v}`);
      return n;
    },
  };
}
