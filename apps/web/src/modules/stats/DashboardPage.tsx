/**
 * 驾驶舱: the subtree's real state for those who oversee it — members, 发展党员, 组织生活,
 * 党费, warnings that link to the page that fixes them, and the last 12 months. Every figure
 * carries what it counts and opens the list behind it (a card's number, a chart's bar, slice or point); the
 * header shows 统计时间. The org is kept in the address (?orgId=): the 下级组织对比 chart and the heatmap drill down
 * from the group to a company to a branch, the trail and the browser's back button lead back up.
 */
import { FullscreenExitOutlined, FullscreenOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  AGE_BANDS,
  DEVELOP_STATUS_LABELS,
  DEVELOP_STATUSES,
  EDUCATIONS,
  RECORD_KEEPERS,
  fenToYuan,
  hoursOf,
  type Dashboard,
} from '@xianfeng/shared';
import { Breadcrumb, Button, Card, Col, Empty, List, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { CountChart } from '../org/Chart';
import { OrgPicker } from '../org/OrgPicker';
import { ChildrenChart } from './ChildrenChart';
import { MeetingsHeatmap } from './MeetingsHeatmap';
import { TrendChart } from './TrendChart';
import { LoadError } from '../../platform/LoadError';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
/** The thought module's rates are in % (as on its own page). */
const fraction = (percent: number | null) => (percent === null ? null : percent / 100);
const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** A chart or list panel with, under it, what exactly it counts. */
function Panel({ title, note, children }: { title: string; note?: string; children: ReactNode }) {
  return (
    <Card size="small" title={title} className="xf-dash-card">
      {children}
      {note && (
        <Typography.Text type="secondary" className="xf-dash-note">
          {note}
        </Typography.Text>
      )}
    </Card>
  );
}

/** A figure with its name and, under it, what exactly it counts. */
function Figure({
  title,
  value,
  suffix,
  note,
  testId,
  link,
  children,
}: {
  title: string;
  value: ReactNode;
  suffix?: string;
  note: string;
  testId: string;
  /** The list behind the figure. */
  link?: string;
  children?: ReactNode;
}) {
  const stat = <Statistic title={title} value={value as string} suffix={suffix} />;
  return (
    <Card size="small" className="xf-dash-figure" data-testid={testId}>
      {link ? (
        <Link to={link} className="xf-dash-link" data-testid={`${testId}-link`}>
          {stat}
        </Link>
      ) : (
        stat
      )}
      {children}
      <Typography.Text type="secondary" className="xf-dash-note">
        {note}
      </Typography.Text>
    </Card>
  );
}

/**
 * Two figures side by side — the last complete period and the one in progress, or two counts of one
 * list — with, under them, what they count: on the first day of a month the month in progress is near
 * zero, so the last complete one is what tells a leader how things stand. A figure with a `link`
 * opens the list behind it.
 */
function PairFigure({
  title,
  done,
  running,
  note,
  testId,
}: {
  title: string;
  done: { label: string; value: string; link?: string };
  running: { label: string; value: string; link?: string };
  note: string;
  testId: string;
}) {
  return (
    <Card size="small" className="xf-dash-figure xf-dash-figure-pair" data-testid={testId} title={title}>
      <div className="xf-dash-pair">
        {[
          { ...done, id: `${testId}-done` },
          { ...running, id: `${testId}-running` },
        ].map((f) =>
          f.link ? (
            <Link key={f.id} to={f.link} className="xf-dash-link" data-testid={f.id}>
              <Statistic title={f.label} value={f.value} />
            </Link>
          ) : (
            <Statistic key={f.id} title={f.label} value={f.value} data-testid={f.id} />
          ),
        )}
      </div>
      <Typography.Text type="secondary" className="xf-dash-note">
        {note}
      </Typography.Text>
    </Card>
  );
}

/** The month's unpaid bills of the org's subtree: the list behind a collection rate. */
const unpaidBills = (orgId: string, month: string) => `/dues?tab=bills&orgId=${orgId}&month=${month}&status=unpaid`;

const monthLabel = (m: string) => `${Number(m.slice(0, 4))} 年 ${Number(m.slice(5, 7))} 月`;

function ordered(counts: Record<string, number>, order: readonly string[], labels: Record<string, string> = {}) {
  const keys = [...order.filter((k) => k in counts), ...Object.keys(counts).filter((k) => !order.includes(k))];
  return keys.map((k) => ({ name: labels[k] ?? k, value: counts[k] ?? 0 }));
}

/** How often the big-screen mode counts again (the parts come from the result cache, so this is cheap). */
const BIG_SCREEN_REFRESH_MS = 5 * 60_000;

/**
 * 全屏 for a big screen: the browser's Fullscreen API on the page's own element where it is allowed, and in any
 * case the big-screen layout (`xf-dash-big`: the page over the whole window, larger figures) — so a browser or
 * kiosk without the API (or one that refuses it) still shows the big layout. `?screen=big` opens in it.
 * Leaving the browser's full screen (Esc) leaves the layout too; in the layout alone Esc leaves it.
 */
function useBigScreen(initial: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  const [big, setBig] = useState(initial);
  useEffect(() => {
    if (!big) return;
    // The page behind does not scroll while the big screen covers it.
    document.documentElement.classList.add('xf-big-screen');
    const onChange = () => {
      if (!document.fullscreenElement) setBig(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.fullscreenElement) setBig(false);
    };
    document.addEventListener('fullscreenchange', onChange);
    document.addEventListener('keydown', onKey);
    return () => {
      document.documentElement.classList.remove('xf-big-screen');
      document.removeEventListener('fullscreenchange', onChange);
      document.removeEventListener('keydown', onKey);
    };
  }, [big]);
  const enter = () => {
    setBig(true);
    const el = ref.current;
    if (document.fullscreenEnabled && el?.requestFullscreen)
      // Refused (no permission, an iframe): the big-screen layout alone.
      el.requestFullscreen().catch(() => undefined);
  };
  const leave = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    setBig(false);
  };
  return { ref, big, enter, leave };
}

