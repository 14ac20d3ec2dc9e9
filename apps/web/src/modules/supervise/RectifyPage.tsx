/**
 * 整改落实: the 整改台账 of an org subtree with its roll-up (书记, 组织部, 审计员), and everyone's own items (责任人 or
 * 验收人). An item opens in a drawer (also from a notice's link `?item=`): what was found, the measures, the evidence,
 * the steps so far, and the buttons the server says the caller may use.
 */
import { AuditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  inGroup,
  RECORD_KEEPERS,
  RECORD_READERS,
  RECTIFY_ACTIONS,
  RECTIFY_RULES,
  RECTIFY_SOURCE_LABELS,
  RECTIFY_SOURCES,
  RECTIFY_STATUS_LABELS,
  RECTIFY_STATUSES,
  type RectifyAction,
  type RectifyBrief,
  type RectifyCreateInput,
  type RectifyDetail,
  type RectifyRollup,
  type RectifyStatus,
  type RectifyVerifier,
} from '@xianfeng/shared';
import dayjs, { type Dayjs } from 'dayjs';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Form,
  Grid,
  Input,
  List,
  Segmented,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { FormDialog } from '../../platform/FormDialog';
import { LoadError } from '../../platform/LoadError';
import { RecordDrawer } from '../../platform/RecordDrawer';
import { PagedTable } from '../../platform/PagedTable';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { MemberSelect } from '../member/MemberSelect';
import { IssueFields } from './IssueFields';
import { OrgFilter } from '../org/OrgPicker';
import { useSubmit } from '../../platform/useSubmit';
import { EVIDENCE_TYPES, UploadButton } from '../../platform/UploadButton';

const STATUS_COLORS: Record<RectifyStatus, string> = {
  open: 'default',
  in_progress: 'processing',
  pending_check: 'warning',
  closed: 'success',
};

export function RectifyStatusTag({ r }: { r: Pick<RectifyBrief, 'status' | 'overdue' | 'daysLeft'> }) {
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLORS[r.status]}>{RECTIFY_STATUS_LABELS[r.status]}</Tag>
      {r.overdue && <Tag color="error">逾期 {-r.daysLeft} 天</Tag>}
    </Space>
  );
}

const fmt = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

function ItemDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const item = useAsync(
    () => (id ? api.get<RectifyDetail>(`/supervise-rectifications/${id}`) : Promise.resolve(null)),
    [id],
  );
  const [note, setNote] = useState('');
  const { busyKey: busy, error, run: submit } = useSubmit();
  const { message } = AntApp.useApp();
  const phone = !Grid.useBreakpoint().md;
  const r = item.data;
  const run = async (action: RectifyAction) => {
    await submit(
      async () => {
        item.setData(
          await api.post<RectifyDetail>(`/supervise-rectifications/${r!.id}/actions`, {
            action,
            ...(note.trim() ? { note: note.trim() } : {}),
          }),
        );
        message.success(`已${RECTIFY_ACTIONS[action].label}`);
        setNote('');
        onChanged();
      },
      { key: action },
    );
  };
  const needsNote = r?.can.actions.some((a) => RECTIFY_ACTIONS[a].needsNote || a === 'accept');
  return (
    <RecordDrawer title={r ? r.title : '整改事项'} open={id !== null} onClose={onClose} width={680} load={item}>
      {(r) => (
        <div className="xf-rectify-detail">
          <RectifyStatusTag r={r} />
          <Descriptions size="small" column={phone ? 1 : 2} style={{ margin: '12px 0' }}>
            <Descriptions.Item label="来源">
              {RECTIFY_SOURCE_LABELS[r.sourceKind]}
              {r.sourceRef?.startsWith('/') ? (
                <>
                  ：<Link to={r.sourceRef}>{r.sourceKind === 'assessment' ? '查看考核结果' : '查看来源'}</Link>
                </>
              ) : r.sourceRef ? (
                `：${r.sourceRef}`
              ) : (
                ''
              )}
            </Descriptions.Item>
            <Descriptions.Item label="责任组织">{r.orgName}</Descriptions.Item>
            <Descriptions.Item label="责任人">{r.ownerName}</Descriptions.Item>
            <Descriptions.Item label="整改期限">
              {r.deadline}
              {r.status !== 'closed' && !r.overdue && `（还有 ${r.daysLeft} 天）`}
            </Descriptions.Item>
            <Descriptions.Item label="验收人">{r.verifierName}</Descriptions.Item>
            <Descriptions.Item label="立项">
              {r.createdBy} {fmt(r.createdAt)}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>问题描述</Typography.Title>
          <div className="xf-rectify-text">{r.finding}</div>
          <Typography.Title level={5}>整改措施</Typography.Title>
          <div className="xf-rectify-text">{r.measures}</div>
          <Typography.Title level={5}>佐证材料</Typography.Title>
          {r.files.length === 0 && <Typography.Text type="secondary">尚未上传</Typography.Text>}
          <ul className="xf-rectify-files">
            {r.files.map((f) => (
              <li key={f.id}>
                <a href={`/api/v1/supervise-rectifications/${r.id}/files/${f.id}`} target="_blank" rel="noreferrer">
                  {f.fileName}
                </a>{' '}
                <Typography.Text type="secondary">
                  {f.uploadedBy} {fmt(f.uploadedAt)}
                </Typography.Text>
              </li>
            ))}
          </ul>
          {r.can.upload && (
            <UploadButton
              accept={EVIDENCE_TYPES}
              send={(fd) => api.post(`/supervise-rectifications/${r.id}/files`, fd)}
              done="已上传佐证材料"
              onDone={item.reload}
            >
              上传佐证材料
            </UploadButton>
          )}
          {r.can.actions.length > 0 && (
            <div className="xf-rectify-actions">
              {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
              {needsNote && (
                <Input.TextArea
                  aria-label="办理说明"
                  placeholder={
                    r.can.actions.includes('submit')
                      ? '整改情况说明（提交验收时必填）'
                      : '验收意见或退回理由（退回时必填）'
                  }
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  maxLength={2000}
                  style={{ marginBottom: 8 }}
                />
              )}
              <Space wrap>
                {r.can.actions.map((a) => (
                  <Button
                    key={a}
                    type={a === 'return' ? 'default' : 'primary'}
                    danger={a === 'return'}
                    loading={busy === a}
                    onClick={() => void run(a)}
                  >
                    {RECTIFY_ACTIONS[a].label}
                  </Button>
                ))}
              </Space>
              {r.can.actions.includes('submit') && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                  {RECTIFY_RULES.evidence.text}
                </Typography.Paragraph>
              )}
            </div>
          )}
          <Typography.Title level={5}>办理过程</Typography.Title>
          <Timeline
            items={r.events.map((e) => ({
              color: e.action === 'return' ? 'red' : e.toStatus === 'closed' ? 'green' : 'blue',
              children: (
                <>
                  <div>
                    <b>{e.label}</b> · {e.byName} · {fmt(e.at)}
                  </div>
                  {e.note && <div className="xf-rectify-text">{e.note}</div>}
                </>
              ),
            }))}
          />
        </div>
      )}
    </RecordDrawer>
  );
}

type FormValues = Omit<RectifyCreateInput, 'orgId' | 'deadline'> & { deadline: Dayjs };

