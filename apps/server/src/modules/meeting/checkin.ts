/**
 * Sign-in tokens for the rotating QR code at the meeting venue: the platform's signed QR tokens
 * (platform/qr-token.ts) with the meeting's own key and words.
 */
import { now as clockNow } from '@xianfeng/shared';
import type { FieldCrypto } from '../../platform/crypto';
import { issueQrToken, qrTokenExpired, readQrToken, verifyQrToken, type QrTokenWords } from '../../platform/qr-token';

export { distanceMetres, windowOf } from '../../platform/qr-token';

/**
 * The signing key: its own HKDF-derived key from the platform master key (security review #14,
 * finding 11). It used to be the blind index of a fixed label, so whoever held the blind-index key
 * (lookups of 身份证号 and phones) could also mint sign-in tokens. Changing it only invalidates the
 * QR codes on screen at the moment of the upgrade (they rotate every window anyway).
 */
export function checkinKey(fc: FieldCrypto): Buffer {
  return fc.subkey('xianfeng/meeting-checkin-token/v2');
}

const LABEL = 'checkin';
const WORDS: QrTokenWords = {
  invalid: '签到二维码无效，请扫描会场屏幕上的二维码',
  wrongRecord: '这是另一场会议的签到二维码',
  wrongRecordCode: 'CHECKIN_TOKEN_WRONG_MEETING',
  expired: '签到二维码已过期，请扫描会场屏幕上最新的二维码',
};

export const issueCheckinToken = (key: Buffer, meetingId: string, now: Date = clockNow()) =>
  issueQrToken(key, LABEL, meetingId, now);

/** A signed token of this meeting and when it was shown, old or not (离线签到); a Chinese 400 when forged or another meeting's. */
export const readCheckinToken = (key: Buffer, meetingId: string, token: string, now: Date = clockNow()) =>
  readQrToken(key, LABEL, meetingId, token, WORDS, now);
export const checkinTokenExpired = () => qrTokenExpired(WORDS);

/** Throws a Chinese 400 for a forged, malformed, expired or other meeting's token. */
export const verifyCheckinToken = (key: Buffer, meetingId: string, token: string, now: Date = clockNow()) =>
  verifyQrToken(key, LABEL, meetingId, token, WORDS, now);
