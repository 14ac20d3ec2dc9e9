import {
  CancelBody,
  InviteesReply,
  CheckinBody,
  ComplianceQuery,
  ComplianceReply,
  ComplianceRollupRow,
  MakeupBody,
  MakeupProxyBody,
  Meeting,
  MEETING_KINDS,
  MEETING_STATUSES,
  MeetingInput,
  todayInChina,
  MeetingPatch,
  MinutesBody,
  Page,
  Paging,
  PlanBody,
  PublishBody,
  RespondBody,
  TalkCoverage,
  TalkInput,
  TalkReminderResult,
  Uuid,
  nowMs,
  RECORD_KEEPERS,
  RECORD_READERS,
  ReplyReminderResult,
  BallotBody,
  CloseMotionBody,
  LeftEarlyBody,
  MOTION_KINDS,
  MotionBody,
  RemoteCheckinBody,
  StatementBody,
  VOTE_CHOICES,
  CHECKIN_METHODS,
  HandAnswerBody,
  HandBody,
} from '@xianfeng/shared';
import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OrgRef } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { badRequest, conflict, notFound, unprocessable } from '../../platform/errors';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, recordOrg } from '../../platform/route';
import { readDb } from '../../platform/db';
import type { Services } from '../../platform/services';
import { memberOfUser, orgOfMember } from '../member/service';
import { checkinKey, issueCheckinToken } from './checkin';
import { answerHand, handsQueue, setOwnHand } from './hands';
import { attendanceSummary, compliance, complianceRollup } from './compliance';
import { checkUpload, contentDisposition, fileStore, readUpload } from '../../platform/files';
import { normalizePhoto, photoName } from '../../platform/photos';
import { qrDataUrl } from '../../platform/qr-token';
import { findCjkFont, fontMissing, ledgerDocx, ledgerPdf, loadLedger } from './ledger';
import { inviteesOf } from './invitees';
import { meetingFile } from './schema';
import {
  ATTENDANCE_FILTERS,
  cancelMeeting,
  checkin,
  confirmMakeup,
  recordMakeupFor,
  createMeeting,
  createTalk,
  generatePlan,
  getInvitation,
  getMeeting,
  getMinutes,
  INVITATION_FILTERS,
  invitationFile,
  invitationsOf,
  listAttendance,
  listMeetings,
  listTalks,
  remindTalkSeats,
  talkCoverage,
  loadMeeting,
  orgOfAttendance,
  orgOfCheckin,
  orgOfMeeting,
  orgOfMeetingFile,
  orgOfMeetingFileManaged,
  publishMeeting,
  remindUnanswered,
  respond,
  saveMinutes,
  updateMeeting,
  pathsWith,
  castBallot,
  closeMotion,
  listStatements,
  markLeftEarly,
  meetingRoom,
  openMotion,
  orgOfOwnMeetingPart,
  postStatement,
  remoteCheckin,
  remoteCode,
} from './service';

const meetingTarget = recordOrg(orgOfMeeting);
const invitationTarget = recordOrg(orgOfAttendance);
const orgParam = { from: 'params' as const, key: 'id' };
const tags = ['meeting'];

const isoDate = z.iso.date('日期须为 YYYY-MM-DD');
const Period = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  quarter: z.coerce.number().int().min(1).max(4).optional(),
  month: z.coerce.number().int().min(1).max(12).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** A period given as year (+ quarter or month) or as from/to dates, as inclusive China dates. */
function periodOf(q: z.infer<typeof Period>): { from?: string; to?: string } {
  if (q.year) {
    if (q.quarter && q.month) throw badRequest('季度和月份只能二选一', undefined, 'VALIDATION_FAILED');
    const first = q.month ?? (q.quarter ? (q.quarter - 1) * 3 + 1 : 1);
    const last = q.month ?? (q.quarter ? q.quarter * 3 : 12);
    return { from: `${q.year}-${pad(first)}-01`, to: `${q.year}-${pad(last)}-${pad(lastDay(q.year, last))}` };
  }
  if (q.quarter || q.month) throw badRequest('按季度或月份查询时须同时给出年份', undefined, 'VALIDATION_FAILED');
  return { ...(q.from && { from: q.from }), ...(q.to && { to: q.to }) };
}

