/**
 * 组织关系: where the member's membership is, its transfer history, and starting a transfer —
 * inside the system (the receiving org confirms) or out of it (with a 介绍信 number).
 */
import { TRANSFER_STATUS_LABELS, type Member } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Form, Input, Radio, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { OrgPicker } from '../org/OrgPicker';
import { letterUrl, type Transfer } from './transfers';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

type Values = {
  direction: 'internal' | 'out';
  toOrgId?: string;
  destination?: string;
  letterNo?: string;
  reason: string;
};

export const transferStatusTag = (s: Transfer['status']) => (
  <Tag color={{ pending: 'orange', done: 'green', rejected: 'red', cancelled: 'default' }[s]}>
    {TRANSFER_STATUS_LABELS[s]}
  </Tag>
);

export function RelationTab({ m, editable, onChanged }: { m: Member; editable: boolean; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const direction = Form.useWatch('direction', form);
  const { busy, error, run } = useSubmit();
  const [letter, setLetter] = useState<string | null>(null);
  const history = useAsync(
    async () =>
      (await api.get<Page<Transfer>>('/transfers', { orgId: m.orgId, pageSize: 200 })).items.filter(
        (t) => t.memberId === m.id,
      ),
    [m.id, m.orgId],
  );
  const pending = history.data?.find((t) => t.status === 'pending');

  return (
    <>
      <Typography.Paragraph>
        当前组织关系在：<Typography.Text strong>{m.orgName}</Typography.Text>
      </Typography.Paragraph>
      <LoadError error={history.error} onRetry={history.reload} />
      <Table<Transfer>
        rowKey="id"
        size="small"
        loading={history.loading}
        dataSource={history.data}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: '暂无转接记录' }}
        columns={[
          {
            title: '申请时间',
            dataIndex: 'requestedAt',
            width: 110,
            render: (v: string) => dayjs(v).format('YYYY-MM-DD'),
          },
          { title: '转出组织', dataIndex: 'fromOrgName' },
          { title: '转入', render: (_, t) => t.toOrgName ?? t.destination },
          { title: '状态', dataIndex: 'status', width: 90, render: transferStatusTag },
          {
            title: '介绍信',
            width: 120,
            render: (_, t) =>
              t.direction === 'out' ? (
                <a href={letterUrl(t.id)} target="_blank" rel="noreferrer">
                  {t.letterNo ?? '打印'}
                </a>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {letter && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 16 }}
          message="已开具组织关系介绍信"
          action={
            <a href={letterUrl(letter)} target="_blank" rel="noreferrer">
              打开并打印介绍信
            </a>
          }
        />
      )}
      {editable && pending && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 16 }}
          message={`已申请转往「${pending.toOrgName ?? pending.destination}」，等待对方接收。接收前仍由本组织负责管理。`}
        />
      )}
      {editable && !pending && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            办理组织关系转接
          </Typography.Title>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Form<Values>
            name="memberTransfer"
            form={form}
            layout="vertical"
            initialValues={{ direction: 'internal' }}
            style={{ maxWidth: 560 }}
            onFinish={async (v) => {
              await run(async () => {
                const body =
                  v.direction === 'internal'
                    ? { direction: 'internal', toOrgId: v.toOrgId, reason: v.reason.trim() }
                    : {
                        direction: 'out',
                        destination: v.destination?.trim(),
                        letterNo: v.letterNo?.trim(),
                        reason: v.reason.trim(),
                      };
                const t = await api.post<{ id: string }>(`/members/${m.id}/transfers`, body);
                if (v.direction === 'out') {
                  setLetter(t.id);
                  message.success('已转出系统，请打印介绍信');
                } else message.success('已提交转接申请，等待接收组织确认');
                form.resetFields();
                await history.reload();
                onChanged();
              });
            }}
          >
            <Form.Item name="direction" label="转接方式">
              <Radio.Group
                options={[
                  { value: 'internal', label: '转到本系统内其他组织' },
                  { value: 'out', label: '转出本系统（开介绍信）' },
                ]}
              />
            </Form.Item>
            {direction !== 'out' ? (
              <Form.Item
                name="toOrgId"
                label="接收组织"
                extra="对方党支部确认接收后完成转接"
                rules={[{ required: true, message: '请选择接收组织' }]}
              >
                <OrgPicker
                  selectable={['branch', 'group']}
                  exclude={m.orgId}
                  placeholder="请选择接收的党支部或党小组"
                />
              </Form.Item>
            ) : (
              <>
                <Form.Item
                  name="destination"
                  label="转往的党组织"
                  rules={[{ required: true, whitespace: true, min: 2, message: '请填写转往的党组织' }]}
                >
                  <Input maxLength={200} placeholder="如：中共某某市某某区委组织部" />
                </Form.Item>
                <Form.Item
                  name="letterNo"
                  label="介绍信编号"
                  rules={[{ required: true, whitespace: true, message: '请填写介绍信编号' }]}
                >
                  <Input maxLength={50} />
                </Form.Item>
              </>
            )}
            <Form.Item
              name="reason"
              label="转接原因"
              rules={[{ required: true, whitespace: true, message: '请填写转接原因' }]}
            >
              <Input maxLength={200} placeholder="如：工作调动" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {direction === 'out' ? '转出并开具介绍信' : '提交转接申请'}
            </Button>
          </Form>
        </>
      )}
    </>
  );
}
