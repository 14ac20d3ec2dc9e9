/**
 * Every business query is tenant-scoped (issue 26, docs/scale-out.md): the app runs on a PostgreSQL of this test's
 * own that logs every statement (testing/pgServer.ts), seeded with the demo enterprise; every GET route of the route
 * table is called (as admin on another org's records, the member's own pages as the member — the walk the
 * authorization matrix does, so a new module is covered without an edit here), then every other route once with an
 * empty body. Each distinct statement the app sent is then planned by PostgreSQL itself — PREPARE and
 * `EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE` with a generic plan — and the rule below is checked on the plan.
 *
 * The rule: every scan of a table that has a `tenant_id` column (the set comes from information_schema) carries a
 * condition `<that scan>.tenant_id = …` (or `= ANY (…)`) of its own — in its index condition, recheck condition or
 * filter. A join counts only when it is on tenant_id: PostgreSQL's equivalence classes then carry the constant
 * (`a.tenant_id = $1 and b.tenant_id = a.tenant_id`) to both scans, which is also exactly what Citus needs to route
 * the statement to one shard. An INSERT names its row's tenant (tenant_id is NOT NULL, checked); its SELECT part,
 * and the rows an UPDATE or DELETE reads, are scans like any other. A table without tenant_id must be one of the
 * reference / coordinator-local tables declared in docs/scale-out.md. The few statements that legitimately read all
 * tenants (the job runner, the scheduler, …) are listed in ALLOWED with the reason.
 *
 * Runs in the PostgreSQL pass of `npm test` (XF_TEST_PG_URL set) where the binaries are; skipped with a message
 * otherwise. By hand: `XF_TEST_PG_URL=… node --import tsx --test apps/server/src/platform/tenant-sql.test.ts`
 * (the URL only switches it on; the test starts its own server).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ROLES,
  addDays,
  addMonths,
  addYears,
  idCardCheckChar,
  nowMs,
  paragraphs,
  periodOf,
  todayInChina,
  type Role,
} from '@xianfeng/shared';
import pg from 'pg';
import { adminToken, multipartFile, startTestApp, type Reply, type TestApp } from '../testing/harness';
import { ACCOUNTS, FOREIGN_ORG, foreignRecords, getWalk } from '../testing/foreignRecords';
import { memberSheet } from '../testing/memberSheet';
import { templateWorkbook } from '../modules/member/excel';
import { freePort } from '../testing/pgbouncer';
import { postgresBin, startLoggedPostgres, type LoggedPostgres } from '../testing/pgServer';

const skip =
  (!process.env.XF_TEST_PG_URL && 'runs in the PostgreSQL pass of npm test (set XF_TEST_PG_URL)') ||
  (!postgresBin() && 'no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)');

/**
 * Statements that read or write across tenants on purpose, by a pattern of their text, with why. Each is a query
 * that Citus will not route to one shard: docs/scale-out.md says what each needs there.
 */
/** `sometimes`: a background job's statement, seen only when the job happens to run during the walk. */
const ALLOWED: { table: string; pattern: RegExp; why: string; sometimes?: true }[] = [
  {
    table: 'app_user',
    pattern: /from "session" inner join "app_user"/,
    why: 'a request’s session, found by its token hash: which tenant it belongs to is what this finds out',
  },
  {
    table: 'app_user',
    pattern: /lower\("app_user"\."username"\) = lower\(\$1\)|from app_user where username like/,
    why: 'user names are unique across the installation (sign-in names no tenant): new accounts check them all',
  },
  {
    table: 'sso_app',
    pattern: /^select distinct "provider" from "sso_app"/,
    why: 'the sign-in page, before anyone is known: which single sign-on buttons to show',
  },
  {
    table: 'tenant',
    pattern: /from "tenant" order by "tenant"\."created_at"/,
    why: 'the public pages (no sign-in) show the installation’s first tenant',
  },
  {
    table: 'tenant',
    pattern: /^select id from tenant order by id$/,
    why: 'a background sweep (the member tally’s fold every minute, the daily 决策参考 and learning reminders) lists the tenants, then works tenant by tenant (platform/db.ts tenantIds)',
    sometimes: true,
  },
  {
    table: 'member',
    pattern: /jsonb_to_recordset/,
    why: 'the outbox consumer’s batch spans tenants: each row carries its tenant, joined on m.tenant_id = e.tenant_id',
  },
];

