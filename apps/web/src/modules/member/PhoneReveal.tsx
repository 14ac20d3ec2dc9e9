/**
 * A member's phone number as the viewer may see it (issue 16 item 5). Everyone sees it masked
 * (138****5678). A branch secretary or the org department (PHONE_REVEALERS) gets a 「查看」 button:
 * one click asks the server for the full number of this one member — the server checks the member
 * is in the viewer's scope and writes the reveal to the audit log — and shows it as a link that
 * dials it on a phone.
 */
import { PhoneOutlined } from '@ant-design/icons';
import { PHONE_REVEALERS } from '@xianfeng/shared';
import { Button } from 'antd';
import { useState } from 'react';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useSubmit } from '../../platform/useSubmit';

export function PhoneReveal({
  memberId,
  name,
  masked,
  purpose,
}: {
  memberId: string;
  name: string;
  masked: string;
  /** Why the number is looked at, kept in the audit entry (e.g. 「催缴党费」). */
  purpose?: string;
}) {
  const { can } = useAuth();
  const [phone, setPhone] = useState<string | null>(null);
  const { busy, run } = useSubmit('toast');
  if (!masked) return <span>—</span>;
  if (phone)
    return (
      <a className="xf-phone-full" href={`tel:${phone}`} onClick={(e) => e.stopPropagation()}>
        <PhoneOutlined /> {phone}
      </a>
    );
  if (!can(...PHONE_REVEALERS)) return <span>{masked}</span>;
  const reveal = async (e: React.MouseEvent) => {
    e.stopPropagation();
    await run(async () => {
      const r = await api.post<{ phone: string }>(`/members/${memberId}/phone`, purpose ? { purpose } : {});
      setPhone(r.phone);
    });
  };
  return (
    <span className="xf-phone-masked">
      <span>{masked}</span>
      <Button
        size="small"
        type="link"
        loading={busy}
        aria-label={`查看${name}的手机号`}
        title="查看完整号码（会记录在审计日志中）"
        onClick={(e) => void reveal(e)}
      >
        查看
      </Button>
    </span>
  );
}
