/**
 * The member's home (issue 24), the first page a member sees on a phone: 「现在要办」 first — meetings to confirm or
 * sign in to, 补学, dues to pay, 必读 notices, required courses and exams, the 思想汇报 of this period, open surveys
 * and votes — each one tap from here into the page where it is done; then the branch's news; then the member's own
 * records (meetings attended this year, dues paid, learning points, volunteer hours) under the 党员档案 line.
 *
 * Read from the modules' own "mine" routes side by side (each already answers for the signed-in person only and is
 * kept for offline reading by platform/offline.ts); a source that fails leaves the others standing. All of them,
 * and the news, letters and 流动党员 cards' reads, come in one round trip: `GET /me/home` answers the list in
 * packages/shared home.ts, asked by HomePage before any card renders (api.readTogether); a card's own request takes
 * its answer.
 */
import {
  BookOutlined,
  CalendarOutlined,
  CheckCircleOutlined,
  EditOutlined,
  FormOutlined,
  NotificationOutlined,
  QrcodeOutlined,
  RightOutlined,
  TrophyOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import {
  now,
  todayInChina,
  type ArticleBrief,
  type Attendance,
  type LearnTodo,
  type MediaTodo,
  type Meeting,
  type Member,
  type MyPoints,
  type Survey,
  type ThoughtMe,
  type Vote,
  type VolunteerHours,
} from '@xianfeng/shared';
import { Alert, Button, Card, Skeleton } from 'antd';
import dayjs from 'dayjs';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { warmCheckinPage } from '../meeting/warm';

type Invitation = Attendance & { meeting: Meeting };
type InvitationPage = Page<Invitation> & { summary: { attended: number; invited: number } };
type DuesTodo = { kind: string; level: 'info' | 'warning' | 'critical'; count: number; message: string };

/** One thing that needs the member now: where one tap takes them, and the word on the button. */
export type NowItem = {
  key: string;
  icon: ReactNode;
  title: string;
  detail?: string;
  to: string;
  action: string;
  /** Lower first: what is overdue or happening now, then the rest in the order of the list above. */
  rank: number;
};

/** 签到 opens 30 minutes before the start (meeting/signin.ts) and lasts to the end. */
const SIGN_IN_LEAD_MS = 30 * 60_000;

function meetingItems(upcoming: Invitation[], makeup: Invitation[]): NowItem[] {
  const t = now().getTime();
  const out: NowItem[] = [];
  for (const inv of upcoming) {
    const m = inv.meeting;
    const at = dayjs(m.startsAt).format('M月D日 HH:mm');
    const open = t >= new Date(m.startsAt).getTime() - SIGN_IN_LEAD_MS && t <= new Date(m.endsAt).getTime();
    if (open && !inv.checkedInAt && inv.response !== 'leave')
      out.push(
        m.mode === 'online'
          ? {
              key: `room-${inv.id}`,
              icon: <QrcodeOutlined />,
              title: `正在进行：${m.title}`,
              detail: '线上参会，输入主持人宣读的签到码签到',
              to: `/my/meeting-room/${m.id}`,
              action: '线上参会',
              rank: 0,
            }
          : {
              key: `signin-${inv.id}`,
              icon: <QrcodeOutlined />,
              title: `正在签到：${m.title}`,
              detail: `${at} · ${m.location} · 到会场后扫描屏幕上的二维码签到`,
              to: `/my/meetings?meeting=${m.id}`,
              action: '去签到',
              rank: 0,
            },
      );
    else if (inv.response === 'pending')
      out.push({
        key: `confirm-${inv.id}`,
        icon: <CalendarOutlined />,
        title: m.title,
        detail: `${at} · ${m.location} · 待回复`,
        to: `/my/meetings?meeting=${m.id}`,
        action: '确认参会',
        rank: 10,
      });
  }
  for (const inv of makeup.filter((i) => !i.makeupDoneAt))
    out.push({
      key: `makeup-${inv.id}`,
      icon: <BookOutlined />,
      title: `补学：${inv.meeting.title}`,
      detail: `${dayjs(inv.meeting.startsAt).format('M月D日')} 的会议未参加，学习会议材料`,
      to: `/my/meetings/${inv.id}`,
      action: '去补学',
      rank: 15,
    });
  return out;
}

function duesItems(todo: DuesTodo[]): NowItem[] {
  const current = todo.find((d) => d.kind === 'pay_current');
  const arrears = todo.find((d) => d.kind === 'my_arrears');
  const out: NowItem[] = [];
  if (current)
    out.push({
      key: 'dues-current',
      icon: <WalletOutlined />,
      title: current.message,
      to: '/my/dues/pay',
      action: '去交纳',
      rank: 20,
    });
  // The month's own bill is already said above; arrears beyond it are a further line (and first when serious).
  if (arrears && (!current || arrears.count > 1))
    out.push({
      key: 'dues-arrears',
      icon: <WalletOutlined />,
      title: arrears.message,
      to: '/my/dues/pay',
      action: '去交纳',
      rank: arrears.level === 'critical' ? 1 : 21,
    });
  const reminders = todo.find((d) => d.kind === 'reminders');
  if (reminders)
    out.push({
      key: 'dues-reminders',
      icon: <WalletOutlined />,
      title: reminders.message,
      to: '/my/dues',
      action: '查看',
      rank: 22,
    });
  return out;
}

const mustReadItems = (todo: MediaTodo[]): NowItem[] =>
  todo.map((t) => ({
    key: `read-${t.id}`,
    icon: <NotificationOutlined />,
    title: `必读：${t.title}`,
    detail: `${t.orgName} · ${dayjs(t.publishedAt).format('M月D日')} 发布`,
    to: `/media/articles/${t.id}`,
    action: '去阅读',
    rank: 30,
  }));

const learnItems = (todo: LearnTodo[]): NowItem[] =>
  todo.map((t) => ({
    key: `learn-${t.kind}-${t.id}`,
    icon: <BookOutlined />,
    title: `${t.kind === 'exam' ? '考试' : '必修'}：${t.title}`,
    detail: t.days === null ? '无截止日期' : t.overdue ? `已逾期 ${-t.days} 天` : `${t.days} 天后截止（${t.dueOn}）`,
    to: t.kind === 'exam' ? '/learn?tab=practice' : `/learn/items/${t.id}`,
    action: t.kind === 'exam' ? '去考试' : '去学习',
    rank: t.overdue ? 2 : 40,
  }));

function thoughtItems(me: ThoughtMe | undefined): NowItem[] {
  if (!me || me.submitted || me.categories.length === 0) return [];
  return [
    {
      key: 'thought',
      icon: <EditOutlined />,
      title: `思想汇报：${me.periodLabel}尚未提交`,
      detail: me.categories.map((c) => c.label).join('、'),
      to: '/thought/mine',
      action: '去写',
      rank: 50,
    },
  ];
}

const pollItems = (surveys: Survey[], votes: Vote[]): NowItem[] => [
  ...surveys
    .filter((s) => s.canAnswer)
    .map((s) => ({
      key: `survey-${s.id}`,
      icon: <FormOutlined />,
      title: `问卷：${s.title}`,
      to: `/voice/surveys/${s.id}`,
      action: '去填写',
      rank: 60,
    })),
  ...votes
    .filter((v) => v.canVote)
    .map((v) => ({
      key: `vote-${v.id}`,
      icon: <FormOutlined />,
      title: `投票：${v.title}`,
      to: `/voice/votes/${v.id}`,
      action: '去投票',
      rank: 60,
    })),
];

/** One row of 现在要办: the whole row is the link, at least 56 px high (48 px is the 大字模式 floor for targets). */
function NowRow({ item }: { item: NowItem }) {
  return (
    <Link to={item.to} className="xf-now-item" data-testid="now-item">
      <span className="xf-now-icon" aria-hidden>
        {item.icon}
      </span>
      <span className="xf-now-text">
        <span className="xf-now-title">{item.title}</span>
        {item.detail && <span className="xf-now-detail">{item.detail}</span>}
      </span>
      <span className="xf-now-action">
        {item.action}
        <RightOutlined aria-hidden />
      </span>
    </Link>
  );
}

function NowCard() {
  const upcoming = useAsync(
    () => api.get<InvitationPage>('/meeting-invitations/mine', { filter: 'upcoming', pageSize: 20 }),
    [],
  );
  const makeup = useAsync(
    () => api.get<InvitationPage>('/meeting-invitations/mine', { filter: 'makeup', pageSize: 20 }),
    [],
  );
  const dues = useAsync(() => api.get<Page<DuesTodo>>('/dues/todo'), []);
  const read = useAsync(() => api.get<Page<MediaTodo>>('/media/me/todo', { pageSize: 20 }), []);
  const learn = useAsync(() => api.get<Page<LearnTodo>>('/learn/me/todo'), []);
  const thought = useAsync(() => api.get<ThoughtMe>('/thought/me'), []);
  const surveys = useAsync(() => api.get<Page<Survey>>('/voice/surveys/open', { pageSize: 20 }), []);
  const votes = useAsync(() => api.get<Page<Vote>>('/voice/votes/open', { pageSize: 20 }), []);
  const sources = [upcoming, makeup, dues, read, learn, thought, surveys, votes];
  const some = Boolean(upcoming.data?.items.length);
  useEffect(() => {
    // The sign-in page's code and data on the phone before the member walks into a room without signal.
    if (some) warmCheckinPage();
  }, [some]);

  const items = [
    ...meetingItems(upcoming.data?.items ?? [], makeup.data?.items ?? []),
    ...duesItems(dues.data?.items ?? []),
    ...mustReadItems(read.data?.items ?? []),
    ...learnItems(learn.data?.items ?? []),
    ...thoughtItems(thought.data),
    ...pollItems(surveys.data?.items ?? [], votes.data?.items ?? []),
  ].sort((a, b) => a.rank - b.rank);
  const loading = sources.some((s) => s.loading && s.data === undefined);
  const failed = sources.filter((s) => s.error && s.data === undefined);
  return (
    <Card
      // Settled when every source has answered (or failed): what the list shows then is the whole of it.
      aria-busy={sources.some((s) => s.loading)}
      className="xf-home-card xf-now-card"
      size="small"
      title={<span>现在要办{items.length > 0 && <span className="xf-now-count">{items.length}</span>}</span>}
    >
      {items.length > 0 ? (
        <nav aria-label="现在要办" className="xf-now-list">
          {items.map((i) => (
            <NowRow key={i.key} item={i} />
          ))}
        </nav>
      ) : loading ? (
        <Skeleton active paragraph={{ rows: 2 }} title={false} />
      ) : failed.length === 0 ? (
        <div className="xf-now-empty">
          <CheckCircleOutlined aria-hidden /> 眼下没有要办的事，谢谢您
        </div>
      ) : null}
      {!loading && failed.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="xf-now-failed"
          message={`有 ${failed.length} 项待办没能读到：${failed[0]!.error}`}
          action={
            <Button onClick={() => failed.forEach((s) => void s.reload())} aria-label="重新读取待办">
              重试
            </Button>
          }
        />
      )}
    </Card>
  );
}

