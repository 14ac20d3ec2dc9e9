/**
 * 手机版和封面 of uploaded videos (learn/media.ts) with the real ffmpeg of the box (tools/test.mjs installs Debian's):
 * a clip that ffmpeg itself makes is uploaded, the background job renders it with progress, and the rendition and
 * poster are real files served in ranges; a mislabelled file fails with a Chinese reason while the original plays on;
 * without ffmpeg nothing is queued and the item says so.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { fileStore } from '../../platform/files';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { detectFfmpeg, RENDER_JOB, renderVideo } from './media';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-media-test-'));
/**
 * A 3 s WebM (VP8 + Opus) 1280×960, taller than a phone rendition may be, made by ffmpeg's own test sources and
 * written to a pipe: like a browser's MediaRecorder file it has no duration in its header (the job reads it).
 */
function makeClip(): Buffer {
  return execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error'],
      ...['-f', 'lavfi', '-i', 'testsrc=duration=3:size=1280x960:rate=15'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3'],
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-c:a', 'libopus'],
      ...['-f', 'webm', 'pipe:1'],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

function probe(file: string) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as {
    streams: { codec_type: string; codec_name: string; height?: number }[];
    format: { format_name: string };
  };
}

/** MP4 magic bytes with nothing playable behind them: the upload check passes, ffmpeg cannot read it. */
const FAKE_MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(4000, 7)]);

/** A new item of the 第一发电厂党支部 (published at once), by `token`. */
async function newItem(t: TestApp, token: string, kind: 'video' | 'course', title: string): Promise<string> {
  const { post } = api(() => t);
  const orgId = await t.orgId('第一发电厂党支部');
  const r = await post('/learn/items', token, { orgId, kind, title, minutes: 1 });
  assert.equal(r.status, 201, r.raw);
  return r.body.id;
}

const uploadVideo = (t: TestApp, token: string, itemId: string, data: Buffer, name: string) =>
  t.request({
    method: 'POST',
    url: `/api/v1/learn-items/${itemId}/files?role=video`,
    token,
    ...multipartFile(data, name),
  });

const ffmpeg = detectFfmpeg({ path: undefined, searchPath: process.env.PATH });

