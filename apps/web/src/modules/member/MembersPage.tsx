/**
 * 党员管理: the roster of the acting org's subtree with search (name, pinyin initials, phone,
 * ID — the server decides which), filters kept in the address so "back" returns to the same
 * list, server paging, and the Excel tools. On a phone the table becomes a list of cards.
 */
import { PhoneReveal } from './PhoneReveal';
import {
  CloudUploadOutlined,
  DownloadOutlined,
  FilterOutlined,
  PlusOutlined,
  TeamOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { GENDER_LABELS, MEMBER_STATUS_LABELS, partyAgeText, RECORD_KEEPERS, type Member } from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useUrlPaging, useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { OrgFilter } from '../org/OrgPicker';
import { ImportDialog } from './ImportDialog';
import {
  ageBandOptions,
  duesOptions,
  educationOptions,
  flowingOptions,
  genderOptions,
  statusOptions,
  suspendedOptions,
} from './labels';
import { bodyOf, formError, MemberFields, type MemberFormValues } from './MemberForm';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

const FILTERS = ['status', 'gender', 'ageBand', 'education', 'duesCategory', 'flowing', 'suspended'] as const;
/** Each filter's select, in the order of FILTERS (its name is in the address: links may set it). */
const FILTER_LABELS: Record<(typeof FILTERS)[number], { label: string; options: { value: string; label: string }[] }> =
  {
    status: { label: '党员状态', options: statusOptions },
    gender: { label: '性别', options: genderOptions },
    ageBand: { label: '年龄段', options: ageBandOptions },
    education: { label: '学历', options: educationOptions },
    duesCategory: { label: '党费类别', options: duesOptions },
    flowing: { label: '是否流动', options: flowingOptions },
    suspended: { label: '停止党籍', options: suspendedOptions },
  };

export function StatusTag({ m }: { m: Pick<Member, 'status' | 'flowing' | 'suspendedOn'> }) {
  return (
    <>
      <Tag color={m.status === 'full' ? 'red' : 'orange'}>{MEMBER_STATUS_LABELS[m.status]}</Tag>
      {m.flowing && <Tag color="blue">流动</Tag>}
      {m.suspendedOn && <Tag color="volcano">停止党籍</Tag>}
    </>
  );
}

export function MembersPage() {
  const { current, can } = useAuth();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [params, set] = useUrlParams();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [showFilters, setShowFilters] = useState(false);
  const { busyKey: busy, run: submit } = useSubmit('toast');
  const [createError, setCreateError] = useState<string | null>(null);
  const [form] = Form.useForm<MemberFormValues>();
  const manager = can(...RECORD_KEEPERS);

  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const q = params.get('q') ?? '';
  const { page, pageSize, pagination } = useUrlPaging();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined])) as Record<
    (typeof FILTERS)[number],
    string | undefined
  >;
  const query = { orgId, q, ...filters };

  const list = useAsync(
    () => api.get<Page<Member>>('/members', { ...query, page, pageSize }),
    [orgId, q, page, pageSize, ...FILTERS.map((f) => filters[f])],
  );
  const activeFilters = FILTERS.filter((f) => filters[f]).length;

  const run = async (key: string, fn: () => Promise<void>) => {
    await submit(
      async () => {
        await fn();
      },
      { key },
    );
  };

  const filterBar = (
    <div className="xf-filters">
      {FILTERS.map((f) => (
        <Select
          key={f}
          allowClear
          placeholder={FILTER_LABELS[f].label}
          options={FILTER_LABELS[f].options}
          value={filters[f]}
          onChange={(v?: string) => set({ [f]: v })}
          aria-label={FILTER_LABELS[f].label}
        />
      ))}
      {activeFilters > 0 && (
        <Button type="link" onClick={() => set(Object.fromEntries(FILTERS.map((f) => [f, undefined])))}>
          清除筛选
        </Button>
      )}
    </div>
  );

  return (
    <Card
      title={
        <span>
          <TeamOutlined /> 党员管理
        </span>
      }
      className="xf-roster"
    >
      <div className="xf-toolbar">
        <OrgFilter className="xf-org-filter" value={orgId} onPick={(orgId) => set({ orgId })} />
        <Input.Search
          key={q}
          className="xf-search"
          defaultValue={q}
          allowClear
          enterButton="搜索"
          placeholder={phone ? '姓名/拼音首字母/手机/身份证' : '姓名 / 拼音首字母 / 手机号 / 身份证号'}
          aria-label="搜索党员"
          onSearch={(v) => set({ q: v.trim() })}
        />
        {phone && (
          <Button icon={<FilterOutlined />} onClick={() => setShowFilters((s) => !s)}>
            筛选{activeFilters > 0 ? `（${activeFilters}）` : ''}
          </Button>
        )}
      </div>
      {(!phone || showFilters) && filterBar}
      <div className="xf-toolbar">
        {manager && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ ethnicity: '汉族', duesCategory: 'employed', status: 'full' });
              setCreateError(null);
              setCreating(true);
            }}
          >
            新增党员
          </Button>
        )}
        {manager && (
          <Button icon={<CloudUploadOutlined />} onClick={() => setImporting(true)}>
            导入
          </Button>
        )}
        <Button
          icon={<DownloadOutlined />}
          loading={busy === 'export'}
          onClick={() => run('export', () => api.download('/members/export', query))}
        >
          导出
        </Button>
        {manager && (
          <Button
            icon={<UserAddOutlined />}
            loading={busy === 'accounts'}
            onClick={() =>
              modal.confirm({
                title: '批量开通党员账号',
                content:
                  '为本组织及下级中尚未开通账号的党员开通登录账号（生成登录名；党员也可用本人手机号登录），并下载含初始密码的 Excel 表。初始密码只显示这一次，请妥善保管并分发给本人；首次登录须修改密码。',
                okText: '开通并下载',
                onOk: () =>
                  run('accounts', async () => {
                    await api.download('/members/accounts', { orgId }, 'POST');
                    message.success('账号已开通，初始密码表已下载');
                  }),
              })
            }
          >
            批量开通账号
          </Button>
        )}
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <div className="xf-roster-total" aria-live="polite">
        {list.data && !list.loading ? (
          <Typography.Text strong>
            {/* Broad lists stop counting at the cap (server: TOTAL_CAP); refine the search for an exact number. */}共{' '}
            {list.data.total}
            {list.data.totalCapped ? '+' : ''} 人
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">正在查询…</Typography.Text>
        )}
      </div>
      {phone ? (
        <List<Member>
          className="xf-member-cards"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: '没有符合条件的党员' }}
          pagination={{ ...pagination(list.data?.total ?? 0), align: 'center' }}
          renderItem={(m) => (
            <List.Item onClick={() => navigate(`/members/${m.id}`)} className="xf-member-card">
              <div style={{ width: '100%' }}>
                <div className="xf-member-card-title">
                  <Link to={`/members/${m.id}`}>{m.name}</Link>
                  <span>
                    {GENDER_LABELS[m.gender]} · {m.age}岁
                  </span>
                  <StatusTag m={m} />
                </div>
                <div className="xf-member-card-line">{m.orgName}</div>
                <div className="xf-member-card-line">
                  <span>{m.joinedAt} 入党</span>
                  <span>党龄 {partyAgeText(m)}</span>
                  <PhoneReveal memberId={m.id} name={m.name} masked={m.phone} />
                </div>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<Member>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items}
          scroll={{ x: 1000 }}
          pagination={pagination(list.data?.total ?? 0)}
          locale={{ emptyText: '没有符合条件的党员' }}
          columns={[
            {
              title: '姓名',
              dataIndex: 'name',
              fixed: 'left',
              width: 100,
              render: (v: string, m) => <Link to={`/members/${m.id}`}>{v}</Link>,
            },
            { title: '性别', dataIndex: 'gender', width: 60, render: (g: Member['gender']) => GENDER_LABELS[g] },
            { title: '年龄', dataIndex: 'age', width: 60 },
            { title: '所属组织', dataIndex: 'orgName', ellipsis: true },
            { title: '状态', width: 150, render: (_, m) => <StatusTag m={m} /> },
            { title: '入党时间', dataIndex: 'joinedAt', width: 110 },
            { title: '党龄', dataIndex: 'partyYears', width: 60, render: (v: number | null) => v ?? '—' },
            { title: '学历', dataIndex: 'education', width: 90, render: (v: string | null) => v ?? '—' },
            {
              title: '手机号',
              dataIndex: 'phone',
              width: 170,
              render: (v: string, m) => <PhoneReveal memberId={m.id} name={m.name} masked={v} />,
            },
          ]}
        />
      )}

      <Modal
        title="新增党员"
        open={creating}
        onCancel={() => setCreating(false)}
        okText="保存"
        confirmLoading={busy === 'create'}
        onOk={() => form.submit()}
        width={720}
        destroyOnHidden
      >
        {createError && <Alert type="error" showIcon message={createError} style={{ marginBottom: 12 }} />}
        <Form<MemberFormValues>
          name="memberCreate"
          form={form}
          layout="vertical"
          scrollToFirstError
          onFinish={async (v) => {
            setCreateError(null);
            await submit(
              async () => {
                const created = await api.post<Member>('/members', bodyOf(v));
                message.success(`已新增党员「${created.name}」`);
                setCreating(false);
                await list.reload();
              },
              { key: 'create', onError: (e) => setCreateError(formError(form, e)) },
            );
          }}
        >
          <MemberFields form={form} creating />
        </Form>
      </Modal>

      <ImportDialog
        open={importing}
        orgId={orgId}
        onClose={(imported) => {
          setImporting(false);
          if (imported) void list.reload();
        }}
      />
    </Card>
  );
}