export function DashboardPage() {
  const { current, me } = useAuth();
  const large = Boolean(me?.prefs.largeFont);
  const [params, setParams] = useSearchParams();
  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const r = useAsync(() => api.get<Dashboard>('/dashboard', { orgId }), [orgId]);
  const d = r.data;
  const screen = useBigScreen(params.get('screen') === 'big');
  const reload = useRef(r.reload);
  reload.current = r.reload;
  useEffect(() => {
    if (!screen.big) return;
    const t = setInterval(() => void reload.current(), BIG_SCREEN_REFRESH_MS);
    return () => clearInterval(t);
  }, [screen.big]);
  return (
    <div ref={screen.ref} className={`xf-dash${screen.big ? ' xf-dash-big' : ''}`} data-testid="dash-page">
      <Card
        className="xf-dash-head"
        title={`驾驶舱${d ? ` · ${d.org.orgName}` : ''}`}
        extra={
          <Space wrap size={8}>
            <Button icon={<ReloadOutlined />} onClick={() => void r.reload()} loading={r.loading} aria-label="刷新">
              刷新
            </Button>
            {screen.big ? (
              <Button icon={<FullscreenExitOutlined />} onClick={screen.leave}>
                退出全屏
              </Button>
            ) : (
              <Button icon={<FullscreenOutlined />} onClick={screen.enter}>
                全屏
              </Button>
            )}
          </Space>
        }
      >
        <Space wrap size={[16, 8]} className="xf-dash-toolbar">
          {/* On the big screen the org stays as the address has it: the picker's dropdown would open outside the
              fullscreen element. */}
          {!screen.big && (
            <span className="xf-dash-org">
              <label htmlFor="xf-dash-org">统计范围（组织）：</label>
              <OrgPicker
                value={orgId}
                onChange={(id) => id && setParams({ orgId: id }, { replace: true })}
                style={{ minWidth: 220, maxWidth: '100%' }}
                id="xf-dash-org"
              />
            </span>
          )}
          {d && d.trail.length > 0 && (
            <Breadcrumb
              data-testid="dash-trail"
              items={[
                ...d.trail.map((o) => ({
                  key: o.orgId,
                  title: <Link to={`/dashboard?orgId=${o.orgId}`}>{o.orgName}</Link>,
                })),
                { key: d.org.orgId, title: d.org.orgName },
              ]}
            />
          )}
          {d && (
            <Typography.Text type="secondary" data-testid="dash-asof">
              统计时间：{when(d.asOf)}（本组织及全部下级组织）
            </Typography.Text>
          )}
        </Space>
      </Card>
      <LoadError error={r.error} onRetry={r.reload} />
      {!d && !r.error && <Card loading />}
      {d && <Body d={d} large={large} />}
    </div>
  );
}

