/**
 * Notices (通知提醒): the kinds of notice the platform sends, their default Chinese templates and the
 * placeholders each may use, the channels, quiet hours, and the wire shapes of the notify routes.
 * Server and web both read this: the server renders and checks templates, the web previews and labels.
 */
import { z } from 'zod';
import { Paging } from './api';

/** Where a notice can go. `inapp` always; the others when configured and wanted. */
export const CHANNELS = ['inapp', 'email', 'sms', 'wecom', 'dingtalk', 'feishu', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  inapp: '站内信',
  email: '电子邮件',
  sms: '短信',
  wecom: '企业微信群机器人',
  dingtalk: '钉钉群机器人',
  feishu: '飞书群机器人',
  webhook: '对外推送（Webhook）',
};

export const ROBOT_PROVIDERS = ['wecom', 'dingtalk', 'feishu'] as const;
export type RobotProvider = (typeof ROBOT_PROVIDERS)[number];

type KindDef = {
  label: string;
  /** Who usually receives it (shown to admins editing templates). */
  audience: string;
  title: string;
  body: string;
  /** Placeholder → what it holds; a template may use these and nothing else. */
  placeholders: Record<string, string>;
  /** Example values for the preview. */
  sample: Record<string, string>;
};

/** Every kind of notice, with its default template. Admins may edit the text per tenant. */
export const NOTIFY_KINDS = {
  'meeting.notice': {
    label: '会议通知',
    audience: '受邀党员',
    title: '【会议通知】{{title}}',
    body: '{{orgName}}定于 {{startsAt}} 在{{location}}召开{{kindLabel}}，请准时参加。如不能参加，请在系统中请假。',
    placeholders: {
      title: '会议名称',
      orgName: '组织名称',
      kindLabel: '会议类型',
      startsAt: '开始时间',
      location: '地点',
    },
    sample: {
      title: '3月主题党日活动',
      orgName: '第一党支部',
      kindLabel: '主题党日',
      startsAt: '3月5日（周四）14:30',
      location: '三楼会议室',
    },
  },
  'meeting.reminder': {
    label: '会议提醒',
    audience: '受邀党员（会前一天、会前一小时）',
    title: '【会议提醒】{{when}}：{{title}}',
    body: '{{title}}将于 {{startsAt}} 在{{location}}召开，请准时参加。',
    placeholders: { title: '会议名称', when: '提前多久（明天 / 1小时后）', startsAt: '开始时间', location: '地点' },
    sample: { title: '3月主题党日活动', when: '明天', startsAt: '3月5日（周四）14:30', location: '三楼会议室' },
  },
  'meeting.reply': {
    label: '回复提醒',
    audience: '受邀而尚未回复的党员（书记在通知名单上点「提醒未回复」，每人每天最多一次）',
    title: '【请回复】{{title}}',
    body: '{{orgName}}定于 {{startsAt}} 在{{location}}召开{{title}}，您还没有回复能否参加，请在系统中确认参加或请假。',
    placeholders: { title: '会议名称', orgName: '组织名称', startsAt: '开始时间', location: '地点' },
    sample: {
      title: '3月主题党日活动',
      orgName: '第一党支部',
      startsAt: '3月5日（周四）14:30',
      location: '三楼会议室',
    },
  },
  'meeting.cancelled': {
    label: '会议取消',
    audience: '受邀党员',
    title: '【会议取消】{{title}}',
    body: '原定于 {{startsAt}} 召开的{{title}}已取消。{{reason}}',
    placeholders: { title: '会议名称', startsAt: '原定时间', reason: '取消原因' },
    sample: { title: '3月主题党日活动', startsAt: '3月5日（周四）14:30', reason: '取消原因：改期另行通知。' },
  },
  'meeting.changed': {
    label: '会议变更',
    audience: '受邀党员（已发布的会议改了开始时间、结束时间或地点时）',
    title: '【会议变更】{{title}}',
    body: '{{orgName}}{{kindLabel}}「{{title}}」有变更：{{changes}}。现定于 {{startsAt}} 至 {{endsAt}} 在{{location}}召开，请准时参加。如不能参加，请在系统中请假。',
    placeholders: {
      title: '会议名称',
      orgName: '组织名称',
      kindLabel: '会议类型',
      changes: '变更内容（原来的与现在的）',
      startsAt: '开始时间',
      endsAt: '结束时间',
      location: '地点',
    },
    sample: {
      title: '3月主题党日活动',
      orgName: '第一党支部',
      kindLabel: '主题党日',
      changes: '地点由三楼会议室改为党员活动室',
      startsAt: '3月5日（周四）14:30',
      endsAt: '16:00',
      location: '党员活动室',
    },
  },
  'meeting.makeup': {
    label: '补学提醒',
    audience: '缺席会议的党员（会议记录保存时、截止前 7 天仍未补学时）',
    title: '【补学提醒】{{title}}',
    body: '您未参加{{title}}（{{heldOn}}），请在 {{dueDate}} 前完成补学。',
    placeholders: { title: '会议名称', heldOn: '会议日期', dueDate: '补学截止日期' },
    sample: { title: '3月主题党日活动', heldOn: '3月5日', dueDate: '3月31日' },
  },
  'dues.bills': {
    label: '党费账单生成',
    audience: '支部书记、组织部',
    title: '【党费】{{month}} 账单已生成',
    body: '{{orgName}} {{month}} 党费账单已按时自动生成，共 {{bills}} 笔。{{missingBase}}',
    placeholders: { month: '月份', orgName: '组织名称', bills: '账单笔数', missingBase: '缺少缴费基数的提示' },
    sample: { month: '2026年3月', orgName: '党委', bills: '128', missingBase: '另有 3 名党员尚未核定缴费基数。' },
  },
  'dues.arrears': {
    label: '党费欠缴提醒（党员）',
    audience: '欠缴党员',
    title: '【党费提醒】您有 {{months}} 个月党费未交',
    body: '您有 {{months}} 个月的党费尚未交纳，共 {{owed}}。请尽快交纳。{{rule}}',
    placeholders: {
      months: '欠缴月数（未交的月份数，不一定连续）',
      owed: '欠缴金额',
      rule: '规定提示（连续 6 个月未交时为党章第九条）',
    },
    sample: { months: '3', owed: '150.00 元', rule: '' },
  },
  'dues.arrears.secretary': {
    label: '党费欠缴提醒（书记）',
    audience: '支部书记',
    title: '【党费提醒】{{memberName}} 有 {{months}} 个月党费未交',
    body: '{{orgName}}党员 {{memberName}} 有 {{months}} 个月的党费尚未交纳，共 {{owed}}。{{rule}}',
    placeholders: {
      memberName: '党员姓名',
      orgName: '组织名称',
      months: '欠缴月数（未交的月份数，不一定连续）',
      owed: '欠缴金额',
      rule: '规定提示（连续 6 个月未交时为党章第九条）',
    },
    sample: {
      memberName: '张三',
      orgName: '第一党支部',
      months: '6',
      owed: '300.00 元',
      rule: '党章第九条：连续六个月不交纳党费，又没有正当理由的，视为自行脱党。',
    },
  },
  'develop.deadline': {
    label: '发展党员时限提醒',
    audience: '支部书记',
    title: '【发展党员】{{personName}}：{{step}}{{due}}',
    body: '{{orgName}} {{personName}} 的「{{step}}」应于 {{dueDate}} 前完成（{{rule}}）。',
    placeholders: {
      personName: '发展对象姓名',
      orgName: '组织名称',
      step: '环节',
      due: '到期说明',
      dueDate: '期限',
      rule: '依据',
    },
    sample: {
      personName: '李四',
      orgName: '第一党支部',
      step: '谈话',
      due: '，还有 7 天到期',
      dueDate: '2026年3月12日',
      rule: '发展党员工作细则 第五条',
    },
  },
  'org.term': {
    label: '换届提醒',
    audience: '本组织书记、上级组织管理员',
    title: '【换届提醒】{{orgName}}{{due}}',
    body: '{{orgName}}本届任期至 {{termEnd}}，{{due}}。请按期做好换届选举准备。（{{rule}}）',
    placeholders: { orgName: '组织名称', termEnd: '任期届满日', due: '到期说明', rule: '依据' },
    sample: {
      orgName: '第一党支部',
      termEnd: '2026年6月30日',
      due: '还有 30 天届满',
      rule: '中办《关于党的基层组织任期的意见》',
    },
  },
  'member.flow.checkin': {
    label: '流动党员报到',
    audience: '流动党员所在支部书记（党员在手机上「向支部报到」时）',
    title: '【流动党员】{{memberName}}向支部报到',
    body: '{{orgName}}流动党员 {{memberName}}（现在{{location}}）{{on}}向支部报到：{{note}}{{lost}}',
    placeholders: {
      memberName: '党员姓名',
      orgName: '组织名称',
      location: '所在地',
      on: '报到日期',
      note: '近况',
      lost: '失联提示（已登记失联时）',
    },
    sample: {
      memberName: '王五',
      orgName: '第一党支部',
      location: '广东省深圳市',
      on: '2026年12月1日',
      note: '工作顺利，本季度思想汇报已提交。',
      lost: '',
    },
  },
  'member.flow.self': {
    label: '流动党员报到提醒',
    audience: '应与支部联系而未联系的流动党员本人',
    title: '【流动党员】请向{{orgName}}报到',
    body: '您上次与{{orgName}}联系是 {{lastContact}}，{{due}}。请在手机上「流动党员报到」中向支部报到，或直接联系支部书记。',
    placeholders: { orgName: '所在支部', lastContact: '上次联系日期', due: '提醒说明' },
    sample: { orgName: '第一党支部', lastContact: '2026年10月5日', due: '已超过 1 个月未联系' },
  },
  'member.flow': {
    label: '流动党员联系提醒',
    audience: '流动党员所在支部书记',
    title: '【流动党员】{{memberName}}：{{due}}',
    body: '{{orgName}}流动党员 {{memberName}}（外出至{{location}}）上次联系是 {{lastContact}}，{{due}}。请及时联系并在系统中登记。（{{rule}}）',
    placeholders: {
      memberName: '党员姓名',
      orgName: '组织名称',
      location: '外出地点',
      lastContact: '上次联系日期',
      due: '提醒说明',
      rule: '依据',
    },
    sample: {
      memberName: '王五',
      orgName: '第一党支部',
      location: '广东省深圳市',
      lastContact: '2026年1月5日',
      due: '已超过 1 个月未联系',
      rule: '流出地党组织应定期与流动党员联系',
    },
  },
  'learn.due': {
    label: '学习截止提醒',
    audience: '尚未学完必修内容或尚未通过必考考试的党员（截止前 3 天、前 1 天各一次）',
    title: '【学习提醒】{{title}}：{{due}}',
    body: '{{orgName}}发布的{{what}}「{{title}}」将于 {{dueDate}} 截止（{{due}}），您还没有{{action}}，请抓紧完成。',
    placeholders: {
      title: '内容或考试名称',
      orgName: '发布的党组织',
      what: '类型（必修内容 / 必考考试）',
      dueDate: '截止日期',
      due: '还有几天截止',
      action: '尚未完成的事（学完 / 通过考试）',
    },
    sample: {
      title: '《中国共产党章程》逐章导读',
      orgName: '集团党委',
      what: '必修内容',
      dueDate: '2026年3月20日',
      due: '还有 3 天截止',
      action: '学完',
    },
  },
  'learn.remind': {
    label: '学习督促提醒',
    audience: '组织部门或书记在学习完成情况中点击“提醒未完成的”时，本组织范围内尚未完成的党员（每人每天至多一次）',
    title: '【学习提醒】{{title}}',
    body: '{{orgName}}提醒您：{{what}}「{{title}}」截止日期 {{dueDate}}，您还没有{{action}}，请抽空完成。',
    placeholders: {
      title: '内容或考试名称',
      orgName: '发出提醒的党组织',
      what: '类型（必修内容 / 必考考试）',
      dueDate: '截止日期',
      action: '尚未完成的事（学完 / 通过考试）',
    },
    sample: {
      title: '《中国共产党章程》逐章导读',
      orgName: '第一党支部',
      what: '必修内容',
      dueDate: '2026年3月20日',
      action: '学完',
    },
  },
  // 互动: private notices, sent to the person only (never to a group robot), without the content, which
  // stays behind the login (an e-mail or SMS copy must not carry a letter or an answer).
  'voice.opinion.answered': {
    label: '意见建议已答复',
    audience: '署名提交意见建议的党员（匿名提交的见「匿名意见建议已答复」）',
    title: '【意见建议】您提交的意见建议已答复',
    body: '{{orgName}}已答复您于 {{submittedOn}} 提交的意见建议，请登录查看答复并评价。',
    placeholders: { orgName: '办理的党组织', submittedOn: '提交日期' },
    sample: { orgName: '第一党支部', submittedOn: '2026年3月5日' },
  },
  // An anonymous submitter, in the org's `sealed` mode, hears of the answer in the platform's own inbox only:
  // no e-mail, SMS or robot copy (their delivery rows are readable by admins and would name the person), no
  // audit entry, nothing in the outbox (voice/opinions.ts answerOpinion).
  'voice.opinion.answered.anonymous': {
    label: '匿名意见建议已答复',
    audience: '匿名提交意见建议的党员（只发站内信，不发邮件、短信；组织选择「完全匿名」或职工凭参与码提交的无法通知）',
    title: '【意见建议】您匿名提交的意见建议已答复',
    body: '{{orgName}}已答复您于 {{submittedOn}} 匿名提交的意见建议，请在「我要建议 → 我的建议」中凭查询码查看答复并评价。',
    placeholders: { orgName: '办理的党组织', submittedOn: '提交日期' },
    sample: { orgName: '第一党支部', submittedOn: '2026年3月5日' },
  },
  'voice.opinion.assigned': {
    label: '意见建议交办',
    audience: '被交办的承办人',
    title: '【意见建议】{{orgName}}交办给您一条{{category}}',
    body: '{{by}}将{{orgName}}于 {{submittedOn}} 收到的一条{{category}}交办给您，请在 {{dueOn}} 前答复。',
    placeholders: {
      orgName: '办理的党组织',
      category: '类别（意见 / 建议 / 诉求 …）',
      by: '交办人',
      submittedOn: '提交日期',
      dueOn: '答复期限',
    },
    sample: {
      orgName: '第一党支部',
      category: '建议',
      by: '张建国',
      submittedOn: '2026年3月5日',
      dueOn: '2026年3月20日',
    },
  },
  // Sent once per item and person by the morning job (voice/notices.ts) when an item is still unanswered
  // after its answer period (VOICE_RULES.answerDays, a local rule: its citation is not confirmed).
  'voice.opinion.overdue': {
    label: '意见建议逾期未答复',
    audience: '承办人和办理组织的书记（本级无书记账号时为最近的上级书记）',
    title: '【意见建议逾期】{{orgName}}有一条{{category}}逾期未答复',
    body: '{{orgName}}于 {{submittedOn}} 收到的一条{{category}}应于 {{dueOn}} 前答复，已逾期 {{days}} 天，请尽快答复。依据：{{basis}}',
    placeholders: {
      orgName: '办理的党组织',
      category: '类别',
      submittedOn: '提交日期',
      dueOn: '答复期限',
      days: '逾期天数',
      basis: '答复期限的依据',
    },
    sample: {
      orgName: '第一党支部',
      category: '建议',
      submittedOn: '2026年3月5日',
      dueOn: '2026年3月20日',
      days: '3',
      basis: '本组织设定的答复期限 15 天（地方/企业规定）',
    },
  },
  'voice.letter.replied': {
    label: '党务信箱回信',
    audience: '写信的党员',
    title: '【党务信箱】您的来信有了回复',
    body: '{{orgName}}{{position}}回复了您的来信，请登录系统查看。',
    placeholders: { orgName: '收信的党组织', position: '收信人（书记 / 纪检委员）' },
    sample: { orgName: '第一党支部', position: '纪检委员' },
  },
  'voice.letter.followup': {
    label: '党务信箱来信补充',
    audience: '收信的书记或纪检委员',
    title: '【党务信箱】来信人补充了内容',
    body: '{{orgName}}{{position}}信箱的一封来信有新的补充，请登录系统查看。',
    placeholders: { orgName: '收信的党组织', position: '收信人（书记 / 纪检委员）' },
    sample: { orgName: '第一党支部', position: '书记' },
  },
  'voice.letter.received': {
    label: '党务信箱来信',
    audience: '收信的书记或纪检委员',
    title: '【党务信箱】您有一封新来信',
    body: '{{orgName}}{{position}}信箱收到一封新来信，请登录系统查看。',
    placeholders: { orgName: '收信的党组织', position: '收信人（书记 / 纪检委员）' },
    sample: { orgName: '第一党支部', position: '书记' },
  },
  // Sent by the voice module's event processor (voice/notices.ts) after the thread, reply, survey or vote is saved.
  'voice.mentioned': {
    label: '支部在线提到我',
    audience: '在支部在线的话题或回复中被 @ 的人',
    title: '【支部在线】{{author}}提到了您',
    body: '{{author}}在{{orgName}}支部在线的{{where}}中提到了您，请登录查看。',
    placeholders: { author: '发言人', orgName: '党组织', where: '位置（话题 / 回复）' },
    sample: { author: '张建国', orgName: '第一党支部', where: '话题' },
  },
  'voice.poll.published': {
    label: '问卷、投票发布',
    audience: '问卷或投票面向的人员（发布组织及下级中所选角色的人）',
    title: '【{{what}}】{{orgName}}发布了「{{title}}」',
    body: '{{orgName}}发布的{{what}}「{{title}}」{{opens}}开始，{{closes}}截止，请登录参与。',
    placeholders: {
      what: '类型（问卷 / 投票）',
      orgName: '发布的党组织',
      title: '名称',
      opens: '开始时间',
      closes: '截止时间',
    },
    sample: {
      what: '问卷',
      orgName: '集团党委',
      title: '2026 年度党员满意度测评',
      opens: '3月1日 08:00',
      closes: '3月10日 18:00',
    },
  },
  // 宣传: the review org's managers hear of a submitted article; the writer hears the decision.
  'media.review.requested': {
    label: '稿件待审核',
    audience: '上一级党组织的书记和管理员（本级无人时为最近的上级）',
    title: '【宣传】{{orgName}}提交了稿件待审核',
    body: '{{orgName}}提交的稿件《{{title}}》等待审核，请登录系统在「宣传 → 待我审核」中处理。',
    placeholders: { orgName: '提交稿件的党组织', title: '文章标题' },
    sample: { orgName: '第一党支部', title: '支部开展主题党日活动' },
  },
  'media.review.done': {
    label: '稿件审核结果',
    audience: '稿件的撰写人',
    title: '【宣传】您的稿件{{result}}',
    body: '您提交的稿件《{{title}}》{{result}}。{{reason}}',
    placeholders: { title: '文章标题', result: '已通过并发布 / 被退回', reason: '退回理由（通过时为空）' },
    sample: { title: '支部开展主题党日活动', result: '被退回', reason: '退回理由：请补充活动时间。' },
  },
  // 宣传: an article reaches the members of the publishing org's subtree when it becomes visible (at once, or at its 定时发布 time).
  'media.article.published': {
    label: '新文章发布',
    audience: '发布组织及下级组织的党员',
    title: '【宣传】{{orgName}}发布：{{title}}',
    body: '{{orgName}}在「{{channel}}」栏目发布了《{{title}}》，请登录系统在「宣传」中阅读。',
    placeholders: { orgName: '发布文章的党组织', title: '文章标题', channel: '栏目' },
    sample: { orgName: '集团党委', title: '关于开展党章专题学习的通知', channel: '通知公告' },
  },
  // 宣传: a comment that hit the sensitive-word list waits for the moderators of the article's / lecture's / campaign's org.
  'media.comment.held': {
    label: '评论待审核',
    audience: '文章、讲座或微视频征集所属党组织的书记和管理员（本级无人时为最近的上级）',
    title: '【宣传】有评论待审核',
    body: '{{what}}《{{title}}》收到一条含敏感词的评论，已暂不显示，请登录系统在「宣传 → 评论审核」中处理。',
    placeholders: { what: '评论对象（文章 / 讲座 / 微视频作品）', title: '标题' },
    sample: { what: '文章', title: '支部开展主题党日活动' },
  },
  // 宣传: a published online lecture reaches the members of the hosting org's subtree.
  'media.lecture.notice': {
    label: '网上讲座通知',
    audience: '主办组织及下级组织的党员',
    title: '【网上课堂】{{title}}',
    body: '{{orgName}}将于 {{startsAt}} 举办网上讲座《{{title}}》，主讲人：{{speaker}}。请按时进入网上课堂收看，参加情况计入党课。',
    placeholders: { orgName: '主办的党组织', title: '讲座标题', speaker: '主讲人', startsAt: '开始时间' },
    sample: {
      orgName: '华夏电力有限公司党委',
      title: '学习贯彻党的二十届三中全会精神',
      speaker: '王书记',
      startsAt: '3月5日（周四）14:30',
    },
  },
  // 微视频征集: a new campaign reaches the members of its org's subtree (sent when it is created, with its dates).
  'media.contest.open': {
    label: '微视频征集通知',
    audience: '征集组织及下级组织的党员',
    title: '【微视频征集】{{title}}',
    body: '{{orgName}}发起微视频征集《{{title}}》，征集时间 {{from}} 至 {{to}}（北京时间，含首尾两天）。请在「宣传 → 微视频征集」中查看征集规则并提交作品。',
    placeholders: { orgName: '征集的党组织', title: '征集标题', from: '征集开始日期', to: '征集截止日期' },
    sample: {
      orgName: '第一发电厂党支部',
      title: '「我身边的共产党员」微视频征集',
      from: '2026-12-01',
      to: '2026-12-15',
    },
  },
  // 微视频征集: the results are published (winners in the learning library) — to the members of the subtree.
  'media.contest.results': {
    label: '微视频征集结果公布',
    audience: '征集组织及下级组织的党员',
    title: '【微视频征集】《{{title}}》评审结果已公布',
    body: '{{orgName}}的微视频征集《{{title}}》评审结果已公布，{{winners}} 件优秀作品已发布到「学习教育」。请在「宣传 → 微视频征集」中查看。',
    placeholders: { orgName: '征集的党组织', title: '征集标题', winners: '发布到学习的作品数' },
    sample: { orgName: '第一发电厂党支部', title: '「我身边的共产党员」微视频征集', winners: '3' },
  },
  // 微视频征集: the campaign is withdrawn (撤销) before its results — to the members of the subtree, with the reason.
  'media.contest.withdrawn': {
    label: '微视频征集撤销',
    audience: '征集组织及下级组织的党员',
    title: '【微视频征集】《{{title}}》已撤销',
    body: '{{orgName}}已撤销微视频征集《{{title}}》，不再接收作品和投票。撤销理由：{{reason}}',
    placeholders: { orgName: '征集的党组织', title: '征集标题', reason: '撤销理由' },
    sample: {
      orgName: '第一发电厂党支部',
      title: '「我身边的共产党员」微视频征集',
      reason: '活动安排调整，另行通知。',
    },
  },
  // 微视频征集: the campaign org's keepers remind the judges who still have entries to score.
  'media.contest.remind': {
    label: '微视频征集评分提醒',
    audience: '尚有作品未评分的评委',
    title: '【微视频征集】请完成评分',
    body: '微视频征集《{{title}}》还有 {{count}} 件作品您尚未评分，请在「宣传 → 微视频征集 → 评委评分」中完成。',
    placeholders: { title: '征集标题', count: '未评分的作品数' },
    sample: { title: '「我身边的共产党员」微视频征集', count: '2' },
  },
  // 思想汇报: private notices to the person only, without the report's text or the comment.
  'thought.commented': {
    label: '思想汇报已批阅',
    audience: '提交思想汇报的党员',
    title: '【思想汇报】您的思想汇报已批阅',
    body: '{{orgName}}已批阅您提交的思想汇报《{{title}}》（{{period}}），结果：{{mark}}。请登录查看批阅意见。',
    placeholders: {
      orgName: '批阅的党组织',
      title: '汇报标题',
      period: '期次',
      mark: '批阅结果（已阅 / 优秀 / 需改进）',
    },
    sample: { orgName: '第一党支部', title: '学习党章的体会', period: '2026年第四季度', mark: '已阅' },
  },
  'talk.remind': {
    label: '谈心谈话提醒',
    audience: '支委会委员（书记在「谈心谈话」覆盖情况上点「提醒委员」，每人每天最多一次）',
    title: '【谈心谈话】{{year}}年还有 {{count}} 名党员未谈',
    body: '{{orgName}}提醒您：作为{{position}}，您{{year}}年还有 {{count}} 名党员尚未开展谈心谈话（如：{{names}}）。谈话后请在「谈心谈话」中登记。',
    placeholders: {
      orgName: '提醒的党组织',
      position: '委员职务',
      year: '年度',
      count: '未谈人数',
      names: '部分未谈党员姓名',
    },
    sample: { orgName: '第一党支部', position: '组织委员', year: '2026', count: '5', names: '张三、李四' },
  },
  'thought.remind': {
    label: '思想汇报提醒',
    audience: '本期应交而未交思想汇报的党员（书记在未交名单上点「提醒」，每人每天最多一次）',
    title: '【思想汇报】请提交{{period}}思想汇报',
    body: '{{orgName}}提醒您：作为{{category}}，请在 {{dueDate}} 前提交{{period}}的思想汇报（可在手机上「我的思想汇报」中提交）。',
    placeholders: {
      orgName: '提醒的党组织',
      category: '身份（预备党员 / 流动党员）',
      period: '期次',
      dueDate: '本期截止日期',
    },
    sample: { orgName: '第一党支部', category: '流动党员', period: '2026年第四季度', dueDate: '2026年12月31日' },
  },
  // 整改 (supervise): the owner (责任人, or the responsible org's 书记) and the 验收人.
  'supervise.rectify.assigned': {
    label: '整改任务',
    audience: '整改责任人（未指定责任人时为责任组织的书记）',
    title: '【整改】{{title}}',
    body: '{{orgName}}有一项来自{{source}}的整改事项「{{title}}」由您负责，整改期限 {{deadline}}。请按整改措施落实，并上传佐证材料后提交验收。',
    placeholders: { title: '问题标题', orgName: '责任组织', source: '问题来源', deadline: '整改期限' },
    sample: { title: '三会一课记录不完整', orgName: '第一党支部', source: '巡察', deadline: '2026-12-31' },
  },
  'supervise.rectify.due': {
    label: '整改到期提醒',
    audience: '整改责任人（期限前 7 天和前 1 天）',
    title: '【整改提醒】{{title}}：{{due}}',
    body: '{{orgName}}的整改事项「{{title}}」（来源：{{source}}）整改期限为 {{deadline}}，{{due}}。请及时落实并提交验收。',
    placeholders: { title: '问题标题', orgName: '责任组织', source: '问题来源', deadline: '整改期限', due: '到期说明' },
    sample: {
      title: '三会一课记录不完整',
      orgName: '第一党支部',
      source: '巡察',
      deadline: '2026-12-31',
      due: '还有 7 天到期',
    },
  },
  'supervise.rectify.overdue': {
    label: '整改逾期预警',
    audience: '整改责任人和验收人',
    title: '【整改逾期】{{title}}：{{due}}',
    body: '{{orgName}}的整改事项「{{title}}」（来源：{{source}}）整改期限为 {{deadline}}，{{due}}，尚未完成验收。请尽快落实整改。',
    placeholders: { title: '问题标题', orgName: '责任组织', source: '问题来源', deadline: '整改期限', due: '逾期天数' },
    sample: {
      title: '三会一课记录不完整',
      orgName: '第一党支部',
      source: '巡察',
      deadline: '2026-12-31',
      due: '已逾期 3 天',
    },
  },
  'supervise.rectify.submitted': {
    label: '整改待验收',
    audience: '验收人',
    title: '【整改待验收】{{title}}',
    body: '{{by}}已提交{{orgName}}整改事项「{{title}}」的整改情况，请验收：{{note}}',
    placeholders: {
      title: '问题标题',
      orgName: '责任组织',
      by: '提交人',
      note: '整改情况说明',
      source: '问题来源',
      deadline: '整改期限',
    },
    sample: {
      title: '三会一课记录不完整',
      orgName: '第一党支部',
      by: '陈志远',
      note: '已补齐记录并建立月度检查制度',
      source: '巡察',
      deadline: '2026-12-31',
    },
  },
  'supervise.rectify.returned': {
    label: '整改被退回',
    audience: '整改责任人',
    title: '【整改退回】{{title}}',
    body: '验收人{{by}}退回了{{orgName}}整改事项「{{title}}」，理由：{{note}}。请继续整改后再次提交验收（期限 {{deadline}}）。',
    placeholders: {
      title: '问题标题',
      orgName: '责任组织',
      by: '验收人',
      note: '退回理由',
      source: '问题来源',
      deadline: '整改期限',
    },
    sample: {
      title: '三会一课记录不完整',
      orgName: '第一党支部',
      by: '李强',
      note: '缺少第三季度支委会记录',
      source: '巡察',
      deadline: '2026-12-31',
    },
  },
  'supervise.rectify.closed': {
    label: '整改已销号',
    audience: '整改责任人',
    title: '【整改销号】{{title}}',
    body: '{{orgName}}整改事项「{{title}}」已由{{by}}验收通过，予以销号。',
    placeholders: {
      title: '问题标题',
      orgName: '责任组织',
      by: '验收人',
      note: '验收意见',
      source: '问题来源',
      deadline: '整改期限',
    },
    sample: {
      title: '三会一课记录不完整',
      orgName: '第一党支部',
      by: '李强',
      note: '',
      source: '巡察',
      deadline: '2026-12-31',
    },
  },
  // 考核评价 (assess/notices.ts): the assessed branch hears of its published result, the reviewers above of an appeal,
  // the appealing secretary of the answer.
  'assess.self.open': {
    label: '考核自评通知',
    audience: '被考核党支部的书记',
    title: '【考核自评】{{planTitle}}',
    body: '{{assessor}}开展「{{planTitle}}」（{{period}}），请{{orgName}}于{{deadline}}完成自评：{{items}}。人工评分和加分项须上传佐证材料。',
    placeholders: {
      planTitle: '考核名称',
      assessor: '考核组织',
      period: '考核期',
      orgName: '被考核党支部',
      deadline: '自评截止（如「2026-12-20 前」）',
      items: '需自评的指标',
    },
    sample: {
      planTitle: '2026年第4季度党支部考核',
      assessor: '发电运营党总支',
      period: '2026 年第 4 季度',
      orgName: '第一党支部',
      deadline: '2026-12-20 前',
      items: '党建品牌与特色工作、获上级表彰',
    },
  },
  'assess.published': {
    label: '考核结果公布',
    audience: '被考核党组织的书记',
    title: '【考核结果】{{planTitle}}已公布',
    body: '{{orgName}}在「{{planTitle}}」中得分 {{total}}，在{{parentName}}所属 {{peers}} 个党组织中排第 {{rank}} 名。如有异议，可在系统中申诉。',
    placeholders: {
      planTitle: '考核名称',
      orgName: '被考核党组织',
      total: '得分',
      rank: '名次',
      peers: '参与排名的党组织数',
      parentName: '上级党组织',
    },
    sample: {
      planTitle: '2026年度党支部考核',
      orgName: '第一党支部',
      total: '92.5',
      rank: '2',
      peers: '8',
      parentName: '发电公司党委',
    },
  },
  'assess.appealed': {
    label: '考核申诉',
    audience: '上级党组织的书记（答复申诉的人）',
    title: '【考核申诉】{{orgName}}对「{{planTitle}}」的结果提出申诉',
    body: '{{orgName}}的{{by}}对「{{planTitle}}」的考核结果提出申诉，请登录系统查看理由并答复。',
    placeholders: { planTitle: '考核名称', orgName: '申诉的党组织', by: '申诉人' },
    sample: { planTitle: '2026年度党支部考核', orgName: '第一党支部', by: '张建国' },
  },
  'assess.appeal.answered': {
    label: '考核申诉已答复',
    audience: '提出申诉的人',
    title: '【考核申诉】「{{planTitle}}」的申诉已答复',
    body: '{{by}}已答复{{orgName}}对「{{planTitle}}」的申诉{{changed}}，请登录系统查看。',
    placeholders: {
      planTitle: '考核名称',
      orgName: '申诉的党组织',
      by: '答复人',
      changed: '是否更正了评分（“，并更正了评分”或空）',
    },
    sample: { planTitle: '2026年度党支部考核', orgName: '第一党支部', by: '李强', changed: '，并更正了评分' },
  },
  // 志愿服务 (service/service.ts): the organizers cancel an activity, or change its time or place.
  'volunteer.cancelled': {
    label: '志愿服务活动取消',
    audience: '已报名的志愿者',
    title: '【活动取消】{{title}}',
    body: '{{orgName}}原定于 {{startsAt}} 在{{place}}开展的志愿服务活动「{{title}}」已取消。{{reason}}',
    placeholders: { title: '活动名称', orgName: '发布组织', startsAt: '原定时间', place: '地点', reason: '取消原因' },
    sample: {
      title: '“学雷锋”便民服务日',
      orgName: '第一党支部',
      startsAt: '3月5日（周四）09:00',
      place: '厂区南门广场',
      reason: '取消原因：天气原因，改期另行通知。',
    },
  },
  'volunteer.changed': {
    label: '志愿服务活动变更',
    audience: '已报名的志愿者（组织者改了活动时间或地点时）',
    title: '【活动变更】{{title}}',
    body: '志愿服务活动「{{title}}」有变更：{{changes}}。现定于 {{startsAt}} 至 {{endsAt}} 在{{place}}开展，如不能参加，请在系统中取消报名。',
    placeholders: {
      title: '活动名称',
      changes: '变更内容（原来的与现在的）',
      startsAt: '开始时间',
      endsAt: '结束时间',
      place: '地点',
    },
    sample: {
      title: '“学雷锋”便民服务日',
      changes: '地点由厂区南门广场改为职工之家',
      startsAt: '3月5日（周四）09:00',
      endsAt: '11:30',
      place: '职工之家',
    },
  },
  'notify.test': {
    label: '测试消息',
    audience: '配置渠道时的测试',
    title: '【测试】先锋智慧党建通知测试',
    body: '这是一条测试消息，发送于 {{sentAt}}。收到即表示 {{channel}} 配置正确。',
    placeholders: { sentAt: '发送时间', channel: '渠道' },
    sample: { sentAt: '3月5日 14:30', channel: '钉钉群机器人' },
  },
} as const satisfies Record<string, KindDef>;
export type NotifyKind = keyof typeof NOTIFY_KINDS;
export const NOTIFY_KIND_KEYS = Object.keys(NOTIFY_KINDS) as NotifyKind[];
export const isNotifyKind = (k: string): k is NotifyKind => Object.hasOwn(NOTIFY_KINDS, k);

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholder names a template text uses. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Placeholders a template uses that its kind does not offer; also stray braces that are no placeholder. */
export function unknownPlaceholders(kind: NotifyKind, text: string): string[] {
  const allowed = NOTIFY_KINDS[kind].placeholders as Record<string, string>;
  const bad = placeholdersOf(text).filter((p) => !Object.hasOwn(allowed, p));
  const stray = text.replace(PLACEHOLDER, '').match(/\{\{|\}\}/g);
  return stray ? [...bad, '{{…}}'] : bad;
}

