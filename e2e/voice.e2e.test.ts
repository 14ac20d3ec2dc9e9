/**
 * Issue 20 in the browser. On a 390px phone an employee who is not a member opens the branch's
 * public link from a one-time code slip the secretary printed, and rates the branch in its
 * 满意度测评; the member 陈志远 posts a suggestion, the secretary answers it at 1280px, and the
 * member rates the answer; a vote with 3 candidates, two members vote on their phones, the
 * secretary ends it and the results shown equal the ballots. Every 互动 page is photographed at
 * 1280 and 390 (and checked for sideways scrolling on the phone).
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import {
  DOWNLOAD_WAIT,
  apiGet,
  chooseOption,
  choicesAtLeast,
  confirmPop,
  itWithShots,
  noOverflow,
  startE2e,
  type E2e,
} from './harness';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);

type Survey = { id: string; title: string; kind: string; state: string };
type Vote = { id: string; candidates: { id: string; name: string }[] };
type VoteResults = { ballots: number; marks: number; candidates: { id: string; name: string; votes: number }[] };

/** Waits until no antd spinner turns and no transition runs, before a screenshot. */
async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.ant-spin-spinning, .ant-spin-blur').length === 0 &&
      document.getAnimations().every((a) => a.playState !== 'running'),
  );
}

