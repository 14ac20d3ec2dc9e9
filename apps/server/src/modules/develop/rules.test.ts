// @fixed-days: the waiting periods between the steps of 发展党员 (tools/test.mjs runs this file under each fixed clock).
/** The 发展党员 time rules (packages/shared develop.ts) at their boundary dates. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addMonths,
  addYears,
  checkProbationDecision,
  checkStep,
  checkVote,
  DEVELOP_STEPS,
  nextDeadline,
  noticeEnd,
  probationEnd,
  ProbationDecisionInput,
  statusAfter,
  type RuleContext,
  type StepDetails,
} from '@xianfeng/shared';

const TODAY = '2026-11-24';
/** A record with steps 1…n on the given dates. */
function ctx(dates: Record<number, string | [string, StepDetails]>, opts: Partial<RuleContext> = {}): RuleContext {
  return {
    birthDate: '1998-05-10',
    today: TODAY,
    assessments: [],
    steps: new Map(
      Object.entries(dates).map(([n, d]) => [
        Number(n),
        typeof d === 'string' ? { date: d, details: {} } : { date: d[0], details: d[1] },
      ]),
    ),
    ...opts,
  };
}
const rules = (c: RuleContext, no: number, date: string, details: StepDetails = {}) =>
  checkStep(c, no, date, details).map((v) => v.rule);
/** Steps 1…n, one day apart from 2023-01-02 (only order matters to these tests). */
const upTo = (n: number, extra: Record<number, string | [string, StepDetails]> = {}) => {
  const d: Record<number, string | [string, StepDetails]> = {};
  for (let i = 1; i <= n; i++) d[i] = `2023-01-${String(i + 1).padStart(2, '0')}`;
  return { ...d, ...extra };
};

describe('发展党员 rules as data', () => {
  it('has 25 steps in 5 stages, in order, each with a rule and a citation', () => {
    assert.equal(DEVELOP_STEPS.length, 25);
    DEVELOP_STEPS.forEach((s, i) => {
      assert.equal(s.no, i + 1);
      assert.ok(s.rule.length > 5 && s.citation.length > 5, `step ${s.no}`);
      assert.deepEqual(s.prerequisites, i === 0 ? [] : [i]);
    });
    assert.deepEqual([...new Set(DEVELOP_STEPS.map((s) => s.stage))], [1, 2, 3, 4, 5]);
    assert.equal(statusAfter(2), 'applicant');
    assert.equal(statusAfter(3), 'activist');
    assert.equal(statusAfter(7), 'candidate');
    assert.equal(statusAfter(17), 'probationary');
    assert.equal(statusAfter(24), 'full');
  });

  it('counts anniversaries and month deadlines on the calendar (02-29 and month ends)', () => {
    assert.equal(addYears('2024-02-29', 1), '2025-03-01');
    assert.equal(addYears('2023-06-15', 1), '2024-06-15');
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2026-11-30', 3), '2027-02-28');
  });
});

describe('applicant age (细则第五条)', () => {
  it('accepts an applicant who turns 18 exactly on the application day', () => {
    assert.deepEqual(rules(ctx({}, { birthDate: '2008-11-20' }), 1, '2026-11-20'), []);
  });
  it('rejects an applicant one day short of 18', () => {
    const v = checkStep(ctx({}, { birthDate: '2008-11-21' }), 1, '2026-11-20', {});
    assert.deepEqual(
      v.map((x) => x.rule),
      ['age'],
    );
    assert.match(v[0]!.message, /年满 18 岁/);
    assert.equal(v[0]!.overridable, false);
  });
  it('counts a 29 February birthday as reached on 1 March', () => {
    assert.deepEqual(rules(ctx({}, { birthDate: '2008-02-29' }), 1, '2026-02-28'), ['age']);
    assert.deepEqual(rules(ctx({}, { birthDate: '2008-02-29' }), 1, '2026-03-01'), []);
  });
});

describe('order and dates', () => {
  it('rejects a step whose previous step is not done, naming the missing step', () => {
    const v = checkStep(ctx(upTo(2)), 4, '2023-02-01', {});
    assert.deepEqual(
      v.map((x) => x.rule),
      ['order'],
    );
    assert.match(v[0]!.message, /第 3 步「推荐和确定入党积极分子」/);
  });
  it('rejects a date in the future and a date before the previous step', () => {
    assert.deepEqual(rules(ctx(upTo(2)), 3, '2026-11-25'), ['future']);
    assert.deepEqual(rules(ctx(upTo(2)), 3, '2023-01-02'), ['before_previous']);
    assert.deepEqual(rules(ctx(upTo(2)), 3, '2023-01-03'), []);
  });
  it('refuses to record the same step twice', () => {
    assert.deepEqual(rules(ctx(upTo(3)), 3, '2023-02-01'), ['order']);
  });
});

