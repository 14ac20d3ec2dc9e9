/**
 * 工作台: what the signed-in person should look at first. Managers see their org's numbers, structure warnings
 * and the modules' to-do cards, and can switch to the member view of their own record; members see the member
 * home (MemberHome.tsx: 现在要办, news, my records).
 */
import { memberHomeReads, RECORD_READERS, ROLE_LABELS, todayInChina } from '@xianfeng/shared';
import { Alert, Segmented } from 'antd';
import { modules } from '..';
import { Fragment, useState } from 'react';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { allows, type HomeCard } from '../../platform/module';
import { lazyNamed } from '../../platform/lazy';
import { MemberHome } from './MemberHome';

// The desktop 工作台's figures and lists: loaded only by managers, so a member's first load carries none of it.
const ManagerHome = lazyNamed(() => import('./ManagerHome'), 'ManagerHome');

/** Module cards folded into the member view's 现在要办 (or shown there as news): not repeated beside it. */
const IN_MEMBER_VIEW = new Set([
  'meetings-upcoming',
  'dues',
  'media-must-read',
  'learn-todo',
  'voice-polls',
  'media-news',
]);

/** A manager's choice of home, kept on this device: their desktop 工作台, or the member view of their own record. */
const VIEW_KEY = 'xf.home.view';
const readView = () => {
  try {
    return localStorage.getItem(VIEW_KEY) === 'member' ? 'member' : 'desk';
  } catch {
    return 'desk';
  }
};

export function HomePage() {
  const { me, current } = useAuth();
  const [view, setView] = useState<'desk' | 'member'>(readView);
  if (!me || !current) return <Alert type="warning" showIcon message="您的账号还没有分配角色，请联系管理员" />;
  const manager = allows(RECORD_READERS, current.role);
  const memberView = !manager || view === 'member';
  const choose = (v: 'desk' | 'member') => {
    setView(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch {
      // Private mode: the choice lasts this visit.
    }
  };
  // Asked here, before the cards render: their code (lazy) and their reads then share the phone's six connections
  // in that order, and the reads (GET /me/home, api.readTogether) are not queued behind the cards' code. Asking
  // twice within the same visit is a no-op.
  if (memberView) api.readTogether('/me/home', memberHomeReads(todayInChina()));
  const cards = modules
    .flatMap((m) => m.homeCards ?? [])
    .filter((c) => allows(c.roles, memberView ? 'member' : current.role))
    .sort((a, b) => a.order - b.order);
  // Keyed by binding too: switching org or role reloads every card.
  const render = (c: HomeCard) => (
    <Fragment key={`${c.key}-${current.role}-${current.orgId}`}>{c.render(current)}</Fragment>
  );
  return (
    <>
      <div className="xf-home-head">
        <div>
          <h4 className="xf-home-hello">{me.displayName}，您好</h4>
          <p className="xf-home-who">
            当前身份：{current.orgName} · {ROLE_LABELS[current.role]}
          </p>
        </div>
        {manager && (
          <Segmented
            className="xf-home-view"
            aria-label="首页视图"
            value={view}
            onChange={(v) => choose(v as 'desk' | 'member')}
            options={[
              { value: 'desk', label: '工作台' },
              { value: 'member', label: '党员视图' },
            ]}
          />
        )}
      </div>
      {memberView ? (
        <MemberHome
          extraCards={cards.filter((c) => !IN_MEMBER_VIEW.has(c.key)).map(render)}
          news={cards.filter((c) => c.key === 'media-news').map(render)}
        />
      ) : (
        <>
          <ManagerHome orgId={current.orgId} />
          {/* A grid, not columns: a card with nothing to say renders nothing and leaves no hole. */}
          <div className="xf-home-cards">{cards.map(render)}</div>
        </>
      )}
    </>
  );
}
