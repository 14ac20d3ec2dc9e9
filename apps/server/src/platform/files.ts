/**
 * Uploaded files, for every module: reading one multipart upload with a size limit, deciding
 * its type by its first bytes (never by its name or the browser's word), and keeping the bytes
 * under XF_DATA_DIR/files, or in S3-compatible storage when XF_S3_* is configured.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, badRequest, notFound } from './errors';
import { S3Client, S3Error, type S3Config } from './s3';

/** Photos, attachments and scans; spreadsheets for import may be larger (their routes say so). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Micro-videos (微视频, a few minutes at 720p); read into memory like every upload, so kept modest. */
export const MAX_VIDEO_BYTES = 60 * 1024 * 1024;
export const tooLarge = (maxBytes = MAX_FILE_BYTES) =>
  new AppError(413, 'FILE_TOO_LARGE', `文件过大：每个文件不能超过 ${Math.round(maxBytes / 1024 / 1024)} MB`, {
    maxBytes,
  });

/** The one file of a multipart/form-data request (field `file`), or a Chinese 4xx. */
export async function readUpload(
  req: FastifyRequest,
  maxBytes = MAX_FILE_BYTES,
): Promise<{ data: Buffer; fileName: string }> {
  if (!req.isMultipart())
    throw badRequest('请以 multipart/form-data 上传文件（字段名 file）', undefined, 'FILE_REQUIRED');
  const file = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 5 } });
  if (!file || file.fieldname !== 'file') throw badRequest('请上传文件（字段名 file）', undefined, 'FILE_REQUIRED');
  let data: Buffer;
  try {
    data = await file.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw err;
  }
  if (file.file.truncated) throw tooLarge(maxBytes);
  return { data, fileName: (file.filename || '未命名').slice(0, 200) };
}

export type Sniffed = { mime: string; ext: string; image: boolean; width: number | null; height: number | null };

function jpegSize(b: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  return null;
}

