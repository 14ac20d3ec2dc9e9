/**
 * 公民身份号码 (GB 11643-1999): 17 digits + check character. The check character is
 * ISO 7064 MOD 11-2 over the first 17 digits; digits 7–14 are the birth date and the
 * 17th digit's parity is the sex (odd male, even female).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdCardInfo = { birthDate: string; gender: 'male' | 'female' };

export function idCardCheckChar(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i]!, 0);
  return CHECK[sum % 11]!;
}

/** Returns the birth date and gender encoded in a valid number, or a Chinese reason it is invalid. */
export function parseIdCard(
  raw: string,
): { ok: true; value: string; info: IdCardInfo } | { ok: false; message: string } {
  const value = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, message: '身份证号须为 18 位（最后一位可为 X）' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { ok: false, message: '身份证号中的出生日期无效' };
  if (idCardCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, message: '身份证号校验位不正确' };
  return {
    ok: true,
    value,
    info: {
      birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
      gender: Number(value[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}
