/**
 * Deterministic synthetic people for the demo and the data generator: seeded random, so the
 * same seed gives the same enterprise. ID numbers are valid (GB 11643 check digit).
 */
import { EDUCATIONS, idCardCheckChar, type MemberInput } from '@xianfeng/shared';

/** mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}
export type Rng = ReturnType<typeof seededRandom>;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建国建华志强志远海燕晓东晓明春梅红梅玉兰德胜文博子涵浩然欣怡雨萱宇轩思远佳怡俊杰';
const REGIONS = [
  '110101',
  '110105',
  '310104',
  '440305',
  '130602',
  '420106',
  '510107',
  '610113',
  '370102',
  '320106',
  '210102',
  '120101',
];
const MINORITIES = ['回族', '满族', '蒙古族', '壮族', '土家族', '朝鲜族'];
const OCCUPATIONS_WORKING = ['工人', '专业技术人员', '管理人员', '专业技术人员', '工人', '其他'] as const;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function randomIdCard(rng: Rng, birthDate: string, gender: 'male' | 'female'): string {
  const seq = rng.int(0, 49) * 2 + (gender === 'male' ? 1 : 0);
  const first17 = `${rng.pick(REGIONS)}${birthDate.replace(/-/g, '')}${pad(rng.int(0, 9), 1)}${pad(seq)}`;
  return first17 + idCardCheckChar(first17);
}

/** A plausible member of an org: retirees are older and pay by pension. */
export function randomMember(rng: Rng, orgId: string, opts: { retired?: boolean; today: string }): MemberInput {
  const gender = rng.next() < 0.62 ? 'male' : 'female';
  const year = Number(opts.today.slice(0, 4));
  const age = opts.retired ? rng.int(60, 88) : rng.int(23, 59);
  const birthDate = `${year - age - 1}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const joinAge = rng.int(19, Math.min(age - 1, 45));
  const joinedAt = `${year - age - 1 + joinAge}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const probationary = !opts.retired && joinedAt > `${year - 1}${opts.today.slice(4)}`;
  const fullYear = Number(joinedAt.slice(0, 4)) + 1;
  const fullAt = `${fullYear}${joinedAt.slice(4)}`;
  return {
    orgId,
    name:
      rng.pick([...SURNAMES]) +
      (rng.next() < 0.45 ? rng.pick([...GIVEN]) : rng.pick([...GIVEN]) + rng.pick([...GIVEN])),
    gender,
    birthDate,
    idCardNo: randomIdCard(rng, birthDate, gender),
    phone: `1${rng.pick(['38', '39', '50', '58', '86', '88', '36'])}${pad(rng.int(0, 99999999), 8)}`,
    joinedAt: joinedAt > opts.today ? opts.today : joinedAt,
    status: probationary ? 'probationary' : 'full',
    fullAt: probationary || fullAt > opts.today ? null : fullAt,
    ethnicity: rng.next() < 0.08 ? rng.pick(MINORITIES) : '汉族',
    education: opts.retired
      ? rng.pick(['大学专科', '中专', '高中', '初中及以下', '大学本科'])
      : rng.pick(EDUCATIONS.slice(0, 4)),
    occupation: opts.retired ? '离退休' : rng.pick(OCCUPATIONS_WORKING),
    jobTitle: opts.retired
      ? null
      : rng.pick(['工程师', '技术员', '班组长', '主任', '经理', '会计', '运行值班员', '检修工']),
    duesCategory: opts.retired ? 'retired' : 'employed',
  };
}
