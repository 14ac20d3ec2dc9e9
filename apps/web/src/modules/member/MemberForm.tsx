/**
 * The member profile form, for 新增党员 and for editing. Typing a valid 身份证号 fills in the
 * birth date and gender it encodes, so the two can't disagree by a slip.
 */
import { parseIdCard, type Member, type MemberInput, now } from '@xianfeng/shared';
import { DatePicker, Form, Input, Radio, Select, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText, fieldProblems } from '../../platform/api';
import { OrgPicker } from '../org/OrgPicker';
import { duesOptions, educationOptions, ETHNICITIES, genderOptions, occupationOptions, statusOptions } from './labels';

export type MemberFormValues = {
  orgId?: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: Dayjs;
  idCardNo?: string;
  phone?: string;
  joinedAt: Dayjs;
  status: 'probationary' | 'full';
  fullAt?: Dayjs | null;
  ethnicity: string;
  education?: string | null;
  occupation?: string | null;
  jobTitle?: string | null;
  duesCategory: MemberInput['duesCategory'];
};

const FIELD_NAMES = [
  'orgId',
  'name',
  'gender',
  'birthDate',
  'idCardNo',
  'phone',
  'joinedAt',
  'status',
  'fullAt',
  'ethnicity',
  'education',
  'occupation',
  'jobTitle',
  'duesCategory',
];

const day = (s: string | null | undefined) => (s ? dayjs(s) : null);
const iso = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const notFuture = (d: Dayjs) => d.isAfter(dayjs(now()), 'day');

export function valuesOf(m: Member): MemberFormValues {
  return {
    name: m.name,
    gender: m.gender,
    birthDate: dayjs(m.birthDate),
    joinedAt: dayjs(m.joinedAt),
    status: m.status,
    fullAt: day(m.fullAt),
    ethnicity: m.ethnicity,
    education: m.education,
    occupation: m.occupation,
    jobTitle: m.jobTitle,
    duesCategory: m.duesCategory,
  };
}

/** The body for POST /members or PATCH /members/:id (empty ID/phone on edit = unchanged). */
export function bodyOf(v: MemberFormValues) {
  const body: Record<string, unknown> = {
    name: v.name.trim(),
    gender: v.gender,
    birthDate: iso(v.birthDate),
    joinedAt: iso(v.joinedAt),
    status: v.status,
    fullAt: v.status === 'full' ? iso(v.fullAt) : null,
    ethnicity: v.ethnicity?.trim() || '汉族',
    education: v.education ?? null,
    occupation: v.occupation ?? null,
    jobTitle: v.jobTitle?.trim() || null,
    duesCategory: v.duesCategory,
  };
  if (v.orgId) body.orgId = v.orgId;
  if (v.idCardNo?.trim()) body.idCardNo = v.idCardNo.trim().toUpperCase();
  if (v.phone?.trim()) body.phone = v.phone.trim();
  return body;
}

/** Puts the server's field problems next to their fields; returns those it could not place. */
export function showFieldProblems(form: FormInstance<MemberFormValues>, err: unknown): string[] {
  const names = new Set<string>(FIELD_NAMES);
  const rest: string[] = [];
  const fields = new Map<string, string[]>();
  for (const p of fieldProblems(err)) {
    if (p.field && names.has(p.field)) fields.set(p.field, [...(fields.get(p.field) ?? []), p.message]);
    else rest.push(p.message);
  }
  form.setFields([...fields].map(([name, errors]) => ({ name: name as keyof MemberFormValues, errors })));
  return rest;
}

/** The message above the form after a failed save: a pointer to the marked fields, or the server's words. */
export function formError(form: FormInstance<MemberFormValues>, err: unknown): string {
  const all = fieldProblems(err);
  const rest = showFieldProblems(form, err);
  if (all.length > rest.length) return `请按提示修改标红的项目${rest.length ? `：${rest.join('；')}` : ''}`;
  return errorText(err);
}