type PlanNode = Record<string, unknown> & { 'Node Type': string; Plans?: PlanNode[] };

const texts = (n: PlanNode, keys: string[]) => keys.flatMap((k) => (typeof n[k] === 'string' ? [n[k] as string] : []));

/** The conditions of a scan node and of the index scans under it (a bitmap heap scan's Bitmap Index Scans). */
function conditions(node: PlanNode): string[] {
  const own = texts(node, ['Index Cond', 'Recheck Cond', 'Filter', 'TID Cond']);
  const bitmap = (n: PlanNode): string[] =>
    /^Bitmap/.test(n['Node Type']) ? [...texts(n, ['Index Cond']), ...(n.Plans ?? []).flatMap(bitmap)] : [];
  return node['Node Type'] === 'Bitmap Heap Scan' ? [...own, ...(node.Plans ?? []).flatMap(bitmap)] : own;
}

/** A scan of a table in a plan and its own conditions. */
type Scan = { type: string; table: string; alias: string; own: string[] };

/** The plan's scans, its relation names (aliases), and every condition in it (joins, filters, index conditions). */
function scansOf(plan: PlanNode): { scans: Scan[]; aliases: Set<string>; all: string[] } {
  const scans: Scan[] = [];
  const aliases = new Set<string>();
  const all: string[] = [];
  const walk = (n: PlanNode) => {
    if (typeof n.Alias === 'string') aliases.add(n.Alias);
    all.push(...texts(n, ['Hash Cond', 'Merge Cond', 'Join Filter', 'Filter', 'Index Cond', 'Recheck Cond']));
    if (typeof n['Relation Name'] === 'string')
      scans.push({ type: n['Node Type'], table: n['Relation Name'], alias: n.Alias as string, own: conditions(n) });
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan);
  return { scans, aliases, all };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a scan named `alias` constrains its distribution column (`tenant_id`; `id` for tenant) by equality. */
export function scopedScan(alias: string, column: string, conds: string[]): boolean {
  const col = `(?:\\b${escape(alias)}|"${escape(alias)}")\\.(?:${column}|"${column}")\\b`;
  const eq = new RegExp(`${col}\\s*=|=\\s*(?:ANY\\s*\\()?${col}`);
  return conds.some((c) => eq.test(c));
}

/** Whether a condition equates a column of `alias` with a column of another relation of the plan (a key join). */
export function keyedScan(alias: string, aliases: Set<string>, conds: string[]): boolean {
  return conds.some((c) => {
    if (!c.includes('=')) return false;
    const refs = [...c.matchAll(/(?:"([^"]+)"|\b([A-Za-z_]\w*))\.(?:"[^"]+"|[A-Za-z_]\w*)/g)].map((m) => m[1] ?? m[2]);
    return refs.includes(alias) && refs.some((r) => r !== alias && aliases.has(r!));
  });
}

/** The verdicts on one statement's plan. */
type Verdict = { unscoped: Scan[]; joinedById: Scan[]; withoutTenant: string[] };

/**
 * The rule on one plan. A scan of a tenant table is fine when it is scoped (its own `tenant_id = …`), or when it is
 * reached by a key join from a relation of a statement that has a scoped scan (`join org o on o.id = b.org_id` with
 * `b.tenant_id = $1`): the same tenant's row, reported as `joinedById` (a Citus work item: the join needs
 * `o.tenant_id = b.tenant_id` to route to one shard). Anything else is `unscoped`.
 */
export function judgePlan(plan: PlanNode, tenantTables: Set<string>): Verdict {
  const { scans, aliases, all } = scansOf(plan);
  const isTenant = (t: string) => tenantTables.has(t) || t === 'tenant';
  const scoped = (x: Scan) => scopedScan(x.alias, x.table === 'tenant' ? 'id' : 'tenant_id', x.own);
  // An INSERT's row names its tenant (tenant_id is NOT NULL); an UPDATE's or DELETE's rows are read by a scan below.
  const reads = scans.filter((x) => isTenant(x.table) && x.type !== 'ModifyTable');
  const anchored = reads.some(scoped);
  const v: Verdict = { unscoped: [], joinedById: [], withoutTenant: [] };
  for (const x of scans) if (!isTenant(x.table)) v.withoutTenant.push(x.table);
  for (const x of reads) {
    if (scoped(x)) continue;
    // The planner folds `b.member_id = $4 and m.id = b.member_id` into `m.id = $4`: a key shared with another scan.
    const params = (cs: string[]) => new Set(cs.flatMap((c) => [...c.matchAll(/=\s*(\$\d+)\b/g)].map((m) => m[1])));
    const mine = params(x.own);
    const shared = scans.some((y) => y !== x && [...params(y.own)].some((p) => mine.has(p)));
    if (anchored && (keyedScan(x.alias, aliases, all) || shared)) v.joinedById.push(x);
    else v.unscoped.push(x);
  }
  return v;
}

