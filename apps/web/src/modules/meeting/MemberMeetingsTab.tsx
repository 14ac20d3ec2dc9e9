/** The member-detail tab 组织生活: one member's participation record, year by year. */
import type { Member } from '@xianfeng/shared';
import { api } from '../../platform/api';
import type { InvitationPage } from './labels';
import { ParticipationRecord } from './MyMeetingsPage';

export function MemberMeetingsTab({ m }: { m: Member }) {
  return (
    <ParticipationRecord
      load={(year) => api.get<InvitationPage>(`/members/${m.id}/meetings`, { year, pageSize: 200 })}
    />
  );
}
