/**
 * 志愿服务证明 in the browser (issue 22): 陈志远 (dangyuan) downloads the e-certificate of the demo's tree-planting day
 * from 我的志愿服务 on his 390px phone and at 1280px (the file read back: a PDF naming him, the activity, the serial and
 * the check's URL); anyone without a login opens the check the QR code points at and sees it genuine with the name
 * masked; a wrong serial is answered 未能核验.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { pdfText } from '../apps/server/src/testing/pdf';
import {
  apiCall,
  DEMO_PASSWORD,
  DOWNLOAD_WAIT,
  itWithShots,
  noOverflow,
  chooseOption,
  startE2e,
  type E2e,
} from './harness';

const PLANTING = '“共建绿色家园”义务植树';

describe('志愿服务证明 in the browser', () => {
  let e: E2e;
  let serial: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-cert-'));
  before(async () => {
    e = await startE2e();
    const chen = (await apiCall(e, 'POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD }))
      .token;
    const mine = await apiCall(e, 'GET', '/volunteer/mine?pageSize=50', chen);
    const s = mine.items.find((x: { activityTitle: string }) => x.activityTitle === PLANTING);
    assert.ok(s?.certificateSerial, `陈志远 has hours at ${PLANTING} with a serial: ${JSON.stringify(mine.items)}`);
    serial = s.certificateSerial;
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await e.close();
  });
  const it = itWithShots(() => e, 'certificate');

  /** Downloads the certificate from 我的志愿服务 and reads the file back. */
  const downloadAt = async (width: number) => {
    const page = await e.page(width);
    await e.login(page, 'dangyuan');
    await page.goto('/my/volunteer');
    const record = page.locator('.xf-vol-records .ant-list-item', { hasText: PLANTING });
    await record.getByText(`编号 ${serial}`).waitFor();
    if (width < 768) await noOverflow(page, 'my volunteer page with the certificate button at 390px');
    await record.scrollIntoViewIfNeeded();
    await e.shot(page, `certificate-mine-${width}`);
    const [download] = await Promise.all([
      page.waitForEvent('download', DOWNLOAD_WAIT),
      record.getByRole('button', { name: /下载志愿服务证明/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `志愿服务证明-${serial}.pdf`);
    const file = path.join(dir, `${width}.pdf`);
    await download.saveAs(file);
    const pdf = fs.readFileSync(file);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'a PDF');
    const text = pdfText(pdf).replace(/\n/g, '');
    for (const part of ['志愿服务证明', '陈志远', PLANTING, '华夏能源集团党委', serial, `/verify/volunteer/${serial}`])
      assert.ok(text.includes(part), `the certificate says ${part}: ${text}`);
    return page;
  };

  it('陈志远 downloads his certificate on a 390px phone; the check it points at shows it genuine with his name masked, without a login', async () => {
    await downloadAt(390);
    const anon = await e.page(390);
    await anon.goto(`/verify/volunteer/${serial}`);
    await anon.getByText('证明真实有效').waitFor();
    const facts = anon.locator('.xf-cert-facts');
    await facts.getByText('陈**（姓名部分隐去）').waitFor();
    await facts.getByText(PLANTING).waitFor();
    await facts.getByText('华夏能源集团党委').waitFor();
    assert.ok(!(await anon.locator('body').innerText()).includes('陈志远'), 'the full name is not on the public page');
    await noOverflow(anon, 'the public check at 390px');
    await e.shot(anon, 'certificate-verify-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('downloads at 1280px too; a mistyped serial is answered 未能核验', async () => {
    await downloadAt(1280);
    const anon = await e.page(1280);
    await anon.goto('/verify/volunteer');
    await anon.getByLabel('证书编号').fill('zyfw-0000-0000-0000');
    await anon.getByRole('button', { name: /核\s?验/ }).click();
    await anon.waitForURL('**/verify/volunteer/ZYFW-0000-0000-0000');
    await anon.locator('[data-genuine="false"]').getByText('未能核验').waitFor();
    await anon.getByText(/未找到这个编号的志愿服务证明/).waitFor();
    await e.shot(anon, 'certificate-verify-wrong-1280');
    await anon.getByLabel('证书编号').fill(serial.toLowerCase());
    await anon.getByRole('button', { name: /核\s?验/ }).click();
    await anon.getByText('证明真实有效').waitFor();
    await e.shot(anon, 'certificate-verify-1280');
    // The warning answer is an expected 404, not a page error.
    assert.deepEqual(e.pageErrors, []);
  });

  for (const width of [390, 1280])
    it(`陈志远 downloads his yearly certificate (年度志愿服务证明) at ${width}px; its public check lists the year’s activities with his name masked`, async () => {
      const year = Number(
        new Date(
          Date.parse(
            (
              await apiCall(
                e,
                'GET',
                '/volunteer/mine?pageSize=50',
                (await apiCall(e, 'POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD }))
                  .token,
              )
            ).items.find((x: { activityTitle: string }) => x.activityTitle === PLANTING).startsAt,
          ) +
            8 * 3_600_000,
        )
          .toISOString()
          .slice(0, 4),
      );
      const page = await e.page(width);
      await e.login(page, 'dangyuan');
      await page.goto('/my/volunteer');
      const box = page.locator('.xf-vol-year-cert');
      await box.waitFor();
      // The year of the planting day (the demo's is twenty days back: last year in the first days of January).
      const select = box.getByLabel('证明年份');
      if ((await box.locator('.ant-select-selection-item').innerText()).trim() !== `${year} 年`)
        await chooseOption(page, select, `${year} 年`);
      if (width < 768) await noOverflow(page, 'my volunteer page with the yearly certificate at 390px');
      await e.shot(page, `certificate-year-mine-${width}`);
      const [download] = await Promise.all([
        page.waitForEvent('download', DOWNLOAD_WAIT),
        box.getByRole('button', { name: /下载年度志愿服务证明/ }).click(),
      ]);
      const name = download.suggestedFilename();
      const yearSerial = /^(\d{4})年度志愿服务证明-(ZYND-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\.pdf$/.exec(name);
      assert.ok(yearSerial && Number(yearSerial[1]) === year, `the file is named by the year and serial: ${name}`);
      const file = path.join(dir, `year-${width}.pdf`);
      await download.saveAs(file);
      const text = pdfText(fs.readFileSync(file)).replace(/\n/g, '');
      for (const part of [
        `${year}年度志愿服务证明`,
        '陈志远',
        PLANTING,
        yearSerial[2]!,
        `/verify/volunteer/${yearSerial[2]}`,
      ])
        assert.ok(text.includes(part), `the yearly certificate says ${part}: ${text}`);
      const anon = await e.page(width);
      await anon.goto(`/verify/volunteer/${yearSerial[2]}`);
      await anon.locator('[data-kind="year"]').getByText('证明真实有效').waitFor();
      await anon.locator('.xf-cert-facts').getByText('陈**（姓名部分隐去）').waitFor();
      await anon.locator('.xf-cert-lines').getByText(PLANTING).waitFor();
      assert.ok(
        !(await anon.locator('body').innerText()).includes('陈志远'),
        'the full name is not on the public page',
      );
      if (width < 768) await noOverflow(anon, 'the yearly public check at 390px');
      await e.shot(anon, `certificate-year-verify-${width}`);
      assert.deepEqual(e.pageErrors, []);
    });
});
