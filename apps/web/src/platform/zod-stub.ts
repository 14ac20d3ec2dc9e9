/**
 * The web build's stand-in for zod (vite.config.ts aliases `zod` here). packages/shared builds its request and
 * answer schemas at module level for the server; the web uses shared's types, tables and rule functions but
 * never validates with a schema. This stub lets those module-level schema definitions run as no-ops, and keeps
 * zod (≈ 25 KB compressed) out of the first load. Validating with it fails loudly instead of passing silently.
 * Type checking still sees the real zod.
 */
const refuse = () => {
  throw new Error('zod is not part of the web build (apps/web/src/platform/zod-stub.ts): validate on the server');
};
const VALIDATORS = new Set([
  'parse',
  'safeParse',
  'parseAsync',
  'safeParseAsync',
  'decode',
  'encode',
  'safeDecode',
  'safeEncode',
]);

const stub: unknown = new Proxy(function zodStub() {}, {
  get: (_target, key) => (key === 'then' ? undefined : typeof key === 'string' && VALIDATORS.has(key) ? refuse : stub),
  apply: () => stub,
  construct: () => stub as object,
});

export const z = stub;
export default stub;
