/** Option lists and labels of the member pages, from the shared vocabulary. */
import {
  AGE_BANDS,
  DUES_CATEGORIES,
  DUES_CATEGORY_LABELS,
  EDUCATIONS,
  GENDER_LABELS,
  GENDERS,
  MEMBER_STATUS_LABELS,
  MEMBER_STATUSES,
  OCCUPATIONS,
} from '@xianfeng/shared';

export const statusOptions = MEMBER_STATUSES.map((s) => ({ value: s, label: MEMBER_STATUS_LABELS[s] }));
export const genderOptions = GENDERS.map((g) => ({ value: g, label: GENDER_LABELS[g] }));
export const educationOptions = EDUCATIONS.map((e) => ({ value: e, label: e }));
export const occupationOptions = OCCUPATIONS.map((o) => ({ value: o, label: o }));
export const duesOptions = DUES_CATEGORIES.map((d) => ({ value: d, label: DUES_CATEGORY_LABELS[d] }));
export const ageBandOptions = AGE_BANDS.map((b) => ({
  value: b.key,
  label: b.key === '≤30' ? '30岁及以下' : b.key === '≥61' ? '61岁及以上' : `${b.key}岁`,
}));
export const flowingOptions = [
  { value: 'true', label: '流动党员' },
  { value: 'false', label: '非流动党员' },
];
export const suspendedOptions = [
  { value: 'false', label: '不含停止党籍' },
  { value: 'true', label: '停止党籍' },
];
export const ETHNICITIES = [
  '汉族',
  '回族',
  '满族',
  '蒙古族',
  '壮族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '土家族',
  '朝鲜族',
  '侗族',
  '瑶族',
  '白族',
  '哈尼族',
  '黎族',
  '傣族',
  '畲族',
];
