/**
 * 联系周期 on the 流动党员 page: how often the branch should contact each flowing member (the daily reminders and the
 * member's 「下次报到」 date follow it). Inherited from the nearest org above unless this org sets its own; the
 * org's record keepers change it.
 */
import { RECORD_KEEPERS, type FlowSettings } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, InputNumber, Popover, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { useSubmit } from '../../platform/useSubmit';

export function FlowContactSetting({ orgId }: { orgId?: string }) {
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const settings = useAsync(() => api.get<FlowSettings>('/flowing/settings', { orgId }), [orgId]);
  const [months, setMonths] = useState<number | null>(null);
  const { busy, error, run } = useSubmit();
  const s = settings.data;
  if (!s) return null;
  const save = async () => {
    if (months === null) return;
    await run(async () => {
      await api.put<FlowSettings>('/flowing/settings', { orgId: s.orgId, contactEveryMonths: months });
      message.success(`联系周期已设为每 ${months} 个月`);
      setMonths(null);
      void settings.reload();
    });
  };
  return (
    <div className="xf-flow-setting" data-testid="flow-contact-setting">
      <Space wrap>
        <span>
          联系周期：<strong>每 {s.contactEveryMonths} 个月</strong>
          <Typography.Text type="secondary">
            {s.own ? '（本组织设定）' : s.fromOrgName ? `（沿用${s.fromOrgName}的设定）` : '（默认）'}
          </Typography.Text>
        </span>
        <Popover content={<div style={{ maxWidth: 320 }}>{s.rule + (s.ruleConfirmed ? '' : '（依据未核实）')}</div>}>
          <Button type="link" size="small">
            依据
          </Button>
        </Popover>
        {can(...RECORD_KEEPERS) && (
          <Space size={4}>
            <InputNumber
              aria-label="联系周期（月）"
              min={s.minMonths}
              max={s.maxMonths}
              precision={0}
              value={months ?? s.contactEveryMonths}
              onChange={(v) => setMonths(v)}
              style={{ width: 72 }}
            />
            <span>个月</span>
            <Button onClick={() => void save()} loading={busy} disabled={months === null}>
              设定
            </Button>
          </Space>
        )}
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
    </div>
  );
}