/** The file's real type from its magic bytes, or null when it is none we accept. */
export function sniff(b: Buffer): Sniffed | null {
  const starts = (...bytes: number[]) => bytes.every((x, i) => b[i] === x);
  if (b.length >= 4 && starts(0xff, 0xd8, 0xff)) {
    const s = jpegSize(b);
    return { mime: 'image/jpeg', ext: '.jpg', image: true, width: s?.width ?? null, height: s?.height ?? null };
  }
  if (b.length >= 24 && starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))
    return { mime: 'image/png', ext: '.png', image: true, width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (
    b.length >= 10 &&
    (b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a')
  )
    return { mime: 'image/gif', ext: '.gif', image: true, width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (
    b.length >= 12 &&
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return { mime: 'image/webp', ext: '.webp', image: true, width: null, height: null };
  // ISO base media (MP4): a box of type 'ftyp' first; WebM: the EBML magic.
  if (b.length >= 12 && b.subarray(4, 8).toString('latin1') === 'ftyp')
    return { mime: 'video/mp4', ext: '.mp4', image: false, width: null, height: null };
  if (b.length >= 4 && starts(0x1a, 0x45, 0xdf, 0xa3))
    return { mime: 'video/webm', ext: '.webm', image: false, width: null, height: null };
  if (b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-')
    return { mime: 'application/pdf', ext: '.pdf', image: false, width: null, height: null };
  return null;
}

/**
 * Audio by its magic bytes (for learning lessons): MP3 (an ID3 tag or an MPEG audio frame sync), M4A/AAC in an
 * ISO box with an audio brand (`M4A `, `M4B `), Ogg, WAV. Separate from `sniff`, so attachments and videos are
 * checked exactly as before.
 */
export function sniffAudio(b: Buffer): Sniffed | null {
  const audio = (mime: string, ext: string): Sniffed => ({ mime, ext, image: false, width: null, height: null });
  if (b.length >= 10 && b.subarray(0, 3).toString('latin1') === 'ID3') return audio('audio/mpeg', '.mp3');
  if (b.length >= 4 && b[0] === 0xff && (b[1]! & 0xe6) === 0xe2) return audio('audio/mpeg', '.mp3');
  if (
    b.length >= 12 &&
    b.subarray(4, 8).toString('latin1') === 'ftyp' &&
    /^M4[AB] $/.test(b.subarray(8, 12).toString('latin1'))
  )
    return audio('audio/mp4', '.m4a');
  if (b.length >= 4 && b.subarray(0, 4).toString('latin1') === 'OggS') return audio('audio/ogg', '.ogg');
  if (
    b.length >= 12 &&
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WAVE'
  )
    return audio('audio/wav', '.wav');
  return null;
}

const OFFICE: Record<string, string> = {
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** What an upload route accepts: `checkUpload` decides by the file's bytes. */
export type UploadKind = 'photo' | 'attachment' | 'video' | 'audio';

/**
 * Checks an upload for its kind: photos must be images; videos MP4 or WebM, audio MP3/M4A/OGG/WAV (both up to
 * MAX_VIDEO_BYTES); attachments images, PDF or Office files.
 */
export function checkUpload(kind: UploadKind, b: Buffer, fileName: string): Sniffed {
  if (b.length === 0) throw badRequest('上传的文件是空的', undefined, 'FILE_EMPTY');
  const max = kind === 'video' || kind === 'audio' ? MAX_VIDEO_BYTES : MAX_FILE_BYTES;
  if (b.length > max) throw tooLarge(max);
  if (kind === 'audio') {
    const a = sniffAudio(b);
    if (!a) throw badRequest('音频须为 MP3、M4A、OGG 或 WAV 格式（按文件内容识别）', undefined, 'NOT_AN_AUDIO');
    return a;
  }
  const s = sniff(b);
  if (kind === 'video') {
    if (!s?.mime.startsWith('video/'))
      throw badRequest('视频须为 MP4 或 WebM 格式（按文件内容识别）', undefined, 'NOT_A_VIDEO');
    return s;
  }
  if (s?.mime.startsWith('video/'))
    throw badRequest(
      '附件须为图片、PDF 或 Word/Excel/PowerPoint 文件；视频请作为微视频上传',
      undefined,
      'UNSUPPORTED_FILE_TYPE',
    );
  if (kind === 'photo') {
    if (!s?.image)
      throw badRequest('照片须为 JPEG、PNG、GIF 或 WebP 格式的图片（按文件内容识别）', undefined, 'NOT_AN_IMAGE');
    return s;
  }
  if (s) return s;
  const ext = path.extname(fileName).toLowerCase();
  // Office files are ZIP containers: PK\x03\x04.
  if (OFFICE[ext] && b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04)
    return { mime: OFFICE[ext], ext, image: false, width: null, height: null };
  throw badRequest(
    '附件须为图片、PDF 或 Word/Excel/PowerPoint（.docx/.xlsx/.pptx）文件',
    undefined,
    'UNSUPPORTED_FILE_TYPE',
  );
}

/**
 * The Content-Disposition of a file sent to the browser: the name percent-encoded as RFC 5987 `filename*` (a Chinese
 * name arrives intact in every browser); `inline` asks the browser to show it in the tab rather than save it.
 */
export const contentDisposition = (name: string, inline = false) =>
  `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Whether a browser shows a file of this type itself (images and PDF) — those are sent inline, the rest saved. */
export const shownInline = (mime: string) => mime.startsWith('image/') || mime === 'application/pdf';

/** An upload as stored: the id its row takes, and what the row records of it. */
export type StoredFile = {
  id: string;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  storageKey: string;
};

/** A stored upload's row as evidence keeps it (整改 and 承诺 materials, 考核 evidence): the file and who gave it when. */
export type UploadedFileRow = Omit<StoredFile, 'storageKey'> & { uploadedBy: string; uploadedAt: Date };

/** An evidence file as the answers show it — in the record's detail and in the upload's 201 alike. */
export const uploadedFileView = (f: UploadedFileRow) => ({
  id: f.id,
  fileName: f.fileName,
  mime: f.mime,
  size: f.size,
  uploadedBy: f.uploadedBy,
  uploadedAt: f.uploadedAt.toISOString(),
});

/** What the audit entry of a kept upload records of it: enough to recognise the bytes (sha256), not where they are. */
export const uploadAudit = (f: Omit<StoredFile, 'storageKey'>) => ({
  fileId: f.id,
  fileName: f.fileName,
  mime: f.mime,
  size: f.size,
  sha256: f.sha256,
});

/** Where the bytes live: the local folder, or an S3-compatible bucket (platform/s3.ts). */
export type FileBackend = {
  kind: 'local' | 's3';
  put(key: string, data: Buffer, mime?: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  size(key: string): Promise<number>;
  stream(key: string, start: number, end: number): Readable;
  remove(key: string): Promise<void>;
};

/** The local folder `<dataDir>/files`; keys are relative paths made by the server only. */
export function localBackend(dataDir: () => string): FileBackend {
  const full = (key: string) => {
    const root = path.join(dataDir(), 'files');
    const p = path.resolve(root, key);
    if (!p.startsWith(root + path.sep)) throw new Error('bad storage key');
    return p;
  };
  return {
    kind: 'local',
    async put(key, data) {
      const p = full(key);
      await fs.promises.mkdir(path.dirname(p), { recursive: true });
      await fs.promises.writeFile(p, data, { flag: 'wx' });
    },
    // async: a bad key is a rejected promise, as for every other failure
    get: async (key) => fs.promises.readFile(full(key)),
    size: async (key) => (await fs.promises.stat(full(key))).size,
    stream: (key, start, end) => fs.createReadStream(full(key), { start, end }),
    remove: async (key) => fs.promises.rm(full(key), { force: true }),
  };
}

/** An S3-compatible bucket: the same keys, under the configured prefix. */
export function s3Backend(cfg: S3Config): FileBackend {
  const client = new S3Client(cfg);
  // The same rule as the folder: relative keys that never climb (`..`), so no key reaches outside the prefix.
  const ok = (key: string) => {
    if (key.startsWith('/') || key.split('/').some((p) => p === '..' || p === '.' || p === ''))
      throw new Error('bad storage key');
    return key;
  };
  return {
    kind: 's3',
    put: async (key, data, mime) => client.put(ok(key), data, mime),
    get: async (key) => client.get(ok(key)),
    size: async (key) => client.size(ok(key)),
    stream: (key, start, end) => client.stream(ok(key), start, end),
    remove: async (key) => client.remove(ok(key)),
  };
}

/**
 * The file store of every module: uploads kept under server-made keys, in the local folder under `dataDir`, or in
 * S3-compatible storage when `s3` is configured (XF_S3_*). The same keys either way, so `npm run files:move`
 * moves files between them without touching the database.
 */
export function fileStore(dataDir: () => string, s3?: S3Config | null) {
  const backend = s3 ? s3Backend(s3) : localBackend(dataDir);
  return {
    kind: backend.kind,
    put: (key: string, data: Buffer, mime?: string): Promise<void> => backend.put(key, data, mime),
    get: (key: string): Promise<Buffer> => backend.get(key),
    /** Size of a stored file (for Range answers). */
    size: (key: string): Promise<number> => backend.size(key),
    /** Bytes start..end (inclusive) of a stored file as a stream: videos are served in ranges, not read whole. */
    stream: (key: string, start: number, end: number): Readable => backend.stream(key, start, end),
    /**
     * Answers a GET for a stored file, honouring one HTTP Range (`bytes=a-b`, `a-`, `-n`) with 206, so a video
     * plays and seeks without the file being read whole; 416 for a range past the end, 404 when the bytes are gone.
     * Images and PDF are shown inline, other files saved, unless `disposition` says otherwise.
     */
    async serve(
      req: FastifyRequest,
      reply: FastifyReply,
      f: { storageKey: string; mime: string; fileName: string },
      disposition = contentDisposition(f.fileName, shownInline(f.mime)),
    ): Promise<FastifyReply> {
      let size: number;
      try {
        size = await this.size(f.storageKey);
      } catch (err) {
        // The bucket answering something other than "no such key" is an outage, not a lost file.
        if (err instanceof S3Error && err.status !== 404)
          throw new AppError(503, 'FILE_STORE_UNAVAILABLE', '文件存储暂时无法访问，请稍后再试');
        throw notFound('文件已丢失，请重新上传', 'FILE_MISSING');
      }
      reply
        .header('content-type', f.mime)
        .header('accept-ranges', 'bytes')
        .header('content-disposition', disposition)
        .header('cache-control', 'private, max-age=3600');
      const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
      if (m && (m[1] || m[2])) {
        const start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
        const end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
        if (start >= size || start > end) {
          reply.header('content-range', `bytes */${size}`);
          throw new AppError(416, 'RANGE_NOT_SATISFIABLE', '请求的范围超出文件大小');
        }
        return reply
          .status(206)
          .header('content-range', `bytes ${start}-${end}/${size}`)
          .header('content-length', end - start + 1)
          .send(this.stream(f.storageKey, start, end));
      }
      return reply.header('content-length', size).send(this.stream(f.storageKey, 0, Math.max(0, size - 1)));
    },
    /**
     * Sends a stored file whole, with its type, shown inline when the browser can (`shownInline`), cacheable by the
     * browser only. `open` unseals bytes kept sealed (`keep`'s `seal`); for large files and videos use `serve`.
     */
    async send(
      reply: FastifyReply,
      f: { storageKey: string; mime: string; fileName: string },
      open?: (sealed: Buffer) => Buffer,
    ): Promise<FastifyReply> {
      let data: Buffer;
      try {
        data = await this.get(f.storageKey);
      } catch {
        throw notFound('文件已丢失，请重新上传', 'FILE_MISSING');
      }
      return reply
        .header('content-type', f.mime)
        .header('content-disposition', contentDisposition(f.fileName, shownInline(f.mime)))
        .header('cache-control', 'private, max-age=3600')
        .send(open ? open(data) : data);
    },
    remove: (key: string): Promise<void> => backend.remove(key),
    /**
     * Stores an upload as `<folder>/<tenantId>/<new id><ext>` and records it with `record` (its row takes the id).
     * If recording fails the bytes are removed again, so no stored file is ever without its row.
     * With `seal` (e.g. FieldCrypto `sealBytes` bound to the row id) the store gets `seal(data, id)` instead, under
     * `<id>.sealed`; `sha256` is then of the sealed bytes, `size` stays the upload's.
     */
    async keep<T>(
      folder: string,
      tenantId: string,
      upload: { data: Buffer; fileName: string },
      sniffed: Sniffed,
      record: (file: StoredFile) => Promise<T>,
      seal?: (data: Buffer, id: string) => Buffer,
    ): Promise<T> {
      const id = crypto.randomUUID();
      const storageKey = `${folder}/${tenantId}/${id}${seal ? '.sealed' : sniffed.ext}`;
      const bytes = seal ? seal(upload.data, id) : upload.data;
      await this.put(storageKey, bytes, seal ? 'application/octet-stream' : sniffed.mime);
      try {
        return await record({
          id,
          fileName: upload.fileName,
          mime: sniffed.mime,
          size: upload.data.length,
          sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
          storageKey,
        });
      } catch (err) {
        await this.remove(storageKey);
        throw err;
      }
    },
    /**
     * An upload route's body but its own record: the request's one file (`readUpload`, up to `maxBytes`), checked for
     * its `kind` by its bytes (`checkUpload`: a Chinese 4xx otherwise), kept under `folder` and recorded (`keep`,
     * sealed with `seal` if given).
     */
    async upload<T>(
      req: FastifyRequest,
      kind: UploadKind,
      folder: string,
      tenantId: string,
      record: (file: StoredFile) => Promise<T>,
      { maxBytes = MAX_FILE_BYTES, seal }: { maxBytes?: number; seal?: (data: Buffer, id: string) => Buffer } = {},
    ): Promise<T> {
      const upload = await readUpload(req, maxBytes);
      return this.keep(folder, tenantId, upload, checkUpload(kind, upload.data, upload.fileName), record, seal);
    },
  };
}
export type FileStore = ReturnType<typeof fileStore>;
