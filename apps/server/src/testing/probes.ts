/**
 * Table-driven access probes: a test lists who asks for what and the status each must get, and `misanswered` sends
 * them all and names every row that was answered otherwise, so one `assert.deepEqual(wrong, [])` shows every hole
 * at once instead of stopping at the first.
 */
import type { TestApp } from './harness';

type Method = Parameters<TestApp['request']>[0]['method'];

/** One probe: who asks (the name the failure gives), their token, the request (`body` undefined: none), the status. */
export type Probe = readonly [who: string, token: string, method: Method, url: string, body: unknown, want: number];

/**
 * Sends each probe in turn; answers one line per wrong answer (empty when every status is the wanted one). With
 * `secret`, a refused probe (a wanted status of 400 or more) whose reply carries that text is wrong as well: the
 * refusal leaks what it refuses.
 */
export async function misanswered(t: TestApp, probes: readonly Probe[], secret?: string): Promise<string[]> {
  const wrong: string[] = [];
  for (const [who, token, method, url, body, want] of probes) {
    const res = await t.request({ method, url, token, body });
    if (res.status !== want) wrong.push(`${who} → ${res.status} (want ${want}) ${res.raw.slice(0, 120)}`);
    if (secret !== undefined && want >= 400 && res.raw.includes(secret))
      wrong.push(`${who}: the reply leaks ${secret}`);
  }
  return wrong;
}

/** Probes all sent by one caller: rows of `[method, url, body, want]`, each named by its method and path. */
export const asCaller = (token: string, rows: readonly (readonly [Method, string, unknown, number])[]): Probe[] =>
  rows.map(([method, url, body, want]) => [`${method} ${url}`, token, method, url, body, want]);
