/**
 * 党费 (party dues): the rate table as data, the quote rule, and wire shapes shared by the
 * server and the web app. All money is integer 分 (fen).
 *
 * Source: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号).
 * - 在职党员: monthly base = regular salary after personal income tax, social insurances, housing
 *   fund and annuity (irregular bonuses excluded). ≤ 3000 元 0.5%; 3000–5000 元 1%;
 *   5000–10000 元 1.5%; > 10000 元 2%. The bracket's rate applies to the WHOLE base (not
 *   progressive); upper bounds are inclusive (3000.00 元 → 15.00 元, 3000.01 元 → 30.00 元).
 * - 离退休党员: base = pension actually received. ≤ 5000 元 0.5%; > 5000 元 1%.
 * - 农民党员: 0.2–1 元 a month (configurable per enterprise, default 0.2 元).
 * - 学生、下岗失业、依靠抚恤或救济生活、领取最低生活保障金的党员: 0.2 元 a month.
 * - 生活确有困难的党员: may pay less or nothing with the branch's agreement (exemptions).
 * - 自愿多交党费不限; a single voluntary payment of 1000 元 or more goes entirely to the Central Committee.
 *
 * Rounding: base × rate is rounded half-up to the 分 (e.g. 3000.01 元 × 1% = 30.0001 元 → 30.00 元;
 * 3000.50 元 × 1% = 30.005 元 → 30.01 元). Computed in integers: ⌊(fen × bp + 5000) / 10000⌋.
 */
import { z } from 'zod';
import { DUES_CATEGORIES } from './member';

export type DuesCategory = (typeof DUES_CATEGORIES)[number];

export const DUES_REGULATION = '中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）';

/** One bracket: up to and including `upToFen` (null = no upper bound), `bp` basis points (1 bp = 0.01%). */
/**
 * A single voluntary payment (自愿多交) of 1000 元 or more belongs wholly to the Central Committee: it is owed
 * upward, kept out of the branch's usable balance and included in the remittance. "1000元以上" is read as
 * including 1000 元 (the usual reading of 以上 in Chinese legal texts, e.g. 刑法 第九十九条).
 */
export const CENTRAL_VOLUNTARY_MIN_FEN = 100_000;
export const CENTRAL_VOLUNTARY_CITATION = `${DUES_REGULATION}“一、党费的收缴”：自愿一次多交纳1000元以上的党费，全部上缴中央`;

export type DuesBracket = { upToFen: number | null; bp: number; citation: string };

export const IN_SERVICE_BRACKETS: readonly DuesBracket[] = [
  {
    upToFen: 300_000,
    bp: 50,
    citation: `${DUES_REGULATION}“一、党费的收缴”：每月工资收入（税后）在3000元以下（含3000元）者，交纳月工资收入的0.5%`,
  },
  {
    upToFen: 500_000,
    bp: 100,
    citation: `${DUES_REGULATION}“一、党费的收缴”：3000元以上至5000元（含5000元）者，交纳1%`,
  },
  {
    upToFen: 1_000_000,
    bp: 150,
    citation: `${DUES_REGULATION}“一、党费的收缴”：5000元以上至10000元（含10000元）者，交纳1.5%`,
  },
  { upToFen: null, bp: 200, citation: `${DUES_REGULATION}“一、党费的收缴”：10000元以上者，交纳2%` },
];

export const RETIRED_BRACKETS: readonly DuesBracket[] = [
  {
    upToFen: 500_000,
    bp: 50,
    citation: `${DUES_REGULATION}“一、党费的收缴”：离退休干部、职工党员，每月以实际领取的离退休费总额为计算基数，5000元以下（含5000元）者交纳0.5%`,
  },
  { upToFen: null, bp: 100, citation: `${DUES_REGULATION}“一、党费的收缴”：离退休费5000元以上者交纳1%` },
];

