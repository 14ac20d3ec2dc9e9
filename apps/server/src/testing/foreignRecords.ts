/**
 * Records of one org outside the narrow demo scopes (FOREIGN_ORG), one per kind of id a route takes in its path,
 * keyed by the path's first segment after /api/v1 (`members`, `dues-bills`, …): the demo's own rows where it has
 * them, probe rows inserted here where it has none. The authorization matrix probes every route with them
 * (platform/authz.test.ts), and the tenant-scope test walks every GET route on them (platform/tenant-sql.test.ts).
 */
import crypto from 'node:crypto';
import { nowMs, type Role } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { notifyRobot } from '../modules/notify/schema';
import { queryRows } from '../platform/db';
import { AUTHZ_MATRIX, type Allowed } from './authz-matrix';
import type { TestApp } from './harness';

/** One demo account per role; `shuji` (a branch) and `dianli` (a subsidiary) have narrow scopes. */
export const ACCOUNTS: Record<Role, string> = {
  admin: 'admin',
  org_admin: 'dianli',
  secretary: 'shuji',
  member: 'dangyuan',
  auditor: 'shenji',
};

/** An org outside both narrow scopes (the branch secretary's and the subsidiary's org admin's). */
export const FOREIGN_ORG = '研发中心党支部';
export const SOME_UUID = '00000000-0000-4000-8000-000000000000';

