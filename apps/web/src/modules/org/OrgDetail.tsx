/** One org: its details in tabs, and the tree actions org admins may take on it. */
import { ApartmentOutlined, DeleteOutlined, DragOutlined, PlusOutlined } from '@ant-design/icons';
import { ALLOWED_CHILD_KINDS, ORG_ADMINS, ORG_KIND_LABELS, type Org, type OrgKind } from '@xianfeng/shared';
import { App as AntApp, Button, Card, Form, Input, Radio, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { CommitteeTab } from './CommitteeTab';
import { OrgInfoTab, orgNameRules } from './OrgInfoTab';
import { OrgPicker } from './OrgPicker';
import { KindTag } from './OrgsPage';
import { StatsTab } from './StatsTab';
import { WarningsTab } from './WarningsTab';
import { LoadError } from '../../platform/LoadError';
import { FormDialog } from '../../platform/FormDialog';

/** Kinds under which an org of this kind may sit. */
const parentKindsFor = (kind: OrgKind) =>
  (Object.keys(ALLOWED_CHILD_KINDS) as OrgKind[]).filter((k) => ALLOWED_CHILD_KINDS[k].includes(kind));

export function OrgDetail({
  orgId,
  onChanged,
  onSelect,
}: {
  orgId: string;
  /** Tells the tree what changed: the org, plus other parents whose children changed. */
  onChanged: (org: Org | null, alsoReload?: (string | null)[]) => void;
  onSelect: (id: string) => void;
}) {
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const org = useAsync(() => api.get<Org>(`/orgs/${orgId}`), [orgId]);
  const [dialog, setDialog] = useState<null | 'create' | 'move' | 'dissolve'>(null);
  const isAdmin = can(...ORG_ADMINS);
  const o = org.data;

  if (org.error) return <LoadError error={org.error} onRetry={org.reload} />;
  if (!o) return <Card loading />;

  const childKinds = ALLOWED_CHILD_KINDS[o.kind];

  const actions = isAdmin && (
    <Space wrap size={8}>
      <Button
        icon={<PlusOutlined />}
        type="primary"
        disabled={childKinds.length === 0}
        onClick={() => setDialog('create')}
      >
        新建下级组织
      </Button>
      {o.parentId && (
        <>
          <Button icon={<DragOutlined />} onClick={() => setDialog('move')}>
            调整隶属
          </Button>
          <Button icon={<DeleteOutlined />} danger onClick={() => setDialog('dissolve')}>
            撤销/合并
          </Button>
        </>
      )}
    </Space>
  );

  return (
    <Card
      className="xf-org-detail"
      title={
        <Space wrap size={8}>
          <ApartmentOutlined />
          <span className="xf-wrap">{o.name}</span>
          <KindTag kind={o.kind} />
        </Space>
      }
    >
      {actions && <div className="xf-toolbar">{actions}</div>}
      <Tabs
        items={[
          {
            key: 'info',
            label: '基本信息',
            children: (
              <OrgInfoTab
                org={o}
                editable={isAdmin}
                onSaved={(next) => {
                  org.setData(next);
                  onChanged(next);
                }}
              />
            ),
          },
          { key: 'committee', label: '班子与换届', children: <CommitteeTab org={o} /> },
          { key: 'warnings', label: '预警', children: <WarningsTab orgId={o.id} onSelect={onSelect} /> },
          { key: 'stats', label: '统计', children: <StatsTab orgId={o.id} /> },
        ]}
      />

      <FormDialog<{ name: string; kind: OrgKind }>
        title={`在「${o.name}」下新建组织`}
        open={dialog === 'create'}
        onClose={() => setDialog(null)}
        okText="创建"
        name="orgCreate"
        initialValues={{ kind: childKinds[childKinds.length - 1] }}
        onSubmit={async (v) => {
          const created = await api.post<Org>('/orgs', { parentId: o.id, name: v.name.trim(), kind: v.kind });
          message.success(`已新建「${created.name}」`);
          org.setData({ ...o, childCount: o.childCount + 1 });
          onChanged(created, [o.id]);
          onSelect(created.id);
          setDialog(null);
        }}
      >
        <Form.Item name="kind" label="组织类型" rules={[{ required: true, message: '请选择组织类型' }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={childKinds.map((k) => ({ value: k, label: ORG_KIND_LABELS[k] }))}
          />
        </Form.Item>
        <Form.Item name="name" label="组织名称" rules={orgNameRules}>
          <Input placeholder="如：检修班组党支部" />
        </Form.Item>
      </FormDialog>

      <FormDialog<{ parentId: string }>
        title={`调整「${o.name}」的隶属关系`}
        open={dialog === 'move'}
        onClose={() => setDialog(null)}
        okText="确认调整"
        name="orgMove"
        intro={
          <Typography.Paragraph type="secondary">
            连同其下级组织和党员一起移到新的上级组织之下。{ORG_KIND_LABELS[o.kind]}只能隶属于
            {parentKindsFor(o.kind)
              .map((k) => ORG_KIND_LABELS[k])
              .join('或')}
            。
          </Typography.Paragraph>
        }
        onSubmit={async (v) => {
          const moved = await api.post<Org>(`/orgs/${o.id}/move`, { parentId: v.parentId });
          message.success('隶属关系已调整');
          org.setData(moved);
          onChanged(moved, [o.parentId]);
          setDialog(null);
        }}
      >
        <Form.Item name="parentId" label="新的上级组织" rules={[{ required: true, message: '请选择新的上级组织' }]}>
          <OrgPicker selectable={parentKindsFor(o.kind)} exclude={o.id} />
        </Form.Item>
      </FormDialog>

      <FormDialog<{ reason: string; mergeIntoId?: string }>
        title={`撤销或合并「${o.name}」`}
        open={dialog === 'dissolve'}
        onClose={() => setDialog(null)}
        okText="确认撤销"
        danger
        name="orgDissolve"
        intro={
          <Typography.Paragraph type="secondary">
            没有下级组织和党员的组织可以直接撤销；否则请选择要合并到的组织，其党员和下级组织将一并转入。撤销后记录仍保留。
          </Typography.Paragraph>
        }
        onSubmit={async (v) => {
          const r = await api.post<{ movedMembers: number; movedOrgs: number }>(`/orgs/${o.id}/dissolve`, {
            reason: v.reason.trim(),
            ...(v.mergeIntoId ? { mergeIntoId: v.mergeIntoId } : {}),
          });
          message.success(
            v.mergeIntoId ? `已合并：转入党员 ${r.movedMembers} 名、下级组织 ${r.movedOrgs} 个` : '组织已撤销',
          );
          onChanged(null, [o.parentId, v.mergeIntoId ?? null]);
          if (o.parentId) onSelect(o.parentId);
          setDialog(null);
        }}
      >
        <Form.Item
          name="reason"
          label="撤销原因"
          rules={[{ required: true, whitespace: true, message: '请填写撤销原因' }]}
        >
          <Input.TextArea rows={2} maxLength={200} placeholder="如：项目结束，党员已全部转出" />
        </Form.Item>
        <Form.Item name="mergeIntoId" label="合并到（可不选）">
          <OrgPicker exclude={o.id} allowClear placeholder="不合并，直接撤销" />
        </Form.Item>
      </FormDialog>
    </Card>
  );
}
