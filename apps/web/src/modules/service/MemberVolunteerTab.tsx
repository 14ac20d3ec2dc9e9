/** The member-detail tab 志愿服务: the member's hours and records, newest first. */
import { hoursOf, type Member, type VolunteerHours } from '@xianfeng/shared';
import { Space, Statistic, Table } from 'antd';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { dateTime, hoursText, StateTag, when } from './labels';

export function MemberVolunteerTab({ m }: { m: Member }) {
  const { page, pageSize, pagination } = usePaging('条');
  const hours = useAsync(
    () => api.get<VolunteerHours>(`/volunteer-members/${m.id}/hours`, { page, pageSize }),
    [m.id, page, pageSize],
  );
  const h = hours.data;
  return (
    <div className="xf-vol-tab">
      <LoadError error={hours.error} onRetry={hours.reload} />
      <Space size={48} style={{ marginBottom: 12 }}>
        <Statistic title="累计志愿服务（小时）" value={h ? hoursOf(h.totalMinutes) : '—'} />
        <Statistic title="今年（小时）" value={h ? hoursOf(h.yearMinutes) : '—'} />
        <Statistic title="参加活动（次）" value={h?.activities ?? '—'} />
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={hours.loading}
        dataSource={h?.items ?? []}
        pagination={pagination(h?.total ?? 0)}
        scroll={{ x: 720 }}
        columns={[
          { title: '活动', dataIndex: 'activityTitle' },
          { title: '时间', render: (_, s) => when(s) },
          { title: '状态', render: (_, s) => <StateTag state={s.state} /> },
          { title: '签到', render: (_, s) => dateTime(s.checkedInAt) },
          { title: '签退', render: (_, s) => dateTime(s.checkedOutAt) },
          {
            title: '时长',
            render: (_, s) => hoursText(s.minutes),
            onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
          },
          { title: '更正', render: (_, s) => (s.correctionReason ? `${s.correctedBy}：${s.correctionReason}` : '') },
        ]}
      />
    </div>
  );
}
