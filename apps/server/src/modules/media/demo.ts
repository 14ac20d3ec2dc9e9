/**
 * The demo enterprise's 宣传: the group committee's news (public, pinned) and a 必读 notice for everyone,
 * a branch's 基层动态 and a 企地共建 story on the public portal, and one branch article waiting for review.
 * The texts are written for the demo; no member is named in them. And one online lecture (seedLectures).
 * Comments on the pinned news (one held for review: it hits the default sensitive-word list), and a notice of the
 * group committee scheduled (定时发布) two days after the demo's day at 09:00, with its release job queued.
 */
import {
  addDays,
  brandDoc,
  buildMatcher,
  DEFAULT_SENSITIVE_WORDS,
  KIND_CHANNELS,
  now,
  paragraphs,
  todayInChina,
  type ArticleDoc,
  type BrandFields,
} from '@xianfeng/shared';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import type { Tx } from '../../platform/db';
import { enqueueJob } from '../../platform/jobs';
import { appUser } from '../../platform/schema';
import { member } from '../member/service';
import {
  mediaArticle,
  mediaComment,
  mediaContest,
  mediaContestEntry,
  mediaContestJudge,
  mediaContestScore,
  mediaHonoree,
  mediaLecture,
} from './schema';
import { RELEASE_JOB } from './service';

type Seed = {
  org: string | null;
  channel: string;
  title: string;
  summary: string;
  body: ArticleDoc;
  daysAgo: number;
  isPublic?: boolean;
  pinned?: boolean;
  mustRead?: boolean;
  status?: 'published' | 'in_review';
  /** 定时发布: approved, visible this many days after the demo's day at 09:00 Beijing time. */
  scheduledInDays?: number;
  comments?: { username: string; text: string }[];
};

const SEEDS: Seed[] = [
  {
    org: null,
    channel: '要闻',
    title: '集团党委召开党建工作推进会',
    summary: '会议总结前三季度党建工作，部署“三会一课”规范化和党员发展质量提升等重点任务。',
    body: {
      version: 1,
      blocks: [
        {
          type: 'paragraph',
          content: [{ type: 'text', text: '集团党委召开党建工作推进会，总结前三季度党建工作，部署下一阶段重点任务。' }],
        },
        { type: 'heading', level: 2, content: [{ type: 'text', text: '重点任务' }] },
        {
          type: 'list',
          ordered: true,
          items: [
            [{ type: 'text', text: '推进“三会一课”规范化，按期开展、如实记录。' }],
            [{ type: 'text', text: '提升发展党员质量，严格执行各阶段时间要求。' }],
            [{ type: 'text', text: '做好党费收缴和使用公开。', marks: ['bold'] }],
          ],
        },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '会议精神详见' },
            { type: 'link', text: '共产党员网', href: 'https://www.12371.cn/' },
            { type: 'text', text: '相关专题。' },
          ],
        },
      ],
    },
    daysAgo: 2,
    isPublic: true,
    pinned: true,
    comments: [
      { username: 'dangyuan', text: '会议部署的任务很具体，我们支部将按期开展“三会一课”，如实做好记录。' },
      { username: 'jijian', text: '党费收缴和使用公开这一条要落实好，支部会按季度公布。' },
      // Hits 网络赌场 and 刷单返利 of the default list: held until a moderator decides (only 陈志远 and the moderators see it).
      { username: 'dangyuan', text: '最近有人在微信群里推广网络赌场和刷单返利，提醒大家注意防范。' },
    ],
  },
  {
    org: null,
    channel: '通知公告',
    title: '关于开展党章专题学习的通知',
    summary: '各基层党组织组织党员本月内完成党章专题学习，并在“学习教育”中完成相应课程。',
    body: paragraphs(
      '各基层党组织：',
      '为进一步加强党员教育管理，集团党委决定在全体党员中开展党章专题学习。请各党支部组织党员本月内完成学习，并通过“三会一课”开展交流研讨。',
      '本通知为必读通知，请各位党员阅读。',
    ),
    daysAgo: 1,
    mustRead: true,
  },
  {
    org: '第一发电厂党支部',
    channel: '基层动态',
    title: '第一发电厂党支部开展“安全生产党员先锋岗”主题党日',
    summary: '支部党员走进生产一线，亮身份、作表率，排查安全隐患。',
    body: paragraphs(
      '第一发电厂党支部开展“安全生产党员先锋岗”主题党日活动，支部党员分组走进生产一线，开展隐患排查。',
      '活动中，党员先锋岗围绕设备巡检、检修作业规范等内容交流经验，现场整改问题多项。',
    ),
    daysAgo: 4,
    isPublic: true,
  },
  {
    org: '雄安项目部党支部',
    channel: '企地共建',
    title: '雄安项目部党支部与属地社区开展共建活动',
    summary: '项目部党支部与属地社区党组织签订共建协议，联合开展志愿服务。',
    body: paragraphs(
      '雄安项目部党支部与属地社区党组织签订党建共建协议，围绕安全宣传、志愿服务、人才交流等方面开展合作。',
      '首次共建活动中，双方党员志愿者走进社区开展安全用电宣传。',
    ),
    daysAgo: 6,
    isPublic: true,
  },
  {
    org: '第一发电厂党支部',
    channel: '基层动态',
    title: '第一发电厂党支部开展党章学习交流',
    summary: '支部党员围绕党章专题学习交流心得。',
    body: paragraphs('第一发电厂党支部组织党员围绕党章专题开展学习交流，党员结合岗位实际谈体会。'),
    daysAgo: 0,
    status: 'in_review',
  },
  {
    org: null,
    channel: '通知公告',
    title: '关于开展年度民主评议党员工作的通知',
    summary: '各党支部结合组织生活会开展民主评议党员，按自我评价、党员互评、民主测评的步骤进行。',
    body: paragraphs(
      '各基层党组织：',
      '根据党员教育管理有关规定，集团党委决定开展年度民主评议党员工作。请各党支部结合组织生活会，按照个人自评、党员互评、民主测评、组织评定的步骤进行。',
      '评议结果请于活动结束后报集团党委组织部。',
    ),
    daysAgo: 0,
    scheduledInDays: 2,
  },
];

