/**
 * 困难帮扶 年度复核汇总 (the keepers' second tab of the 困难帮扶 page, desktop and phone): for the chosen org subtree and
 * Beijing year, the cases on record by level and status, opened / reviewed / closed in the year, the visits and the
 * help given, and the open cases not reviewed that year — a paged list (a table on a desktop, cards on a phone) whose
 * rows open the case. Names, levels and dates only: no situation or visit text.
 */
import {
  fenToYuan,
  HARDSHIP_REVIEW_RULE,
  todayInChina,
  type HardshipNotReviewed,
  type HardshipSummary,
} from '@xianfeng/shared';
import { Alert, List, Select, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { TableOrList } from '../../platform/TableOrList';
import { useAsync } from '../../platform/useAsync';
import { LevelTag } from './HardshipLevelTag';

const PAGE_SIZE = 20;

const Figure = ({ label, value, sub }: { label: string; value: string | number; sub?: string }) => (
  <div>
    <Statistic title={label} value={value} />
    {sub && <div className="xf-hardship-figure-sub">{sub}</div>}
  </div>
);

/** `changes`: a counter the page bumps after a change in the case drawer (the figures are fetched again). */
export function HardshipSummaryPanel({
  orgId,
  changes,
  onOpen,
}: {
  orgId?: string;
  changes: number;
  onOpen: (caseId: string) => void;
}) {
  const thisYear = Number(todayInChina().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [page, setPage] = useState(1);
  const s = useAsync(
    () => api.get<HardshipSummary>('/hardship/summary', { orgId, year, page, pageSize: PAGE_SIZE }),
    [orgId, year, page, changes],
  );
  const d = s.data;
  const name = (c: HardshipNotReviewed) => <a onClick={() => onOpen(c.caseId)}>{c.memberName}</a>;
  const lastReview = (c: HardshipNotReviewed) => c.lastReviewOn ?? '从未复核';
  const lastVisit = (c: HardshipNotReviewed) => c.lastVisitOn ?? '尚未走访';
  return (
    <div className="xf-hardship-summary">
      <div className="xf-toolbar">
        <Select
          aria-label="年度"
          value={year}
          style={{ width: 120 }}
          onChange={(y) => {
            setYear(y);
            setPage(1);
          }}
          options={[0, 1, 2, 3, 4].map((n) => ({ value: thisYear - n, label: `${thisYear - n} 年` }))}
        />
        <Typography.Text type="secondary">
          {HARDSHIP_REVIEW_RULE.rule}（依据：{HARDSHIP_REVIEW_RULE.citation}）
        </Typography.Text>
      </div>
      <LoadError error={s.error} onRetry={s.reload} />
      {d && (
        <>
          <div className="xf-stat-grid xf-hardship-figures">
            <Figure label="在档（户）" value={d.cases} sub={`帮扶中 ${d.open} · 已结案 ${d.closed}`} />
            <Figure label="本年新建（户）" value={d.opened} />
            <Figure label="本年已复核（户）" value={d.reviewed} sub={`其中结案 ${d.closedInYear}`} />
            <Figure label="本年未复核（户）" value={d.notReviewed.total} />
            <Figure label="走访（次）" value={d.visits} sub={`走访 ${d.membersVisited} 人`} />
            <Figure
              label="帮扶金额（元）"
              value={fenToYuan(d.amountFen)}
              sub={`有金额的走访 ${d.visitsWithMoney} 次`}
            />
          </div>
          <Table
            className="xf-hardship-levels"
            rowKey="level"
            size="small"
            pagination={false}
            dataSource={d.byLevel}
            columns={[
              { title: '困难程度', render: (_, l) => <LevelTag level={l.level} /> },
              { title: '帮扶中（户）', dataIndex: 'open', align: 'right' },
              { title: '已结案（户）', dataIndex: 'closed', align: 'right' },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {d.year} 年未复核的档案
          </Typography.Title>
          {d.notReviewed.total > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 8 }}
              message={`还有 ${d.notReviewed.total} 户在帮扶中的档案 ${d.year} 年没有复核：打开档案，在下方「复核」中核实情况、调整困难程度或结案`}
            />
          )}
          <TableOrList<HardshipNotReviewed>
            rowKey="caseId"
            items={d.notReviewed.items}
            loading={s.loading}
            page={page}
            pageSize={PAGE_SIZE}
            total={d.notReviewed.total}
            onPage={setPage}
            empty={`${d.year} 年在帮扶中的档案都已复核`}
            columns={[
              { title: '党员', render: (_, c) => name(c) },
              { title: '组织', dataIndex: 'orgName' },
              { title: '困难程度', render: (_, c) => <LevelTag level={c.level} /> },
              { title: '建档', dataIndex: 'openedOn' },
              { title: '上次复核', render: (_, c) => lastReview(c) },
              { title: '最近走访', render: (_, c) => lastVisit(c) },
            ]}
            renderItem={(c) => (
              <List.Item extra={<LevelTag level={c.level} />}>
                <List.Item.Meta
                  title={name(c)}
                  description={
                    <>
                      {c.orgName}
                      <br />
                      建档 {c.openedOn} · 上次复核 {lastReview(c)} · 最近走访 {lastVisit(c)}
                    </>
                  }
                />
              </List.Item>
            )}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {d.note}
          </Typography.Paragraph>
        </>
      )}
    </div>
  );
}