/** `adminToken`: a tenant admin's (makes a transfer of a member of the org). */
export async function foreignRecords(t: TestApp, adminToken: string): Promise<Record<string, string>> {
  const FOREIGN: Record<string, string> = {};
  const foreign = await t.orgId(FOREIGN_ORG);
  const receiving = await t.orgId('集团机关第一党支部');
  const [m] = await queryRows<{ id: string }>(
    t.services.db,
    sql`select id from member where org_id = ${foreign} limit 1`,
  );
  const transfer = await t.request({
    method: 'POST',
    url: `/api/v1/members/${m!.id}/transfers`,
    token: adminToken,
    body: { direction: 'internal', toOrgId: receiving, reason: '矩阵测试' },
  });
  const jobId = await t.services.jobs.enqueue({ tenantId: t.tenantId, kind: 'authz-probe', createdBy: null });
  // The demo's meetings of the foreign branch, one of its invitations, and a file row of it.
  const [meeting] = await queryRows<{ id: string }>(
    t.services.db,
    sql`select id from meeting where org_id = ${foreign} limit 1`,
  );
  const [invitation] = await queryRows<{ id: string }>(
    t.services.db,
    sql`select id from meeting_attendance where org_id = ${foreign} limit 1`,
  );
  const [file] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into meeting_file (tenant_id, meeting_id, kind, file_name, mime, size, sha256, storage_key)
          values (${t.tenantId}, ${meeting!.id}, 'photo', 'probe.png', 'image/png', 1, '-', 'meeting/probe.png') returning id`,
  );
  // A 发展党员 person record of the foreign branch (demo data).
  const [person] = await queryRows<{ id: string }>(
    t.services.db,
    sql`select id from develop_person where org_id = ${foreign} limit 1`,
  );
  /** The id of the demo's first row of `table` in the foreign org (SOME_UUID when it has none). */
  const demoRow = async (table: string) =>
    (
      await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from ${sql.raw(table)} where org_id = ${foreign} limit 1`,
      )
    )[0]?.id ?? SOME_UUID;
  // The demo's dues records of the foreign branch (bills, a paid payment, an exemption, a correction, a usage).
  Object.assign(FOREIGN, {
    'dues-bills': await demoRow('dues_bill'),
    'dues-payments': await demoRow('dues_payment'),
    'dues-exemptions': await demoRow('dues_exemption'),
    'dues-corrections': await demoRow('dues_correction'),
    'dues-usages': await demoRow('dues_usage'),
  });
  // 学习教育 records of the foreign branch: its own published article, question and exam (probe rows),
  // and a demo exam attempt of one of its members.
  const learnRow = async (q: ReturnType<typeof sql>) => (await queryRows<{ id: string }>(t.services.db, q))[0]!.id;
  const learnQuestionId = await learnRow(
    sql`insert into learn_question (tenant_id, org_id, kind, stem, options, answer)
          values (${t.tenantId}, ${foreign}, 'judge', '探针题目', '["正确","错误"]'::jsonb, '[0]'::jsonb) returning id`,
  );
  Object.assign(FOREIGN, {
    'learn-items': await learnRow(
      sql`insert into learn_item (tenant_id, org_id, kind, title, title_initials, published_at, created_by)
            values (${t.tenantId}, ${foreign}, 'article', '探针百科', 'tzbk', now(), 'probe') returning id`,
    ),
    'learn-questions': learnQuestionId,
    'learn-exams': await learnRow(
      sql`insert into learn_exam (tenant_id, org_id, title, question_ids, pass_score, minutes, max_attempts, opens_on, closes_on, created_by)
            values (${t.tenantId}, ${foreign}, '探针考试', ${JSON.stringify([learnQuestionId])}::jsonb, 60, 10, 1, '2000-01-01', '2099-12-31', 'probe') returning id`,
    ),
    'learn-attempts': await learnRow(sql`select id from learn_attempt where org_id = ${foreign} limit 1`),
  });
  // 宣传: a published article of the foreign branch (probe row).
  Object.assign(FOREIGN, {
    'media-articles': await learnRow(
      sql`insert into media_article (tenant_id, org_id, channel, title, body, status, published_at, review_org_id, created_by)
            values (${t.tenantId}, ${foreign}, '基层动态', '探针文章', '{"version":1,"blocks":[]}'::jsonb, 'published', now(), ${foreign}, 'probe') returning id`,
    ),
  });
  // 网上课堂: a published lecture of the foreign branch, live now, and a question asked in it (probe rows).
  const [lecture] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into media_lecture (tenant_id, org_id, title, speaker, starts_at, ends_at, stream_url, status, published_at, created_by)
          values (${t.tenantId}, ${foreign}, '探针讲座', '探针', ${new Date(nowMs() - 3_600_000).toISOString()}::timestamptz, ${new Date(nowMs() + 3_600_000).toISOString()}::timestamptz,
                  'https://live.example.cn/probe', 'published', now(), 'probe') returning id`,
  );
  const [asker] = await queryRows<{ id: string }>(
    t.services.db,
    sql`select id from app_user where username = 'shuji2'`,
  );
  const [lectureQuestion] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into media_lecture_question (tenant_id, lecture_id, user_id, asker_name, text) values (${t.tenantId}, ${lecture!.id}, ${asker!.id}, '刘芳', '探针提问') returning id`,
  );
  Object.assign(FOREIGN, { 'media-lectures': lecture!.id, 'media-lecture-questions': lectureQuestion!.id });
  // 宣传 comments: a held comment of 刘芳 (shuji2) on the foreign branch's article (probe row).
  const [heldComment] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into media_comment (tenant_id, article_id, org_id, user_id, author_name, text, status, hits)
          values (${t.tenantId}, ${FOREIGN['media-articles']!}, ${foreign}, ${asker!.id}, '刘芳', '探针评论：赌博', 'held', '["赌博"]'::jsonb) returning id`,
  );
  FOREIGN['media-comments'] = heldComment!.id;
  // 微视频征集: a campaign of the foreign branch (judged by 刘芳) and an entry of one of its members (probe rows).
  const [contest] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into media_contest (tenant_id, org_id, title, rules, submit_from, submit_to, rubric, public_vote, created_by)
          values (${t.tenantId}, ${foreign}, '探针征集', '探针', '2000-01-01', '2099-12-31', '[{"name":"主题","max":10}]'::jsonb, true, 'probe') returning id`,
  );
  const [contestEntry] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into media_contest_entry (tenant_id, contest_id, member_id, org_id, author_name, title)
          select ${t.tenantId}, ${contest!.id}, m.id, m.org_id, m.name, '探针作品' from member m where m.org_id = ${foreign} limit 1 returning id`,
  );
  Object.assign(FOREIGN, { 'media-contests': contest!.id, 'media-contest-entries': contestEntry!.id });
  // Another user's notice, and a group robot of the foreign branch.
  const [stranger] = await queryRows<{ id: string }>(
    t.services.db,
    sql`select id from app_user where username = 'admin'`,
  );
  const [notice] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into notification (tenant_id, user_id, kind, title, body, dedupe_key) values (${t.tenantId}, ${stranger!.id}, 'notify.test', '探测', '探测', 'authz-probe') returning id`,
  );
  const robotId = crypto.randomUUID();
  const robotUrl = t.services.fieldCrypto.encrypt(
    'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=probe',
    notifyRobot.urlEnc,
    robotId,
  );
  const [robot] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into notify_robot (id, tenant_id, org_id, provider, name, url_enc) values (${robotId}, ${t.tenantId}, ${foreign}, 'wecom', '探测', ${robotUrl}) returning id`,
  );
  // 互动 records of the foreign branch: the demo's opinion, thread, survey and vote; a letter to its
  // 纪检委员 and an attachment row made here.
  const [shuji2] = await queryRows<{ id: string }>(
    t.services.db,
    sql`select id from app_user where username = 'shuji2'`,
  );
  const [letter] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into voice_letter (tenant_id, org_id, position, from_user_id, from_org_id, from_name, subject_enc, status)
          values (${t.tenantId}, ${foreign}, '纪检委员', ${shuji2!.id}, ${foreign}, '刘芳', 'v1.probe', 'unread') returning id`,
  );
  const thread = await demoRow('voice_thread');
  const [post] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into voice_post (tenant_id, thread_id, org_id, body, author_user_id, author_name)
          values (${t.tenantId}, ${thread}, ${foreign}, '探针', ${shuji2!.id}, '刘芳') returning id`,
  );
  const [attachment] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into voice_attachment (tenant_id, thread_id, org_id, file_name, mime, size, sha256, storage_key, uploaded_by)
          values (${t.tenantId}, ${thread}, ${foreign}, 'probe.png', 'image/png', 1, '-', 'voice/probe.png', ${shuji2!.id}) returning id`,
  );
  const foreignOpinion = await demoRow('voice_opinion');
  const [opinionFile] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into voice_opinion_file (tenant_id, opinion_id, file_name, mime, size, sha256, storage_key, uploaded_by)
          values (${t.tenantId}, ${foreignOpinion}, 'probe.png', 'image/png', 1, '-', 'voice/probe.png', ${shuji2!.id}) returning id`,
  );
  const [letterMessage] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into voice_letter_message (tenant_id, letter_id, side, author_user_id, author_name, body_enc)
          values (${t.tenantId}, ${letter!.id}, 'sender', ${shuji2!.id}, '刘芳', 'v1.probe') returning id`,
  );
  const [letterFile] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into voice_letter_file (tenant_id, letter_id, message_id, file_name_enc, mime, size, sha256, storage_key, uploaded_by)
          values (${t.tenantId}, ${letter!.id}, ${letterMessage!.id}, 'v1.probe', 'image/png', 1, '-', 'voice/probe.sealed', ${shuji2!.id}) returning id`,
  );
  Object.assign(FOREIGN, {
    'voice-letter-messages': letterMessage!.id,
    'voice-letter-files': letterFile!.id,
    'voice-opinions': foreignOpinion,
    'voice-opinion-files': opinionFile!.id,
    'voice-letters': letter!.id,
    'voice-threads': thread,
    'voice-posts': post!.id,
    'voice-attachments': attachment!.id,
    'voice-surveys': await demoRow('voice_survey'),
    'voice-votes': await demoRow('voice_vote'),
  });
  FOREIGN['voice-candidates'] =
    (
      await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from voice_candidate where vote_id = ${FOREIGN['voice-votes']!} limit 1`,
      )
    )[0]?.id ?? SOME_UUID;
  // 思想汇报: a report of a member of the foreign branch (probe row; its text is never opened by these probes).
  Object.assign(FOREIGN, {
    'thought-persons': person!.id,
    'thought-reports': await learnRow(
      sql`insert into thought_report (tenant_id, org_id, member_id, period, title, text_enc)
            values (${t.tenantId}, ${foreign}, ${m!.id}, '2026-Q4', '探针汇报', 'v2.probe') returning id`,
    ),
  });
  // 志愿服务: an activity of the foreign branch (starting tomorrow) with one of its members signed up (probe rows).
  const [activity] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into volunteer_activity (tenant_id, org_id, title, place, starts_at, ends_at, slots, created_by)
          values (${t.tenantId}, ${foreign}, '探针活动', '探针地点', ${new Date(nowMs() + 86_400_000).toISOString()}::timestamptz,
                  ${new Date(nowMs() + 90_000_000).toISOString()}::timestamptz, 5, 'probe') returning id`,
  );
  const [signup] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into volunteer_signup (tenant_id, activity_id, member_id, org_id, signed_up_at)
          values (${t.tenantId}, ${activity!.id}, ${m!.id}, ${foreign}, now()) returning id`,
  );
  Object.assign(FOREIGN, {
    'volunteer-activities': activity!.id,
    'volunteer-signups': signup!.id,
    'volunteer-members': m!.id,
  });
  // 整改: the demo's item of the foreign branch.
  Object.assign(FOREIGN, {
    'supervise-rectifications': await demoRow('supervise_rectification'),
    'supervise-commitments': await demoRow('supervise_commitment'),
  });
  // 考核: a plan of the foreign branch's subtree with the branch as its assessed org (probe rows).
  const [assessPlanRow] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into assess_plan (tenant_id, org_id, title, year, items, created_by)
          values (${t.tenantId}, ${foreign}, '探针考核', 2026, '[]'::jsonb, 'probe') returning id`,
  );
  const [assessUnitRow] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into assess_unit (tenant_id, plan_id, org_id, parent_id)
          select ${t.tenantId}, ${assessPlanRow!.id}, id, parent_id from org where id = ${foreign} returning id`,
  );
  Object.assign(FOREIGN, { 'assess-plans': assessPlanRow!.id, 'assess-units': assessUnitRow!.id });
  // 困难帮扶: a case of a member of the foreign branch (probe row).
  const [hardship] = await queryRows<{ id: string }>(
    t.services.db,
    sql`insert into hardship_case (tenant_id, org_id, member_id, level, situation_enc, created_by)
          values (${t.tenantId}, ${foreign}, ${m!.id}, 'general', 'v2.probe', 'probe') returning id`,
  );
  Object.assign(FOREIGN, { 'hardship-cases': hardship!.id });
  // 云地图: the demo's place of the foreign branch.
  Object.assign(FOREIGN, {
    'service-places': await demoRow('service_place'),
  });
  Object.assign(FOREIGN, {
    notifications: notice!.id,
    'notify-robots': robot!.id,
    orgs: foreign,
    members: m!.id,
    transfers: transfer.body.id,
    jobs: jobId,
    meetings: meeting!.id,
    'meeting-invitations': invitation!.id,
    'meeting-files': file!.id,
    develop: person!.id,
  });
  return FOREIGN;
}

