/**
 * 志愿服务 routes. An activity addressed by id has its own first path segment (volunteer-activities): its organizers
 * (record keepers covering its org) manage it; a member of its audience reaches it through their own org
 * (`orgOfActivityForCaller`); anyone else is told it does not exist. Lists of an org take `orgId` (optional: the
 * caller's own binding).
 */
import {
  AnyCertificateCheck,
  CertificateSerial,
  HARDSHIP_KEEPERS,
  HardshipCaseBrief,
  HardshipCaseDetail,
  HardshipCaseInput,
  HardshipVisit,
  HardshipReviewInput,
  HardshipSummary,
  HardshipVisitInput,
  GeocodeInput,
  GeocodeResult,
  MapConfig,
  Page,
  Paging,
  RECORD_KEEPERS,
  RECORD_READERS,
  ServicePlace,
  ServicePlaceInput,
  ServicePlacePatch,
  ServicePlaceQuery,
  todayInChina,
  Uuid,
  VolunteerActivity,
  VolunteerActivityInput,
  VolunteerActivityPatch,
  VolunteerCancelInput,
  VolunteerCorrectionInput,
  VolunteerHours,
  VolunteerQr,
  VolunteerRollup,
  VolunteerScanInput,
  VolunteerSignup,
  YearCertificateInput,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import { readDb } from '../../platform/db';
import type { Services } from '../../platform/services';
import { orgOfMember } from '../member/service';
import {
  certificateFontMissing,
  certificateOf,
  certificateQr,
  certificatePdf,
  checkCertificate,
  issueYearCertificate,
  orgOfOwnSignup,
  yearCertificatePdf,
} from './certificate';
import { findCjkFont } from '../../platform/pdf';
import { createPlace, deletePlace, listPlaces, orgOfPlace, updatePlace } from './places';
import { geocode, geocoderNotConfigured } from './geocode';
import { hit } from '../../platform/hits';
import { AppError } from '../../platform/errors';
import { qrDataUrl } from '../../platform/qr-token';

/** Address lookups a user may make in a minute (the provider's quota is the installation's). */
const GEOCODE_PER_MINUTE = 20;
import {
  addVisit,
  getCase,
  hardshipSummary,
  listCases,
  openCase,
  orgOfHardshipCase,
  reviewCase,
  visitsOf,
} from './hardship';
import {
  cancelActivity,
  cancelSignup,
  correctMinutes,
  createActivity,
  getActivity,
  hoursOfMember,
  listActivities,
  myHours,
  openActivities,
  orgOfActivity,
  orgOfActivityForCaller,
  orgOfSignup,
  qrOf,
  rollup,
  scan,
  signUp,
  signupsOf,
  updateActivity,
  volunteerKey,
} from './service';

const tags = ['service'];
const activityOrg = recordOrg(orgOfActivity);
const activityForCaller = recordOrg(orgOfActivityForCaller);
const Scanned = VolunteerSignup.extend({ already: z.boolean() });
const thisYear = () => Number(todayInChina().slice(0, 4));
const YearQuery = z.object({
  year: z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确').optional(),
});

export const serviceRoutes =
  ({ db, fieldCrypto, config }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    // The heavy read-only queries (statistics, exports, roll-ups) may run on a read replica (platform/replica.ts).
    const rdb = readDb(db);
    const key = volunteerKey(fieldCrypto);

    // ---- organizer
    app.post(
      '/volunteer/activities',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '发布志愿服务活动（时间、地点、名额、技能要求）',
        body: VolunteerActivityInput,
        response: { 201: VolunteerActivity },
      }),
      async (req, reply) => reply.status(201).send(await createActivity(db, scopeOf(req), req.body)),
    );
    app.get(
      '/volunteer/activities',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '本组织及下级组织发布的志愿服务活动',
        querystring: Paging.extend({ orgId: Uuid.optional() }),
        response: { 200: Page(VolunteerActivity) },
      }),
      async (req) => listActivities(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.patch(
      '/volunteer-activities/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: activityOrg },
        tags,
        summary: '修改志愿服务活动（开始后不能改时间；名额不能少于已报名人数；改时间或地点时通知已报名的志愿者）',
        body: VolunteerActivityPatch,
        response: { 200: VolunteerActivity },
      }),
      async (req) => updateActivity(db, scopeOf(req), req.params.id, req.body),
    );
    app.post(
      '/volunteer-activities/:id/cancel',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: activityOrg },
        tags,
        summary: '取消志愿服务活动（结束前、尚未记录服务时长；写明原因，通知已报名的志愿者）',
        body: VolunteerCancelInput,
        response: { 200: VolunteerActivity },
      }),
      async (req) => cancelActivity(db, scopeOf(req), req.params.id, req.body.reason),
    );
    app.get(
      '/volunteer-activities/:id/signups',
      onRecord({
        access: { roles: RECORD_READERS, target: activityOrg },
        tags,
        summary: '活动的报名、签到签退和服务时长',
        querystring: Paging,
        response: { 200: Page(VolunteerSignup) },
      }),
      async (req) => signupsOf(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.get(
      '/volunteer-activities/:id/qr',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: activityOrg },
        tags,
        summary: '活动现场签到签退二维码（每分钟更换，几分钟内有效）',
        response: { 200: VolunteerQr },
      }),
      async (req) => {
        const q = await qrOf(db, key, scopeOf(req), req.params.id);
        const url = `${req.protocol}://${req.host}/m/volunteer/${q.activity.id}/scan?token=${encodeURIComponent(q.token)}`;
        const dataUrl = await qrDataUrl(url, 480);
        return { token: q.token, url, dataUrl, refreshAt: q.refreshAt, expiresAt: q.expiresAt };
      },
    );
    app.post(
      '/volunteer-signups/:id/correction',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfSignup) },
        tags,
        summary: '更正服务时长（不超过活动时间，须写明理由，记入审计）',
        body: VolunteerCorrectionInput,
        response: { 200: VolunteerSignup },
      }),
      async (req) => correctMinutes(db, scopeOf(req), req.params.id, req.body),
    );
    app.get(
      '/volunteer/rollup',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '志愿服务汇总：活动数、服务党员人数、服务时长（本组织及下级，按下级组织分列）',
        querystring: YearQuery.extend({ orgId: Uuid.optional() }),
        response: { 200: VolunteerRollup },
      }),
      async (req) => rollup(rdb, scopeOf(req), req.query.year ?? thisYear()),
    );
    app.get(
      '/volunteer-members/:id/hours',
      onRecord({
        access: { roles: RECORD_READERS, target: recordOrg(orgOfMember) },
        tags,
        summary: '党员的志愿服务时长和记录（党员档案）',
        querystring: Paging.extend(YearQuery.shape),
        response: { 200: VolunteerHours },
      }),
      async (req) =>
        hoursOfMember(
          db,
          scopeOf(req).tenantId,
          req.params.id,
          req.query.page,
          req.query.pageSize,
          req.query.year ?? thisYear(),
        ),
    );

    // ---- member
    app.get(
      '/volunteer/open',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我可以报名的志愿服务活动（本组织及上级组织发布、尚未结束的）',
        querystring: Paging,
        response: { 200: Page(VolunteerActivity) },
      }),
      async (req) => openActivities(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/volunteer/mine',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的志愿服务：报名记录和服务时长',
        querystring: Paging.extend(YearQuery.shape),
        response: { 200: VolunteerHours },
      }),
      async (req) => myHours(db, scopeOf(req), req.query.page, req.query.pageSize, req.query.year ?? thisYear()),
    );
    app.get(
      '/volunteer-signups/:id/certificate',
      onRecord({
        access: { roles: 'any', target: recordOrg(orgOfOwnSignup) },
        tags,
        summary: '下载本人的志愿服务证明（PDF：姓名、活动、时长、出具组织、编号和核验二维码；仅限本人）',
      }),
      async (req, reply) => {
        if (!findCjkFont()) throw certificateFontMissing();
        const c = await certificateOf(db, scopeOf(req).tenantId, req.params.id);
        const verifyUrl = `${config.notify.publicUrl}/verify/volunteer/${c.serial}`;
        const qr = await certificateQr(verifyUrl);
        const body = await certificatePdf(c, verifyUrl, qr);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', contentDisposition(`志愿服务证明-${c.serial}.pdf`))
          .send(body);
      },
    );
    // The yearly certificate: the caller's own hours of one year, issued by a POST (it may store a new serial).
    app.post(
      '/volunteer/year-certificate',
      declared({
        access: { roles: 'any' },
        tags,
        summary:
          '开具并下载本人的年度志愿服务证明（PDF：一年内全部已记录时长的活动、合计时长、编号和核验二维码；仅限本人）',
        body: YearCertificateInput,
      }),
      async (req, reply) => {
        if (!findCjkFont()) throw certificateFontMissing();
        const c = await issueYearCertificate(db, scopeOf(req).tenantId, scopeOf(req).principal.user.id, req.body.year);
        const verifyUrl = `${config.notify.publicUrl}/verify/volunteer/${c.serial}`;
        const body = await yearCertificatePdf(c, verifyUrl, await certificateQr(verifyUrl));
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', contentDisposition(`${c.year}年度志愿服务证明-${c.serial}.pdf`))
          .send(body);
      },
    );
    // Public (no login): whether a serial is genuine and what it certifies, the name masked. Serials carry 60
    // random bits and the platform rate-limits public routes per address, so the check cannot list who volunteered.
    app.get(
      '/public/volunteer-certificates/:serial',
      declared({
        access: { public: true },
        tags,
        summary: '核验志愿服务证明（无需登录）：编号是否真实、证明的内容（姓名部分隐去）',
        params: z.object({ serial: CertificateSerial }),
        response: { 200: AnyCertificateCheck },
      }),
      async (req) => checkCertificate(db, req.params.serial),
    );
    app.get(
      '/volunteer-activities/:id',
      onRecord({
        access: { roles: 'any', target: activityForCaller },
        tags,
        summary: '志愿服务活动详情',
        response: { 200: VolunteerActivity },
      }),
      async (req) => getActivity(db, scopeOf(req), req.params.id),
    );
    app.post(
      '/volunteer-activities/:id/signup',
      onRecord({
        access: { roles: 'any', target: activityForCaller },
        tags,
        summary: '报名（活动开始前，名额以内）',
        response: { 200: VolunteerSignup },
      }),
      async (req) => signUp(db, scopeOf(req), req.params.id),
    );
    app.post(
      '/volunteer-activities/:id/signup/cancel',
      onRecord({
        access: { roles: 'any', target: activityForCaller },
        tags,
        summary: '取消报名（活动开始前）',
        response: { 200: VolunteerSignup },
      }),
      async (req) => cancelSignup(db, scopeOf(req), req.params.id),
    );
    app.post(
      '/volunteer-activities/:id/checkin',
      onRecord({
        access: { roles: 'any', target: activityForCaller },
        tags,
        summary: '扫码签到（活动现场二维码）；未报名的党员在签到时间内、名额未满时现场签到',
        body: VolunteerScanInput,
        response: { 200: Scanned },
      }),
      async (req) => scan(db, key, scopeOf(req), req.params.id, req.body.token, 'in'),
    );
    app.post(
      '/volunteer-activities/:id/checkout',
      onRecord({
        access: { roles: 'any', target: activityForCaller },
        tags,
        summary: '扫码签退（签到之后；时长按活动时间内的部分计算）',
        body: VolunteerScanInput,
        response: { 200: Scanned },
      }),
      async (req) => scan(db, key, scopeOf(req), req.params.id, req.body.token, 'out'),
    );

    // ---- 困难帮扶: the branch secretary and the org department only (HARDSHIP_KEEPERS)
    const caseTarget = recordOrg(orgOfHardshipCase);
    app.post(
      '/hardship/cases',
      declared({
        access: { roles: HARDSHIP_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '建立困难党员帮扶档案（仅支部书记、组织部）',
        body: HardshipCaseInput,
        response: { 201: HardshipCaseDetail },
      }),
      async (req, reply) => reply.status(201).send(await openCase(db, fieldCrypto, scopeOf(req), req.body)),
    );
    app.get(
      '/hardship/cases',
      declared({
        access: { roles: HARDSHIP_KEEPERS, target: optionalOrg },
        tags,
        summary: '困难党员帮扶档案（本组织及下级；列表不含困难情况）',
        querystring: Paging.extend({ orgId: Uuid.optional() }),
        response: { 200: Page(HardshipCaseBrief) },
      }),
      async (req) => listCases(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/hardship/summary',
      declared({
        access: { roles: HARDSHIP_KEEPERS, target: optionalOrg },
        tags,
        summary:
          '困难帮扶年度复核汇总：按困难程度和状态的档案数、本年新建/复核/结案、走访次数和帮扶金额、本年未复核的档案（分页；不含困难情况）',
        querystring: Paging.extend(YearQuery.shape).extend({ orgId: Uuid.optional() }),
        response: { 200: HardshipSummary },
      }),
      async (req) =>
        hardshipSummary(rdb, scopeOf(req), req.query.year ?? thisYear(), req.query.page, req.query.pageSize),
    );
    app.get(
      '/hardship-cases/:id',
      onRecord({
        access: { roles: HARDSHIP_KEEPERS, target: caseTarget },
        tags,
        summary: '帮扶档案详情（含困难情况）',
        response: { 200: HardshipCaseDetail },
      }),
      async (req) => getCase(db, fieldCrypto, scopeOf(req), req.params.id),
    );
    app.get(
      '/hardship-cases/:id/visits',
      onRecord({
        access: { roles: HARDSHIP_KEEPERS, target: caseTarget },
        tags,
        summary: '走访帮扶记录',
        querystring: Paging,
        response: { 200: Page(HardshipVisit) },
      }),
      async (req) => visitsOf(db, fieldCrypto, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.post(
      '/hardship-cases/:id/visits',
      onRecord({
        access: { roles: HARDSHIP_KEEPERS, target: caseTarget },
        tags,
        summary: '登记走访帮扶（日期、走访人、帮扶内容、金额、情况）',
        body: HardshipVisitInput,
        response: { 201: HardshipVisit },
      }),
      async (req, reply) =>
        reply.status(201).send(await addVisit(db, fieldCrypto, scopeOf(req), req.params.id, req.body)),
    );
    app.post(
      '/hardship-cases/:id/review',
      onRecord({
        access: { roles: HARDSHIP_KEEPERS, target: caseTarget },
        tags,
        summary: '复核帮扶档案：调整困难程度、结案（已脱困）或重新纳入帮扶，写明情况',
        body: HardshipReviewInput,
        response: { 200: HardshipCaseDetail },
      }),
      async (req) => reviewCase(db, fieldCrypto, scopeOf(req), req.params.id, req.body),
    );

    // ---- 云地图: everyone signed in reads the places of their org, its subtree and the orgs above; keepers of the
    // owning org's subtree add, edit and delete them.
    const placeOrg = recordOrg(orgOfPlace);
    app.get(
      '/service/map-config',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '云地图底图设置：未配置瓦片地址时使用无需外部服务器的简洁底图',
        response: { 200: MapConfig },
      }),
      async () => ({
        tileUrl: config.map.tileUrl,
        tileAttribution: config.map.tileAttribution,
        geocoder: config.map.geocoder !== null,
      }),
    );
    // 地址解析: a POST because it counts the caller's lookups (a shared per-user limit guards the provider's quota).
    app.post(
      '/service/geocode',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '地址解析：把地址换算成 GCJ-02 坐标（腾讯位置服务；管理员未配置时提示手动填写坐标）',
        body: GeocodeInput,
        response: { 200: GeocodeResult },
      }),
      async (req) => {
        if (!config.map.geocoder) throw geocoderNotConfigured();
        const n = await hit(db, `geocode:${scopeOf(req).principal.user.id}`, 60_000);
        if (n.hits > GEOCODE_PER_MINUTE)
          throw new AppError(
            429,
            'GEOCODE_RATE',
            `地址查询太频繁（每分钟最多 ${GEOCODE_PER_MINUTE} 次），请 ${Math.ceil(n.resetInMs / 1000)} 秒后再试`,
          );
        return geocode(config.map.geocoder, req.body);
      },
    );
    app.get(
      '/service/places',
      declared({
        access: { roles: 'any', target: optionalOrg },
        tags,
        summary:
          '云地图：本组织及下级、上级组织的党组织、党群服务中心、党员驿站、活动场所；给出经纬度（GCJ-02）时按距离由近到远',
        querystring: ServicePlaceQuery,
        response: { 200: Page(ServicePlace) },
      }),
      async (req) => listPlaces(db, scopeOf(req), req.query),
    );
    app.post(
      '/service/places',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '登记地点（类型、名称、地址、联系电话、开放时间、经纬度 GCJ-02）',
        body: ServicePlaceInput,
        response: { 201: ServicePlace },
      }),
      async (req, reply) => reply.status(201).send(await createPlace(db, scopeOf(req), req.body)),
    );
    app.patch(
      '/service-places/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: placeOrg },
        tags,
        summary: '修改地点',
        body: ServicePlacePatch,
        response: { 200: ServicePlace },
      }),
      async (req) => updatePlace(db, scopeOf(req), req.params.id, req.body),
    );
    app.delete(
      '/service-places/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: placeOrg },
        tags,
        summary: '删除地点',
        response: { 200: z.object({ id: z.string() }) },
      }),
      async (req) => {
        await deletePlace(db, scopeOf(req), req.params.id);
        return { id: req.params.id };
      },
    );
  };