/** The tables docs/scale-out.md declares as without (or with a nullable) tenant_id: its table of them. */
function declaredTables(): Set<string> {
  const doc = fs.readFileSync(path.join(import.meta.dirname, '../../../../docs/scale-out.md'), 'utf8');
  const section = doc.split(/^### Tables without `tenant_id`/m)[1]?.split(/^#/m)[0] ?? '';
  return new Set([...section.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]!));
}

const one = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * A statement's key in the test's messages: the table, a hash of the statement with its parameter numbers and
 * `in (…)` lists folded. The unscoped statements and the key-join scans had ratchet lists keyed so
 * (tenant-sql.known.txt from 2026-12-03, 187 look-ups by id; tenant-sql.keyjoin.txt, 360 scans) until both reached 0
 * on 2026-12-04: now each fails the test, unless it is in ALLOWED.
 */
const statementKey = (table: string, text: string) => {
  const folded = one(text)
    .replace(/\(\$\d+(?:::\w+)?(?:, \$\d+(?:::\w+)?)*\)/g, '($…)')
    .replace(/\$\d+/g, '$');
  return `${table} ${crypto.createHash('sha256').update(folded).digest('hex').slice(0, 12)}`;
};

/** The accounts the valid writes run as: a role's account, `zuzhibu` (the org department's org_admin over the whole
 * tree) and `jijian` (the 纪检委员 of the member's branch, a letter's addressee). */
type Account = Role | 'zuzhibu' | 'jijian';

/**
 * One valid write of the walk: as admin unless `as` says otherwise; `upload` sends a file (multipart) instead of
 * `body`; `then` follows up on the created row (its id, and the whole answer for the ids of what it holds).
 */
type Write = {
  method?: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body: Record<string, unknown>;
  upload?: { data: Buffer; name: string };
  as?: Account;
  status?: number;
  then?: (id: string, answer: Reply['body']) => Write[];
};

/** The files the valid writes upload: a 1×1 PNG, a minimal PDF, and a member import sheet of two members. */
export type Uploads = { png: Buffer; pdf: Buffer; members: Buffer };

export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'utf8');

/**
 * Valid bodies for the create routes, and updates of what they created, on the foreign org
 * (testing/foreignRecords.ts): taken from the modules' own tests (their first successful create of each kind), so
 * the statements of a successful write are planned too. `ids` are the foreign records plus `verifier` (a user),
 * `parent` (the foreign branch's committee), `receiving` (another branch), and the member account's branch
 * (`memberOrg`), member record (`dangyuan`) and secretary's user (`shuji`); `files` the uploads' bytes.
 */
