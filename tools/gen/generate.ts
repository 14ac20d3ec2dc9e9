/**
 * The synthetic enterprise: a deterministic (seeded) tenant of any size — an org tree of depth
 * 4–6 (集团党委 → 子公司党委 → 二级公司党委 → 党总支 → 党支部 → 党小组), members drawn from the demo's
 * distributions (demo/people.ts) and stored exactly as the app stores them (AES-GCM ID/phone,
 * HMAC blind indexes, pinyin initials), and, when the meeting module's tables exist, a year of
 * planned/held meetings with minutes, counters and recent attendance.
 *
 * Everything is set-based: org and member rows go in batches (COPY on PGlite, unnest arrays on
 * PostgreSQL) with the member indexes dropped during the load and rebuilt after; meetings,
 * minutes, counters and attendance are INSERT … SELECT over the generated orgs and members.
 */
import crypto from 'node:crypto';
import { CADENCE_RULES, DEFAULT_DUES_SETTINGS, quoteDues, type OrgKind } from '@xianfeng/shared';
import { bootstrap } from '../../apps/server/src/platform/bootstrap';
import type { FieldCrypto } from '../../apps/server/src/platform/crypto';
import type { Database } from '../../apps/server/src/platform/db';
import { randomIdCard, randomMember, seededRandom, type Rng } from '../../apps/server/src/demo/people';
import { nameInitials } from '../../apps/server/src/modules/member/service';
import { member } from '../../apps/server/src/modules/member/schema';
import { addMonths, generateBills, monthStart } from '../../apps/server/src/modules/dues/service';
import { rawConn, type Column, type Conn } from '../lib/conn';
import type { Progress } from '../lib/progress';

export type GenOptions = {
  members: number;
  orgs: number;
  seed: number;
  /** "Today" of the generated data (YYYY-MM-DD); ages, join dates and the meeting year end here. */
  today: string;
  adminPassword: string;
  /** Months (back from today) of meetings that get attendance rows; 0 = none. */
  attendanceMonths: number;
  /** Months of dues bills, this month included (default 12); 1 = only this month's bill run. */
  billMonths?: number;
};

export type GenResult = {
  tenantId: string;
  rootOrgId: string;
  orgs: number;
  members: number;
  depth: { min: number; max: number };
  meetings: number | null;
  attendance: number | null;
  /** Dues bills of the generated year (null when the dues tables do not exist). */
  bills: number | null;
  /** Wall time of each stage, ms. */
  timings: Record<string, number>;
  /** Node CPU spent on encryption + blind indexes of the member rows, ms. */
  cryptoMs: number;
};

type GOrg = {
  id: string;
  no: number;
  parent: GOrg | null;
  name: string;
  kind: OrgKind;
  path: string;
  depth: number;
  sortOrder: number;
  retired: boolean;
  weight: number;
  children: GOrg[];
};

const INDUSTRIES = [
  '电力',
  '新能源',
  '煤业',
  '化工',
  '新材料',
  '工程建设',
  '装备制造',
  '物流',
  '金融',
  '信息技术',
  '地产',
  '水务',
  '燃气',
  '港务',
  '钢铁',
  '矿业',
];
const CITIES = [
  '北京',
  '上海',
  '天津',
  '重庆',
  '河北',
  '山西',
  '内蒙古',
  '辽宁',
  '吉林',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '广西',
  '四川',
  '贵州',
  '云南',
  '陕西',
  '甘肃',
  '新疆',
];
const UNITS = [
  '发电运营',
  '检修',
  '营销',
  '生产',
  '质量安全',
  '研发',
  '项目',
  '物资',
  '财务',
  '综合管理',
  '运维',
  '设计',
  '调度',
  '安全监察',
  '技术中心',
];
const BRANCH_UNITS = [
  '机关第一',
  '机关第二',
  '生产一部',
  '生产二部',
  '运行一值',
  '运行二值',
  '检修一班',
  '检修二班',
  '营销中心',
  '项目部',
  '技术部',
  '设备部',
  '安全部',
  '后勤',
  '车间',
];

