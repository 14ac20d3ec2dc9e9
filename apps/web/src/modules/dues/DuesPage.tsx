/**
 * 党费管理 (secretary and above): what needs doing first (arrears warnings, approvals waiting,
 * bills not generated), then the tabs 缴费基数 · 月度账单 · 欠缴提醒 · 减免审批 · 台账与上缴.
 * The tab is kept in the address (?tab=) so a link or a reload opens the same view.
 */
import { Alert, Card, Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { ArrearsTab } from './ArrearsTab';
import { BasesTab } from './BasesTab';
import { BillsTab } from './BillsTab';
import { ExemptionsTab } from './ExemptionsTab';
import { LedgerTab } from './LedgerTab';
import { OfflineTab } from './OfflineInfo';
import { SettingsTab } from './SettingsTab';
import type { TodoItem } from './types';

const TODO_TAB: Record<string, string> = {
  arrears_critical: 'arrears',
  arrears_warning: 'arrears',
  arrears: 'arrears',
  corrections: 'bases',
  exemptions: 'exemptions',
  usages: 'ledger',
  conflicts: 'bills',
  generate: 'bills',
};

function Todo({ onOpen }: { onOpen: (tab: string) => void }) {
  const { current } = useAuth();
  const todo = useAsync(() => api.get<Page<TodoItem>>('/dues/todo', { orgId: current?.orgId }), [current?.orgId]);
  const items = (todo.data?.items ?? []).filter((i) => TODO_TAB[i.kind]);
  if (items.length === 0) return null;
  return (
    <div className="xf-dues-todo">
      {items.map((i) => (
        <Alert
          key={i.kind}
          type={i.level === 'critical' ? 'error' : i.level === 'warning' ? 'warning' : 'info'}
          showIcon
          message={i.message}
          action={
            <a onClick={() => onOpen(TODO_TAB[i.kind]!)} role="button">
              去处理
            </a>
          }
        />
      ))}
    </div>
  );
}

export function DuesPage() {
  const { current } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'bases';
  const open = (t: string) => setParams(t === 'bases' ? {} : { tab: t }, { replace: true });
  return (
    <Card title={`党费管理${current?.orgName ? ` · ${current.orgName}` : ''}`} className="xf-dues-manage">
      <Todo onOpen={open} />
      <Tabs
        activeKey={tab}
        onChange={open}
        destroyOnHidden
        items={[
          { key: 'bases', label: '缴费基数', children: <BasesTab /> },
          { key: 'bills', label: '月度账单', children: <BillsTab /> },
          { key: 'arrears', label: '欠缴提醒', children: <ArrearsTab /> },
          { key: 'exemptions', label: '减免审批', children: <ExemptionsTab /> },
          { key: 'ledger', label: '台账与上缴', children: <LedgerTab /> },
          { key: 'offline', label: '线下缴费', children: <OfflineTab /> },
          { key: 'settings', label: '缴费设置', children: <SettingsTab /> },
        ]}
      />
    </Card>
  );
}
