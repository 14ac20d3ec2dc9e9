/**
 * Who is signed in, and which of their role bindings the pages act as. A user with several
 * bindings (e.g. secretary of one branch and member of another) switches between them in the
 * header; pages read `current` to choose their default org and what to show.
 */
import type { MeReply, Role, RoleBinding } from '@xianfeng/shared';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setUnauthorizedHandler } from './api';

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
const keyOf = (b: RoleBinding) => `${b.role}@${b.orgId}`;

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<MeReply | null>(null);
  const [ready, setReady] = useState(false);
  const [currentKey, setCurrentKey] = useState<string | null>(() => localStorage.getItem(CURRENT_KEY));

  const refresh = useCallback(async () => {
    try {
      setMe(await api.get<MeReply>('/me'));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) throw e;
      setMe(null);
    } finally {
      setReady(true);
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    void refresh();
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
      await refresh();
    },
    async logout() {
      await api.post('/auth/logout').catch(() => undefined);
      setMe(null);
    },
    refresh,
    async setLargeFont(on) {
      await api.patch('/me/prefs', { largeFont: on });
      setMe((m) => (m ? { ...m, prefs: { ...m.prefs, largeFont: on } } : m));
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
