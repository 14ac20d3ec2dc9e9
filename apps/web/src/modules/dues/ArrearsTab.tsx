/**
 * 欠缴提醒: members behind by at least 1, 3 or 6 months with their level (a notice from 1, a
 * warning from 3, critical at 6 in a row — 党章第九条), the amount owed, and reminders sent
 * to them (one per member a day).
 */
import { BellOutlined, DownloadOutlined } from '@ant-design/icons';
import { ARREARS_CITATION, PHONE_REVEALERS, RECORD_KEEPERS } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Popconfirm, Segmented, Tag } from 'antd';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { Figure, LEVEL_COLORS, LEVEL_LABELS, monthText, yuan, yuanPlain } from './format';
import type { ArrearsItem, ArrearsPage } from './types';
import { PagedTable } from '../../platform/PagedTable';
import { PhoneReveal } from '../member/PhoneReveal';
import { useDuesOrg, useFilters } from './common';
import { useSubmit } from '../../platform/useSubmit';

export function ArrearsTab() {
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  // A link may name the org and the threshold (the 驾驶舱's 欠缴 3 个月以上 opens its org with 3).
  const { orgId, params, banner } = useDuesOrg();
  const manager = can(...RECORD_KEEPERS);
  const { filters, filter, page, pageSize, pagination } = useFilters(
    { minMonths: [1, 3, 6].find((n) => n === Number(params.get('minMonths'))) ?? 1 },
    '人',
  );
  const { minMonths } = filters;
  const { busy: sending, run: runSending } = useSubmit('toast');
  const { busy: exporting, run: runExporting } = useSubmit('toast');
  const list = useAsync(
    () => api.get<ArrearsPage>('/dues/arrears', { orgId, minMonths, page, pageSize }),
    [orgId, minMonths, page, pageSize],
  );
  const s = list.data?.summary;
  const remind = async () => {
    await runSending(async () => {
      const r = await api.post<{ reminded: number }>('/dues/arrears/reminders', { orgId, minMonths });
      message.success(r.reminded ? `已向 ${r.reminded} 名党员发送提醒` : '今天已提醒过这些党员，没有重复发送');
    });
  };
  const exportList = async () => {
    await runExporting(async () => {
      await api.download('/dues/arrears/export', { orgId, minMonths }, 'POST');
    });
  };
  return (
    <>
      {banner}
      <div className="xf-dues-stats xf-dues-stats-wide">
        <Figure label="欠缴 1 个月以上" value={`${s?.notice ?? 0} 人`} />
        <Figure label="3 个月以上（预警）" value={`${s?.warning ?? 0} 人`} className="xf-dues-stat-warning" />
        <Figure label="连续 6 个月" value={`${s?.critical ?? 0} 人`} className="xf-dues-stat-critical" />
        <Figure label="欠缴金额（当前筛选）" value={yuan(list.data?.owedFen ?? 0)} />
      </div>
      {(s?.critical ?? 0) > 0 && (
        <Alert
          type="error"
          showIcon
          className="xf-dues-block"
          message={`${s?.critical} 名党员已连续 6 个月未交党费`}
          description={ARREARS_CITATION}
        />
      )}
      <div className="xf-toolbar">
        <Segmented
          value={minMonths}
          onChange={(v) => filter({ minMonths: Number(v) })}
          options={[
            { value: 1, label: '1 个月以上' },
            { value: 3, label: '3 个月以上' },
            { value: 6, label: '6 个月以上' },
          ]}
        />
        {manager && (
          <Popconfirm
            title={`向欠缴 ${minMonths} 个月以上的 ${list.data?.total ?? 0} 名党员发送提醒？`}
            okText="发送"
            onConfirm={() => void remind()}
            disabled={!list.data?.total}
          >
            <Button icon={<BellOutlined />} loading={sending} disabled={!list.data?.total}>
              发送提醒
            </Button>
          </Popconfirm>
        )}
        <Button
          icon={<DownloadOutlined />}
          loading={exporting}
          disabled={!list.data?.total}
          title={can(...PHONE_REVEALERS) ? '名单含完整手机号，导出会记录在审计日志中' : undefined}
          onClick={() => void exportList()}
        >
          导出名单
        </Button>
        {list.data && <span className="xf-dues-muted">统计至 {monthText(list.data.asOf)}</span>}
      </div>
      <PagedTable<ArrearsItem>
        rowKey="memberId"
        list={list}
        scroll={{ x: 'max-content' }}
        pagination={pagination}
        columns={[
          { title: '姓名', dataIndex: 'memberName', fixed: 'left' },
          {
            title: '联系电话',
            dataIndex: 'phone',
            render: (v: string, r) => (
              <PhoneReveal memberId={r.memberId} name={r.memberName} masked={v} purpose="催缴党费" />
            ),
          },
          { title: '所在组织', dataIndex: 'orgName', responsive: ['md'] },
          { title: '未交月数', dataIndex: 'unpaidMonths', align: 'right' },
          { title: '连续', dataIndex: 'consecutiveMonths', align: 'right', responsive: ['md'] },
          { title: '最早欠缴', dataIndex: 'oldestUnpaidMonth', responsive: ['md'] },
          { title: '欠缴（元）', dataIndex: 'owedFen', align: 'right', render: yuanPlain },
          {
            title: '级别',
            dataIndex: 'level',
            render: (l: ArrearsItem['level']) => <Tag color={LEVEL_COLORS[l]}>{LEVEL_LABELS[l]}</Tag>,
          },
          { title: '说明', dataIndex: 'message', width: 320, responsive: ['md'] },
        ]}
      />
    </>
  );
}