function CreateDialog({
  orgId,
  open,
  onClose,
  onCreated,
}: {
  orgId: string;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const verifiers = useAsync(
    () =>
      open
        ? api.get<Page<RectifyVerifier> & { rule: string; citation: string; confirmed: boolean }>(
            '/supervise/verifiers',
            { orgId },
          )
        : Promise.resolve(null),
    [orgId, open],
  );
  return (
    <FormDialog<FormValues>
      title="新建整改事项"
      open={open}
      onClose={onClose}
      okText="保存并通知责任人"
      width={640}
      initialValues={{ sourceKind: 'inspection' }}
      onSubmit={async (v) => {
        const r = await api.post<RectifyDetail>('/supervise/rectifications', {
          ...v,
          orgId,
          deadline: v.deadline.format('YYYY-MM-DD'),
          ownerMemberId: v.ownerMemberId ?? null,
        });
        onCreated(r.id);
      }}
    >
      <Space.Compact block>
        <Form.Item name="sourceKind" label="问题来源" style={{ width: 160 }}>
          <Select options={RECTIFY_SOURCES.map((s) => ({ value: s, label: RECTIFY_SOURCE_LABELS[s] }))} />
        </Form.Item>
        <Form.Item name="sourceRef" label="来源说明（可选）" style={{ flex: 1 }}>
          <Input aria-label="来源说明" placeholder="如：第二巡察组反馈意见第 3 条" maxLength={200} />
        </Form.Item>
      </Space.Compact>
      <IssueFields measures="整改措施">
        <Form.Item name="ownerMemberId" label="责任人（不选则由本组织负责）">
          <MemberSelect orgId={orgId} allowClear id="rectify-owner" />
        </Form.Item>
      </IssueFields>
      <Form.Item
        name="verifierUserId"
        label="验收人"
        rules={[{ required: true, message: '请选择验收人' }]}
        extra={
          verifiers.data && (
            <>
              {verifiers.data.rule}。依据：{verifiers.data.citation}{' '}
              {!verifiers.data.confirmed && <Tag>待核实原文</Tag>}
            </>
          )
        }
      >
        <Select
          loading={verifiers.loading}
          options={(verifiers.data?.items ?? []).map((v) => ({ value: v.userId, label: `${v.name}（${v.why}）` }))}
        />
      </Form.Item>
    </FormDialog>
  );
}

function RollupPanel({ orgId }: { orgId?: string }) {
  const roll = useAsync(() => api.get<RectifyRollup>('/supervise/rectifications/rollup', { orgId }), [orgId]);
  if (roll.error) return <LoadError error={roll.error} onRetry={roll.reload} />;
  const d = roll.data;
  if (!d) return <Spin className="xf-center-small" />;
  const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
  return (
    <>
      <div className="xf-rectify-stats">
        <Statistic title="整改事项" value={d.total} />
        {RECTIFY_STATUSES.map((s) => (
          <Statistic key={s} title={RECTIFY_STATUS_LABELS[s]} value={d[s]} />
        ))}
        <Statistic title="逾期" value={d.overdue} valueStyle={d.overdue ? { color: '#c8161d' } : undefined} />
        <Statistic title="销号率" value={pct(d.closureRate)} />
      </div>
      {d.children.length > 0 && (
        <Table
          rowKey="orgId"
          size="small"
          pagination={false}
          scroll={{ x: 640 }}
          dataSource={d.children}
          columns={[
            { title: '下级组织', dataIndex: 'orgName' },
            { title: '事项', dataIndex: 'total', width: 70 },
            ...RECTIFY_STATUSES.map((s) => ({ title: RECTIFY_STATUS_LABELS[s], dataIndex: s, width: 80 })),
            {
              title: '逾期',
              dataIndex: 'overdue',
              width: 70,
              render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : 0),
            },
            { title: '销号率', dataIndex: 'closureRate', width: 90, render: pct },
          ]}
        />
      )}
    </>
  );
}

