/**
 * 党费管理 → 缴费设置: the enterprise's dues settings — the farmer members' monthly amount, how far ahead a member
 * may pay (预交) and how far back online (补交, issue 13 item 13), and what the retired base counts. Everyone who
 * manages dues reads them; only the 系统管理员 changes them (PUT /dues/settings is admin-only).
 */
import { CATCH_UP_RULE, FARMER_DUES, MAX_PREPAY_MONTHS, RETIRED_BASE_LABELS } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Form, InputNumber, Select, Spin } from 'antd';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import type { Settings } from './types';
import { useSubmit } from '../../platform/useSubmit';

type Fields = { farmerYuan: number; maxPrepayMonths: number; maxCatchUpMonths: number; retiredBase: string };

export function SettingsTab() {
  const { can } = useAuth();
  const state = useAsync(() => api.get<Settings>('/dues/settings'), []);
  const { busy, run } = useSubmit('toast');
  const { message } = AntApp.useApp();
  const editable = can('admin');
  if (state.error) return <LoadError error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Spin />;
  const s = state.data;
  return (
    <div className="xf-dues-settings-tab">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={editable ? '以下设置适用于本企业全部党组织。' : '以下设置适用于本企业全部党组织，由系统管理员修改。'}
        description={`在线补交：党员在手机上最多补交本月之前若干个月的党费；更早的欠缴须联系党支部，由支部书记登记线下补交。依据：${CATCH_UP_RULE.citation}。${CATCH_UP_RULE.note}。`}
      />
      <Form<Fields>
        layout="vertical"
        disabled={!editable}
        style={{ maxWidth: 480 }}
        initialValues={{
          farmerYuan: s.farmerMonthlyFen / 100,
          maxPrepayMonths: s.maxPrepayMonths,
          maxCatchUpMonths: s.maxCatchUpMonths,
          retiredBase: s.retiredBase,
        }}
        onFinish={async (v) => {
          await run(async () => {
            await api.put('/dues/settings', {
              farmerMonthlyFen: Math.round(v.farmerYuan * 100),
              maxPrepayMonths: v.maxPrepayMonths,
              maxCatchUpMonths: v.maxCatchUpMonths,
              retiredBase: v.retiredBase,
            });
            message.success('党费设置已保存');
            void state.reload();
          });
        }}
      >
        <Form.Item name="farmerYuan" label="农民党员每月交纳（元）" rules={[{ required: true, message: '请填写金额' }]}>
          <InputNumber
            min={FARMER_DUES.minFen / 100}
            max={FARMER_DUES.maxFen / 100}
            step={0.1}
            precision={2}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item
          name="maxPrepayMonths"
          label="预交上限（本月之后的月数）"
          rules={[{ required: true, message: '请填写月数' }]}
        >
          <InputNumber min={0} max={MAX_PREPAY_MONTHS} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="maxCatchUpMonths"
          label="在线补交上限（本月之前的月数）"
          rules={[{ required: true, message: '请填写月数' }]}
          extra={`1–${CATCH_UP_RULE.maxMonths} 个月，默认 ${CATCH_UP_RULE.defaultMonths} 个月`}
        >
          <InputNumber min={1} max={CATCH_UP_RULE.maxMonths} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="retiredBase" label="离退休党员的计算基数">
          <Select options={Object.entries(RETIRED_BASE_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        {editable && (
          <Button type="primary" htmlType="submit" loading={busy}>
            保存党费设置
          </Button>
        )}
      </Form>
    </div>
  );
}