/** 我的记录: who I am in the party record, and what I have done — each figure opens the list behind it. */
function RecordsCard({ m }: { m: Member | undefined }) {
  // The party's year is China's (as the server counts it), whatever the phone's time zone.
  const year = Number(todayInChina().slice(0, 4));
  const meetings = useAsync(() => api.get<InvitationPage>('/members/me/meetings', { year, pageSize: 1 }), [year]);
  const paid = useAsync(() => api.get<Page<unknown>>('/dues/me/payments', { pageSize: 1 }), []);
  const points = useAsync(() => api.get<MyPoints>('/learn/me/points'), []);
  const volunteer = useAsync(() => api.get<VolunteerHours>('/volunteer/mine', { pageSize: 1 }), []);
  const figures: { key: string; label: string; value: string | undefined; to: string }[] = [
    {
      key: 'meetings',
      label: `${year} 年参加组织生活`,
      value: meetings.data && `${meetings.data.summary.attended} 次`,
      to: '/my/meetings?tab=record',
    },
    { key: 'dues', label: '党费缴纳记录', value: paid.data && `${paid.data.total} 笔`, to: '/my/dues?tab=payments' },
    ...(points.data?.enabled === false
      ? []
      : [{ key: 'learn', label: '学习积分', value: points.data && `${points.data.total} 分`, to: '/learn?tab=mine' }]),
    {
      key: 'volunteer',
      label: '志愿服务',
      value: volunteer.data && `${Math.round((volunteer.data.totalMinutes / 60) * 10) / 10} 小时`,
      to: '/my/volunteer',
    },
  ];
  return (
    <Card
      className="xf-home-card xf-records-card"
      size="small"
      title="我的记录"
      extra={<Link to="/me/profile">我的党员档案</Link>}
    >
      {m ? (
        <div className="xf-records-who">
          <b>{m.name}</b> · {m.orgName} · {m.status === 'full' ? '正式党员' : '预备党员'}
          <div className="xf-records-dates">
            <span>
              党龄 <b>{m.partyYears === null ? '预备期' : `${m.partyYears} 年`}</b>
            </span>
            <span>
              政治生日 <b>{m.politicalBirthday}</b>
            </span>
          </div>
        </div>
      ) : (
        <Skeleton active paragraph={{ rows: 1 }} title={false} />
      )}
      <nav aria-label="我的记录" className="xf-records-grid">
        {figures.map((f) => (
          <Link key={f.key} to={f.to} className="xf-record">
            <span className="xf-record-value">{f.value ?? '—'}</span>
            <span className="xf-record-label">{f.label}</span>
          </Link>
        ))}
      </nav>
      <Honours memberId={m?.id} />
    </Card>
  );
}

