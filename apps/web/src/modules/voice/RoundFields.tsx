/**
 * What a vote and a survey both ask for. On the server they are one thing, a *round* (voice/rounds.ts): an org
 * holds it for an audience — the chosen roles at the orgs below it — within a window. The words differ only in
 * who takes part: a vote's 投票人, a survey's 参与人.
 */
import { now, ROLE_LABELS, ROLES } from '@xianfeng/shared';
import { DatePicker, Form } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { CheckList } from '../../platform/CheckList';
import { OrgPicker } from '../org/OrgPicker';

const WORDS = {
  vote: { people: '投票人', roles: '投票人角色' },
  survey: { people: '参与人', roles: '参与角色' },
} as const;

type Round = keyof typeof WORDS;

/** A new round's window: from the next full hour, for a week. */
export const firstWindow = (): [Dayjs, Dayjs] => [
  dayjs(now()).startOf('hour').add(1, 'hour'),
  dayjs(now()).startOf('hour').add(8, 'day'),
];

/** The org that holds the round (`orgId`): a 党委, 党总支 or 党支部. */
export function RoundOrgField({ round }: { round: Round }) {
  return (
    <Form.Item
      name="orgId"
      label={`党组织（${WORDS[round].people}为其下级组织中选定角色的人员）`}
      rules={[{ required: true, message: '请选择党组织' }]}
    >
      <OrgPicker selectable={['committee', 'general_branch', 'branch']} />
    </Form.Item>
  );
}

/** Who takes part (`audienceRoles`) and when (`window`). */
export function RoundAudienceFields({ round }: { round: Round }) {
  const { roles } = WORDS[round];
  return (
    <>
      <Form.Item name="audienceRoles" label={roles} rules={[{ required: true, message: '请至少选择一种角色' }]}>
        <CheckList aria-label={roles} options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
      </Form.Item>
      <Form.Item name="window" label="起止时间" rules={[{ required: true, message: '请选择起止时间' }]}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
    </>
  );
}
