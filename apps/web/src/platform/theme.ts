/**
 * Ant Design theme: party red, and the 大字模式 (large font, high contrast) for older members
 * with weak eyesight — bigger type and touch targets, darker text, stronger borders.
 */
import type { ThemeConfig } from 'antd';

export const PARTY_RED = '#c8161d';

/**
 * `phone`: a narrow screen, where every control is a finger's target — at least 44 px high (issue 24); 大字模式
 * makes them 48 px and more on every screen.
 */
export function themeFor(largeFont: boolean, phone = false): ThemeConfig {
  const base: ThemeConfig = {
    token: {
      colorPrimary: PARTY_RED,
      colorLink: PARTY_RED,
      borderRadius: 6,
      // WCAG AA (4.5:1) for secondary text, also on the grey page background: antd's 45 % black is 3.4:1 on white.
      // Checked by axe in e2e/a11y.e2e.test.ts (issue 24).
      colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
      colorTextDescription: 'rgba(0, 0, 0, 0.65)',
      colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    },
  };
  if (!largeFont)
    return phone
      ? // The header keeps its height (antd derives it from controlHeight).
        {
          token: { ...base.token, controlHeight: 44 },
          components: { Menu: { itemHeight: 48 }, Layout: { headerHeight: 64 } },
        }
      : base;
  return {
    token: {
      ...base.token,
      fontSize: 20,
      fontSizeHeading4: 24,
      fontSizeHeading3: 28,
      controlHeight: 48,
      controlHeightLG: 56,
      lineHeight: 1.6,
      colorText: '#000000',
      colorTextSecondary: '#1f1f1f',
      colorTextDescription: '#262626',
      colorBorder: '#595959',
      colorBgLayout: '#ffffff',
    },
    components: { Menu: { itemHeight: 56, fontSize: 20 }, Table: { cellPaddingBlock: 16 } },
  };
}
