/**
 * 学习教育: content with search (Chinese words or pinyin initials), daily practice, exams and the
 * person's own learning and points. Managers publish content and questions here too.
 */
import {
  LEARN_KIND_LABELS,
  LEARN_KINDS,
  type Exam,
  type ItemBrief,
  type LearnAudience,
  type LearnKind,
  type LearnRecord,
  type MyPoints,
  highlightParts,
  type PracticeSetting,
  type SearchHit,
  todayInChina,
  RECORD_KEEPERS,
  QUESTION_CATEGORIES,
  type Ranking,
  AUDIENCE_RULE,
  LEARN_AUDIENCES,
  LEARN_AUDIENCE_LABELS,
} from '@xianfeng/shared';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  List,
  Progress,
  Segmented,
  Select,
  Space,
  Statistic,
  Switch,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { CheckList } from '../../platform/CheckList';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { BankCard } from './BankCard';
import { ParticipationCard } from './ParticipationCard';
import { QuestionDialog } from './QuestionDialog';
import { FormDialog } from '../../platform/FormDialog';
import './learn.css';
import { useSubmit } from '../../platform/useSubmit';

const kindTag = (k: LearnKind) => (
  <Tag color={k === 'video' ? 'red' : k === 'course' ? 'gold' : k === 'book' ? 'blue' : 'default'}>
    {LEARN_KIND_LABELS[k]}
  </Tag>
);

