/** 流动党员: register a member who is away without transferring, log contacts, end the flow. */
import { FLOW_HOST_RULE, FLOW_RULE, LOST_CONTACT_MONTHS, type Member, now } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, DatePicker, Descriptions, Form, Input, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { OrgPicker } from '../org/OrgPicker';
import { useSubmit } from '../../platform/useSubmit';

export type Flowing = {
  memberId: string;
  name: string;
  orgId: string;
  location: string;
  since: string;
  expectedUntil: string | null;
  contact: string;
  lastContactOn: string;
  lostContact: boolean;
  /** The open 失联 episode's status, when the member is on that path (登记失联 in the 失联 tab). */
  lostStatus: 'lost' | 'suspended' | null;
  /** The 流入地党组织 whose organizational life the member takes part in (issue #27), when registered. */
  hostOrgId: string | null;
  hostOrgName: string | null;
};

const notFuture = (d: Dayjs) => d.isAfter(dayjs(now()), 'day');

export function FlowTab({ m, editable, onChanged }: { m: Member; editable: boolean; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const { busyKey: busy, error, run } = useSubmit();
  const [contactOn, setContactOn] = useState<Dayjs>(dayjs(now()));
  const [hostOrg, setHostOrg] = useState<string | undefined>(undefined);
  const flow = useAsync(
    async () =>
      m.flowing
        ? ((await api.get<Page<Flowing>>('/flowing', { orgId: m.orgId, pageSize: 200 })).items.find(
            (f) => f.memberId === m.id,
          ) ?? null)
        : null,
    [m.id, m.flowing, m.orgId],
  );
  const act = async (key: string, fn: () => Promise<void>) => {
    await run(
      async () => {
        await fn();
        onChanged();
        await flow.reload();
      },
      { key },
    );
  };
  const contact = (ended: boolean) =>
    act(ended ? 'end' : 'contact', async () => {
      await api.post(`/members/${m.id}/flow/contact`, { on: contactOn.format('YYYY-MM-DD'), ended });
      message.success(ended ? '已结束流动' : '已记录联系');
    });

  const f = flow.data;
  return (
    <>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {f && (
        <>
          {f.lostContact && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={`已 ${LOST_CONTACT_MONTHS} 个月以上未联系，标记为失联。请尽快联系；确实无法取得联系的，按规定处理。`}
              description={
                f.lostStatus ? (
                  <>
                    已登记为失联党员，在「<Link to={`/members/${m.id}?tab=lost`}>失联</Link>」页记录查找和后续处理。
                  </>
                ) : editable ? (
                  <>
                    查找后仍无法联系的，<Link to={`/members/${m.id}?tab=lost`}>转入失联处理（登记失联）</Link>
                    ：最后联系日期按 {f.lastContactOn} 预填。
                  </>
                ) : undefined
              }
            />
          )}
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label="流入地">{f.location}</Descriptions.Item>
            <Descriptions.Item label="外出日期">{f.since}</Descriptions.Item>
            <Descriptions.Item label="预计返回">{f.expectedUntil ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="联系方式">{f.contact || '—'}</Descriptions.Item>
            <Descriptions.Item label="最近联系">
              {f.lastContactOn} {f.lostContact ? <Tag color="red">失联</Tag> : <Tag color="green">正常</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="流入地党组织">{f.hostOrgName ?? '未登记'}</Descriptions.Item>
          </Descriptions>
          {editable && (
            <div className="xf-flow-host" style={{ marginTop: 16 }}>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                在流入地参加组织生活（一方隶属、参加多重组织生活）：登记流入地党组织后，该组织的党员大会、党课、主题党日等会议会通知这位党员，
                本人可在那里签到（现场或线上），到会情况同时计入本支部。依据：{FLOW_HOST_RULE.citation}
              </Typography.Paragraph>
              <Space wrap>
                <OrgPicker
                  value={hostOrg ?? f.hostOrgId}
                  onChange={(v) => setHostOrg(v)}
                  selectable={['branch', 'general_branch', 'group']}
                  exclude={m.orgId}
                  placeholder="选择流入地党组织"
                  style={{ minWidth: 260 }}
                />
                <Button
                  loading={busy === 'host'}
                  disabled={!hostOrg || hostOrg === f.hostOrgId}
                  onClick={() =>
                    void act('host', async () => {
                      await api.post(`/members/${m.id}/flow/host`, { hostOrgId: hostOrg });
                      setHostOrg(undefined);
                      message.success('已登记流入地党组织');
                    })
                  }
                >
                  登记流入地党组织
                </Button>
                {f.hostOrgId && (
                  <Button
                    loading={busy === 'nohost'}
                    onClick={() =>
                      void act('nohost', async () => {
                        await api.post(`/members/${m.id}/flow/host`, { hostOrgId: null });
                        message.success('已取消流入地党组织');
                      })
                    }
                  >
                    取消
                  </Button>
                )}
              </Space>
            </div>
          )}
          {editable && (
            <Space wrap style={{ marginTop: 16 }}>
              <DatePicker
                value={contactOn}
                onChange={(d) => d && setContactOn(d)}
                disabledDate={notFuture}
                aria-label="联系日期"
              />
              <Button type="primary" loading={busy === 'contact'} onClick={() => void contact(false)}>
                记录联系
              </Button>
              <Button loading={busy === 'end'} onClick={() => void contact(true)}>
                已返回，结束流动
              </Button>
            </Space>
          )}
        </>
      )}
      {!m.flowing && !editable && <Typography.Paragraph>该党员不是流动党员。</Typography.Paragraph>}
      {!m.flowing && editable && (
        <>
          <Typography.Paragraph type="secondary">
            党员外出 6 个月以上、未转移组织关系的，登记为流动党员，并定期联系。{LOST_CONTACT_MONTHS}{' '}
            个月未联系的标记为失联。
          </Typography.Paragraph>
          <Form
            name="memberFlow"
            layout="vertical"
            style={{ maxWidth: 560 }}
            initialValues={{ since: dayjs(now()) }}
            onFinish={(v: { location: string; since: Dayjs; expectedUntil: Dayjs; contact?: string }) =>
              act('register', async () => {
                await api.post(`/members/${m.id}/flow`, {
                  location: v.location.trim(),
                  since: v.since.format('YYYY-MM-DD'),
                  expectedUntil: v.expectedUntil.format('YYYY-MM-DD'),
                  contact: v.contact?.trim() ?? '',
                });
                message.success('已登记为流动党员');
              })
            }
          >
            <Form.Item
              name="location"
              label="流入地"
              rules={[{ required: true, whitespace: true, message: '请填写流入地' }]}
            >
              <Input maxLength={200} placeholder="如：广东省深圳市南山区" />
            </Form.Item>
            <Form.Item name="since" label="外出日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker disabledDate={notFuture} />
            </Form.Item>
            <Form.Item
              name="expectedUntil"
              label="预计返回日期"
              extra={`外出 ${FLOW_RULE.minMonthsAway} 个月以上的才登记为流动党员`}
              rules={[{ required: true, message: '请选择预计返回日期' }]}
            >
              <DatePicker />
            </Form.Item>
            <Form.Item name="contact" label="外出期间联系方式">
              <Input maxLength={100} placeholder="电话、微信等" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy === 'register'}>
              登记流动党员
            </Button>
          </Form>
        </>
      )}
    </>
  );
}
