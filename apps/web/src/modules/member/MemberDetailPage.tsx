/**
 * One member: 基本信息, 组织关系 (transfers), 流动党员, 失联/停止党籍, 出党登记, and the tabs other modules
 * add through `memberTabs` (meetings, dues, learning, …).
 */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { DUES_CATEGORY_LABELS, GENDER_LABELS, partyAgeText, RECORD_KEEPERS, type Member } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { NotFound } from '../../platform/pages';
import { useAuth } from '../../platform/auth';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { modules } from '..';
import { ExitTab } from './ExitTab';
import { FlowTab } from './FlowTab';
import { LostTab } from './LostTab';
import { bodyOf, formError, MemberFields, valuesOf, type MemberFormValues } from './MemberForm';
import { StatusTag } from './MembersPage';
import { PhoneReveal } from './PhoneReveal';
import { RelationTab } from './RelationTab';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

export function MemberProfile({ m }: { m: Member }) {
  return (
    <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
      <Descriptions.Item label="姓名">{m.name}</Descriptions.Item>
      <Descriptions.Item label="性别">{GENDER_LABELS[m.gender]}</Descriptions.Item>
      <Descriptions.Item label="民族">{m.ethnicity}</Descriptions.Item>
      <Descriptions.Item label="出生日期">
        {m.birthDate}（{m.age} 岁）
      </Descriptions.Item>
      <Descriptions.Item label="身份证号">{m.idCardNo}</Descriptions.Item>
      <Descriptions.Item label="手机号">
        <PhoneReveal memberId={m.id} name={m.name} masked={m.phone} />
      </Descriptions.Item>
      <Descriptions.Item label="所属组织">{m.orgName}</Descriptions.Item>
      <Descriptions.Item label="党员状态">
        <StatusTag m={m} />
      </Descriptions.Item>
      <Descriptions.Item label="入党时间">{m.joinedAt}</Descriptions.Item>
      <Descriptions.Item label="转正时间">{m.fullAt ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="党龄">
        {partyAgeText(m)}
        {m.partyAgeFrom && <Typography.Text type="secondary">（自 {m.partyAgeFrom} 转正起算）</Typography.Text>}
      </Descriptions.Item>
      <Descriptions.Item label="政治生日">{m.politicalBirthday.replace('-', ' 月 ')} 日</Descriptions.Item>
      <Descriptions.Item label="学历">{m.education ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="人员类别">{m.occupation ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="工作岗位">{m.jobTitle ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="党费类别">{DUES_CATEGORY_LABELS[m.duesCategory]}</Descriptions.Item>
      <Descriptions.Item label="登录账号">{m.userId ? '已开通' : '未开通'}</Descriptions.Item>
    </Descriptions>
  );
}

function InfoTab({
  m,
  editable,
  onSaved,
  editField,
}: {
  m: Member;
  editable: boolean;
  onSaved: (m: Member) => void;
  /** Opened from a problem list (党内统计 核对, ?edit=field): start editing, at that field. */
  editField?: string | null;
}) {
  const { message } = AntApp.useApp();
  const [editing, setEditing] = useState(false);
  const { busy, error, setError, run } = useSubmit();
  const [form] = Form.useForm<MemberFormValues>();
  useEffect(() => {
    if (!editField || !editable) return;
    form.setFieldsValue(valuesOf(m));
    setEditing(true);
    const t = setTimeout(
      () => form.scrollToField(editField as keyof MemberFormValues, { focus: true, block: 'center' }),
      100,
    );
    return () => clearTimeout(t);
    // Only when the page opens with ?edit=.
  }, [editField, editable]);
  if (!editing)
    return (
      <>
        {editable && (
          <div className="xf-toolbar">
            <Button
              type="primary"
              onClick={() => {
                form.setFieldsValue(valuesOf(m));
                setError(null);
                setEditing(true);
              }}
            >
              修改信息
            </Button>
          </div>
        )}
        <MemberProfile m={m} />
      </>
    );
  return (
    <Form<MemberFormValues>
      name="memberEdit"
      form={form}
      layout="vertical"
      initialValues={valuesOf(m)}
      scrollToFirstError
      onFinish={async (v) => {
        await run(
          async () => {
            const saved = await api.patch<Member>(`/members/${m.id}`, bodyOf(v));
            message.success('已保存');
            onSaved(saved);
            setEditing(false);
          },
          { onError: (e) => setError(formError(form, e)) },
        );
      }}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <MemberFields form={form} creating={false} existing={m} />
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          保存
        </Button>
        <Button onClick={() => setEditing(false)}>取消</Button>
      </Space>
    </Form>
  );
}

export function MemberDetailPage() {
  const { id = '' } = useParams();
  const { current, can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // 404 means "not here or not yours": the page says so instead of showing an error.
  const member = useAsync(() => api.record<Member>(`/members/${id}`), [id]);
  const manager = can(...RECORD_KEEPERS);
  const m = member.data;

  if (member.error) return <LoadError error={member.error} onRetry={member.reload} />;
  if (m === null) return <MemberNotFound />;
  if (!m) return <Card loading />;

  const extraTabs = modules
    .flatMap((mod) => mod.memberTabs ?? [])
    .filter((t) => allows(t.roles, current?.role))
    .map((t) => ({ key: t.key, label: t.label, children: t.render(m) }));

  return (
    <Card
      className="xf-member-detail"
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate(-1)} />
          <Typography.Text strong style={{ fontSize: 'inherit' }}>
            {m.name}
          </Typography.Text>
          <StatusTag m={m} />
          <Typography.Text type="secondary" className="xf-wrap">
            {m.orgName}
          </Typography.Text>
        </Space>
      }
    >
      <Tabs
        activeKey={params.get('tab') ?? 'info'}
        onChange={(tab) => setParams(tab === 'info' ? {} : { tab }, { replace: true })}
        items={[
          {
            key: 'info',
            label: '基本信息',
            children: (
              <InfoTab m={m} editable={manager} onSaved={(s) => member.setData(s)} editField={params.get('edit')} />
            ),
          },
          {
            key: 'relation',
            label: '组织关系',
            children: <RelationTab m={m} editable={manager} onChanged={() => void member.reload()} />,
          },
          {
            key: 'flow',
            label: '流动党员',
            children: <FlowTab m={m} editable={manager} onChanged={() => void member.reload()} />,
          },
          {
            key: 'lost',
            label: m.suspendedOn ? '停止党籍' : '失联',
            children: <LostTab m={m} editable={manager} onChanged={() => void member.reload()} />,
          },
          ...(manager ? [{ key: 'exit', label: '出党登记', children: <ExitTab m={m} /> }] : []),
          ...extraTabs,
        ]}
      />
    </Card>
  );
}

function MemberNotFound() {
  return (
    <NotFound
      title="未找到该党员"
      subTitle="该党员不存在，或不在您管理的组织范围内。"
      back={{ to: '/members', label: '返回党员管理' }}
    />
  );
}
