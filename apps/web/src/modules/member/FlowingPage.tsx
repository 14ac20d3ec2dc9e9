/** 流动党员: members away without transferring, the longest-uncontacted first, 失联 flagged. */
import { NodeIndexOutlined } from '@ant-design/icons';
import { LOST_CONTACT_MONTHS } from '@xianfeng/shared';
import { Alert, Card, Grid, List, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import type { Flowing } from './FlowTab';
import { LoadError } from '../../platform/LoadError';
import { FlowContactSetting } from './FlowContactSetting';

const contactTag = (f: Flowing) =>
  f.lostStatus === 'suspended' ? (
    <Tag color="volcano">已停止党籍</Tag>
  ) : f.lostStatus === 'lost' ? (
    <Tag color="orange">已登记失联</Tag>
  ) : f.lostContact ? (
    <Tag color="red">失联未登记</Tag>
  ) : (
    <Tag color="green">正常</Tag>
  );

export function FlowingPage() {
  const { current } = useAuth();
  const screens = Grid.useBreakpoint();
  const [page, setPage] = useState(1);
  const list = useAsync(
    () => api.get<Page<Flowing>>('/flowing', { orgId: current?.orgId, page, pageSize: 20 }),
    [current?.orgId, page],
  );
  const items = list.data?.items ?? [];
  const lost = items.filter((f) => f.lostContact && !f.lostStatus).length;
  const pagination = {
    current: page,
    pageSize: 20,
    total: list.data?.total ?? 0,
    onChange: setPage,
    simple: !screens.md,
  };
  return (
    <Card
      title={
        <span>
          <NodeIndexOutlined /> 流动党员
        </span>
      }
    >
      <Typography.Paragraph type="secondary">
        按最近联系时间排列，最久未联系的在前。{LOST_CONTACT_MONTHS}{' '}
        个月以上未联系的标记为“失联”。在党员详情的“流动党员”页记录每次联系。
      </Typography.Paragraph>
      <FlowContactSetting orgId={current?.orgId} />
      {lost > 0 && (
        <Alert
          type="warning"
          showIcon
          message={`本页有 ${lost} 名流动党员已 ${LOST_CONTACT_MONTHS} 个月以上未联系，请尽快联系；查找后仍无法联系的，在党员详情的「流动党员」页转入失联处理`}
          style={{ marginBottom: 12 }}
        />
      )}
      <LoadError error={list.error} onRetry={list.reload} />
      {screens.md ? (
        <Table<Flowing>
          rowKey="memberId"
          size="middle"
          loading={list.loading}
          dataSource={items}
          pagination={pagination}
          locale={{ emptyText: '没有流动党员' }}
          columns={[
            {
              title: '姓名',
              dataIndex: 'name',
              width: 100,
              render: (v: string, f) => <Link to={`/members/${f.memberId}?tab=flow`}>{v}</Link>,
            },
            { title: '流入地', dataIndex: 'location' },
            { title: '外出日期', dataIndex: 'since', width: 110 },
            { title: '联系方式', dataIndex: 'contact', render: (v: string) => v || '—' },
            { title: '最近联系', dataIndex: 'lastContactOn', width: 110 },
            { title: '状态', width: 110, render: (_, f) => contactTag(f) },
          ]}
        />
      ) : (
        <List<Flowing>
          loading={list.loading}
          dataSource={items}
          pagination={{ ...pagination, align: 'center' }}
          locale={{ emptyText: '没有流动党员' }}
          renderItem={(f) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <>
                    <Link to={`/members/${f.memberId}?tab=flow`}>{f.name}</Link> {contactTag(f)}
                  </>
                }
                description={
                  <>
                    {f.location}，{f.since} 外出
                    <br />
                    最近联系：{f.lastContactOn}
                    {f.contact ? ` · ${f.contact}` : ''}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