export async function seedMedia(tx: Tx, tenantId: string, root: OrgRef, orgs: OrgRef[]): Promise<void> {
  const byName = new Map(orgs.map((o) => [o.name, o]));
  const parentOf = (o: OrgRef) => {
    const parts = o.path.split('/').filter(Boolean);
    const parentPath = `/${parts.slice(0, -1).join('/')}/`;
    return orgs.find((x) => x.path === parentPath) ?? root;
  };
  for (const s of SEEDS) {
    const o = s.org ? byName.get(s.org) : root;
    if (!o) continue;
    const at = new Date(now().getTime() - s.daysAgo * 86_400_000 - 3_600_000);
    const status = s.status ?? 'published';
    const publishAt = s.scheduledInDays === undefined ? null : chinaMorning(s.scheduledInDays);
    const [article] = await tx
      .insert(mediaArticle)
      .values({
        tenantId,
        orgId: o.id,
        channel: s.channel,
        title: s.title,
        summary: s.summary,
        byline: o.name,
        body: s.body,
        isPublic: s.isPublic ?? false,
        pinned: s.pinned ?? false,
        mustRead: s.mustRead ?? false,
        status,
        reviewOrgId: o.id === root.id ? root.id : parentOf(o).id,
        submittedAt: at,
        reviewedBy: status === 'published' ? 'demo' : null,
        reviewedAt: status === 'published' ? at : null,
        publishedAt: status === 'published' ? (publishAt ?? at) : null,
        publishAt,
        announcedAt: status === 'published' && !publishAt ? at : null,
        createdBy: 'demo',
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: mediaArticle.id });
    if (publishAt)
      await enqueueJob(
        tx,
        {
          tenantId,
          kind: RELEASE_JOB,
          payload: { articleId: article!.id },
          runAt: publishAt,
          dedupeKey: `${RELEASE_JOB}:${article!.id}:${publishAt.toISOString()}`,
        },
        now(),
      );
    if (s.comments) await seedComments(tx, tenantId, article!.id, o.id, at, s.comments);
  }
}

