/**
 * Phone renditions and poster frames of uploaded videos (issue #18), made by Debian's `ffmpeg` when the server has
 * it. Found once at start-up (`XF_FFMPEG`, else `ffmpeg` on PATH); without it nothing is queued and the original
 * plays. With it, each uploaded video (a micro-video's or a course lesson's — both are `learn_file` rows) gets a
 * background job that makes an H.264/AAC MP4 at most 720 px high with `+faststart` (it plays and seeks on a phone
 * at once) and a JPEG poster, stored in the file store as rows with `source_id` = the original, served in ranges
 * like it. Progress is ffmpeg's `-progress` out_time against the input's duration, reported through the job.
 * A file ffmpeg cannot read fails the job with a Chinese reason for the managers; the original keeps playing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MediaRendition } from '@xianfeng/shared';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Queryable } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { sniff, type FileStore } from '../../platform/files';
import type { JobContext } from '../../platform/jobs';
import { job } from '../../platform/schema';
import { learnFile } from './schema';

export const RENDER_JOB = 'learn.media.render';
/** The rendition's height at most (px); smaller videos keep theirs. */
export const RENDITION_MAX_HEIGHT = 720;
/** A render may take this long plus RENDER_SECONDS_PER_SECOND × the video's length before it is killed. */
const RENDER_BASE_SECONDS = 120;
const RENDER_SECONDS_PER_SECOND = 4;

export type MediaTools = { ffmpeg: string };
export const NO_FFMPEG = '服务器未安装 ffmpeg，未能生成手机版；播放的是原始文件';
/** A video's rendition state before anything is made. */
export const NO_RENDITION = { percent: 0, renditionId: null, posterId: null, reason: null };

const executable = (p: string) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** ffmpeg from `XF_FFMPEG` (a path; a missing one means none) or the PATH; null when the server has none. */
export function detectFfmpeg(cfg: { path: string | undefined; searchPath: string | undefined }): MediaTools | null {
  if (cfg.path) return executable(cfg.path) ? { ffmpeg: cfg.path } : null;
  for (const dir of (cfg.searchPath ?? '').split(path.delimiter)) {
    const p = path.join(dir || '.', 'ffmpeg');
    if (dir && executable(p)) return { ffmpeg: p };
  }
  return null;
}

const unreadable = (why: string) => new AppError(422, 'MEDIA_UNREADABLE', why);

type Run = { code: number | null; stderr: string; timedOut: boolean };

/** Runs ffmpeg (no shell: the arguments are an array), killing it after `limitMs`; `onLine` sees stdout lines. */
function runFfmpeg(tools: MediaTools, args: string[], limitMs: number, onLine?: (line: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(tools.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let rest = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      rest += chunk;
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) onLine?.(l.trim());
    });
    // Keep the head (stream info) and the tail (the error): the middle is progress noise.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = stderr.length < 64_000 ? stderr + chunk : stderr.slice(0, 32_000) + stderr.slice(-32_000) + chunk;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}

const hms = (h: string, m: string, s: string) => Number(h) * 3600 + Number(m) * 60 + Number(s);

