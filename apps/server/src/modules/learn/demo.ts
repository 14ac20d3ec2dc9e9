/**
 * The demo enterprise's 学习教育: the group committee's courses, micro-videos, 党建百科 entries and
 * e-library, one subsidiary's own course, a question bank on the rules the platform applies, a
 * required exam open now, and this and last month's learning of the members of several branches.
 * The 党建百科 texts are our own short summaries of the rules in docs (DOMAIN.md), not quotations.
 */
import crypto from 'node:crypto';
import { addDays, lessonSecondsToComplete, now, todayInChina } from '@xianfeng/shared';
import { eq } from 'drizzle-orm';
import { pinyin } from 'pinyin-pro';
import type { OrgRef } from '../../platform/access';
import type { Tx } from '../../platform/db';
import type { FileStore } from '../../platform/files';
import { plainPdf, type OutlineEntry } from '../../platform/pdf';
import { appUser } from '../../platform/schema';
import { fullMembersOf, memberOfUser } from '../member/service';
import {
  learnAttempt,
  learnExam,
  learnFile,
  learnItem,
  learnLesson,
  learnLessonRecord,
  learnQuestion,
  learnRecord,
} from './schema';
import { secondsToComplete } from './service';

/**
 * A book's demo PDF: no text of the book (the demo ships none), but a page per chapter headed with its name in pinyin
 * (the pages use the standard Helvetica, no Chinese font is needed) and the chapters as the PDF's table of contents.
 */