/** 09:00 Beijing time, `days` after the demo's day. */
const chinaMorning = (days: number) =>
  new Date(
    `${new Date(now().getTime() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10)}T09:00:00+08:00`,
  );

async function seedComments(
  tx: Tx,
  tenantId: string,
  articleId: string,
  orgId: string,
  at: Date,
  comments: { username: string; text: string }[],
) {
  const users = await tx
    .select({
      id: appUser.id,
      username: appUser.username,
      name: sql<string>`coalesce(${member.name}, nullif(${appUser.displayName}, ''), ${appUser.username})`,
    })
    .from(appUser)
    .leftJoin(member, eq(member.userId, appUser.id))
    .where(
      inArray(
        appUser.username,
        comments.map((c) => c.username),
      ),
    );
  const matcher = buildMatcher(DEFAULT_SENSITIVE_WORDS);
  let shown = 0;
  for (const [i, c] of comments.entries()) {
    const u = users.find((x) => x.username === c.username);
    if (!u) continue;
    const hits = matcher.find(c.text);
    if (!hits.length) shown++;
    await tx.insert(mediaComment).values({
      tenantId,
      articleId,
      orgId,
      userId: u.id,
      authorName: u.name,
      text: c.text,
      status: hits.length ? 'held' : 'shown',
      hits,
      createdAt: new Date(at.getTime() + (i + 1) * 3_600_000),
    });
  }
  await tx
    .update(mediaArticle)
    .set({ commentCount: sql`${mediaArticle.commentCount} + ${shown}` })
    .where(eq(mediaArticle.id, articleId));
}

/**
 * 网上课堂: one published lecture of 华夏电力有限公司党委 for its subtree, two days after the demo's day at
 * 14:30 Beijing time, by external live stream (the address is an example, not a real stream).
 */
