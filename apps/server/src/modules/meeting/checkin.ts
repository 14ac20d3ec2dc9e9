/**
 * Sign-in tokens for the rotating QR code at the venue. A token is
 * `v1.<meeting id hex>.<window base36>.<HMAC>`: the screen shows a new one every window, and a
 * token is accepted only for a few windows, so a photo of yesterday's code does not work and a
 * token cannot be made up without the server's key.
 */
import crypto from 'node:crypto';
import { CHECKIN_TOKEN_VALID_WINDOWS, CHECKIN_TOKEN_WINDOW_SECONDS, now as clockNow } from '@xianfeng/shared';
import type { FieldCrypto } from '../../platform/crypto';
import { badRequest } from '../../platform/errors';

/**
 * The signing key: its own HKDF-derived key from the platform master key (security review #14,
 * finding 11). It used to be the blind index of a fixed label, so whoever held the blind-index key
 * (lookups of 身份证号 and phones) could also mint sign-in tokens. Changing it only invalidates the
 * QR codes on screen at the moment of the upgrade (they rotate every window anyway).
 */
export function checkinKey(fc: FieldCrypto): Buffer {
  return fc.subkey('xianfeng/meeting-checkin-token/v2');
}

export const windowOf = (now: Date) => Math.floor(now.getTime() / 1000 / CHECKIN_TOKEN_WINDOW_SECONDS);

const mac = (key: Buffer, meetingHex: string, window: number) =>
  crypto
    .createHmac('sha256', key)
    .update(`checkin|${meetingHex}|${window}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');

export function issueCheckinToken(key: Buffer, meetingId: string, now: Date = clockNow()) {
  const hex = meetingId.replace(/-/g, '').toLowerCase();
  const window = windowOf(now);
  const token = `v1.${hex}.${window.toString(36)}.${mac(key, hex, window)}`;
  const windowEnd = (window + 1) * CHECKIN_TOKEN_WINDOW_SECONDS * 1000;
  return {
    token,
    window,
    /** When the screen should show the next one. */
    refreshAt: new Date(windowEnd).toISOString(),
    /** The last moment this token is still accepted. */
    expiresAt: new Date(
      windowEnd + (CHECKIN_TOKEN_VALID_WINDOWS - 1) * CHECKIN_TOKEN_WINDOW_SECONDS * 1000,
    ).toISOString(),
  };
}

const TOKEN_RE = /^v1\.([0-9a-f]{32})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

/** Throws a Chinese 400 for a forged, malformed, expired or other meeting's token. */
export function verifyCheckinToken(key: Buffer, meetingId: string, token: string, now: Date = clockNow()): void {
  const m = TOKEN_RE.exec(token.trim());
  const invalid = () => badRequest('签到二维码无效，请扫描会场屏幕上的二维码', undefined, 'CHECKIN_TOKEN_INVALID');
  if (!m) throw invalid();
  const [, hex, w36, given] = m as unknown as [string, string, string, string];
  const window = parseInt(w36, 36);
  const expected = Buffer.from(mac(key, hex, window));
  if (!crypto.timingSafeEqual(expected, Buffer.from(given))) throw invalid();
  if (hex !== meetingId.replace(/-/g, '').toLowerCase())
    throw badRequest('这是另一场会议的签到二维码', undefined, 'CHECKIN_TOKEN_WRONG_MEETING');
  const current = windowOf(now);
  // One window of clock skew ahead is tolerated; anything further ahead was not issued by us.
  if (window > current + 1) throw invalid();
  if (window <= current - CHECKIN_TOKEN_VALID_WINDOWS)
    throw badRequest(
      '签到二维码已过期，请扫描会场屏幕上最新的二维码',
      { validForSeconds: CHECKIN_TOKEN_VALID_WINDOWS * CHECKIN_TOKEN_WINDOW_SECONDS },
      'CHECKIN_TOKEN_EXPIRED',
    );
}

/** Great-circle distance in metres (haversine), for the optional geofence. */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.min(1, Math.sqrt(h)));
}