/** A UUID (v4 layout) from the seeded generator, so org ids are the same on every run. */
function seededUuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng.next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const gauss = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** The org tree, in memory (tens of thousands of rows at most). Numbers (`no`) are assigned later. */
export function buildTree(rng: Rng, total: number, rootId: string): GOrg[] {
  const committees = Math.max(2, Math.round(total * 0.012));
  const l1n = Math.max(1, Math.round(committees * 0.3));
  const l2n = Math.max(0, committees - 1 - l1n);
  const gbn = Math.round(total * 0.05);
  const bn = Math.max(1, Math.round(total * 0.3));
  const gn = Math.max(0, total - 1 - l1n - l2n - gbn - bn);
  const used = new Set<string>();
  const unique = (name: string) => {
    let n = name;
    for (let i = 2; used.has(n); i++) n = name.replace(/(党委|党总支|党支部|党小组)$/, `（${i}）$1`);
    used.add(n);
    return n;
  };
  const root: GOrg = {
    id: rootId,
    no: 0,
    parent: null,
    name: '华夏能源集团党委',
    kind: 'committee',
    path: '',
    depth: 0,
    sortOrder: 0,
    retired: false,
    weight: 0,
    children: [],
  };
  const all: GOrg[] = [root];
  const add = (parent: GOrg, kind: OrgKind, name: string, retired = false) => {
    const o: GOrg = {
      id: seededUuid(rng),
      no: 0,
      parent,
      name: unique(name),
      kind,
      path: '',
      depth: parent.depth + 1,
      sortOrder: parent.children.length + 1,
      retired,
      weight: 0,
      children: [],
    };
    parent.children.push(o);
    all.push(o);
    return o;
  };
  const short = (o: GOrg) => o.name.replace(/(有限公司)?(党委|党总支)$/, '');
  const l1 = Array.from({ length: l1n }, (_, i) =>
    add(
      root,
      'committee',
      `华夏${INDUSTRIES[i % INDUSTRIES.length]}${i >= INDUSTRIES.length ? CITIES[i % CITIES.length] : ''}有限公司党委`,
    ),
  );
  const l2 = Array.from({ length: l2n }, () => {
    const p = rng.pick(l1);
    return add(p, 'committee', `${short(p)}${rng.pick(CITIES)}分公司党委`);
  });
  const committeesBelowRoot = [...l1, ...l2];
  const gbs = Array.from({ length: gbn }, () => {
    const p = rng.pick(committeesBelowRoot);
    return add(p, 'general_branch', `${short(p)}${rng.pick(UNITS)}党总支`);
  });
  const branches: GOrg[] = [];
  for (let i = 0; i < bn; i++) {
    const retired = rng.next() < 0.08;
    const p = i < 3 ? root : gbs.length && rng.next() < 0.5 ? rng.pick(gbs) : rng.pick(committeesBelowRoot);
    const unit = retired ? '离退休' : rng.pick(BRANCH_UNITS);
    branches.push(add(p, 'branch', `${p === root ? '集团' : short(p)}${unit}党支部`, retired));
  }
  // About half of the branches have party groups (3–5 on average), the rest hold members directly.
  const withGroups = branches.filter(() => rng.next() < 0.55);
  if (withGroups.length === 0 && gn > 0) withGroups.push(branches[0]!);
  const ordinal = '一二三四五六七八九十';
  for (let i = 0; i < gn; i++) {
    const p = rng.pick(withGroups);
    const k = p.children.length;
    add(
      p,
      'group',
      `${p.name.replace(/党支部$/, '')}第${ordinal[k % 10]}${k >= 10 ? Math.floor(k / 10) + 1 : ''}党小组`,
      p.retired,
    );
  }
  // Member weights: branch sizes are log-normal around the mean; a branch with groups keeps
  // about a tenth of its members itself (the branch committee) and spreads the rest over its groups.
  for (const b of branches) {
    const w = Math.exp(0.6 * gauss(rng));
    const groups = b.children;
    if (groups.length === 0) b.weight = w;
    else {
      b.weight = w * 0.1;
      for (const g of groups) g.weight = (w * 0.9) / groups.length;
    }
  }
  return all;
}

const MEMBER_COLUMNS: readonly Column[] = [
  // Chosen here: the sealed numbers are bound to their row's id.
  ['id', 'uuid'],
  ['tenant_id', 'uuid'],
  ['org_id', 'uuid'],
  // Set here: the member_org_path trigger does not fire under session_replication_role = replica.
  ['org_path', 'text'],
  ['name', 'text'],
  ['name_initials', 'text'],
  ['gender', 'text'],
  ['ethnicity', 'text'],
  ['birth_date', 'date'],
  ['id_card_enc', 'text'],
  ['id_card_idx', 'text'],
  ['phone_enc', 'text'],
  ['phone_idx', 'text'],
  ['education', 'text'],
  ['occupation', 'text'],
  ['job_title', 'text'],
  ['joined_at', 'date'],
  ['full_at', 'date'],
  ['status', 'text'],
  ['dues_category', 'text'],
  ['flowing', 'boolean'],
  ['left_at', 'date'],
  ['left_reason', 'text'],
];

