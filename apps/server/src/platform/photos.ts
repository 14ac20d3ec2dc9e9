/**
 * Photos as kept (issue 14 item 12): a meeting photo is re-encoded on upload — turned upright by its EXIF
 * orientation, its long side cut to PHOTO_MAX_SIDE pixels, written as JPEG — so what is stored carries no
 * EXIF, GPS position, camera serial or other metadata (libvips writes none unless asked) and the 台账 never
 * meets a photo larger than that. Decoding is refused past PHOTO_MAX_INPUT_PIXELS (a PNG of 8000 × 8000 zeros
 * is 256 MB decoded); libvips works off the main thread.
 *
 * sharp (libvips) is loaded when the first photo arrives, not at start, so a server without it still starts.
 */
import { badRequest, unprocessable } from './errors';
import type { Sniffed } from './files';

export const PHOTO_MAX_SIDE = 2048;
/** Pixels a photo may declare before it is decoded at all: 50 MP covers every phone and camera in use. */
export const PHOTO_MAX_INPUT_PIXELS = 50_000_000;
const JPEG_QUALITY = 85;

type SharpImage = {
  rotate(): SharpImage;
  resize(w: number, h: number, o: { fit: 'inside'; withoutEnlargement: boolean }): SharpImage;
  jpeg(o: { quality: number; mozjpeg?: boolean }): SharpImage;
  flatten(o: { background: string }): SharpImage;
  toBuffer(o: {
    resolveWithObject: true;
  }): Promise<{ data: Buffer; info: { width: number; height: number; size: number } }>;
};
type Sharp = (input: Buffer, o: { limitInputPixels: number; failOn: 'error'; animated: false }) => SharpImage;

let loaded: Promise<Sharp> | null = null;
// A module name in a variable: the type checker does not need sharp installed to check this file.
const SHARP = 'sharp';
const sharpLib = () => (loaded ??= import(SHARP).then((m: { default: Sharp }) => m.default));

/** The photo as it will be stored: upright, at most PHOTO_MAX_SIDE px on its long side, JPEG, no metadata. */
export async function normalizePhoto(data: Buffer, sniffed: Sniffed): Promise<{ data: Buffer; sniffed: Sniffed }> {
  if ((sniffed.width ?? 0) * (sniffed.height ?? 0) > PHOTO_MAX_INPUT_PIXELS)
    throw unprocessable(
      `照片像素过大（超过 ${PHOTO_MAX_INPUT_PIXELS / 1_000_000} 百万像素），请缩小后再上传`,
      undefined,
      'PHOTO_TOO_LARGE',
    );
  const sharp = await sharpLib();
  try {
    const out = await sharp(data, { limitInputPixels: PHOTO_MAX_INPUT_PIXELS, failOn: 'error', animated: false })
      .rotate()
      .resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return {
      data: out.data,
      sniffed: { mime: 'image/jpeg', ext: '.jpg', image: true, width: out.info.width, height: out.info.height },
    };
  } catch (e) {
    if (/pixel limit/i.test(String((e as Error).message)))
      throw unprocessable(
        `照片像素过大（超过 ${PHOTO_MAX_INPUT_PIXELS / 1_000_000} 百万像素），请缩小后再上传`,
        undefined,
        'PHOTO_TOO_LARGE',
      );
    throw badRequest('无法读取该图片，请确认文件未损坏', undefined, 'BAD_IMAGE');
  }
}

/** The name a normalized photo is kept under: the uploaded name with the extension of what it now is. */
export const photoName = (fileName: string) => `${fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.jpg`;
