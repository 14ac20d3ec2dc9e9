import {
  THOUGHT_MARK_LABELS,
  THOUGHT_THEME_LABELS,
  THOUGHT_THEMES,
  type ThoughtMark,
  type ThoughtTheme,
} from '@xianfeng/shared';
import { Tag } from 'antd';

const MARK_COLORS: Record<ThoughtMark, string> = { read: 'blue', good: 'green', improve: 'orange' };

export function MarkTag({ mark }: { mark: ThoughtMark | null }) {
  if (!mark) return <Tag>待批阅</Tag>;
  return <Tag color={MARK_COLORS[mark]}>{THOUGHT_MARK_LABELS[mark]}</Tag>;
}

export const fmtDay = (iso: string | null) =>
  iso ? new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—';

/** The 思想动态 themes a writer may pick (up to three), for a Checkbox.Group or Select. */
export const THEME_OPTIONS = THOUGHT_THEMES.map((t) => ({ value: t, label: THOUGHT_THEME_LABELS[t] }));
/** Form rule: at most three themes (the server says the same). */
export const themeRule = {
  validator: (_: unknown, v: ThoughtTheme[] | undefined) =>
    (v?.length ?? 0) > 3 ? Promise.reject(new Error('主题最多选 3 个')) : Promise.resolve(),
};

export function ThemeTags({ themes }: { themes: ThoughtTheme[] }) {
  return (
    <>
      {themes.map((t) => (
        <Tag key={t} color="geekblue">
          {THOUGHT_THEME_LABELS[t]}
        </Tag>
      ))}
    </>
  );
}