describe('talk within one month of the application (细则第七条)', () => {
  it('accepts the talk exactly one month after the application', () => {
    assert.deepEqual(rules(ctx({ 1: '2026-01-15' }), 2, '2026-02-15'), []);
  });
  it('flags a talk one day late as an overridable time rule', () => {
    const v = checkStep(ctx({ 1: '2026-01-15' }), 2, '2026-02-16', {});
    assert.deepEqual(
      v.map((x) => [x.rule, x.overridable]),
      [['talk_within_month', true]],
    );
  });
  it('treats 31 January + one month as the end of February', () => {
    assert.deepEqual(rules(ctx({ 1: '2026-01-31' }), 2, '2026-02-28'), []);
    assert.deepEqual(rules(ctx({ 1: '2026-01-31' }), 2, '2026-03-01'), ['talk_within_month']);
  });
});

describe('activist for at least one year before becoming a development target (细则第十三条)', () => {
  const base = (activistOn: string) =>
    ctx(
      { ...upTo(6), 3: activistOn, 4: activistOn, 5: activistOn, 6: activistOn },
      { assessments: [addMonths(activistOn, 6), addMonths(activistOn, 11)] },
    );
  it('accepts a development target exactly one year after becoming an activist', () => {
    assert.deepEqual(rules(base('2024-06-15'), 7, '2025-06-15'), []);
  });
  it('rejects a development target whose activist period is one day short of a year', () => {
    const v = checkStep(base('2024-06-15'), 7, '2025-06-14', {});
    assert.deepEqual(
      v.map((x) => x.rule),
      ['activist_one_year'],
    );
    assert.match(v[0]!.message, /还差 1 天/);
    assert.match(v[0]!.citation, /第十三条/);
  });
});

describe('half-yearly assessments of activists (细则第十一条)', () => {
  const base = (assessments: string[]) =>
    ctx({ ...upTo(5), 3: '2024-01-10', 4: '2024-01-10', 5: '2024-01-10' }, { assessments });
  it('accepts assessments every six months, the last exactly six months after the one before', () => {
    assert.deepEqual(rules(base(['2024-07-10', '2025-01-10']), 6, '2025-01-20'), []);
  });
  it('flags a gap of six months and one day', () => {
    assert.deepEqual(rules(base(['2024-07-11', '2025-01-10']), 6, '2025-01-20'), ['assessment_gap']);
  });
  it('flags fewer than two assessments', () => {
    assert.deepEqual(rules(base(['2024-07-10']), 6, '2024-12-01'), ['assessment_count']);
  });
});

describe('training, review, sponsors', () => {
  const c = ctx(upTo(10));
  it('accepts 3 days or 24 class hours of training, and flags less', () => {
    assert.deepEqual(rules(c, 11, '2023-02-01', { trainingDays: 3 }), []);
    assert.deepEqual(rules(c, 11, '2023-02-01', { trainingHours: 24 }), []);
    assert.deepEqual(rules(c, 11, '2023-02-01', { trainingDays: 2, trainingHours: 23 }), ['training']);
  });
  it('refuses a failed political review outright', () => {
    const v = checkStep(ctx(upTo(9)), 10, '2023-02-01', { reviewConclusion: '不合格' });
    assert.deepEqual(
      v.map((x) => [x.rule, x.overridable]),
      [['review', false]],
    );
  });
  it('needs exactly two different sponsors', () => {
    const a = '11111111-1111-4111-8111-111111111111';
    assert.deepEqual(rules(ctx(upTo(8)), 9, '2023-02-01', { sponsorIds: [a] }), ['sponsors_two']);
    assert.deepEqual(rules(ctx(upTo(8)), 9, '2023-02-01', { sponsorIds: [a, a] }), ['sponsors_two']);
  });
});

