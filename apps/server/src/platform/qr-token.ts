/**
 * Rotating signed QR tokens for "scan at the place" sign-ins (the meeting venue screen, a volunteer activity's
 * screen). A token is `v1.<record id hex>.<window base36>.<HMAC>`: the screen shows a new one every window, a token
 * is accepted only for a few windows (a photo of yesterday's code does not work), and nobody can make one up
 * without the server's key. Each use has its own key (`FieldCrypto.subkey`) and its own MAC label, so a token of
 * one kind of record is never accepted for another.
 */
import crypto from 'node:crypto';
import { CHECKIN_TOKEN_VALID_WINDOWS, CHECKIN_TOKEN_WINDOW_SECONDS, now as clockNow } from '@xianfeng/shared';
import QRCode from 'qrcode';
import { badRequest } from './errors';

export const windowOf = (now: Date) => Math.floor(now.getTime() / 1000 / CHECKIN_TOKEN_WINDOW_SECONDS);

const mac = (key: Buffer, label: string, hex: string, window: number) =>
  crypto.createHmac('sha256', key).update(`${label}|${hex}|${window}`).digest().subarray(0, 16).toString('base64url');

const hexOf = (id: string) => id.replace(/-/g, '').toLowerCase();

export type IssuedQrToken = {
  token: string;
  window: number;
  /** When the screen should show the next one. */
  refreshAt: string;
  /** The last moment this token is still accepted. */
  expiresAt: string;
};

export function issueQrToken(key: Buffer, label: string, recordId: string, now: Date = clockNow()): IssuedQrToken {
  const hex = hexOf(recordId);
  const window = windowOf(now);
  const windowEnd = (window + 1) * CHECKIN_TOKEN_WINDOW_SECONDS * 1000;
  return {
    token: `v1.${hex}.${window.toString(36)}.${mac(key, label, hex, window)}`,
    window,
    refreshAt: new Date(windowEnd).toISOString(),
    expiresAt: new Date(
      windowEnd + (CHECKIN_TOKEN_VALID_WINDOWS - 1) * CHECKIN_TOKEN_WINDOW_SECONDS * 1000,
    ).toISOString(),
  };
}

/** The Chinese answers of one use: what the screen is called and what "another record" is. */
export type QrTokenWords = {
  /** e.g. 签到二维码无效，请扫描会场屏幕上的二维码 */
  invalid: string;
  /** e.g. 这是另一场会议的签到二维码 */
  wrongRecord: string;
  wrongRecordCode: string;
  /** e.g. 签到二维码已过期，请扫描会场屏幕上最新的二维码 */
  expired: string;
};

const TOKEN_RE = /^v1\.([0-9a-f]{32})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

/** A token whose signature and record were checked: when it was shown, and whether it is still accepted now. */
export type ReadQrToken = { window: number; shownAt: Date; fresh: boolean };

export const qrTokenExpired = (words: QrTokenWords) =>
  badRequest(
    words.expired,
    { validForSeconds: CHECKIN_TOKEN_VALID_WINDOWS * CHECKIN_TOKEN_WINDOW_SECONDS },
    'CHECKIN_TOKEN_EXPIRED',
  );

/** Throws a Chinese 400 for a forged, malformed, expired or other record's token. */
export function verifyQrToken(
  key: Buffer,
  label: string,
  recordId: string,
  token: string,
  words: QrTokenWords,
  now: Date = clockNow(),
): void {
  if (!readQrToken(key, label, recordId, token, words, now).fresh) throw qrTokenExpired(words);
}

/**
 * Checks a token's signature, record and that it is not from the future, and says when it was shown — for a use that
 * judges an old token by its own rule (a sign-in kept offline on the phone, issue #24). Throws a Chinese 400 for a
 * forged, malformed or other record's token; an old one is returned with `fresh: false`.
 */
export function readQrToken(
  key: Buffer,
  label: string,
  recordId: string,
  token: string,
  words: QrTokenWords,
  now: Date = clockNow(),
): ReadQrToken {
  const m = TOKEN_RE.exec(token.trim());
  const invalid = () => badRequest(words.invalid, undefined, 'CHECKIN_TOKEN_INVALID');
  if (!m) throw invalid();
  const [, hex, w36, given] = m as unknown as [string, string, string, string];
  const window = parseInt(w36, 36);
  const expected = Buffer.from(mac(key, label, hex, window));
  if (!crypto.timingSafeEqual(expected, Buffer.from(given))) throw invalid();
  if (hex !== hexOf(recordId)) throw badRequest(words.wrongRecord, undefined, words.wrongRecordCode);
  const current = windowOf(now);
  // One window of clock skew ahead is tolerated; anything further ahead was not issued by us.
  if (window > current + 1) throw invalid();
  return {
    window,
    shownAt: new Date(window * CHECKIN_TOKEN_WINDOW_SECONDS * 1000),
    fresh: window > current - CHECKIN_TOKEN_VALID_WINDOWS,
  };
}

/**
 * The same token as a short number to read out (a remote participant cannot scan the venue screen): the digits
 * are taken from the window's MAC under the use's own label, so a code rotates and expires exactly like the QR
 * token and cannot be made up without the key. A code does not carry its window: it is checked against each
 * window still valid. Six digits can be guessed, so the caller limits wrong tries per person.
 */
export type IssuedQrCode = { code: string; window: number; refreshAt: string; expiresAt: string };

const codeOf = (key: Buffer, label: string, hex: string, window: number, digits: number) => {
  const d = crypto.createHmac('sha256', key).update(`${label}|code|${hex}|${window}`).digest();
  return String(d.readUInt32BE(0) % 10 ** digits).padStart(digits, '0');
};

export function issueQrCode(
  key: Buffer,
  label: string,
  recordId: string,
  digits: number,
  now: Date = clockNow(),
): IssuedQrCode {
  const t = issueQrToken(key, label, recordId, now);
  return {
    code: codeOf(key, label, hexOf(recordId), t.window, digits),
    window: t.window,
    refreshAt: t.refreshAt,
    expiresAt: t.expiresAt,
  };
}

/** Whether `code` is the record's code of a window still valid at `now` (or one window ahead, for clock skew). */
export function qrCodeValid(
  key: Buffer,
  label: string,
  recordId: string,
  code: string,
  digits: number,
  now: Date = clockNow(),
): boolean {
  const hex = hexOf(recordId);
  const current = windowOf(now);
  let ok = false;
  for (let w = current + 1; w > current - CHECKIN_TOKEN_VALID_WINDOWS; w--) {
    const expected = Buffer.from(codeOf(key, label, hex, w, digits));
    const given = Buffer.from(code.padEnd(digits, ' ').slice(0, digits));
    if (crypto.timingSafeEqual(expected, given)) ok = true;
  }
  return ok && code.length === digits;
}

/** Great-circle distance in metres (haversine), for optional geofences. */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A QR code of `text` as a PNG data URL, in the one style every screen and slip uses (error correction M — a
 * printed slip or a projected screen survives some glare — and a one-module margin). `width` in pixels.
 */
export const qrDataUrl = (text: string, width: number) =>
  QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width });