/** Fixed monthly amounts, independent of the base. */
export const FIXED_DUES: Record<'student' | 'unemployed' | 'other_low', { fen: number; citation: string }> = {
  student: { fen: 20, citation: `${DUES_REGULATION}“一、党费的收缴”：学生党员每月交纳党费0.2元` },
  unemployed: { fen: 20, citation: `${DUES_REGULATION}“一、党费的收缴”：下岗失业的党员每月交纳党费0.2元` },
  other_low: {
    fen: 20,
    citation: `${DUES_REGULATION}“一、党费的收缴”：依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员每月交纳党费0.2元`,
  },
};

/** 农民党员: 0.2–1 元 a month; the enterprise picks the amount (default 0.2 元). */
export const FARMER_DUES = {
  minFen: 20,
  maxFen: 100,
  defaultFen: 20,
  citation: `${DUES_REGULATION}“一、党费的收缴”：农民党员每月交纳党费0.2元至1元`,
};

export const EXEMPTION_CITATION = `${DUES_REGULATION}“一、党费的收缴”：对有特殊困难的党员，经党支部研究，报上一级党委批准后，可以少交或免交党费`;
export const VOLUNTARY_CITATION = `${DUES_REGULATION}“一、党费的收缴”：党员自愿多交党费不限；自愿一次多交纳1000元以上的党费，全部上缴中央`;
/** A single voluntary extra payment of at least this much is remitted entirely to the Central Committee. */
export const VOLUNTARY_TO_CENTRAL_FEN = 100_000;
export const ARREARS_CITATION =
  '《中国共产党章程》第九条：党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党';

/** Locally common limit for paying ahead (预交), configurable per enterprise up to this value. */
export const MAX_PREPAY_MONTHS = 6;
/** No monthly base above 100 万元 is plausible; larger numbers are typing errors. */
export const MAX_MONTHLY_BASE_FEN = 100_000_000;

/** What the retired base counts: the whole pension (2008 rule) or the basic pension (later notices). */
export const RETIRED_BASE_DEFINITIONS = ['pension', 'basic_pension'] as const;
export const RETIRED_BASE_LABELS = { pension: '实际领取的离退休费总额', basic_pension: '基本养老金' } as const;

/**
 * 补交 online is limited (issue 13 item 13): a member pays online at most this many months back from the current
 * month. Older arrears are settled through the branch (the secretary records the payment), because six months
 * unpaid is a matter the branch must take up under 党章第九条, not something an online payment quietly erases.
 * The limit is an enterprise setting; no national text fixes a number, so the default is ours.
 */
export const CATCH_UP_RULE = {
  defaultMonths: 6,
  maxMonths: 24,
  citation: ARREARS_CITATION,
  confirmed: true,
  note: '全国性规定未规定在线补交的月数上限；默认 6 个月与党章第九条“连续六个月”对应，为本系统的默认设置，企业可调整',
} as const;

export type DuesSettings = {
  farmerMonthlyFen: number;
  maxPrepayMonths: number;
  /** How many months back a member may pay online (补交); see CATCH_UP_RULE. */
  maxCatchUpMonths: number;
  retiredBase: (typeof RETIRED_BASE_DEFINITIONS)[number];
};
export const DEFAULT_DUES_SETTINGS: DuesSettings = {
  farmerMonthlyFen: FARMER_DUES.defaultFen,
  maxPrepayMonths: MAX_PREPAY_MONTHS,
  maxCatchUpMonths: CATCH_UP_RULE.defaultMonths,
  retiredBase: 'pension',
};

/** base × bp / 10000 rounded half-up to the 分, in exact integer arithmetic. */
export function applyRate(baseFen: number, bp: number): number {
  return Math.floor((baseFen * bp + 5000) / 10000);
}

export type DuesQuote = {
  /** The fraction applied (0.005, 0.01, …), or null for a fixed amount. */
  rate: number | null;
  /** Basis points (50 = 0.5%), 0 for a fixed amount. */
  rateBp: number;
  monthlyFen: number;
  ruleCitation: string;
  basis: 'percentage' | 'fixed';
};

const bracketOf = (table: readonly DuesBracket[], baseFen: number) =>
  table.find((b) => b.upToFen === null || baseFen <= b.upToFen)!;

