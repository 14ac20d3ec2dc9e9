/**
 * Pages load when they are first opened, not with the app: a member's phone fetches the shell, the home page
 * and then only the pages they open — no manager pages, no charts (issue 24, "a fast first load").
 * `lazyNamed(() => import('./MeetingsPage'), 'MeetingsPage')` stands for the named export: same props, and
 * while its code arrives it shows 「正在加载…」 in its place.
 */
import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';

export function PageLoading() {
  return (
    <div className="xf-page-loading" role="status">
      <Spin />
      <span>正在加载…</span>
    </div>
  );
}

/** The same look as index.html's splash, for the wait before the first screen (who is signed in?). */
export function Splash() {
  return (
    <div className="xf-splash" role="status" aria-live="polite">
      <img src="/favicon.svg" alt="" width={72} height={72} />
      <div className="xf-splash-name">先锋 · 智慧党建</div>
      <div className="xf-splash-bar" />
      <div className="xf-splash-text">正在加载…</div>
    </div>
  );
}

export function lazyNamed<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  const Lazy = lazy(async () => ({ default: (await load())[name] as ComponentType<object> }));
  function LazyPage(props: object) {
    return (
      <Suspense fallback={<PageLoading />}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  return LazyPage as M[K];
}