const ORG_COLUMNS: readonly Column[] = [
  ['id', 'uuid'],
  ['no', 'bigint'],
  ['tenant_id', 'uuid'],
  ['parent_id', 'uuid'],
  ['name', 'text'],
  ['kind', 'text'],
  ['path', 'text'],
  ['depth', 'integer'],
  ['sort_order', 'integer'],
  ['established_on', 'date'],
];

/** Drops a table's plain indexes (not those behind constraints) for a bulk load and rebuilds them after. */
/**
 * Runs `fn` with foreign-key checks off (`session_replication_role = replica`, where the role
 * allows it): every row the generator writes references rows it has just written, and the
 * per-row checks would be most of a bulk load's time. Row triggers are off too — a generated
 * column a trigger keeps must be set by the generator itself.
 */
async function withForeignKeysOff<T>(conn: Conn, fn: () => Promise<T>): Promise<T> {
  const off = await conn.query(`set session_replication_role = replica`).then(
    () => true,
    () => false,
  );
  try {
    return await fn();
  } finally {
    if (off) await conn.query(`set session_replication_role = origin`);
  }
}

export async function withIndexesDropped<T>(
  conn: Conn,
  table: string,
  fn: () => Promise<T>,
  progress?: Progress,
): Promise<T> {
  const defs = await conn.query<{ name: string; def: string }>(
    `select indexname as name, indexdef as def from pg_indexes
     where schemaname = current_schema() and tablename = $1
       and indexname not in (select conname from pg_constraint where conrelid = $1::regclass)`,
    [table],
  );
  // A primary key no foreign key points at goes too: a bulk load into a random-uuid B-tree is the
  // slowest part of the load (3× on PGlite), and building it once afterwards is a sort.
  const keys = await conn.query<{ name: string; def: string }>(
    `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint c
     where conrelid = $1::regclass and contype = 'p'
       and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = c.conrelid)`,
    [table],
  );
  for (const d of defs) await conn.query(`drop index if exists "${d.name}"`);
  for (const k of keys) await conn.query(`alter table "${table}" drop constraint "${k.name}"`);
  try {
    return await fn();
  } finally {
    progress?.stage(`${table} indexes`, defs.length + keys.length);
    for (const [i, k] of keys.entries()) {
      await conn.query(`alter table "${table}" add constraint "${k.name}" ${k.def}`);
      progress?.tick(i + 1);
    }
    for (const [i, d] of defs.entries()) {
      // A partitioned table's index is defined `ON ONLY` the parent, which would make an invalid index with no
      // index on any partition (dues_bill, 0070): rebuild it on the whole table.
      await conn.query(d.def.replace(' ON ONLY ', ' ON '));
      progress?.tick(keys.length + i + 1);
    }
    progress?.done();
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function generate(
  database: Database,
  fc: FieldCrypto,
  opts: GenOptions,
  progress: Progress,
): Promise<GenResult> {
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round(performance.now() - t0);
    }
  };
  const first = await bootstrap(database.db, {
    adminPassword: opts.adminPassword,
    tenantName: '华夏能源集团',
    rootName: '华夏能源集团党委',
  });
  if (!first.created)
    throw new Error('The database already has a tenant: generate into an empty data folder or database.');
  const { tenantId, rootOrgId } = first;
  const conn = await rawConn(database);
  try {
    await conn.query(`update app_user set must_change_password = false where tenant_id = $1 and username = 'admin'`, [
      tenantId,
    ]);

    // ---- orgs ------------------------------------------------------------------------
    const rng = seededRandom(opts.seed);
    const tree = buildTree(rng, opts.orgs, rootOrgId);
    const [rootRow] = await conn.query<{ no: string; path: string }>(`select no::text, path from org where id = $1`, [
      rootOrgId,
    ]);
    tree[0]!.no = Number(rootRow!.no);
    tree[0]!.path = rootRow!.path;
    const rest = tree.slice(1);
    const [last] = await conn.query<{ last: string }>(
      `select setval(pg_get_serial_sequence('org', 'no'), nextval(pg_get_serial_sequence('org', 'no')) + $1 - 1)::text as last`,
      [rest.length],
    );
    const firstNo = Number(last!.last) - rest.length + 1;
    rest.forEach((o, i) => {
      o.no = firstNo + i;
      o.path = `${o.parent!.path}${o.no}/`;
    });
    await time('orgs', async () => {
      progress.stage('orgs', rest.length);
      for (let i = 0; i < rest.length; i += 10_000) {
        const batch = rest
          .slice(i, i + 10_000)
          .map((o) => [
            o.id,
            o.no,
            tenantId,
            o.parent!.id,
            o.name,
            o.kind,
            o.path,
            o.path.split('/').length - 2,
            o.sortOrder,
            `${1990 + (o.no % 30)}-07-01`,
          ]);
        await conn.insertRows('org', ORG_COLUMNS, batch);
        progress.tick(Math.min(rest.length, i + 10_000));
      }
      await conn.query(`update org set name = '华夏能源集团党委' where id = $1`, [rootOrgId]);
      progress.done();
    });

    // ---- members -----------------------------------------------------------------------
    const holders = tree.filter((o) => o.weight > 0);
    const totalWeight = holders.reduce((s, o) => s + o.weight, 0);
    let cum = 0;
    let assigned = 0;
    const counts = holders.map((o) => {
      cum += (opts.members * o.weight) / totalWeight;
      const n = Math.round(cum) - assigned;
      assigned += n;
      return n;
    });
    const initials = new Map<string, string>();
    const ids = new Set<string>();
    let cryptoMs = 0;
    const today = opts.today;
    const year = Number(today.slice(0, 4));
    const mrng = seededRandom(opts.seed * 7919 + 1);
    const row = (o: GOrg): unknown[] => {
      const m = randomMember(mrng, o.id, { retired: o.retired, today });
      while (ids.has(m.idCardNo)) m.idCardNo = randomIdCard(mrng, m.birthDate, m.gender);
      ids.add(m.idCardNo);
      let dues: string = m.duesCategory;
      const r = mrng.next();
      if (!o.retired)
        dues = r < 0.012 ? 'unemployed' : r < 0.018 ? 'other_low' : r < 0.022 ? 'student' : r < 0.026 ? 'farmer' : dues;
      const flowing = !o.retired && mrng.next() < 0.012;
      const left = mrng.next() < 0.008;
      const leftAt = left ? `${year - mrng.int(0, 3)}-${pad(mrng.int(1, 12))}-${pad(mrng.int(1, 28))}` : null;
      let ini = initials.get(m.name);
      if (ini === undefined) initials.set(m.name, (ini = nameInitials(m.name)));
      const id = m.idCardNo.trim().toUpperCase();
      const t0 = performance.now();
      const rowId = crypto.randomUUID();
      const sealed = [
        fc.encrypt(id, member.idCardEnc, rowId),
        fc.blindIndex(id),
        fc.encrypt(m.phone, member.phoneEnc, rowId),
        fc.blindIndex(m.phone),
      ];
      cryptoMs += performance.now() - t0;
      return [
        rowId,
        tenantId,
        o.id,
        o.path,
        m.name,
        ini,
        m.gender,
        m.ethnicity,
        m.birthDate,
        ...sealed,
        m.education ?? null,
        m.occupation ?? null,
        m.jobTitle ?? null,
        m.joinedAt,
        m.status === 'full' ? (m.fullAt ?? null) : null,
        m.status,
        dues,
        flowing,
        leftAt && leftAt < today ? leftAt : null,
        leftAt && leftAt < today ? (o.retired ? '去世' : '出党') : null,
      ];
    };
    await time('members', () =>
      withForeignKeysOff(conn, () =>
        withIndexesDropped(
          conn,
          'member',
          async () => {
            progress.stage('members', opts.members);
            let batch: unknown[][] = [];
            let done = 0;
            let pending: Promise<void> = Promise.resolve();
            for (const [i, o] of holders.entries()) {
              for (let k = 0; k < counts[i]!; k++) batch.push(row(o));
              if (batch.length >= 20_000 || i === holders.length - 1) {
                // Build the next batch while the database stores this one (overlaps on PostgreSQL).
                await pending;
                const b = batch;
                batch = [];
                pending = conn.insertRows('member', MEMBER_COLUMNS, b).then(() => {
                  done += b.length;
                  progress.tick(done);
                });
              }
            }
            await pending;
            progress.done(`encryption + blind indexes: ${(cryptoMs / 1000).toFixed(1)} s of Node CPU`);
          },
          progress,
        ),
      ),
    );
    // The member statistics' tally (migration 0078): its triggers were off with the foreign keys; counted in one pass.
    const [hasTally] = await conn.query<{ t: string | null }>(
      `select to_regprocedure('member_tally_rebuild(uuid)')::text as t`,
    );
    if (hasTally?.t) await time('member tally', () => conn.query(`select member_tally_rebuild($1)`, [tenantId]));
    await time('analyze', () => conn.query('analyze'));

    // ---- meetings (when the meeting module's tables exist) ------------------------------------
    let meetings: number | null = null;
    let attendance: number | null = null;
    const [hasMeeting] = await conn.query<{ t: string | null }>(`select to_regclass('meeting_tally')::text as t`);
    if (hasMeeting?.t) {
      const r = await time('meetings', () =>
        withForeignKeysOff(conn, () => generateMeetings(conn, tenantId, today, opts.attendanceMonths, progress)),
      );
      meetings = r.meetings;
      attendance = r.attendance;
      await conn.query('analyze');
    }
    // ---- dues (when the dues module's tables exist) ----------------------------------------------
    let bills: number | null = null;
    const [hasDues] = await conn.query<{ t: string | null }>(`select to_regclass('dues_bill')::text as t`);
    if (hasDues?.t) {
      bills = await time('dues', () =>
        generateDues(database, conn, tenantId, rootRow!.path, today, opts.billMonths ?? 12, progress),
      );
      await conn.query('analyze');
    }
    const depths = tree.map((o) => o.depth + 1);
    return {
      tenantId,
      rootOrgId,
      orgs: tree.length,
      members: opts.members,
      depth: {
        min: Math.min(...depths.filter((_, i) => tree[i]!.kind === 'branch' || tree[i]!.kind === 'group')),
        max: Math.max(...depths),
      },
      meetings,
      attendance,
      bills,
      timings,
      cryptoMs: Math.round(cryptoMs),
    };
  } finally {
    conn.release();
  }
}