/** Fills a template; a missing value becomes the empty string. */
export function renderTemplate(text: string, data: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const v = data[name];
    return v === undefined || v === null ? '' : String(v);
  });
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
/** An instant as people read it in China: 3月5日（周四）14:30. */
export function chinaDateTimeLabel(at: Date | string): string {
  const d = new Date(new Date(at).getTime() + 8 * 3600_000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日（周${WEEKDAYS[d.getUTCDay()]}）${hh}:${mm}`;
}
/** A date (YYYY-MM-DD) as people read it: 2026年3月5日. */
export function chinaDateLabel(date: string): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

// ---------- quiet hours ----------

export const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM（如 22:00）');
export type QuietHours = { start: string; end: string };
/** Default quiet hours for group robots and SMS: no messages at night unless urgent. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '22:00', end: '07:00' };

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * If `at` falls in the quiet hours (Beijing time; a window may cross midnight), the instant they
 * end; otherwise null. start === end means no quiet hours.
 */
export function quietUntil(at: Date, quiet: QuietHours | null): Date | null {
  if (!quiet) return null;
  const s = minutesOf(quiet.start);
  const e = minutesOf(quiet.end);
  if (s === e) return null;
  const local = new Date(at.getTime() + 8 * 3600_000);
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  const inside = s < e ? m >= s && m < e : m >= s || m < e;
  if (!inside) return null;
  const dayStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - 8 * 3600_000;
  let end = dayStart + e * 60_000;
  if (end <= at.getTime()) end += 86_400_000;
  return new Date(end);
}

// ---------- wire shapes ----------

export const NotificationItem = z.object({
  id: z.string(),
  seq: z.number(),
  kind: z.string(),
  kindLabel: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  urgent: z.boolean(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationItem = z.infer<typeof NotificationItem>;

export const NotificationsQuery = Paging.extend({
  unread: z.enum(['true', 'false', '1', '0']).optional(),
});
export const NotificationsReply = z.object({ items: z.array(NotificationItem), total: z.number(), unread: z.number() });
export type NotificationsReply = z.infer<typeof NotificationsReply>;

export const QuietHoursShape = z.strictObject({ start: HHMM, end: HHMM });

export const NotifySettings = z.object({
  email: z.string().nullable(),
  channels: z.object({ email: z.boolean(), sms: z.boolean() }),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  mutedKinds: z.array(z.string()),
  /** Which optional channels this server has configured (others cannot be turned on). */
  available: z.object({ email: z.boolean(), sms: z.boolean() }),
  /** Whether the member record has a phone for SMS. */
  hasPhone: z.boolean(),
});
export type NotifySettings = z.infer<typeof NotifySettings>;

export const NotifySettingsBody = z.strictObject({
  email: z.email('邮箱格式不正确').max(200).nullable(),
  channels: z.strictObject({ email: z.boolean(), sms: z.boolean() }),
  quietHours: QuietHoursShape.nullable(),
  mutedKinds: z.array(z.enum(NOTIFY_KIND_KEYS as [NotifyKind, ...NotifyKind[]], '未知的通知类型')).max(50),
});
export type NotifySettingsBody = z.infer<typeof NotifySettingsBody>;

export const TemplateItem = z.object({
  kind: z.string(),
  label: z.string(),
  audience: z.string(),
  title: z.string(),
  body: z.string(),
  urgent: z.boolean(),
  customized: z.boolean(),
  placeholders: z.array(z.object({ name: z.string(), label: z.string() })),
  defaultTitle: z.string(),
  defaultBody: z.string(),
});
export type TemplateItem = z.infer<typeof TemplateItem>;

export const TemplateBody = z.strictObject({
  title: z.string().trim().min(1, '请填写标题').max(100, '标题最多 100 字'),
  body: z.string().trim().min(1, '请填写正文').max(1000, '正文最多 1000 字'),
  urgent: z.boolean().default(false),
});
export const TemplatePreviewBody = TemplateBody.extend({ kind: z.string() });
export const TemplatePreview = z.object({ title: z.string(), body: z.string() });

export const RobotItem = z.object({
  id: z.string(),
  orgId: z.string(),
  provider: z.enum(ROBOT_PROVIDERS),
  name: z.string(),
  /** The webhook address with its key masked. */
  urlMasked: z.string(),
  hasSecret: z.boolean(),
  kinds: z.array(z.string()),
  subtree: z.boolean(),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type RobotItem = z.infer<typeof RobotItem>;

const robotFields = {
  provider: z.enum(ROBOT_PROVIDERS, '请选择机器人类型'),
  name: z.string().trim().min(1, '请填写名称').max(50),
  url: z.string().trim().min(1, '请填写 Webhook 地址').max(500),
  /** The signing secret (DingTalk SEC…, Feishu); null keeps the stored one on update, '' removes it. */
  secret: z.string().trim().max(200).nullable(),
  kinds: z.array(z.enum(NOTIFY_KIND_KEYS as [NotifyKind, ...NotifyKind[]], '未知的通知类型')).max(50),
  subtree: z.boolean(),
  quietHours: QuietHoursShape.nullable(),
  enabled: z.boolean(),
};
export const RobotBody = z.strictObject({
  ...robotFields,
  secret: robotFields.secret.default(null),
  kinds: robotFields.kinds.default([]),
  subtree: robotFields.subtree.default(false),
  quietHours: robotFields.quietHours.default(DEFAULT_QUIET_HOURS),
  enabled: robotFields.enabled.default(true),
});
export type RobotBody = z.infer<typeof RobotBody>;
/** A change: only the fields sent (no defaults — a rename must not reset the kinds, quiet hours or switch). */
export const RobotPatch = z.strictObject(robotFields).partial();

/** Domain events an integrator's webhook may subscribe to (outbox kinds = audit actions). */
export const WEBHOOK_EVENTS: Record<string, string> = {
  'meeting.create': '会议创建',
  'meeting.update': '会议修改',
  'meeting.publish': '会议发布',
  'meeting.cancel': '会议取消',
  'meeting.checkin': '会议签到',
  'member.create': '党员新增',
  'member.update': '党员信息修改',
  'member.import': '党员批量导入',
  'member.exit': '党员出党',
  'member.flow': '流动党员登记',
  'org.create': '组织新建',
  'org.update': '组织修改',
  'org.term': '组织任期登记',
  'org.election': '换届选举',
  'develop.person.create': '发展对象建档',
  'develop.person.close': '发展档案结束',
  'dues.bills.generate': '党费账单生成',
  'dues.payment.paid': '党费在线缴纳',
  'dues.payment.offline': '党费线下缴纳',
  'notify.test': '测试推送',
};

export const WebhookItem = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  kinds: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type WebhookItem = z.infer<typeof WebhookItem>;
const webhookFields = {
  name: z.string().trim().min(1, '请填写名称').max(50),
  url: z.string().trim().min(1, '请填写推送地址').max(500),
  kinds: z
    .array(z.string().refine((k) => k === '*' || Object.hasOwn(WEBHOOK_EVENTS, k), '未知的事件类型'))
    .min(1, '请至少选择一种事件')
    .max(50),
  enabled: z.boolean(),
};
export const WebhookBody = z.strictObject({ ...webhookFields, enabled: webhookFields.enabled.default(true) });
/** A change: only the fields sent (a rename must not switch a stopped endpoint back on). */
export const WebhookPatch = z.strictObject(webhookFields).partial();
/** Answer of creating a webhook: the signing secret, shown once. */
export const WebhookCreated = WebhookItem.extend({ secret: z.string() });

export const DELIVERY_STATUSES = ['queued', 'sent', 'retrying', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  queued: '待发送',
  sent: '已发送',
  retrying: '重试中',
  failed: '失败',
  skipped: '未发送',
};

export const DeliveryItem = z.object({
  id: z.string(),
  channel: z.enum(CHANNELS),
  kind: z.string(),
  target: z.string(),
  title: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  lastError: z.string().nullable(),
  responseStatus: z.number().nullable(),
  durationMs: z.number().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** The dead-letter job to resend, when the delivery gave up. */
  deadJobId: z.string().nullable(),
});
export type DeliveryItem = z.infer<typeof DeliveryItem>;
/** zod's ISO date is calendar-aware: 2027-02-29 and 2026-13-01 are refused. */
const dayParam = (label: string) => z.iso.date(`${label}须为 YYYY-MM-DD 格式的有效日期`);
/** The delivery log's filters: channel, status, and a range of Beijing days (both ends included). */
export const DeliveriesQuery = Paging.extend({
  channel: z.enum(CHANNELS, `未知的渠道，可选：${CHANNELS.join('、')}`).optional(),
  status: z.enum(DELIVERY_STATUSES, `未知的发送状态，可选：${DELIVERY_STATUSES.join('、')}`).optional(),
  endpointId: z.uuid('推送地址编号格式不正确').optional(),
  from: dayParam('开始日期').optional(),
  to: dayParam('结束日期').optional(),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] });
export type DeliveriesQuery = z.infer<typeof DeliveriesQuery>;

export const TestResult = z.object({
  ok: z.boolean(),
  status: z.number().nullable(),
  message: z.string(),
  durationMs: z.number(),
});
export type TestResult = z.infer<typeof TestResult>;

export const ChannelStat = z.object({
  channel: z.enum(CHANNELS),
  sent: z.number(),
  failed: z.number(),
  pending: z.number(),
  /** In-app only: notices read. */
  read: z.number().nullable(),
});
export const StatsReply = z.object({ items: z.array(ChannelStat), since: z.string() });
export type StatsReply = z.infer<typeof StatsReply>;

export const DeadLetter = z.object({
  id: z.string(),
  kind: z.string(),
  what: z.string(),
  error: z.string(),
  attempts: z.number(),
  at: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;