describe(
  'learn video renditions with ffmpeg',
  { skip: !ffmpeg && 'no ffmpeg (tools/test.mjs installs it as root)' },
  () => {
    let t: TestApp;
    const { get, post } = api(() => t);
    let secretary: string;
    let member: string;
    let itemId: string;

    before(async () => {
      t = await startTestApp();
      (t.services.config as { dataDir: string }).dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-media-'));
      [secretary, member] = await signIn(t, 'shuji', 'dangyuan');
      itemId = await newItem(t, secretary, 'video', '转码测试视频');
    });
    after(async () => {
      await t.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    const item = async (token: string) => (await get(`/learn-items/${itemId}`, token)).body;
    const upload = (data: Buffer, name: string) => uploadVideo(t, secretary, itemId, data, name);
    const ranged = (fileId: string, range = 'bytes=0-99') =>
      t.request({
        method: 'GET',
        url: `/api/v1/learn-items/${itemId}/files/${fileId}`,
        token: member,
        headers: { range },
      });

    it('finds the ffmpeg of the box and says so on the item', async () => {
      assert.equal((await item(secretary)).transcoder, true);
    });

    it('renders an uploaded WebM to an H.264 MP4 ≤ 720 px and a JPEG poster, with progress 0 → 100, served in ranges', async () => {
      const clip = makeClip();
      assert.doesNotMatch(
        execFileSync('ffprobe', ['-v', 'error', '-show_format', '-'], { input: clip, encoding: 'utf8' }),
        /duration=\d/,
      );
      const up = await upload(clip, '党课片段.webm');
      assert.equal(up.status, 201, up.raw);
      assert.deepEqual(up.body.media, { state: 'queued', percent: 0, renditionId: null, posterId: null, reason: null });
      // Watch the manager's view while the job runs: queued/running with a rising percent, then done at 100.
      const seen: { state: string; percent: number }[] = [{ state: 'queued', percent: 0 }];
      for (let i = 0; i < 1200; i++) {
        const m = (await item(secretary)).files.find((f: { id: string }) => f.id === up.body.id).media;
        seen.push({ state: m.state, percent: m.percent });
        if (m.state === 'done' || m.state === 'failed') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const last = seen.at(-1)!;
      assert.deepEqual(last, { state: 'done', percent: 100 }, JSON.stringify(seen));
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.percent >= seen[i - 1]!.percent, JSON.stringify(seen));
      assert.ok(
        seen.some((s) => s.state === 'running'),
        `the job reported its progress while it ran: ${JSON.stringify(seen)}`,
      );
      // The job's total is the clip's length in ms, read by ffmpeg: progress is out_time against it.
      const [j] = await queryRows<{ status: string; progress: number; total: number }>(
        t.services.db,
        sql`select status, progress, total from job where kind = ${RENDER_JOB} and payload->>'fileId' = ${up.body.id}`,
      );
      assert.equal(j?.status, 'done');
      assert.ok(j.total >= 2900 && j.total <= 3100, `total ${j.total} ms`);
      assert.equal(j.progress, j.total);

      const m = (await item(member)).files.find((f: { id: string }) => f.id === up.body.id).media;
      assert.equal(m.state, 'done');
      assert.equal(m.reason, null);
      // Members and managers see the original only in `files`: the rendition and poster come with it.
      assert.deepEqual(
        (await item(member)).files.map((f: { role: string }) => f.role),
        ['video'],
      );
      const rendition = await ranged(m.renditionId);
      assert.equal(rendition.status, 206);
      assert.equal(rendition.headers['content-type'], 'video/mp4');
      assert.match(String(rendition.headers['content-range']), /^bytes 0-99\/\d+$/);
      const whole = await get(`/learn-items/${itemId}/files/${m.renditionId}`, member);
      const mp4 = path.join(tmp, 'rendition.mp4');
      fs.writeFileSync(mp4, whole.rawPayload);
      const info = probe(mp4);
      const v = info.streams.find((s) => s.codec_type === 'video')!;
      assert.equal(v.codec_name, 'h264');
      assert.equal(v.height, 720, 'a 960 px clip comes down to 720 px');
      assert.equal(info.streams.find((s) => s.codec_type === 'audio')?.codec_name, 'aac');
      assert.match(info.format.format_name, /mp4/);
      // +faststart: the index (moov) comes before the media data (mdat), so a phone starts playing at once.
      const bytes = whole.rawPayload;
      assert.ok(bytes.indexOf('moov') < bytes.indexOf('mdat'), 'moov before mdat');

      const poster = await ranged(m.posterId, 'bytes=0-2');
      assert.equal(poster.status, 206);
      assert.equal(poster.headers['content-type'], 'image/jpeg');
      assert.deepEqual([...poster.rawPayload], [0xff, 0xd8, 0xff], 'JPEG magic bytes');
      // The original plays as before.
      assert.equal((await ranged(up.body.id)).status, 206);

      // Rendering again (a rerun after a crash) replaces the rendition and poster: one of each, the old bytes gone.
      // Its progress calls, as the job sees them: from 0 of the clip's length, rising, to all of it.
      const store = fileStore(() => t.services.config.dataDir, null);
      const calls: [number, number][] = [];
      const again = await renderVideo(t.services.db, store, ffmpeg!, up.body.id, {
        progress: async (done, total) => void calls.push([done, total]),
      });
      assert.ok(again && again.renditionId !== m.renditionId);
      const total = calls[0]![1];
      assert.deepEqual(calls[0], [0, total]);
      assert.deepEqual(calls.at(-1), [total, total]);
      for (let i = 1; i < calls.length; i++) assert.ok(calls[i]![0] >= calls[i - 1]![0], JSON.stringify(calls));
      const [n] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from learn_file where source_id = ${up.body.id}`,
      );
      assert.equal(n?.n, 2);
      assert.equal((await ranged(m.renditionId)).status, 404);
      const now = (await item(member)).files.find((f: { id: string }) => f.id === up.body.id).media;
      assert.equal(now.renditionId, again.renditionId);
    });

    it("renders a course lesson's video the same way; a clip under 2 s takes its poster from the first frame", async () => {
      const course = await newItem(t, secretary, 'course', '转码测试课程');
      const short = path.join(tmp, 'short.mp4');
      execFileSync(
        'ffmpeg',
        [
          ...[
            '-hide_banner',
            '-loglevel',
            'error',
            '-y',
            '-f',
            'lavfi',
            '-i',
            'testsrc=duration=1:size=320x240:rate=10',
          ],
          ...['-c:v', 'libx264', '-preset', 'ultrafast', short],
        ],
        { stdio: 'ignore' },
      );
      const up = await uploadVideo(t, secretary, course, fs.readFileSync(short), '第一课.mp4');
      assert.equal(up.status, 201, up.raw);
      const lesson = await post(`/learn-items/${course}/lessons`, secretary, {
        kind: 'video',
        title: '第一课',
        minutes: 1,
        fileId: up.body.id,
      });
      assert.equal(lesson.status, 201, lesson.raw);
      await t.services.jobs.settle();
      const lessons = (await get(`/learn-items/${course}/lessons`, member)).body;
      // A new course starts with a text lesson of its own; the video lesson comes after it.
      const m = lessons.items.find((l: { kind: string }) => l.kind === 'video').file.media;
      assert.equal(m.state, 'done', JSON.stringify(m));
      const poster = await get(`/learn-items/${course}/files/${m.posterId}`, member);
      assert.equal(poster.status, 200);
      assert.deepEqual([...poster.rawPayload.subarray(0, 3)], [0xff, 0xd8, 0xff]);
      // The course's files are its uploads only.
      const detail = (await get(`/learn-items/${course}`, secretary)).body;
      assert.deepEqual(
        detail.files.map((f: { role: string }) => f.role),
        ['video'],
      );
    });

    it('fails a mislabelled video with a Chinese reason for the manager, and the original still plays', async () => {
      const up = await upload(FAKE_MP4, '坏文件.mp4');
      assert.equal(up.status, 201, up.raw);
      await t.services.jobs.settle();
      const m = (await item(secretary)).files.find((f: { id: string }) => f.id === up.body.id).media;
      assert.equal(m.state, 'failed');
      assert.match(m.reason, /[\u4e00-\u9fa5]/, 'a Chinese reason');
      assert.match(m.reason, /播放的是原始文件/);
      assert.equal(m.renditionId, null);
      // Members see the state, not the reason; the original still serves in ranges.
      const forMember = (await item(member)).files.find((f: { id: string }) => f.id === up.body.id).media;
      assert.equal(forMember.state, 'failed');
      assert.equal(forMember.reason, null);
      const r = await ranged(up.body.id, 'bytes=4-11');
      assert.equal(r.status, 206);
      assert.equal(r.raw, 'ftypmp42');
    });
  },
);

describe('learn videos without ffmpeg', () => {
  let t: TestApp;
  const { get } = api(() => t);
  before(async () => {
    t = await startTestApp({ env: { XF_FFMPEG: '/nonexistent/bin/ffmpeg' } });
    (t.services.config as { dataDir: string }).dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-media-'));
  });
  after(() => t.close());

  it('queues nothing, serves the original, and the item says renditions are unavailable', async () => {
    const secretary = await t.login('shuji');
    const itemId = await newItem(t, secretary, 'video', '无转码的视频');
    const up = await uploadVideo(t, secretary, itemId, FAKE_MP4, 'a.mp4');
    assert.equal(up.status, 201, up.raw);
    assert.equal(up.body.media.state, 'original');
    const [n] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from job where kind = ${RENDER_JOB}`,
    );
    assert.equal(n?.n, 0, 'nothing queued');
    const it = (await get(`/learn-items/${itemId}`, secretary)).body;
    assert.equal(it.transcoder, false);
    assert.equal(it.files[0].media.state, 'original');
    const r = await t.request({
      method: 'GET',
      url: `/api/v1/learn-items/${itemId}/files/${up.body.id}`,
      token: secretary,
      headers: { range: 'bytes=0-3' },
    });
    assert.equal(r.status, 206);
  });
});
