/**
 * Demo 互动: opinions at every stage (answered and rated, anonymous, from an employee's code and
 * overdue, just in), a letter to the branch secretary with its reply, branch forum threads, an open
 * 满意度测评, an ended 下考上 with employees' answers, open votes on 亮点工程 and 优秀共产党员, and the
 * demo 纪检委员 account (`jijian`) who reads letters to the 纪检委员 of 第一发电厂党支部. Dates are
 * relative to today.
 */
import { addDays, now, todayInChina, type Answer, type SurveyQuestion } from '@xianfeng/shared';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import crypto from 'node:crypto';
import type { FieldCrypto } from '../../platform/crypto';
import type { Tx } from '../../platform/db';
import { appUser } from '../../platform/schema';
import { seededRandom } from '../../demo/people';
import { member } from '../member/service';
import { committeeMember, orgTerm } from '../org/service';
import { codeHash, newCode, randomSortKey } from './common';
import { sealedMessage } from './letters';
import {
  voiceCandidate,
  voiceCode,
  voiceCodeBatch,
  voiceLetter,
  voiceLetterMessage,
  voiceOpinion,
  voiceOpinionStep,
  voicePost,
  voiceSetting,
  voiceSurvey,
  voiceSurveyResponse,
  voiceThread,
  voiceVote,
} from './schema';

const DAY = 86_400_000;

type DemoOpinion = {
  org: string;
  category: string;
  title: string;
  body: string;
  author: string | null;
  channel?: 'member' | 'code';
  anonymous?: boolean;
  daysAgo: number;
  dueDays?: number;
  allowPublic?: boolean;
  steps: { after: number; action: string; actor: string; note?: string }[];
  answer?: { text: string; by: string; after: number; publish?: boolean };
  rating?: { value: number; comment?: string; after: number };
  handler?: string;
};

const OPINIONS: DemoOpinion[] = [
  {
    org: '第一发电厂党支部',
    category: 'suggestion',
    title: '建议主题党日避开倒班人员的夜班后半天',
    body: '运行部门四班三倒，主题党日常安排在周三下午，夜班下班的同志很难参加。建议每月提前一周公布时间，并为倒班人员安排一次补学。',
    author: '陈志远',
    daysAgo: 40,
    allowPublic: true,
    steps: [{ after: 2, action: 'assigned', actor: '张建国（书记）', note: '交办给 张建国（书记）' }],
    answer: {
      text: '感谢建议。支委会研究决定：自下月起主题党日固定在每月第二周周四上午，提前 10 天在平台发布通知；倒班人员可在一周内通过平台补学并由党小组长组织一次集中讨论。',
      by: '张建国（书记）',
      after: 9,
      publish: true,
    },
    rating: { value: 5, comment: '很快就改了，倒班的同志都能参加了。', after: 12 },
  },
  {
    org: '第一发电厂党支部',
    category: 'complaint',
    title: '夜班食堂供餐时间太短',
    body: '夜班食堂只在 0:00–0:30 供餐，检修抢修时经常错过，希望延长供餐时间或提供热食柜。',
    author: null,
    anonymous: true,
    daysAgo: 21,
    steps: [],
    answer: {
      text: '已与后勤中心沟通，夜班供餐时间延长至 0:00–1:30，并在集控楼增设热食柜，下周一起执行。',
      by: '张建国（书记）',
      after: 6,
    },
  },
  {
    org: '华夏电力有限公司党委',
    category: 'opinion',
    title: '希望公开困难职工帮扶的评审标准',
    body: '今年困难帮扶名单公布后，有职工不清楚评审标准和程序，建议把标准、名单和资金使用情况在公司内网公示。',
    author: null,
    channel: 'code',
    anonymous: true,
    daysAgo: 25,
    dueDays: 15,
    handler: '电力公司党委 李强',
    steps: [{ after: 3, action: 'assigned', actor: '电力公司党委 李强', note: '交办给 电力公司党委 李强' }],
  },
  {
    org: '第一发电厂党支部',
    category: 'suggestion',
    title: '党员先锋岗评选增加一线班组名额',
    body: '去年先锋岗多在机关科室，建议按班组人数分配名额，让一线运行、检修班组的优秀党员也能被看到。',
    author: '王海燕',
    daysAgo: 3,
    steps: [],
  },
  {
    org: '研发中心党支部',
    category: 'suggestion',
    title: '实验室安全培训增加实操演练',
    body: '现在的安全培训以视频为主，建议每季度组织一次灭火器、洗眼器、紧急喷淋的实操演练，新入职人员必须参加。',
    author: '赵子涵',
    daysAgo: 30,
    allowPublic: true,
    steps: [],
    answer: {
      text: '已纳入研发中心季度安全计划：每季度第一个月开展一次实操演练，由安全员组织、党员带头，新员工入职一个月内必须完成。',
      by: '刘芳（书记）',
      after: 7,
      publish: true,
    },
    rating: { value: 4, after: 10 },
  },
];