function Body({ d, large }: { d: Dashboard; large: boolean }) {
  const stagesNow = DEVELOP_STATUSES.filter((s) => s !== 'full');
  // The learning list behind the figure is the 管理 tab, which only record keepers have (not the 审计员).
  const { can } = useAuth();
  const navigate = useNavigate();
  const org = d.org.orgId;
  const ageKeys = AGE_BANDS.map((b) => b.key).filter((k) => k in d.members.byAgeBand);
  const educations = ordered(d.members.byEducation, [...EDUCATIONS, '未填']);
  return (
    <>
      <div className="xf-dash-grid">
        <Figure
          testId="dash-members"
          title="党员总数"
          value={d.members.total}
          suffix="人"
          link={`/members?orgId=${d.org.orgId}&suspended=false`}
          note={`正式党员 ${d.members.full} 人，预备党员 ${d.members.probationary} 人。${d.members.note}，不含停止党籍的`}
        />
        <Figure
          testId="dash-develop"
          title="发展党员在培养"
          value={d.develop.open}
          suffix="人"
          link={`/develop?orgId=${d.org.orgId}`}
          note={`${stagesNow.map((s) => `${DEVELOP_STATUS_LABELS[s]} ${d.develop.counts[s]}`).join('，')}；今年已接收预备党员 ${d.develop.admittedThisYear} 人。${d.develop.note}`}
        />
        <PairFigure
          testId="dash-meetings"
          title="组织生活达标率"
          done={{
            label: `${d.meetings.year} 年截至 ${monthLabel(d.meetings.through)}底`,
            value: pct(d.meetings.onTrackRate),
            link: `/compliance?orgId=${d.org.orgId}`,
          }}
          running={{
            label: `${monthLabel(d.meetings.current.month)}（进行中）已开展`,
            value: pct(d.meetings.current.rate),
            link: `/compliance?orgId=${d.org.orgId}&grain=month`,
          }}
          note={`${d.meetings.onTrack} / ${d.meetings.units} 个党支部达标；本月已开展 ${d.meetings.current.done} / ${d.meetings.current.units}。${d.meetings.note}。${d.meetings.current.note}`}
        />
        <PairFigure
          testId="dash-dues"
          title="党费收缴率"
          done={{
            label: `${monthLabel(d.dues.lastMonth.month)}（上月）`,
            value: pct(d.dues.lastMonth.collectionRate),
            link: unpaidBills(d.org.orgId, d.dues.lastMonth.month),
          }}
          running={{
            label: `${monthLabel(d.dues.month)}（进行中）`,
            value: pct(d.dues.collectionRate),
            link: unpaidBills(d.org.orgId, d.dues.month),
          }}
          note={`上月应缴 ${fenToYuan(d.dues.lastMonth.billedFen)} 元（${d.dues.lastMonth.bills} 笔），已缴 ${fenToYuan(d.dues.lastMonth.paidFen)} 元（${d.dues.lastMonth.paidBills} 笔）；本月应缴 ${fenToYuan(d.dues.billedFen)} 元（${d.dues.bills} 笔），已缴 ${fenToYuan(d.dues.paidFen)} 元（${d.dues.paidBills} 笔）。${d.dues.note}`}
        />
        <Figure
          testId="dash-arrears"
          title="欠缴党费 3 个月以上"
          value={d.dues.arrears3Members}
          suffix="人"
          link={`/dues?tab=arrears&orgId=${d.org.orgId}&minMonths=3`}
          note={`有欠缴的党员共 ${d.dues.arrearsMembers} 人；3 个月以上须支部书记谈话提醒（按本月之前的未缴账单计）`}
        />
        <Figure
          testId="dash-volunteer"
          title={`${d.volunteer.year} 年志愿服务时长`}
          value={hoursOf(d.volunteer.minutes)}
          suffix="小时"
          link={`/volunteer?tab=rollup&org=${d.org.orgId}`}
          note={`服务党员 ${d.volunteer.members} 人，活动 ${d.volunteer.activities} 次。${d.volunteer.note}`}
        />
        <Figure
          testId="dash-learning"
          title={`${monthLabel(d.learning.month)}学习参与率`}
          value={pct(d.learning.rate)}
          link={can(...RECORD_KEEPERS) ? `/learn?tab=manage&orgId=${d.org.orgId}&learned=no` : undefined}
          note={`本月参加学习的党员 ${d.learning.learners} / ${d.learning.members} 人；未到期的必修内容 ${d.learning.requiredOpen} 项。${d.learning.note}`}
        />
        <Figure
          testId="dash-voice"
          title={`${d.voice.year} 年意见建议按时答复率`}
          value={pct(d.voice.onTimeRate)}
          link={`/voice/manage?tab=opinions&org=${d.org.orgId}`}
          note={`收到 ${d.voice.received} 条，应答复 ${d.voice.due} 条，按时答复 ${d.voice.answeredOnTime} 条；逾期未答复 ${d.voice.overdueOpen} 条；答复满意度 ${
            d.voice.averageRating === null ? '—' : `${d.voice.averageRating} / 5（${d.voice.rated} 人）`
          }${
            d.voice.latestSatisfaction
              ? `；最近测评「${d.voice.latestSatisfaction.title}」${d.voice.latestSatisfaction.score ?? '—'} 分`
              : ''
          }。${d.voice.note}${d.voice.confirmed ? '' : '；答复期限为地方/企业规定，依据未核实'}。`}
        />
        <PairFigure
          testId="dash-rectify"
          title="整改落实"
          done={{
            label: '未销号',
            value: `${d.supervise.open} 项`,
            link: `/supervise/rectify?tab=ledger&org=${d.org.orgId}`,
          }}
          running={{
            label: `截至 ${d.supervise.today} 已逾期`,
            value: `${d.supervise.overdue} 项`,
            link: `/supervise/rectify?tab=ledger&org=${d.org.orgId}&status=overdue`,
          }}
          note={`待验收 ${d.supervise.pendingCheck} 项；已销号 ${d.supervise.closed} / ${d.supervise.total} 项（销号率 ${
            d.supervise.closureRate === null ? '—' : `${d.supervise.closureRate}%`
          }）。${d.supervise.note}。`}
        />
        <PairFigure
          testId="dash-thought"
          title="思想汇报"
          done={{
            label: `截至 ${d.thought.lastQuarter.asOf}（上季度末）已交`,
            value: pct(fraction(d.thought.lastQuarter.rate)),
            link: `/thought/manage?tab=overview&org=${d.org.orgId}`,
          }}
          running={{
            label: '本期（进行中）已交',
            value: pct(fraction(d.thought.current.rate)),
            link: `/thought/manage?tab=overdue&org=${d.org.orgId}`,
          }}
          note={`本期应交 ${d.thought.current.expected} 人，已交 ${d.thought.current.submitted} 人；上季度末应交 ${d.thought.lastQuarter.expected} 人，已交 ${d.thought.lastQuarter.submitted} 人。${d.thought.note}。`}
        />
        <AssessFigure d={d} />
      </div>

      <Card size="small" title={`预警（${d.warnings.length} 类）`} className="xf-dash-card" data-testid="dash-warnings">
        {d.warnings.length === 0 ? (
          <Empty description="没有预警事项" image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <List
            dataSource={d.warnings}
            renderItem={(w) => (
              <List.Item key={w.kind} className="xf-dash-warning">
                <div style={{ minWidth: 0, width: '100%' }}>
                  <Space wrap>
                    <Tag color={w.level === 'critical' ? 'red' : 'orange'}>
                      {w.level === 'critical' ? '严重' : '提醒'}
                    </Tag>
                    <Link to={w.link}>{w.message}</Link>
                  </Space>
                  {w.orgs.length > 0 && (
                    <ul className="xf-dash-sub">
                      {w.orgs.map((o) => (
                        <li key={`${o.orgId}-${o.link}`}>
                          <Link to={o.link}>{o.orgName}</Link>
                          <Typography.Text type="secondary">：{o.detail}</Typography.Text>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </List.Item>
            )}
          />
        )}
      </Card>

      <Row gutter={[12, 12]}>
        <Col xs={24}>
          <ChildrenChart key={org} orgId={org} large={large} />
        </Col>
        <Col xs={24}>
          <Panel title="近 12 个月趋势" note={`${d.trend.note}。点柱子看该月的会议，点折线上的点看该月已缴的党费账单`}>
            <TrendChart
              months={d.trend.months}
              meetings={d.trend.meetingsHeld}
              duesFen={d.trend.duesCollectedFen}
              onPick={(what, month) =>
                navigate(
                  what === 'meetings'
                    ? `/meetings?orgId=${org}&year=${Number(month.slice(0, 4))}&month=${Number(month.slice(5, 7))}`
                    : `/dues?tab=bills&orgId=${org}&month=${month}&status=paid`,
                )
              }
            />
          </Panel>
        </Col>
        <Col xs={24}>
          <MeetingsHeatmap orgId={d.org.orgId} thisYear={Number(d.today.slice(0, 4))} />
        </Col>
        <Col xs={24} md={12}>
          <Panel title="发展党员各阶段人数" note={`${d.develop.note}。点柱子看这一阶段的名单`}>
            <CountChart
              title=""
              type="bar"
              large={large}
              label="发展党员各阶段人数柱状图，点柱子看这一阶段的名单"
              testId="dash-develop-chart"
              data={stagesNow.map((s) => ({ name: DEVELOP_STATUS_LABELS[s], value: d.develop.counts[s] }))}
              onPick={(i) => navigate(`/develop?orgId=${org}&tab=people&status=${stagesNow[i]}`)}
            />
          </Panel>
        </Col>
        <Col xs={24} md={12}>
          <Panel title="组织生活落后最多的党支部" note={d.meetings.note}>
            {d.meetings.worst.length === 0 ? (
              <Empty description="各党支部均已达标" image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <List
                size="small"
                dataSource={d.meetings.worst}
                renderItem={(o) => (
                  <List.Item key={o.orgId} extra={<Tag color="orange">{o.behind} 项未达标</Tag>}>
                    <Link to={`/compliance?orgId=${o.orgId}`}>{o.orgName}</Link>
                  </List.Item>
                )}
              />
            )}
          </Panel>
        </Col>
        <Col xs={24} md={12}>
          <Panel title="党员年龄结构" note="点柱子看这个年龄段的党员名单">
            <CountChart
              title=""
              type="bar"
              large={large}
              label="党员年龄结构柱状图，点柱子看这个年龄段的党员名单"
              testId="dash-age-chart"
              data={ordered(
                d.members.byAgeBand,
                AGE_BANDS.map((b) => b.key),
                { '≤30': '30岁及以下', '≥61': '61岁及以上' },
              )}
              onPick={(i) => {
                const band = ageKeys[i];
                navigate(
                  band
                    ? `/members?orgId=${org}&suspended=false&ageBand=${encodeURIComponent(band)}`
                    : `/members?orgId=${org}&suspended=false`,
                );
              }}
            />
          </Panel>
        </Col>
        <Col xs={24} md={12}>
          <Panel title="党员学历结构" note="点扇区看这一学历的党员名单">
            <CountChart
              title=""
              type="pie"
              large={large}
              label="党员学历结构饼图，点扇区看这一学历的党员名单"
              testId="dash-education-chart"
              data={educations}
              onPick={(i) => {
                const e = educations[i]?.name;
                navigate(
                  e && (EDUCATIONS as readonly string[]).includes(e)
                    ? `/members?orgId=${org}&suspended=false&education=${encodeURIComponent(e)}`
                    : `/members?orgId=${org}&suspended=false`,
                );
              }}
            />
          </Panel>
        </Col>
      </Row>
    </>
  );
}

/** 考核: the latest published plan's results in the subtree — average, bands, the best with their rank. */
function AssessFigure({ d }: { d: Dashboard }) {
  const a = d.assess;
  if (!a.plan)
    return (
      <Figure
        testId="dash-assess"
        title="考核结果"
        value="—"
        link="/assess"
        note={`本组织及下级组织尚无已公布结果的考核。${a.note}。`}
      />
    );
  return (
    <Figure
      testId="dash-assess"
      title={`考核平均分 · ${a.plan.title}`}
      value={a.average === null ? '—' : a.average}
      suffix="分"
      link={`/assess?plan=${a.plan.planId}`}
      note={`${a.plan.orgName} ${a.plan.periodLabel}；本范围被考核党支部 ${a.units} 个，最高 ${a.highest ?? '—'} 分，最低 ${
        a.lowest ?? '—'
      } 分。${a.note}。`}
    >
      <div className="xf-dash-bands" data-testid="dash-assess-bands">
        {a.bands.map((b) => (
          <Tag key={b.key}>
            {b.label} {b.count}
          </Tag>
        ))}
      </div>
      {a.top.length > 0 && (
        <ol className="xf-dash-sub" data-testid="dash-assess-top">
          {a.top.slice(0, 3).map((u) => (
            <li key={u.unitId}>
              <Link to={`/assess?plan=${a.plan!.planId}&unit=${u.unitId}`}>{u.orgName}</Link>
              <Typography.Text type="secondary">
                ：{u.total} 分{u.rank !== null && u.peers !== null ? `（同级第 ${u.rank} / ${u.peers}）` : ''}
              </Typography.Text>
            </li>
          ))}
        </ol>
      )}
    </Figure>
  );
}
