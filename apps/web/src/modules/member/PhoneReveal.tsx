/**
 * A member's phone number as the viewer may see it (issue 16 item 5). Everyone sees it masked
 * (138****5678). A branch secretary or the org department (PHONE_REVEALERS) gets a 「查看」 button:
 * one click asks the server for the full number of this one member — the server checks the member
 * is in the viewer's scope and writes the reveal to the audit log — and shows it as a link that
 * dials it on a phone.
 */
import { PhoneOutlined } from '@ant-design/icons';
import { PHONE_REVEALERS } from '@xianfeng/shared';
import { App as AntApp, Button } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../platform/api';
import { useAuth } from '../../platform/auth';

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
  const { message } = AntApp.useApp();
  const [phone, setPhone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
    setBusy(true);
    try {
      const r = await api.post<{ phone: string }>(`/members/${memberId}/phone`, purpose ? { purpose } : {});
      setPhone(r.phone);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
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