/**
 * Every GET route once per role that shows most of it: the member's own pages as the member, everything else as
 * admin (as auditor where admin may not), and as the branch secretary too where allowed (some reads reveal full
 * numbers only to a secretary); a path id is the foreign record of its kind (routes without one are left out).
 */
export function getWalk(
  routes: { method: string; url: string }[],
  foreign: Record<string, string>,
): { key: string; url: string; roles: Role[] }[] {
  const allows = (a: Allowed, role: Role) => a === 'any' || (Array.isArray(a) && a.includes(role));
  const out: { key: string; url: string; roles: Role[] }[] = [];
  for (const r of routes.filter((x) => x.method === 'GET')) {
    const key = `${r.method} ${r.url}`;
    const entry = AUTHZ_MATRIX[key];
    if (!entry) continue;
    const roles: Role[] =
      entry === 'public' || entry === 'any' ? ['member', 'admin'] : allows(entry, 'admin') ? ['admin'] : ['auditor'];
    if (entry !== 'public' && allows(entry, 'secretary')) roles.push('secretary');
    const id = foreign[r.url.split('/')[3]!];
    if (r.url.includes(':') && !id) continue;
    out.push({ key, url: r.url.includes(':') ? r.url.replace(/:[A-Za-z]+/g, id!) : r.url, roles });
  }
  return out;
}
