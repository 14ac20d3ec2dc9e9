/**
 * 疑似失联: members of the subtree on the roll with no activity for six months (SUSPECTED_LOST_RULE), longest silent
 * first, each linked to the member's 失联 tab where the branch checks and, if so, registers 失联.
 */
import { activityLabel, chinaDate, SUSPECTED_LOST_RULE, type SuspectedLost } from '@xianfeng/shared';
import { List, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { TableOrList } from '../../platform/TableOrList';
import { useAsync } from '../../platform/useAsync';

const lastSeen = (s: SuspectedLost) =>
  s.lastActiveAt
    ? `${chinaDate(new Date(s.lastActiveAt))} ${activityLabel(s.lastAction)}`
    : `无活动记录（${chinaDate(new Date(s.silentSince))} 录入）`;

export function SuspectedLostList({ orgId }: { orgId?: string }) {
  const [page, setPage] = useState(1);
  const list = useAsync(
    () =>
      api.get<Page<SuspectedLost> & { silentBefore: string }>('/lost-members/suspected', { orgId, page, pageSize: 20 }),
    [orgId, page],
  );
  const link = (s: SuspectedLost) => <Link to={`/members/${s.memberId}?tab=lost`}>{s.name}</Link>;
  return (
    <>
      <Typography.Paragraph type="secondary">
        {SUSPECTED_LOST_RULE.reading}。请先电话、走访核实；确实失去联系的，在党员详情的“失联”页登记失联。
      </Typography.Paragraph>
      <LoadError error={list.error} onRetry={list.reload} />
      <TableOrList<SuspectedLost>
        rowKey="memberId"
        items={list.data?.items ?? []}
        loading={list.loading}
        page={page}
        pageSize={20}
        total={list.data?.total ?? 0}
        onPage={setPage}
        empty="没有疑似失联的党员"
        columns={[
          { title: '姓名', dataIndex: 'name', width: 100, render: (_, s) => link(s) },
          { title: '所属组织', dataIndex: 'orgName' },
          { title: '最后活动', render: (_, s) => lastSeen(s) },
        ]}
        renderItem={(s) => (
          <List.Item>
            <List.Item.Meta
              title={link(s)}
              description={
                <>
                  {s.orgName}
                  <br />
                  最后活动：{lastSeen(s)}
                </>
              }
            />
          </List.Item>
        )}
      />
    </>
  );
}
