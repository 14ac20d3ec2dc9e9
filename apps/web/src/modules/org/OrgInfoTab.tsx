/** 基本信息 of an org: shown to everyone, edited by org admins (PATCH /orgs/:id). */
import { ORG_KIND_LABELS, type Org, now } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, DatePicker, Descriptions, Form, Input, InputNumber } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText, fieldProblems } from '../../platform/api';
import { useSubmit } from '../../platform/useSubmit';

type Values = {
  name: string;
  contactPerson?: string;
  contactPhone?: string;
  address?: string;
  lat?: number | null;
  lng?: number | null;
  establishedOn?: Dayjs | null;
  sortOrder: number;
};

/** An org's name in a form: the server's rule (`OrgName`, packages/shared/src/api.ts) checked before sending. */
export const orgNameRules = [
  { required: true, whitespace: true, message: '请填写组织名称' },
  { max: 100, message: '组织名称不能超过 100 字' },
];

const orNull = (s?: string) => (s && s.trim() ? s.trim() : null);

export function OrgInfoTab({ org, editable, onSaved }: { org: Org; editable: boolean; onSaved: (o: Org) => void }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, error, setError, run } = useSubmit();

  if (!editable)
    return (
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
        <Descriptions.Item label="组织名称">{org.name}</Descriptions.Item>
        <Descriptions.Item label="组织类型">{ORG_KIND_LABELS[org.kind]}</Descriptions.Item>
        <Descriptions.Item label="联系人">{org.contactPerson ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="联系电话">{org.contactPhone ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="地址">{org.address ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="坐标">
          {org.lat !== null && org.lng !== null ? `${org.lat}, ${org.lng}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="成立日期">{org.establishedOn ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="下级组织">{org.childCount} 个</Descriptions.Item>
      </Descriptions>
    );

  return (
    <Form<Values>
      name="orgInfo"
      form={form}
      layout="vertical"
      className="xf-form-grid"
      initialValues={{
        name: org.name,
        contactPerson: org.contactPerson ?? '',
        contactPhone: org.contactPhone ?? '',
        address: org.address ?? '',
        lat: org.lat,
        lng: org.lng,
        establishedOn: org.establishedOn ? dayjs(org.establishedOn) : null,
        sortOrder: org.sortOrder,
      }}
      onFinish={async (v) => {
        await run(
          async () => {
            const saved = await api.patch<Org>(`/orgs/${org.id}`, {
              name: v.name.trim(),
              contactPerson: orNull(v.contactPerson),
              contactPhone: orNull(v.contactPhone),
              address: orNull(v.address),
              lat: v.lat ?? null,
              lng: v.lng ?? null,
              establishedOn: v.establishedOn ? v.establishedOn.format('YYYY-MM-DD') : null,
              sortOrder: v.sortOrder ?? 0,
            });
            message.success('已保存');
            onSaved(saved);
          },
          {
            onError: (e) => {
              setError(errorText(e));
              form.setFields(
                fieldProblems(e)
                  .filter((p) => p.field)
                  .map((p) => ({ name: p.field as keyof Values, errors: [p.message] })),
              );
            },
          },
        );
      }}
    >
      {error && <Alert type="error" showIcon message={error} className="xf-span-2" style={{ marginBottom: 12 }} />}
      <Form.Item name="name" label="组织名称" rules={orgNameRules}>
        <Input />
      </Form.Item>
      <Form.Item label="组织类型">
        <Input value={ORG_KIND_LABELS[org.kind]} disabled />
      </Form.Item>
      <Form.Item name="contactPerson" label="联系人">
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="contactPhone" label="联系电话">
        <Input maxLength={30} inputMode="tel" />
      </Form.Item>
      <Form.Item name="address" label="地址" className="xf-span-2">
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="lat" label="纬度" extra="用于党建地图，可在地图软件中查得">
        <InputNumber min={-90} max={90} step={0.000001} style={{ width: '100%' }} placeholder="如 39.9042" />
      </Form.Item>
      <Form.Item name="lng" label="经度">
        <InputNumber min={-180} max={180} step={0.000001} style={{ width: '100%' }} placeholder="如 116.4074" />
      </Form.Item>
      <Form.Item name="establishedOn" label="成立日期">
        <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(now()))} />
      </Form.Item>
      <Form.Item name="sortOrder" label="排序号" extra="同级组织按排序号从小到大排列">
        <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item className="xf-span-2">
        <Button type="primary" htmlType="submit" loading={busy}>
          保存
        </Button>
      </Form.Item>
    </Form>
  );
}
