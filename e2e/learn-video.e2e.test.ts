/**
 * A video lesson in the browser, with a real video: the test records a 3-second WebM in chromium itself
 * (canvas + MediaRecorder, nothing from the network), the secretary uploads it on the lesson's page, and
 * member `dangyuan` watches it on a 390px phone. The player is served in ranges (a 206 is checked); time is
 * credited only while the video plays (a jump to the end earns nothing) and never faster than the clock: the
 * browser's clock (page.clock) and the server's (setClock) are moved together, 30 seconds a heartbeat.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { addDays, now, setClock, todayInChina } from '@xianfeng/shared';
import {
  answerDailyPractice,
  apiCall,
  DEMO_PASSWORD,
  itWithShots,
  noOverflow,
  secretaryOf,
  startE2e,
  type E2e,
} from './harness';

const TITLE = '支部微视频：安全生产一分钟';
/** Records 3 seconds of a changing canvas as WebM in the page; returns the bytes in base64. */
const RECORD_WEBM = `(async () => {
  const c = document.createElement('canvas');
  c.width = 320;
  c.height = 180;
  const g = c.getContext('2d');
  let frame = 0;
  const draw = () => {
    g.fillStyle = 'hsl(' + ((frame * 12) % 360) + ' 60% 40%)';
    g.fillRect(0, 0, 320, 180);
    g.fillStyle = '#fff';
    g.font = '48px sans-serif';
    g.fillText(String(frame++), 130, 110);
  };
  draw();
  const rec = new MediaRecorder(c.captureStream(15), { mimeType: 'video/webm' });
  const chunks = [];
  rec.ondataavailable = (ev) => chunks.push(ev.data);
  const timer = setInterval(draw, 66);
  rec.start(500);
  await new Promise((r) => setTimeout(r, 3000));
  const stopped = new Promise((r) => (rec.onstop = r));
  rec.stop();
  await stopped;
  clearInterval(timer);
  const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
  let s = '';
  for (const x of bytes) s += String.fromCharCode(x);
  return btoa(s);
})()`;