export function creates(ids: Record<string, string>, files: Uploads): Write[] {
  const orgId = ids.orgs!;
  const today = todayInChina();
  const idCard = (birth: string, seq: string) => {
    const first17 = `110105${birth.replace(/-/g, '')}${seq}`;
    return first17 + idCardCheckChar(first17);
  };
  const at = (hours: number) => new Date(Math.floor((nowMs() + hours * 3_600_000) / 60_000) * 60_000).toISOString();
  const birth = addYears(today, -30);
  const [year, month] = [Number(today.slice(0, 4)), today.slice(0, 7)];
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  /** An edit of a row made here, and a step of it (publish, submit, approve): each answers 200. */
  const edit = (
    url: string,
    body: Record<string, unknown>,
    method: Write['method'] = 'PATCH',
    as?: Account,
  ): Write => ({
    method,
    url,
    body,
    as,
    status: 200,
  });
  const step = (url: string, body: Record<string, unknown> = {}, as?: Account): Write => ({
    url,
    body,
    as,
    status: 200,
  });
  /** A file uploaded to a row made here (multipart): answers 201. */
  const upload = (url: string, data: Buffer, name: string, as?: Account, then?: Write['then']): Write => ({
    url,
    body: {},
    upload: { data, name },
    as,
    then,
  });
  /** A 流动党员 registration: away a month, back in eight (at least six months away, FLOW_RULE). */
  const flow = {
    location: '北京市海淀区（研发中心驻点）',
    since: addMonths(today, -1),
    expectedUntil: addMonths(today, 8),
    contact: '电话',
  };
  const question = { kind: 'judge', category: '党史', stem: '范围测试题目', options: ['正确', '错误'], answer: [0] };
  const survey = {
    kind: 'satisfaction',
    title: '范围测试满意度测评',
    anonymous: true,
    audienceRoles: ['member'],
    opensAt: at(-1),
    closesAt: at(24),
    questions: [
      { id: 'q1', type: 'rating', title: '组织生活质量', required: true, weight: 100 },
      { id: 'q2', type: 'text', title: '其他建议', required: false },
    ],
  };
  return [
    {
      url: '/api/v1/meetings',
      body: {
        orgId,
        kind: 'theme_day',
        title: '租户范围测试的主题党日',
        startsAt: at(24),
        endsAt: at(25),
        location: '党员活动室',
      },
      then: (id) => [
        edit(`/api/v1/meetings/${id}`, { title: '租户范围测试的主题党日（改）' }),
        step(`/api/v1/meetings/${id}/publish`),
        // An attachment (a photo waits for the meeting to start), then its removal.
        upload(`/api/v1/meetings/${id}/files?kind=attachment`, files.pdf, '会议材料.pdf', undefined, (file) => [
          edit(`/api/v1/meeting-files/${file}`, { reason: '传错了会议' }, 'DELETE'),
        ]),
      ],
    },
    {
      url: '/api/v1/develop/persons',
      body: {
        orgId,
        name: '范围测试申请人',
        idCardNo: idCard(birth, '123'),
        phone: '13900001111',
        appliedAt: addDays(today, -30),
      },
      then: (id) => [upload(`/api/v1/develop/persons/${id}/files?step=1`, files.png, '入党申请书.png')],
    },
    {
      url: '/api/v1/members',
      body: {
        orgId,
        name: '范围测试党员',
        gender: 'male',
        birthDate: '1985-03-15',
        idCardNo: idCard('1985-03-15', '135'),
        phone: '13900002222',
        joinedAt: '2010-07-01',
        status: 'full',
        fullAt: '2011-07-01',
      },
      // The new member also gets a 困难帮扶 case (sealed cases: the 书记 and the 组织部 only).
      then: (id) => [
        edit(`/api/v1/members/${id}`, { jobTitle: '工程师' }),
        {
          url: '/api/v1/hardship/cases',
          as: 'zuzhibu',
          body: {
            orgId,
            memberId: id,
            level: 'general',
            situation: '本人突发疾病住院，家庭收入骤减，需要组织关心帮助。',
          },
        },
        {
          url: `/api/v1/members/${id}/dues-exemptions`,
          body: { fromMonth: month, toMonth: month, reducedFen: 0, reason: '重病住院，生活困难' },
          then: (ex) => [step(`/api/v1/dues-exemptions/${ex}/decision`, { approve: true }, 'zuzhibu')],
        },
        // 流动党员: registered, a contact, the host branch; then moved to another branch, which accepts.
        {
          url: `/api/v1/members/${id}/flow`,
          body: flow,
          then: () => [
            step(`/api/v1/members/${id}/flow/contact`, { on: today }),
            step(`/api/v1/members/${id}/flow/host`, { hostOrgId: ids.receiving }),
          ],
        },
        {
          url: `/api/v1/members/${id}/transfers`,
          body: { direction: 'internal', toOrgId: ids.receiving, reason: '工作调动' },
          then: (tr) => [step(`/api/v1/transfers/${tr}/decision`, { accept: true })],
        },
      ],
    },
    // The member's own 流动党员 record, and their 报到 on their phone.
    {
      url: `/api/v1/members/${ids.dangyuan}/flow`,
      body: flow,
      then: () => [step('/api/v1/me/flow/checkin', { note: '在外地' }, 'member')],
    },
    { url: '/api/v1/members/import', body: {}, upload: { data: files.members, name: '党员信息.xlsx' }, status: 200 },
    {
      url: '/api/v1/learn/items',
      body: {
        orgId,
        kind: 'article',
        title: '范围测试必学',
        body: '正文',
        minutes: 1,
        required: true,
        dueOn: addDays(today, 7),
      },
      then: (id) => [edit(`/api/v1/learn-items/${id}`, { title: '范围测试必学（改）' })],
    },
    {
      url: '/api/v1/learn/items',
      body: { orgId, kind: 'course', title: '范围测试课程', minutes: 1, required: true, dueOn: addDays(today, 5) },
      then: (id) => [
        {
          url: `/api/v1/learn-items/${id}/lessons`,
          body: { kind: 'text', title: '第二课：范围测试', minutes: 2 },
          then: (lesson) => [edit(`/api/v1/learn-items/${id}/lessons/${lesson}`, { title: '第二课（修订）' })],
        },
        upload(`/api/v1/learn-items/${id}/files?role=document`, files.pdf, '学习材料.pdf'),
      ],
    },
    {
      url: '/api/v1/learn/questions',
      body: { orgId, ...question },
      // An edit sends the whole question again (QuestionEdit), without its org.
      then: (id) => [
        edit(`/api/v1/learn-questions/${id}`, { ...question, stem: '范围测试题目（改）' }),
        // An exam of the new question (the foreign probe question is retired by the empty-bodied writes above).
        {
          url: '/api/v1/learn/exams',
          body: {
            orgId,
            title: '范围测试考试',
            questionIds: [id],
            passScore: 60,
            minutes: 10,
            opensOn: today,
            closesOn: addDays(today, 7),
            required: true,
          },
        },
      ],
    },
    {
      url: '/api/v1/media/articles',
      body: {
        orgId,
        channel: '基层动态',
        title: '范围测试动态',
        byline: '研发中心党支部',
        body: paragraphs('正文第一段。'),
      },
      then: (id) => [
        edit(`/api/v1/media-articles/${id}`, { title: '范围测试动态（改）' }),
        upload(`/api/v1/media-articles/${id}/files`, files.png, '现场.png'),
        step(`/api/v1/media-articles/${id}/submit`),
      ],
    },
    {
      url: '/api/v1/supervise/rectifications',
      body: {
        orgId,
        sourceKind: 'inspection',
        title: '范围测试整改',
        finding: '党费收缴情况未公示。',
        measures: '每月公示。',
        deadline: addDays(today, 30),
        verifierUserId: ids.verifier,
      },
      then: (id) => [
        edit(`/api/v1/supervise-rectifications/${id}`, { measures: '改' }),
        upload(`/api/v1/supervise-rectifications/${id}/files`, files.png, '整改前.png'),
      ],
    },
    {
      url: '/api/v1/voice/surveys',
      body: { orgId, ...survey },
      // A draft's edit sends the whole survey again (SurveyEditInput), without its org; then it is published.
      then: (id) => [
        edit(`/api/v1/voice-surveys/${id}`, { ...survey, title: '范围测试测评（改）' }, 'PUT'),
        step(`/api/v1/voice-surveys/${id}/publish`),
      ],
    },
    {
      url: '/api/v1/voice/votes',
      body: {
        orgId,
        kind: 'highlight',
        title: '范围测试评选',
        maxChoices: 1,
        audienceRoles: ['member'],
        opensAt: at(-1),
        closesAt: at(1),
        candidates: [
          { name: '甲项目', summary: '甲' },
          { name: '乙项目', summary: '乙' },
        ],
      },
      then: (id) => [step(`/api/v1/voice-votes/${id}/publish`)],
    },
    // A member's suggestion to their branch: assigned and answered by its secretary, rated by the member.
    {
      url: '/api/v1/voice/opinions',
      as: 'member',
      body: {
        orgId: ids.memberOrg,
        category: 'suggestion',
        title: '建议增加夜班补学',
        body: '夜班同志参加不了主题党日，建议提供补学。',
        allowPublic: true,
      },
      then: (id) => [
        step(`/api/v1/voice-opinions/${id}/assign`, { userId: ids.shuji }, 'secretary'),
        step(`/api/v1/voice-opinions/${id}/answer`, { answer: '已安排每月补学一次。', publish: true }, 'secretary'),
        step(`/api/v1/voice-opinions/${id}/rate`, { rating: 4 }, 'member'),
      ],
    },
    // A letter to the branch's 纪检委员: a reply with a file, then closed.
    {
      url: '/api/v1/voice/letters',
      as: 'member',
      body: {
        orgId: ids.memberOrg,
        position: '纪检委员',
        subject: '反映物资领用问题',
        body: '某班组长在物资领用中有不规范行为，请核实。',
      },
      then: (id) => [
        {
          ...step(`/api/v1/voice-letters/${id}/messages`, { body: '已核实，处理情况见附件。' }, 'jijian'),
          then: (_, letter) => [
            upload(`/api/v1/voice-letter-messages/${letter.messages.at(-1).id}/files`, files.pdf, '核实.pdf', 'jijian'),
          ],
        },
        step(`/api/v1/voice-letters/${id}/close`, {}, 'jijian'),
      ],
    },
    // A thread of the member's branch: a reply, edited by its author and hidden by the secretary; the thread edited.
    {
      url: '/api/v1/voice/threads',
      as: 'member',
      body: { orgId: ids.memberOrg, title: '党课心得', body: '今天的党课很有收获。' },
      then: (id) => [
        {
          ...step(`/api/v1/voice-threads/${id}/posts`, { body: '我也有同感。' }, 'member'),
          then: (_, thread) => [
            edit(`/api/v1/voice-posts/${thread.posts.at(-1).id}`, { body: '我也有同感（改）。' }, 'PUT', 'member'),
            step(
              `/api/v1/voice-posts/${thread.posts.at(-1).id}/moderate`,
              { hidden: true, reason: '含个人信息' },
              'secretary',
            ),
          ],
        },
        edit(
          `/api/v1/voice-threads/${id}`,
          { title: '党课心得交流', body: '今天的党课很有收获（改）。' },
          'PUT',
          'member',
        ),
      ],
    },
    {
      url: '/api/v1/service/places',
      body: { orgId, kind: 'venue', name: '范围测试书屋', address: '北京市海淀区', lng: 116.31, lat: 39.98 },
      then: (id) => [
        edit(`/api/v1/service-places/${id}`, { phone: '010-68863099' }),
        edit(`/api/v1/service-places/${id}`, {}, 'DELETE'),
      ],
    },
    {
      url: '/api/v1/assess/indicators',
      body: { orgId, name: '范围测试指标', category: 'party', method: 'auto', source: 'masses_rating', maxScore: 100 },
      then: (id) => [
        {
          url: '/api/v1/assess/plans',
          body: { orgId: ids.parent, title: '范围测试考核', year, quarter, items: [{ indicatorId: id, weight: 100 }] },
          then: (plan) => [
            edit(`/api/v1/assess-plans/${plan}`, { title: '范围测试考核（改）' }),
            step(`/api/v1/assess-plans/${plan}/publish`),
          ],
        },
      ],
    },
    {
      url: '/api/v1/volunteer/activities',
      body: {
        orgId,
        title: '范围测试义务清扫',
        place: '南门广场',
        startsAt: at(48),
        endsAt: at(50),
        slots: 2,
        skills: '',
      },
      then: (id) => [edit(`/api/v1/volunteer-activities/${id}`, { slots: 3 })],
    },
    {
      url: `/api/v1/orgs/${orgId}/robots`,
      body: {
        provider: 'wecom',
        name: '范围测试群',
        url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=tenant-sql-test',
        kinds: ['meeting.notice'],
        subtree: true,
        quietHours: null,
        enabled: false,
      },
      then: (id) => [edit(`/api/v1/notify-robots/${id}`, { name: '范围测试群（改）' })],
    },
    {
      url: '/api/v1/thought/reports',
      as: 'member',
      body: {
        title: '范围测试思想汇报',
        period: periodOf('quarterly', today),
        text: '本季度我认真学习了党章，结合岗位查找不足，今后继续加强理论学习，按时参加组织生活。',
      },
    },
    {
      method: 'PUT',
      url: '/api/v1/me/notify-settings',
      as: 'member',
      body: {
        email: 'scope@example.cn',
        channels: { email: false, sms: false },
        quietHours: null,
        mutedKinds: ['notify.test'],
      },
      status: 200,
    },
    {
      url: '/api/v1/dues/usages',
      body: { orgId, spentOn: today, amountFen: 12_345, purpose: '购买学习书籍' },
      // Approved by another keeper: nobody approves their own spending.
      then: (id) => [step(`/api/v1/dues-usages/${id}/decision`, { approve: true }, 'zuzhibu')],
    },
  ];
}

