/**
 * Issue 13 item 9 in the browser: a secretary marks a member of the branch lost, records a search, is refused 停止党籍
 * before six months have passed since the last contact, then stops the 党籍 (the member stays, tagged); on the phone
 * the 失联党员 list shows the member and the 党籍 is restored. 1280 and 390 px. Before that, the 疑似失联 list (members
 * silent for six months, from their last activity) shows the demo's two silent members.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { addDays, addMonths, todayInChina } from '@xianfeng/shared';
import {
  apiCall,
  DEMO_PASSWORD,
  itWithShots,
  noOverflow,
  secretaryOf,
  startE2e,
  pickDateTime,
  type E2e,
} from './harness';

describe('失联 → 停止党籍 → 恢复党籍', () => {
  let e: E2e;
  let memberId = '';
  let name = '';
  const today = todayInChina();
  const lastContact = addMonths(today, -8);
  const it = itWithShots(() => e, 'lost');

  before(async () => {
    e = await startE2e();
    const { token, orgId } = await secretaryOf(e, 'shuji');
    const list = await apiCall(e, 'GET', `/members?orgId=${orgId}&status=full&pageSize=200`, token);
    const m = (list.items as { id: string; name: string; joinedAt: string; userId: string | null }[]).find(
      (x) => x.joinedAt < lastContact && !x.userId,
    );
    assert.ok(m, 'a full member of the branch without an account');
    memberId = m.id;
    name = m.name;
  });
  after(() => e.close());

  it('lists the two 疑似失联 members of the demo for the secretary to check, and opens one’s 失联 tab (1280 and 390)', async () => {
    const silent = await apiCall(
      e,
      'GET',
      '/lost-members/suspected',
      (await apiCall(e, 'POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD })).token,
    );
    assert.equal(silent.total, 2, 'the demo has two members silent for 8 and 10 months');
    for (const width of [1280, 390]) {
      const p = await e.page(width);
      await e.login(p, 'shuji');
      await p.goto('/lost-members');
      await p.getByText('疑似失联', { exact: true }).click();
      const first = silent.items[0] as { memberId: string; name: string };
      const row = p.locator(width === 1280 ? 'tr' : '.ant-list-item').filter({ hasText: first.name });
      await row.getByText(/会议签到/).waitFor();
      assert.equal(await p.getByText(/会议签到/).count(), 2, 'both silent members, with what they last did');
      await noOverflow(p, 'the 疑似失联 list');
      await e.shot(p, `lost-suspected-${width}`);
      if (width === 390) {
        await row.getByRole('link', { name: first.name }).click();
        await p.waitForURL(`**/members/${first.memberId}?tab=lost`);
        await p.locator('form#lostMark').waitFor();
      }
    }
    assert.deepEqual(e.pageErrors, []);
  });

  it('marks a member lost, refuses 停止党籍 before six months, then stops the 党籍 (1280)', async () => {
    const p = await e.page(1280);
    await e.login(p, 'shuji');
    await p.goto(`/members/${memberId}?tab=lost`);
    const mark = p.locator('form#lostMark');
    await pickDateTime(mark, '最后联系日期', lastContact, 'Tab');
    await mark.getByLabel('失联情况').fill('外出务工后电话停机，原住址已搬离');
    await mark.getByRole('button', { name: '登记失联' }).click();
    await p.getByText('已登记失联').waitFor();
    await p.getByText('失联（查找中）').first().waitFor();

    const search = p.locator('form#lostSearch');
    await pickDateTime(search, '查找日期', addDays(lastContact, 20), 'Tab');
    await search.getByLabel('查找方式').fill('走访原单位和家属');
    await search.getByLabel('查找结果').fill('均不知去向');
    await search.getByRole('button', { name: '记录查找' }).click();
    await p.getByText(/走访原单位和家属：均不知去向/).waitFor();

    const suspend = p.locator('form#lostSuspend');
    await pickDateTime(suspend, '党支部研究日期', addMonths(lastContact, 5), 'Tab');
    await pickDateTime(suspend, '上级批准日期', addMonths(lastContact, 5), 'Tab');
    await suspend.getByLabel('批准的上级党组织').fill('发电运营党总支');
    await suspend.getByRole('button', { name: '停止党籍' }).click();
    await p.getByText(/失去联系未满 6 个月（.+满），不能停止党籍/).waitFor();
    await e.shot(p, 'lost-too-early-1280');

    await pickDateTime(suspend, '党支部研究日期', today, 'Tab');
    await pickDateTime(suspend, '上级批准日期', today, 'Tab');
    await suspend.getByRole('button', { name: '停止党籍' }).click();
    await p.getByText('已停止党籍').first().waitFor();
    await p.locator('.ant-card-head').getByText('停止党籍').waitFor();
    await p.locator('form#lostRestore').waitFor();
    // The next steps' forms start empty (once, the 除名 form showed the dates just typed for 停止党籍).
    assert.equal(await p.locator('form#lostRemove').getByLabel('上级批准日期', { exact: true }).inputValue(), '');
    assert.equal(await p.locator('form#lostSearch').getByLabel('查找方式').inputValue(), '');
    await e.shot(p, 'lost-suspended-1280');
  });

  it('lists the member as 停止党籍 on the phone and restores the 党籍 (390)', async () => {
    const p = await e.page(390);
    await e.login(p, 'shuji');
    await p.goto('/lost-members');
    const item = p.locator('.ant-list-item').filter({ hasText: name });
    await item.getByText('停止党籍').first().waitFor();
    await noOverflow(p, 'the 失联党员 list');
    await e.shot(p, 'lost-list-390');

    await item.getByRole('link', { name }).click();
    const restore = p.locator('form#lostRestore');
    await restore.waitFor();
    await pickDateTime(restore, '支部大会日期', today, 'Tab');
    await pickDateTime(restore, '上级批准日期', today, 'Tab');
    await restore.getByLabel('批准的上级党组织').fill('发电运营党总支');
    await restore.getByLabel('本人说明的情况').fill('本人外出务工，手机丢失，现已回到本地');
    await restore.getByRole('button', { name: '恢复党籍' }).click();
    await p.getByText('已恢复党籍').first().waitFor();
    await p.getByText('以往失联登记').waitFor();
    await noOverflow(p, 'the member after restoring');
    await e.shot(p, 'lost-restored-390');

    await p.goto('/lost-members');
    await p.getByText('没有失联党员').waitFor();
  });
});
