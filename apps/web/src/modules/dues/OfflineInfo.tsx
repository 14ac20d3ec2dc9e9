/**
 * Offline payment instructions (issue 28 item 7): the card members read on 我的党费 and the pay page,
 * and the 线下缴费 tab of 党费管理 where the secretary or an org admin sets them for the org.
 */
import { OFFLINE_INFO_LIMITS } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Form, Input, Spin } from 'antd';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import type { OfflineInfo, OfflineInfoReply } from './types';
import { useSubmit } from '../../platform/useSubmit';

/** What a member reads: who collects, where, when, and the note — large and plain. */
export function OfflineInfoCard({ info, title }: { info: OfflineInfo | null; title: string }) {
  return (
    <div className="xf-dues-offline" data-testid="offline-info">
      <div className="xf-dues-section-title">{title}</div>
      {info ? (
        <dl className="xf-dues-offline-list">
          <dt>收缴人</dt>
          <dd>{info.collector}</dd>
          <dt>地点</dt>
          <dd>{info.place}</dd>
          <dt>时间</dt>
          <dd>{info.time}</dd>
          {info.note && (
            <>
              <dt>说明</dt>
              <dd>{info.note}</dd>
            </>
          )}
        </dl>
      ) : (
        <Alert type="info" showIcon message="支部尚未填写线下交纳方式，请联系支部书记" />
      )}
    </div>
  );
}

type Fields = { collector: string; place: string; time: string; note?: string };

/** 党费管理 → 线下缴费: the current org's own instructions, or the inherited ones it shows until it has its own. */
export function OfflineTab() {
  const { current, can } = useAuth();
  const orgId = current?.orgId;
  const state = useAsync(() => api.get<OfflineInfoReply>('/dues/offline-info', { orgId }), [orgId]);
  const [form] = Form.useForm<Fields>();
  const { busy, run } = useSubmit('toast');
  const { message } = AntApp.useApp();
  const editable = can('admin', 'org_admin', 'secretary');
  if (state.error) return <LoadError error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Spin />;
  const { own, effective } = state.data;
  const start = own ?? effective;
  return (
    <div className="xf-dues-offline-tab">
      <Alert
        type={own ? 'success' : 'info'}
        showIcon
        style={{ marginBottom: 16 }}
        message={
          own
            ? `本组织的线下缴费方式（${own.orgName}）：党员在「我的党费」里看到的就是这些。`
            : effective
              ? `本组织尚未单独设置，党员看到的是上级「${effective.orgName}」的设置；在下面保存后改用本组织的。`
              : '本组织及上级都还没有设置线下缴费方式：未开通在线支付时，党员将无从得知去哪里交党费。'
        }
      />
      <Form<Fields>
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={
          start ? { collector: start.collector, place: start.place, time: start.time, note: start.note } : {}
        }
        style={{ maxWidth: 640 }}
        onFinish={async (v) => {
          await run(async () => {
            await api.put('/dues/offline-info', { orgId, ...v, note: v.note ?? '' });
            message.success('已保存');
            void state.reload();
          });
        }}
      >
        <Form.Item
          name="collector"
          label="收缴人"
          rules={[{ required: true, whitespace: true, message: '请填写收缴人（如 组织委员 李明）' }]}
        >
          <Input
            maxLength={OFFLINE_INFO_LIMITS.collector}
            showCount
            placeholder="如 组织委员 李明（电话 0571-8888 6601）"
          />
        </Form.Item>
        <Form.Item name="place" label="地点" rules={[{ required: true, whitespace: true, message: '请填写交纳地点' }]}>
          <Input maxLength={OFFLINE_INFO_LIMITS.place} showCount placeholder="如 综合楼 305 党员活动室" />
        </Form.Item>
        <Form.Item name="time" label="时间" rules={[{ required: true, whitespace: true, message: '请填写交纳时间' }]}>
          <Input maxLength={OFFLINE_INFO_LIMITS.time} showCount placeholder="如 每月 5 日前的工作日 9:00–17:00" />
        </Form.Item>
        <Form.Item name="note" label="补充说明（可选）">
          <Input.TextArea
            maxLength={OFFLINE_INFO_LIMITS.note}
            showCount
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder="如 可转账至党委党费专户，备注「姓名+月份」；行动不便的党员可联系上门收缴"
          />
        </Form.Item>
        {editable && (
          <Button type="primary" htmlType="submit" loading={busy}>
            保存线下缴费方式
          </Button>
        )}
      </Form>
    </div>
  );
}
