/**
 * 失联党员: every open 失联 episode of the subtree — searching, or 停止党籍 — with the day the next step is due; and the
 * members who may be lost (疑似失联), for the branch to check.
 */
import { DisconnectOutlined } from '@ant-design/icons';
import { LOST_CONTACT_RULE, todayInChina, type LostRecord } from '@xianfeng/shared';
import { Card, List, Segmented, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { TableOrList } from '../../platform/TableOrList';
import { useAsync } from '../../platform/useAsync';
import { lostTag } from './LostTab';
import { SuspectedLostList } from './SuspectedLostList';

/** What is due next for an episode, as the secretary reads it. */
function nextStep(e: LostRecord, today: string) {
  if (e.status === 'lost')
    return e.suspendFrom <= today ? (
      <Tag color="orange">{e.searches.length ? '可停止党籍' : '须先记录查找'}</Tag>
    ) : (
      `${e.suspendFrom} 满 ${LOST_CONTACT_RULE.suspendAfterMonths} 个月`
    );
  if (e.status === 'suspended')
    return e.removeFrom! <= today ? (
      <Tag color="red">应予除名</Tag>
    ) : (
      `${e.removeFrom} 满 ${LOST_CONTACT_RULE.removeAfterYears} 年`
    );
  return `${e.endedOn} 结束`;
}

export function LostMembersPage() {
  const { current } = useAuth();
  const [page, setPage] = useState(1);
  const [state, setState] = useState<'open' | 'closed' | 'suspected'>('open');
  const list = useAsync(
    () =>
      state === 'suspected'
        ? Promise.resolve(null)
        : api.get<Page<LostRecord>>('/lost-members', { orgId: current?.orgId, state, page, pageSize: 20 }),
    [current?.orgId, state, page],
  );
  const today = todayInChina();
  const link = (e: LostRecord) => <Link to={`/members/${e.memberId}?tab=lost`}>{e.name}</Link>;
  return (
    <Card
      title={
        <span>
          <DisconnectOutlined /> 失联党员
        </span>
      }
      extra={
        <Segmented
          value={state}
          onChange={(v) => {
            setState(v as typeof state);
            setPage(1);
          }}
          options={[
            { value: 'open', label: '处理中' },
            { value: 'closed', label: '已结束' },
            { value: 'suspected', label: '疑似失联' },
          ]}
        />
      }
    >
      {state === 'suspected' ? (
        <SuspectedLostList orgId={current?.orgId} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            失去联系 {LOST_CONTACT_RULE.suspendAfterMonths} 个月以上、经查找仍无联系的，可停止党籍；停止党籍{' '}
            {LOST_CONTACT_RULE.removeAfterYears} 年后仍无联系的，予以除名。在党员详情的“失联”页登记和办理。
          </Typography.Paragraph>
          <LoadError error={list.error} onRetry={list.reload} />
          <TableOrList<LostRecord>
            rowKey="id"
            items={list.data?.items ?? []}
            loading={list.loading}
            page={page}
            pageSize={20}
            total={list.data?.total ?? 0}
            onPage={setPage}
            empty={state === 'open' ? '没有失联党员' : '没有已结束的失联登记'}
            columns={[
              { title: '姓名', dataIndex: 'name', width: 100, render: (_, e) => link(e) },
              { title: '所属组织', dataIndex: 'orgName' },
              { title: '状态', width: 130, render: (_, e) => lostTag(e.status) },
              { title: '最后联系', dataIndex: 'lastContactOn', width: 110 },
              { title: '查找', width: 70, render: (_, e) => `${e.searches.length} 次` },
              { title: '停止党籍', dataIndex: 'suspendedOn', width: 110, render: (v: string | null) => v ?? '—' },
              { title: '下一步', width: 170, render: (_, e) => nextStep(e, today) },
            ]}
            renderItem={(e) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <>
                      {link(e)} {lostTag(e.status)}
                    </>
                  }
                  description={
                    <>
                      {e.orgName}
                      <br />
                      最后联系 {e.lastContactOn}，查找 {e.searches.length} 次
                      {e.suspendedOn ? `，${e.suspendedOn} 停止党籍` : ''}
                      <br />
                      {nextStep(e, today)}
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}
