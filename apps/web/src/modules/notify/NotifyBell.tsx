/** The bell in the header: the live unread count; a click opens the inbox. */
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useLiveNotices } from './live';

export function NotifyBell() {
  const { unread } = useLiveNotices();
  const navigate = useNavigate();
  const n = unread ?? 0;
  return (
    <Badge count={n} overflowCount={99} size="small" offset={[-6, 6]}>
      <Button
        type="text"
        icon={<BellOutlined style={{ fontSize: '1.15em' }} />}
        aria-label={n > 0 ? `通知，${n} 条未读` : '通知'}
        data-unread={n}
        className="xf-bell"
        onClick={() => navigate('/notifications')}
      />
    </Badge>
  );
}
