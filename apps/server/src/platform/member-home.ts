/**
 * `GET /api/v1/me/home` — the member home's reads in one round trip (issue 24; the list is
 * packages/shared home.ts). A member's phone on a slow link spent most of its first second waiting for seventeen
 * small answers queued behind six connections; here they are asked inside the server instead.
 *
 * Each read is the module's own route, called through the whole request pipeline (`inject`) with the caller's own
 * headers: its access declaration, org scope, ownership rule and validation run exactly as for a request from the
 * phone, so this route grants nothing — it declares 'any' because every read decides for itself. A read that
 * fails is answered as it failed (status and error body); the others stand. Nothing here knows any module.
 */
import { memberHomeReads, todayInChina, type MemberHomeRead, type ReadAnswer } from '@xianfeng/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Not passed on to the inner requests: they have no body, and their answers are read here, uncompressed. */
const DROPPED = new Set(['content-length', 'content-type', 'accept-encoding', 'connection', 'x-request-id']);

async function readAs(app: FastifyInstance, req: FastifyRequest, key: string, path: string): Promise<ReadAnswer> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !DROPPED.has(k)) headers[k] = v;
  // Each inner request is logged under the outer one's id, so support finds all of them from the phone's id.
  headers['x-request-id'] = `${req.id}-${key}`.slice(0, 64);
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1${path}`,
    headers,
    remoteAddress: req.socket?.remoteAddress,
  });
  let body: unknown = null;
  try {
    body = res.body ? JSON.parse(res.body) : null;
  } catch {
    body = null;
  }
  const cacheControl = res.headers['cache-control'];
  return { status: res.statusCode, cacheControl: typeof cacheControl === 'string' ? cacheControl : null, body };
}

const ReadAnswerSchema = z.object({ status: z.number().int(), cacheControl: z.string().nullable(), body: z.unknown() });

export function registerMemberHome(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/me/home',
    {
      schema: {
        tags: ['auth'],
        summary: '党员首页：一次读取首页所需的各项数据（每项按其自身接口的权限判断）',
        response: { 200: z.object({ reads: z.record(z.string(), ReadAnswerSchema) }) },
      },
      config: { access: { roles: 'any' } },
    },
    async (req) => {
      const reads = memberHomeReads(todayInChina());
      const answers = await Promise.all(
        (Object.entries(reads) as [MemberHomeRead, string][]).map(
          async ([key, path]) => [key, await readAs(app, req, key, path)] as const,
        ),
      );
      return { reads: Object.fromEntries(answers) };
    },
  );
}
