/**
 * 党费公开: the branch's collection, remittance upward, approved usage and balance by month —
 * totals only, no one's personal bills. Readable on a phone (lists, not a wide table).
 */
import { Card, Empty, List, Select, Spin } from 'antd';
import { useState } from 'react';
import { useAsync } from '../../platform/useAsync';
import { monthText, yuan } from './format';
import type { PublicLedger } from './types';
import { LoadError } from '../../platform/LoadError';

export function PublicLedgerView({
  load,
  initialYear,
}: {
  load: (year: number) => Promise<PublicLedger>;
  initialYear: number;
}) {
  const [year, setYear] = useState(initialYear);
  const l = useAsync(() => load(year), [year]);
  const years = [initialYear, initialYear - 1, initialYear - 2];
  return (
    <div className="xf-dues-public">
      <div className="xf-toolbar">
        <Select
          aria-label="年份"
          size="large"
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ value: y, label: `${y} 年` }))}
          style={{ width: 130 }}
        />
        {l.data && <span className="xf-dues-muted">{l.data.org.name}</span>}
      </div>
      <LoadError error={l.error} onRetry={l.reload} />
      {!l.data && !l.error && <Spin className="xf-dues-spin" />}
      {l.data && (
        <>
          <div className="xf-dues-stats">
            <div>
              <span>全年收缴</span>
              <strong>{yuan(l.data.totals.collectedFen)}</strong>
            </div>
            <div>
              <span>上缴上级</span>
              <strong>{yuan(l.data.totals.remittedFen)}</strong>
            </div>
            <div>
              <span>党费使用</span>
              <strong>{yuan(l.data.totals.usedFen)}</strong>
            </div>
            <div>
              <span>结余</span>
              <strong>{yuan(l.data.totals.closingFen)}</strong>
            </div>
          </div>
          <Card size="small" title="按月收缴" className="xf-dues-card">
            <List
              dataSource={l.data.items.filter((i) => i.collectedFen || i.remittedFen || i.usedFen)}
              locale={{ emptyText: '这一年还没有收缴记录' }}
              renderItem={(i) => (
                <List.Item>
                  <div style={{ width: '100%' }}>
                    <div className="xf-dues-card-head">
                      <span className="xf-dues-list-main">{monthText(i.month)}</span>
                      <span>收缴 {yuan(i.collectedFen)}</span>
                    </div>
                    <div className="xf-dues-muted">
                      上缴 {yuan(i.remittedFen)} · 使用 {yuan(i.usedFen)} · 结余 {yuan(i.balanceFen)}
                    </div>
                  </div>
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title="党费使用（已批准）" className="xf-dues-card">
            {l.data.usages.length === 0 ? (
              <Empty description="这一年没有使用记录" image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <List
                dataSource={l.data.usages}
                renderItem={(u) => (
                  <List.Item>
                    <div style={{ width: '100%' }}>
                      <div className="xf-dues-card-head">
                        <span className="xf-dues-list-main">{u.purpose}</span>
                        <span>{yuan(u.amountFen)}</span>
                      </div>
                      <div className="xf-dues-muted">
                        {u.spentOn} · {u.orgName}
                      </div>
                    </div>
                  </List.Item>
                )}
              />
            )}
          </Card>
          <Card size="small" title="上缴记录" className="xf-dues-card">
            {l.data.remittances.length === 0 ? (
              <Empty description="这一年没有上缴记录" image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <List
                dataSource={l.data.remittances}
                renderItem={(r) => (
                  <List.Item>
                    <div style={{ width: '100%' }}>
                      <div className="xf-dues-card-head">
                        <span className="xf-dues-list-main">{monthText(r.periodMonth)} 党费</span>
                        <span>{yuan(r.amountFen)}</span>
                      </div>
                      <div className="xf-dues-muted">
                        {r.remittedOn} 由 {r.orgName} 上缴{r.toOrgName ? `至 ${r.toOrgName}` : ''}
                      </div>
                    </div>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </>
      )}
    </div>
  );
}
