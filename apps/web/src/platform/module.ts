/**
 * What a business module contributes to the web app: its pages (routes) and menu entries,
 * each entry saying which roles see it, and optional tabs on the member detail page.
 * apps/web/src/modules/index.ts lists the modules; adding one is adding a line there.
 */
import type { Member, Role, RoleBinding } from '@xianfeng/shared';
import type { ReactNode } from 'react';

export type MenuEntry = {
  path: string;
  label: string;
  /** What a plain member sees instead, where the managers' word does not fit them (their home is no 工作台). */
  memberLabel?: string;
  icon: ReactNode;
  roles: readonly Role[] | 'any';
  order: number;
};
export type MemberTab = {
  key: string;
  label: string;
  render: (member: Member) => ReactNode;
  roles: readonly Role[] | 'any';
};

/** A card on the 工作台 (home page): what needs doing in this module, for the acting binding. */
export type HomeCard = {
  key: string;
  roles: readonly Role[] | 'any';
  order: number;
  render: (binding: RoleBinding) => ReactNode;
};

/** Something a module puts in the shell's header, left of the 大字模式 switch (the notice bell). */
export type HeaderItem = { key: string; order: number; render: () => ReactNode };

export type WebModule = {
  routes: { path: string; element: ReactNode }[];
  /** Pages for people without an account (an org's public link): outside the sign-in guard and the main frame. */
  publicRoutes?: { path: string; element: ReactNode }[];
  menu?: MenuEntry[];
  memberTabs?: MemberTab[];
  homeCards?: HomeCard[];
  headerItems?: HeaderItem[];
};

/** Role groups used by several modules' menus. */

export const allows = (roles: readonly Role[] | 'any', role: Role | undefined) =>
  roles === 'any' || (role !== undefined && roles.includes(role));