/** A year of the cadence table's planned meetings per branch/group, mostly held, with minutes, counters and recent attendance. */
async function generateMeetings(
  conn: Conn,
  tenantId: string,
  today: string,
  attendanceMonths: number,
  progress: Progress,
) {
  const plans = CADENCE_RULES.filter((r) => r.plan && !r.local).map((r) => {
    const kind = r.counts[0] === 'lecture_secretary' ? 'lecture' : r.counts[0]!;
    const p = r.plan!;
    return `('${r.rule}', '${kind}', '${r.label.replace(/'/g, "''")}', array[${p.months.join(',')}], ${p.day === 'theme_day' ? 0 : p.day}, '${p.start}'::time, '${p.end}'::time, array[${r.appliesTo.map((k) => `'${k}'`).join(',')}])`;
  });
  progress.stage('meetings', 4);
  const meetings = await withIndexesDropped(conn, 'meeting', async () => {
    await conn.query(
      `with plan(rule, kind, label, months, day, t_start, t_end, applies) as (values ${plans.join(', ')}),
       slots as (
         select o.id as org_id, p.rule, p.kind, p.label, mo,
                (mo + make_interval(days => (case when p.day = 0 then 1 + (o.no % 25)::int else p.day end) - 1) + p.t_start) at time zone 'Asia/Shanghai' as starts_at,
                (mo + make_interval(days => (case when p.day = 0 then 1 + (o.no % 25)::int else p.day end) - 1) + p.t_end) at time zone 'Asia/Shanghai' as ends_at,
                abs(hashtext(o.id::text || p.rule || mo::text)::bigint) % 100 as dice
         from org o
         join plan p on o.kind = any(p.applies)
         cross join generate_series(date_trunc('month', $2::timestamp) - interval '12 months', date_trunc('month', $2::timestamp), interval '1 month') as mo
         where o.tenant_id = $1 and o.dissolved_at is null and extract(month from mo)::int = any(p.months)
       )
       insert into meeting (tenant_id, org_id, kind, title, starts_at, ends_at, location, status, plan_key, published_at, speaker, created_at, updated_at)
       select $1, org_id, kind, label || '（' || to_char(mo, 'YYYY年MM月') || '）', starts_at, ends_at, '党员活动室',
              case when starts_at >= $2::timestamp at time zone 'Asia/Shanghai' then 'published' when dice < 94 then 'held' else 'cancelled' end,
              to_char(mo, 'YYYY') || ':' || rule || ':' || to_char(mo, 'MM'), starts_at - interval '7 days',
              case when kind = 'lecture' then '党支部书记' end, starts_at - interval '10 days', starts_at
       from slots`,
      [tenantId, today],
    );
    const [n] = await conn.query<{ n: number }>(`select count(*)::int as n from meeting where tenant_id = $1`, [
      tenantId,
    ]);
    return n!.n;
  });
  progress.tick(1);
  await conn.query(
    `insert into meeting_minutes (meeting_id, tenant_id, host, recorder, agenda, content, speaker, speaker_is_secretary, recorded_at, updated_at)
     select id, tenant_id, '党支部书记', '组织委员', '', '（合成数据）会议按计划召开，议程完成。', speaker, kind = 'lecture', ends_at, ends_at
     from meeting where tenant_id = $1 and status = 'held'`,
    [tenantId],
  );
  progress.tick(2);
  // The counters the compliance check reads, as the meeting service keeps them (monthly rows, or
  // one row per year with a column per month — whichever shape the schema has).
  const tallyCols = new Set(
    (
      await conn.query<{ c: string }>(
        `select column_name as c from information_schema.columns where table_name = 'meeting_tally'`,
      )
    ).map((r) => r.c),
  );
  const held = `from meeting m cross join lateral (values (m.kind), (case when m.kind = 'lecture' then 'lecture_secretary' end)) as k(k)
     cross join lateral (select (m.starts_at at time zone 'Asia/Shanghai')::date as d) as cd
     where m.tenant_id = $1 and m.status = 'held' and k.k is not null`;
  if (tallyCols.has('m1'))
    await conn.query(
      `insert into meeting_tally (tenant_id, org_id, kind, year, ${Array.from({ length: 12 }, (_, i) => `m${i + 1}`).join(', ')})
       select $1, m.org_id, k.k, extract(year from cd.d)::int, ${Array.from({ length: 12 }, (_, i) => `(count(*) filter (where extract(month from cd.d) = ${i + 1}))::int`).join(', ')}
       ${held} group by 2, 3, 4`,
      [tenantId],
    );
  else
    await conn.query(
      `insert into meeting_tally (tenant_id, org_id, kind, month, n) select $1, m.org_id, k.k, date_trunc('month', cd.d)::date, count(*)::int ${held} group by 2, 3, 4`,
      [tenantId],
    );
  progress.tick(3);
  let attendance = 0;
  if (attendanceMonths > 0) {
    const from = addDays(today, -30 * attendanceMonths);
    attendance = await withIndexesDropped(conn, 'meeting_attendance', async () => {
      // Members of the meeting's org, then (for a branch's meetings) those of its party groups.
      const insert = (memberJoin: string) =>
        conn.query(
          `insert into meeting_attendance (tenant_id, meeting_id, member_id, org_id, response, leave_reason, responded_at, checked_in_at, checkin_method, late)
           select $1, mt.id, m.id, m.org_id,
                  case when h.d < 6 then 'leave' else 'confirmed' end, case when h.d < 6 then '出差' end, mt.starts_at - interval '2 days',
                  case when h.d < 9 then null else mt.starts_at + (h.d % 7) * interval '1 minute' end,
                  case when h.d < 9 then null when h.d % 3 = 0 then 'manual' else 'qr' end,
                  h.d between 9 and 11
           from meeting mt
           ${memberJoin}
           cross join lateral (select abs(hashtext(m.id::text || mt.id::text)::bigint) % 100 as d) as h
           where mt.tenant_id = $1 and mt.status = 'held' and mt.kind in ('theme_day', 'party_congress', 'group', 'lecture')
             and mt.starts_at >= $2::date and m.left_at is null`,
          [tenantId, from],
        );
      await insert(`join member m on m.org_id = mt.org_id`);
      await insert(`join org g on g.parent_id = mt.org_id and g.kind = 'group' join member m on m.org_id = g.id`);
      const [n] = await conn.query<{ n: number }>(
        `select count(*)::int as n from meeting_attendance where tenant_id = $1`,
        [tenantId],
      );
      return n!.n;
    });
  }
  progress.tick(4);
  progress.done();
  return { meetings, attendance };
}