/** The monthly dues of a category and base, per the 2008 regulation. */
export function quoteDues(
  category: DuesCategory,
  monthlyBaseFen: number,
  settings: Pick<DuesSettings, 'farmerMonthlyFen'> = DEFAULT_DUES_SETTINGS,
): DuesQuote {
  if (!Number.isSafeInteger(monthlyBaseFen) || monthlyBaseFen < 0 || monthlyBaseFen > MAX_MONTHLY_BASE_FEN)
    throw new RangeError('monthlyBaseFen out of range');
  if (category === 'employed' || category === 'retired') {
    const b = bracketOf(category === 'employed' ? IN_SERVICE_BRACKETS : RETIRED_BRACKETS, monthlyBaseFen);
    return {
      rate: b.bp / 10000,
      rateBp: b.bp,
      monthlyFen: applyRate(monthlyBaseFen, b.bp),
      ruleCitation: b.citation,
      basis: 'percentage',
    };
  }
  if (category === 'farmer')
    return {
      rate: null,
      rateBp: 0,
      monthlyFen: settings.farmerMonthlyFen,
      ruleCitation: FARMER_DUES.citation,
      basis: 'fixed',
    };
  const f = FIXED_DUES[category];
  return { rate: null, rateBp: 0, monthlyFen: f.fen, ruleCitation: f.citation, basis: 'fixed' };
}

