/**
 * 党费公开: the branch's collection, remittance upward, approved usage and balance by month —
 * totals only, no one's personal bills. Readable on a phone (lists, not a wide table).
 */
import { Card, Empty, List, Select, Spin } from 'antd';
import { useState } from 'react';
import { useAsync } from '../../platform/useAsync';
import { Figure, monthText, yuan } from './format';
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
            <Figure label="全年收缴" value={yuan(l.data.totals.collectedFen)} />
            <Figure label="上缴上级" value={yuan(l.data.totals.remittedFen)} />
            <Figure label="党费使用" value={yuan(l.data.totals.usedFen)} />
            <Figure label="结余" value={yuan(l.data.totals.closingFen)} />
          </div>
          <LedgerLines
            title="按月收缴"
            items={l.data.items.filter((i) => i.collectedFen || i.remittedFen || i.usedFen)}
            empty="这一年还没有收缴记录"
            line={(i) => ({
              head: monthText(i.month),
              amount: `收缴 ${yuan(i.collectedFen)}`,
              detail: `上缴 ${yuan(i.remittedFen)} · 使用 ${yuan(i.usedFen)} · 结余 ${yuan(i.balanceFen)}`,
            })}
          />
          <LedgerLines
            title="党费使用（已批准）"
            items={l.data.usages}
            empty="这一年没有使用记录"
            line={(u) => ({ head: u.purpose, amount: yuan(u.amountFen), detail: `${u.spentOn} · ${u.orgName}` })}
          />
          <LedgerLines
            title="上缴记录"
            items={l.data.remittances}
            empty="这一年没有上缴记录"
            line={(r) => ({
              head: `${monthText(r.periodMonth)} 党费`,
              amount: yuan(r.amountFen),
              detail: `${r.remittedOn} 由 ${r.orgName} 上缴${r.toOrgName ? `至 ${r.toOrgName}` : ''}`,
            })}
          />
        </>
      )}
    </div>
  );
}

/** A card of the year's lines, each its head with the amount on the right and a muted line of detail below. */
function LedgerLines<T>({
  title,
  items,
  empty,
  line,
}: {
  title: string;
  items: T[];
  empty: string;
  line: (item: T) => { head: string; amount: string; detail: string };
}) {
  return (
    <Card size="small" title={title} className="xf-dues-card">
      {items.length === 0 ? (
        <Empty description={empty} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <List
          dataSource={items}
          renderItem={(item) => {
            const { head, amount, detail } = line(item);
            return (
              <List.Item>
                <div style={{ width: '100%' }}>
                  <div className="xf-dues-card-head">
                    <span className="xf-dues-list-main">{head}</span>
                    <span>{amount}</span>
                  </div>
                  <div className="xf-dues-muted">{detail}</div>
                </div>
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}