const HONOUR_KINDS: Record<string, string> = { pioneer: '党员先锋岗', story: '身边人身边事' };

/** 我的荣誉: the published 先锋岗 and 典型 stories naming the member, newest first; nothing shown when there are none. */
function Honours({ memberId }: { memberId: string | undefined }) {
  const honours = useAsync(() => api.get<Page<ArticleBrief>>('/media/me/honors', { pageSize: 3 }), []);
  const items = honours.data?.items ?? [];
  if (!items.length) return null;
  return (
    <nav aria-label="我的荣誉" className="xf-records-honours">
      <div className="xf-records-honours-title">
        <TrophyOutlined aria-hidden /> 我的荣誉
        {honours.data!.total > items.length && `（共 ${honours.data!.total} 篇）`}
      </div>
      {items.map((h) => {
        const post = h.honorees.find((x) => x.memberId === memberId)?.post;
        return (
          <Link key={h.id} to={`/media/articles/${h.id}`} className="xf-records-honour">
            <span className="xf-records-honour-kind">{post || HONOUR_KINDS[h.kind] || '典型宣传'}</span>
            <span>{h.title}</span>
          </Link>
        );
      })}
    </nav>
  );
}

/**
 * The member view: 现在要办, then the module cards a member has that are not folded into it (流动党员报到, unread
 * letters — `extraCards`), then the branch's news (`news`, media's card), then 我的记录.
 */
export function MemberHome({ extraCards, news }: { extraCards: ReactNode; news: ReactNode }) {
  const me = useAsync(() => api.get<Member>('/members/me'), []);
  if (me.error && !me.data)
    return <Alert type="info" showIcon message="您的账号尚未关联党员档案，没有个人待办和记录" />;
  return (
    <div className="xf-mhome">
      <div className="xf-mhome-main">
        <NowCard />
        {extraCards}
        {news}
      </div>
      <div className="xf-mhome-side">
        <RecordsCard m={me.data} />
      </div>
    </div>
  );
}