describe('a video lesson in the browser', () => {
  let e: E2e;
  let itemId: string;
  let clip: Buffer;
  before(async () => {
    e = await startE2e();
  });
  after(async () => {
    setClock(null);
    await e.close();
  });
  const it = itWithShots(() => e, 'learn-video');
  const serverLater = (ms: number) => setClock(new Date(now().getTime() + ms));

  it('records a small WebM in the browser and lets the secretary upload it to a lesson', async () => {
    const { token: shuji, orgId: branchId } = await secretaryOf(e, 'shuji');
    // One minute long: complete once 48 seconds (80 %) are credited.
    const item = await apiCall(e, 'POST', '/learn/items', shuji, {
      orgId: branchId,
      kind: 'video',
      title: TITLE,
      summary: '三秒的测试视频，循环播放。',
      minutes: 1,
      // Assigned: required of the branch's members, with a deadline (the "assigned course").
      required: true,
      dueOn: addDays(todayInChina(), 7),
    });
    itemId = item.id;

    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto(`/learn/items/${itemId}`);
    await page.getByText(TITLE).first().waitFor();
    // As text: tsx would wrap named functions of a callback in a helper the page does not have.
    const b64 = (await page.evaluate(RECORD_WEBM)) as string;
    clip = Buffer.from(b64, 'base64');
    assert.ok(clip.length > 1000, `a real WebM was recorded (${clip.length} bytes)`);
    assert.equal(clip.subarray(0, 4).toString('hex'), '1a45dfa3', 'it starts with the EBML header');
    await page
      .locator('input[type=file]:enabled')
      .setInputFiles({ name: '安全生产一分钟.webm', mimeType: 'video/webm', buffer: clip });
    await page.locator('video.xf-learn-video').waitFor();
    await e.shot(page, 'learn-video-upload-1280');
    const detail = await apiCall(e, 'GET', `/learn-items/${itemId}`, shuji);
    assert.equal(detail.files[0]?.mime, 'video/webm', 'stored as WebM by its bytes');
    assert.equal(detail.files[0]?.size, clip.length);
  });

  it('credits the member only while the video plays, no faster than the clock, on a phone', async () => {
    assert.ok(itemId && clip, 'the lesson and its video exist (previous test)');
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    const ranges: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes(`/learn-items/${itemId}/files/`)) ranges.push(r.status());
    });
    // The browser's clock from here on is moved by the test (it still flows on its own in between).
    await page.clock.install();
    // The member finds it among their required learning and opens it from the list.
    await page.goto('/learn');
    const listed = page.locator('.xf-learn-item').filter({ hasText: TITLE });
    await listed.getByText(/^必修/).waitFor();
    await listed.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(new RegExp(`/learn/items/${itemId}`));
    const video = page.locator('video.xf-learn-video');
    await video.waitFor();
    await page.waitForFunction(
      () => ((document.querySelector('video.xf-learn-video') as HTMLVideoElement | null)?.readyState ?? 0) >= 1,
    );
    assert.ok(ranges.includes(206), `the player was served a range (statuses ${ranges.join(',')})`);
    const progress = page.getByRole('progressbar', { name: '学习进度' });

    // Jump to near the end without playing, and let a heartbeat's time pass: nothing is credited.
    await video.evaluate((v: HTMLVideoElement) => {
      v.currentTime = 2.9;
    });
    serverLater(31_000);
    await page.clock.runFor(30_000);
    await page.waitForTimeout(500);
    await progress.getByText('0%').waitFor();
    const rec0 = await apiCall(e, 'GET', '/learn/me/records?pageSize=100', await memberToken());
    assert.equal(
      rec0.items.find((r: { itemId: string }) => r.itemId === itemId)?.seconds ?? 0,
      0,
      'a jump to the end earns nothing',
    );

    // Play (looped, muted): each heartbeat of 30 seconds of playing is credited while the clocks move together.
    await video.evaluate(async (v: HTMLVideoElement) => {
      v.loop = true;
      v.muted = true;
      await v.play();
    });
    await page.waitForFunction(() => !(document.querySelector('video.xf-learn-video') as HTMLVideoElement).paused);
    serverLater(31_000);
    await page.clock.runFor(30_000);
    // Part of a heartbeat: the interval's phase is fixed, playing began a moment after the previous tick.
    await progress.getByText(/^[1-9]\d?%$/).waitFor();
    await e.shot(page, 'learn-video-playing-390');
    serverLater(31_000);
    await page.clock.runFor(30_000);
    await progress.getByText('100%').or(progress.locator('.anticon-check-circle')).first().waitFor();
    await noOverflow(page, 'the video lesson at 390px');
    await e.shot(page, 'learn-video-done-390');
    const rec = (await apiCall(e, 'GET', '/learn/me/records?pageSize=100', await memberToken())).items.find(
      (r: { itemId: string }) => r.itemId === itemId,
    );
    assert.ok(
      rec.seconds >= 48 && rec.seconds <= 60,
      `two heartbeats of at most 30 seconds of playing (${rec.seconds}s credited)`,
    );
    assert.ok(rec.completedAt, 'the lesson is complete');
    assert.deepEqual(e.pageErrors, []);
  });

  it('after the day’s practice on the phone, the branch’s org view shows the member complete (390)', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await answerDailyPractice(page);
    await noOverflow(page, 'the practice result at 390px');
    await e.shot(page, 'learn-video-practice-390');

    // The secretary's view of the required video: 陈志远 counted complete, not among those behind.
    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto(`/learn/completion/items/${itemId}`);
    const view = phone.getByTestId('learn-completion');
    await view.getByText(/未完成的党员（\d+ 人）/).waitFor();
    assert.equal(
      (await phone.getByTestId('completion-done').locator('.ant-statistic-content-value').innerText()).trim(),
      '1',
    );
    assert.equal(await view.getByText('陈志远', { exact: true }).count(), 0, 'the member who finished is not behind');
    await noOverflow(phone, 'the completion view at 390px');
    await e.shot(phone, 'learn-video-completion-390');
    assert.deepEqual(e.pageErrors, []);
  });

  async function memberToken(): Promise<string> {
    return (await apiCall(e, 'POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD }))
      .token as string;
  }
});