export function MemberFields({
  form,
  creating,
  existing,
}: {
  form: FormInstance<MemberFormValues>;
  creating: boolean;
  existing?: Member;
}) {
  const status = Form.useWatch('status', form);
  const idCardNo = Form.useWatch('idCardNo', form);
  const parsedId = idCardNo ? parseIdCard(idCardNo) : null;
  return (
    <div className="xf-form-grid">
      {creating && (
        <Form.Item
          name="orgId"
          label="所属党支部 / 党小组"
          rules={[{ required: true, message: '请选择所属组织' }]}
          className="xf-span-2"
        >
          <OrgPicker selectable={['branch', 'group']} placeholder="请选择党支部或党小组" />
        </Form.Item>
      )}
      <Form.Item
        name="name"
        label="姓名"
        rules={[
          { required: true, whitespace: true, message: '请填写姓名' },
          { max: 50, message: '姓名不能超过 50 字' },
        ]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="idCardNo"
        label="身份证号"
        extra={
          parsedId?.ok
            ? '已根据身份证号填写出生日期和性别'
            : existing
              ? `当前：${existing.idCardNo}，不修改请留空`
              : '18 位，最后一位可为 X'
        }
        rules={[
          { required: creating, message: '请填写身份证号' },
          {
            validator: (_, v: string | undefined) => {
              if (!v?.trim()) return Promise.resolve();
              const r = parseIdCard(v);
              return r.ok ? Promise.resolve() : Promise.reject(new Error(r.message));
            },
          },
        ]}
      >
        <Input
          maxLength={18}
          autoComplete="off"
          placeholder={existing ? existing.idCardNo : ''}
          onChange={(e) => {
            const r = parseIdCard(e.target.value);
            if (r.ok) form.setFieldsValue({ birthDate: dayjs(r.info.birthDate), gender: r.info.gender });
          }}
        />
      </Form.Item>
      <Form.Item name="gender" label="性别" rules={[{ required: true, message: '请选择性别' }]}>
        <Radio.Group options={genderOptions} optionType="button" />
      </Form.Item>
      <Form.Item name="birthDate" label="出生日期" rules={[{ required: true, message: '请选择出生日期' }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={notFuture} placeholder="如 1985-06-01" />
      </Form.Item>
      <Form.Item
        name="phone"
        label="手机号"
        extra={existing ? `当前：${existing.phone}，不修改请留空` : undefined}
        rules={[
          { required: creating, message: '请填写手机号' },
          { pattern: /^1[3-9]\d{9}$/, message: '手机号须为 11 位中国大陆手机号' },
        ]}
      >
        <Input maxLength={11} inputMode="numeric" autoComplete="off" placeholder={existing ? existing.phone : ''} />
      </Form.Item>
      <Form.Item name="ethnicity" label="民族">
        <Select showSearch options={ETHNICITIES.map((e) => ({ value: e, label: e }))} />
      </Form.Item>
      <Form.Item name="joinedAt" label="入党时间" rules={[{ required: true, message: '请选择入党时间' }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
      </Form.Item>
      <Form.Item name="status" label="党员状态" rules={[{ required: true, message: '请选择党员状态' }]}>
        <Radio.Group options={statusOptions} optionType="button" />
      </Form.Item>
      {status === 'full' && (
        <Form.Item name="fullAt" label="转正时间" extra="入党满一年后">
          <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
        </Form.Item>
      )}
      <Form.Item name="education" label="学历">
        <Select allowClear options={educationOptions} placeholder="请选择" />
      </Form.Item>
      <Form.Item name="occupation" label="人员类别">
        <Select allowClear options={occupationOptions} placeholder="请选择" />
      </Form.Item>
      <Form.Item name="jobTitle" label="工作岗位 / 职务">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="duesCategory" label="党费类别">
        <Select options={duesOptions} />
      </Form.Item>
    </div>
  );
}