/** The search words (and the ranges the server matched by pinyin initials) marked: text and <mark>, never HTML. */
const Highlight = ({ text, q, ranges }: { text: string; q: string; ranges?: [number, number][] }) =>
  q ? (
    <>
      {highlightParts(text, q, ranges).map((p, i) =>
        p.hit ? (
          <mark key={i} className="xf-learn-hit">
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </>
  ) : (
    text
  );

function Library() {
  const [kind, setKind] = useState<LearnKind | 'all'>('all');
  const [q, setQ] = useState('');
  const paging = usePaging('条');
  const list = useAsync<Page<ItemBrief | SearchHit>>(
    () =>
      q
        ? api.get<Page<SearchHit>>('/learn/search', {
            q,
            kind: kind === 'all' ? undefined : kind,
            page: paging.page,
            pageSize: paging.pageSize,
          })
        : api.get<Page<ItemBrief>>('/learn/items', {
            kind: kind === 'all' ? undefined : kind,
            page: paging.page,
            pageSize: paging.pageSize,
          }),
    [q, kind, paging.page, paging.pageSize],
  );
  return (
    <>
      <div className="xf-learn-filters">
        <Input.Search
          allowClear
          placeholder="搜索课程、视频、百科、书籍（可输入拼音首字母，如 shyk）"
          aria-label="搜索学习内容"
          onSearch={(v) => {
            paging.setPage(1);
            setQ(v.trim());
          }}
        />
        <Segmented
          value={kind}
          onChange={(v) => {
            paging.setPage(1);
            setKind(v as LearnKind | 'all');
          }}
          options={[
            { label: '全部', value: 'all' },
            ...LEARN_KINDS.map((k) => ({ label: LEARN_KIND_LABELS[k], value: k })),
          ]}
        />
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <List
        loading={list.loading}
        dataSource={(list.data?.items ?? []) as (ItemBrief | SearchHit)[]}
        pagination={list.data && list.data.total > paging.pageSize ? paging.pagination(list.data.total) : false}
        locale={{ emptyText: q ? `没有找到与「${q}」相关的内容` : '还没有学习内容' }}
        renderItem={(it) => (
          <List.Item className="xf-learn-item">
            <List.Item.Meta
              title={
                <span>
                  {kindTag(it.kind)}
                  <Link to={`/learn/items/${it.id}`}>
                    <Highlight text={it.title} q={q} ranges={'titleMarks' in it ? it.titleMarks : undefined} />
                  </Link>
                  {'forMe' in it && it.forMe && <Tag color="volcano">必修{it.dueOn ? ` · ${it.dueOn} 前` : ''}</Tag>}
                  {'forMe' in it && it.required && !it.forMe && <Tag>{LEARN_AUDIENCE_LABELS[it.audience]}必修</Tag>}
                </span>
              }
              description={
                <>
                  <div>
                    <Highlight text={it.summary} q={q} />
                  </div>
                  {'snippet' in it && it.snippet && (
                    <div className="xf-learn-snippet" data-testid="search-snippet">
                      <Highlight text={it.snippet} q={q} />
                    </div>
                  )}
                  <Typography.Text type="secondary">{it.orgName}</Typography.Text>
                </>
              }
            />
            {'progress' in it && it.progress !== null && (
              <Progress
                type="circle"
                size={44}
                percent={it.progress}
                status={it.completed ? 'success' : 'normal'}
                aria-label="学习进度"
              />
            )}
          </List.Item>
        )}
      />
    </>
  );
}

/** What a practice draws from, in words: 「党史、理论（第一发电厂党支部选定）」 or every category. */
const practiceScope = (p: PracticeSetting | null) =>
  p?.effective.categories
    ? `${p.effective.categories.join('、')}（${p.effective.fromOrgName}选定）`
    : `全部分类（${QUESTION_CATEGORIES.join('、')}）`;

function Practice() {
  const navigate = useNavigate();
  const { busyKey, run } = useSubmit('toast');
  const exams = useAsync(() => api.get<Page<Exam>>('/learn/exams'), []);
  const scope = useAsync(() => api.get<PracticeSetting>('/learn/practice-setting'), []);
  const today = todayInChina();
  /** Starts the day's practice or an exam attempt (the clicked button spins) and opens it. */
  const start = (path: string) =>
    run(
      async () => {
        const a = await api.post<{ id: string }>(path);
        navigate(`/learn/attempts/${a.id}`);
      },
      { key: path },
    );
  return (
    <>
      <Card title="每日一练" className="xf-learn-card">
        <p>每天 5 道题，出自本组织和上级组织的题库，答完即可看到解析。自愿参加，不打卡、不排名。</p>
        {scope.data && <p data-testid="practice-scope">题目分类：{practiceScope(scope.data)}</p>}
        <Button type="primary" loading={busyKey === '/learn/daily'} onClick={() => start('/learn/daily')}>
          开始今天的练习
        </Button>
      </Card>
      <Card title="考试" className="xf-learn-card">
        <LoadError error={exams.error} onRetry={exams.reload} />
        <List
          loading={exams.loading}
          dataSource={exams.data?.items ?? []}
          locale={{ emptyText: '暂无考试' }}
          renderItem={(e) => {
            const open = e.opensOn <= today && today <= e.closesOn;
            return (
              <List.Item
                actions={[
                  e.mine.passed ? (
                    <Tag color="success" key="p">
                      已通过 {e.mine.best} 分
                    </Tag>
                  ) : (
                    <Button
                      key="s"
                      disabled={!open || e.mine.attempts >= e.maxAttempts}
                      loading={busyKey === `/learn-exams/${e.id}/attempts`}
                      onClick={() => start(`/learn-exams/${e.id}/attempts`)}
                    >
                      {e.mine.attempts > 0 ? '再考一次' : '开始考试'}
                    </Button>
                  ),
                ]}
              >
                <List.Item.Meta
                  title={
                    <span>
                      {e.title} {e.required && <Tag color="volcano">必考</Tag>}
                    </span>
                  }
                  description={`${e.questionCount} 题${e.draw ? '（每人随机抽题）' : ''} · ${e.minutes} 分钟 · ${e.passScore} 分及格 · ${e.opensOn} 至 ${e.closesOn} · 已考 ${e.mine.attempts}/${e.maxAttempts} 次${e.mine.best !== null ? ` · 最好 ${e.mine.best} 分` : ''}`}
                />
              </List.Item>
            );
          }}
        />
      </Card>
    </>
  );
}

function Mine() {
  const paging = usePaging('条');
  const records = useAsync(
    () => api.get<Page<LearnRecord>>('/learn/me/records', { page: paging.page, pageSize: paging.pageSize }),
    [paging.page, paging.pageSize],
  );
  const points = useAsync(() => api.get<MyPoints>('/learn/me/points'), []);
  const rankPaging = usePaging('人');
  const rank = useAsync(
    () => api.get<Ranking>('/learn/ranking', { page: rankPaging.page, pageSize: rankPaging.pageSize }),
    [rankPaging.page, rankPaging.pageSize],
  );
  const p = points.data;
  const r = rank.data;
  return (
    <>
      {r?.enabled && (
        <Card title={`${r.orgName}学习积分排行（${r.year} 年）`} className="xf-learn-card" data-testid="learn-ranking">
          <Typography.Paragraph type="secondary">
            本支部开启的排行，只在本支部党员之间显示，只列出有积分的党员。
            {r.mine.rank ? `我排第 ${r.mine.rank} 名，` : ''}我的积分 {r.mine.points}。
          </Typography.Paragraph>
          <List
            loading={rank.loading}
            dataSource={r.items}
            pagination={r.total > rankPaging.pageSize ? { ...rankPaging.pagination(r.total), simple: true } : false}
            renderItem={(x) => (
              <List.Item key={`${x.rank}-${x.name}`} className={x.me ? 'xf-learn-rank-me' : undefined}>
                <span>
                  第 {x.rank} 名 · {x.name}
                  {x.me && <Tag style={{ marginLeft: 8 }}>我</Tag>}
                </span>
                <span>{x.points} 分</span>
              </List.Item>
            )}
          />
        </Card>
      )}
      {p?.enabled && (
        <Card title="我的学习积分" className="xf-learn-card">
          <div className="xf-learn-stats">
            <Statistic title="累计" value={p.total} />
            <Statistic title="今日" value={p.today} suffix={`/ ${p.dailyCap}`} />
          </div>
          <Typography.Paragraph type="secondary">
            积分只记录完成的学习（
            {p.rules.map((x) => `${x.label} ${x.points} 分，每日至多 ${x.dailyCap} 分`).join('；')}
            ）。打开应用、签到不计分；排行默认关闭，只有党支部开启后在本支部内显示。
          </Typography.Paragraph>
        </Card>
      )}
      <Card title="我的学习记录" className="xf-learn-card">
        <LoadError error={records.error} onRetry={records.reload} />
        <List
          loading={records.loading}
          dataSource={records.data?.items ?? []}
          pagination={
            records.data && records.data.total > paging.pageSize ? paging.pagination(records.data.total) : false
          }
          locale={{ emptyText: '还没有学习记录' }}
          renderItem={(r) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <span>
                    {kindTag(r.kind)}
                    <Link to={`/learn/items/${r.itemId}`}>{r.title}</Link>
                  </span>
                }
                description={`学习 ${Math.round(r.seconds / 60)} 分钟 · ${r.completedAt ? `${r.completedAt.slice(0, 10)} 学完` : `进度 ${r.progress}%`}`}
              />
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}

/** The required items and exams the caller's org is bound by, each with a link to its completion view. */
function RequiredCard() {
  const items = useAsync(() => api.get<Page<ItemBrief>>('/learn/items', { required: 'true', pageSize: 50 }), []);
  const exams = useAsync(() => api.get<Page<Exam>>('/learn/exams', { pageSize: 50 }), []);
  const rows = [
    ...(items.data?.items ?? [])
      .filter((i) => i.publishedAt)
      .map((i) => ({
        key: `i${i.id}`,
        to: `/learn/completion/items/${i.id}`,
        title: i.title,
        tag: '必修',
        audience: i.audience,
        due: i.dueOn,
      })),
    ...(exams.data?.items ?? [])
      .filter((e) => e.required)
      .map((e) => ({
        key: `e${e.id}`,
        to: `/learn/completion/exams/${e.id}`,
        title: e.title,
        tag: '必考',
        audience: e.audience,
        due: e.closesOn,
      })),
  ];
  return (
    <Card title="必修内容和必考考试的完成情况" className="xf-learn-card" data-testid="learn-required">
      <LoadError
        error={items.error ?? exams.error}
        onRetry={() => {
          void items.reload();
          void exams.reload();
        }}
      />
      <List
        loading={items.loading || exams.loading}
        dataSource={rows}
        locale={{ emptyText: '没有必修内容或必考考试' }}
        renderItem={(r) => (
          <List.Item key={r.key}>
            <Link to={r.to}>
              <Tag color="volcano">{r.tag}</Tag>
              {r.title}
            </Link>
            {r.audience !== 'all' && <Tag color="blue">面向{LEARN_AUDIENCE_LABELS[r.audience]}</Tag>}
            {r.due && <Typography.Text type="secondary">截止 {r.due}</Typography.Text>}
          </List.Item>
        )}
      />
    </Card>
  );
}

type RankingSettingView = { rankingEnabled: boolean; pointsEnabled: boolean; isBranch: boolean; note: string };

/** 积分排行 for a 党支部: off by default; turned on, the branch's own members see it among themselves. */
function RankingSwitch({ orgId }: { orgId: string }) {
  const { message } = App.useApp();
  const { busy, run } = useSubmit('toast');
  const setting = useAsync(() => api.get<RankingSettingView>('/learn/ranking-setting', { orgId }), [orgId]);
  const v = setting.data;
  if (!v?.isBranch) return null;
  const change = (on: boolean) =>
    run(async () => {
      await api.put('/learn/ranking-setting', { orgId, rankingEnabled: on });
      void message.success(on ? '已开启本支部积分排行' : '已关闭本支部积分排行');
      void setting.reload();
    });
  return (
    <Card title="本支部学习积分排行" className="xf-learn-card" data-testid="learn-ranking-switch">
      <Space align="center" wrap>
        <Switch
          checked={v.rankingEnabled}
          disabled={!v.pointsEnabled}
          loading={busy}
          onChange={change}
          aria-label="开启本支部积分排行"
        />
        <span>{v.rankingEnabled ? '已开启' : '未开启（默认）'}</span>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {v.pointsEnabled ? '' : '学习积分尚未开启（由系统管理员设置），开启前不显示排行。'}
        {v.note}
      </Typography.Paragraph>
    </Card>
  );
}

/** 每日一练的题目范围: the categories the org's subtree practises (the nearest choice on a member's line wins). */
function PracticeCard({ orgId }: { orgId: string }) {
  const { message } = App.useApp();
  const { busyKey, run } = useSubmit('toast');
  const setting = useAsync(() => api.get<PracticeSetting>('/learn/practice-setting', { orgId }), [orgId]);
  const [picked, setPicked] = useState<string[] | null>(null);
  const v = setting.data;
  const chosen = picked ?? v?.categories ?? [];
  const save = (categories: string[] | null) =>
    run(
      async () => {
        await api.put<PracticeSetting>('/learn/practice-setting', { orgId, categories });
        setPicked(null);
        void message.success(categories ? '已保存每日一练的题目范围' : '已清除，按上级组织的设置');
        void setting.reload();
      },
      { key: categories ? 'save' : 'clear' },
    );
  return (
    <Card title="每日一练的题目范围" className="xf-learn-card" data-testid="learn-practice-setting">
      <LoadError error={setting.error} onRetry={setting.reload} />
      {v && (
        <>
          <Typography.Paragraph>
            本组织及下级党员现在的练习范围：<strong>{practiceScope(v)}</strong>
          </Typography.Paragraph>
          <CheckList
            aria-label="每日一练的分类"
            value={chosen}
            onChange={setPicked}
            options={QUESTION_CATEGORIES.map((c) => ({ value: c, label: c }))}
          />
          <Space wrap style={{ marginTop: 12 }}>
            <Button
              type="primary"
              disabled={chosen.length === 0}
              loading={busyKey === 'save'}
              onClick={() => save(chosen)}
            >
              保存范围
            </Button>
            {v.categories && (
              <Button loading={busyKey === 'clear'} onClick={() => save(null)}>
                清除（按上级组织）
              </Button>
            )}
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {v.note}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}

/** 发布学习内容's fields (`dueOn` from a plain date input, YYYY-MM-DD; empty: 选学). */
type ItemValues = {
  kind: LearnKind;
  title: string;
  summary?: string;
  body?: string;
  minutes: number;
  dueOn?: string;
  audience: LearnAudience;
};

function Manage({ orgId }: { orgId: string }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState<'item' | 'question' | null>(null);
  const [examsMade, setExamsMade] = useState(0);
  const submitItem = async (v: ItemValues) => {
    const created = await api.post<{ id: string }>('/learn/items', {
      ...v,
      orgId,
      keywords: [],
      dueOn: v.dueOn || null,
      required: Boolean(v.dueOn),
      audience: v.dueOn ? v.audience : 'all',
    });
    setOpen(null);
    navigate(`/learn/items/${created.id}`);
  };
  return (
    <>
      <ParticipationCard />
      <RankingSwitch orgId={orgId} />
      <PracticeCard orgId={orgId} />
      <RequiredCard key={examsMade} />
      <BankCard orgId={orgId} onExam={() => setExamsMade((n) => n + 1)} />
      <Card className="xf-learn-card">
        <Button type="primary" onClick={() => setOpen('item')}>
          发布学习内容
        </Button>{' '}
        <Button onClick={() => setOpen('question')}>新增题目</Button>
      </Card>
      <FormDialog<ItemValues>
        title="发布学习内容"
        open={open === 'item'}
        onClose={() => setOpen(null)}
        okText="发布"
        initialValues={{ kind: 'article', minutes: 5, audience: 'all' }}
        onSubmit={submitItem}
      >
        <Form.Item
          name="kind"
          label="类型"
          extra="课程发布后，在课程页面的「课时管理」里添加图文、PDF、音频、视频课时；正文是第一个课时"
        >
          <Select options={LEARN_KINDS.map((k) => ({ value: k, label: LEARN_KIND_LABELS[k] }))} />
        </Form.Item>
        <Form.Item name="title" label="标题" rules={[{ required: true, min: 2, message: '标题至少 2 个字' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="summary" label="简介">
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
        <Form.Item name="body" label="正文">
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name="minutes" label="时长（分钟）">
          <InputNumber min={1} max={600} />
        </Form.Item>
        <Form.Item name="dueOn" label="必修截止日期（留空为选学）">
          <Input type="date" />
        </Form.Item>
        <Form.Item name="audience" label="必修对象" extra={AUDIENCE_RULE.text}>
          <Select
            aria-label="必修对象"
            options={LEARN_AUDIENCES.map((a) => ({ value: a, label: LEARN_AUDIENCE_LABELS[a] }))}
          />
        </Form.Item>
      </FormDialog>
      <QuestionDialog open={open === 'question'} orgId={orgId} onClose={() => setOpen(null)} />
    </>
  );
}

export function LearnPage() {
  const { current: binding } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'library';
  const items = [
    { key: 'library', label: '学习内容', children: <Library /> },
    { key: 'practice', label: '练习与考试', children: <Practice /> },
    { key: 'mine', label: '我的学习', children: <Mine /> },
    ...(binding && allows(RECORD_KEEPERS, binding.role)
      ? [{ key: 'manage', label: '管理', children: <Manage orgId={binding.orgId} /> }]
      : []),
  ];
  return (
    <div className="xf-learn">
      <Typography.Title level={3}>学习教育</Typography.Title>
      <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k })} items={items} />
    </div>
  );
}