/** 分 → "1,234.56" style 元 text (no currency sign). */
export function fenToYuan(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
/** 人民币大写 for receipts, e.g. 3001 → 叁拾元零壹分. */
export function fenInWords(fen: number): string {
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  const units = ['', '拾', '佰', '仟'];
  const groups = ['', '万', '亿'];
  let out = '';
  if (yuan > 0) {
    const s = String(yuan);
    let zero = false;
    for (let i = 0; i < s.length; i++) {
      const d = Number(s[i]);
      const pos = s.length - 1 - i;
      if (d === 0) zero = true;
      else {
        if (zero) out += '零';
        zero = false;
        out += DIGITS[d] + units[pos % 4]!;
      }
      if (pos % 4 === 0 && pos > 0) {
        const group = s.slice(Math.max(0, i - 3), i + 1);
        if (Number(group) > 0) out += groups[pos / 4]!;
      }
    }
    out += '元';
  }
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  return out;
}

/** Arrears levels by months unpaid: a notice from 1, a warning from 3, critical at 6 (党章第九条). */
export const ARREARS_LEVELS = [
  {
    level: 'critical',
    fromMonths: 6,
    label: '连续6个月未交（党章第九条：按自行脱党处理，须支部大会讨论、上级党委批准）',
  },
  { level: 'warning', fromMonths: 3, label: '已3个月以上未交，请尽快谈话提醒' },
  { level: 'notice', fromMonths: 1, label: '本月之前有未交党费' },
] as const;
export type ArrearsLevel = (typeof ARREARS_LEVELS)[number]['level'];
export const arrearsLevel = (months: number): ArrearsLevel | null =>
  ARREARS_LEVELS.find((l) => months >= l.fromMonths)?.level ?? null;

export const DUES_BILL_STATUSES = ['unpaid', 'paid', 'exempt'] as const;
export const DUES_BILL_STATUS_LABELS = { unpaid: '未交', paid: '已交', exempt: '免交' } as const;
export const PAYMENT_CHANNELS = ['wechat', 'alipay', 'cash', 'transfer'] as const;
export const PAYMENT_CHANNEL_LABELS = {
  wechat: '微信支付',
  alipay: '支付宝',
  cash: '现金',
  transfer: '银行转账',
} as const;
export const PAYMENT_STATUSES = ['pending', 'paid', 'closed', 'conflict'] as const;
export const PAYMENT_STATUS_LABELS = {
  pending: '待支付',
  paid: '已支付',
  closed: '已关闭',
  conflict: '重复支付待退款',
} as const;
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const APPROVAL_STATUS_LABELS = { pending: '待审批', approved: '已批准', rejected: '已驳回' } as const;

// ---------- wire shapes ----------

const Fen = (label: string) =>
  z.number(`${label}须为以分为单位的整数`).int(`${label}须为以分为单位的整数`).min(0, `${label}不能为负数`);

export const MonthlyBaseFen = Fen('月核定基数').max(
  MAX_MONTHLY_BASE_FEN,
  '月核定基数超过 100 万元，请核对（单位为分）',
);
export const DuesMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份须为 YYYY-MM 格式');
export const DuesCategoryField = z.enum(
  DUES_CATEGORIES,
  '党费类别须为 employed、retired、student、farmer、unemployed、other_low 之一',
);

export const QuoteBody = z.strictObject({ category: DuesCategoryField, monthlyBaseFen: MonthlyBaseFen });
export const QuoteReply = z.object({
  rate: z.number().nullable(),
  rateBp: z.number(),
  monthlyFen: z.number(),
  ruleCitation: z.string(),
  basis: z.enum(['percentage', 'fixed']),
});

export const DuesBase = z.object({
  id: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  category: DuesCategoryField,
  monthlyBaseFen: z.number(),
  rateBp: z.number(),
  monthlyFen: z.number(),
  effectiveFrom: z.string(),
  source: z.enum(['manual', 'import', 'correction']),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type DuesBase = z.infer<typeof DuesBase>;

export const DuesBaseInput = z.strictObject({
  memberId: z.uuid('编号格式不正确'),
  monthlyBaseFen: MonthlyBaseFen,
  effectiveFrom: DuesMonth,
  category: DuesCategoryField.optional(),
  note: z.string().trim().max(200).optional(),
});

export const DuesBill = z.object({
  id: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  month: z.string(),
  category: z.string(),
  baseFen: z.number(),
  rateBp: z.number(),
  standardFen: z.number(),
  dueFen: z.number(),
  status: z.enum(DUES_BILL_STATUSES),
  paidAt: z.string().nullable(),
  paymentId: z.string().nullable(),
});
export type DuesBill = z.infer<typeof DuesBill>;

export const PayBody = z.strictObject({
  channel: z.enum(['wechat', 'alipay'], '支付方式须为 wechat 或 alipay'),
  /** WeChat: jsapi (inside WeChat, needs openid) or h5 (phone browser). Alipay: wap. */
  tradeType: z.enum(['jsapi', 'h5', 'wap'], '支付场景须为 jsapi、h5 或 wap').default('h5'),
  openid: z.string().trim().min(1).max(128).optional(),
  /** Also pay the following months ahead (预交), up to the enterprise's limit. */
  aheadMonths: z.number().int().min(0).max(MAX_PREPAY_MONTHS, `预交最多 ${MAX_PREPAY_MONTHS} 个月`).default(0),
  /** Also settle every earlier unpaid month (补交). */
  catchUp: z.boolean().default(false),
  /** 自愿多交 (voluntary extra), no cap. */
  extraFen: Fen('自愿多交金额').max(MAX_MONTHLY_BASE_FEN).default(0),
  /** Where the provider sends the payer back after paying (H5/wap); same-origin path. */
  returnPath: z
    .string()
    .regex(/^\/[\w\-/?=&.]*$/, '返回地址须为本站路径')
    .max(200)
    .optional(),
});

export const OfflinePaymentBody = z.strictObject({
  method: z.enum(['cash', 'transfer'], '线下方式须为 cash（现金）或 transfer（转账）'),
  paidOn: z.iso.date('缴费日期须为 YYYY-MM-DD'),
  aheadMonths: z.number().int().min(0).max(MAX_PREPAY_MONTHS, `预交最多 ${MAX_PREPAY_MONTHS} 个月`).default(0),
  catchUp: z.boolean().default(false),
  extraFen: Fen('自愿多交金额').max(MAX_MONTHLY_BASE_FEN).default(0),
  reference: z.string().trim().max(64).optional(),
  note: z.string().trim().max(200).optional(),
});

export const DuesPayment = z.object({
  id: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  channel: z.enum(PAYMENT_CHANNELS),
  outTradeNo: z.string(),
  amountFen: z.number(),
  extraFen: z.number(),
  status: z.enum(PAYMENT_STATUSES),
  providerTradeNo: z.string().nullable(),
  months: z.array(z.string()),
  paidAt: z.string().nullable(),
  receiptNo: z.string().nullable(),
  createdAt: z.string(),
});
export type DuesPayment = z.infer<typeof DuesPayment>;

export const PayReply = z.object({
  payment: DuesPayment,
  /** What the client does next: call WeixinJSBridge with params, or open the provider's page. */
  next: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('jsapi'),
      params: z.object({
        appId: z.string(),
        timeStamp: z.string(),
        nonceStr: z.string(),
        package: z.string(),
        signType: z.literal('RSA'),
        paySign: z.string(),
      }),
    }),
    z.object({ kind: z.literal('redirect'), url: z.string() }),
  ]),
});

