/**
 * 流动党员报到 (phone first, issue #22): a flowing member sees where they are registered, when they last were in touch
 * with the branch, when the next contact is due and when 失联 would be reached, and reports in from anywhere.
 */
import { NodeIndexOutlined } from '@ant-design/icons';
import { chinaDateLabel, todayInChina } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Spin, Tag, Typography } from 'antd';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';
import { useMyFlow } from './MyFlowCard';

export function MyFlowPage() {
  const r = useMyFlow();
  const { message } = AntApp.useApp();
  const { busy, error, run } = useSubmit();
  const [form] = Form.useForm<{ location?: string; note?: string }>();
  if (r.error) return <LoadError error={r.error} onRetry={r.reload} />;
  if (!r.data) return <Spin className="xf-center-small" />;
  const f = r.data.flow;
  const today = todayInChina();
  return (
    <Card
      className="xf-myflow"
      title={
        <span>
          <NodeIndexOutlined /> 流动党员报到
        </span>
      }
    >
      {!f ? (
        <Typography.Paragraph>
          您目前不是登记的流动党员。外出 6 个月以上、不转移组织关系的，请联系支部书记登记。
        </Typography.Paragraph>
      ) : (
        <>
          {f.lostOn <= today ? (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message={`已 6 个月以上未与${f.orgName}联系，请立即报到或联系支部书记`}
            />
          ) : f.contactDueOn <= today && !f.today ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={`应向${f.orgName}报到了（上次联系 ${chinaDateLabel(f.lastContactOn)}）`}
            />
          ) : null}
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label="所在支部">{f.orgName}</Descriptions.Item>
            <Descriptions.Item label="流入地">{f.location}</Descriptions.Item>
            {f.hostOrgName && (
              <Descriptions.Item label="参加组织生活">{f.hostOrgName}（会议通知在「我的会议」中）</Descriptions.Item>
            )}
            <Descriptions.Item label="外出日期">{f.since}</Descriptions.Item>
            <Descriptions.Item label="上次联系">
              {f.lastContactOn} {f.today && <Tag color="green">今天已报到</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="下次应联系">{f.contactDueOn} 前</Descriptions.Item>
            <Descriptions.Item label="失联期限">{f.lostOn}（满 6 个月未联系）</Descriptions.Item>
          </Descriptions>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Form
            form={form}
            layout="vertical"
            onFinish={async (v) => {
              await run(async () => {
                await api.post('/me/flow/checkin', {
                  ...(v.location?.trim() ? { location: v.location.trim() } : {}),
                  note: v.note?.trim() ?? '',
                });
                message.success('已向支部报到，支部书记会收到通知');
                form.resetFields();
                await r.reload();
              });
            }}
          >
            <Form.Item name="location" label="现在所在地（有变化时填写）">
              <Input aria-label="现在所在地" maxLength={200} placeholder={f.location} />
            </Form.Item>
            <Form.Item name="note" label="近况（工作、学习、参加组织生活的情况）">
              <Input.TextArea aria-label="近况" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={500} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              向支部报到
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
            {f.rule}
            {!f.ruleConfirmed && <Tag style={{ marginLeft: 4 }}>待核实原文</Tag>}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
