/**
 * 手机版 of a micro-video in the browser, made by the server's real ffmpeg: the secretary uploads a clip (made by
 * ffmpeg's own test sources, 1280×960 — taller than a phone rendition may be) on a 1280 px page and watches
 * 转码中 N% turn into 已生成手机版; member `dangyuan` on a 390 px phone gets a <video> with the poster frame that plays
 * the rendition (its currentSrc), served in ranges. A second server without ffmpeg (XF_FFMPEG pointing nowhere)
 * tells the secretary the original is what plays.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { apiCall, itWithShots, noOverflow, secretaryOf, startE2e, type E2e } from './harness';

const TITLE = '支部微视频：主题党日一分钟';

/** An 8 s MP4 (H.264 High, 1280×960, with a sine tone) from ffmpeg's test sources. */
function makeClip(): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-e2e-clip-'));
  const out = path.join(dir, 'clip.mp4');
  execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', 'testsrc=duration=8:size=1280x960:rate=25'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=8'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', out],
    ],
    { stdio: 'ignore' },
  );
  const data = fs.readFileSync(out);
  fs.rmSync(dir, { recursive: true, force: true });
  return data;
}

async function secretaryItem(e: E2e) {
  const { token: shuji, orgId: branchId } = await secretaryOf(e, 'shuji');
  const item = await apiCall(e, 'POST', '/learn/items', shuji, {
    orgId: branchId,
    kind: 'video',
    title: TITLE,
    summary: '八秒的测试视频。',
    minutes: 1,
  });
  return { shuji, itemId: item.id as string };
}

const haveFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

describe(
  'a micro-video gets its phone rendition and poster',
  { skip: !haveFfmpeg && 'no ffmpeg (tools/test.mjs installs it as root)' },
  () => {
    let e: E2e;
    let itemId: string;
    let shuji: string;
    before(async () => {
      e = await startE2e();
    });
    after(() => e.close());
    const it = itWithShots(() => e, 'learn-rendition');

    it('the secretary uploads a clip and sees 转码中 then 已生成手机版 (1280 px)', async () => {
      ({ shuji, itemId } = await secretaryItem(e));
      const page = await e.page(1280);
      await e.login(page, 'shuji');
      await page.goto(`/learn/items/${itemId}`);
      await page.getByText(TITLE).first().waitFor();
      await page
        .locator('input[type=file]:enabled')
        .setInputFiles({ name: '主题党日一分钟.mp4', mimeType: 'video/mp4', buffer: makeClip() });
      const status = page.locator('.xf-learn-media');
      await status.getByText(/转码中 \d+%/).waitFor();
      await e.shot(page, 'learn-rendition-progress-1280');
      await status.getByText('已生成手机版').waitFor({ timeout: 120_000 });
      await page.waitForFunction(
        () => ((document.querySelector('video.xf-learn-video') as HTMLVideoElement | null)?.readyState ?? 0) >= 1,
      );
      await e.shot(page, 'learn-rendition-done-1280');
      const detail = await apiCall(e, 'GET', `/learn-items/${itemId}`, shuji);
      assert.equal(detail.files.length, 1, 'the rendition and poster come with the upload, not as files');
      assert.equal(detail.files[0].media.state, 'done');
      assert.deepEqual(e.pageErrors, []);
    });

    it('the member on a phone gets the poster and plays the rendition, in ranges (390 px)', async () => {
      assert.ok(itemId, 'the video exists (previous test)');
      const { media } = (await apiCall(e, 'GET', `/learn-items/${itemId}`, shuji)).files[0];
      const page = await e.page(390);
      await e.login(page, 'dangyuan');
      const statuses = new Map<string, number[]>();
      page.on('response', (r) => {
        const id = /\/files\/([0-9a-f-]{36})/.exec(r.url())?.[1];
        if (id) statuses.set(id, [...(statuses.get(id) ?? []), r.status()]);
      });
      await page.goto(`/learn/items/${itemId}`);
      const video = page.locator('video.xf-learn-video');
      await video.waitFor();
      await page.waitForFunction(
        () => ((document.querySelector('video.xf-learn-video') as HTMLVideoElement | null)?.readyState ?? 0) >= 1,
      );
      const seen = await video.evaluate((v: HTMLVideoElement) => ({
        poster: v.poster,
        currentSrc: v.currentSrc,
        height: v.videoHeight,
      }));
      assert.ok(seen.poster.endsWith(`/files/${media.posterId}`), `poster ${seen.poster}`);
      assert.ok(seen.currentSrc.endsWith(`/files/${media.renditionId}`), `plays the rendition: ${seen.currentSrc}`);
      assert.equal(seen.height, 720, 'a 960 px clip plays at 720 px');
      assert.ok(statuses.get(media.renditionId)?.includes(206), JSON.stringify([...statuses]));
      // The member sees no transcoding state: that is for the managers.
      assert.equal(await page.locator('.xf-learn-media').count(), 0);
      await noOverflow(page, 'the micro-video at 390px');
      await e.shot(page, 'learn-rendition-member-390');
      assert.deepEqual(e.pageErrors, []);
    });
  },
);

describe('a micro-video on a server without ffmpeg', { skip: !haveFfmpeg && 'no ffmpeg to make the clip' }, () => {
  let e: E2e;
  before(async () => {
    e = await startE2e({ env: { XF_FFMPEG: '/nonexistent/bin/ffmpeg' } });
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'learn-rendition-none');

  it('tells the secretary the original plays (390 px)', async () => {
    const { itemId } = await secretaryItem(e);
    const page = await e.page(390);
    await e.login(page, 'shuji');
    await page.goto(`/learn/items/${itemId}`);
    await page.getByText('服务器未安装 ffmpeg，播放的是原始文件').waitFor();
    await page
      .locator('input[type=file]:enabled')
      .setInputFiles({ name: '主题党日一分钟.mp4', mimeType: 'video/mp4', buffer: makeClip() });
    await page.locator('.xf-learn-media').getByText('服务器未安装 ffmpeg，播放的是原始文件').waitFor();
    await page.waitForFunction(
      () => ((document.querySelector('video.xf-learn-video') as HTMLVideoElement | null)?.readyState ?? 0) >= 1,
    );
    const src = await page.locator('video.xf-learn-video').evaluate((v: HTMLVideoElement) => v.currentSrc);
    assert.match(src, /\/files\/[0-9a-f-]{36}$/);
    await noOverflow(page, 'the micro-video without ffmpeg at 390px');
    await e.shot(page, 'learn-rendition-none-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