export const Receipt = z.object({
  receiptNo: z.string(),
  paymentId: z.string(),
  memberName: z.string(),
  orgName: z.string(),
  months: z.array(z.object({ month: z.string(), amountFen: z.number() })),
  extraFen: z.number(),
  amountFen: z.number(),
  amountInWords: z.string(),
  channel: z.enum(PAYMENT_CHANNELS),
  channelLabel: z.string(),
  providerTradeNo: z.string().nullable(),
  paidAt: z.string(),
  issuedBy: z.string(),
});

/** One month of an org subtree's 党费台账 (GET /dues/ledger `items`), in 分. */
export type LedgerMonth = {
  month: string;
  billedFen: number;
  paidBillsFen: number;
  unpaidFen: number;
  collectedFen: number;
  extraFen: number;
  remittedFen: number;
  usedFen: number;
  netFen: number;
  balanceFen: number;
  /** Collected this month that belongs to the Central Committee (voluntary payments ≥ 1000 元). */
  centralFen: number;
  /** Of the balance, money owed to the Central Committee not yet remitted. */
  centralHeldFen: number;
  /** The balance the org may use: `balanceFen` less `centralHeldFen`. */
  usableFen: number;
};

/** One org's own figures in the 对账 report (GET /dues/reconciliation `items`), in 分; `depth` below the root. */
export type ReconRow = {
  orgId: string;
  orgName: string;
  depth: number;
  billedFen: number;
  paidBillsFen: number;
  unpaidFen: number;
  exemptedFen: number;
  collectedFen: number;
  allocatedFen: number;
  extraFen: number;
  remittedOutFen: number;
  remittedInFen: number;
  usedFen: number;
  netFen: number;
};

export const ExemptionInput = z.strictObject({
  memberId: z.uuid('编号格式不正确'),
  fromMonth: DuesMonth,
  toMonth: DuesMonth,
  /** What is still paid each month: 0 = 免交, otherwise 少交 amount. */
  reducedFen: Fen('减免后月交金额').max(MAX_MONTHLY_BASE_FEN),
  reason: z.string().trim().min(2, '请填写减免原因').max(500),
});

export const Decision = z.strictObject({
  approve: z.boolean('请选择批准或驳回'),
  note: z.string().trim().max(200).default(''),
});

export const RemittanceInput = z.strictObject({
  orgId: z.uuid('编号格式不正确'),
  periodMonth: DuesMonth,
  amountFen: Fen('上缴金额').min(1, '上缴金额须大于 0').max(10_000_000_000),
  remittedOn: z.iso.date('上缴日期须为 YYYY-MM-DD'),
  note: z.string().trim().max(200).optional(),
});

export const UsageInput = z.strictObject({
  orgId: z.uuid('编号格式不正确'),
  spentOn: z.iso.date('使用日期须为 YYYY-MM-DD'),
  amountFen: Fen('使用金额').min(1, '使用金额须大于 0').max(10_000_000_000),
  purpose: z.string().trim().min(2, '请填写用途').max(200),
  note: z.string().trim().max(500).optional(),
});

export const CorrectionInput = z.strictObject({
  proposedBaseFen: MonthlyBaseFen,
  reason: z.string().trim().min(2, '请说明需要更正的原因').max(500),
});