function LedgerTab({
  orgId,
  keeper,
  onOpen,
  version,
  initialStatus,
}: {
  orgId: string;
  keeper: boolean;
  onOpen: (id: string) => void;
  version: number;
  /** The filter the address asks for (?status=, e.g. from the 驾驶舱's 逾期 figure). */
  initialStatus?: string | null;
}) {
  const [status, setStatus] = useState<RectifyStatus | 'overdue' | 'all'>(
    initialStatus === 'overdue' || (RECTIFY_STATUSES as readonly string[]).includes(initialStatus ?? '')
      ? (initialStatus as RectifyStatus | 'overdue')
      : 'all',
  );
  const [creating, setCreating] = useState(false);
  const { page, pageSize, setPage, pagination } = usePaging('项');
  const { message } = AntApp.useApp();
  const list = useAsync(
    () =>
      api.get<Page<RectifyBrief>>('/supervise/rectifications', {
        orgId,
        page,
        pageSize,
        ...(status === 'overdue' ? { overdue: 'true' } : status === 'all' ? {} : { status }),
      }),
    [orgId, status, page, pageSize, version],
  );
  return (
    <>
      <RollupPanel key={version} orgId={orgId} />
      <div className="xf-toolbar" style={{ marginTop: 16 }}>
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as typeof status);
            setPage(1);
          }}
          options={[
            { value: 'all', label: '全部' },
            ...RECTIFY_STATUSES.map((s) => ({ value: s, label: RECTIFY_STATUS_LABELS[s] })),
            { value: 'overdue', label: '逾期' },
          ]}
        />
        {keeper && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建整改事项
          </Button>
        )}
      </div>
      <PagedTable
        size="middle"
        list={list}
        pagination={pagination}
        scroll={{ x: 860 }}
        onOpen={(r) => onOpen(r.id)}
        columns={[
          { title: '问题', dataIndex: 'title' },
          {
            title: '来源',
            dataIndex: 'sourceKind',
            width: 100,
            render: (s: RectifyBrief['sourceKind']) => RECTIFY_SOURCE_LABELS[s],
          },
          { title: '责任组织', dataIndex: 'orgName', width: 150 },
          { title: '责任人', dataIndex: 'ownerName', width: 140 },
          { title: '期限', dataIndex: 'deadline', width: 110 },
          { title: '状态', key: 'status', width: 170, render: (_: unknown, r) => <RectifyStatusTag r={r} /> },
        ]}
      />
      <CreateDialog
        orgId={orgId}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          message.success('已新建整改事项，已通知责任人');
          void list.reload();
          onOpen(id);
        }}
      />
    </>
  );
}

function MineList({ onOpen, version }: { onOpen: (id: string) => void; version: number }) {
  const { page, pageSize, pagination } = usePaging('项', 10);
  const list = useAsync(
    () => api.get<Page<RectifyBrief>>('/supervise/rectifications/mine', { page, pageSize }),
    [page, pageSize, version],
  );
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      <List
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: '没有由您负责或验收的整改事项' }}
        pagination={(list.data?.total ?? 0) > pageSize ? pagination(list.data?.total ?? 0) : false}
        renderItem={(r) => (
          <Card size="small" className="xf-rectify-card" onClick={() => onOpen(r.id)} hoverable>
            <div className="xf-rectify-card-title">{r.title}</div>
            <RectifyStatusTag r={r} />
            <div className="xf-rectify-card-meta">
              {RECTIFY_SOURCE_LABELS[r.sourceKind]} · {r.orgName} · 期限 {r.deadline}
              <br />
              责任人 {r.ownerName} · 验收人 {r.verifierName}
            </div>
          </Card>
        )}
      />
    </>
  );
}

export function RectifyPage() {
  const { current } = useAuth();
  const [params, set] = useUrlParams();
  const reader = inGroup(RECORD_READERS, current?.role ?? '');
  const keeper = inGroup(RECORD_KEEPERS, current?.role ?? '');
  const tab = params.get('tab') ?? (reader ? 'ledger' : 'mine');
  const orgId = params.get('org') ?? current?.orgId;
  const open = params.get('item');
  const [version, setVersion] = useState(0);
  return (
    <Card
      className="xf-rectify-page"
      title={
        <span>
          <AuditOutlined /> 整改落实
        </span>
      }
    >
      {reader && orgId ? (
        <>
          <div className="xf-toolbar">
            <OrgFilter minWidth={240} value={orgId} onPick={(org) => set({ org })} />
          </div>
          <Tabs
            activeKey={tab}
            onChange={(k) => set({ tab: k })}
            destroyOnHidden
            items={[
              {
                key: 'ledger',
                label: '整改台账',
                children: (
                  <LedgerTab
                    orgId={orgId}
                    keeper={keeper}
                    onOpen={(id) => set({ item: id })}
                    version={version}
                    initialStatus={params.get('status')}
                  />
                ),
              },
              {
                key: 'mine',
                label: '我的整改',
                children: <MineList onOpen={(id) => set({ item: id })} version={version} />,
              },
            ]}
          />
        </>
      ) : (
        <MineList onOpen={(id) => set({ item: id })} version={version} />
      )}
      <ItemDrawer id={open} onClose={() => set({ item: undefined })} onChanged={() => setVersion((v) => v + 1)} />
    </Card>
  );
}