describe('公示 period in working days (local rule, 5 by default)', () => {
  it('ends on the fifth working day, skipping the weekend', () => {
    // Friday 2026-11-20: Fri, Mon, Tue, Wed, Thu.
    assert.equal(noticeEnd('2026-11-20'), '2026-11-26');
    // Starting on a Saturday, the first working day is Monday.
    assert.equal(noticeEnd('2026-11-21'), '2026-11-27');
  });
  it('skips the National Day holiday and counts the Saturday worked instead', () => {
    // 2026-09-30 (Wed) then holidays 10-01…10-07, 10-08 (Thu), 10-09 (Fri), 10-10 (Sat, worked), 10-12 (Mon).
    assert.equal(noticeEnd('2026-09-30'), '2026-10-12');
  });
  it('allows 预审 the day after the notice ends, not on its last day', () => {
    const c = ctx(upTo(12, { 12: ['2026-11-20', { noticeFrom: '2026-11-20' }] }), { today: '2026-11-30' });
    assert.deepEqual(rules(c, 13, '2026-11-26'), ['notice_period']);
    assert.deepEqual(rules(c, 13, '2026-11-27'), []);
  });
  it('uses the configured length when a tenant sets another one', () => {
    const c = ctx(upTo(12, { 12: ['2026-11-20', { noticeFrom: '2026-11-20' }] }), {
      today: '2026-12-10',
      noticeWorkingDays: 7,
    });
    assert.deepEqual(rules(c, 13, '2026-11-27'), ['notice_period']);
    assert.deepEqual(rules(c, 13, '2026-12-01'), []);
  });
});

describe('branch meeting votes: more than half of the full members due to attend', () => {
  const vote = (entitled: number, present: number, f: number, against = 0, abstain = 0, written = 0) =>
    checkVote({ entitled, present, written, for: f, against, abstain }).map((x) => x.rule);
  it('passes with yes votes from more than half of those due to attend', () => {
    assert.deepEqual(vote(10, 8, 6), []);
    assert.deepEqual(vote(9, 5, 5), []);
  });
  it('fails with exactly half — of those due to attend, not of those present', () => {
    assert.deepEqual(vote(10, 8, 5, 3), ['vote_majority']);
    // 5 of 6 present is a majority of the room, but not of the 10 due to attend.
    assert.deepEqual(vote(10, 6, 5, 1), ['vote_majority']);
  });
  it('needs more than half of those due to attend present', () => {
    assert.deepEqual(vote(10, 5, 5), ['vote_quorum']);
  });
  it('rejects more votes than voters, counting written opinions of absent members', () => {
    assert.deepEqual(vote(10, 7, 6, 1, 1), ['vote_count']);
    assert.deepEqual(vote(10, 7, 6, 1, 1, 1), []);
    assert.deepEqual(vote(10, 11, 6), ['vote_present', 'vote_written']);
  });
});

describe('a 发展对象 leaving the unit within three months is generally not admitted (RULE_CITATIONS.leaving)', () => {
  const passed = { entitled: 10, present: 8, written: 0, for: 8, against: 0, abstain: 0 };
  const meeting = '2024-11-30';
  const admit = (leavingOn?: string) =>
    checkStep(ctx(upTo(14)), 15, meeting, { vote: passed, ...(leavingOn ? { leavingOn } : {}) });
  it('flags leaving on the last day of the three months (from 30 November: 28 February), overridable, with the source', () => {
    const [v, ...rest] = admit('2025-02-28');
    assert.equal(rest.length, 0, 'only the leaving rule');
    assert.equal(v?.rule, 'leaving_soon');
    assert.equal(v?.overridable, true, 'the committee above may still admit with a recorded reason');
    assert.match(v!.citation, /未能核实/, 'the citation says it could not be confirmed');
  });
  it('admits someone leaving the day after the three months, or not leaving at all', () => {
    assert.deepEqual(
      admit('2025-03-01').map((x) => x.rule),
      [],
    );
    assert.deepEqual(
      admit().map((x) => x.rule),
      [],
    );
  });
  it('asks for the date only at the admission meeting', () => {
    assert.ok(DEVELOP_STEPS.find((s) => s.no === 15)!.fields.includes('leaving'), 'step 15 has the field');
    assert.equal(DEVELOP_STEPS.filter((s) => s.fields.includes('leaving')).length, 1, 'no other step asks');
  });
});