/** The input's length in seconds and whether it has a picture, from ffmpeg's header (and a copy pass if needed). */
async function probe(tools: MediaTools, input: string): Promise<{ seconds: number; height: number }> {
  const head = await runFfmpeg(tools, ['-hide_banner', '-nostdin', '-i', input], 60_000);
  if (head.timedOut) throw unreadable('读取视频信息超时，文件可能已损坏');
  const video = /Stream #\d+:\d+.*?: Video: .*?(\d{2,5})x(\d{2,5})/.exec(head.stderr);
  if (!video) {
    if (/Invalid data found|could not find codec|moov atom not found|EBML header parsing failed/i.test(head.stderr))
      throw unreadable('视频文件已损坏或格式不对，服务器无法读取，未能生成手机版；播放的是原始文件');
    throw unreadable('文件里没有可以播放的视频画面，未能生成手机版；播放的是原始文件');
  }
  const d = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(head.stderr);
  let seconds = d ? hms(d[1]!, d[2]!, d[3]!) : 0;
  if (!seconds) {
    // A browser's recording (MediaRecorder WebM) has no duration in its header: read it by copying to nowhere.
    const pass = await runFfmpeg(
      tools,
      ['-hide_banner', '-nostdin', '-i', input, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'],
      120_000,
    );
    const times = [...pass.stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
    const last = times.at(-1);
    seconds = last ? hms(last[1]!, last[2]!, last[3]!) : 0;
  }
  return { seconds, height: Number(video[2]) };
}

/** The reason in Chinese for a failed ffmpeg run (its last line, which says what went wrong, for the operator). */
function failure(what: string, r: Run, limitS: number): AppError {
  if (r.timedOut) return unreadable(`${what}超时（超过 ${limitS} 秒），已停止；播放的是原始文件`);
  const last = r.stderr.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
  return unreadable(`${what}失败（ffmpeg：${last}）；播放的是原始文件`);
}

/**
 * The job: makes the rendition and the poster of original video `fileId` and stores them, replacing any made before
 * (a rerun after a crash). Throws a Chinese AppError when the file cannot be rendered.
 */
export async function renderVideo(
  db: Db,
  store: FileStore,
  tools: MediaTools,
  fileId: string,
  ctx: Pick<JobContext, 'progress'>,
): Promise<{ renditionId: string; posterId: string; seconds: number } | null> {
  const [orig] = await db.select().from(learnFile).where(eq(learnFile.id, fileId));
  if (!orig) return null;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'xf-render-'));
  try {
    const input = path.join(dir, `in${path.extname(orig.storageKey) || '.bin'}`);
    await fs.promises.writeFile(input, await store.get(orig.storageKey));
    const { seconds, height } = await probe(tools, input);
    const total = Math.max(1, Math.round(seconds * 1000));
    await ctx.progress(0, total);
    const limitS = Math.round(RENDER_BASE_SECONDS + RENDER_SECONDS_PER_SECOND * seconds);
    const out = path.join(dir, 'rendition.mp4');
    const h = Math.min(RENDITION_MAX_HEIGHT, height - (height % 2));
    let reported = 0;
    const r = await runFfmpeg(
      tools,
      [
        ...['-hide_banner', '-nostdin', '-y', '-i', input],
        ...['-map', '0:v:0', '-map', '0:a:0?', '-vf', `scale=-2:${h}`, '-c:v', 'libx264', '-preset', 'veryfast'],
        ...['-crf', '26', '-pix_fmt', 'yuv420p', '-profile:v', 'main', '-c:a', 'aac', '-b:a', '96k', '-ac', '2'],
        ...['-movflags', '+faststart', '-progress', 'pipe:1', '-nostats', out],
      ],
      limitS * 1000,
      (line) => {
        const m = /^out_time_(?:us|ms)=(\d+)$/.exec(line);
        if (!m) return;
        // out_time_ms is in microseconds too (an old ffmpeg misnomer).
        reported = Math.min(total, Math.round(Number(m[1]) / 1000));
        void ctx.progress(reported, total).catch(() => {});
      },
    );
    if (r.code !== 0) throw failure('生成手机版', r, limitS);
    const poster = path.join(dir, 'poster.jpg');
    const at = seconds >= 2 ? '1' : '0';
    const p = await runFfmpeg(
      tools,
      ['-hide_banner', '-nostdin', '-y', '-ss', at, '-i', out, '-frames:v', '1', '-q:v', '4', '-f', 'image2', poster],
      60_000,
    );
    if (p.code !== 0) throw failure('截取封面', p, 60);
    const base = orig.fileName.replace(/\.[^.]+$/, '');
    const made = [
      { role: 'rendition', data: await fs.promises.readFile(out), fileName: `${base}（手机版）.mp4` },
      { role: 'poster', data: await fs.promises.readFile(poster), fileName: `${base}（封面）.jpg` },
    ];
    const ids: Record<string, string> = {};
    for (const m of made) {
      const sniffed = sniff(m.data);
      if (!sniffed || (m.role === 'rendition' ? sniffed.mime !== 'video/mp4' : sniffed.mime !== 'image/jpeg'))
        throw unreadable(`ffmpeg 生成的${m.role === 'rendition' ? '手机版' : '封面'}文件无效；播放的是原始文件`);
      ids[m.role] = await store.keep('learn', orig.tenantId, m, sniffed, async (file) => {
        const old = await db.transaction(async (tx) => {
          const gone = await tx
            .delete(learnFile)
            .where(and(eq(learnFile.sourceId, orig.id), eq(learnFile.role, m.role)))
            .returning({ storageKey: learnFile.storageKey });
          await tx.insert(learnFile).values({
            ...file,
            tenantId: orig.tenantId,
            itemId: orig.itemId,
            role: m.role,
            sourceId: orig.id,
            uploadedBy: orig.uploadedBy,
          });
          return gone;
        });
        for (const g of old) await store.remove(g.storageKey).catch(() => {});
        return file.id;
      });
    }
    await ctx.progress(total, total);
    return { renditionId: ids.rendition!, posterId: ids.poster!, seconds };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Records the render job of an original video (after its upload, when the server has ffmpeg). */
export async function setRenderJob(db: Queryable, fileId: string, jobId: string) {
  await db.update(learnFile).set({ jobId }).where(eq(learnFile.id, fileId));
}

/**
 * The rendition state of each original video among `files` (by id), from its rendition and poster rows and its job:
 * `reason` only for those who may edit the item (`manager`).
 */
export async function renditionsOf(
  db: Queryable,
  files: { id: string; role: string; jobId: string | null }[],
  manager: boolean,
): Promise<Map<string, MediaRendition>> {
  const videos = files.filter((f) => f.role === 'video');
  const out = new Map<string, MediaRendition>();
  if (videos.length === 0) return out;
  const ids = videos.map((v) => v.id);
  const jobIds = videos.flatMap((v) => (v.jobId ? [v.jobId] : []));
  const [made, jobs] = await Promise.all([
    db
      .select({ id: learnFile.id, sourceId: learnFile.sourceId, role: learnFile.role })
      .from(learnFile)
      .where(and(inArray(learnFile.sourceId, ids), isNotNull(learnFile.sourceId))),
    jobIds.length
      ? db
          .select({ id: job.id, status: job.status, progress: job.progress, total: job.total, error: job.error })
          .from(job)
          .where(inArray(job.id, jobIds))
      : Promise.resolve([]),
  ]);
  const jobById = new Map(jobs.map((j) => [j.id, j]));
  for (const v of videos) {
    const renditionId = made.find((m) => m.sourceId === v.id && m.role === 'rendition')?.id ?? null;
    const posterId = made.find((m) => m.sourceId === v.id && m.role === 'poster')?.id ?? null;
    const j = v.jobId ? jobById.get(v.jobId) : undefined;
    const base = { ...NO_RENDITION, renditionId, posterId };
    if (j?.status === 'queued' || j?.status === 'running') {
      const percent = j.total ? Math.min(99, Math.floor((j.progress / j.total) * 100)) : 0;
      out.set(v.id, { ...base, state: j.status === 'queued' && !j.total ? 'queued' : 'running', percent });
    } else if (renditionId) out.set(v.id, { ...base, state: 'done', percent: 100 });
    else if (j && (j.status === 'failed' || j.status === 'dead')) {
      const message = (j.error as { message?: string } | null)?.message ?? '生成手机版失败；播放的是原始文件';
      out.set(v.id, { ...base, state: 'failed', percent: 0, reason: manager ? message : null });
    } else out.set(v.id, { ...base, state: 'original', percent: 0 });
  }
  return out;
}