const SATISFACTION: SurveyQuestion[] = [
  { id: 'q1', type: 'rating', title: '支部组织生活（三会一课、主题党日）的质量', required: true, scale: 5, weight: 30 },
  { id: 'q2', type: 'rating', title: '支部书记和支委联系服务党员群众', required: true, scale: 5, weight: 30 },
  { id: 'q3', type: 'rating', title: '党建工作与安全生产、经营任务的结合', required: true, scale: 5, weight: 40 },
  {
    id: 'q4',
    type: 'single',
    title: '你最希望支部改进的方面',
    required: true,
    options: ['学习形式', '活动时间安排', '帮扶困难党员', '信息公开'],
  },
  { id: 'q5', type: 'text', title: '其他意见和建议', required: false },
];

const RATING_UP: SurveyQuestion[] = [
  { id: 'r1', type: 'rating', title: '班子团结、作风建设', required: true, scale: 5, weight: 25 },
  { id: 'r2', type: 'rating', title: '关心职工、解决实际困难', required: true, scale: 5, weight: 25 },
  { id: 'r3', type: 'rating', title: '党务公开、廉洁从业', required: true, scale: 5, weight: 25 },
  { id: 'r4', type: 'rating', title: '推动改革发展、完成生产经营任务', required: true, scale: 5, weight: 25 },
  { id: 'r5', type: 'text', title: '对公司党委的意见建议', required: false },
];

const COMMENTS = [
  '希望多到一线班组听取意见。',
  '帮扶政策要更透明。',
  '安全生产抓得紧，值得肯定。',
  '建议减少形式化的材料报送。',
  '新能源项目推进快，班子有干劲。',
];