export async function seedLectures(tx: Tx, tenantId: string, orgs: OrgRef[]): Promise<void> {
  const host = orgs.find((o) => o.name === '华夏电力有限公司党委');
  if (!host) return;
  const day = new Date(now().getTime() + 8 * 3_600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
  const startsAt = new Date(`${day}T14:30:00+08:00`);
  await tx.insert(mediaLecture).values({
    tenantId,
    orgId: host.id,
    title: '学习贯彻党的二十届三中全会精神专题党课',
    speaker: '公司党委书记',
    summary: '围绕全面深化改革的重大部署，结合电力生产经营实际讲解。讲座中可在线提问，主持人审核后展示。',
    startsAt,
    endsAt: new Date(startsAt.getTime() + 90 * 60_000),
    streamUrl: 'https://live.example.cn/huaxia-power/dangke',
    status: 'published',
    publishedAt: now(),
    createdBy: 'demo',
    createdAt: now(),
    updatedAt: now(),
  });
}

/**
 * 典型 and 党建品牌: a 党员先锋岗 story about 陈志远 (the demo member account) at his post and a 身边人身边事 story about
 * another member of 第一发电厂党支部, both published in the branch (reviewed by 发电运营党总支); the branch's 党建品牌
 * 「光耀先锋」 (published, on the public portal) and 雄安项目部党支部's 「建功雄安」 (published, in the group's gallery only).
 * The texts are written for the demo.
 */
export async function seedShowcase(tx: Tx, tenantId: string, root: OrgRef, orgs: OrgRef[]): Promise<void> {
  const byName = new Map(orgs.map((o) => [o.name, o]));
  const branch = byName.get('第一发电厂党支部');
  const general = byName.get('发电运营党总支');
  const xiongan = byName.get('雄安项目部党支部');
  if (!branch || !general) return;
  const people = await tx
    .select({ id: member.id, name: member.name })
    .from(member)
    .where(and(eq(member.tenantId, tenantId), eq(member.orgId, branch.id), isNull(member.leftAt)))
    .orderBy(asc(member.name), asc(member.id));
  const chen = people.find((p) => p.name === '陈志远');
  const other = people.find((p) => p.name !== '陈志远' && p.name !== '张建国');
  const at = (days: number) => new Date(now().getTime() - days * 86_400_000 - 2 * 3_600_000);
  const insert = async (
    o: OrgRef,
    reviewOrg: OrgRef,
    v: {
      kind: 'story' | 'pioneer' | 'brand';
      title: string;
      summary: string;
      body: ArticleDoc;
      daysAgo: number;
      isPublic?: boolean;
      brand?: BrandFields;
    },
  ) => {
    const when = at(v.daysAgo);
    const [a] = await tx
      .insert(mediaArticle)
      .values({
        tenantId,
        orgId: o.id,
        kind: v.kind,
        brand: v.brand ?? null,
        channel: KIND_CHANNELS[v.kind],
        title: v.title,
        summary: v.summary,
        byline: o.name,
        body: v.body,
        isPublic: v.isPublic ?? false,
        status: 'published',
        reviewOrgId: reviewOrg.id,
        submittedAt: when,
        reviewedBy: 'demo',
        reviewedAt: when,
        publishedAt: when,
        announcedAt: when,
        createdBy: 'demo',
        createdAt: when,
        updatedAt: when,
      })
      .returning({ id: mediaArticle.id });
    return a!.id;
  };
  if (chen) {
    const id = await insert(branch, general, {
      kind: 'pioneer',
      title: '党员先锋岗：锅炉检修班的“安全哨兵”',
      summary: '陈志远在锅炉检修岗位上亮身份、作表率，带头排查隐患、规范作业。',
      body: paragraphs(
        '陈志远是第一发电厂锅炉检修班的党员。设立“安全生产党员先锋岗”以来，他坚持每班提前到岗巡检，带头落实检修作业规范。',
        '今年以来，他牵头排查设备隐患多项，带动班组形成“党员带头、人人把关”的安全氛围。',
      ),
      daysAgo: 3,
    });
    await tx
      .insert(mediaHonoree)
      .values({ tenantId, articleId: id, memberId: chen.id, post: '锅炉检修班安全生产党员先锋岗', position: 0 });
  }
  if (other) {
    const id = await insert(branch, general, {
      kind: 'story',
      title: `身边人身边事：${other.name}的“服务清单”`,
      summary: `${other.name}坚持为退休老党员送学上门，把组织的关心送到身边。`,
      body: paragraphs(
        `${other.name}是第一发电厂党支部的党员。三年来，${other.name}坚持每月为行动不便的退休老党员送学上门，带去学习材料，也带回老党员的意见建议。`,
        '支部把这份“服务清单”推广为全支部的结对帮扶做法。',
      ),
      daysAgo: 5,
    });
    await tx.insert(mediaHonoree).values({ tenantId, articleId: id, memberId: other.id, post: '', position: 0 });
  }
  const guang: BrandFields = {
    slogan: '光耀先锋，电亮万家',
    idea: '以党建引领安全生产和优质服务，让每一名党员都成为一盏灯。',
    practices: ['设立安全生产党员先锋岗和党员责任区', '“党员+班组”结对，每月一次隐患排查', '为退休老党员送学上门'],
    results: ['连续安全生产 1000 天', '支部获评集团“五星级党支部”'],
    photoFileIds: [],
  };
  await insert(branch, general, {
    kind: 'brand',
    title: '光耀先锋',
    summary: guang.slogan,
    body: brandDoc(guang),
    brand: guang,
    daysAgo: 20,
    isPublic: true,
  });
  if (xiongan) {
    const parts = xiongan.path.split('/').filter(Boolean);
    const parent = orgs.find((o) => o.path === `/${parts.slice(0, -1).join('/')}/`) ?? root;
    const jian: BrandFields = {
      slogan: '建功雄安，党旗飘扬',
      idea: '把党支部建在项目上，让党旗在工程建设一线高高飘扬。',
      practices: ['项目党员突击队攻坚关键节点', '与属地社区开展党建共建'],
      results: ['关键节点按期完成'],
      photoFileIds: [],
    };
    await insert(xiongan, parent, {
      kind: 'brand',
      title: '建功雄安',
      summary: jian.slogan,
      body: brandDoc(jian),
      brand: jian,
      daysAgo: 15,
    });
  }
}

/**
 * 微视频征集: 第一发电厂党支部's campaign 「我身边的共产党员」, collecting from 5 days before the demo's day to 10 days
 * after, with a public vote; judges 张建国 (shuji) and 陈志远 (dangyuan, so the member account sees the judge's page);
 * three entries of other members of the branch (without accounts, so without video files — the demo has no file
 * store), two of them already scored by 张建国. The texts are written for the demo.
 */
export async function seedContest(tx: Tx, tenantId: string, orgs: OrgRef[]): Promise<void> {
  const branch = orgs.find((o) => o.name === '第一发电厂党支部');
  if (!branch) return;
  const people = await tx
    .select({ id: member.id, name: member.name, userId: member.userId, orgId: member.orgId })
    .from(member)
    .where(
      and(
        eq(member.tenantId, tenantId),
        eq(member.orgId, branch.id),
        isNull(member.leftAt),
        isNull(member.suspendedOn),
      ),
    )
    .orderBy(asc(member.name), asc(member.id));
  const zhang = people.find((p) => p.name === '张建国' && p.userId);
  const chen = people.find((p) => p.name === '陈志远' && p.userId);
  const authors = people.filter((p) => !p.userId).slice(0, 3);
  if (!zhang || !chen || authors.length < 3) return;
  const today = todayInChina();
  const [c] = await tx
    .insert(mediaContest)
    .values({
      tenantId,
      orgId: branch.id,
      title: '「我身边的共产党员」微视频征集',
      rules:
        '围绕安全生产、技术攻关、服务群众，拍摄身边党员的真实故事。作品时长 1–5 分钟，MP4 格式，每人限交 1 件。评委按评分细则独立打分，结果公布后优秀作品发布到学习园地。',
      submitFrom: addDays(today, -5),
      submitTo: addDays(today, 10),
      rubric: [
        { name: '主题思想', max: 40 },
        { name: '艺术表现', max: 30 },
        { name: '技术质量', max: 30 },
      ],
      dropHighest: 0,
      dropLowest: 0,
      publicVote: true,
      winnerCount: 2,
      createdBy: 'demo',
      createdAt: now(),
    })
    .returning();
  await tx.insert(mediaContestJudge).values(
    [zhang, chen].map((j, i) => ({
      tenantId,
      contestId: c!.id,
      userId: j.userId!,
      memberId: j.id,
      name: j.name,
      position: i,
    })),
  );
  const works = [
    { title: '守护光明的夜班', description: '记录集控运行值班党员一个夜班的坚守。', minutes: 4 },
    { title: '锅炉旁的技术攻关', description: '检修班党员带头攻关锅炉燃烧优化。', minutes: 3 },
    { title: '社区里的电力志愿者', description: '党员志愿者走进社区开展用电安全宣传。', minutes: 2 },
  ];
  const entries = await tx
    .insert(mediaContestEntry)
    .values(
      works.map((w, i) => ({
        tenantId,
        contestId: c!.id,
        memberId: authors[i]!.id,
        orgId: authors[i]!.orgId,
        authorName: authors[i]!.name,
        ...w,
        submittedAt: new Date(now().getTime() - (4 - i) * 86_400_000),
      })),
    )
    .returning();
  const given = [
    [36, 26, 27],
    [33, 25, 28],
  ];
  await tx.insert(mediaContestScore).values(
    given.map((scores, i) => ({
      tenantId,
      contestId: c!.id,
      entryId: entries[i]!.id,
      judgeUserId: zhang.userId!,
      scores,
      total: scores.reduce((a, b) => a + b, 0),
    })),
  );
}