describe('approval within three months (six in special cases) and probation of one year', () => {
  const voted = (date: string) =>
    ctx(
      upTo(16, {
        15: [date, { vote: { entitled: 10, present: 8, written: 0, for: 8, against: 0, abstain: 0 } }],
        16: date,
      }),
    );
  it('accepts approval exactly three months after the branch meeting', () => {
    assert.deepEqual(rules(voted('2025-03-31'), 17, '2025-06-30'), []);
  });
  it('flags approval one day after three months; six months with a stated special case', () => {
    assert.deepEqual(rules(voted('2025-03-31'), 17, '2025-07-01'), ['approval_within']);
    assert.deepEqual(rules(voted('2025-03-31'), 17, '2025-07-01', { special: true, specialReason: '党委换届' }), []);
    assert.deepEqual(rules(voted('2025-03-31'), 17, '2025-07-01', { special: true }), ['approval_special']);
    const late = checkStep(voted('2025-03-31'), 17, '2025-10-01', { special: true, specialReason: '党委换届' });
    assert.deepEqual(
      late.map((x) => [x.rule, x.overridable]),
      [['approval_beyond_six_months', false]],
    );
  });
  it('never approves an admission beyond six months of the branch meeting, special case or not (细则第二十五条)', () => {
    for (const details of [{}, { special: true, specialReason: '党委换届' }]) {
      const late = checkStep(voted('2025-03-31'), 17, '2025-10-01', details);
      assert.ok(
        late.some((x) => x.rule === 'approval_beyond_six_months' && !x.overridable),
        JSON.stringify(late),
      );
    }
    assert.deepEqual(rules(voted('2025-03-31'), 17, '2025-09-30', { special: true, specialReason: '党委换届' }), []);
  });
  const probation = (admitted: string) =>
    ctx(
      upTo(22, {
        15: [admitted, {}],
        16: admitted,
        17: admitted,
        18: admitted,
        19: admitted,
        20: admitted,
        21: admitted,
        22: ['2025-06-01', { noticeFrom: '2025-06-01' }],
      }),
    );
  const yes = { vote: { entitled: 10, present: 8, written: 0, for: 8, against: 0, abstain: 0 } };
  it('allows the conversion vote exactly one year after admission', () => {
    assert.deepEqual(rules(probation('2024-06-20'), 23, '2025-06-20', yes), []);
  });
  it('rejects a conversion vote one day before the probation year ends', () => {
    const v = checkStep(probation('2024-06-20'), 23, '2025-06-19', yes);
    assert.deepEqual(
      v.map((x) => [x.rule, x.overridable]),
      [['probation_one_year', false]],
    );
  });
  const converted = (voteOn: string) =>
    ctx(
      upTo(23, {
        15: '2023-06-20',
        16: '2023-06-20',
        17: '2023-06-20',
        18: '2023-06-20',
        19: '2023-06-20',
        20: '2023-06-20',
        21: '2023-06-20',
        22: ['2024-06-01', { noticeFrom: '2024-06-01' }],
        23: [voteOn, yes],
      }),
    );
  it('gives the conversion approval three months and no special extension (细则第三十四条)', () => {
    assert.deepEqual(rules(converted('2024-06-20'), 24, '2024-09-20'), []);
    const late = checkStep(converted('2024-06-20'), 24, '2024-09-21', {});
    assert.deepEqual(
      late.map((x) => [x.rule, x.overridable]),
      [['approval_within', true]],
    );
    assert.match(late[0]!.citation, /第三十四条/);
    const special = checkStep(converted('2024-06-20'), 24, '2024-09-21', { special: true, specialReason: '党委换届' });
    assert.deepEqual(
      special.map((x) => [x.rule, x.overridable]),
      [
        ['approval_special', false],
        ['approval_within', true],
      ],
    );
  });
});

describe('deadlines for the board', () => {
  it('names the talk deadline of a new applicant and the conversion date of a probationary member', () => {
    assert.deepEqual(nextDeadline(ctx({ 1: '2026-10-10' }), 1)?.dueOn, '2026-11-10');
    const p = ctx(upTo(20, { 15: '2026-01-05' }));
    assert.equal(nextDeadline(p, 20)?.dueOn, '2027-01-05');
  });
});