async function demoBookFile(tx: Tx, store: FileStore, it: typeof learnItem.$inferSelect, seed: Seed) {
  const chapters = seed.contents ?? [
    { title: it.title, page: 1 },
    { title: '', page: 2 },
    { title: '', page: 3 },
  ];
  const heading = (t: string) =>
    pinyin(t, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
      .replace(/[^\x20-\x7e]/g, '');
  const data = await plainPdf({
    title: it.title,
    pages: chapters.map((c, i) => ({
      heading: c.title ? heading(c.title) : `Page ${i + 1}`,
      lines: ['Xianfeng demo e-book.', 'The text of the book is not included;', 'this page stands for its chapter.'],
    })),
    ...(seed.contents ? { outline: seed.contents } : {}),
  });
  const id = crypto.randomUUID();
  const storageKey = `learn/${it.tenantId}/${id}.pdf`;
  await store.put(storageKey, data, 'application/pdf');
  await tx.insert(learnFile).values({
    id,
    tenantId: it.tenantId,
    itemId: it.id,
    role: 'document',
    fileName: `${it.title}（演示）.pdf`,
    mime: 'application/pdf',
    size: data.length,
    sha256: crypto.createHash('sha256').update(data).digest('hex'),
    storageKey,
    uploadedBy: 'zuzhibu',
    createdAt: it.publishedAt!,
  });
}

const initials = (t: string) =>
  pinyin(t, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

type Seed = {
  kind: 'course' | 'video' | 'article' | 'book';
  title: string;
  summary: string;
  body?: string;
  keywords?: string[];
  minutes: number;
  author?: string;
  required?: boolean;
  /** 必修对象 (LEARN_AUDIENCES); all members when absent. */
  audience?: 'all' | 'probationary' | 'activist';
  /** 课时 of a course (text); a course without them is one lesson of its own content. */
  lessons?: { title: string; body: string; minutes: number }[];
  /** A book's 目录: its demo PDF gets a page per chapter and this outline (a book without it has no outline). */
  contents?: OutlineEntry[];
};

const GROUP_CONTENT: Seed[] = [
  {
    kind: 'course',
    title: '《中国共产党章程》逐章导读',
    summary: '按章节讲解党章的总纲和各章要点，适合新党员和入党积极分子系统学习。',
    keywords: ['党章', '党员义务', '党员权利'],
    minutes: 45,
    author: '集团党委组织部',
    required: true,
  },
  {
    kind: 'course',
    title: '“三会一课”制度规范与台账实务',
    summary: '党员大会、支委会、党小组会和党课怎么开、多久开一次、记录怎么写。分三个课时，可以分几次学完。',
    keywords: ['三会一课', '组织生活', '台账'],
    minutes: 30,
    author: '集团党委组织部',
    lessons: [
      {
        title: '第一课：党员大会和支部委员会会议',
        body: '党员大会是党支部的最高议事机构，一般每季度召开一次，讨论决定支部的重要事项，如接收预备党员、预备党员转正、民主评议党员。表决时，有表决权的到会人数要超过应到会人数的一半。\n\n支部委员会会议一般每月召开一次，研究支部的日常工作，由支部书记召集和主持。会前把议题告诉委员，会上充分讨论，按少数服从多数作出决定。',
        minutes: 10,
      },
      {
        title: '第二课：党小组会和党课',
        body: '党小组会一般每月召开一次，组织党员学习、交流思想、分配任务，党小组的党员是本支部的党员，参加支部的各项组织生活。\n\n党课是对党员进行教育的基本形式。党委（党组）书记每年至少讲一次党课；不少单位还规定支部书记每年讲党课、党课每季度一次，这是各地各单位的规定。党课可以请先进典型讲，也可以结合主题党日一起安排。',
        minutes: 10,
      },
      {
        title: '第三课：会议记录和台账',
        body: '每次会议都要有记录：时间、地点、主持人、应到和实到人数、缺席人员和原因、议题、讨论情况和决定事项。记录由记录人当场填写，会后请主持人核对签字。\n\n缺席的党员要补学：会后把会议内容和材料发给本人，本人学习后写几句体会。会议记录、签到表、照片和补学情况一起归档，就是支部的“三会一课”台账。',
        minutes: 10,
      },
    ],
  },
  {
    kind: 'course',
    title: '发展党员工作流程：五个阶段二十五个步骤',
    summary: '从递交入党申请书到预备党员转正，每一步做什么、由谁做、有哪些时间要求。',
    keywords: ['发展党员', '入党积极分子', '发展对象'],
    minutes: 40,
    author: '集团党委组织部',
  },
  {
    kind: 'course',
    title: '党费收缴、使用和管理规定解读',
    summary: '党费按月交纳的基数、比例和特殊情形，党费使用的公开要求。',
    keywords: ['党费', '交纳比例'],
    minutes: 25,
    author: '集团党委组织部',
  },
  {
    kind: 'course',
    title: '《中国共产党纪律处分条例》学习辅导',
    summary: '六项纪律的主要内容与典型案例分析。',
    keywords: ['纪律', '廉洁'],
    minutes: 50,
    author: '集团纪委',
  },
  {
    kind: 'course',
    title: '预备党员必修：入党誓词与党员的权利义务',
    summary: '面向预备党员：入党誓词每一句的含义，党员的八项义务和八项权利，预备期里怎样接受教育和考察。',
    body: '入党宣誓不是入党手续的终点。预备期一年，支部通过党小组、入党介绍人和组织生活继续教育考察预备党员；预备党员履行党员义务，除了表决权、选举权和被选举权以外，享有党员的权利。',
    keywords: ['预备党员', '入党誓词', '党员义务'],
    minutes: 20,
    author: '集团党委组织部',
    required: true,
    audience: 'probationary',
  },
  {
    kind: 'course',
    title: '入党积极分子培训：党的基本知识',
    summary: '面向入党积极分子和发展对象：党的性质、宗旨、指导思想和组织原则，申请入党以后要经过的培养考察。',
    keywords: ['入党积极分子', '发展对象', '党的基本知识'],
    minutes: 60,
    author: '集团党委组织部',
    required: true,
    audience: 'activist',
  },
  {
    kind: 'video',
    title: '身边的榜样：检修班长的一天',
    summary: '第一发电厂检修班长、党员先锋岗获得者的工作日常。',
    keywords: ['身边人身边事', '党员先锋岗'],
    minutes: 6,
  },
  {
    kind: 'video',
    title: '安全生产中的党员先锋岗',
    summary: '党员在安全生产一线亮身份、作表率的做法。',
    keywords: ['安全生产', '党建+'],
    minutes: 8,
  },
  {
    kind: 'video',
    title: '红色电力史话：从第一座电厂说起',
    summary: '集团发展历程中的党建故事。',
    keywords: ['企业文化', '党史'],
    minutes: 10,
  },
  {
    kind: 'article',
    title: '三会一课',
    summary: '党支部定期召开党员大会、支部委员会会议、党小组会，按时上好党课。',
    body: '“三会一课”是党的组织生活的基本制度。党员大会一般每季度召开一次；支部委员会会议一般每月召开一次；党小组会一般每月召开一次；党课由党委（党组）书记每年至少讲一次，不少地方规定支部书记每年讲党课、党课每季度一次，属于地方规定。会议应有记录，按规定存档。',
    keywords: ['组织生活', '党员大会', '支委会', '党小组会', '党课'],
    minutes: 3,
  },
  {
    kind: 'article',
    title: '主题党日',
    summary: '党支部每月相对固定一天开展的主题党日活动。',
    body: '主题党日是党支部每月相对固定一天组织党员集中学习、过组织生活、开展活动的制度安排，常与“三会一课”结合进行。外出流动党员可以在所在地参加，无法参加的可以补学，但网上参与是补充，不能代替线下组织生活。',
    keywords: ['组织生活'],
    minutes: 2,
  },
  {
    kind: 'article',
    title: '民主评议党员',
    summary: '党支部一般每年开展一次民主评议党员。',
    body: '民主评议党员一般每年开展一次，通过个人自评、党员互评、民主测评等环节进行，可以与组织生活会结合召开。评议结果作为党员教育管理的重要依据。',
    keywords: ['组织生活会', '评议'],
    minutes: 2,
  },
  {
    kind: 'article',
    title: '组织生活会',
    summary: '党支部至少每年召开一次组织生活会，一般安排在第四季度。',
    body: '组织生活会是党支部开展批评和自我批评的重要形式，至少每年召开一次，一般安排在第四季度，可以采取党员大会、支委会或党小组会的形式召开。',
    keywords: ['批评和自我批评'],
    minutes: 2,
  },
  {
    kind: 'article',
    title: '党费交纳比例',
    summary: '在职党员按税后工资收入的一定比例按月交纳党费，比例适用于全部基数。',
    body: '在职党员以每月工资收入扣除个人所得税及各项社会保险、住房公积金等后的数额为基数：3000元及以下交纳0.5%；3000元以上至5000元交纳1%；5000元以上至10000元交纳1.5%；10000元以上交纳2%。比例适用于全部基数，不累进。离退休党员以实际领取的养老金为基数，5000元及以下交纳0.5%，5000元以上交纳1%。学生党员、下岗失业党员和领取最低生活保障金的党员每月交纳0.2元。',
    keywords: ['党费', '基数'],
    minutes: 3,
  },
  {
    kind: 'article',
    title: '入党积极分子',
    summary: '经党组织确定、进行培养教育和考察的入党申请人。',
    body: '入党积极分子在入党申请人中，采取党员推荐、群团组织推优等方式产生人选，由支部委员会研究决定，并报上级党委备案。党组织指定一至两名正式党员作培养联系人，每半年进行一次考察。经过一年以上培养教育和考察，可以列为发展对象。',
    keywords: ['发展党员', '培养联系人'],
    minutes: 3,
  },
  {
    kind: 'article',
    title: '预备党员',
    summary: '预备期为一年，从支部大会通过其为预备党员之日算起。',
    body: '预备党员的预备期为一年，从支部大会通过其为预备党员之日算起。预备期满，党支部应及时讨论其能否转为正式党员；需要继续考察和教育的，可以延长预备期一次，时间为半年至一年。预备党员没有表决权、选举权和被选举权。',
    keywords: ['转正', '预备期'],
    minutes: 2,
  },
  {
    kind: 'article',
    title: '党龄',
    summary: '党员的党龄从预备期满转为正式党员之日算起。',
    body: '党员的党龄，从预备期满转为正式党员之日算起，预备党员还没有党龄。入党时间（政治生日）是支部大会通过其为预备党员的日期，两者不同。',
    keywords: ['入党时间', '政治生日'],
    minutes: 1,
  },
  {
    kind: 'article',
    title: '流动党员',
    summary: '外出六个月以上、不转移组织关系的党员。',
    body: '党员外出务工经商、学习生活等，时间在六个月以上且地点相对固定的，应当转移组织关系；不转移组织关系的作为流动党员管理，由原党支部负责，可以在所在地参加组织生活。',
    keywords: ['组织关系'],
    minutes: 2,
  },
  {
    kind: 'article',
    title: '差额选举',
    summary: '候选人数多于应选人数的选举，基层组织选举差额一般不少于20%。',
    body: '基层党组织选举委员会委员，候选人数应多于应选人数，差额不少于应选人数的20%。有选举权的到会人数超过应到会人数的五分之四，会议有效；被选举人获得的赞成票超过实到会有选举权的人数的一半，始得当选。',
    keywords: ['换届', '选举'],
    minutes: 2,
  },
  {
    kind: 'book',
    title: '中国共产党章程',
    summary: '党的根本大法，全体党员必须遵守。',
    keywords: ['党章'],
    minutes: 60,
    author: '人民出版社',
    contents: [
      { title: '总纲', page: 1 },
      {
        title: '第一章 党员',
        page: 2,
        children: [
          { title: '入党条件', page: 2 },
          { title: '党员的义务和权利', page: 2 },
        ],
      },
      { title: '第二章 党的组织制度', page: 3 },
      { title: '第五章 党的基层组织', page: 4 },
      { title: '第七章 党的纪律', page: 5 },
    ],
  },
  {
    kind: 'book',
    title: '中国共产党支部工作条例（试行）',
    summary: '党支部工作的基本遵循：设置、职责、组织生活、党员教育管理。',
    keywords: ['支部工作条例', '党支部'],
    minutes: 40,
    author: '人民出版社',
    contents: [
      { title: '第一章 总则', page: 1 },
      { title: '第二章 组织设置', page: 2 },
      { title: '第三章 基本任务', page: 3 },
      {
        title: '第五章 组织生活',
        page: 4,
        children: [
          { title: '三会一课', page: 4 },
          { title: '主题党日', page: 4 },
          { title: '组织生活会', page: 4 },
        ],
      },
      { title: '第六章 支部委员会建设', page: 5 },
    ],
  },
  {
    kind: 'book',
    title: '中国共产党党员教育管理工作条例',
    summary: '党员教育管理的内容、方式和组织保障。',
    keywords: ['党员教育'],
    minutes: 40,
    author: '人民出版社',
  },
  {
    kind: 'book',
    title: '中国共产党发展党员工作细则',
    summary: '发展党员工作的程序和要求。',
    keywords: ['发展党员'],
    minutes: 40,
    author: '人民出版社',
    contents: [
      { title: '第一章 总则', page: 1 },
      { title: '第二章 入党申请', page: 2 },
      { title: '第三章 入党积极分子的确定和教育培养', page: 3 },
      { title: '第四章 发展对象的确定和考察', page: 4 },
      { title: '第五章 预备党员的接收', page: 5 },
      { title: '第六章 预备党员的教育、考察和转正', page: 6 },
    ],
  },
];

const POWER_CONTENT: Seed[] = [
  {
    kind: 'course',
    title: '电力安全生产“党建+”案例课',
    summary: '华夏电力所属党支部把党建与安全生产结合的案例。',
    keywords: ['党建+', '安全生产'],
    minutes: 20,
    author: '电力公司党委',
  },
];

type Q = {
  kind: 'single' | 'multi' | 'judge' | 'fill';
  category?: string;
  /** 易 / 中 / 难; 中 when not given. */
  difficulty?: string;
  stem: string;
  options: string[];
  answer: number[];
  /** A fill-in question's accepted answers per blank. */
  accepted?: string[][];
  explanation: string;
  source: string;
};
const J = ['正确', '错误'];
const QUESTIONS: Q[] = [
  {
    kind: 'single',
    difficulty: '易',
    stem: '党支部党员大会一般多长时间召开一次？',
    options: ['每月', '每季度', '每半年', '每年'],
    answer: [1],
    explanation: '党员大会一般每季度召开一次。',
    source: '中国共产党支部工作条例（试行）',
  },
  {
    kind: 'single',
    stem: '支部委员会会议一般多长时间召开一次？',
    options: ['每周', '每月', '每季度', '每年'],
    answer: [1],
    explanation: '支委会一般每月召开一次。',
    source: '中国共产党支部工作条例（试行）',
  },
  {
    kind: 'single',
    stem: '组织生活会至少多长时间召开一次？',
    options: ['每季度', '每半年', '每年', '每两年'],
    answer: [2],
    explanation: '组织生活会至少每年召开一次，一般安排在第四季度。',
    source: '中国共产党支部工作条例（试行）',
  },
  {
    kind: 'single',
    stem: '预备党员的预备期为多长时间？',
    options: ['半年', '一年', '两年', '三年'],
    answer: [1],
    explanation: '预备期为一年，从支部大会通过其为预备党员之日算起。',
    source: '中国共产党章程',
  },
  {
    kind: 'single',
    stem: '党员的党龄从何时算起？',
    options: ['递交入党申请书之日', '确定为入党积极分子之日', '支部大会通过为预备党员之日', '预备期满转为正式党员之日'],
    answer: [3],
    explanation: '党龄从预备期满转为正式党员之日算起。',
    source: '中国共产党章程 第七条',
  },
  {
    kind: 'single',
    difficulty: '难',
    stem: '在职党员月工资基数为 3000 元时，每月应交党费多少？',
    options: ['15 元', '30 元', '45 元', '60 元'],
    answer: [0],
    explanation: '3000 元及以下按 0.5% 交纳，3000 × 0.5% = 15 元。',
    source: '关于中国共产党党费收缴、使用和管理的规定',
  },
  {
    kind: 'single',
    stem: '在职党员月工资基数为 8000 元时，适用的交纳比例是？',
    options: ['0.5%', '1%', '1.5%', '2%'],
    answer: [2],
    explanation: '5000 元以上至 10000 元交纳 1.5%。',
    source: '关于中国共产党党费收缴、使用和管理的规定',
  },
  {
    kind: 'single',
    stem: '入党积极分子经过多长时间以上的培养教育和考察，可列为发展对象？',
    options: ['半年', '一年', '两年', '三年'],
    answer: [1],
    explanation: '经过一年以上培养教育和考察，可以列为发展对象。',
    source: '中国共产党发展党员工作细则',
  },
  {
    kind: 'single',
    stem: '党支部正式党员达到多少人以上，应设立支部委员会？',
    options: ['3 人', '5 人', '7 人', '10 人'],
    answer: [2],
    explanation: '正式党员 7 人以上的党支部设立支部委员会。',
    source: '中国共产党支部工作条例（试行）（条文序号待核对）',
  },
  {
    kind: 'single',
    stem: '基层党组织选举，候选人应多于应选人数的比例不少于？',
    options: ['10%', '15%', '20%', '30%'],
    answer: [2],
    explanation: '差额不少于应选人数的 20%。',
    source: '中国共产党基层组织选举工作条例',
  },
  {
    kind: 'multi',
    stem: '下列属于“三会一课”中“三会”的有？',
    options: ['党员大会', '支部委员会会议', '党小组会', '职工代表大会'],
    answer: [0, 1, 2],
    explanation: '“三会”指党员大会、支委会和党小组会。',
    source: '中国共产党支部工作条例（试行）',
  },
  {
    kind: 'multi',
    stem: '下列党员中，每月交纳党费 0.2 元的有？',
    options: ['学生党员', '下岗失业党员', '领取最低生活保障金的党员', '离退休党员'],
    answer: [0, 1, 2],
    explanation: '学生、下岗失业和领取低保的党员每月交纳 0.2 元；离退休党员按养老金比例交纳。',
    source: '关于中国共产党党费收缴、使用和管理的规定',
  },
  {
    kind: 'multi',
    stem: '民主评议党员一般包括哪些环节？',
    options: ['个人自评', '党员互评', '民主测评', '网上打卡'],
    answer: [0, 1, 2],
    explanation: '民主评议包括自评、互评和民主测评。',
    source: '中国共产党支部工作条例（试行）',
  },
  {
    kind: 'judge',
    stem: '预备党员有表决权、选举权和被选举权。',
    options: J,
    answer: [1],
    explanation: '预备党员没有表决权、选举权和被选举权。',
    source: '中国共产党章程',
  },
  {
    kind: 'judge',
    stem: '党费交纳比例适用于全部基数，不累进计算。',
    options: J,
    answer: [0],
    explanation: '按所在档次的比例乘以全部基数。',
    source: '关于中国共产党党费收缴、使用和管理的规定',
  },
  {
    kind: 'judge',
    stem: '网上参加组织生活可以完全代替线下召开的会议。',
    options: J,
    answer: [1],
    explanation: '线上参与是无法到场党员的补充（补学），不能代替线下组织生活。',
    source: '中国共产党支部工作条例（试行）',
  },
  {
    kind: 'judge',
    stem: '被选举人获得的赞成票超过应到会有选举权人数的一半，始得当选。',
    options: J,
    answer: [1],
    explanation: '超过实到会有选举权人数的一半，始得当选。',
    source: '中国共产党基层组织选举工作条例',
  },
  {
    kind: 'judge',
    stem: '党员外出六个月以上且地点相对固定的，应当转移组织关系。',
    options: J,
    answer: [0],
    explanation: '外出时间在六个月以上、地点相对固定的应转移组织关系。',
    source: '中国共产党党员教育管理工作条例',
  },
  {
    kind: 'single',
    stem: '主题党日一般如何安排？',
    options: ['每月相对固定一天', '每季度一次', '每年七一一次', '由党员自行安排'],
    answer: [0],
    explanation: '主题党日在每月相对固定的一天开展。',
    source: '中国共产党支部工作条例（试行） 第十六条',
  },
  {
    kind: 'single',
    category: '党史',
    stem: '中国共产党第一次全国代表大会于哪一年召开？',
    options: ['1919 年', '1921 年', '1927 年', '1949 年'],
    answer: [1],
    explanation: '1921 年 7 月，中国共产党第一次全国代表大会召开，宣告中国共产党成立。',
    source: '中国共产党简史',
  },
  {
    kind: 'single',
    category: '党史',
    difficulty: '难',
    stem: '确立毛泽东在党中央和红军的领导地位的会议是？',
    options: ['八七会议', '古田会议', '遵义会议', '洛川会议'],
    answer: [2],
    explanation: '1935 年 1 月的遵义会议，是党的历史上一个生死攸关的转折点。',
    source: '中国共产党简史',
  },
  {
    kind: 'judge',
    category: '党史',
    difficulty: '易',
    stem: '中华人民共和国于 1949 年 10 月 1 日成立。',
    options: J,
    answer: [0],
    explanation: '1949 年 10 月 1 日，中华人民共和国中央人民政府成立。',
    source: '中国共产党简史',
  },
  {
    kind: 'multi',
    category: '党史',
    stem: '下列属于党的历史上的重要会议的有？',
    options: ['中共一大', '遵义会议', '十一届三中全会', '巴黎和会'],
    answer: [0, 1, 2],
    explanation: '巴黎和会不是党的会议。',
    source: '中国共产党简史',
  },
  {
    kind: 'single',
    category: '理论',
    difficulty: '易',
    stem: '党的根本宗旨是？',
    options: ['全心全意为人民服务', '发展生产力', '实现共同富裕', '依法治国'],
    answer: [0],
    explanation: '党除了工人阶级和最广大人民群众的利益，没有自己特殊的利益；根本宗旨是全心全意为人民服务。',
    source: '中国共产党章程 总纲',
  },
  {
    kind: 'single',
    category: '理论',
    stem: '党的思想路线的核心是？',
    options: ['实事求是', '群众路线', '独立自主', '艰苦奋斗'],
    answer: [0],
    explanation: '党的思想路线是一切从实际出发，理论联系实际，实事求是，在实践中检验真理和发展真理。',
    source: '中国共产党章程 总纲',
  },
  {
    kind: 'judge',
    category: '理论',
    stem: '民主集中制是党的根本组织原则。',
    options: J,
    answer: [0],
    explanation: '党是根据自己的纲领和章程，按照民主集中制组织起来的统一整体。',
    source: '中国共产党章程 第十条',
  },
  {
    kind: 'single',
    difficulty: '难',
    stem: '党员连续多长时间不交纳党费、又无正当理由的，按自行脱党处理？',
    options: ['三个月', '六个月', '九个月', '一年'],
    answer: [1],
    explanation: '连续六个月不交纳党费又无正当理由的，视为自行脱党。',
    source: '中国共产党章程 第九条',
  },
  // 填空题: every blank has the answers that count as right (compared without full-/half-width or spaces).
  {
    kind: 'fill',
    category: '党史',
    difficulty: '易',
    stem: '中国共产党第一次全国代表大会于 ____ 年 7 月召开。',
    options: [],
    answer: [],
    accepted: [['1921', '一九二一']],
    explanation: '1921 年 7 月，中共一大召开，宣告中国共产党成立。',
    source: '中国共产党简史',
  },
  {
    kind: 'fill',
    difficulty: '中',
    stem: '预备党员的预备期为 ____ 年，从支部大会通过他为预备党员之日算起。',
    options: [],
    answer: [],
    accepted: [['一', '1']],
    explanation: '预备期为一年；预备期从支部大会通过他为预备党员之日算起。',
    source: '中国共产党章程 第七条',
  },
  {
    kind: 'fill',
    difficulty: '难',
    stem: '“三会一课”中的“三会”是支部党员大会、____ 和 ____。',
    options: [],
    answer: [],
    accepted: [
      ['支部委员会', '支委会', '支部委员会会议'],
      ['党小组会', '党小组会议'],
    ],
    explanation: '“三会”指支部党员大会、支部委员会和党小组会，“一课”指党课。',
    source: '中国共产党支部工作条例（试行） 第十五条',
  },
];

/** The demo's questions by their source: the 党章 itself, or the party's rules (条例, 细则, 规定). */
const categoryOf = (source: string) => (source.startsWith('中国共产党章程') ? '党章' : '党规');

export async function seedLearn(
  tx: Tx,
  tenantId: string,
  root: OrgRef,
  orgs: OrgRef[],
  store: FileStore | null,
): Promise<void> {
  const today = todayInChina();
  const t0 = now();
  const power = orgs.find((o) => o.name === '华夏电力有限公司党委');
  const insertItems = async (at: OrgRef, seeds: Seed[], daysAgo: number) =>
    tx
      .insert(learnItem)
      .values(
        seeds.map((s, i) => ({
          tenantId,
          orgId: at.id,
          kind: s.kind,
          title: s.title,
          titleInitials: initials(s.title),
          summary: s.summary,
          body: s.body ?? '',
          keywords: (s.keywords ?? []).join(' '),
          author: s.author ?? '',
          minutes: s.minutes,
          required: s.required ?? false,
          dueOn: s.required ? addDays(today, 20) : null,
          audience: s.audience ?? 'all',
          publishedAt: new Date(t0.getTime() - (daysAgo + i) * 86_400_000),
          createdBy: 'zuzhibu',
        })),
      )
      .returning();
  const items = [
    ...(await insertItems(root, GROUP_CONTENT, 3)),
    ...(power ? await insertItems(power, POWER_CONTENT, 1) : []),
  ];
  // 电子书: each book gets a demo PDF (a page per chapter, its 目录 as the PDF's outline) when the demo has a file store.
  const seeds = [...GROUP_CONTENT, ...(power ? POWER_CONTENT : [])];
  if (store)
    for (const [k, it] of items.entries()) if (it.kind === 'book') await demoBookFile(tx, store, it, seeds[k]!);
  // 课时: every course is its lessons — its own, or one text lesson of its content (as migration 0057 made them).
  const lessonRows = await tx
    .insert(learnLesson)
    .values(
      items.flatMap((it, k) =>
        it.kind !== 'course'
          ? []
          : (seeds[k]!.lessons ?? [{ title: it.title, body: it.body, minutes: it.minutes }]).map((l, i) => ({
              tenantId,
              itemId: it.id,
              position: i + 1,
              kind: 'text',
              title: l.title,
              body: l.body,
              minutes: l.minutes,
              createdAt: it.publishedAt!,
            })),
      ),
    )
    .returning();
  const lessonsOf = (itemId: string) =>
    lessonRows.filter((l) => l.itemId === itemId).sort((a, b) => a.position - b.position);

  const questions = await tx
    .insert(learnQuestion)
    .values(
      QUESTIONS.map((q) => ({
        tenantId,
        orgId: root.id,
        ...q,
        category: q.category ?? categoryOf(q.source),
        difficulty: q.difficulty ?? '中',
        accepted: q.accepted ?? null,
      })),
    )
    .returning();
  const [exam] = await tx
    .insert(learnExam)
    .values({
      tenantId,
      orgId: root.id,
      title: '2026 年党章党规知识测试',
      questionIds: questions.slice(0, 10).map((q) => q.id),
      passScore: 60,
      minutes: 20,
      maxAttempts: 3,
      opensOn: addDays(today, -10),
      closesOn: addDays(today, 20),
      required: true,
      createdBy: 'zuzhibu',
    })
    .returning();

  // A random paper (随机组卷): everyone draws their own questions on 党章, 党史 and 理论.
  await tx.insert(learnExam).values({
    tenantId,
    orgId: root.id,
    title: '党史与理论随机测试',
    questionIds: [],
    draw: { categories: ['党章', '党史', '理论'], counts: { single: 4, multi: 1, judge: 2, fill: 0 } },
    passScore: 60,
    minutes: 15,
    maxAttempts: 2,
    opensOn: addDays(today, -5),
    closesOn: addDays(today, 15),
    required: false,
    createdBy: 'zuzhibu',
  });

  // Learning of the members of some branches: about two in three studied something this month.
  const branches = orgs.filter((o) =>
    ['第一发电厂党支部', '第二发电厂党支部', '研发中心党支部', '集团机关第一党支部', '电力营销党支部'].includes(o.name),
  );
  // Their 党小组 included: most of a branch's members sit in its groups.
  const subtrees = orgs.filter((o) => branches.some((b) => o.path.startsWith(b.path)));
  const people = await fullMembersOf(
    tx,
    tenantId,
    subtrees.map((o) => o.id),
  );
  const [demoUser] = await tx.select({ id: appUser.id }).from(appUser).where(eq(appUser.username, 'dangyuan'));
  const self = demoUser ? await memberOfUser(tx, tenantId, demoUser.id) : null;
  const month = today.slice(0, 7);
  const lastMonth = addDays(`${month}-01`, -1).slice(0, 7);
  const records: (typeof learnRecord.$inferInsert)[] = [];
  const lessonRecords: (typeof learnLessonRecord.$inferInsert)[] = [];
  const attempts: (typeof learnAttempt.$inferInsert)[] = [];
  people.forEach((p, n) => {
    if (p.id === self?.id) return; // the demo member's own learning starts empty: theirs to do in the app
    const active = n % 3 !== 2;
    const when = active ? month : lastMonth;
    const at = active ? t0 : new Date(t0.getTime() - 35 * 86_400_000);
    const picks = [items[(n * 7) % items.length]!, items[(n * 3 + 1) % items.length]!, items[0]!].filter(
      (x, i, a) => a.indexOf(x) === i,
    );
    picks.slice(0, 1 + (n % 3)).forEach((it, k) => {
      const need = secondsToComplete(it.kind as 'course', it.minutes);
      const done = (n + k) % 2 === 0;
      // A course's record is its lessons': all of them completed, or half of the first one.
      const all = lessonsOf(it.id);
      const lessons = all.slice(0, done ? undefined : 1);
      let lessonSeconds = 0;
      lessons.forEach((l) => {
        const s = lessonSecondsToComplete(l.minutes);
        lessonSeconds += done ? s : Math.floor(s / 2);
        lessonRecords.push({
          tenantId,
          userId: null,
          memberId: p.id,
          itemId: it.id,
          lessonId: l.id,
          seconds: done ? s : Math.floor(s / 2),
          progress: done ? 100 : 50,
          // A text lesson half read was scrolled to about its middle; one read was scrolled to its end.
          readTo: l.kind === 'text' ? (done ? 100 : 50) : 0,
          completedAt: done ? at : null,
          lastReportAt: at,
          updatedAt: at,
        });
      });
      records.push({
        tenantId,
        userId: null,
        memberId: p.id,
        orgId: p.orgId,
        itemId: it.id,
        seconds: all.length ? lessonSeconds : done ? need : Math.floor(need / 2),
        progress: done ? 100 : Math.floor(50 / Math.max(1, all.length)),
        completedAt: done ? at : null,
        activeMonth: when,
        lastReportAt: at,
        createdAt: at,
        updatedAt: at,
      });
    });
    if (exam && n % 4 === 0) {
      // c of the 10 answered right, the rest with a wrong option: the stored answers give the score.
      const c = 5 + (n % 6);
      const answers = Object.fromEntries(
        exam.questionIds.map((id, i) => {
          const q = questions.find((x) => x.id === id)!;
          return [id, i < c ? q.answer : [q.answer[0] === 0 ? 1 : 0]];
        }),
      );
      const score = c * 10;
      attempts.push({
        tenantId,
        userId: null,
        memberId: p.id,
        orgId: p.orgId,
        learner: p.name,
        kind: 'exam',
        examId: exam.id,
        onDate: today,
        questionIds: exam.questionIds,
        answers,
        startedAt: t0,
        submittedAt: t0,
        score,
        passed: score >= exam.passScore,
      });
    }
  });
  if (records.length) await tx.insert(learnRecord).values(records);
  if (lessonRecords.length) await tx.insert(learnLessonRecord).values(lessonRecords);
  if (attempts.length) await tx.insert(learnAttempt).values(attempts);
}