const post = <T>(page: Page, url: string, body: unknown): Promise<T> =>
  page.evaluate(
    async ([u, b]) => {
      const r = await fetch(`/api/v1${u}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
      if (!r.ok) throw new Error(`${u}: ${r.status} ${await r.text()}`);
      return r.json();
    },
    [url, body] as const,
  ) as Promise<T>;

describe('互动 in the browser', () => {
  let e: E2e;
  let secretary: Page;
  let member: Page;
  let branchId = '';
  const it = itWithShots(() => e, 'voice');

  before(async () => {
    e = await startE2e();
    secretary = await e.page(1280);
    await e.login(secretary, 'shuji');
    member = await e.page(390);
    await e.login(member, 'dangyuan');
    const me = await apiGet<{ roles: { orgId: string }[] }>(secretary, '/me');
    branchId = me.roles[0]!.orgId;
  });
  after(() => e.close());

  it('lets an employee with a one-time code rate the branch on a phone', async () => {
    // The secretary prints codes for the branch's open 满意度测评.
    await secretary.goto('/voice/manage?tab=codes');
    await secretary.getByText('职工参与链接').waitFor();
    await secretary.getByRole('radio', { name: '问卷测评' }).check();
    await chooseOption(secretary, secretary.getByRole('combobox').last(), '满意度测评');
    await secretary.getByLabel('数量').fill('3');
    await secretary.getByRole('button', { name: '生成参与码' }).click();
    const slips = secretary.getByTestId('slips');
    await slips.waitFor();
    await settled(secretary);
    await e.shot(secretary, 'voice-code-slips-1280');
    const code = (await slips.locator('.xf-voice-code').first().innerText()).trim();
    assert.match(code, /^[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4}$/);

    // The employee scans the slip: the link carries the code; no account, no login.
    const employee = await e.page(390);
    await employee.goto(`/v/${branchId}?c=${code.replace(/-/g, '')}`);
    await employee.getByText('第一发电厂党支部 · 职工意见与测评').waitFor();
    assert.equal(await employee.getByLabel('参与码').inputValue(), code);
    await e.shot(employee, 'voice-public-code-390');
    await employee.getByRole('button', { name: '下一步' }).click();
    await employee.getByText('上半年党员群众对支部工作满意度测评').waitFor();
    for (const q of ['支部组织生活', '支部书记和支委', '党建工作与安全生产']) {
      const item = employee.locator('.xf-voice-question', { hasText: q });
      await item.locator('.ant-rate-star').nth(3).click();
    }
    await employee.getByRole('radio', { name: '信息公开' }).check();
    // The options read as text on the page (not only as accessible names).
    const option = employee.locator('.xf-voice-options .ant-radio-wrapper', { hasText: '信息公开' });
    const look = await option.evaluate((el) => ({
      text: (el as HTMLElement).innerText.trim(),
      width: el.getBoundingClientRect().width,
    }));
    assert.equal(look.text, '信息公开');
    assert.ok(look.width > 60, `the option is wide enough to read (${look.width}px)`);
    await employee
      .locator('.xf-voice-question', { hasText: '其他意见和建议' })
      .locator('textarea')
      .fill('希望夜班职工也能参加支部活动。');
    await noOverflow(employee, 'the public survey page');
    await e.shot(employee, 'voice-public-survey-390');
    await employee.getByRole('button', { name: /提\s*交/ }).click();
    await employee.getByText('已提交，感谢参与').waitFor();
    await e.shot(employee, 'voice-public-done-390');

    // The same code does not open the page twice.
    const again = await e.page(390);
    await again.goto(`/v/${branchId}?c=${code.replace(/-/g, '')}`);
    await again.getByRole('button', { name: '下一步' }).click();
    await again.getByText('该参与码已经使用过，每个参与码只能使用一次').waitFor();
    await again.goto(`/v/${branchId}`);
    await again.getByLabel('参与码').fill('AAAA-BBBB-CCCC');
    await again.getByRole('button', { name: '下一步' }).click();
    await again.getByText(/参与码不正确/).waitFor();
  });

  it('takes a member’s suggestion to the secretary’s answer and the member’s rating', async () => {
    await member.goto('/voice/my');
    await member.getByLabel('标题').fill('建议在集控楼设置党员先锋岗公示栏');
    await member.getByLabel('内容').fill('把先锋岗党员的照片和承诺贴出来，方便群众监督，也能激励青年职工。');
    await noOverflow(member, 'the suggestion form');
    await e.shot(member, 'voice-my-write-390');
    await member.getByRole('button', { name: /提\s*交/ }).click();
    await member.getByText(/已提交，党组织将在/).waitFor();

    await secretary.goto('/voice/manage');
    await secretary.getByText('建议在集控楼设置党员先锋岗公示栏').click();
    await secretary.waitForURL('**/voice/opinions/**');
    await secretary.getByText('陈志远', { exact: true }).first().waitFor();
    await settled(secretary);
    await e.shot(secretary, 'voice-opinion-detail-1280');
    // A file for the answer through the platform's upload (the same limits as every attachment).
    await secretary
      .locator('.xf-voice-answer-files input[type=file]:enabled')
      .setInputFiles({ name: '公示栏设计稿.png', mimeType: 'image/png', buffer: PNG });
    await secretary.getByTestId('answer-files').getByText('公示栏设计稿.png').waitFor();
    await settled(secretary);
    await e.shot(secretary, 'voice-opinion-files-1280');
    await secretary
      .getByLabel('答复内容')
      .fill('支委会已研究，本月底前在集控楼一层设置先锋岗公示栏，由宣传委员负责更新。');
    await secretary.getByRole('button', { name: '提交答复' }).click();
    await secretary.getByText('宣传委员负责更新').first().waitFor();
    await secretary.locator('.ant-tag', { hasText: '已答复' }).waitFor();

    await member.goto('/voice/my?tab=mine');
    const card = member.getByTestId('opinion').filter({ hasText: '建议在集控楼设置党员先锋岗公示栏' });
    await card.getByText('宣传委员负责更新').waitFor();
    const [file] = await Promise.all([
      member.waitForEvent('download', DOWNLOAD_WAIT),
      card
        .getByTestId('answer-files')
        .getByRole('button', { name: /公示栏设计稿\.png/ })
        .click(),
    ]);
    assert.equal(file.suggestedFilename(), '公示栏设计稿.png');
    await card.locator('.xf-voice-rate .ant-rate-star').nth(4).click();
    await card.getByLabel('评价').fill('答复及时，措施具体。');
    await e.shot(member, 'voice-my-rate-390');
    await card.getByRole('button', { name: '提交评价' }).click();
    await card.locator('.ant-tag', { hasText: '已办结' }).waitFor();
    await card.getByText('答复及时，措施具体。').waitFor();
    const mine = await apiGet<{ items: { title: string; rating: number | null; status: string }[] }>(
      member,
      '/voice/opinions/mine',
    );
    const rated = mine.items.find((o) => o.title === '建议在集控楼设置党员先锋岗公示栏')!;
    assert.equal(rated.rating, 5);
    assert.equal(rated.status, 'closed');
  });

  it('shows results of a vote with 3 candidates equal to the ballots', async () => {
    const now = nowMs();
    const vote = await post<Vote>(secretary, '/voice/votes', {
      orgId: branchId,
      kind: 'honour',
      title: '支部优秀共产党员推荐',
      maxChoices: 1,
      audienceRoles: ['member'],
      visibility: 'after_close',
      opensAt: new Date(now - 3600_000).toISOString(),
      closesAt: new Date(now + 3600_000).toISOString(),
      candidates: [
        { name: '王海燕', summary: '运行一值值长', body: '带领值内完成机组迎峰度夏保供。' },
        { name: '李建华', summary: '检修班班长' },
        { name: '赵晓东', summary: '化学专工' },
      ],
    });
    await secretary.goto('/voice/manage?tab=votes');
    const row = secretary.locator('tr', { hasText: '支部优秀共产党员推荐' });
    await row.getByRole('button', { name: /^发\s*布$/ }).click();
    await row.locator('.ant-tag', { hasText: '进行中' }).waitFor();

    const ballots: [string, string][] = [
      ['dangyuan', '王海燕'],
      ['jijian', '李建华'],
    ];
    for (const [username, choice] of ballots) {
      const phone = username === 'dangyuan' ? member : await e.page(390);
      if (phone !== member) await e.login(phone, username);
      await phone.goto('/voice/polls');
      await phone.getByRole('tab', { name: /投票/ }).click();
      await phone
        .getByTestId('vote')
        .filter({ hasText: '支部优秀共产党员推荐' })
        .getByRole('button', { name: '去投票' })
        .click();
      // The vote page renders its candidates again once the vote's details arrive; a click during that (seen under
      // load in the final run) is lost, so wait for the page to settle and check again if the box stayed empty.
      const box = phone.getByTestId('candidate').filter({ hasText: choice }).getByRole('checkbox');
      for (let attempt = 1; ; attempt++) {
        await settled(phone);
        try {
          await box.check({ timeout: 5_000 });
          break;
        } catch (err) {
          if (attempt === 3) throw err;
        }
      }
      if (username === 'dangyuan') {
        await noOverflow(phone, 'the vote page');
        await choicesAtLeast(phone.getByRole('group', { name: '候选人' }), 44);
        await e.shot(phone, 'voice-vote-390');
      }
      await phone.getByRole('button', { name: /投票（已选 1\/1）/ }).click();
      await phone.locator('.ant-tag', { hasText: '已投票' }).waitFor();
      await phone
        .getByText(/投票结束后公布/)
        .first()
        .waitFor();
    }

    await secretary.goto('/voice/manage?tab=votes');
    await secretary
      .locator('tr', { hasText: '支部优秀共产党员推荐' })
      .getByRole('button', { name: /^结\s*束$/ })
      .click();
    await secretary
      .locator('tr', { hasText: '支部优秀共产党员推荐' })
      .getByRole('button', { name: /^结\s*果$/ })
      .click();
    await secretary.getByTestId('vote-results').waitFor();
    await settled(secretary);
    await e.shot(secretary, 'voice-vote-results-1280');
    const shown = await secretary
      .getByTestId('vote-row')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const expected = new Map<string, number>([
      ['王海燕', 1],
      ['李建华', 1],
      ['赵晓东', 0],
    ]);
    assert.equal(shown.length, 3);
    for (const [name, votes] of shown) assert.equal(votes, `${expected.get(name!)} 票`, name);
    await secretary.getByText(`共 ${ballots.length} 张选票，${ballots.length} 票`).waitFor();
    const res = await apiGet<VoteResults>(secretary, `/voice-votes/${vote.id}/results`);
    assert.equal(res.ballots, ballots.length);
    assert.equal(
      res.candidates.reduce((s, c) => s + c.votes, 0),
      res.marks,
    );
    assert.equal(res.marks, ballots.length);
  });

  it('puts 意见建议按时答复率 on the 驾驶舱, equal to the API, at 1280 and 390', async () => {
    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'shuji');
      const d = await apiGet<{
        voice: {
          received: number;
          due: number;
          answeredOnTime: number;
          onTimeRate: number | null;
          overdueOpen: number;
        };
      }>(page, `/dashboard?orgId=${branchId}`);
      await page.goto('/dashboard');
      const card = page.getByTestId('dash-voice');
      await card.getByText(/年意见建议按时答复率/).waitFor();
      const v = d.voice;
      await card
        .getByText(
          `收到 ${v.received} 条，应答复 ${v.due} 条，按时答复 ${v.answeredOnTime} 条；逾期未答复 ${v.overdueOpen} 条`,
          { exact: false },
        )
        .waitFor();
      const shown = v.onTimeRate === null ? '—' : `${(v.onTimeRate * 100).toFixed(1)}%`;
      await card.locator('.ant-statistic-content', { hasText: shown }).waitFor();
      assert.ok(v.received > 0, 'the demo branch has suggestions this year');
      if (width === 390) await noOverflow(page, 'the dashboard at 390px');
      await card.scrollIntoViewIfNeeded();
      await settled(page);
      await e.shot(page, `voice-dashboard-${width}`);
      await page.close();
    }
    assert.deepEqual(e.pageErrors, []);
  });

  it('shows the 下考上 results by branch to the committee at 1280 and 390, small branches hidden, exportable', async () => {
    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'dianli');
      const surveys = await apiGet<{ items: Survey[] }>(page, '/voice/surveys?kind=rating_up');
      const ratingUp = surveys.items.find((s) => s.state === 'ended');
      assert.ok(ratingUp, 'the demo has an ended 下考上');
      const b = await apiGet<{
        items: { orgName: string; responses: number; suppressed: boolean; score: number | null }[];
        total: number;
        suppressedBranches: number;
      }>(page, `/voice-surveys/${ratingUp.id}/breakdown?page=1&pageSize=10`);
      const shown = b.items.filter((x) => !x.suppressed);
      assert.ok(
        shown.length > 0 && b.suppressedBranches > 0,
        `the demo has shown and hidden branches: ${JSON.stringify(b)}`,
      );
      await page.goto(`/voice/surveys/${ratingUp.id}/results`);
      const card = page.getByTestId('survey-breakdown');
      await card.getByText(`答卷 ${b.items.reduce((s, x) => s + x.responses, 0)} 份`, { exact: false }).waitFor();
      for (const x of b.items) await card.getByText(x.orgName, { exact: true }).first().waitFor();
      // Every hidden branch says so (the score and each question's cell at 1280, one tag per branch at 390).
      const perRow = width === 1280 ? 1 + (await card.locator('thead th').count()) - 5 : 1;
      assert.equal(await card.getByText('人数少，不显示').count(), b.suppressedBranches * perRow);
      for (const x of shown) await card.getByText(String(x.score), { exact: false }).first().waitFor();
      if (width === 390) await noOverflow(page, 'the results by branch at 390px');
      await card.scrollIntoViewIfNeeded();
      await settled(page);
      await e.shot(page, `voice-breakdown-${width}`);
      if (width === 1280) {
        const [download] = await Promise.all([
          page.waitForEvent('download', DOWNLOAD_WAIT),
          card.getByRole('button', { name: /导出/ }).click(),
        ]);
        assert.match(download.suggestedFilename(), /分支部结果\.xlsx$/);
      }
      await page.close();
    }
    assert.deepEqual(e.pageErrors, []);
  });

  it('lets a member correct and withdraw their own reply on a phone; the secretary sees 「已编辑」 and the withdrawn text', async () => {
    const made = await post<{ id: string }>(secretary, '/voice/threads', {
      orgId: branchId,
      title: '本周学习安排征求意见',
      body: '请大家回复可以参加的时间。',
    });
    await member.goto(`/voice/forum/${made.id}`);
    await member.getByText('请大家回复可以参加的时间。').waitFor();
    await member.getByLabel('回复').fill('周三晚上可以参加，周四要倒般。');
    await member.getByRole('button', { name: /^回\s*复$/ }).click();
    const mine = member.getByTestId('post').filter({ hasText: '周四要倒般' });
    await mine.waitFor();
    await mine.getByRole('button', { name: /修\s*改/ }).click();
    const box = member.getByLabel('修改内容');
    await box.waitFor();
    await box.fill('周三晚上可以参加，周四要倒班。');
    await member.getByRole('button', { name: '保存修改' }).click();
    const fixed = member.getByTestId('post').filter({ hasText: '周四要倒班' });
    await fixed.locator('.ant-tag', { hasText: '已编辑' }).waitFor();
    await noOverflow(member, 'the thread with an edited reply');
    await settled(member);
    await e.shot(member, 'voice-post-edited-390');

    await secretary.goto(`/voice/forum/${made.id}`);
    const seen = secretary.getByTestId('post').filter({ hasText: '周四要倒班' });
    await seen.locator('.ant-tag', { hasText: '已编辑' }).waitFor();
    assert.equal(
      await seen.getByRole('button', { name: /修\s*改/ }).count(),
      0,
      'the secretary is offered no edit of a member’s reply',
    );

    await member.goto(`/voice/forum/${made.id}`);
    await fixed.getByRole('button', { name: /撤\s*回/ }).click();
    await member
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /撤\s*回/ })
      .click();
    const gone = member.getByTestId('post').filter({ hasText: '（该回复已由作者撤回）' });
    await gone.locator('.ant-tag', { hasText: '已撤回' }).waitFor();
    assert.equal(await member.getByText('周四要倒班').count(), 0, 'the text is gone for members');
    await secretary.reload();
    const kept = secretary.getByTestId('post').filter({ hasText: '周四要倒班' });
    await kept.locator('.ant-tag', { hasText: '已撤回' }).waitFor();
    await settled(secretary);
    await e.shot(secretary, 'voice-post-withdrawn-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('lets the 书记 attach a file to a letter reply at 1280 that the writer downloads on a phone; sealed, nobody else sees it', async () => {
    const sent = await post<{ id: string }>(member, '/voice/letters', {
      orgId: branchId,
      position: '书记',
      subject: '关于班组学习安排的建议',
      body: '倒班职工很难参加周三的集中学习，能否提供录像或资料？',
    });
    await secretary.goto(`/voice/letters/${sent.id}`);
    await secretary.getByText('倒班职工很难参加').waitFor();
    await secretary.getByLabel('回复').fill('已安排每次集中学习后把学习资料发给倒班职工，资料见附件。');
    await secretary.getByRole('button', { name: /回\s*复/ }).click();
    const reply = secretary.getByTestId('letter-message').filter({ hasText: '资料见附件' });
    await reply.waitFor();
    await reply
      .locator('input[type=file]:enabled')
      .setInputFiles({ name: '学习资料清单.png', mimeType: 'image/png', buffer: PNG });
    await reply.getByTestId('letter-files').getByText('学习资料清单.png').waitFor();
    await settled(secretary);
    await e.shot(secretary, 'voice-letter-files-1280');

    await member.goto(`/voice/letters/${sent.id}`);
    const seen = member.getByTestId('letter-message').filter({ hasText: '资料见附件' });
    await seen.getByTestId('letter-files').waitFor();
    assert.equal(await seen.locator('input[type=file]').count(), 0, 'the writer is offered no upload on the reply');
    await noOverflow(member, 'the letter with a file');
    await settled(member);
    await e.shot(member, 'voice-letter-files-390');
    const [file] = await Promise.all([
      member.waitForEvent('download', DOWNLOAD_WAIT),
      seen.getByRole('button', { name: /学习资料清单\.png/ }).click(),
    ]);
    assert.equal(file.suggestedFilename(), '学习资料清单.png');
    assert.ok(
      Buffer.from(await (await file.createReadStream()).toArray().then((c) => Buffer.concat(c))).equals(PNG),
      'the writer gets the bytes uploaded',
    );
    assert.deepEqual(e.pageErrors, []);
  });

  it('lets a member withdraw an unanswered suggestion on a phone; the secretary sees 已撤回 without the answer box at 1280', async () => {
    const sent = await post<{ id: string }>(member, '/voice/opinions', {
      orgId: branchId,
      category: 'suggestion',
      title: '建议把学习资料放到网盘',
      body: '纸质资料容易丢，建议统一放到网盘。',
    });
    await member.goto('/voice/my?tab=mine');
    const card = member.getByTestId('opinion').filter({ hasText: '建议把学习资料放到网盘' });
    await card.getByRole('button', { name: /撤\s*回/ }).click();
    const confirm = member.locator('.ant-popconfirm').filter({ hasText: '撤回这条意见建议？' });
    await confirm.waitFor();
    await settled(member);
    await e.shot(member, 'voice-opinion-withdraw-390');
    await confirmPop(member, card.getByRole('button', { name: /撤\s*回/ }), /撤\s*回/);
    await card.locator('.ant-tag', { hasText: '已撤回' }).waitFor();
    assert.equal(await card.getByRole('button', { name: /撤\s*回/ }).count(), 0, 'no second withdrawal offered');
    await noOverflow(member, 'my suggestions with a withdrawn one');
    await settled(member);
    await e.shot(member, 'voice-opinion-withdrawn-390');

    await secretary.goto(`/voice/opinions/${sent.id}`);
    await secretary.getByText('纸质资料容易丢').waitFor();
    await secretary.locator('.ant-tag', { hasText: '已撤回' }).first().waitFor();
    await secretary.getByText('提交人撤回').waitFor();
    assert.equal(await secretary.getByLabel('答复内容').count(), 0, 'no answer box on a withdrawn item');
    await settled(secretary);
    await e.shot(secretary, 'voice-opinion-withdrawn-1280');
    const seen = await apiGet<{ status: string }>(secretary, `/voice-opinions/${sent.id}`);
    assert.equal(seen.status, 'withdrawn');
    assert.deepEqual(e.pageErrors, []);
  });

  it('takes candidates’ photos in the new-vote dialog and on the draft, and shows them on the ballot at 1280 and 390', async () => {
    await secretary.goto('/voice/manage?tab=votes');
    await secretary.getByRole('button', { name: /新建投票/ }).click();
    const dialog = secretary.locator('.ant-modal').filter({ hasText: '新建投票' });
    await dialog.getByLabel('标题').fill('支部优秀党务工作者推荐');
    const names = dialog.getByPlaceholder('名称');
    for (const [i, n] of ['孙丽', '周明', '吴刚'].entries()) await names.nth(i).fill(n);
    await dialog
      .locator('.xf-voice-candidate-row')
      .first()
      .locator('input[type=file]')
      .setInputFiles({ name: '孙丽.png', mimeType: 'image/png', buffer: PNG });
    await dialog.getByText('孙丽.png').waitFor();
    await settled(secretary);
    await e.shot(secretary, 'voice-vote-new-photo-1280');
    await dialog.getByRole('button', { name: /保存草稿/ }).click();
    const row = secretary.locator('tr', { hasText: '支部优秀党务工作者推荐' });
    await row.waitFor();
    const list = await apiGet<{
      items: { id: string; title: string; candidates: { id: string; name: string; photo: boolean }[] }[];
    }>(secretary, `/voice/votes?orgId=${branchId}&pageSize=50`);
    const made = list.items.find((v) => v.title === '支部优秀党务工作者推荐');
    assert.ok(made, 'the vote is saved');
    assert.deepEqual(
      made.candidates.map((c) => c.photo),
      [true, false, false],
      'the dialog uploaded the first candidate’s photo',
    );

    // On the draft's page the secretary adds the second candidate's photo.
    await secretary.goto(`/voice/votes/${made.id}`);
    const second = secretary.getByTestId('candidate').filter({ hasText: '周明' });
    await second.getByRole('button', { name: /上传照片/ }).waitFor();
    await second.locator('input[type=file]').setInputFiles({ name: '周明.png', mimeType: 'image/png', buffer: PNG });
    await second.locator('img.xf-voice-candidate-photo').waitFor();
    await post(secretary, `/voice-votes/${made.id}/publish`, {});

    for (const [page, width] of [
      [secretary, 1280],
      [member, 390],
    ] as const) {
      await page.goto(`/voice/votes/${made.id}`);
      await page.getByTestId('candidate').filter({ hasText: '吴刚' }).waitFor();
      const photos = page.locator('img.xf-voice-candidate-photo');
      await page.waitForFunction(() => {
        const imgs = [...document.querySelectorAll<HTMLImageElement>('img.xf-voice-candidate-photo')];
        return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
      });
      assert.equal(await photos.count(), 2, `two photos on the ballot at ${width}`);
      assert.equal(
        await page.getByRole('button', { name: /上传照片|更换照片/ }).count(),
        0,
        'no photo change once published',
      );
      if (width === 390) await noOverflow(page, 'the ballot with photos');
      await settled(page);
      await e.shot(page, `voice-vote-photos-${width}`);
    }
    assert.deepEqual(e.pageErrors, []);
  });

  it('photographs every 互动 page at 1280 and 390', async () => {
    const admin = await e.page(1280);
    await e.login(admin, 'dianli');
    const surveys = await apiGet<{ items: Survey[] }>(admin, '/voice/surveys?kind=rating_up');
    const ratingUp = surveys.items.find((s) => s.state === 'ended')!;
    const threads = await apiGet<{ items: { id: string }[] }>(member, `/voice/threads?orgId=${branchId}`);
    const letters = await apiGet<{ items: { id: string }[] }>(member, '/voice/letters/sent');
    const memberPages: [string, string, string][] = [
      ['/voice/my?tab=mine', 'voice-my-mine', '我的建议'],
      ['/voice/my?tab=board', 'voice-board', '公开答复'],
      ['/voice/letters', 'voice-letters', '写信'],
      [`/voice/letters/${letters.items[0]!.id}`, 'voice-letter', '致'],
      ['/voice/forum', 'voice-forum', '本月主题党日'],
      [`/voice/forum/${threads.items[0]!.id}`, 'voice-thread', '条回复'],
      ['/voice/polls', 'voice-polls', '问卷测评'],
    ];
    const managerPages: [Page, string, string, string][] = [
      [secretary, '/voice/manage', 'voice-manage-opinions', '待办意见建议'],
      [secretary, '/voice/manage?tab=surveys', 'voice-manage-surveys', '新建问卷'],
      [secretary, '/voice/manage?tab=votes', 'voice-manage-votes', '新建投票'],
      [secretary, '/voice/manage?tab=codes', 'voice-manage-codes', '职工参与链接'],
      [secretary, '/voice/surveys/new', 'voice-survey-editor', '添加题目'],
      [admin, `/voice/surveys/${ratingUp.id}/results`, 'voice-rating-up-results', '下考上得分'],
    ];
    for (const width of [1280, 390]) {
      const m = await e.page(width);
      await e.login(m, 'dangyuan');
      for (const [url, name, text] of memberPages) {
        await m.goto(url);
        await m.getByText(text).first().waitFor();
        await settled(m);
        if (width === 390) await noOverflow(m, name);
        await e.shot(m, `${name}-${width}`);
      }
      for (const [who, url, name, text] of managerPages) {
        const p = width === 1280 ? who : await e.page(390);
        if (width === 390) await e.login(p, who === admin ? 'dianli' : 'shuji');
        await p.goto(url);
        await p.getByText(text).first().waitFor();
        await settled(p);
        await e.shot(p, `${name}-${width}`);
      }
    }
    assert.deepEqual(e.pageErrors, []);
  });
});