export const SettingsInput = z.strictObject({
  farmerMonthlyFen: z
    .number()
    .int()
    .min(FARMER_DUES.minFen, '农民党员月交须在 0.2–1 元之间')
    .max(FARMER_DUES.maxFen, '农民党员月交须在 0.2–1 元之间'),
  maxPrepayMonths: z.number().int().min(0).max(MAX_PREPAY_MONTHS, `预交上限不超过 ${MAX_PREPAY_MONTHS} 个月`),
  maxCatchUpMonths: z
    .number()
    .int()
    .min(1, '在线补交上限至少 1 个月')
    .max(CATCH_UP_RULE.maxMonths, `在线补交上限不超过 ${CATCH_UP_RULE.maxMonths} 个月`)
    .default(CATCH_UP_RULE.defaultMonths),
  retiredBase: z.enum(RETIRED_BASE_DEFINITIONS),
});

// ---------- automation (issue #17): the monthly bill run and arrears reminders by the scheduler ----------

/** The day of the month the bill run may be set to: 1–28, so every month has it. */
export const BILL_RUN_MAX_DAY = 28;
/** Unpaid months at which the automatic arrears reminder goes out, once each per episode of arrears. */
export const ARREARS_REMINDER_STEPS = [1, 3, 6] as const;
/** From this step the member's secretary is reminded too. */
export const ARREARS_SECRETARY_FROM = 3;

export const DuesAutomationInput = z.strictObject({
  billRun: z.strictObject({
    enabled: z.boolean('请选择是否自动生成账单'),
    day: z
      .number('请填写每月几号生成账单')
      .int('日期须为整数')
      .min(1, `每月生成日须在 1–${BILL_RUN_MAX_DAY} 号之间`)
      .max(BILL_RUN_MAX_DAY, `每月生成日须在 1–${BILL_RUN_MAX_DAY} 号之间`),
  }),
  arrearsReminders: z.strictObject({ enabled: z.boolean('请选择是否自动发送欠缴提醒') }),
});
export type DuesAutomationInput = z.infer<typeof DuesAutomationInput>;
export const DuesAutomation = z.object({
  billRun: z.object({
    enabled: z.boolean(),
    day: z.number(),
    nextAt: z.string().nullable(),
    lastAt: z.string().nullable(),
  }),
  arrearsReminders: z.object({ enabled: z.boolean(), nextAt: z.string().nullable(), lastAt: z.string().nullable() }),
});
export type DuesAutomation = z.infer<typeof DuesAutomation>;

// ---------- offline payment instructions per org (issue 28 item 7 / issue 16 item 6) ----------

export const OFFLINE_INFO_LIMITS = { collector: 50, place: 100, time: 100, note: 300 } as const;
const offlineText = (label: string, max: number) =>
  z
    .string(`请填写${label}`)
    .trim()
    .max(max, `${label}不超过 ${max} 个字`)
    .refine(
      (s) => ![...s].some((c) => c < ' ' && c !== '\t' && c !== '\n' && c !== '\r'),
      `${label}含有不可见的控制字符`,
    );

/** Who collects dues offline, where and when (free text), set per org and inherited by its subtree. */
export const OfflineInfoInput = z.strictObject({
  orgId: z.uuid('请选择组织'),
  collector: offlineText('收缴人', OFFLINE_INFO_LIMITS.collector).pipe(
    z.string().min(1, '请填写收缴人（如 组织委员 李明）'),
  ),
  place: offlineText('地点', OFFLINE_INFO_LIMITS.place).pipe(z.string().min(1, '请填写交纳地点')),
  time: offlineText('时间', OFFLINE_INFO_LIMITS.time).pipe(
    z.string().min(1, '请填写交纳时间（如 每月 5 日前的工作日 9:00–17:00）'),
  ),
  note: offlineText('补充说明', OFFLINE_INFO_LIMITS.note).optional().default(''),
});
export type OfflineInfoInput = z.infer<typeof OfflineInfoInput>;

export const OfflineInfo = z.object({
  orgId: z.string(),
  orgName: z.string(),
  collector: z.string(),
  place: z.string(),
  time: z.string(),
  note: z.string(),
  updatedAt: z.string(),
});
export type OfflineInfo = z.infer<typeof OfflineInfo>;
