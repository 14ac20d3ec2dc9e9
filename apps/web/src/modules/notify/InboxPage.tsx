/**
 * 我的通知: the inbox, newest first, paged; unread only on request; a notice opens its record (and is
 * marked read); mark one or all read. New notices arrive through the live stream without a reload.
 */
import { CheckOutlined, SettingOutlined } from '@ant-design/icons';
import type { NotificationItem, NotificationsReply } from '@xianfeng/shared';
import { App as AntApp, Badge, Button, Card, Empty, List, Pagination, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { useSubmit } from '../../platform/useSubmit';
import { setUnread, useLiveNotices } from './live';

export function InboxPage() {
  const { message } = AntApp.useApp();
  const { busyKey, run } = useSubmit('toast');
  const navigate = useNavigate();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const { page, pageSize, setPage, pagination } = usePaging('条');
  const r = useAsync(
    () => api.get<NotificationsReply>('/notifications', { page, pageSize, unread: unreadOnly ? 'true' : undefined }),
    [page, pageSize, unreadOnly],
  );
  const live = useLiveNotices();
  // A notice that arrived (or was read in another tab) while this page is open: show the list as it is now.
  const seen = useRef(live.version);
  useEffect(() => {
    if (live.version !== seen.current) {
      seen.current = live.version;
      void r.reload();
    }
  }, [live.version]);

  const unread = r.data?.unread ?? 0;

  const markRead = async (n: NotificationItem) => {
    if (n.readAt) return;
    const res = await api.post<{ unread: number }>(`/notifications/${n.id}/read`);
    setUnread(res.unread);
    r.setData(
      (d) =>
        d && {
          ...d,
          unread: res.unread,
          items: d.items.map((x) => (x.id === n.id ? { ...x, readAt: dayjs().toISOString() } : x)),
        },
    );
  };

  const open = async (n: NotificationItem) => {
    await run(() => markRead(n), { key: n.id });
    if (n.link) navigate(n.link);
  };

  return (
    <Card
      title={
        <Space wrap>
          <span>我的通知</span>
          {unread > 0 && <Badge count={unread} overflowCount={999} title={`${unread} 条未读`} />}
        </Space>
      }
      extra={
        <Link to="/notifications/settings">
          <SettingOutlined /> 通知设置
        </Link>
      }
      className="xf-inbox"
    >
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Segmented
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(v) => {
            setUnreadOnly(v === 'unread');
            setPage(1);
          }}
          options={[
            { value: 'all', label: '全部' },
            { value: 'unread', label: '未读' },
          ]}
        />
        <Button
          icon={<CheckOutlined />}
          disabled={unread === 0}
          loading={busyKey === 'all'}
          onClick={() =>
            run(
              async () => {
                const res = await api.post<{ updated: number }>('/notifications/read-all');
                setUnread(0);
                message.success(`已将 ${res.updated} 条通知标为已读`);
                await r.reload();
              },
              { key: 'all' },
            )
          }
        >
          全部标为已读
        </Button>
      </Space>
      <LoadError error={r.error} onRetry={r.reload} />
      <List
        loading={r.loading && !r.data}
        dataSource={r.data?.items ?? []}
        locale={{ emptyText: <Empty description={unreadOnly ? '没有未读通知' : '还没有通知'} /> }}
        renderItem={(n) => (
          <List.Item
            className={n.readAt ? 'xf-notice' : 'xf-notice xf-notice-unread'}
            data-notice-id={n.id}
            actions={
              n.readAt
                ? []
                : [
                    <Button
                      key="read"
                      type="link"
                      size="small"
                      loading={busyKey === n.id}
                      onClick={() => run(() => markRead(n), { key: n.id })}
                    >
                      标为已读
                    </Button>,
                  ]
            }
          >
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  {!n.readAt && <Badge status="processing" aria-label="未读" />}
                  {n.urgent && <Tag color="red">紧急</Tag>}
                  <Tag>{n.kindLabel}</Tag>
                  {n.link ? (
                    <a
                      href={n.link}
                      onClick={(e) => {
                        e.preventDefault();
                        void open(n);
                      }}
                    >
                      {n.title}
                    </a>
                  ) : (
                    <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                  )}
                </Space>
              }
              description={
                <>
                  <Typography.Paragraph style={{ marginBottom: 4 }}>{n.body}</Typography.Paragraph>
                  <Typography.Text type="secondary">{dayjs(n.createdAt).format('YYYY年M月D日 HH:mm')}</Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
      {(r.data?.total ?? 0) > pageSize && (
        <Pagination style={{ marginTop: 12, textAlign: 'right' }} size="small" {...pagination(r.data?.total ?? 0)} />
      )}
    </Card>
  );
}
