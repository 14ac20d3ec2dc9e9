/**
 * 组织生活月度达标热力图 on the 驾驶舱: a row per org directly below the one shown (its branches counted), a column per
 * month, each cell the share of branches that held every monthly meeting the rules ask of them. A table, not a
 * canvas: every cell is a link a leader can tab to and a screen reader can read, and it pages like any list. A row
 * drills down — a 党委 or 党总支 opens its own 驾驶舱, a 党支部 its compliance check; a cell opens the month's check.
 */
import type { MeetingsHeatmap as Heatmap } from '@xianfeng/shared';
import { Card, Empty, Pagination, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/** The cell's band: what its colour says, also written in its title for those who do not see colour. */
function band(ok: number, units: number) {
  const r = units > 0 ? ok / units : 0;
  return r >= 0.9 ? 'good' : r >= 0.6 ? 'fair' : 'poor';
}
const BAND_LABEL = { good: '≥ 90%', fair: '60%–90%', poor: '< 60%' } as const;

export function MeetingsHeatmap({ orgId, thisYear }: { orgId: string; thisYear: number }) {
  const [year, setYear] = useState(thisYear);
  const paging = usePaging('个组织', 10);
  const r = useAsync(
    () => api.get<Heatmap>('/stats/meetings-heatmap', { orgId, year, page: paging.page, pageSize: paging.pageSize }),
    [orgId, year, paging.page, paging.pageSize],
  );
  const h = r.data;
  const compliance = (id: string, month?: number) =>
    `/compliance?orgId=${id}&year=${year}${month ? `&grain=month&month=${month}` : ''}`;
  /** A 党支部 (or the org asked for) opens its compliance check; a 党委 or 党总支 its own 驾驶舱, one level down. */
  const rowLink = (row: Heatmap['rows'][number]) =>
    row.orgKind === 'branch' || row.orgId === h?.org.orgId
      ? { to: compliance(row.orgId), title: `${row.orgName}：组织生活合规检查` }
      : { to: `/dashboard?orgId=${row.orgId}`, title: `进入 ${row.orgName} 的驾驶舱（${row.units} 个党支部）` };
  return (
    <Card
      size="small"
      className="xf-dash-card"
      data-testid="dash-heatmap"
      title="组织生活月度达标热力图"
      extra={
        <Select
          aria-label="年份"
          size="small"
          value={year}
          onChange={(y) => {
            paging.setPage(1);
            setYear(y);
          }}
          options={[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y} 年` }))}
        />
      }
    >
      <LoadError error={r.error} onRetry={r.reload} />
      {h && h.rows.length === 0 && (
        <Empty description="本组织下没有受每月会议规定约束的党支部" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
      {h && h.rows.length > 0 && (
        <>
          <div className="xf-heat-scroll">
            <table className="xf-heat">
              <caption className="xf-heat-caption">
                {h.year} 年各组织每月组织生活达标的党支部数（达标数 / 党支部数）
              </caption>
              <thead>
                <tr>
                  <th scope="col">组织</th>
                  {MONTHS.map((m) => (
                    <th scope="col" key={m}>
                      {m}月
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {h.rows.map((row) => (
                  <tr key={row.orgId}>
                    <th scope="row">
                      <Link {...rowLink(row)}>{row.orgName}</Link>
                    </th>
                    {row.ok.map((ok, i) => {
                      const month = i + 1;
                      if (ok === null)
                        return (
                          <td key={month} className="xf-heat-none" aria-label={`${month}月：未到`}>
                            ·
                          </td>
                        );
                      const b = band(ok, row.units);
                      const running = h.runningMonth === month;
                      const label = `${month}月${running ? '（进行中）' : ''}：${ok} / ${row.units} 个党支部达标`;
                      return (
                        <td key={month} className={`xf-heat-${running ? 'running' : b}`}>
                          <Link to={compliance(row.orgId, month)} title={label} aria-label={label}>
                            {row.units === 1 ? (ok === 1 ? '✓' : '✗') : `${Math.round((ok / row.units) * 100)}`}
                          </Link>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {h.total > paging.pageSize && (
            <Pagination size="small" simple style={{ marginTop: 8 }} {...paging.pagination(h.total)} />
          )}
          <Space wrap size={[12, 4]} className="xf-heat-legend" aria-hidden>
            {(['good', 'fair', 'poor'] as const).map((b) => (
              <span key={b}>
                <i className={`xf-heat-${b}`} /> {BAND_LABEL[b]}
              </span>
            ))}
            <span>
              <i className="xf-heat-running" /> 本月进行中
            </span>
          </Space>
          <Typography.Text type="secondary" className="xf-dash-note">
            每格为该月开展了全部每月规定会议（{h.rules.map((x) => x.label).join('、')}
            ）的党支部占比（%，只有一个党支部时为 ✓ / ✗）；点组织名称逐级查看下级组织，点格子查看该月的合规检查。依据：
            {[...new Set(h.rules.map((x) => x.citation))].join('；')}
          </Typography.Text>
        </>
      )}
    </Card>
  );
}
