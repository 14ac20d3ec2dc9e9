// @fixed-days: self-assessment deadlines and the assessment year (tools/test.mjs runs this file under each fixed clock).
/**
 * 考核 (issue 21): the group's 组织部 defines an assessment of 发电运营党总支's three 党支部 with automatic, manual,
 * bonus/deduction indicators and business KPIs imported from Excel (all or nothing); the branch's 书记 self-assesses
 * with evidence; the committee above reviews; the results hold a breakdown per indicator and a rank within the
 * parent; an appeal is answered and the period closed. Every automatic figure is recomputed from the records and
 * must equal the stored one. Bad input is a Chinese 4xx. Dates come from the shared clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import {
  addDays,
  nowMs,
  setClock,
  todayInChina,
  type AssessPlan,
  type Indicator,
  type UnitBrief,
  type UnitDetail,
} from '@xianfeng/shared';
import { queryRows } from '../../platform/db';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { periodOf } from './scoring';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]),
  Buffer.alloc(16),
]);
const BRANCHES = ['第一发电厂党支部', '第二发电厂党支部', '检修公司党支部'];

describe('考核 (assessment of 党支部 with automatic, manual and business indicators)', () => {
  let t: TestApp;
  const { get, post, put, patch } = api(() => t);
  let zuzhibu: string;
  let dianli: string;
  let shuji: string;
  let shuji2: string;
  let general: string;
  let lib: Indicator[] = [];
  let plan: AssessPlan;
  let units: UnitBrief[] = [];
  const today = todayInChina();
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const upload = async (url: string, token: string, file: Buffer, name: string) => {
    const { body, headers } = multipartFile(file, name);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      payload: body,
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    return { status: r.statusCode, body: r.json(), raw: r.body };
  };
  const byName = (n: string) => lib.find((i) => i.name === n)!;
  const itemKey = (n: string) => plan.items.find((i) => i.name === n)!.key;
  const unitOf = (org: string) => units.find((u) => u.orgName === org)!;
  /** The caller's notices of a kind (notices are written in the step's transaction). */
  const noticesOf = async (token: string, kind: string) => {
    const r = await get('/notifications?pageSize=200', token);
    assert.equal(r.status, 200, r.raw);
    return (r.body.items as { kind: string; body: string; link: string | null }[]).filter((n) => n.kind === kind);
  };

  before(async () => {
    t = await startTestApp();
    [zuzhibu, dianli, shuji, shuji2] = await signIn(t, 'zuzhibu', 'dianli', 'shuji', 'shuji2');
    general = await t.orgId('发电运营党总支');
    t.services.config.dataDir = (await import('node:fs')).mkdtempSync('/tmp/xf-assess-');
    const r = await get(`/assess/indicators?orgId=${general}&pageSize=200`, zuzhibu);
    assert.equal(r.status, 200, r.raw);
    lib = r.body.items;
  });
  after(() => t.close());

  const weighted = () => [
    { indicatorId: byName('三会一课完成率').id, weight: 20 },
    { indicatorId: byName('党费收缴率').id, weight: 10 },
    { indicatorId: byName('学习完成率').id, weight: 10 },
    { indicatorId: byName('整改销号率').id, weight: 10 },
    { indicatorId: byName('党建品牌与特色工作').id, weight: 20 },
    { indicatorId: byName('安全生产无责任事故天数').id, weight: 10 },
    { indicatorId: byName('发电量完成率').id, weight: 10 },
    { indicatorId: byName('单位供电煤耗').id, weight: 10 },
    { indicatorId: byName('获上级表彰').id, weight: 0 },
    { indicatorId: byName('违纪违规问题').id, weight: 0 },
  ];

  it('keeps an indicator library and refuses a plan whose weights do not add up to 100, a weighted bonus, or a branch as the assessing org', async () => {
    const noSource = await post('/assess/indicators', zuzhibu, {
      orgId: general,
      name: '测试',
      category: 'party',
      method: 'auto',
      maxScore: 100,
    });
    assert.equal(noSource.status, 400, noSource.raw);
    assert.match(noSource.body.error.message, /须选择取数来源/);
    const kpi = await post('/assess/indicators', zuzhibu, {
      orgId: general,
      name: '产品一次合格率',
      category: 'quality',
      method: 'kpi',
      maxScore: 100,
      unit: '%',
      target: 99.5,
    });
    assert.equal(kpi.status, 201, kpi.raw);
    const bySecretary = await post('/assess/indicators', shuji, {
      orgId: general,
      name: '测试',
      category: 'party',
      method: 'manual',
      maxScore: 10,
    });
    assert.equal(bySecretary.status, 403, bySecretary.raw);

    const items = weighted();
    items[0]!.weight = 25;
    const off = await post('/assess/plans', zuzhibu, {
      orgId: general,
      title: '权重错误',
      year,
      quarter,
      items,
    });
    assert.equal(off.status, 422, off.raw);
    assert.equal(off.body.error.message, '计权重的指标权重之和须为 100，现在是 105');
    const bonus = weighted();
    bonus[8]!.weight = 5;
    const weightedBonus = await post('/assess/plans', zuzhibu, {
      orgId: general,
      title: '加分项计权重',
      year,
      quarter,
      items: bonus,
    });
    assert.equal(weightedBonus.status, 422, weightedBonus.raw);
    assert.match(weightedBonus.body.error.message, /加分项，不计权重/);
    const onBranch = await post('/assess/plans', zuzhibu, {
      orgId: await t.orgId('第一发电厂党支部'),
      title: '支部',
      year,
      quarter,
      items: weighted(),
    });
    assert.equal(onBranch.status, 422, onBranch.raw);
    assert.match(onBranch.body.error.message, /请选择党委或党总支/);
    const foreign = await post('/assess/plans', dianli, {
      orgId: await t.orgId('华夏新材料有限公司党委'),
      title: '越权',
      year,
      quarter,
      items: weighted(),
    });
    assert.equal(foreign.status, 403, foreign.raw);

    const made = await post('/assess/plans', zuzhibu, {
      orgId: general,
      title: '季度融合考核（测试）',
      year,
      quarter,
      items: weighted(),
    });
    assert.equal(made.status, 201, made.raw);
    plan = made.body;
    assert.equal(plan.units, 3);
    assert.equal(plan.periodLabel, `${year} 年第 ${quarter} 季度`);
    const list = await get(`/assess-plans/${plan.id}/units?pageSize=200`, zuzhibu);
    units = list.body.items;
    assert.deepEqual(units.map((u) => u.orgName).sort(), [...BRANCHES].sort());
  });

  it('imports the business KPIs from Excel all or nothing: one bad row writes nothing and every error is listed by row', async () => {
    const tpl = await t.app.inject({
      method: 'GET',
      url: `/api/v1/assess-plans/${plan.id}/kpi-template`,
      headers: { authorization: `Bearer ${zuzhibu}` },
    });
    assert.equal(tpl.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.rowCount, 1 + 3 * 3, 'one row per branch and KPI');
    const values: Record<string, Record<string, number>> = {
      第一发电厂党支部: { 安全生产无责任事故天数: 90, 发电量完成率: 104, 单位供电煤耗: 296 },
      第二发电厂党支部: { 安全生产无责任事故天数: 81, 发电量完成率: 95, 单位供电煤耗: 310 },
      检修公司党支部: { 安全生产无责任事故天数: 90, 发电量完成率: 100, 单位供电煤耗: 300 },
    };
    ws.eachRow((row, n) => {
      if (n > 1) row.getCell(5).value = values[String(row.getCell(1).value)]![String(row.getCell(2).value)]!;
    });
    ws.getRow(3).getCell(5).value = '很多';
    ws.getRow(6).getCell(1).value = '研发中心党支部';
    const bad = await upload(
      `/assess-plans/${plan.id}/kpi/import`,
      zuzhibu,
      Buffer.from(await wb.xlsx.writeBuffer()),
      'kpi.xlsx',
    );
    assert.equal(bad.status, 422, bad.raw);
    assert.match(
      bad.body.error.message,
      /导入失败：共 2 处错误，未导入任何数据。第一处：第 3 行「指标值」「很多」不是数字/,
    );
    assert.deepEqual(
      bad.body.error.details.map((d: { row: number; field: string }) => [d.row, d.field]),
      [
        [3, '指标值'],
        [6, '党组织'],
      ],
    );
    const [written] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from assess_unit where plan_id = ${plan.id} and kpi <> '{}'::jsonb`,
    );
    assert.equal(written!.n, 0, 'nothing written');

    ws.eachRow((row, n) => {
      if (n > 1) {
        if (n === 6) row.getCell(1).value = String(ws.getRow(5).getCell(1).value);
        row.getCell(5).value = values[String(row.getCell(1).value)]![String(row.getCell(2).value)]!;
      }
    });
    const good = await upload(
      `/assess-plans/${plan.id}/kpi/import`,
      zuzhibu,
      Buffer.from(await wb.xlsx.writeBuffer()),
      'kpi.xlsx',
    );
    assert.equal(good.status, 200, good.raw);
    assert.equal(good.body.imported, 9);
    const byHand = await post(`/assess-plans/${plan.id}/kpi`, shuji, {
      values: [{ unitId: unitOf('第一发电厂党支部').id, key: itemKey('发电量完成率'), value: 200 }],
    });
    assert.equal(byHand.status, 404, 'a branch cannot enter its own KPI values');
  });

  it('takes a self-assessment with evidence from the branch and scores from the org above only, each within its range', async () => {
    const mine = unitOf('第一发电厂党支部').id;
    const brand = itemKey('党建品牌与特色工作');
    const noEvidence = await put(`/assess-units/${mine}/self`, shuji, { scores: [{ key: brand, score: 9 }] });
    assert.equal(noEvidence.status, 422, noEvidence.raw);
    assert.match(noEvidence.body.error.message, /请先为「党建品牌与特色工作」上传佐证材料/);
    const text = await upload(`/assess-units/${mine}/files?key=${brand}`, shuji, Buffer.from('hello'), 'a.txt');
    assert.equal(text.status, 400, text.raw);
    const png = await upload(`/assess-units/${mine}/files?key=${brand}`, shuji, PNG, '品牌活动.png');
    assert.equal(png.status, 201, png.raw);
    const tooHigh = await put(`/assess-units/${mine}/self`, shuji, { scores: [{ key: brand, score: 11 }] });
    assert.equal(tooHigh.status, 422, tooHigh.raw);
    assert.equal(tooHigh.body.error.message, '「党建品牌与特色工作」的分数须在 0 到 10 之间');
    const autoScored = await put(`/assess-units/${mine}/self`, shuji, {
      scores: [{ key: itemKey('党费收缴率'), score: 5 }],
    });
    assert.equal(autoScored.status, 422, autoScored.raw);
    const self = await put(`/assess-units/${mine}/self`, shuji, {
      scores: [{ key: brand, score: 9, note: '打造“光明先锋”品牌' }],
    });
    assert.equal(self.status, 200, self.raw);
    assert.equal((self.body as UnitDetail).lines.find((l) => l.key === brand)!.files.length, 1);

    const ownReview = await put(`/assess-units/${mine}/review`, shuji, { scores: [{ key: brand, score: 10 }] });
    assert.equal(ownReview.status, 403, ownReview.raw);
    assert.match(ownReview.body.error.message, /不能为本组织评分/);
    const outside = await put(`/assess-units/${mine}/review`, shuji2, { scores: [{ key: brand, score: 10 }] });
    assert.equal(outside.status, 404, outside.raw);
    const negative = await put(`/assess-units/${mine}/review`, dianli, { scores: [{ key: brand, score: -1 }] });
    assert.equal(negative.status, 400, negative.raw);
    const overCap = await put(`/assess-units/${mine}/review`, dianli, {
      scores: [{ key: itemKey('获上级表彰'), score: 6 }],
    });
    assert.equal(overCap.status, 422, overCap.raw);
    assert.match(overCap.body.error.message, /0 到 5 之间/);

    const scores: Record<string, { key: string; score: number }[]> = {
      第一发电厂党支部: [
        { key: brand, score: 8 },
        { key: itemKey('获上级表彰'), score: 2 },
      ],
      第二发电厂党支部: [
        { key: brand, score: 7 },
        { key: itemKey('违纪违规问题'), score: 4 },
      ],
      检修公司党支部: [{ key: brand, score: 8 }],
    };
    for (const org of BRANCHES.slice(0, 2)) {
      const r = await put(`/assess-units/${unitOf(org).id}/review`, dianli, { scores: scores[org] });
      assert.equal(r.status, 200, r.raw);
    }
    const early = await post(`/assess-plans/${plan.id}/publish`, zuzhibu);
    assert.equal(early.status, 409, early.raw);
    assert.match(early.body.error.message, /还有 1 个党支部未完成上级评分或业务指标值：检修公司党支部/);
    const last = await put(`/assess-units/${unitOf('检修公司党支部').id}/review`, zuzhibu, {
      scores: scores['检修公司党支部'],
    });
    assert.equal(last.status, 200, last.raw);
  });

  it('publishes results whose automatic figures, recomputed from the records, are the stored ones; totals add up and ranks are within the parent', async () => {
    const pub = await post(`/assess-plans/${plan.id}/publish`, zuzhibu);
    assert.equal(pub.status, 200, pub.raw);
    assert.equal(pub.body.status, 'published');
    const list = await get(`/assess-plans/${plan.id}/units?pageSize=200`, zuzhibu);
    units = list.body.items;
    // The branch's secretary hears of the result, with its score and rank (assess/notices.ts).
    const own = unitOf('第一发电厂党支部');
    const told = await noticesOf(shuji, 'assess.published');
    assert.equal(told.length, 1, 'one notice of the published result');
    assert.match(told[0]!.body, new RegExp(`排第 ${own.rank} 名`));
    assert.equal(told[0]!.link, `/assess?plan=${plan.id}&unit=${own.id}`);
    const p = periodOf(year, quarter);
    const until = today < p.to ? today : p.to;
    const db = t.services.db;
    for (const u of units) {
      const d = (await get(`/assess-units/${u.id}`, zuzhibu)).body as UnitDetail;
      const [o] = await queryRows<{ path: string }>(db, sql`select path from org where id = ${u.orgId}`);
      const like = `${o!.path}%`;
      const ratio = (n: number, dd: number) => (dd === 0 ? 1 : Math.round((n / dd) * 10_000) / 10_000);
      // 党费: the bills of the period's months so far, straight from dues_bill.
      const [bills] = await queryRows<{ n: number; paid: number }>(
        db,
        sql`select count(*)::int as n, (count(*) filter (where b.status = 'paid'))::int as paid from dues_bill b join org o on o.id = b.org_id
            where o.path like ${like} and b.month between ${p.from}::date and ${until}::date`,
      );
      // 整改: every item of the subtree.
      const [rect] = await queryRows<{ n: number; closed: number }>(
        db,
        sql`select count(*)::int as n, (count(*) filter (where i.status = 'closed'))::int as closed from supervise_rectification i join org o on o.id = i.org_id where o.path like ${like}`,
      );
      // 学习: members who completed an item in the period, over the branch's members (its 党小组 included).
      const [learn] = await queryRows<{ learners: number; members: number }>(
        db,
        sql`select (select count(distinct r.member_id) from learn_record r join org o on o.id = r.org_id
                     where o.path like ${like} and r.member_id is not null and r.completed_at is not null
                       and (r.completed_at at time zone 'Asia/Shanghai')::date between ${p.from}::date and ${until}::date)::int as learners,
                   (select count(*) from member m where m.org_path like ${like} and m.left_at is null and m.suspended_on is null)::int as members`,
      );
      // 三会一课: the meeting module's public compliance answer for the branch and the quarter.
      const comp = await get(`/orgs/${u.orgId}/compliance?year=${year}&quarter=${quarter}`, zuzhibu);
      const bound = (comp.body.items as { required: number; actual: number }[]).filter((i) => i.required > 0);
      const meeting = bound.length
        ? Math.round((bound.reduce((s, i) => s + Math.min(1, i.actual / i.required), 0) / bound.length) * 10_000) /
          10_000
        : 1;
      const expected: Record<string, number> = {
        三会一课完成率: meeting,
        党费收缴率: ratio(bills!.paid, bills!.n),
        学习完成率: learn!.members
          ? Math.round((Math.min(learn!.learners, learn!.members) / learn!.members) * 10_000) / 10_000
          : 1,
        整改销号率: ratio(rect!.closed, rect!.n),
      };
      for (const [name, want] of Object.entries(expected)) {
        const line = d.lines.find((l) => l.name === name)!;
        assert.equal(
          line.ratio,
          want,
          `${u.orgName} ${name}: stored ${line.ratio}, records say ${want} (${line.basis})`,
        );
        assert.equal(line.points, Math.round(line.weight * want * 100) / 100);
        assert.ok(line.citation, `${name} has its citation`);
      }
      const sum = Math.round(d.lines.reduce((s, l) => s + (l.points ?? 0), 0) * 100) / 100;
      assert.equal(d.total, Math.max(0, sum), `${u.orgName}: the lines add up to the total`);
    }
    // KPI arithmetic: 第二发电厂 — 81/90 days, 95/100 output, coal 300/310 (lower is better).
    const second = (await get(`/assess-units/${unitOf('第二发电厂党支部').id}`, zuzhibu)).body as UnitDetail;
    assert.deepEqual(
      ['安全生产无责任事故天数', '发电量完成率', '单位供电煤耗', '党建品牌与特色工作', '违纪违规问题'].map(
        (n) => second.lines.find((l) => l.name === n)!.points,
      ),
      [9, 9.5, 9.68, 14, -4],
    );
    // Ranks: all three under 发电运营党总支, best total first, ties share a rank.
    const sorted = [...units].sort((a, b) => b.total! - a.total!);
    for (const u of units) {
      assert.equal(u.peers, 3);
      assert.equal(u.rank, 1 + sorted.filter((x) => x.total! > u.total!).length, `${u.orgName} rank`);
    }
  });

  it('turns a line that lost points into a 整改 item of the branch (supervise module), shown on the unit and in the branch’s 整改 list', async () => {
    const mine = unitOf('第一发电厂党支部');
    const brand = itemKey('党建品牌与特色工作');
    const deadline = addDays(today, 30);
    const body = { key: brand, measures: '对照品牌创建方案补齐特色工作台账', deadline };
    const url = `/assess-units/${mine.id}/rectifications`;
    // Only an org above, only after publishing, only a line that lost points, once while open.
    const dangyuan = await t.login('dangyuan');
    const demoOpen = (await get(`/assess/plans?orgId=${general}&pageSize=200`, zuzhibu)).body.items.find(
      (x: AssessPlan) => x.status === 'open',
    ) as AssessPlan | undefined;
    assert.ok(demoOpen, 'the demo keeps an open plan');
    const openUnit = (await get(`/assess-plans/${demoOpen.id}/units?pageSize=200`, dianli)).body.items[0] as UnitBrief;
    const notYet = await post(`/assess-units/${openUnit.id}/rectifications`, dianli, {
      ...body,
      key: demoOpen.items[0]!.key,
    });
    assert.equal(notYet.status, 409, notYet.raw);
    assert.equal(notYet.body.error.message, '考核结果公布后才能据此下达整改');
    for (const [who, token, want] of [
      ['the branch’s own 书记', shuji, 403],
      ['a member of the branch', dangyuan, 403],
      ['another branch’s 书记', shuji2, 404],
    ] as const) {
      const r = await post(url, token, body);
      assert.equal(r.status, want, `${who}: ${r.raw}`);
    }
    const bonus = await post(url, dianli, { ...body, key: itemKey('获上级表彰') });
    assert.equal(bonus.status, 422, bonus.raw);
    assert.equal(bonus.body.error.message, '「获上级表彰」没有失分，不需要整改');
    const unknown = await post(url, dianli, { ...body, key: 'nope' });
    assert.equal(unknown.status, 422, unknown.raw);
    const past = await post(url, dianli, { ...body, deadline: addDays(today, -1) });
    assert.equal(past.status, 422, past.raw);
    assert.match(past.body.error.message, /整改期限不能早于今天/);
    const none = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from supervise_rectification where source_kind = 'assessment'`,
    );
    assert.equal(none[0]!.n, 0, 'nothing was written by the refused requests');

    const before = (await get(`/assess-units/${mine.id}`, dianli)).body as UnitDetail;
    const line = before.lines.find((l) => l.key === brand)!;
    assert.ok(line.points! < line.weight, `the brand line lost points (${line.points}/${line.weight})`);
    assert.equal(before.can.rectify, true, 'the org above may raise a 整改 item');
    const made = await post(url, dianli, body);
    assert.equal(made.status, 201, made.raw);
    const d = made.body as UnitDetail;
    assert.equal(d.rectifications.length, 1, 'the unit shows the new item');
    assert.equal(d.rectifications[0]!.key, brand);
    assert.equal(d.rectifications[0]!.status, 'open');
    assert.equal(d.rectifications[0]!.deadline, deadline);
    const twice = await post(url, dianli, body);
    assert.equal(twice.status, 409, twice.raw);
    assert.match(twice.body.error.message, /已据此下达整改事项/);

    // Written by supervise: pre-filled, linked back, verified by the caller, the branch itself responsible.
    const [row] = await queryRows<{
      org: string;
      title: string;
      finding: string;
      source_ref: string;
      verifier: string;
      status: string;
    }>(
      t.services.db,
      sql`select o.name as org, i.title, i.finding, i.source_ref, u.username as verifier, i.status
          from supervise_rectification i join org o on o.id = i.org_id join app_user u on u.id = i.verifier_user_id where i.source_kind = 'assessment'`,
    );
    assert.equal(row!.org, '第一发电厂党支部');
    assert.equal(row!.title, '党建品牌与特色工作失分整改');
    assert.ok(row!.finding.includes(`得 ${line.points} 分（满分 ${line.weight} 分）`), row!.finding);
    assert.ok(row!.finding.includes(plan.title), row!.finding);
    assert.equal(row!.source_ref, `/assess?plan=${plan.id}&unit=${mine.id}&item=${brand}`);
    assert.equal(row!.verifier, 'dianli');
    // The branch's 书记 is told (as for every new 整改 item) and finds it in the branch's 整改 list and on the unit.
    const told = await noticesOf(shuji, 'supervise.rectify.assigned');
    assert.equal(told.filter((n) => n.body.includes('党建品牌与特色工作失分整改')).length, 1, 'the 书记 is told once');
    const list = await get(`/supervise/rectifications?orgId=${mine.orgId}&sourceKind=assessment`, shuji);
    assert.equal(list.status, 200, list.raw);
    assert.deepEqual(
      list.body.items.map((i: { title: string }) => i.title),
      ['党建品牌与特色工作失分整改'],
    );
    const seen = (await get(`/assess-units/${mine.id}`, shuji)).body as UnitDetail;
    assert.equal(seen.rectifications[0]!.status, 'open');
    assert.equal(seen.can.rectify, false, 'the branch does not raise items from its own result');
    // The 书记 starts it: the unit's view follows the supervise status.
    const started = await post(`/supervise-rectifications/${seen.rectifications[0]!.id}/actions`, shuji, {
      action: 'start',
    });
    assert.equal(started.status, 200, started.raw);
    const after = (await get(`/assess-units/${mine.id}`, dianli)).body as UnitDetail;
    assert.equal(after.rectifications[0]!.status, 'in_progress');
    // A deduction of another branch becomes an item too — once, even when two requests for it arrive together.
    const second = unitOf('第二发电厂党支部');
    const both = await Promise.all(
      [1, 2].map(() =>
        post(`/assess-units/${second.id}/rectifications`, dianli, { ...body, key: itemKey('违纪违规问题') }),
      ),
    );
    assert.deepEqual(both.map((r) => r.status).sort(), [201, 409], both.map((r) => r.raw).join('\n'));
    const ded = both.find((r) => r.status === 201)!;
    assert.equal(ded.body.rectifications[0].title, '违纪违规问题失分整改');
    assert.match(both.find((r) => r.status === 409)!.body.error.message, /已据此下达整改事项「违纪违规问题失分整改」/);
    const rows = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from supervise_rectification where source_ref like ${`%unit=${second.id}%`}`,
    );
    assert.equal(rows[0]!.n, 1, 'one item for the line, not one per request');
  });

  it('refuses changes after publishing, takes one appeal, re-ranks on a corrected score, and closes only when every appeal is answered', async () => {
    const mine = unitOf('第一发电厂党支部').id;
    const second = unitOf('第二发电厂党支部').id;
    const brand = itemKey('党建品牌与特色工作');
    const edit = await patch(`/assess-plans/${plan.id}`, zuzhibu, { title: '改名' });
    assert.equal(edit.status, 409, edit.raw);
    const reScore = await put(`/assess-units/${mine}/review`, dianli, { scores: [{ key: brand, score: 10 }] });
    assert.equal(reScore.status, 409, reScore.raw);
    assert.match(reScore.body.error.message, /结果已公布/);

    const before = (await get(`/assess-units/${second}`, dianli)).body as UnitDetail;
    const appealed = await post(`/assess-units/${second}/appeal`, dianli, { reason: '探针' });
    assert.equal(appealed.status, 403, 'the org above does not appeal for the branch');
    const byOther = await post(`/assess-units/${mine}/appeal`, shuji2, { reason: '探针' });
    assert.equal(byOther.status, 404, byOther.raw);
    const ok = await post(`/assess-units/${mine}/appeal`, shuji, { reason: '品牌工作获省公司推广，评分偏低' });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.appeal, 'open');
    // The reviewers above hear of the appeal; the branch does not.
    assert.equal((await noticesOf(dianli, 'assess.appealed')).length, 1, 'the org above is told of the appeal');
    assert.equal((await noticesOf(shuji, 'assess.appealed')).length, 0);
    const twice = await post(`/assess-units/${mine}/appeal`, shuji, { reason: '再次申诉' });
    assert.equal(twice.status, 409, twice.raw);
    const early = await post(`/assess-plans/${plan.id}/close`, zuzhibu);
    assert.equal(early.status, 409, early.raw);
    assert.match(early.body.error.message, /还有 1 个申诉未答复/);
    const selfAnswer = await post(`/assess-units/${mine}/appeal-answer`, shuji, { answer: '同意' });
    assert.equal(selfAnswer.status, 403, selfAnswer.raw);
    const answered = await post(`/assess-units/${mine}/appeal-answer`, dianli, {
      answer: '经复核，品牌工作成效突出，调整为 10 分',
      scores: [{ key: brand, score: 10 }],
    });
    assert.equal(answered.status, 200, answered.raw);
    const [told] = await noticesOf(shuji, 'assess.appeal.answered');
    assert.ok(told, 'the appealing secretary is told of the answer');
    assert.match(told.body, /并更正了评分/);
    const a = answered.body as UnitDetail;
    assert.equal(a.appeal, 'answered');
    assert.equal(a.lines.find((l) => l.key === brand)!.points, 20);
    const prior = units.find((u) => u.id === mine)!.total!;
    assert.equal(a.total, Math.round((prior + 4) * 100) / 100, 'two more points of 10 at weight 20 add 4');
    const after = (await get(`/assess-units/${second}`, dianli)).body as UnitDetail;
    assert.equal(after.total, before.total, 'the others keep their totals (automatic figures stay frozen)');

    const closed = await post(`/assess-plans/${plan.id}/close`, zuzhibu);
    assert.equal(closed.status, 200, closed.raw);
    assert.equal(closed.body.status, 'closed');
    for (const [what, r] of [
      ['edit', await patch(`/assess-plans/${plan.id}`, zuzhibu, { title: '改名' })],
      ['self', await put(`/assess-units/${mine}/self`, shuji, { scores: [{ key: brand, score: 1 }] })],
      [
        'kpi',
        await post(`/assess-plans/${plan.id}/kpi`, zuzhibu, {
          values: [{ unitId: mine, key: itemKey('发电量完成率'), value: 1 }],
        }),
      ],
      ['appeal', await post(`/assess-units/${mine}/appeal`, shuji, { reason: '关闭后' })],
      ['close', await post(`/assess-plans/${plan.id}/close`, zuzhibu)],
    ] as const) {
      assert.equal(r.status, 409, `${what}: ${r.raw}`);
      assert.match(r.body.error.message, /已关闭/, what);
    }
  });

  it('tells each branch’s 书记 what to self-assess by when, refuses 自评 after the deadline naming the date, until the org above reopens it', async () => {
    const realAt = Date.now();
    const clockAt = nowMs();
    const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));
    const TITLE = '自评截止测试';
    const deadline = addDays(today, 5);
    const base = { orgId: general, title: TITLE, year, quarter, items: weighted() };
    const past = await post('/assess/plans', zuzhibu, { ...base, selfDeadline: addDays(today, -1) });
    assert.equal(past.status, 422, past.raw);
    assert.equal(past.body.error.message, `自评截止日期不能早于今天（${today}）`);
    const made = await post('/assess/plans', zuzhibu, { ...base, selfDeadline: deadline });
    assert.equal(made.status, 201, made.raw);
    const p = made.body as AssessPlan;
    assert.equal(p.selfDeadline, deadline);
    const us = (await get(`/assess-plans/${p.id}/units?pageSize=200`, zuzhibu)).body.items as UnitBrief[];
    const mine = us.find((u) => u.orgName === '第一发电厂党支部')!;
    const second = us.find((u) => u.orgName === '第二发电厂党支部')!;
    // Each assessed branch's 书记 is told what to self-assess and by when; the org above is not.
    const toldOf = async (token: string) =>
      (await noticesOf(token, 'assess.self.open')).filter((n) => n.body.includes(TITLE));
    const told = await toldOf(shuji);
    assert.equal(told.length, 1, 'the 书记 is told once');
    assert.match(told[0]!.body, new RegExp(`于${deadline} 前完成自评`));
    assert.match(told[0]!.body, /党建品牌与特色工作、获上级表彰、违纪违规问题/);
    assert.equal(told[0]!.link, `/assess?plan=${p.id}&unit=${mine.id}`);
    assert.equal((await toldOf(shuji2)).length, 0, 'a 书记 of a branch outside the plan is not told');
    assert.equal((await toldOf(dianli)).length, 0, 'the org above is not told to self-assess');
    const ded = p.items.find((i) => i.name === '违纪违规问题')!.key;
    const selfBody = { scores: [{ key: ded, score: 1 }] };
    const onTime = await put(`/assess-units/${mine.id}/self`, shuji, selfBody);
    assert.equal(onTime.status, 200, onTime.raw);
    assert.equal(onTime.body.selfDeadline, deadline);
    assert.equal(onTime.body.can.self, true);
    try {
      // The day after the deadline.
      setClock(`${addDays(deadline, 1)}`);
      const late = await put(`/assess-units/${mine.id}/self`, shuji, selfBody);
      assert.equal(late.status, 409, late.raw);
      assert.equal(
        late.body.error.message,
        `自评已于 ${deadline} 截止，不能再自评或上传自评材料；如需补报，请上级党组织重新开放自评`,
      );
      const file = await upload(
        `/assess-units/${mine.id}/files?key=${p.items.find((i) => i.name === '党建品牌与特色工作')!.key}`,
        shuji,
        PNG,
        '迟交.png',
      );
      assert.equal(file.status, 409, file.raw);
      const view = (await get(`/assess-units/${mine.id}`, shuji)).body as UnitDetail;
      assert.equal(view.can.self, false, 'the page offers no 自评 after the deadline');
      assert.equal(view.can.reopen, false, 'the branch does not reopen itself');
      const byItself = await post(`/assess-units/${mine.id}/reopen-self`, shuji, {
        until: addDays(deadline, 4),
      });
      assert.equal(byItself.status, 403, byItself.raw);
      const backwards = await post(`/assess-units/${mine.id}/reopen-self`, dianli, { until: deadline });
      assert.equal(backwards.status, 422, backwards.raw);
      // The org above reopens it for this branch only; the 书记 is told the new day.
      const until = addDays(deadline, 4);
      const reopened = await post(`/assess-units/${mine.id}/reopen-self`, dianli, { until });
      assert.equal(reopened.status, 200, reopened.raw);
      assert.equal(reopened.body.selfDeadline, until);
      const again = await toldOf(shuji);
      assert.equal(again.length, 2, 'the 书记 hears of the reopening');
      assert.ok(
        again.some((n) => n.body.includes(`于${until} 前完成自评`)),
        'with the new day',
      );
      const nowOk = await put(`/assess-units/${mine.id}/self`, shuji, selfBody);
      assert.equal(nowOk.status, 200, nowOk.raw);
      const other = (await get(`/assess-units/${second.id}`, dianli)).body as UnitDetail;
      assert.equal(other.selfDeadline, deadline, 'the other branch stays at the plan’s deadline');
      // Moving the plan's deadline tells every branch again.
      const later = addDays(deadline, 10);
      const moved = await patch(`/assess-plans/${p.id}`, zuzhibu, { selfDeadline: later });
      assert.equal(moved.status, 200, moved.raw);
      assert.equal(moved.body.selfDeadline, later);
      assert.ok(
        (await toldOf(shuji)).some((n) => n.body.includes(`于${later} 前完成自评`)),
        'the 书记 hears the new deadline',
      );
      const otherNow = (await get(`/assess-units/${second.id}`, dianli)).body as UnitDetail;
      assert.equal(otherNow.selfDeadline, later);
    } finally {
      restore();
    }
  });
});
