/**
 * The web's checklists (apps/web platform/CheckList, issue 15: one way to render one, in place of antd's
 * `Checkbox.Group`, which dropped a tap made right after it appeared — docs/notes/2026-12-04c/e2e-clock.md), on the
 * member's pages at 1280 and 390 px: a multiple-choice exam question, a survey's multiple-choice question (at most two)
 * and the notification settings. On the phone every choice is at least 44 px either way (48 in 大字模式: notify.e2e;
 * the 思想汇报 themes: thought.e2e; the draw dialog: learn-draw.e2e; the ballot: voice.e2e).
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { addDays, nowMs, todayInChina } from '@xianfeng/shared';
import { apiCall, choicesAtLeast, itWithShots, noOverflow, secretaryOf, startE2e, type E2e } from './harness';

const EXAM = '多选题小测（选项清单）';
const SURVEY = '支部学习形式意见征集';
const FORMS = '你希望的学习形式';

describe('checklists on the member’s pages at 1280 and 390', () => {
  let e: E2e;
  let surveyId: string;
  /** The member's open paper, started at 390 and opened again at 1280. */
  let paper = '';

  before(async () => {
    e = await startE2e();
    const { token: shuji, orgId } = await secretaryOf(e, 'shuji');
    const bank = (await apiCall(e, 'GET', '/learn/questions?pageSize=100', shuji)).items as {
      id: string;
      kind: string;
    }[];
    const multi = bank.find((q) => q.kind === 'multi');
    assert.ok(multi, 'the demo bank has a multiple-choice question');
    await apiCall(e, 'POST', '/learn/exams', shuji, {
      orgId,
      title: EXAM,
      questionIds: [multi.id],
      passScore: 50,
      minutes: 20,
      opensOn: addDays(todayInChina(), -1),
      closesOn: addDays(todayInChina(), 7),
    });
    const survey = await apiCall(e, 'POST', '/voice/surveys', shuji, {
      orgId,
      kind: 'survey',
      title: SURVEY,
      anonymous: false,
      audienceRoles: ['member'],
      opensAt: new Date(nowMs() - 3600_000).toISOString(),
      closesAt: new Date(nowMs() + 7 * 86_400_000).toISOString(),
      questions: [
        {
          id: 'q1',
          type: 'multiple',
          title: FORMS,
          required: true,
          options: ['专题党课', '读书分享', '现场教学', '线上微课'],
          maxChoices: 2,
        },
      ],
    });
    surveyId = survey.id;
    await apiCall(e, 'POST', `/voice-surveys/${surveyId}/publish`, shuji, {});
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'checklist');

  for (const width of [390, 1280]) {
    it(`at ${width}: a tap right after a list appears takes; a survey question stops at its most; ${width < 768 ? 'every choice at least 44 px' : 'the desk layout'}`, async () => {
      const phone = width < 768;
      const page = await e.page(width);
      await e.login(page, 'dangyuan');

      // 答题: the member's paper with one multiple-choice question; two options tapped the moment it shows.
      if (!paper) {
        await page.goto('/learn?tab=practice');
        await page
          .getByRole('listitem')
          .filter({ hasText: EXAM })
          .getByRole('button', { name: /开始考试/ })
          .click();
        await page.waitForURL(/\/learn\/attempts\//);
        paper = new URL(page.url()).pathname;
      } else await page.goto(paper);
      const answer = page.getByRole('group', { name: '第 1 题的选项' });
      const options = answer.getByRole('checkbox');
      await options.first().check();
      await options.nth(2).check();
      const checked = await options.evaluateAll((els) => els.map((el) => (el as HTMLInputElement).checked));
      assert.deepEqual(
        checked,
        checked.map((_, i) => i === 0 || i === 2),
        'A and C chosen, nothing else',
      );
      if (phone) {
        await choicesAtLeast(answer, 44);
        await noOverflow(page, 'a paper with a multiple-choice question');
      }
      await e.shot(page, `checklist-paper-${width}`);

      // 问卷: at most two of four; the other two wait until one is taken back.
      await page.goto(`/voice/surveys/${surveyId}`);
      const forms = page.getByRole('group', { name: FORMS });
      await forms.getByRole('checkbox', { name: '读书分享' }).check();
      await forms.getByRole('checkbox', { name: '线上微课' }).check();
      assert.ok(await forms.getByRole('checkbox', { name: '专题党课' }).isDisabled(), 'a third choice is refused');
      assert.ok(await forms.getByRole('checkbox', { name: '现场教学' }).isDisabled());
      if (phone) {
        await choicesAtLeast(forms, 44);
        await noOverflow(page, 'the survey');
      }
      await e.shot(page, `checklist-survey-${width}`);
      await forms.getByRole('checkbox', { name: '读书分享' }).uncheck();
      assert.ok(await forms.getByRole('checkbox', { name: '专题党课' }).isEnabled());

      // 通知设置: the kinds of notice, one a line.
      await page.goto('/notifications/settings');
      const kinds = page.getByRole('group', { name: '接收的通知类型' });
      await kinds.getByRole('checkbox').first().waitFor();
      if (phone) await choicesAtLeast(kinds, 44);
      await e.shot(page, `checklist-notify-settings-${width}`);

      // 思想汇报: the themes (thought.e2e submits one at 390).
      await page.goto('/thought/mine');
      const themes = page.getByRole('group', { name: '主要内容' });
      await themes.getByRole('checkbox').first().waitFor();
      if (phone) await choicesAtLeast(themes, 44);
      await e.shot(page, `checklist-thought-${width}`);
      assert.deepEqual(e.pageErrors, []);
    });
  }
});
