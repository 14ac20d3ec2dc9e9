import { hoursOf, VOLUNTEER_SIGNUP_STATE_LABELS, type VolunteerSignupState } from '@xianfeng/shared';
import { Tag } from 'antd';

export { dateTime, timeOnly, when } from '../meeting/labels';

const COLORS: Record<VolunteerSignupState, string> = {
  signed_up: 'blue',
  cancelled: 'default',
  checked_in: 'orange',
  checked_out: 'green',
};

export const StateTag = ({ state }: { state: VolunteerSignupState | null }) =>
  state ? <Tag color={COLORS[state]}>{VOLUNTEER_SIGNUP_STATE_LABELS[state]}</Tag> : null;

/** 110 minutes → 1.8 小时 */
export const hoursText = (minutes: number | null | undefined) =>
  minutes === null || minutes === undefined ? '—' : `${hoursOf(minutes)} 小时`;
