/**
 * Who is signed in, and which of their role bindings the pages act as. A user with several
 * bindings (e.g. secretary of one branch and member of another) switches between them in the
 * header; pages read `current` to choose their default org and what to show.
 *
 * A network failure is not a sign-out: when /me cannot be reached the app starts as the user the server last
 * confirmed (platform/offline.ts keeps that `me` and that user's answers only). Signing out — or a 401 — forgets
 * both; a sign-out made offline is sent to the server first thing on the next start.
 */
import { ROLE_LABELS, type MeReply, type Role, type RoleBinding } from '@xianfeng/shared';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setUnauthorizedHandler } from './api';
import { forgetOffline, lastMe, logoutPending, rememberMe, setLogoutPending, setOfflineOwner } from './offline';
import { queueOwnerChanged } from './queue';

type Auth = {
  me: MeReply | null;
  /** False until the first /me answer (or 401) arrived. */
  ready: boolean;
  current: RoleBinding | null;
  setCurrent(b: RoleBinding): void;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
  setLargeFont(on: boolean): Promise<void>;
  /** True when the acting binding has one of the roles. */
  can(...roles: Role[]): boolean;
};

const AuthContext = createContext<Auth | null>(null);
const CURRENT_KEY = 'xf.currentBinding';
/** A binding's identity: what is kept as the current one, and the switcher's option value. */
export const keyOf = (b: RoleBinding) => `${b.role}@${b.orgId}`;

/** How a binding is named to its user: the header's line and the switcher's options. */
export const bindingLabel = (b: RoleBinding) => `${b.orgName} · ${ROLE_LABELS[b.role]}`;

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<MeReply | null>(null);
  const [ready, setReady] = useState(false);
  const [currentKey, setCurrentKey] = useState<string | null>(() => localStorage.getItem(CURRENT_KEY));

  const refresh = useCallback(async () => {
    try {
      if (logoutPending()) {
        // Signed out while offline: the server is told now, before anything is shown as that user.
        forgetOffline();
        await api.post('/auth/logout').catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 0) throw e; // still offline: stays pending
        });
        setLogoutPending(false);
      }
      const fresh = await api.get<MeReply>('/me');
      rememberMe(fresh);
      setMe(fresh);
      // The server answered as this user: what their phone kept while offline goes now (platform/queue.ts).
      queueOwnerChanged();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        forgetOffline();
        setMe(null);
      } else if (e instanceof ApiError && e.status === 0 && !logoutPending()) {
        // The server cannot be reached: not a sign-out. Go on as the user it last confirmed, if any.
        const kept = lastMe();
        setOfflineOwner(kept?.id ?? null);
        queueOwnerChanged();
        setMe(kept);
      } else if (logoutPending()) {
        setMe(null);
      } else throw e;
    } finally {
      setReady(true);
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      forgetOffline();
      setMe(null);
    });
    void refresh();
    // Back online: ask the server again who is signed in (the session may have ended meanwhile).
    const online = () => void refresh().catch(() => undefined);
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [refresh]);

  const current = useMemo(() => {
    if (!me || me.roles.length === 0) return null;
    return me.roles.find((b) => keyOf(b) === currentKey) ?? me.roles[0]!;
  }, [me, currentKey]);

  const value: Auth = {
    me,
    ready,
    current,
    setCurrent(b) {
      localStorage.setItem(CURRENT_KEY, keyOf(b));
      setCurrentKey(keyOf(b));
    },
    async login(username, password) {
      await api.post('/auth/login', { username, password });
      setLogoutPending(false);
      await refresh();
    },
    async logout() {
      // Forgotten first, whatever the network says: the next person holding this phone sees nothing of it.
      forgetOffline();
      await api.post('/auth/logout').then(
        () => setLogoutPending(false),
        (e: unknown) => {
          if (e instanceof ApiError && e.status === 0) setLogoutPending(true);
        },
      );
      setMe(null);
    },
    refresh,
    async setLargeFont(on) {
      await api.patch('/me/prefs', { largeFont: on });
      setMe((m) => {
        const next = m ? { ...m, prefs: { ...m.prefs, largeFont: on } } : m;
        if (next) rememberMe(next);
        return next;
      });
    },
    can: (...roles) => Boolean(current && roles.includes(current.role)),
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