describe(
  'every business query is tenant-scoped (the SQL the app sends, planned by PostgreSQL)',
  { skip, timeout: 300_000 },
  () => {
    let server: LoggedPostgres;
    let t: TestApp;
    let check: pg.Client;
    /** Route marks in the statement log, from the check's own connection: `select 'xf-route: GET /api/…'`. */
    const mark = (label: string) => check.query(`select 'xf-route: ${label.replace(/'/g, "''")}'`);
    let from = 0;
    let walked = 0;
    let dataDir = '';

    before(async () => {
      server = (await startLoggedPostgres(await freePort()))!;
      t = await startTestApp({ postgres: { url: server.url } });
      check = new pg.Client({ connectionString: server.url, application_name: 'tenant-sql-check' });
      await check.connect();
      // The test app has no data folder; the valid writes upload files.
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-tenant-sql-'));
      t.services.config.dataDir = dataDir;
      const tokens = {} as Record<Account, string>;
      for (const role of ROLES) tokens[role] = role === 'admin' ? await adminToken(t) : await t.login(ACCOUNTS[role]);
      tokens.zuzhibu = await t.login('zuzhibu');
      tokens.jijian = await t.login('jijian');
      const foreign = await foreignRecords(t, tokens.admin);
      const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/'));
      // The verifier of the rectification the walk creates (the org department's user), the committee above the
      // foreign branch (an assessment plan's org), the branch a transfer goes to (a 流动党员's host too), and the
      // member account's branch, member record and secretary (shuji, who handles its suggestions).
      const [ids] = (
        await check.query<Record<string, string>>(
          `select (select id from app_user where username = 'zuzhibu') as verifier,
                  (select parent_id from org where id = $1) as parent,
                  (select id from org where name = '集团机关第一党支部') as receiving,
                  m.org_id as "memberOrg", m.id as dangyuan,
                  (select id from app_user where username = 'shuji') as shuji
             from member m join app_user u on u.id = m.user_id where u.username = 'dangyuan'`,
          [foreign.orgs],
        )
      ).rows;
      const uploads: Uploads = {
        png: PNG,
        pdf: PDF,
        members: await memberSheet(await templateWorkbook(), 2, { seed: 2626, branches: [FOREIGN_ORG] }),
      };
      // From here on, every statement is the app's (or the check's marks).
      from = server.statements().length;
      for (const { key, url, roles } of getWalk(routes, foreign))
        for (const role of roles) {
          await mark(`${key} as ${role}`);
          await t.request({ method: 'GET', url, token: tokens[role] });
          walked++;
        }
      // The writes, once each with an empty body as admin on the foreign records: what runs before validation
      // refuses (scope look-ups by id), and the whole write where the body may be empty (cancel, publish, …).
      for (const r of routes) {
        if (r.method === 'GET' || r.method === 'HEAD' || r.url.includes('/auth/')) continue;
        const id = foreign[r.url.split('/')[3]!];
        if (r.url.includes(':') && !id) continue;
        await mark(`${r.method} ${r.url} as admin`);
        await t.request({
          method: r.method as 'POST',
          url: r.url.replace(/:[A-Za-z]+/g, id ?? ''),
          token: tokens.admin,
          body: {},
        });
        walked++;
      }
      // Whole creates, from a small table of valid bodies (the empty-bodied writes above stop at validation): the
      // statements of a successful create are planned too. Each must succeed, so a body that no longer fits fails here.
      const writes = creates({ ...foreign, ...ids }, uploads);
      while (writes.length) {
        const w = writes.shift()!;
        const method = w.method ?? 'POST';
        await mark(`${method} ${w.url} as ${w.as ?? 'admin'} (a valid body)`);
        const res = await t.request({
          method,
          url: w.url,
          token: tokens[w.as ?? 'admin'],
          ...(w.upload ? multipartFile(w.upload.data, w.upload.name) : { body: w.body }),
        });
        assert.equal(res.status, w.status ?? 201, `${method} ${w.url}: ${res.raw}`);
        writes.unshift(...(w.then?.(res.body.id, res.body) ?? []));
        walked++;
      }
      await mark('end');
    });
    after(async () => {
      await check?.end();
      await t?.close();
      server?.stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('scopes every scan of a tenant table by tenant_id, and meets no undeclared table without it', async () => {
      const columns = (
        await check.query<{ table_name: string; is_nullable: string }>(
          `select table_name, is_nullable from information_schema.columns
         where table_schema = 'public' and column_name = 'tenant_id'`,
        )
      ).rows;
      const tenantTables = new Set(columns.filter((r) => r.is_nullable === 'NO').map((r) => r.table_name));
      const declared = declaredTables();
      // A nullable tenant_id holds global rows too: such a table must be declared, as a table without it is.
      const undeclared = new Set(
        columns.filter((r) => r.is_nullable !== 'NO' && !declared.has(r.table_name)).map((r) => r.table_name),
      );
      const problems = new Map<string, Set<string>>();
      /** The key-join scans of this run (each also a problem). */
      let keyJoins = 0;
      const used = new Set<(typeof ALLOWED)[number]>();
      await check.query('set plan_cache_mode = force_generic_plan');
      let route = '';
      const seen = new Set<string>();
      let planned = 0;
      for (const s of server.statements(from)) {
        if (s.app === 'tenant-sql-check') {
          route = /^select 'xf-route: ([\s\S]*)'$/.exec(s.text)?.[1]?.replace(/''/g, "'") ?? route;
          continue;
        }
        const text = s.text.trim();
        if (seen.has(text) || !/^(select|insert|update|delete|with)\b/i.test(text)) continue;
        seen.add(text);
        const problem = (what: string) => {
          const k = `${one(text).slice(0, 300)}\n      (first seen during ${route})`;
          problems.set(k, (problems.get(k) ?? new Set()).add(what));
        };
        let plan: PlanNode;
        try {
          // A generic plan: the parameters stay $n, so any values will do (null fits every type).
          await check.query(`prepare xf_probe as ${text}`);
          const { rows } = await check.query<{ n: number }>(
            `select cardinality(parameter_types) as n from pg_prepared_statements where name = 'xf_probe'`,
          );
          const args = rows[0]!.n ? `(${Array.from({ length: rows[0]!.n }, () => 'null').join(', ')})` : '';
          const res = await check.query(`explain (verbose, format json) execute xf_probe${args}`);
          plan = (res.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
          planned++;
        } catch (e) {
          problem(`could not be planned here: ${(e as Error).message}`);
          continue;
        } finally {
          await check.query('deallocate all');
        }
        const v = judgePlan(plan, tenantTables);
        for (const table of v.withoutTenant) if (!declared.has(table)) undeclared.add(table);
        for (const x of v.joinedById) {
          keyJoins++;
          problem(
            `${x.type} on ${x.table} ${x.alias} reached by a key join that does not match tenant_id (Citus: add ${x.alias}.tenant_id = <the other side>.tenant_id to the join) [${statementKey(x.table, text)}]`,
          );
        }
        for (const x of v.unscoped) {
          const allowed = ALLOWED.find((a) => a.table === x.table && a.pattern.test(text));
          const key = statementKey(x.table, text);
          if (allowed) used.add(allowed);
          else problem(`${x.type} on ${x.table} ${x.alias} without a tenant_id condition [${key}]`);
        }
      }
      const report = [...problems].map(([k, v]) => `  ${k}\n    → ${[...v].join('; ')}`);
      console.log(
        `walked ${walked} requests; ${seen.size} distinct statements, ${planned} planned; ${problems.size} with problems ` +
          `(${keyJoins} scans reached by a key join only)`,
      );
      if (process.env.XF_TENANT_SQL_DUMP) fs.writeFileSync(process.env.XF_TENANT_SQL_DUMP, `${report.join('\n')}\n`);
      assert.ok(walked >= 300, `walked only ${walked} requests`);
      assert.ok(planned >= 300, `planned only ${planned} statements`);
      assert.deepEqual(
        [...undeclared].sort(),
        [],
        'tables without (or with a nullable) tenant_id that docs/scale-out.md does not declare (### Tables without `tenant_id`)',
      );
      assert.equal(report.length, 0, `statements not scoped by tenant_id:\n${report.join('\n')}`);
      // An allowance nothing matched is stale: remove it.
      assert.deepEqual(
        ALLOWED.filter((a) => !used.has(a) && !a.sometimes).map((a) => `${a.table} ${a.pattern}`),
        [],
      );
    });
  },
);
