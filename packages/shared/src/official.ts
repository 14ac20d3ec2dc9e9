/**
 * 全国党员管理信息系统 bulk-import export (党员信息 and 党组织信息): the column layout and the code tables, as data.
 * The code tables are national standards (GB/T 2261.1 sex, GB 3304 ethnic groups, GB/T 4658 education); how the
 * system's own import template orders its columns and writes its dates could not be checked against the system or
 * an official template, so the layout is marked `confirmed: false` — change it here when the template is in hand
 * (docs/official-export.md).
 */
export const OFFICIAL_EXPORT_SOURCE = {
  confirmed: false,
  citation:
    '列顺序按 2017 年中组部《党组织和党员基本信息采集》的党员基本信息采集表（16 项）与党组织和所在单位基本信息采集表（10 项）的常见转载文本整理，未能对照系统导入模板核实；代码按国家标准 GB/T 2261.1（性别）、GB/T 3304（民族）、GB/T 4658（学历）',
} as const;

/** Dates as the export writes them (unconfirmed: YYYY-MM-DD). */
export const OFFICIAL_DATE = (d: string | null) => d ?? '';

/** GB/T 2261.1-2003 人的性别代码. */
export const GENDER_CODES = { male: '1', female: '2' } as const;

/** GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码 (numeric codes, in the standard's order). */
export const ETHNICITY_CODES: Record<string, string> = Object.fromEntries(
  [
    '汉族',
    '蒙古族',
    '回族',
    '藏族',
    '维吾尔族',
    '苗族',
    '彝族',
    '壮族',
    '布依族',
    '朝鲜族',
    '满族',
    '侗族',
    '瑶族',
    '白族',
    '土家族',
    '哈尼族',
    '哈萨克族',
    '傣族',
    '黎族',
    '傈僳族',
    '佤族',
    '畲族',
    '高山族',
    '拉祜族',
    '水族',
    '东乡族',
    '纳西族',
    '景颇族',
    '柯尔克孜族',
    '土族',
    '达斡尔族',
    '仫佬族',
    '羌族',
    '布朗族',
    '撒拉族',
    '毛南族',
    '仡佬族',
    '锡伯族',
    '阿昌族',
    '普米族',
    '塔吉克族',
    '怒族',
    '乌孜别克族',
    '俄罗斯族',
    '鄂温克族',
    '德昂族',
    '保安族',
    '裕固族',
    '京族',
    '塔塔尔族',
    '独龙族',
    '鄂伦春族',
    '赫哲族',
    '门巴族',
    '珞巴族',
    '基诺族',
  ].map((name, i) => [name, String(i + 1).padStart(2, '0')]),
);

/** GB/T 4658-2006 学历代码, at the level the member record keeps. */
export const EDUCATION_CODES: Record<string, string> = {
  研究生: '10',
  大学本科: '20',
  大学专科: '30',
  中专: '40',
  高中: '60',
  初中及以下: '70',
};

export const OFFICIAL_MEMBER_COLUMNS = [
  '序号',
  '姓名',
  '性别代码',
  '性别',
  '公民身份号码',
  '民族代码',
  '民族',
  '出生日期',
  '学历代码',
  '学历',
  '人员类别',
  '所在党支部',
  '入党日期',
  '转为正式党员日期',
  '党员类别',
  '工作岗位',
  '联系电话',
  '是否流动党员',
] as const;

export const OFFICIAL_ORG_COLUMNS = [
  '序号',
  '党组织名称',
  '党组织类别',
  '上级党组织名称',
  '成立日期',
  '联系人',
  '联系电话',
  '地址',
] as const;
