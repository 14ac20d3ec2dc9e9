/**
 * Organization rules as data, each with its source, so a rule change is a one-line change.
 * Sources: 中国共产党支部工作条例（试行）(2018), 中国共产党基层组织选举工作条例 (2020).
 */
import { z } from 'zod';
import { addYears } from './dates';
import type { OrgKind } from './roles';

/** Term length in years per org kind (branches 3; village/community branches 5 would be a per-org override). */
export const TERM_YEARS: Record<OrgKind, number | null> = {
  committee: 5,
  general_branch: 3,
  branch: 3,
  group: null,
};
export const TERM_CITATION =
  '中共中央办公厅《关于党的基层组织任期的意见》（2018）：党的基层委员会每届任期 5 年，党的总支部委员会、支部委员会每届任期 3 年（村、社区党组织每届任期 5 年）；《中国共产党章程》第三十条：基层委员会每届任期三年至五年（《意见》条目未能对照官方原文核实）';

/**
 * Term lengths an org may register. The 2018 意见 fixed 基层委员会 at 5 years (党章's "three to five" is the older,
 * wider frame) and 总支/支部 at 3, except village and community organizations, which have 5. The platform does not
 * know whether a branch is a village or community one, so a 5-year branch term is accepted and labelled as that
 * exception; anything else is refused.
 */
export const TERM_YEARS_ALLOWED: Record<OrgKind, readonly number[]> = {
  committee: [5],
  general_branch: [3, 5],
  branch: [3, 5],
  group: [],
};
export const termYearsLabel = (kind: OrgKind, years: number) =>
  years === 5 && kind !== 'committee' ? '5 年（村、社区党组织）' : `${years} 年`;

/** 换届 moved later with the approval of the org above: at most a year beyond the term's end. */
export const TERM_POSTPONE = {
  maxMonths: 12,
  confirmed: false,
  citation:
    '《中国共产党基层组织选举工作条例》第五条：任期届满应当按期进行换届选举；因特殊情况需要提前或者延期进行换届选举的，应当报上级党组织批准，延期时间一般不超过 1 年（条号与条文据转载文本，未能对照官方原文核实）',
} as const;

export const TermPostponeInput = z.strictObject({
  /** The new date by which the 换届 must be held. */
  until: z.iso.date('延期至的日期须为 YYYY-MM-DD'),
  approvedOn: z.iso.date('批准日期须为 YYYY-MM-DD'),
  /** 批准文件的文号, when there is one. */
  documentNo: z.string().trim().max(100, '文号不能超过 100 字').default(''),
  reason: z.string().trim().min(5, '请写明延期换届的特殊情况（至少 5 个字）').max(500, '延期理由不能超过 500 字'),
});
export type TermPostponeInput = z.infer<typeof TermPostponeInput>;
/** What is kept on the term about an approved postponement. */
export type TermPostponement = Omit<TermPostponeInput, 'until'> & { approvedBy: string | null; approverOrg: string };

export const COMMITTEE_POSITIONS = ['书记', '副书记', '组织委员', '宣传委员', '纪检委员', '委员'] as const;

export const STRUCTURE_RULES = {
  minFullMembersForBranch: {
    value: 3,
    confirmed: false,
    citation:
      '《中国共产党支部工作条例（试行）》第四条：有正式党员 3 人以上的，应当成立党支部（条号据转载文本，未能对照官方原文核实）',
  },
  committeeAtFullMembers: {
    value: 7,
    confirmed: false,
    citation:
      '《中国共产党支部工作条例（试行）》第六章：正式党员 7 人以上的党支部，设立党支部委员会，由 3 至 5 人组成，一般不超过 7 人（条号未能核实）',
  },
  maxMembersPerBranch: {
    value: 50,
    confirmed: false,
    citation:
      '《中国共产党支部工作条例（试行）》第四条：党支部党员人数一般不超过 50 名（含预备党员；条号据转载文本，未能对照官方原文核实）',
  },
} as const;

export const ELECTION_CITATION = {
  margin: '《中国共产党基层组织选举工作条例》第十二条：候选人数应多于应选人数的 20%',
  quorum: '《中国共产党基层组织选举工作条例》第二十一条：有选举权的到会人数超过应到会人数的五分之四，会议有效',
  majority: '《中国共产党基层组织选举工作条例》第二十九条：被选举人获得的赞成票超过实到会有选举权人数的一半，始得当选',
  ballots: '《中国共产党基层组织选举工作条例》第二十七条：收回的选票多于发出的选票，选举无效',
  voters: '《中国共产党章程》第七条：预备党员的权利，除了没有表决权、选举权和被选举权以外，也同正式党员一样',
  /**
   * Decided (issue 13 item 11): the 20 % surplus is a rule for electing committee members. A branch without a
   * committee (fewer than 7 full members) whose 党员大会 elects only its 书记 (and 副书记) may hold an 等额 election.
   */
  secretaryOnly:
    '《中国共产党基层组织选举工作条例》第十二条：委员候选人数应多于应选人数的 20%；不设委员会的党支部由党员大会选举书记、副书记，可以实行等额选举（后半句据转载文本与各地做法，未能对照官方原文核实）',
} as const;

/** 委员会 size: 3 to 5, generally no more than 7 (the same rule as the committee threshold, STRUCTURE_RULES). */
export const COMMITTEE_SIZE = { min: 3, usualMax: 5, max: 7 } as const;