/** 20 base levels per salaried category, quoted by the shared rate table (no second copy of the rule). */
const BASE_LEVELS = (['employed', 'retired'] as const).flatMap((category) =>
  Array.from({ length: 20 }, (_, i) => {
    const base = category === 'employed' ? 300_000 + i * 60_000 : 200_000 + i * 30_000;
    const q = quoteDues(category, base);
    return `('${category}', ${i}, ${base}, ${q.rateBp}, ${q.monthlyFen})`;
  }),
);

/**
 * A base for every salaried member (from a year back), this month's bills by the app's own bill
 * run (dues/service generateBills: one rule for amounts and exemptions), and the eleven months
 * before copied from them set-based, members admitted since skipped. Most bills are paid in their
 * month; ~6% of members stopped paying 1–8 months ago (arrears); ~40% have not paid this month yet.
 */
async function generateDues(
  database: Database,
  conn: Conn,
  tenantId: string,
  rootPath: string,
  today: string,
  months: number,
  progress: Progress,
) {
  const month = today.slice(0, 7);
  const first = monthStart(addMonths(month, -(Math.max(1, months) - 1)));
  progress.stage('dues', 4);
  await withForeignKeysOff(conn, () => insertDues(database, conn, tenantId, rootPath, month, first, progress));
  const [n] = await conn.query<{ n: number }>(`select count(*)::int as n from dues_bill where tenant_id = $1`, [
    tenantId,
  ]);
  progress.done();
  return n!.n;
}