describe('延长预备期 and 取消预备党员资格 (细则第三十二条; 党章第七条)', () => {
  // Admitted by the 支部大会 on 2024-03-15 (step 15), approved (17) on 2024-04-20: probation ends 2025-03-15.
  const admitted = () => upTo(17, { 15: '2024-03-15', 16: '2024-04-01', 17: '2024-04-20' });
  const vote = { entitled: 9, present: 8, written: 0, for: 7, against: 1, abstain: 0 };
  const extend = (meetingOn: string, months = 6) =>
    ({ kind: 'extend', months, meetingOn, vote, approvedOn: meetingOn, reason: '需要继续考察' }) as const;
  const check = (c: RuleContext, last: number, decided: ('extend' | 'cancel')[], input: ProbationDecisionInput) =>
    checkProbationDecision(c, last, decided, input).map((v) => v.rule);

  it('extends only once the year is over, and only once', () => {
    assert.deepEqual(check(ctx(admitted()), 17, [], extend('2025-03-15')), []);
    assert.deepEqual(check(ctx(admitted()), 17, [], extend('2025-03-14')), ['extend_early']);
    assert.deepEqual(check(ctx(admitted(), { extensionMonths: 6 }), 17, ['extend'], extend('2025-09-20')), [
      'extend_once',
    ]);
  });

  it('moves the end of probation, the 转正 vote and its deadline by the extension', () => {
    const c = ctx(admitted(), { extensionMonths: 6 });
    assert.equal(probationEnd(c), '2025-09-15');
    assert.equal(probationEnd(ctx(admitted(), { extensionMonths: 12 })), '2026-03-15');
    assert.equal(nextDeadline(c, 21)!.dueOn, '2025-09-15');
    const steps = {
      ...admitted(),
      ...upTo(22, {
        15: '2024-03-15',
        16: '2024-04-01',
        17: '2024-04-20',
        18: '2024-05-01',
        19: '2024-05-02',
        20: '2024-05-03',
        21: '2024-05-04',
        22: ['2025-09-01', { noticeFrom: '2025-09-01' }],
      }),
    };
    const votes = { vote };
    assert.ok(rules(ctx(steps, { extensionMonths: 6 }), 23, '2025-09-14', votes).includes('probation_one_year'));
    assert.ok(!rules(ctx(steps, { extensionMonths: 6 }), 23, '2025-09-15', votes).includes('probation_one_year'));
    // Without the extension the ordinary year applies.
    assert.ok(!rules(ctx(steps), 23, '2025-03-15', votes).includes('probation_one_year'));
  });

  it('cancels during probation, never before admission or after the 转正 vote; the vote rules apply', () => {
    const cancel = (meetingOn: string, v = vote) =>
      ({ kind: 'cancel', meetingOn, vote: v, approvedOn: meetingOn, reason: '不具备党员条件' }) as const;
    assert.deepEqual(check(ctx(admitted()), 17, [], cancel('2024-10-10')), []);
    assert.deepEqual(check(ctx(upTo(16)), 16, [], cancel('2024-10-10')), ['not_probationary']);
    assert.deepEqual(check(ctx(admitted()), 23, [], cancel('2025-04-10')), ['already_voted']);
    assert.deepEqual(check(ctx(admitted()), 17, [], cancel('2024-10-10', { ...vote, for: 4 })), ['vote_majority']);
    assert.deepEqual(check(ctx(admitted()), 17, [], { ...cancel('2024-10-10'), approvedOn: '2024-10-09' }), [
      'approval_order',
    ]);
    assert.deepEqual(check(ctx(admitted()), 17, [], cancel('2026-12-01')), ['future', 'future']);
  });

  it('refuses extensions shorter than six months or longer than twelve', () => {
    const parse = (months: number) => ProbationDecisionInput.safeParse(extend('2025-03-15', months));
    assert.ok(parse(6).success && parse(12).success);
    assert.match(parse(5).error!.issues[0]!.message, /不能少于半年/);
    assert.match(parse(13).error!.issues[0]!.message, /不超过一年/);
  });
});

describe('half-yearly assessments go on after step 6 while the person is an activist (细则第十一条)', () => {
  // Activist on 2024-06-15, step 6 (培养教育考察) on 2024-12-10.
  const c = (assessments: string[], today = '2025-07-01') =>
    ctx({ ...upTo(6), 3: '2024-06-15', 4: '2024-06-15', 5: '2024-06-15', 6: '2024-12-10' }, { assessments, today });
  it('flags a development target whose last assessment is more than six months old, overridably', () => {
    const v = checkStep(c([]), 7, '2025-06-16', {});
    assert.deepEqual(
      v.map((x) => [x.rule, x.overridable]),
      [['assessment_gap', true]],
    );
    assert.match(v[0]!.message, /上次考察在 2024-12-10，2025-06-10 前应再考察一次/);
    assert.deepEqual(rules(c(['2025-06-01']), 7, '2025-06-16'), []);
    assert.deepEqual(rules(c([]), 7, '2025-06-10'), ['activist_one_year']);
  });
  it('keeps the assessment on the board after step 6 when it falls before the year is over, and after it', () => {
    assert.deepEqual(nextDeadline(c([], '2025-03-01'), 6), {
      what: '入党积极分子半年考察',
      dueOn: '2025-06-10',
      citation: nextDeadline(c([], '2025-03-01'), 6)!.citation,
    });
    assert.equal(nextDeadline(c(['2025-06-01'], '2025-06-02'), 6)!.what, '可列为发展对象（培养满一年）');
    assert.equal(nextDeadline(c(['2025-06-01'], '2025-08-01'), 6)!.dueOn, '2025-12-01');
  });
});