export async function seedVoice(tx: Tx, fc: FieldCrypto, tenantId: string, orgs: OrgRef[]): Promise<void> {
  const rng = seededRandom(20_261_120);
  const today = todayInChina();
  const at = (daysAgo: number) => new Date(now().getTime() - daysAgo * DAY);
  const byName = (name: string) => orgs.find((o) => o.name === name);
  const users = await tx
    .select({ id: appUser.id, username: appUser.username })
    .from(appUser)
    .where(eq(appUser.tenantId, tenantId));
  const userId = (username: string) => users.find((u) => u.username === username)?.id ?? null;
  const plant = byName('第一发电厂党支部');
  const power = byName('华夏电力有限公司党委');
  const lab = byName('研发中心党支部');
  const materials = byName('华夏新材料有限公司党委');
  if (!plant || !power || !lab || !materials) return;

  // 新材料公司党委 chose full anonymity; everyone else keeps the default (identity sealed).
  await tx.insert(voiceSetting).values({ orgId: materials.id, tenantId, anonymity: 'none', answerDays: 10 });

  // The 纪检委员 of 第一发电厂党支部 gets the demo account `jijian`.
  const jijian = userId('jijian');
  const [term] = await tx
    .select()
    .from(orgTerm)
    .where(eq(orgTerm.orgId, plant.id))
    .orderBy(desc(orgTerm.startsOn))
    .limit(1);
  if (jijian && term) {
    const [seat] = await tx
      .select()
      .from(committeeMember)
      .where(and(eq(committeeMember.termId, term.id), eq(committeeMember.position, '纪检委员')));
    const free = await tx
      .select({ id: member.id, name: member.name, userId: member.userId })
      .from(member)
      .where(and(eq(member.orgId, plant.id), eq(member.status, 'full'), isNull(member.leftAt), isNull(member.userId)))
      .limit(1);
    const current = seat?.memberId
      ? (await tx.select().from(member).where(eq(member.id, seat.memberId)))[0]
      : undefined;
    const holder = current && !current.userId ? current : free[0];
    if (holder) {
      if (seat)
        await tx
          .update(committeeMember)
          .set({ memberId: holder.id, name: holder.name })
          .where(eq(committeeMember.id, seat.id));
      else
        await tx.insert(committeeMember).values({
          tenantId,
          orgId: plant.id,
          termId: term.id,
          memberId: holder.id,
          name: holder.name,
          position: '纪检委员',
        });
      await tx.update(member).set({ userId: jijian }).where(eq(member.id, holder.id));
      await tx
        .update(appUser)
        .set({ displayName: `${holder.name}（纪检委员）` })
        .where(eq(appUser.id, jijian));
    }
  }

  // ---- opinions
  const dangyuan = userId('dangyuan');
  for (const o of OPINIONS) {
    const target = byName(o.org)!;
    const submittedOn = addDays(today, -o.daysAgo);
    const named = !o.anonymous;
    const own = named && o.author === '陈志远' ? dangyuan : null;
    const answeredOn = o.answer ? addDays(submittedOn, o.answer.after) : null;
    const ratedOn = o.rating ? addDays(submittedOn, o.rating.after) : null;
    const [row] = await tx
      .insert(voiceOpinion)
      .values({
        tenantId,
        orgId: target.id,
        orgPath: target.path,
        category: o.category,
        title: o.title,
        body: o.body,
        channel: o.channel ?? 'member',
        anonymous: !named,
        authorUserId: own,
        authorOrgId: own ? plant.id : null,
        authorName: named ? o.author : null,
        receiptHash: named ? null : codeHash(newCode()),
        allowPublic: o.allowPublic ?? false,
        published: Boolean(o.answer?.publish),
        status: o.rating ? 'closed' : o.answer ? 'answered' : o.handler ? 'assigned' : 'submitted',
        handlerName: o.handler ?? (o.steps.length ? o.steps[0]!.actor : null),
        submittedOn,
        dueOn: addDays(submittedOn, o.dueDays ?? 15),
        sortKey: randomSortKey(),
        answer: o.answer?.text ?? null,
        answeredBy: o.answer?.by ?? null,
        answeredOn,
        rating: o.rating?.value ?? null,
        ratingComment: o.rating?.comment ?? null,
        ratedOn,
        closedOn: ratedOn,
      })
      .returning({ id: voiceOpinion.id });
    const steps = [
      ...o.steps.map((s) => ({
        on: addDays(submittedOn, s.after),
        action: s.action,
        actor: s.actor,
        note: s.note ?? '',
      })),
      ...(o.answer ? [{ on: answeredOn!, action: 'answered', actor: o.answer.by, note: '' }] : []),
      ...(o.rating
        ? [
            {
              on: ratedOn!,
              action: 'rated',
              actor: o.author ?? '匿名提交人',
              note: `满意度 ${o.rating.value}/5${o.rating.comment ? `：${o.rating.comment}` : ''}`,
            },
          ]
        : []),
    ];
    if (steps.length)
      await tx
        .insert(voiceOpinionStep)
        .values(steps.map((s, i) => ({ tenantId, opinionId: row!.id, seq: i + 1, ...s })));
  }

  // ---- a letter to the branch secretary, answered
  if (dangyuan) {
    const letterId = crypto.randomUUID();
    const [letter] = await tx
      .insert(voiceLetter)
      .values({
        id: letterId,
        tenantId,
        orgId: plant.id,
        position: '书记',
        fromUserId: dangyuan,
        fromOrgId: plant.id,
        fromName: '陈志远',
        subjectEnc: fc.encrypt('关于入党积极分子培养联系人的想法', voiceLetter.subjectEnc, letterId),
        status: 'replied',
        createdAt: at(8),
        updatedAt: at(6),
      })
      .returning({ id: voiceLetter.id });
    const shuji = userId('shuji');
    await tx.insert(voiceLetterMessage).values([
      sealedMessage(
        fc,
        '张书记：我愿意担任吴佳琪同志的培养联系人，她在化学专业上很扎实，平时也常向我请教。不知道支部是否还需要我提交书面材料？',
        {
          tenantId,
          letterId: letter!.id,
          side: 'sender',
          authorUserId: dangyuan,
          authorName: '陈志远',
          createdAt: at(8),
        },
      ),
      ...(shuji
        ? [
            sealedMessage(
              fc,
              '志远同志：感谢主动担当。支委会下周研究培养联系人安排，会后由组织委员通知你，书面材料不需要另行提交。',
              {
                tenantId,
                letterId: letter!.id,
                side: 'reader',
                authorUserId: shuji,
                authorName: '张建国（书记）',
                createdAt: at(6),
              },
            ),
          ]
        : []),
    ]);
  }

  // ---- branch forums
  const thread = async (
    o: OrgRef,
    author: string,
    title: string,
    body: string,
    daysAgo: number,
    pinned: boolean,
    replies: [string, string, string][],
  ) => {
    const id = userId(author);
    if (!id) return;
    const name = author === 'shuji' ? '张建国（书记）' : author === 'shuji2' ? '刘芳（书记）' : '陈志远';
    const [t] = await tx
      .insert(voiceThread)
      .values({
        tenantId,
        orgId: o.id,
        title,
        body,
        authorUserId: id,
        authorName: name,
        pinned,
        replyCount: replies.length,
        lastPostAt: at(daysAgo - replies.length * 0.2),
        createdAt: at(daysAgo),
      })
      .returning({ id: voiceThread.id });
    for (const [i, [who, whoName, text]] of replies.entries()) {
      const uid = userId(who);
      if (uid)
        await tx.insert(voicePost).values({
          tenantId,
          threadId: t!.id,
          orgId: o.id,
          body: text,
          authorUserId: uid,
          authorName: whoName,
          createdAt: at(daysAgo - (i + 1) * 0.2),
        });
    }
  };
  await thread(
    plant,
    'shuji',
    '本月主题党日：走进新能源项目现场',
    '本月主题党日安排在第二周周四上午，参观新能源项目部光伏电站，并与项目部党支部开展联学。请各党小组统计参加人数，倒班同志可在平台补学。',
    6,
    true,
    [
      ['dangyuan', '陈志远', '第一党小组已统计，共 9 人参加，2 人夜班申请补学。'],
      ['shuji', '张建国（书记）', '收到。请带好安全帽，8:30 在厂门口集合。'],
    ],
  );
  await thread(
    plant,
    'dangyuan',
    '安全生产月征文，大家写什么题目？',
    '厂里安全生产月征文截止到月底，我打算写“一次隐患排查的经历”，大家可以一起交流题目，避免撞车。',
    3,
    false,
    [['shuji', '张建国（书记）', '好主意。支部会把优秀征文推荐到公司党委，建议结合身边的先锋岗事迹来写。']],
  );
  await thread(
    lab,
    'shuji2',
    '青年党员读书分享会报名',
    '下月举办青年党员读书分享会，每人准备 5 分钟分享，主题不限，欢迎报名。',
    4,
    true,
    [],
  );

  // ---- an open 满意度测评 at the branch, an ended 下考上 of the power company's committee, a survey at the lab
  const [sat] = await tx
    .insert(voiceSurvey)
    .values({
      tenantId,
      orgId: plant.id,
      orgPath: plant.path,
      kind: 'satisfaction',
      title: '上半年党员群众对支部工作满意度测评',
      description: '匿名测评，结果仅用于改进支部工作。约需 2 分钟。',
      anonymous: true,
      audienceRoles: ['member'],
      allowCodes: true,
      opensAt: at(5),
      closesAt: at(-10),
      publishedAt: at(5),
      questions: SATISFACTION,
      createdBy: 'shuji',
      createdAt: at(6),
    })
    .returning({ id: voiceSurvey.id });
  const [up] = await tx
    .insert(voiceSurvey)
    .values({
      tenantId,
      orgId: power.id,
      orgPath: power.path,
      kind: 'rating_up',
      title: '年度下考上：职工群众评议电力公司党委',
      description: '由所属各党支部的党员和职工群众匿名评议公司党委班子，结果纳入年度党建考核。',
      anonymous: true,
      audienceRoles: ['member', 'secretary'],
      allowCodes: true,
      opensAt: at(40),
      closesAt: at(10),
      publishedAt: at(40),
      questions: RATING_UP,
      createdBy: 'dianli',
      createdAt: at(41),
    })
    .returning({ id: voiceSurvey.id });
  await tx.insert(voiceSurvey).values({
    tenantId,
    orgId: lab.id,
    orgPath: lab.path,
    kind: 'survey',
    title: '青年党员学习需求调查',
    description: '了解大家希望的学习内容和形式。',
    anonymous: false,
    audienceRoles: ['member'],
    allowCodes: false,
    opensAt: at(2),
    closesAt: at(-12),
    publishedAt: at(2),
    questions: [
      {
        id: 'q1',
        type: 'multiple',
        title: '你希望的学习形式',
        required: true,
        options: ['专题党课', '读书分享', '现场教学', '线上微课'],
        maxChoices: 2,
      },
      { id: 'q2', type: 'text', title: '最想学习的内容', required: false },
    ],
    createdBy: 'shuji2',
    createdAt: at(3),
  });

  const score = (mean: number) => Math.max(1, Math.min(5, Math.round(mean + (rng.next() - 0.5) * 2.2)));
  const satAnswers = (): Answer[] => [
    { q: 'q1', score: score(4.3) },
    { q: 'q2', score: score(4.0) },
    { q: 'q3', score: score(4.4) },
    { q: 'q4', choice: rng.int(0, 3) },
    ...(rng.next() < 0.4 ? [{ q: 'q5', text: rng.pick(COMMENTS) }] : []),
  ];
  const upAnswers = (): Answer[] => [
    { q: 'r1', score: score(4.4) },
    { q: 'r2', score: score(3.8) },
    { q: 'r3', score: score(4.2) },
    { q: 'r4', score: score(4.5) },
    ...(rng.next() < 0.35 ? [{ q: 'r5', text: rng.pick(COMMENTS) }] : []),
  ];
  // Employees' answers through codes (no accounts, no register): the code batches record them as used.
  const batch = async (
    o: OrgRef,
    purpose: 'opinion' | 'survey',
    surveyId: string | null,
    count: number,
    used: number,
    daysAgo: number,
    note: string,
  ) => {
    const [b] = await tx
      .insert(voiceCodeBatch)
      .values({
        tenantId,
        orgId: o.id,
        purpose,
        surveyId,
        count,
        validUntil: at(daysAgo - 30),
        note,
        createdBy: surveyId === up?.id || o.id === power.id ? 'dianli' : 'shuji',
        createdAt: at(daysAgo),
      })
      .returning({ id: voiceCodeBatch.id });
    await tx.insert(voiceCode).values(
      Array.from({ length: count }, (_, i) => ({
        codeHash: codeHash(newCode()),
        tenantId,
        batchId: b!.id,
        used: i < used,
      })),
    );
  };
  // The 下考上's slips went out through the branches (8 each), so its results break down by branch: two
  // branches above the minimum group, the small ones hidden (one of them only to protect the others).
  const upByBranch = (
    [
      ['第一发电厂党支部', 12],
      ['检修公司党支部', 9],
      ['电力公司机关党支部', 7],
      ['电力营销党支部', 3],
      ['新能源项目部党支部', 1],
    ] as const
  ).flatMap(([name, n]): [OrgRef, number][] => {
    const o = byName(name);
    return o ? [[o, n]] : [];
  });
  for (const [o, used] of upByBranch)
    await batch(o, 'survey', up!.id, Math.max(8, used), used, 40, `${o.name}职工代表`);
  await batch(power, 'opinion', null, 30, 1, 30, '职工意见箱');
  await batch(plant, 'survey', sat!.id, 20, 6, 5, '集控运行部非党员职工');
  await tx.insert(voiceSurveyResponse).values([
    ...upByBranch.flatMap(([o, n]) =>
      Array.from({ length: n }, () => ({
        tenantId,
        surveyId: up!.id,
        channel: 'code',
        unitOrgId: o.id,
        answers: upAnswers(),
        sortKey: randomSortKey(),
      })),
    ),
    ...Array.from({ length: 6 }, () => ({
      tenantId,
      surveyId: sat!.id,
      channel: 'code',
      unitOrgId: plant.id,
      answers: satAnswers(),
      sortKey: randomSortKey(),
    })),
  ]);

  // ---- votes: 亮点工程 at the power company's committee (results after voting), 优秀共产党员 at the lab
  const vote = async (
    o: OrgRef,
    v: Omit<typeof voiceVote.$inferInsert, 'tenantId' | 'orgId' | 'orgPath'>,
    candidates: [string, string, string][],
  ) => {
    const [row] = await tx
      .insert(voiceVote)
      .values({ tenantId, orgId: o.id, orgPath: o.path, ...v })
      .returning({ id: voiceVote.id });
    await tx.insert(voiceCandidate).values(
      candidates.map(([name, summary, body], i) => ({
        tenantId,
        voteId: row!.id,
        name,
        summary,
        body,
        sortOrder: i + 1,
      })),
    );
  };
  await vote(
    power,
    {
      kind: 'highlight',
      title: '年度党建亮点工程评选',
      description: '从各党支部申报的项目中评选年度党建亮点工程，每人最多选 2 项。',
      maxChoices: 2,
      audienceRoles: ['member', 'secretary'],
      visibility: 'after_vote',
      opensAt: at(3),
      closesAt: at(-11),
      publishedAt: at(3),
      createdBy: 'dianli',
    },
    [
      [
        '“红色引擎”机组检修攻坚',
        '第一发电厂党支部',
        '党员突击队承担 2 号机组 A 级检修关键节点，提前 6 天完成，质量零缺陷。',
      ],
      ['新能源项目“党建+安全”联创', '新能源项目部党支部', '与施工方党支部联合设立安全先锋岗，项目全年零事故。'],
      ['营销服务“红马甲”', '电力营销党支部', '党员服务队走进社区和园区，上门办理用电业务 1200 余件。'],
      ['检修技能“师带徒”', '检修公司党支部', '党员技术骨干结对 18 名青年职工，3 人获公司技能竞赛奖项。'],
    ],
  );
  await vote(
    lab,
    {
      kind: 'honour',
      title: '优秀共产党员推荐投票',
      description: '推荐 1 名优秀共产党员候选人，报公司党委审定。',
      maxChoices: 1,
      audienceRoles: ['member', 'secretary'],
      visibility: 'after_close',
      opensAt: at(1),
      closesAt: at(-6),
      publishedAt: at(1),
      createdBy: 'shuji2',
    },
    [
      ['赵子涵', '新材料配方研发组', '牵头完成高性能复合材料配方攻关。'],
      ['孙晓东', '分析测试组', '建立实验室安全检查清单并坚持周检。'],
      ['何春梅', '中试车间', '中试线工艺优化，年节约成本 80 万元。'],
    ],
  );
}
