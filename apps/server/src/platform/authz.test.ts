/**
 * The authorization matrix, run against the real app: every route × every role × own scope /
 * other scope / anonymous. Expectations come from testing/authz-matrix.ts; record ids for the
 * "other scope" probes come from FOREIGN below, keyed by the path's first segment.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, addMonths, nowMs, ROLES, todayInChina, type Role } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from './cache';
import { queryRows } from './db';
import { api, adminToken, lightSweep, multipartFile, startTestApp, type TestApp } from '../testing/harness';
import {
  ANY_ORG_FIELDS,
  AUTHZ_MATRIX,
  ID_NUMBER_ROUTES,
  PLATFORM_MATRIX,
  SECONDARY_ORG_FIELDS,
  type Allowed,
} from '../testing/authz-matrix';
import { ACCOUNTS, FOREIGN_ORG, foreignRecords, getWalk, SOME_UUID } from '../testing/foreignRecords';
import { memberSheet } from '../testing/memberSheet';
import { asCaller, misanswered, type Probe } from '../testing/probes';
import { pdfText } from '../testing/pdf';
import type { Access } from './access';
import { MODULES } from '../modules';
import { member } from '../modules/member/schema';

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const declared = (a: Access): Allowed => ('public' in a ? 'public' : a.roles === 'any' ? 'any' : [...a.roles].sort());
const expected = (a: Allowed): Allowed => (typeof a === 'string' ? a : [...a].sort());
const allows = (a: Allowed, role: Role) => a === 'any' || (Array.isArray(a) && a.includes(role));

describe('authorization matrix', () => {
  let t: TestApp;
  const { get, post, patch } = api(() => t);
  const tokens = {} as Record<Role, string>;
  /** Record ids of the foreign org, by the first path segment of the routes that take them. */
  const FOREIGN: Record<string, string> = {};
  let routes: TestApp['app']['routeTable'];

  before(async () => {
    t = await startTestApp();
    for (const role of ROLES) tokens[role] = role === 'admin' ? await adminToken(t) : await t.login(ACCOUNTS[role]);
    Object.assign(FOREIGN, await foreignRecords(t, tokens.admin));
    routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/'));
  });
  after(() => t.close());

  const urlWith = (url: string, id: string) => url.replace(/:[A-Za-z]+/g, id);

  const PNG = { data: Buffer.from('89504e470d0a1a0a', 'hex'), name: 'probe.png' };
  /**
   * The member account's request to `url` on a record that is not theirs: `upload` sends one small file as multipart
   * (an upload route), otherwise `body` (none on a GET). Answers what a probe needs: the status and the text.
   */
  const asMember = async (
    r: { method: string },
    url: string,
    opts: { body?: unknown; upload?: { data: Buffer; name: string }; headers?: Record<string, string> },
  ): Promise<{ status: number; raw: string }> => {
    if (!opts.upload)
      return t.request({
        method: r.method as 'GET',
        url,
        token: tokens.member,
        body: r.method === 'GET' ? undefined : (opts.body ?? {}),
        ...(opts.headers ? { headers: opts.headers } : {}),
      });
    const { body, headers } = multipartFile(opts.upload.data, opts.upload.name);
    const x = await t.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { ...headers, authorization: `Bearer ${tokens.member}` },
    });
    return { status: x.statusCode, raw: x.body };
  };
  /** What a member gets on another's record: 404 where members may call the route (the scope hides it), else 403. */
  const memberWant = (k: string) => (allows(AUTHZ_MATRIX[k]!, 'member') ? 404 : 403);
  /**
   * Every route below `prefix` that takes an id, sent by the member on a record that is not theirs — `idOf(path)`
   * names it, `send(k)` the upload or body the route is sent — each wanting `memberWant`. Answers the wrong answers
   * (a route with no record to probe with among them) and the routes probed, which the test counts.
   */
  const sweepAsMember = async (
    prefix: string,
    record: string,
    idOf: (path: string) => string | undefined,
    send: (k: string) => Parameters<typeof asMember>[2],
  ) => {
    const wrong: string[] = [];
    const probed: string[] = [];
    for (const r of routes.filter((x) => x.url.startsWith(prefix) && x.url.includes(':'))) {
      const k = key(r);
      const id = idOf(r.url);
      if (!id) {
        wrong.push(`${k}: no ${record} to probe with`);
        continue;
      }
      const res = await asMember(r, urlWith(r.url, id), send(k));
      probed.push(k);
      const want = memberWant(k);
      if (res.status !== want)
        wrong.push(`${k} as a member on ${record} → ${res.status} (want ${want}) ${res.raw.slice(0, 120)}`);
    }
    return { wrong, probed };
  };

  it('has an entry for every route, and every declared access equals its entry', () => {
    const problems: string[] = [];
    for (const r of routes) {
      const entry = AUTHZ_MATRIX[key(r)];
      if (!entry) problems.push(`${key(r)}: no entry in testing/authz-matrix.ts`);
      else if (JSON.stringify(expected(entry)) !== JSON.stringify(declared(r.access)))
        problems.push(
          `${key(r)}: declared ${JSON.stringify(declared(r.access))}, matrix says ${JSON.stringify(expected(entry))}`,
        );
    }
    const known = new Set(routes.map(key));
    for (const k of Object.keys(AUTHZ_MATRIX))
      if (!known.has(k)) problems.push(`${k}: in the matrix but no such route`);
    assert.deepEqual(problems, []);
  });

  it("lists each route in the matrix of the module that registers it (its manifest's authz), the platform's here", () => {
    const owners = new Map(MODULES.map((m) => [m.name, m.authz]));
    const misplaced = routes
      .filter((r) => (r.module ? owners.get(r.module)! : PLATFORM_MATRIX)[key(r)] === undefined)
      .map((r) => `${key(r)}: not in ${r.module ? `modules/${r.module}/authz.ts` : 'PLATFORM_MATRIX'}`);
    assert.deepEqual(misplaced, []);
    assert.ok(routes.filter((r) => r.module === 'dues').length > 40, 'routes know their module');
    const entries = MODULES.reduce((n, m) => n + Object.keys(m.authz).length, Object.keys(PLATFORM_MATRIX).length);
    assert.equal(entries, routes.length, 'no entry is listed twice or for a route that does not exist');
  });

  it('answers 401 to anonymous callers of every non-public route', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => !('public' in x.access))) {
      const res = await t.request({
        method: r.method as 'GET',
        url: urlWith(r.url, SOME_UUID),
        body: r.method === 'GET' ? undefined : {},
      });
      if (res.status !== 401) wrong.push(`${key(r)} → ${res.status}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('answers 403 to every role the matrix does not allow, before looking at the input', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      const entry = AUTHZ_MATRIX[key(r)]!;
      for (const role of ROLES.filter((x) => !allows(entry, x) && entry !== 'public')) {
        const res = await t.request({
          method: r.method as 'GET',
          url: urlWith(r.url, SOME_UUID),
          token: tokens[role],
          body: r.method === 'GET' ? undefined : {},
        });
        if (res.status !== 403) wrong.push(`${key(r)} as ${role} → ${res.status}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('lets every allowed role past the role check', async () => {
    const wrong: string[] = [];
    // Logging out would end the probing session; password changes are covered by auth tests.
    for (const r of routes.filter((x) => !['POST /api/v1/auth/logout'].includes(key(x)))) {
      const entry = AUTHZ_MATRIX[key(r)]!;
      const allowed = ROLES.filter((x) => allows(entry, x));
      // The PostgreSQL pass (lightSweep) runs each route's SQL once, as its allowed role of the narrowest scope.
      const narrowest = (['member', 'secretary', 'org_admin', 'auditor', 'admin'] as const).find((x) =>
        allowed.includes(x),
      );
      for (const role of lightSweep ? [narrowest!] : allowed) {
        const res = await t.request({
          method: r.method as 'GET',
          url: urlWith(r.url, SOME_UUID),
          token: tokens[role],
          body: r.method === 'GET' ? undefined : {},
        });
        if (res.status === 401 || (res.status === 403 && res.body?.error?.message === '您的角色无权执行此操作'))
          wrong.push(`${key(r)} as ${role} → ${res.status}`);
        if (res.status >= 500) wrong.push(`${key(r)} as ${role} → ${res.status} ${res.raw}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('hides records of another org subtree: 404 by id in the path, 403 for an org named in query or body', async () => {
    const wrong: string[] = [];
    const probed: string[] = [];
    for (const r of routes) {
      const entry = AUTHZ_MATRIX[key(r)]!;
      if ('public' in r.access) continue;
      // The narrowest allowed account shows a scope leak best; admins and auditors see the whole tenant.
      const role = (['secretary', 'org_admin'] as const).find((x) => allows(entry, x));
      if (!role) continue;
      const token = tokens[role];
      const target = r.access.target;
      if (r.url.includes(':')) {
        const segment = r.url.split('/')[3]!;
        const id = FOREIGN[segment];
        if (!id) {
          wrong.push(`${key(r)}: no foreign ${segment} record to probe with — add one to FOREIGN`);
          continue;
        }
        const res = await t.request({
          method: r.method as 'GET',
          url: urlWith(r.url, id),
          token,
          body: r.method === 'GET' ? undefined : {},
        });
        probed.push(key(r));
        if (res.status !== 404) wrong.push(`${key(r)} as ${role} on another org's record → ${res.status}`);
      } else if (target) {
        const orgId = FOREIGN.orgs!;
        const url = target.from === 'query' ? `${r.url}?${target.key}=${orgId}` : r.url;
        const body = r.method === 'GET' ? undefined : target.from === 'body' ? { [target.key]: orgId } : {};
        const res = await t.request({ method: r.method as 'GET', url, token, body });
        probed.push(key(r));
        if (res.status !== 403) wrong.push(`${key(r)} as ${role} naming another org → ${res.status}`);
        // An org id that does not exist answers the same: 403 versus 404 must not tell whether an org exists.
        const ghost = await t.request({
          method: r.method as 'GET',
          url: url.replace(orgId, SOME_UUID),
          token,
          body: body && typeof body === 'object' ? JSON.parse(JSON.stringify(body).replace(orgId, SOME_UUID)) : body,
        });
        if (ghost.status !== res.status || ghost.body?.error?.message !== res.body?.error?.message)
          wrong.push(
            `${key(r)} as ${role}: a missing org → ${ghost.status} ${ghost.body?.error?.message}, another org's → ${res.status} ${res.body?.error?.message}`,
          );
      }
    }
    assert.ok(probed.length >= 20, `probed only ${probed.length} routes`);
    assert.deepEqual(wrong, []);
  });
  it('answers a 身份证号 of a member outside the caller’s scope without saying where, audited, on every route that checks one', async () => {
    // Every route whose JSON body takes a 身份证号 is listed (a new one must be considered here).
    const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).body;
    const taking: string[] = [];
    for (const [p, ops] of Object.entries<Record<string, { requestBody?: unknown }>>(doc.paths))
      for (const [m, op] of Object.entries(ops))
        if (JSON.stringify(op.requestBody ?? {}).includes('"idCardNo"'))
          taking.push(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
    assert.deepEqual(
      taking.filter((k) => !(ID_NUMBER_ROUTES as readonly string[]).includes(k)),
      [],
    );

    const own = await t.orgId('第一发电厂党支部');
    const [foreign] = await queryRows<{
      id: string;
      name: string;
      gender: string;
      birth: string;
      enc: string;
      joined: string;
      status: string;
      full: string | null;
    }>(
      t.services.db,
      sql`select id, name, gender, birth_date::text as birth, id_card_enc as enc, joined_at::text as joined, status, full_at::text as full
          from member where org_id = ${FOREIGN.orgs!} and left_at is null order by id desc limit 1`,
    );
    const idCardNo = t.services.fieldCrypto.decrypt(foreign!.enc, member.idCardEnc, foreign!.id);
    const [mine] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${own} and left_at is null limit 1`,
    );
    const person = {
      gender: foreign!.gender,
      birthDate: foreign!.birth,
      idCardNo,
      joinedAt: foreign!.joined,
      status: foreign!.status,
      ...(foreign!.full ? { fullAt: foreign!.full } : {}),
    };
    const tpl = await t.app.inject({
      method: 'GET',
      url: '/api/v1/members/import-template',
      headers: { authorization: `Bearer ${tokens.secretary}` },
    });
    const sheet = await memberSheet(tpl.rawPayload, 2, {
      branches: ['第一发电厂党支部'],
      breakRow: 3,
      edit: (row, m) => (row === 2 ? { ...m, ...(person as object) } : m),
    });
    const probes: Record<(typeof ID_NUMBER_ROUTES)[number], () => Promise<{ status: number; raw: string }>> = {
      'POST /api/v1/members': () =>
        post('/members', tokens.secretary, { orgId: own, name: '候选人', phone: '13900001111', ...person }),
      'PATCH /api/v1/members/:id': () =>
        patch(`/members/${mine!.id}`, tokens.secretary, {
          idCardNo,
          birthDate: person.birthDate,
          gender: person.gender,
        }),
      'POST /api/v1/members/import': async () => {
        const { body, headers } = multipartFile(sheet);
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/v1/members/import',
          payload: body,
          headers: { ...headers, authorization: `Bearer ${tokens.secretary}` },
        });
        return { status: r.statusCode, raw: r.body };
      },
      'POST /api/v1/develop/persons': () =>
        post('/develop/persons', tokens.secretary, {
          orgId: own,
          name: '申请人',
          idCardNo,
          phone: '13900002222',
          appliedAt: '2026-01-05',
        }),
    };
    const audited = async () =>
      (
        await queryRows<{ n: number }>(
          t.services.db,
          sql`select count(*)::int as n from audit_log where action = 'member.idcard.lookup'`,
        )
      )[0]!.n;
    const wrong: string[] = [];
    for (const k of ID_NUMBER_ROUTES) {
      const before = await audited();
      const r = await probes[k]();
      if (r.status < 400 || r.status >= 500) wrong.push(`${k} → ${r.status}`);
      for (const leak of [FOREIGN_ORG, foreign!.name]) if (r.raw.includes(leak)) wrong.push(`${k} names ${leak}`);
      if ((await audited()) !== before + 1) wrong.push(`${k}: the lookup is not audited`);
    }
    assert.deepEqual(wrong, []);
  });
  it('refuses an org of another subtree in every body field that names further orgs (joint orgs, role bindings)', async () => {
    // Every org-naming body field in the OpenAPI document is the route's target or listed.
    const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).body;
    const fields = (schema: unknown, at = ''): string[] => {
      if (!schema || typeof schema !== 'object') return [];
      const s = schema as {
        properties?: Record<string, unknown>;
        items?: unknown;
        anyOf?: unknown[];
        oneOf?: unknown[];
      };
      const out: string[] = [];
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (/orgIds?$/i.test(k)) out.push(`${at}${k}`);
        out.push(...fields(v, `${at}${k}.`));
      }
      if (s.items) out.push(...fields(s.items, at.replace(/\.$/, '[].')));
      for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) out.push(...fields(alt, at));
      return out;
    };
    const unlisted: string[] = [];
    for (const r of routes) {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      const body = op?.requestBody?.content?.['application/json']?.schema;
      const target = 'public' in r.access ? undefined : r.access.target;
      for (const f of new Set(fields(body)))
        if (
          !(target?.from === 'body' && target.key === f) &&
          SECONDARY_ORG_FIELDS[key(r)] !== f &&
          ANY_ORG_FIELDS[key(r)] !== f
        )
          unlisted.push(`${key(r)} ${f}`);
    }
    assert.deepEqual(unlisted, []);

    const own = await t.orgId('第一发电厂党支部');
    const meeting = {
      orgId: own,
      kind: 'theme_day',
      title: '联合主题党日',
      startsAt: new Date(nowMs() + 86400_000).toISOString(),
      endsAt: new Date(nowMs() + 90000_000).toISOString(),
      location: '活动室',
    };
    const mine = await post('/meetings', tokens.secretary, meeting);
    assert.equal(mine.status, 201, mine.raw);
    const probes: Record<string, () => Promise<{ status: number; raw: string }>> = {
      'POST /api/v1/meetings': () => post('/meetings', tokens.secretary, { ...meeting, jointOrgIds: [FOREIGN.orgs!] }),
      'PATCH /api/v1/meetings/:id': () =>
        patch(`/meetings/${mine.body.id}`, tokens.secretary, { jointOrgIds: [FOREIGN.orgs!] }),
      'POST /api/v1/users': () =>
        post('/users', tokens.org_admin, {
          username: 'probe-user',
          password: 'Strong-Pass-1',
          roles: [{ role: 'member', orgId: FOREIGN.orgs! }],
        }),
    };
    // 互动: an opinion of the secretary's own branch to transfer.
    const opinion = await post('/voice/opinions', tokens.member, {
      orgId: own,
      category: 'suggestion',
      title: '转办探针',
      body: '用于转办探针的意见建议。',
    });
    Object.assign(probes, {
      'POST /api/v1/voice/opinions': () =>
        post('/voice/opinions', tokens.secretary, {
          orgId: FOREIGN.orgs!,
          category: 'suggestion',
          title: '探针',
          body: '写给别的支部的意见。',
        }),
      'POST /api/v1/voice/letters': () =>
        post('/voice/letters', tokens.secretary, {
          orgId: FOREIGN.orgs!,
          position: '书记',
          subject: '探针',
          body: '写给别的支部的信。',
        }),
      'POST /api/v1/voice-opinions/:id/transfer': () =>
        post(`/voice-opinions/${opinion.body.id}/transfer`, tokens.secretary, { orgId: FOREIGN.orgs! }),
    });
    const wrong: string[] = [];
    for (const k of Object.keys(SECONDARY_ORG_FIELDS)) {
      const probe = probes[k];
      if (!probe) {
        wrong.push(`${k}: no probe — add one here`);
        continue;
      }
      const r = await probe();
      if (r.status !== 403) wrong.push(`${k} naming another subtree's org in ${SECONDARY_ORG_FIELDS[k]} → ${r.status}`);
      // Neither the other org's name nor whether an org exists may show (security finding 13).
      if (r.raw.includes(FOREIGN_ORG)) wrong.push(`${k} names the other org`);
      const foreignId = FOREIGN.orgs!;
      FOREIGN.orgs = SOME_UUID;
      const ghost = await probe();
      FOREIGN.orgs = foreignId;
      if (ghost.status !== r.status || JSON.parse(ghost.raw)?.error?.message !== JSON.parse(r.raw)?.error?.message)
        wrong.push(`${k}: a missing org → ${ghost.status} ${ghost.raw}, another subtree's → ${r.status} ${r.raw}`);
    }
    assert.deepEqual(wrong, []);
  });
  it('lets a member reach no other member’s 互动 record by id: 404 where members may call the route, 403 where they may not', async () => {
    // The prober is the member 陈志远 (dangyuan). Records of another member of the same branch (jijian's
    // named opinion and letter to the 书记), and of another branch's members (thread, reply,
    // attachment, survey, vote of 研发中心党支部, where dangyuan is in no audience).
    const own = await t.orgId('第一发电厂党支部');
    const other = await t.login('jijian');
    const opinion = await post('/voice/opinions', other, {
      orgId: own,
      category: 'suggestion',
      title: '另一党员的意见',
      body: '只有本人和处理人能看到的意见。',
    });
    assert.equal(opinion.status, 201, opinion.raw);
    const letter = await post('/voice/letters', other, {
      orgId: own,
      position: '书记',
      subject: '另一党员的信',
      body: '只有写信人和书记能看到的信。',
    });
    assert.equal(letter.status, 201, letter.raw);
    // A file on the other member's item (as if the 书记 had attached it to an answer being written).
    const [file] = await queryRows<{ id: string }>(
      t.services.db,
      sql`insert into voice_opinion_file (tenant_id, opinion_id, file_name, mime, size, sha256, storage_key, uploaded_by)
          values (${t.tenantId}, ${opinion.body.id}, 'probe.png', 'image/png', 1, '-', 'voice/probe.png', (select id from app_user where username = 'shuji')) returning id`,
    );
    // A file on the other member's letter, through the route (sealed like the letter).
    const letterFile = multipartFile(
      Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
        'hex',
      ),
      '另一党员的附件.png',
    );
    const attached = await t.app.inject({
      method: 'POST',
      url: `/api/v1/voice-letter-messages/${letter.body.messages[0].id}/files`,
      payload: letterFile.body,
      headers: { ...letterFile.headers, authorization: `Bearer ${other}` },
    });
    assert.equal(attached.statusCode, 201, attached.body);
    const ids: Record<string, string> = {
      'voice-letter-messages': letter.body.messages[0].id,
      'voice-letter-files': JSON.parse(attached.body).id,
      'voice-opinions': opinion.body.id,
      'voice-opinion-files': file!.id,
      'voice-letters': letter.body.id,
      'voice-threads': FOREIGN['voice-threads']!,
      'voice-posts': FOREIGN['voice-posts']!,
      'voice-attachments': FOREIGN['voice-attachments']!,
      'voice-surveys': FOREIGN['voice-surveys']!,
      'voice-votes': FOREIGN['voice-votes']!,
      'voice-candidates': FOREIGN['voice-candidates']!,
    };
    for (const [k, v] of Object.entries(ids)) assert.notEqual(v, SOME_UUID, `a real ${k} record to probe with`);
    // Valid bodies, so that a refusal comes from the scope and not from the input's shape.
    const bodies: Record<string, unknown> = {
      'POST /api/v1/voice-opinions/:id/rate': { rating: 5 },
      'POST /api/v1/voice-letters/:id/messages': { body: '探针' },
      'POST /api/v1/voice-threads/:id/posts': { body: '探针' },
      'PUT /api/v1/voice-threads/:id': { title: '探针标题', body: '探针' },
      'PUT /api/v1/voice-posts/:id': { body: '探针' },
      'POST /api/v1/voice-surveys/:id/responses': { answers: [] },
      'POST /api/v1/voice-votes/:id/ballots': { choices: [SOME_UUID] },
    };
    const uploads = [
      'POST /api/v1/voice-threads/:id/attachments',
      'POST /api/v1/voice-opinions/:id/files',
      'POST /api/v1/voice-letter-messages/:id/files',
      'POST /api/v1/voice-candidates/:id/photo',
    ];
    const { wrong, probed } = await sweepAsMember(
      '/api/v1/voice-',
      "another member's record",
      (path) => ids[path.split('/')[3]!],
      (k) => (uploads.includes(k) ? { upload: PNG } : { body: bodies[k] }),
    );
    assert.deepEqual(wrong, []);
    assert.equal(probed.length, 42, `every 互动 route that takes an id is probed: ${probed.join(', ')}`);
  });

  it('lets a member bind, list or unbind no one else’s 企业微信/钉钉 account: admin routes 403, no user field in their own', async () => {
    const member = tokens.member;
    const [other] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'jijian'`,
    );
    const [b] = await queryRows<{ id: string }>(
      t.services.db,
      sql`insert into sso_binding (tenant_id, user_id, provider, issuer, external_id)
          values (${t.tenantId}, ${other!.id}, 'wecom', 'wwprobe', 'jijian-probe') returning id`,
    );
    const still = async () =>
      (await queryRows(t.services.db, sql`select 1 from sso_binding where id = ${b!.id}`)).length === 1;
    try {
      const wrong: string[] = [];
      for (const [method, url, body] of [
        ['GET', '/api/v1/sso/bindings', undefined],
        ['DELETE', `/api/v1/sso/bindings/${b!.id}`, undefined],
      ] as const) {
        const r = await t.request({ method, url, token: member, body });
        if (r.status !== 403) wrong.push(`${method} ${url} → ${r.status}`);
      }
      for (const body of [
        { provider: 'wecom', userId: other!.id },
        { provider: 'wecom', username: 'jijian' },
      ]) {
        const r = await post('/me/sso/unbind', member, body);
        if (r.status !== 400) wrong.push(`unbind naming another user → ${r.status}`);
      }
      const own = await post('/me/sso/unbind', member, { provider: 'wecom' });
      if (own.status !== 404) wrong.push(`unbind of their own (none) → ${own.status}`);
      const start = await post('/me/sso/start', member, { provider: 'wecom', userId: other!.id });
      if (start.status !== 400) wrong.push(`start naming another user → ${start.status}`);
      assert.deepEqual(wrong, []);
      assert.ok(await still(), 'the other member’s binding is untouched');
    } finally {
      await t.services.db.execute(sql`delete from sso_binding where id = ${b!.id}`);
    }
  });

  it('lets a member edit or withdraw no other member’s thread or reply in their own branch (403, text unchanged)', async () => {
    // The prober is the member 陈志远 (dangyuan); the author is jijian, a member of the same branch, so the
    // prober reads the thread and the reply (a 404 would not be the point: the author check must refuse).
    const own = await t.orgId('第一发电厂党支部');
    const other = await t.login('jijian');
    const made = await post('/voice/threads', other, { orgId: own, title: '纪检委员的话题', body: '原文。' });
    assert.equal(made.status, 201, made.raw);
    const replied = await post(`/voice-threads/${made.body.id}/posts`, other, { body: '纪检委员的回复。' });
    assert.equal(replied.status, 200, replied.raw);
    const postId = replied.body.posts.at(-1).id as string;
    const seen = await get(`/voice-threads/${made.body.id}`, tokens.member);
    assert.equal(seen.status, 200, 'the prober reads the branch’s thread');
    assert.equal(seen.body.posts.at(-1).editableUntil, null, 'and is offered no edit');
    const wrong: string[] = [];
    for (const [what, method, url, body] of [
      ['edit the reply', 'PUT', `/api/v1/voice-posts/${postId}`, { body: '篡改' }],
      ['withdraw the reply', 'POST', `/api/v1/voice-posts/${postId}/withdraw`, {}],
      ['edit the thread', 'PUT', `/api/v1/voice-threads/${made.body.id}`, { title: '篡改标题', body: '篡改' }],
      ['withdraw the thread', 'POST', `/api/v1/voice-threads/${made.body.id}/withdraw`, {}],
    ] as const) {
      const res = await t.request({ method, url, token: tokens.member, body });
      if (res.status !== 403 || !/只能修改或撤回自己发的/.test(res.raw))
        wrong.push(`${what}: ${res.status} ${res.raw.slice(0, 120)}`);
    }
    assert.deepEqual(wrong, []);
    const after = await get(`/voice-threads/${made.body.id}`, other);
    assert.equal(after.body.title, '纪检委员的话题');
    assert.equal(after.body.posts.at(-1).body, '纪检委员的回复。');
    assert.equal(after.body.posts.at(-1).edited, false);
    assert.equal(after.body.withdrawn, false);
  });

  it('lets a member reach no other person’s 宣传 record by id: a draft of their own branch is 404, keepers’ routes 403', async () => {
    // The prober is the member 陈志远 (dangyuan). The record: a draft written by the branch's 书记 (shuji) in
    // dangyuan's own branch (so the line-of-org check alone would let him through), with the 必读 flag, whose
    // unread list names the branch's members.
    const own = await t.orgId('第一发电厂党支部');
    const shuji = await t.login('shuji');
    const draft = await post('/media/articles', shuji, {
      orgId: own,
      channel: '基层动态',
      title: '书记的草稿',
      mustRead: true,
      body: { version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '未发布的草稿。' }] }] },
    });
    assert.equal(draft.status, 201, draft.raw);
    const bodies: Record<string, unknown> = {
      'PATCH /api/v1/media-articles/:id': { title: '改' },
      'POST /api/v1/media-articles/:id/review': { approve: true },
      'POST /api/v1/media-articles/:id/comments': { text: '评论草稿' },
    };
    const { wrong, probed } = await sweepAsMember(
      '/api/v1/media-articles/:id',
      "the 书记's draft",
      () => draft.body.id,
      (k) => (k === 'POST /api/v1/media-articles/:id/files' ? { upload: PNG } : { body: bodies[k] }),
    );
    assert.deepEqual(wrong, []);
    assert.equal(probed.length, 11, `every 宣传 route that takes an id is probed: ${probed.join(', ')}`);
  });

  it('lets a member reach no other member’s 典型 record: a 先锋岗 draft naming a branch-mate is 404, their honours on the record 403', async () => {
    // The prober is 陈志远 (dangyuan); the record: a 党员先锋岗 draft by the branch's 书记 naming a branch-mate.
    const own = await t.orgId('第一发电厂党支部');
    const shuji = await t.login('shuji');
    const [mate] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m where m.org_id = ${own} and m.left_at is null and m.name not in ('陈志远', '张建国') order by m.id limit 1`,
    );
    const draft = await post('/media/articles', shuji, {
      orgId: own,
      kind: 'pioneer',
      channel: '党员先锋岗',
      title: '先锋岗草稿',
      honorees: [{ memberId: mate!.id, post: '探针岗位' }],
      body: { version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '未发布。' }] }] },
    });
    assert.equal(draft.status, 201, draft.raw);
    const probes: Parameters<typeof asCaller>[1] = [
      ['GET', `/api/v1/media-articles/${draft.body.id}`, undefined, 404],
      ['PATCH', `/api/v1/media-articles/${draft.body.id}`, { honorees: [{ memberId: mate!.id, post: '改' }] }, 403],
      ['GET', `/api/v1/members/${mate!.id}/media-honors`, undefined, 403],
      ['GET', `/api/v1/media/manage?kind=pioneer`, undefined, 403],
    ];
    const wrong = await misanswered(t, asCaller(tokens.member, probes));
    const feed = await get('/media/articles?kind=pioneer&pageSize=200', tokens.member);
    if (JSON.stringify(feed.body).includes('探针岗位')) wrong.push('the draft’s honoree is in the member’s showcase');
    assert.deepEqual(wrong, []);
    const [row] = await queryRows<{ post: string }>(
      t.services.db,
      sql`select post from media_honoree where article_id = ${draft.body.id}`,
    );
    assert.equal(row!.post, '探针岗位', 'nothing changed');
  });

  it('lets a member neither see nor decide another member’s held comment, nor reach another branch’s article comments', async () => {
    // 熊浩 (jijian) and 陈志远 (dangyuan, the prober) are members of the same branch; jijian's comment on the group
    // committee's news hits the word list and is held. The comment routes of the foreign branch's article: 404.
    const jijian = await t.login('jijian');
    const feed = await get('/media/articles?pageSize=50', tokens.member);
    const news = feed.body.items.find((a: { title: string }) => a.title === '集团党委召开党建工作推进会').id as string;
    const held = await post(`/media-articles/${news}/comments`, jijian, { text: '有人推销毒品，大家小心。' });
    assert.equal(held.body.status, 'held', held.raw);
    const list = await get(`/media-articles/${news}/comments?pageSize=200`, tokens.member);
    assert.equal(list.status, 200);
    assert.ok(!list.raw.includes(held.body.id), 'the held comment is not listed to another member');
    assert.ok(!list.raw.includes('推销毒品'));
    const probes: Parameters<typeof asCaller>[1] = [
      ['POST', `/api/v1/media-comments/${held.body.id}/decide`, { approve: true }, 403],
      ['POST', `/api/v1/media-comments/${FOREIGN['media-comments']!}/decide`, { approve: true }, 403],
      ['GET', `/api/v1/media-articles/${FOREIGN['media-articles']!}/comments`, undefined, 404],
      ['POST', `/api/v1/media-articles/${FOREIGN['media-articles']!}/comments`, { text: '越界评论' }, 404],
      // The same on the other subjects: another branch's lecture recording and contest entry.
      ['GET', `/api/v1/media-lectures/${FOREIGN['media-lectures']!}/comments`, undefined, 404],
      ['POST', `/api/v1/media-lectures/${FOREIGN['media-lectures']!}/comments`, { text: '越界评论' }, 404],
      ['GET', `/api/v1/media-contest-entries/${FOREIGN['media-contest-entries']!}/comments`, undefined, 404],
      [
        'POST',
        `/api/v1/media-contest-entries/${FOREIGN['media-contest-entries']!}/comments`,
        { text: '越界评论' },
        404,
      ],
    ];
    assert.deepEqual(await misanswered(t, asCaller(tokens.member, probes)), []);
    const [n] = await queryRows<{ held: string; foreign: number }>(
      t.services.db,
      sql`select (select status from media_comment where id = ${held.body.id}) as held,
                 (select count(*)::int from media_comment where article_id = ${FOREIGN['media-articles']!}
                    or lecture_id = ${FOREIGN['media-lectures']!} or entry_id = ${FOREIGN['media-contest-entries']!}) as foreign`,
    );
    assert.deepEqual(n, { held: 'held', foreign: 1 });
  });

  it('lets a member reach no 网上课堂 record of another org: its live lecture and question are 404, keepers’ routes 403', async () => {
    // The prober is the member 陈志远 (dangyuan, 第一发电厂党支部); the records are the live lecture of 研发中心党支部
    // (another branch under the same committee) and a question asked in it — the member may attend his own line's
    // lectures, so "any" routes pass the role check and must stop at the scope check.
    const bodies: Record<string, unknown> = {
      'PATCH /api/v1/media-lectures/:id': { title: '改' },
      'POST /api/v1/media-lectures/:id/questions': { text: '越界提问' },
      'POST /api/v1/media-lecture-questions/:id/decide': { approve: true },
      'POST /api/v1/media-lectures/:id/comments': { text: '越界评论' },
    };
    const { wrong, probed } = await sweepAsMember(
      '/api/v1/media-lecture',
      "another branch's lecture",
      (path) => FOREIGN[path.split('/')[3]!],
      (k) =>
        k === 'POST /api/v1/media-lectures/:id/video'
          ? { upload: { data: Buffer.from('000000186674797069736f6d', 'hex'), name: 'probe.mp4' } }
          : { body: bodies[k], ...(k.endsWith('/stream') ? { headers: { accept: 'text/event-stream' } } : {}) },
    );
    assert.deepEqual(wrong, []);
    assert.equal(probed.length, 12, `every 网上课堂 route that takes an id is probed: ${probed.join(', ')}`);
    // Nothing was recorded: no question in the foreign lecture but the probe's own, no attendance.
    const [n] = await queryRows<{ q: number; a: number }>(
      t.services.db,
      sql`select (select count(*)::int from media_lecture_question where lecture_id = ${FOREIGN['media-lectures']!}) as q,
                 (select count(*)::int from media_lecture_attendance where lecture_id = ${FOREIGN['media-lectures']!}) as a`,
    );
    assert.deepEqual(n, { q: 1, a: 0 });
  });

  it('keeps a member to their own 志愿服务: another member’s hours 403, correcting them 403, cancelling them impossible; another branch 404', async () => {
    const jijian = await t.login('jijian');
    const shuji2 = await t.login('shuji2');
    const branch = await t.orgId('第一发电厂党支部');
    const start = new Date(nowMs() + 2 * 86_400_000);
    const created = await post('/volunteer/activities', tokens.secretary, {
      orgId: branch,
      title: '探针志愿活动',
      place: '厂区',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 7_200_000).toISOString(),
      slots: 5,
    });
    assert.equal(created.status, 201, created.raw);
    const id = created.body.id as string;
    const signed = await t.request({ method: 'POST', url: `/api/v1/volunteer-activities/${id}/signup`, token: jijian });
    assert.equal(signed.status, 200, signed.raw);
    const jijianMember = signed.body.memberId as string;
    const correction = { minutes: 60, reason: '探针更正' };
    const probes: Probe[] = [
      [
        'member reading another member’s hours',
        tokens.member,
        'GET',
        `/api/v1/volunteer-members/${jijianMember}/hours`,
        undefined,
        403,
      ],
      ['member editing the activity', tokens.member, 'PATCH', `/api/v1/volunteer-activities/${id}`, { slots: 1 }, 403],
      [
        'member cancelling the activity (and with it the other member’s sign-up)',
        tokens.member,
        'POST',
        `/api/v1/volunteer-activities/${id}/cancel`,
        { reason: '探针取消' },
        403,
      ],
      [
        'member checking another member in (a body naming them)',
        tokens.member,
        'POST',
        `/api/v1/volunteer-activities/${id}/checkin`,
        { token: 'x', memberId: jijianMember },
        400,
      ],
      [
        'another branch’s 书记 editing the activity',
        shuji2,
        'PATCH',
        `/api/v1/volunteer-activities/${id}`,
        { slots: 1 },
        404,
      ],
      [
        'another branch’s 书记 cancelling the activity',
        shuji2,
        'POST',
        `/api/v1/volunteer-activities/${id}/cancel`,
        { reason: '探针取消' },
        404,
      ],
      [
        'member correcting another member’s hours',
        tokens.member,
        'POST',
        `/api/v1/volunteer-signups/${signed.body.id}/correction`,
        correction,
        403,
      ],
      [
        'member reading the roster of sign-ups',
        tokens.member,
        'GET',
        `/api/v1/volunteer-activities/${id}/signups`,
        undefined,
        403,
      ],
      [
        'member cancelling (only ever their own: not signed up)',
        tokens.member,
        'POST',
        `/api/v1/volunteer-activities/${id}/signup/cancel`,
        undefined,
        422,
      ],
      [
        'member on another branch’s activity',
        tokens.member,
        'GET',
        `/api/v1/volunteer-activities/${FOREIGN['volunteer-activities']!}`,
        undefined,
        404,
      ],
      [
        'member signing up to another branch’s activity',
        tokens.member,
        'POST',
        `/api/v1/volunteer-activities/${FOREIGN['volunteer-activities']!}/signup`,
        undefined,
        404,
      ],
      ['another branch’s 书记 on the activity', shuji2, 'GET', `/api/v1/volunteer-activities/${id}`, undefined, 404],
      [
        'another branch’s 书记 on its sign-ups',
        shuji2,
        'GET',
        `/api/v1/volunteer-activities/${id}/signups`,
        undefined,
        404,
      ],
      [
        'another branch’s 书记 correcting',
        shuji2,
        'POST',
        `/api/v1/volunteer-signups/${signed.body.id}/correction`,
        correction,
        404,
      ],
      [
        'another branch’s 书记 on the member’s hours',
        shuji2,
        'GET',
        `/api/v1/volunteer-members/${jijianMember}/hours`,
        undefined,
        404,
      ],
      [
        'the branch’s 书记 on the member’s hours',
        tokens.secretary,
        'GET',
        `/api/v1/volunteer-members/${jijianMember}/hours`,
        undefined,
        200,
      ],
      ['the member on the activity', tokens.member, 'GET', `/api/v1/volunteer-activities/${id}`, undefined, 200],
    ];
    const wrong = await misanswered(t, probes);
    assert.deepEqual(wrong, []);
    const roster = await get(`/volunteer-activities/${id}/signups`, tokens.secretary);
    assert.deepEqual(
      roster.body.items.map((x: { state: string }) => x.state),
      ['signed_up'],
      'jijian’s sign-up is untouched',
    );
    const still = await get(`/volunteer-activities/${id}`, tokens.secretary);
    assert.deepEqual([still.body.status, still.body.slots], ['published', 5], 'the activity is untouched');
  });

  it('lets a member download only their own 志愿服务证明: another member’s, and for anyone else (书记 included), 404; the public check masks the name', async () => {
    const shuji2 = await t.login('shuji2');
    const rows = await queryRows<{ id: string; serial: string; name: string; mine: boolean }>(
      t.services.db,
      sql`select s.id, s.certificate_serial as serial, m.name, (u.username = ${ACCOUNTS.member}) as mine
          from volunteer_signup s join member m on m.id = s.member_id left join app_user u on u.id = m.user_id
          where s.minutes > 0 and s.cancelled_at is null and s.certificate_serial is not null order by s.id`,
    );
    const own = rows.find((r) => r.mine);
    const other = rows.find((r) => !r.mine);
    assert.ok(own && other, `the demo has hours of the prober and of another member: ${JSON.stringify(rows)}`);
    const certificate = (id: string, token: string) => get(`/volunteer-signups/${id}/certificate`, token);
    const probes: [string, string, string, number[]][] = [
      ['member downloading another member’s certificate', other.id, tokens.member, [404]],
      ['the branch’s 书记 downloading a member’s certificate', own.id, tokens.secretary, [404]],
      ['another branch’s 书记', own.id, shuji2, [404]],
      ['the 系统管理员', own.id, tokens.admin, [404]],
      ['the member’s own certificate (503 only without a CJK font)', own.id, tokens.member, [200, 503]],
    ];
    const wrong: string[] = [];
    for (const [who, id, token, want] of probes) {
      const res = await certificate(id, token);
      if (!want.includes(res.status))
        wrong.push(`${who} → ${res.status} (want ${want.join('/')}) ${res.raw.slice(0, 120)}`);
      if (res.status === 404 && res.raw.includes(other.name)) wrong.push(`${who}: the refusal names the member`);
    }
    assert.deepEqual(wrong, []);
    const check = await get(`/public/volunteer-certificates/${other.serial}`);
    assert.equal(check.status, 200, check.raw);
    assert.ok(!check.raw.includes(other.name), `the public check masks the name: ${check.raw}`);
  });

  it('gives a member only their own 年度志愿服务证明: no body field names another member, and the certificate lists only the caller’s hours', async () => {
    const rows = await queryRows<{ id: string; title: string; name: string; mine: boolean; starts: string }>(
      t.services.db,
      sql`select s.id, a.title, m.name, (u.username = ${ACCOUNTS.member}) as mine, a.starts_at::text as starts
          from volunteer_signup s join volunteer_activity a on a.id = s.activity_id join member m on m.id = s.member_id
          left join app_user u on u.id = m.user_id
          where s.minutes > 0 and s.cancelled_at is null and s.certificate_serial is not null order by s.id`,
    );
    const own = rows.find((r) => r.mine);
    const other = rows.find((r) => !r.mine);
    assert.ok(own && other, `the demo has hours of the prober and of another member: ${JSON.stringify(rows)}`);
    const year = Number(new Date(Date.parse(own.starts) + 8 * 3_600_000).toISOString().slice(0, 4));
    const issue = (token: string, body: object) => post('/volunteer/year-certificate', token, body);
    const wrong: string[] = [];
    for (const [who, body] of [
      ['memberId of another member', { year, memberId: '00000000-0000-0000-0000-000000000001' }],
      ['signupId of another member’s hours', { year, signupId: other.id }],
      ['userId', { year, userId: '00000000-0000-0000-0000-000000000001' }],
    ] as const) {
      const r = await issue(tokens.member, body);
      if (r.status !== 400) wrong.push(`${who} → ${r.status} (want 400) ${r.raw.slice(0, 120)}`);
      if (r.raw.includes(other.name)) wrong.push(`${who}: the answer names the other member`);
    }
    // The 审计员 and the 系统管理员 have no member record: nothing to certify, and no one else's hours.
    for (const [who, token] of [
      ['the 审计员', tokens.auditor],
      ['the 系统管理员', tokens.admin],
    ] as const) {
      const r = await issue(token, { year });
      if (r.status !== 422 && r.status !== 503) wrong.push(`${who} → ${r.status} (want 422) ${r.raw.slice(0, 120)}`);
    }
    assert.deepEqual(wrong, []);
    const mine = await t.app.inject({
      method: 'POST',
      url: '/api/v1/volunteer/year-certificate',
      payload: { year },
      headers: { authorization: `Bearer ${tokens.member}` },
    });
    if (mine.statusCode === 503) return; // no CJK font on this machine
    assert.equal(mine.statusCode, 200, mine.body);
    const text = pdfText(mine.rawPayload);
    assert.ok(text.includes(own.name) && !text.includes(other.name), `the member’s own name only: ${text}`);
    const serial = text.match(/ZYND-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)?.[0];
    const check = await get(`/public/volunteer-certificates/${serial}`);
    assert.equal(check.status, 200, check.raw);
    assert.ok(
      !check.raw.includes(own.name) && !check.raw.includes(other.name),
      `the public check names no one in full: ${check.raw}`,
    );
  });

  it('shows a 困难帮扶 case only to the branch’s 书记 and the 组织部 above: members, the 审计员 and the 系统管理员 403, another branch’s 书记 404', async () => {
    const shuji2 = await t.login('shuji2');
    const zuzhibu = await t.login('zuzhibu');
    const branch = await t.orgId('第一发电厂党支部');
    const [someone] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join org o on o.id = m.org_id where o.path like (select path from org where id = ${branch}) || '%'
          and m.left_at is null and not exists (select 1 from hardship_case c where c.member_id = m.id and c.status = 'open')
          order by m.id limit 1`,
    );
    const opened = await post('/hardship/cases', tokens.secretary, {
      orgId: branch,
      memberId: someone!.id,
      level: 'special',
      situation: '探针困难情况：只应由书记和组织部看到。',
    });
    assert.equal(opened.status, 201, opened.raw);
    const id = opened.body.id as string;
    const visit = { visitedOn: '2026-01-05', visitors: '探针', help: '探针', amountFen: 0, note: '' };
    const probes: Probe[] = [
      ['a member reading it', tokens.member, 'GET', `/api/v1/hardship-cases/${id}`, undefined, 403],
      ['a member listing cases', tokens.member, 'GET', '/api/v1/hardship/cases', undefined, 403],
      ['a member adding a visit', tokens.member, 'POST', `/api/v1/hardship-cases/${id}/visits`, visit, 403],
      ['the 审计员 reading it', tokens.auditor, 'GET', `/api/v1/hardship-cases/${id}`, undefined, 403],
      ['the 系统管理员 reading it', tokens.admin, 'GET', `/api/v1/hardship-cases/${id}`, undefined, 403],
      ['another branch’s 书记 reading it', shuji2, 'GET', `/api/v1/hardship-cases/${id}`, undefined, 404],
      ['another branch’s 书记 on its visits', shuji2, 'GET', `/api/v1/hardship-cases/${id}/visits`, undefined, 404],
      ['another branch’s 书记 adding a visit', shuji2, 'POST', `/api/v1/hardship-cases/${id}/visits`, visit, 404],
      ['the branch’s 书记 reading it', tokens.secretary, 'GET', `/api/v1/hardship-cases/${id}`, undefined, 200],
      ['the subsidiary’s 组织部 reading it', tokens.org_admin, 'GET', `/api/v1/hardship-cases/${id}`, undefined, 200],
      ['the group’s 组织部 reading it', zuzhibu, 'GET', `/api/v1/hardship-cases/${id}`, undefined, 200],
      // 年度复核汇总 names the branch's members in hardship: a member of the branch reaching it (another member's
      // case) 403, the 审计员 and 系统管理员 403, another branch's 书记 naming the branch 403 (an org in a query).
      [
        'a member reading the branch’s 年度复核汇总',
        tokens.member,
        'GET',
        `/api/v1/hardship/summary?orgId=${branch}`,
        undefined,
        403,
      ],
      [
        'a member reading a 年度复核汇总 of their own',
        tokens.member,
        'GET',
        '/api/v1/hardship/summary',
        undefined,
        403,
      ],
      [
        'the 审计员 reading the 年度复核汇总',
        tokens.auditor,
        'GET',
        `/api/v1/hardship/summary?orgId=${branch}`,
        undefined,
        403,
      ],
      [
        'the 系统管理员 reading the 年度复核汇总',
        tokens.admin,
        'GET',
        `/api/v1/hardship/summary?orgId=${branch}`,
        undefined,
        403,
      ],
      [
        'another branch’s 书记 reading the branch’s 年度复核汇总',
        shuji2,
        'GET',
        `/api/v1/hardship/summary?orgId=${branch}`,
        undefined,
        403,
      ],
      [
        'the branch’s 书记 reading its 年度复核汇总',
        tokens.secretary,
        'GET',
        `/api/v1/hardship/summary?orgId=${branch}&pageSize=200`,
        undefined,
        200,
      ],
      [
        'the group’s 组织部 reading the 年度复核汇总',
        zuzhibu,
        'GET',
        `/api/v1/hardship/summary?pageSize=200`,
        undefined,
        200,
      ],
    ];
    const wrong = await misanswered(t, probes, '只应由书记');
    // Another branch's 书记 does not see it in his list; the keepers' lists carry no situation text.
    const other = await get('/hardship/cases?pageSize=200', shuji2);
    if (other.status !== 200 || other.raw.includes(id))
      wrong.push(`another branch’s 书记’s list → ${other.status}, has the case: ${other.raw.includes(id)}`);
    const mine = await get('/hardship/cases?pageSize=200', tokens.secretary);
    if (!mine.raw.includes(id) || mine.raw.includes('只应由书记'))
      wrong.push('the 书记’s list: the case missing or the situation in it');
    // The 年度复核汇总: the case is in the branch 书记's not-reviewed list, in none of another branch's 书记.
    const summary = await get('/hardship/summary?pageSize=200', tokens.secretary);
    if (!summary.raw.includes(id) || summary.raw.includes('只应由书记'))
      wrong.push('the 书记’s 年度复核汇总: the case missing or the situation in it');
    const otherSummary = await get('/hardship/summary?pageSize=200', shuji2);
    if (otherSummary.status !== 200 || otherSummary.raw.includes(id))
      wrong.push(
        `another branch’s 书记’s 年度复核汇总 → ${otherSummary.status}, has the case: ${otherSummary.raw.includes(id)}`,
      );
    assert.deepEqual(wrong, []);
  });

  it('lets a member read the 云地图 places of their branch and above but change none; another branch’s places are neither listed nor reachable', async () => {
    // dangyuan and jijian are members of 第一发电厂党支部; shuji2 keeps 研发中心党支部 (FOREIGN_ORG).
    const jijian = await t.login('jijian');
    const shuji2 = await t.login('shuji2');
    const branch = await t.orgId('第一发电厂党支部');
    const [own] = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select id, name from service_place where org_id = ${branch} and kind = 'org'`,
    );
    const foreignPlace = FOREIGN['service-places']!;
    const edit = { name: '探针改名' };
    const probes: Probe[] = [
      [
        'member adding a place to the own branch',
        tokens.member,
        'POST',
        '/api/v1/service/places',
        { orgId: branch, kind: 'venue', name: '探针', address: '探针', lng: 116.2, lat: 39.9 },
        403,
      ],
      ['member editing the own branch’s place', tokens.member, 'PATCH', `/api/v1/service-places/${own!.id}`, edit, 403],
      [
        'another member deleting the own branch’s place',
        jijian,
        'DELETE',
        `/api/v1/service-places/${own!.id}`,
        undefined,
        403,
      ],
      [
        'member listing another branch’s places',
        tokens.member,
        'GET',
        `/api/v1/service/places?orgId=${await t.orgId(FOREIGN_ORG)}`,
        undefined,
        403,
      ],
      [
        'member editing another branch’s place',
        tokens.member,
        'PATCH',
        `/api/v1/service-places/${foreignPlace}`,
        edit,
        403,
      ],
      [
        'another branch’s 书记 editing the branch’s place',
        shuji2,
        'PATCH',
        `/api/v1/service-places/${own!.id}`,
        edit,
        404,
      ],
      [
        'another branch’s 书记 deleting the branch’s place',
        shuji2,
        'DELETE',
        `/api/v1/service-places/${own!.id}`,
        undefined,
        404,
      ],
      [
        'the 书记 of the branch on another branch’s place',
        tokens.secretary,
        'DELETE',
        `/api/v1/service-places/${foreignPlace}`,
        undefined,
        404,
      ],
      ['the 审计员 editing', tokens.auditor, 'PATCH', `/api/v1/service-places/${own!.id}`, edit, 403],
    ];
    const wrong = await misanswered(t, probes);
    for (const [who, token] of [
      ['member', tokens.member],
      ['another member', jijian],
    ] as const) {
      const list = await get('/service/places?pageSize=200', token);
      if (list.status !== 200 || list.raw.includes(foreignPlace) || !list.raw.includes(own!.id))
        wrong.push(`${who}’s list → ${list.status}, foreign place in it: ${list.raw.includes(foreignPlace)}`);
    }
    assert.deepEqual(wrong, []);
    const [still] = await queryRows<{ name: string }>(
      t.services.db,
      sql`select name from service_place where id = ${own!.id}`,
    );
    assert.equal(still?.name, own!.name, 'the branch’s place is unchanged');
  });

  it('lets nobody but the writer and the keepers above read a 思想汇报: another member 404, another branch’s 书记 404, the 审计员 404', async () => {
    // The writer is jijian (a member of 第一发电厂党支部, like the prober dangyuan); shuji keeps that branch,
    // shuji2 keeps 研发中心党支部, shenji audits the whole tenant but is no record keeper.
    const jijian = await t.login('jijian');
    const shuji2 = await t.login('shuji2');
    const report = await post('/thought/reports', jijian, {
      title: '另一党员的思想汇报',
      period: '2026-Q1',
      text: '只有本人和本支部书记能看到的思想汇报内容，不应被其他人读到。',
    });
    assert.equal(report.status, 201, report.raw);
    const id = report.body.id as string;
    const comment = { mark: 'read', comment: '探针' };
    const probes: Probe[] = [
      ['member on another member’s report', tokens.member, 'GET', `/api/v1/thought-reports/${id}`, undefined, 404],
      [
        'member commenting another member’s report',
        tokens.member,
        'POST',
        `/api/v1/thought-reports/${id}/comment`,
        comment,
        403,
      ],
      ['another branch’s 书记 reading', shuji2, 'GET', `/api/v1/thought-reports/${id}`, undefined, 404],
      ['another branch’s 书记 commenting', shuji2, 'POST', `/api/v1/thought-reports/${id}/comment`, comment, 404],
      ['the 审计员 reading', tokens.auditor, 'GET', `/api/v1/thought-reports/${id}`, undefined, 404],
      ['the writer reading', jijian, 'GET', `/api/v1/thought-reports/${id}`, undefined, 200],
      ['the branch’s 书记 reading', tokens.secretary, 'GET', `/api/v1/thought-reports/${id}`, undefined, 200],
      ['the 组织部 above reading', tokens.org_admin, 'GET', `/api/v1/thought-reports/${id}`, undefined, 200],
    ];
    const wrong = await misanswered(t, probes, '不应被其他人读到');
    // Lists and the overview of those who may call them never carry the text.
    for (const [who, token, url] of [
      ['the 审计员’s overview', tokens.auditor, '/api/v1/thought/overview'],
      ['the 审计员’s overdue list', tokens.auditor, '/api/v1/thought/overdue?pageSize=200'],
      ['the 书记’s queue', tokens.secretary, '/api/v1/thought/queue?pageSize=200'],
      ['another member’s own list', tokens.member, '/api/v1/thought/reports/mine?pageSize=200'],
    ] as const) {
      const res = await t.request({ method: 'GET', url, token });
      if (res.status !== 200) wrong.push(`${who} → ${res.status}`);
      if (res.raw.includes('不应被其他人读到')) wrong.push(`${who}: the text leaks`);
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps 谈心谈话 from members: another member’s talks, the branch’s coverage and reminders 403; another branch’s 书记 404', async () => {
    // The talk is held with jijian (a member of 第一发电厂党支部, like the prober dangyuan) by the branch's 书记.
    const branch = await t.orgId('第一发电厂党支部');
    const shuji2 = await t.login('shuji2');
    const [jijian] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join app_user u on u.id = m.user_id where u.username = 'jijian'`,
    );
    const talk = await post('/talks', tokens.secretary, {
      orgId: branch,
      memberId: jijian!.id,
      talker: '张建国',
      heldOn: '2026-01-05',
      topic: '探针谈话',
      summary: '只应由书记和组织部看到的谈话要点。',
    });
    assert.equal(talk.status, 201, talk.raw);
    const coverage = `/api/v1/orgs/${branch}/talk-coverage`;
    const reminders = `/api/v1/orgs/${branch}/talk-reminders`;
    const probes: Probe[] = [
      [
        'member listing another member’s talks',
        tokens.member,
        'GET',
        `/api/v1/talks?memberId=${jijian!.id}`,
        undefined,
        403,
      ],
      ['member listing the branch’s talks', tokens.member, 'GET', `/api/v1/talks?orgId=${branch}`, undefined, 403],
      ['member on the branch’s coverage', tokens.member, 'GET', coverage, undefined, 403],
      ['member sending the reminders', tokens.member, 'POST', reminders, {}, 403],
      ['another branch’s 书记 on the coverage', shuji2, 'GET', coverage, undefined, 404],
      ['another branch’s 书记 sending the reminders', shuji2, 'POST', reminders, {}, 404],
      ['another branch’s 书记 listing the talks', shuji2, 'GET', `/api/v1/talks?orgId=${branch}`, undefined, 403],
      ['the branch’s 书记 on the coverage', tokens.secretary, 'GET', coverage, undefined, 200],
      ['the 组织部 above on the coverage', tokens.org_admin, 'GET', coverage, undefined, 200],
    ];
    const wrong = await misanswered(t, probes, '只应由书记');
    // another branch's 书记's own list has no talk of this branch
    const theirs = await get('/talks?pageSize=200', shuji2);
    if (theirs.raw.includes('探针谈话')) wrong.push('another branch’s 书记’s list carries the talk');
    assert.deepEqual(wrong, []);
  });

  it('lets a member report in only as themself: another member’s flow untouched, a member id in the body 400, a non-flowing member 422', async () => {
    // 陈志远 (the prober, tokens.member) is not flowing; jijian of the same branch is registered as flowing here.
    const [jijian] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join app_user u on u.id = m.user_id where u.username = 'jijian'`,
    );
    const since = '2026-01-05';
    const reg = await post(`/members/${jijian!.id}/flow`, tokens.secretary, {
      location: '探针流入地',
      since,
      expectedUntil: '2027-12-31',
      contact: '',
    });
    assert.ok(reg.status === 201 || reg.status === 409, reg.raw);
    await t.services.db.execute(
      sql`update member_flow set last_contact_on = ${since} where member_id = ${jijian!.id} and ended_on is null`,
    );
    await afterLocalWrite(t.services.db);
    const wrong: string[] = [];
    const withId = await post('/me/flow/checkin', tokens.member, { memberId: jijian!.id });
    if (withId.status !== 400) wrong.push(`member id in the body → ${withId.status} (want 400)`);
    const own = await post('/me/flow/checkin', tokens.member, {});
    if (own.status !== 422) wrong.push(`a non-flowing member reporting in → ${own.status} (want 422)`);
    const mine = await get('/me/flow', tokens.member);
    if (mine.status !== 200 || mine.body.flow !== null || mine.raw.includes('探针流入地'))
      wrong.push(`GET /me/flow shows another member’s flow: ${mine.raw}`);
    const [after] = await queryRows<{ last_contact_on: string }>(
      t.services.db,
      sql`select last_contact_on::text from member_flow where member_id = ${jijian!.id} and ended_on is null`,
    );
    if (after?.last_contact_on !== since)
      wrong.push(`the other member’s last contact moved to ${after?.last_contact_on}`);
    assert.deepEqual(wrong, []);
  });

  it('lets a member act on no other member’s part in a meeting: 线上代签, their raised hand, the hand queue, their 流入地党组织 (403, nothing changed)', async () => {
    // issue #27. The prober is 陈志远 (tokens.member); 熊浩 (jijian) of the same branch signs in online and raises his hand.
    const own = await t.orgId('第一发电厂党支部');
    const lab = await t.orgId('研发中心党支部');
    const jijian = await t.login('jijian');
    const [xiong] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join app_user u on u.id = m.user_id where u.username = 'jijian'`,
    );
    const m = await post('/meetings', tokens.secretary, {
      orgId: own,
      kind: 'party_congress',
      title: '探针：线上党员大会',
      startsAt: new Date(nowMs() - 10 * 60_000).toISOString(),
      endsAt: new Date(nowMs() + 60 * 60_000).toISOString(),
      location: '线上',
      mode: 'online',
      online: { service: 'jitsi', link: 'https://meet.example.org/probe', number: '1' },
    });
    assert.equal(m.status, 201, m.raw);
    const id = m.body.id as string;
    assert.equal((await post(`/meetings/${id}/publish`, tokens.secretary, {})).status, 200);
    const code = (await get(`/meetings/${id}/remote-code`, tokens.secretary)).body.code;
    assert.equal((await post(`/meetings/${id}/remote-checkin`, jijian, { code })).status, 200);
    assert.equal((await post(`/meetings/${id}/hand`, jijian, { raised: true })).status, 200);
    const flowed = await post(`/members/${xiong!.id}/flow`, tokens.secretary, {
      location: '探针流入地',
      since: todayInChina(),
      expectedUntil: addMonths(todayInChina(), 9),
      contact: '',
    });
    assert.ok(flowed.status === 201 || flowed.status === 409, flowed.raw);
    const wrong: string[] = [];
    for (const [what, method, url, body] of [
      ['线上代签 of another member', 'POST', `/api/v1/meetings/${id}/checkin`, { memberId: xiong!.id, online: true }],
      ['the hand queue', 'GET', `/api/v1/meetings/${id}/hands`, undefined],
      ['clearing another member’s hand', 'POST', `/api/v1/meetings/${id}/hands/${xiong!.id}`, { action: 'clear' }],
      ['calling on another member’s hand', 'POST', `/api/v1/meetings/${id}/hands/${xiong!.id}`, { action: 'call' }],
      ['another member’s 流入地党组织', 'POST', `/api/v1/members/${xiong!.id}/flow/host`, { hostOrgId: lab }],
    ] as const) {
      const r = await t.request({ method, url, token: tokens.member, body });
      if (r.status !== 403) wrong.push(`${what} → ${r.status} (want 403) ${r.raw.slice(0, 120)}`);
    }
    const lowered = await post(`/meetings/${id}/hand`, tokens.member, { raised: false, memberId: xiong!.id });
    if (lowered.status !== 400)
      wrong.push(`lowering with another member’s id in the body → ${lowered.status} (want 400)`);
    const [row] = await queryRows<{ method: string; hand: string | null; host: string | null }>(
      t.services.db,
      sql`select a.checkin_method as method, a.hand_raised_at::text as hand,
                 (select f.host_org_id::text from member_flow f where f.member_id = a.member_id and f.ended_on is null) as host
          from meeting_attendance a where a.meeting_id = ${id} and a.member_id = ${xiong!.id}`,
    );
    if (row?.method !== 'code' || !row.hand || row.host !== null)
      wrong.push(`熊浩’s part changed: ${JSON.stringify(row)}`);
    assert.deepEqual(wrong, []);
  });

  // The detector counts transaction ids. On PGlite they are the server's own; on a PostgreSQL cluster they are
  // shared with the other test files running beside this one (each on its own database), which write thousands
  // of transactions meanwhile — so the probe runs on the PGlite passes, where a GET's write cannot hide.
  const sharedXids = process.env.XF_TEST_PG_URL
    ? 'transaction ids are cluster-wide on PostgreSQL; probed on PGlite'
    : false;
  it('lets a member reach no other member’s 整改 item: 404 by id where members may call, 403 where they may not; its 责任人 and 验收人 reach it', async () => {
    // jijian (a member of 第一发电厂党支部, like the prober dangyuan) is the 责任人; dianli (电力公司党委) verifies.
    const jijian = await t.login('jijian');
    const shuji2 = await t.login('shuji2');
    const [ids] = await queryRows<{ owner: string; verifier: string; org: string }>(
      t.services.db,
      sql`select m.id as owner, (select id from app_user where username = 'dianli') as verifier, m.org_id as org
          from member m join app_user u on u.id = m.user_id where u.username = 'jijian'`,
    );
    const created = await post('/supervise/rectifications', tokens.secretary, {
      orgId: ids!.org,
      sourceKind: 'org_life',
      title: '另一党员的整改事项',
      finding: '只有责任人、验收人和本组织书记能看到的问题描述。',
      measures: '探针措施',
      ownerMemberId: ids!.owner,
      deadline: new Date(nowMs() + 30 * 86_400_000).toISOString().slice(0, 10),
      verifierUserId: ids!.verifier,
    });
    assert.equal(created.status, 201, created.raw);
    const id = created.body.id as string;
    const probes: Probe[] = [
      [
        'member reading another member’s item',
        tokens.member,
        'GET',
        `/api/v1/supervise-rectifications/${id}`,
        undefined,
        404,
      ],
      [
        'member acting on it',
        tokens.member,
        'POST',
        `/api/v1/supervise-rectifications/${id}/actions`,
        { action: 'start' },
        404,
      ],
      ['member editing it', tokens.member, 'PATCH', `/api/v1/supervise-rectifications/${id}`, { title: '改' }, 403],
      [
        'member downloading its file',
        tokens.member,
        'GET',
        `/api/v1/supervise-rectifications/${id}/files/${SOME_UUID}`,
        undefined,
        404,
      ],
      ['another branch’s 书记 reading', shuji2, 'GET', `/api/v1/supervise-rectifications/${id}`, undefined, 404],
      [
        'another branch’s 书记 acting',
        shuji2,
        'POST',
        `/api/v1/supervise-rectifications/${id}/actions`,
        { action: 'start' },
        404,
      ],
      ['the 责任人 reading', jijian, 'GET', `/api/v1/supervise-rectifications/${id}`, undefined, 200],
      ['the 验收人 reading', tokens.org_admin, 'GET', `/api/v1/supervise-rectifications/${id}`, undefined, 200],
      ['the branch’s 书记 reading', tokens.secretary, 'GET', `/api/v1/supervise-rectifications/${id}`, undefined, 200],
      ['the 审计员 reading', tokens.auditor, 'GET', `/api/v1/supervise-rectifications/${id}`, undefined, 200],
    ];
    const wrong = await misanswered(t, probes, '只有责任人');
    // The member's own list does not carry it; the 责任人's does.
    const mine = await get('/supervise/rectifications/mine?pageSize=200', tokens.member);
    if (mine.raw.includes(id)) wrong.push('another member’s item is in the member’s own list');
    const theirs = await get('/supervise/rectifications/mine?pageSize=200', jijian);
    if (!theirs.raw.includes(id)) wrong.push('the 责任人’s own list lacks the item');
    assert.deepEqual(wrong, []);
  });

  it('lets a member read but not change another member’s 承诺 (shown to the branch); another branch reaches nothing', async () => {
    // The demo's commitment of 陈志远 (dangyuan) this year; jijian is a member of the same branch, shuji2 keeps another.
    const jijian = await t.login('jijian');
    const shuji2 = await t.login('shuji2');
    const [c] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select c.id from supervise_commitment c join member m on m.id = c.member_id join app_user u on u.id = m.user_id
          where u.username = 'dangyuan' and c.rating is null limit 1`,
    );
    const id = c!.id;
    const probes: Probe[] = [
      ['a member of the branch reading it', jijian, 'GET', `/api/v1/supervise-commitments/${id}`, undefined, 200],
      [
        'a member reporting progress on it',
        jijian,
        'POST',
        `/api/v1/supervise-commitments/${id}/progress`,
        { itemIndex: 0, percent: 100, note: '探针' },
        403,
      ],
      [
        'a member reviewing it',
        jijian,
        'POST',
        `/api/v1/supervise-commitments/${id}/review`,
        { rating: 'poor', comment: '探针' },
        403,
      ],
      ['another branch’s 书记 reading it', shuji2, 'GET', `/api/v1/supervise-commitments/${id}`, undefined, 404],
      [
        'another branch’s 书记 reporting on it',
        shuji2,
        'POST',
        `/api/v1/supervise-commitments/${id}/progress`,
        { itemIndex: 0, percent: 100, note: '探针' },
        404,
      ],
      ['the owner reading it', tokens.member, 'GET', `/api/v1/supervise-commitments/${id}`, undefined, 200],
    ];
    const wrong = await misanswered(t, probes);
    const [after] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from supervise_commitment_progress where commitment_id = ${id} and note = '探针'`,
    );
    assert.equal(after!.n, 0, 'nothing was recorded');
    assert.deepEqual(wrong, []);
  });

  it('keeps 考核 to the assessed branch and the orgs above: a member of the branch 403 everywhere, another branch’s 书记 404, its own 书记 cannot review itself', async () => {
    // The demo's plan of 发电运营党总支 assesses 第一发电厂党支部 (shuji's branch; dangyuan and jijian are its members).
    const jijian = await t.login('jijian');
    const shuji2 = await t.login('shuji2');
    const [row] = await queryRows<{ unit: string; plan: string; key: string }>(
      t.services.db,
      sql`select u.id as unit, u.plan_id as plan, (select i->>'key' from jsonb_array_elements(p.items) i where i->>'method' = 'manual' limit 1) as key
          from assess_unit u join assess_plan p on p.id = u.plan_id join org o on o.id = u.org_id where o.name = '第一发电厂党支部' and p.title <> '探针考核' limit 1`,
    );
    const { unit, plan, key } = row!;
    const scores = { scores: [{ key, score: 1 }] };
    const rectify = { key, measures: '探针', deadline: '2100-01-01' };
    const probes: Probe[] = [
      ['a member reading the branch’s result', tokens.member, 'GET', `/api/v1/assess-units/${unit}`, undefined, 403],
      ['another member of the branch self-assessing', jijian, 'PUT', `/api/v1/assess-units/${unit}/self`, scores, 403],
      ['a member reading the plan', jijian, 'GET', `/api/v1/assess-plans/${plan}`, undefined, 403],
      ['a member appealing', jijian, 'POST', `/api/v1/assess-units/${unit}/appeal`, { reason: '探针' }, 403],
      ['another branch’s 书记 reading', shuji2, 'GET', `/api/v1/assess-units/${unit}`, undefined, 404],
      ['another branch’s 书记 reviewing', shuji2, 'PUT', `/api/v1/assess-units/${unit}/review`, scores, 404],
      ['another branch’s 书记 reading the plan', shuji2, 'GET', `/api/v1/assess-plans/${plan}`, undefined, 404],
      [
        'the branch’s own 书记 reviewing itself',
        tokens.secretary,
        'PUT',
        `/api/v1/assess-units/${unit}/review`,
        scores,
        403,
      ],
      [
        'the branch’s 书记 managing the plan',
        tokens.secretary,
        'POST',
        `/api/v1/assess-plans/${plan}/publish`,
        undefined,
        404,
      ],
      [
        'the branch’s 书记 reading its own result',
        tokens.secretary,
        'GET',
        `/api/v1/assess-units/${unit}`,
        undefined,
        200,
      ],
      ['the branch’s 书记 reading the plan', tokens.secretary, 'GET', `/api/v1/assess-plans/${plan}`, undefined, 200],
      [
        'a member of the branch raising a 整改 item from its result',
        jijian,
        'POST',
        `/api/v1/assess-units/${unit}/rectifications`,
        rectify,
        403,
      ],
      [
        'another branch’s 书记 raising a 整改 item',
        shuji2,
        'POST',
        `/api/v1/assess-units/${unit}/rectifications`,
        rectify,
        404,
      ],
      [
        'the branch’s own 书记 raising a 整改 item on itself',
        tokens.secretary,
        'POST',
        `/api/v1/assess-units/${unit}/rectifications`,
        rectify,
        403,
      ],
      [
        'a member of the branch reopening its 自评',
        jijian,
        'POST',
        `/api/v1/assess-units/${unit}/reopen-self`,
        { until: '2100-01-01' },
        403,
      ],
      [
        'another branch’s 书记 reopening 自评',
        shuji2,
        'POST',
        `/api/v1/assess-units/${unit}/reopen-self`,
        { until: '2100-01-01' },
        404,
      ],
      [
        'the branch’s own 书记 reopening its own 自评',
        tokens.secretary,
        'POST',
        `/api/v1/assess-units/${unit}/reopen-self`,
        { until: '2100-01-01' },
        403,
      ],
      ['the committee above reading', tokens.org_admin, 'GET', `/api/v1/assess-units/${unit}`, undefined, 200],
      ['the 审计员 reading', tokens.auditor, 'GET', `/api/v1/assess-units/${unit}`, undefined, 200],
    ];
    const wrong = await misanswered(t, probes);
    // The branch's 书记 sees only the branch's own line of the plan's units.
    const units = await get(`/assess-plans/${plan}/units?pageSize=200`, tokens.secretary);
    assert.deepEqual(
      units.body.items.map((u: { orgName: string }) => u.orgName),
      ['第一发电厂党支部'],
    );
    const [after] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from assess_unit where id = ${unit} and (self_at is not null or review_at is not null or appeal_at is not null or self_reopened_until is not null)`,
    );
    assert.equal(after!.n, 0, 'nothing was recorded');
    const [rect] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from supervise_rectification where measures = '探针'`,
    );
    assert.equal(rect!.n, 0, 'no 整改 item was raised');
    assert.deepEqual(wrong, []);
  });

  it(
    'changes nothing on any GET: no write transaction while it answers (security finding 14.14)',
    { skip: sharedXids },
    async () => {
      // A GET is exempt from the same-origin check, and the session cookie (SameSite=Lax) rides along on a
      // cross-site link — so no GET may write. Detector: every write transaction takes a transaction id;
      // two reads of pg_current_xact_id() around a request differ by exactly 1 when nothing was written.
      const db = t.services.db;
      const xid = async () =>
        Number((await queryRows<{ x: string }>(db, sql`select pg_current_xact_id()::text as x`))[0]!.x);
      // Something for the member's own pages to mark as seen: a branch reminder, unread.
      await queryRows(
        db,
        sql`insert into dues_reminder (tenant_id, org_id, member_id, sent_on, unpaid_months, owed_fen, level, sent_by)
          select m.tenant_id, m.org_id, m.id, '2000-01-01', 1, 100, 'notice', 'probe'
          from member m join app_user u on u.id = m.user_id where u.username = ${ACCOUNTS.member}`,
      );
      const wrote: string[] = [];
      let probed = 0;
      // The job runner writes on its own schedule (claims, retries): stopped while probing, so that every
      // write seen comes from the request. A GET that enqueues a job is still seen (the enqueue writes).
      await t.services.jobs.stop();
      try {
        for (const { key: k, url, roles } of getWalk(routes, FOREIGN))
          for (const role of roles) await probeGet(k, url, role);
      } finally {
        await t.services.jobs.start(200);
      }
      // The member's own pages as the member; everything else as admin, on the foreign records (testing/foreignRecords.ts getWalk).
      async function probeGet(k: string, url: string, role: Role) {
        const once = async () => {
          const x0 = await xid();
          const res = await t.request({ method: 'GET', url, token: tokens[role] });
          return { extra: (await xid()) - x0 - 1, status: res.status };
        };
        probed++;
        // Once more on a write: a session's once-a-minute last_seen_at touch or a scheduled job may have
        // fallen in between; a GET that writes, writes every time.
        let o = await once();
        if (o.extra > 0) o = await once();
        if (o.extra > 0) wrote.push(`${k} as ${role} (${o.status}) wrote ${o.extra} transaction(s)`);
      }
      assert.ok(probed >= 60, `probed only ${probed} GETs`);
      assert.deepEqual(wrote, []);
    },
  );

  it('lets a member reach no other member’s 微视频 scores, results or judging: 403 in their own branch’s campaign, 404 in another branch’s', async () => {
    // The prober is 陈志远 (dangyuan), not a judge of this campaign of his own branch; a branch-mate's entry is scored
    // by the judge 张建国 (shuji). Entries are open to the campaign's members (they vote on them), scores are not.
    const own = await t.orgId('第一发电厂党支部');
    const shuji = await t.login('shuji');
    const judges = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join app_user u on u.id = m.user_id where u.username in ('shuji', 'jijian') order by u.username desc`,
    );
    assert.equal(judges.length, 2, 'the judges 张建国 and the 纪检委员 have member records');
    const contest = await post('/media/contests', shuji, {
      orgId: own,
      title: '探针微视频征集',
      rules: '探针规则',
      submitFrom: todayInChina(),
      submitTo: addDays(todayInChina(), 3),
      rubric: [{ name: '主题', max: 50 }],
      dropHighest: 0,
      dropLowest: 0,
      publicVote: true,
      winnerCount: 1,
      judgeMemberIds: judges.map((j) => j.id),
    });
    assert.equal(contest.status, 201, contest.raw);
    const [entry] = await queryRows<{ id: string }>(
      t.services.db,
      sql`insert into media_contest_entry (tenant_id, contest_id, member_id, org_id, author_name, title)
          select ${t.tenantId}, ${contest.body.id}, m.id, m.org_id, m.name, '同支部作品' from member m
          where m.org_id = ${own} and m.left_at is null and m.id not in (${judges[0]!.id}, ${judges[1]!.id})
            and m.user_id is distinct from (select id from app_user where username = 'dangyuan')
          order by m.id limit 1 returning id`,
    );
    // Any branch-mate other than the prober and the judges: not only those without an account (earlier probes of
    // POST /members/accounts may have given every member of the branch one).
    assert.ok(entry, 'a branch-mate’s entry was made');
    await afterLocalWrite(t.services.db);
    const scored = await post(`/media-contest-entries/${entry!.id}/scores`, shuji, { scores: [47] });
    assert.equal(scored.status, 201, scored.raw);
    const probes: Parameters<typeof asCaller>[1] = [
      ['GET', `/api/v1/media-contest-entries/${entry!.id}/scores`, undefined, 403],
      ['POST', `/api/v1/media-contest-entries/${entry!.id}/scores`, { scores: [1] }, 403],
      ['PUT', `/api/v1/media-contest-entries/${entry!.id}/scores`, { scores: [1] }, 403],
      ['GET', `/api/v1/media-contests/${contest.body.id}/results`, undefined, 403],
      ['POST', `/api/v1/media-contests/${contest.body.id}/publish`, undefined, 403],
      ['POST', `/api/v1/media-contests/${contest.body.id}/remind-judges`, undefined, 403],
      ['PATCH', `/api/v1/media-contests/${contest.body.id}`, { title: '越权修改征集' }, 403],
      ['POST', `/api/v1/media-contests/${contest.body.id}/withdraw`, { reason: '越权撤销' }, 403],
      ['GET', `/api/v1/media-contests/${FOREIGN['media-contests']!}`, undefined, 404],
      ['GET', `/api/v1/media-contest-entries/${FOREIGN['media-contest-entries']!}/video`, undefined, 404],
      ['POST', `/api/v1/media-contest-entries/${FOREIGN['media-contest-entries']!}/vote`, undefined, 404],
    ];
    const wrong = await misanswered(t, asCaller(tokens.member, probes));
    const list = await get(`/media-contests/${contest.body.id}/entries`, tokens.member);
    assert.equal(list.status, 200, list.raw);
    if (list.body.items.some((e: { myScores: unknown }) => e.myScores !== null))
      wrong.push('a judge’s scores in the member’s entry list');
    // A branch-mate's held comment on the entry: the member neither sees nor decides it.
    const mate = await t.login('jijian');
    const held = await post(`/media-contest-entries/${entry!.id}/comments`, mate, { text: '有人拉人刷单返利' });
    assert.equal(held.body.status, 'held', held.raw);
    const comments = await get(`/media-contest-entries/${entry!.id}/comments?pageSize=200`, tokens.member);
    if (comments.status !== 200 || comments.raw.includes(held.body.id))
      wrong.push(`the held comment reached the member: ${comments.status}`);
    const decided = await post(`/media-comments/${held.body.id}/decide`, tokens.member, { approve: true });
    if (decided.status !== 403) wrong.push(`the member decided a held comment: ${decided.status}`);
    assert.deepEqual(wrong, []);
    const [row] = await queryRows<{ total: number }>(
      t.services.db,
      sql`select total from media_contest_score where entry_id = ${entry!.id}`,
    );
    assert.equal(row!.total, 47, 'nothing changed');
  });
});
