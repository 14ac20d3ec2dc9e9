/** A hardship case's level as a coloured tag (the 困难帮扶 list, the case drawer and the 年度复核汇总). */
import { HARDSHIP_LEVEL_LABELS, type HardshipLevel } from '@xianfeng/shared';
import { Tag } from 'antd';

const LEVEL_COLORS: Record<HardshipLevel, string> = { general: 'blue', serious: 'orange', special: 'red' };

export const LevelTag = ({ level }: { level: HardshipLevel }) => (
  <Tag color={LEVEL_COLORS[level]}>{HARDSHIP_LEVEL_LABELS[level]}</Tag>
);