export const ElectionInput = z.strictObject({
  heldOn: z.iso.date('选举日期须为 YYYY-MM-DD'),
  seats: z.number().int().min(1, '应选人数至少 1 人').max(31),
  dueVoters: z.number().int().min(1, '应到会人数至少 1 人'),
  presentVoters: z.number().int().min(0),
  /** Only the 书记 (and 副书记) of a branch without a committee are elected: no 20 % surplus (ELECTION_CITATION.secretaryOnly). */
  secretaryOnly: z.boolean().optional(),
  ballotsIssued: z.number().int().min(0),
  ballotsReturned: z.number().int().min(0),
  candidates: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(50),
        memberId: z.uuid().nullish(),
        votes: z.number().int().min(0),
      }),
    )
    .min(1, '至少一名候选人'),
});
export type ElectionInput = z.infer<typeof ElectionInput>;

export type ElectionResult = {
  valid: boolean;
  elected: string[];
  /** Rule violations, each in Chinese with its citation; an invalid election has at least one. */
  warnings: { rule: keyof typeof ELECTION_CITATION; message: string; citation: string }[];
  minCandidates: number;
};

/** Applies the three different majorities of an election; exactly half is not enough. */
export function evaluateElection(e: ElectionInput): ElectionResult {
  const warnings: ElectionResult['warnings'] = [];
  const warn = (rule: keyof typeof ELECTION_CITATION, message: string) =>
    warnings.push({ rule, message, citation: ELECTION_CITATION[rule] });
  const minCandidates = e.secretaryOnly && e.seats <= 2 ? e.seats : Math.ceil(e.seats * 1.2 - 1e-9);
  if (e.candidates.length < minCandidates)
    warn(
      'margin',
      `应选 ${e.seats} 人，候选人至少 ${minCandidates} 人（差额不少于 20%），实际 ${e.candidates.length} 人`,
    );
  if (e.presentVoters > e.dueVoters)
    warn('quorum', `实到会人数（${e.presentVoters}）不能多于应到会人数（${e.dueVoters}）`);
  if (e.presentVoters * 5 <= e.dueVoters * 4)
    warn('quorum', `到会 ${e.presentVoters} 人，未超过应到会 ${e.dueVoters} 人的五分之四，选举无效`);
  if (e.ballotsReturned > e.ballotsIssued)
    warn('ballots', `收回选票 ${e.ballotsReturned} 张多于发出 ${e.ballotsIssued} 张，选举无效`);
  const overVoted = e.candidates.find((c) => c.votes > e.ballotsReturned);
  if (overVoted) warn('ballots', `「${overVoted.name}」得票 ${overVoted.votes} 多于收回选票 ${e.ballotsReturned}`);
  const voidRound = warnings.some((w) => w.rule === 'quorum' || w.rule === 'ballots');
  // More than half of those present; seats left empty are not filled from below.
  const passing = e.candidates.filter((c) => c.votes * 2 > e.presentVoters).sort((a, b) => b.votes - a.votes);
  const cutoff = passing[e.seats - 1]?.votes;
  const tiedAtCutoff =
    cutoff !== undefined && passing.filter((c) => c.votes === cutoff).length > 1 && passing.length > e.seats;
  const elected = voidRound
    ? []
    : (tiedAtCutoff ? passing.filter((c) => c.votes > cutoff) : passing.slice(0, e.seats)).map((c) => c.name);
  if (!voidRound && elected.length < e.seats)
    warn(
      'majority',
      `应选 ${e.seats} 人，得票过半者 ${elected.length} 人${tiedAtCutoff ? '（末位票数相同，须就票数相等者再次投票）' : '，缺额不得从得票未过半者中递补'}`,
    );
  return { valid: !voidRound && warnings.every((w) => w.rule !== 'margin'), elected, warnings, minCandidates };
}

/** The next 换届 date: term start plus the kind's term length. */
export function termEnd(startsOn: string, years: number): string {
  return addYears(startsOn, years);
}

/**
 * Which unit an org path belongs to: the unit whose materialized path (`/1/5/9/`) is the longest prefix of it —
 * so a 党小组's or a lower branch's rows land on the nearest unit above them. For callers that read a subtree's
 * figures once and split them by branch (the assessment, the attention list).
 */
export function unitOfPath(units: readonly { id: string; path: string }[]): (path: string) => string | undefined {
  const byPath = new Map(units.map((u) => [u.path, u.id]));
  return (path) => {
    const parts = path.split('/'); // '/1/5/9/' → ['', '1', '5', '9', '']
    for (let k = parts.length - 1; k > 1; k--) {
      const id = byPath.get(`${parts.slice(0, k).join('/')}/`);
      if (id) return id;
    }
    return undefined;
  };
}

/** Rows counted by org path, summed per unit by `unitOf` (from {@link unitOfPath}); rows outside every unit are left out. */
export function sumPerUnit<K extends string>(
  unitOf: (path: string) => string | undefined,
  rows: readonly ({ path: string } & Record<K, number>)[],
  keys: readonly K[],
): Map<string, Record<K, number>> {
  const out = new Map<string, Record<K, number>>();
  for (const r of rows) {
    const u = unitOf(r.path);
    if (!u) continue;
    const s = out.get(u) ?? (Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>);
    for (const k of keys) s[k] += r[k];
    out.set(u, s);
  }
  return out;
}