const Attendance = z.object({
  id: z.string(),
  meetingId: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  invited: z.boolean(),
  response: z.enum(['pending', 'confirmed', 'leave']),
  leaveReason: z.string().nullable(),
  respondedAt: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  checkinSubmittedAt: z.string().nullable(),
  checkinMethod: z.enum(CHECKIN_METHODS).nullable(),
  presence: z.enum(['in_person', 'online']).nullable(),
  leftEarlyAt: z.string().nullable(),
  seenAt: z.string().nullable(),
  late: z.boolean(),
  absentReason: z.string().nullable(),
  makeupDoneAt: z.string().nullable(),
  makeupReflection: z.string().nullable(),
  makeupOnBehalf: z.boolean(),
  viaFlow: z.boolean(),
});

export const meetingRoutes =
  ({ db, fieldCrypto, config }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    // The heavy read-only queries (statistics, exports, roll-ups) may run on a read replica (platform/replica.ts).
    const rdb = readDb(db);
    const key = checkinKey(fieldCrypto);
    // Read at request time, so the data folder is whatever the running config says.
    const store = fileStore(() => config.dataDir, config.s3);

    // ---- meetings ----------------------------------------------------------

    app.post(
      '/meetings',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '新建会议或活动（三会一课、主题党日等）',
        body: MeetingInput,
        response: { 201: Meeting },
      }),
      async (req, reply) => reply.status(201).send(await createMeeting(db, scopeOf(req), req.body)),
    );

    app.get(
      '/meetings',
      declared({
        access: { roles: RECORD_READERS, target: { from: 'query', key: 'orgId', optional: true } },
        tags,
        summary: '会议列表（组织及下级）',
        querystring: Paging.extend(Period.shape).extend({
          orgId: Uuid.optional(),
          kind: z.enum(MEETING_KINDS).optional(),
          status: z.enum(MEETING_STATUSES).optional(),
          q: z.string().trim().max(50).optional(),
          /** `soonest`: earliest first (what is coming up); default latest first. */
          order: z.enum(['latest', 'soonest']).optional(),
        }),
        response: { 200: Page(Meeting) },
      }),
      async (req) => {
        const { page, pageSize, kind, status, q, order, ...period } = req.query;
        const f = { kind, status, q, soonest: order === 'soonest', ...periodOf(period) };
        return listMeetings(db, scopeOf(req), f, page, pageSize);
      },
    );

    app.get(
      '/meetings/:id',
      onRecord({
        access: { roles: RECORD_READERS, target: meetingTarget },
        tags,
        summary: '会议详情',
        response: { 200: Meeting },
      }),
      async (req) => getMeeting(db, scopeOf(req), req.params.id),
    );

    app.patch(
      '/meetings/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '修改会议（调整计划日期、地点等）',
        body: MeetingPatch,
        response: { 200: Meeting },
      }),
      async (req) => updateMeeting(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/meetings/:id/cancel',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '取消会议',
        body: CancelBody,
        response: { 200: Meeting },
      }),
      async (req) => cancelMeeting(db, scopeOf(req), req.params.id, req.body.reason),
    );

    app.post(
      '/meetings/:id/publish',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary:
          '发布会议通知：按会议类型的默认名单（支委会=本届支委，党小组会=本小组，其余=全体党员），或指定名单（增减须写原因）',
        body: PublishBody,
        response: { 200: Meeting },
      }),
      async (req) => publishMeeting(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/meetings/:id/reminders',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '提醒未回复：通过通知服务提醒受邀而尚未回复的人员（每人每天最多一次）',
        response: { 200: ReplyReminderResult },
      }),
      async (req) => remindUnanswered(db, scopeOf(req), req.params.id),
    );

    app.get(
      '/meetings/:id/invitees',
      onRecord({
        access: { roles: RECORD_READERS, target: meetingTarget },
        tags,
        summary: '通知名单：按会议类型的默认名单、依据、提示，已通知的人员和名单调整（含原因）',
        response: { 200: InviteesReply },
      }),
      async (req) => inviteesOf(db, scopeOf(req), await loadMeeting(db, scopeOf(req).tenantId, req.params.id)),
    );

    app.post(
      '/orgs/:id/meeting-plan',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: orgParam },
        tags,
        summary: '按三会一课规则生成年度计划（已生成的不重复生成）',
        body: PlanBody,
        response: { 200: z.object({ year: z.number(), created: z.number(), skipped: z.number() }) },
      }),
      async (req) => generatePlan(db, scopeOf(req), req.body),
    );

    // ---- attendance ----------------------------------------------------------

    app.get(
      '/meetings/:id/attendance',
      onRecord({
        access: { roles: RECORD_READERS, target: meetingTarget },
        tags,
        summary: '参会情况：通知回复、请假、签到、补学（pending = 未回复）',
        querystring: Paging.extend({ filter: z.enum(ATTENDANCE_FILTERS).optional() }),
      }),
      async (req) =>
        listAttendance(db, scopeOf(req), req.params.id, req.query.filter, req.query.page, req.query.pageSize),
    );

    app.post(
      '/meetings/:id/checkin',
      onRecord({
        access: { roles: 'any', target: recordOrg(orgOfCheckin) },
        tags,
        summary:
          '签到：书记代签 {memberId}，或党员扫码 {token, lat?, lng?, queued?}；queued：手机离线时保存、联网后提交，按二维码内的时间计（24 小时内）；重复签到返回原记录',
        body: CheckinBody,
        response: { 200: Attendance.extend({ alreadySignedIn: z.boolean() }) },
      }),
      async (req) => checkin(db, key, scopeOf(req), req.params.id, req.body),
    );

    app.get(
      '/meetings/:id/checkin-qr',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '会场签到二维码（每分钟更换，几分钟内有效）',
        response: {
          200: z.object({
            token: z.string(),
            url: z.string(),
            dataUrl: z.string(),
            refreshAt: z.string(),
            expiresAt: z.string(),
          }),
        },
      }),
      async (req) => {
        const m = await loadMeeting(db, scopeOf(req).tenantId, req.params.id);
        if (m.status === 'cancelled') throw conflict('会议已取消', 'MEETING_CANCELLED');
        const t = issueCheckinToken(key, m.id);
        const url = `${req.protocol}://${req.host}/m/meetings/${m.id}/checkin?token=${encodeURIComponent(t.token)}`;
        const dataUrl = await qrDataUrl(url, 480);
        return { token: t.token, url, dataUrl, refreshAt: t.refreshAt, expiresAt: t.expiresAt };
      },
    );

    // ---- 网上过组织生活 (issue #27): remote sign-in, who is connected, statements, votes ---------

    /** The member's own part in a meeting: their org (a 党小组 member, a joint activity's guest), else the meeting's. */
    const ownPart = recordOrg(orgOfOwnMeetingPart);
    const Statement = z.object({
      id: z.string(),
      memberId: z.string(),
      name: z.string(),
      online: z.boolean(),
      text: z.string(),
      createdAt: z.string(),
    });
    const Motion = z.object({
      id: z.string(),
      title: z.string(),
      kind: z.enum(MOTION_KINDS),
      kindLabel: z.string(),
      status: z.enum(['open', 'closed']),
      openedAt: z.string(),
      closedAt: z.string().nullable(),
      cast: z.number(),
      tally: z
        .object({
          for: z.number(),
          against: z.number(),
          abstain: z.number(),
          entitled: z.number(),
          present: z.number(),
          online: z.number(),
          room: z.object({ for: z.number(), against: z.number(), abstain: z.number() }),
          onlineVotes: z.object({ for: z.number(), against: z.number(), abstain: z.number() }),
          passed: z.boolean(),
          problem: z.string().nullable(),
        })
        .nullable(),
      myChoice: z.enum(VOTE_CHOICES).nullable(),
    });
    const motionParams = { params: z.object({ id: Uuid, motionId: Uuid }) };

    app.get(
      '/meetings/:id/remote-code',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '线上签到码：主持人在会上宣读或展示的 6 位动态签到码（与会场二维码同步更换）',
        response: {
          200: z.object({
            code: z.string(),
            refreshAt: z.string(),
            expiresAt: z.string(),
            opensAt: z.string(),
            closesAt: z.string(),
          }),
        },
      }),
      async (req) => remoteCode(db, key, scopeOf(req), req.params.id),
    );

    app.post(
      '/meetings/:id/remote-checkin',
      onRecord({
        access: { roles: 'any', target: ownPart },
        tags,
        summary:
          '线上签到：受邀党员本人在签到时间内输入主持人宣读的签到码；重复签到、码错或过期、不在通知名单中均被拒绝',
        body: RemoteCheckinBody,
        response: { 200: Attendance },
      }),
      async (req) => remoteCheckin(db, key, scopeOf(req), req.params.id, req.body.code),
    );

    app.get(
      '/meetings/:id/room',
      onRecord({
        access: { roles: 'any', target: ownPart },
        tags,
        summary: '我的参会页：入会链接、我的签到、表决与发言（线上参会者的“在线”心跳）',
      }),
      async (req) => meetingRoom(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/meetings/:id/left-early',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '主持人标记已签到的党员早退离会',
        body: LeftEarlyBody,
        response: { 200: Attendance },
      }),
      async (req) => markLeftEarly(db, scopeOf(req), req.params.id, req.body.memberId),
    );

    // 举手: the member's own hand; the host's queue in order, calling on and clearing.
    const Hand = z.object({
      raisedAt: z.string().nullable(),
      calledAt: z.string().nullable(),
      position: z.number().nullable(),
    });
    const QueuedHand = z.object({
      position: z.number(),
      memberId: z.string(),
      name: z.string(),
      online: z.boolean(),
      raisedAt: z.string(),
      calledAt: z.string().nullable(),
    });
    app.post(
      '/meetings/:id/hand',
      onRecord({
        access: { roles: 'any', target: ownPart },
        tags,
        summary: '举手 / 放下：已签到的党员在会议期间举手请求发言（本人）',
        body: HandBody,
        response: { 200: Hand },
      }),
      async (req) => setOwnHand(db, scopeOf(req), req.params.id, req.body.raised),
    );
    app.get(
      '/meetings/:id/hands',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '举手队列：按举手先后排列（主持人）',
        querystring: Paging,
        response: { 200: Page(QueuedHand) },
      }),
      async (req) => handsQueue(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.post(
      '/meetings/:id/hands/:memberId',
      declared({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '主持人点名举手的党员发言（call）或放下其举手（clear）',
        params: z.object({ id: Uuid, memberId: Uuid }),
        body: HandAnswerBody,
        response: { 200: Page(QueuedHand) },
      }),
      async (req) => answerHand(db, scopeOf(req), req.params.id, req.params.memberId, req.body.action),
    );

    app.get(
      '/meetings/:id/statements',
      onRecord({
        access: { roles: 'any', target: ownPart },
        tags,
        summary: '会上发言（按时间顺序，分页）',
        querystring: Paging,
        response: { 200: Page(Statement) },
      }),
      async (req) => listStatements(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );

    app.post(
      '/meetings/:id/statements',
      onRecord({
        access: { roles: 'any', target: ownPart },
        tags,
        summary: '发言：已签到的党员提交书面发言，署名写入会议记录草稿',
        body: StatementBody,
        response: { 201: Statement },
      }),
      async (req, reply) => reply.code(201).send(await postStatement(db, scopeOf(req), req.params.id, req.body.text)),
    );

    app.post(
      '/meetings/:id/motions',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '发起网上表决（党员大会、支委会；选举、接收预备党员、转正不能网上表决，拒绝并注明依据）',
        body: MotionBody,
        response: { 201: Motion },
      }),
      async (req, reply) => reply.code(201).send(await openMotion(db, scopeOf(req), req.params.id, req.body)),
    );

    app.post(
      '/meetings/:id/motions/:motionId/close',
      declared({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '结束表决：登记会场举手票数，与线上票合计，按应到会有表决权人数计票',
        ...motionParams,
        body: CloseMotionBody,
        response: { 200: Motion },
      }),
      async (req) => closeMotion(db, scopeOf(req), req.params.id, req.params.motionId, req.body.room),
    );

    app.post(
      '/meetings/:id/motions/:motionId/ballots',
      declared({
        access: { roles: 'any', target: ownPart },
        tags,
        summary: '投票：到会（现场或线上）的受邀正式党员每人一票；预备党员、重复投票、表决结束后均被拒绝',
        ...motionParams,
        body: BallotBody,
        response: {
          200: z.object({
            motionId: z.string(),
            choice: z.enum(VOTE_CHOICES),
            choiceLabel: z.string(),
            online: z.boolean(),
          }),
        },
      }),
      async (req) => castBallot(db, scopeOf(req), req.params.id, req.params.motionId, req.body.choice),
    );

    // ---- minutes and files ------------------------------------------------------

    app.get(
      '/meetings/:id/minutes',
      onRecord({
        access: { roles: RECORD_READERS, target: meetingTarget },
        tags,
        summary: '会议记录（出席、缺席由签到计算）',
      }),
      async (req) => getMinutes(db, scopeOf(req).tenantId, req.params.id, pathsWith(scopeOf(req), RECORD_READERS)),
    );

    app.put(
      '/meetings/:id/minutes',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '填写或修改会议记录（会议开始后）',
        body: MinutesBody,
      }),
      async (req) => saveMinutes(db, scopeOf(req), req.params.id, req.body),
    );

    const FileView = z.object({
      id: z.string(),
      meetingId: z.string(),
      kind: z.string(),
      fileName: z.string(),
      mime: z.string(),
      size: z.number(),
      width: z.number().nullable(),
      height: z.number().nullable(),
      createdAt: z.string(),
      url: z.string(),
    });
    const fileView = (f: typeof meetingFile.$inferSelect) => ({
      id: f.id,
      meetingId: f.meetingId,
      kind: f.kind,
      fileName: f.fileName,
      mime: f.mime,
      size: f.size,
      width: f.width,
      height: f.height,
      createdAt: f.createdAt.toISOString(),
      url: `/api/v1/meeting-files/${f.id}`,
    });

    app.post(
      '/meetings/:id/files',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '上传会议照片或附件（multipart 字段 file；照片须为图片，每个不超过 10 MB）',
        querystring: z.object({ kind: z.enum(['photo', 'attachment']).default('photo') }),
        consumes: ['multipart/form-data'],
        response: { 201: FileView },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const m = await loadMeeting(db, scope.tenantId, req.params.id);
        if (m.status === 'cancelled') throw conflict('会议已取消，不能上传', 'MEETING_CANCELLED');
        if (req.query.kind === 'photo' && m.startsAt.getTime() > nowMs())
          throw unprocessable('会议尚未开始，不能上传活动照片', undefined, 'MEETING_NOT_STARTED');
        const upload = await readUpload(req);
        const checked = checkUpload(req.query.kind, upload.data, upload.fileName);
        // A photo is kept re-encoded: upright, ≤ 2048 px, JPEG, without EXIF/GPS (platform/photos.ts).
        const { data, sniffed } =
          req.query.kind === 'photo'
            ? await normalizePhoto(upload.data, checked)
            : { data: upload.data, sniffed: checked };
        const fileName = req.query.kind === 'photo' ? photoName(upload.fileName) : upload.fileName;
        const row = await store.keep('meeting', scope.tenantId, { data, fileName }, sniffed, (file) =>
          db.transaction(async (tx) => {
            const [created] = await tx
              .insert(meetingFile)
              .values({
                ...file,
                tenantId: scope.tenantId,
                meetingId: m.id,
                kind: req.query.kind,
                width: sniffed.width,
                height: sniffed.height,
                uploadedBy: scope.actor.userId,
              })
              .returning();
            await writeAudit(tx, scope.actor, {
              action: 'meeting.file.upload',
              entityType: 'meeting_file',
              entityId: file.id,
              org: scope.org,
              after: {
                meetingId: m.id,
                kind: req.query.kind,
                fileName,
                mime: file.mime,
                size: file.size,
                sha256: file.sha256,
              },
            });
            return created!;
          }),
        );
        return reply.status(201).send(fileView(row));
      },
    );

    app.delete(
      '/meeting-files/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfMeetingFileManaged) },
        tags,
        summary: '删除上传错的会议照片或附件（记入审计日志；台账下载时随之更新）',
        body: z.strictObject({ reason: z.string().trim().max(200).optional() }).optional(),
        response: { 200: z.object({ id: z.string(), fileName: z.string() }) },
      }),
      async (req) => {
        const scope = scopeOf(req);
        const removed = await db.transaction(async (tx) => {
          const [f] = await tx
            .select()
            .from(meetingFile)
            .where(and(eq(meetingFile.tenantId, scope.tenantId), eq(meetingFile.id, req.params.id)))
            .for('update');
          if (!f) throw notFound();
          const m = await loadMeeting(tx, scope.tenantId, f.meetingId);
          if (m.status === 'cancelled') throw conflict('会议已取消，不能再修改照片和附件', 'MEETING_CANCELLED');
          await tx.delete(meetingFile).where(and(eq(meetingFile.tenantId, scope.tenantId), eq(meetingFile.id, f.id)));
          await writeAudit(tx, scope.actor, {
            action: 'meeting.file.delete',
            entityType: 'meeting_file',
            entityId: f.id,
            org: scope.org,
            before: {
              meetingId: f.meetingId,
              kind: f.kind,
              fileName: f.fileName,
              mime: f.mime,
              size: f.size,
              sha256: f.sha256,
            },
            after: { reason: req.body?.reason ?? null },
          });
          return f;
        });
        // The bytes go once the row is gone; the audit entry keeps name, size and hash.
        await store.remove(removed.storageKey).catch(() => undefined);
        return { id: removed.id, fileName: removed.fileName };
      },
    );

    app.get(
      '/meetings/:id/files',
      onRecord({
        access: { roles: RECORD_READERS, target: meetingTarget },
        tags,
        summary: '会议照片和附件',
        querystring: Paging,
        response: { 200: Page(FileView) },
      }),
      async (req) => {
        const { page, pageSize } = req.query;
        const where = and(eq(meetingFile.tenantId, scopeOf(req).tenantId), eq(meetingFile.meetingId, req.params.id));
        const rows = await db
          .select()
          .from(meetingFile)
          .where(where)
          .orderBy(meetingFile.createdAt)
          .limit(pageSize)
          .offset((page - 1) * pageSize);
        const total = await db.$count(meetingFile, where);
        return { items: rows.map(fileView), total };
      },
    );

    app.get(
      '/meeting-files/:id',
      onRecord({ access: { roles: 'any', target: recordOrg(orgOfMeetingFile) }, tags, summary: '下载会议照片或附件' }),
      async (req, reply) => {
        const [f] = await db
          .select()
          .from(meetingFile)
          .where(and(eq(meetingFile.tenantId, scopeOf(req).tenantId), eq(meetingFile.id, req.params.id)));
        if (!f) throw notFound();
        return store.send(reply, f);
      },
    );

    // ---- the member's side --------------------------------------------------------

    const meOrFail = async (tenantId: string, userId: string) => {
      const self = await memberOfUser(db, tenantId, userId);
      if (!self) throw notFound('您的账号未关联党员信息');
      return self;
    };

    app.get(
      '/meeting-invitations/mine',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的会议通知：待参加（upcoming）、待补学（makeup）或全部',
        querystring: Paging.extend({
          filter: z.enum(INVITATION_FILTERS).default('upcoming'),
          year: z.coerce.number().int().min(2000).max(2100).optional(),
        }),
      }),
      async (req) => {
        const scope = scopeOf(req);
        const self = await meOrFail(scope.tenantId, scope.principal.user.id);
        return invitationsOf(
          db,
          scope.tenantId,
          self.id,
          req.query.filter,
          req.query.year,
          req.query.page,
          req.query.pageSize,
        );
      },
    );

    app.get(
      '/meeting-invitations/:id',
      onRecord({
        access: { roles: 'any', target: invitationTarget },
        tags,
        summary: '会议通知详情（已召开的附补学材料）',
      }),
      async (req) => getInvitation(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/meeting-invitations/:id/respond',
      onRecord({
        access: { roles: 'any', target: invitationTarget },
        tags,
        summary: '回复会议通知：确认参加，或请假并说明事由',
        body: RespondBody,
        response: { 200: Attendance },
      }),
      async (req) => respond(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/meeting-invitations/:id/makeup',
      onRecord({
        access: { roles: 'any', target: invitationTarget },
        tags,
        summary: '缺席党员确认补学并提交学习体会',
        body: MakeupBody,
        response: { 200: Attendance },
      }),
      async (req) => confirmMakeup(db, scopeOf(req), req.params.id, req.body),
    );
    // 代为填写 (issue 24): a member without a phone tells the branch they studied the materials; the branch enters it.
    app.post(
      '/meetings/:id/makeup',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: meetingTarget },
        tags,
        summary: '代为确认补学：党员没有手机，口述学习体会，由书记代为录入（记录中标明代为填写，审计中记下原因）',
        body: MakeupProxyBody,
        response: { 200: Attendance },
      }),
      async (req) => recordMakeupFor(db, scopeOf(req), req.params.id, req.body),
    );

    app.get(
      '/meeting-invitations/:id/files/:fileId',
      declared({
        access: { roles: 'any', target: invitationTarget },
        tags,
        summary: '补学材料：会议照片或附件',
        params: z.object({ id: Uuid, fileId: Uuid }),
      }),
      async (req, reply) => store.send(reply, await invitationFile(db, scopeOf(req), req.params.id, req.params.fileId)),
    );

    const Participation = Paging.extend({ year: z.coerce.number().int().min(2000).max(2100).optional() });
    app.get(
      '/members/:id/meetings',
      onRecord({
        access: { roles: RECORD_READERS, target: recordOrg(orgOfMember) },
        tags,
        summary: '党员参加组织生活记录',
        querystring: Participation,
      }),
      async (req) =>
        invitationsOf(
          db,
          scopeOf(req).tenantId,
          req.params.id,
          'all',
          req.query.year,
          req.query.page,
          req.query.pageSize,
        ),
    );

    app.get(
      '/members/me/meetings',
      declared({ access: { roles: 'any' }, tags, summary: '我参加组织生活的记录', querystring: Participation }),
      async (req) => {
        const scope = scopeOf(req);
        const self = await meOrFail(scope.tenantId, scope.principal.user.id);
        return invitationsOf(db, scope.tenantId, self.id, 'all', req.query.year, req.query.page, req.query.pageSize);
      },
    );

    // ---- 谈心谈话 ----------------------------------------------------------------

    app.post(
      '/talks',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '记录谈心谈话',
        body: TalkInput,
      }),
      async (req, reply) => reply.status(201).send(await createTalk(db, scopeOf(req), req.body)),
    );

    app.get(
      '/talks',
      declared({
        access: { roles: RECORD_READERS, target: { from: 'query', key: 'orgId', optional: true } },
        tags,
        summary: '谈心谈话记录（组织及下级）',
        querystring: Paging.extend({
          orgId: Uuid.optional(),
          year: z.coerce.number().int().min(2000).max(2100).optional(),
          memberId: Uuid.optional(),
          talkerMemberId: Uuid.optional(),
        }),
      }),
      async (req) =>
        listTalks(
          db,
          scopeOf(req),
          { year: req.query.year, memberId: req.query.memberId, talkerMemberId: req.query.talkerMemberId },
          req.query.page,
          req.query.pageSize,
        ),
    );

    app.get(
      '/orgs/:id/talk-coverage',
      onRecord({
        access: { roles: RECORD_READERS, target: orgParam },
        tags,
        summary: '谈心谈话年度覆盖：每名现任委员与每名党员是否已谈（未谈完的在前）',
        querystring: Paging.extend({
          year: z.coerce.number().int('年度须为整数').min(2000, '年度不正确').max(2100, '年度不正确').optional(),
          gaps: z.stringbool().default(false),
        }),
        response: { 200: TalkCoverage },
      }),
      async (req) =>
        talkCoverage(
          db,
          scopeOf(req),
          req.query.year ?? Number(todayInChina().slice(0, 4)),
          req.query.gaps,
          req.query.page,
          req.query.pageSize,
        ),
    );

    app.post(
      '/orgs/:id/talk-reminders',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: orgParam },
        tags,
        summary: '提醒尚未与全部党员谈心谈话的现任委员（每人每天最多一次）',
        response: { 200: TalkReminderResult },
      }),
      async (req) => remindTalkSeats(db, scopeOf(req)),
    );

    // ---- compliance and 台账 --------------------------------------------------------

    app.get(
      '/orgs/:id/compliance',
      onRecord({
        access: { roles: RECORD_READERS, target: orgParam },
        tags,
        summary: '三会一课落实情况：按年（或季度、月）对照规定，逐项给出应开、实开和依据',
        querystring: ComplianceQuery,
        response: { 200: ComplianceReply },
      }),
      async (req) => {
        const { includeLocal, due, ...view } = req.query;
        const reply = await compliance(
          rdb,
          scopeOf(req).tenantId,
          scopeOf(req).org,
          view,
          includeLocal,
          todayInChina(),
          due,
        );
        return { ...reply, attendance: await attendanceSummary(rdb, scopeOf(req).tenantId, scopeOf(req).org, view) };
      },
    );

    app.get(
      '/orgs/:id/compliance/rollup',
      onRecord({
        access: { roles: RECORD_READERS, target: orgParam },
        tags,
        summary: '下级党支部落实情况汇总（落后的在前）',
        querystring: z.intersection(ComplianceQuery, Paging.extend({ behindOnly: z.stringbool().default(false) })),
        response: {
          200: z.object({
            items: z.array(ComplianceRollupRow),
            total: z.number(),
            asOf: z.string(),
            rules: z.array(
              z.object({
                rule: z.string(),
                label: z.string(),
                citation: z.string(),
                local: z.boolean(),
                from: z.string(),
                to: z.string(),
              }),
            ),
          }),
        },
      }),
      async (req) => {
        // `due` is for the one-org view (the 工作台 card); the roll-up keeps the page's own windows.
        const { includeLocal, behindOnly, page, pageSize, due: _due, ...view } = req.query;
        const scope = scopeOf(req);
        return complianceRollup(rdb, scope.tenantId, scope.org, view, { includeLocal, behindOnly, page, pageSize });
      },
    );

    app.get(
      '/orgs/:id/meeting-ledger',
      onRecord({
        access: { roles: RECORD_READERS, target: orgParam },
        tags,
        summary: '生成组织生活台账（.docx 或 .pdf）：期间内已召开会议的记录、签到和照片',
        querystring: Period.extend({ format: z.enum(['docx', 'pdf']).default('docx') }),
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const { format, ...period } = req.query;
        const p = periodOf(period);
        if (!p.from || !p.to)
          throw badRequest('请给出年份（可加季度或月份），或起止日期 from、to', undefined, 'PERIOD_REQUIRED');
        if (format === 'pdf' && !findCjkFont()) throw fontMissing();
        const ledger = await loadLedger(
          db,
          store,
          scope.tenantId,
          scope.org as OrgRef,
          p.from,
          p.to,
          pathsWith(scope, RECORD_READERS),
        );
        const name = `${scope.org.name}组织生活台账-${p.from}至${p.to}.${format}`;
        const body = format === 'pdf' ? await ledgerPdf(ledger) : await ledgerDocx(ledger);
        return reply
          .header(
            'content-type',
            format === 'pdf'
              ? 'application/pdf'
              : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          )
          .header('content-disposition', contentDisposition(name))
          .send(body);
      },
    );
  };