async function insertDues(
  database: Database,
  conn: Conn,
  tenantId: string,
  rootPath: string,
  month: string,
  first: string,
  progress: Progress,
) {
  await conn.query(
    `with level(category, k, base, rate_bp, monthly_fen) as (values ${BASE_LEVELS.join(', ')})
     insert into dues_base (tenant_id, org_id, member_id, effective_from, category, monthly_base_fen, rate_bp, monthly_fen, source, created_by)
     select m.tenant_id, m.org_id, m.id, $2::date, l.category, l.base, l.rate_bp, l.monthly_fen, 'import', 'generator'
     from member m join level l on l.category = m.dues_category and l.k = abs(hashtext(m.id::text)) % 20
     where m.tenant_id = $1 and m.left_at is null`,
    [tenantId, first],
  );
  progress.tick(1);
  await generateBills(database.db, tenantId, rootPath, month, DEFAULT_DUES_SETTINGS);
  progress.tick(2);
  // Arrears: members whose hash puts them in the 6% stop paying `lag` months before this one.
  const stopped = `(abs(hashtext(b.member_id::text || 'dues')) % 100 < 6)`;
  const lag = `(1 + abs(hashtext(b.member_id::text)) % 8)`;
  await conn.query(
    `select xf_dues_bill_partition(mo::date) from generate_series($1::date, $2::date, interval '1 month') as mo`,
    [first, monthStart(month)],
  );
  await withIndexesDropped(conn, 'dues_bill', () =>
    conn.query(
      `insert into dues_bill (tenant_id, org_id, member_id, month, category, base_fen, rate_bp, standard_fen, due_fen, status, exemption_id, paid_at, created_at)
       select b.tenant_id, b.org_id, b.member_id, mo::date, b.category, b.base_fen, b.rate_bp, b.standard_fen, b.due_fen,
              p.status, b.exemption_id, case when p.status = 'paid' then mo + interval '9 days' + (abs(hashtext(b.member_id::text)) % 15) * interval '1 day' end,
              mo + interval '1 day'
       from dues_bill b
       join member m on m.id = b.member_id
       cross join generate_series($2::date, $3::date - interval '1 month', interval '1 month') as mo
       cross join lateral (select case when b.status = 'exempt' then 'exempt'
         when ${stopped} and mo >= $3::date - ${lag} * interval '1 month' then 'unpaid' else 'paid' end as status) p
       where b.tenant_id = $1 and b.month = $3::date and m.joined_at < mo + interval '1 month'`,
      [tenantId, first, monthStart(month)],
    ),
  );
  progress.tick(3);
  await conn.query(
    `update dues_bill b set status = 'paid', paid_at = $3::date + interval '2 days'
     where b.tenant_id = $1 and b.month = $2::date and b.status = 'unpaid' and not ${stopped} and abs(hashtext(b.member_id::text || 'now')) % 100 >= 40`,
    [tenantId, monthStart(month), monthStart(month)],
  );
  progress.tick(4);
}
