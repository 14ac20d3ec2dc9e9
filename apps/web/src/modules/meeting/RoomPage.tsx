/**
 * 线上参会 (member, phone first; issue #27): the meeting's video link and number, sign-in with the code the host
 * reads out, then 发言 and votes during the meeting. Opened from the notice (/my/meetings?meeting=…) with one tap
 * on 「线上参会」. The page checks in every 20 seconds so the host sees the member as connected (and follows the votes,
 * the statements and their raised hand — 举手 — the same way).
 */
import { CheckCircleFilled, ClockCircleOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { VOTE_CHOICE_LABELS, VOTE_CHOICES, type VoteChoice } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Empty, Input, List, Result, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { KindTag, timeOnly, when, type Room } from './labels';
import { useSubmit } from '../../platform/useSubmit';
import { StatementItem } from './StatementItem';

export function RoomPage() {
  const { id = '' } = useParams();
  const { message } = AntApp.useApp();
  const [tick, setTick] = useState(0);
  const room = useAsync(async () => {
    try {
      return await api.get<Room>(`/meetings/${id}/room`);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 422)) return { refused: errorText(e) } as const;
      throw e;
    }
  }, [id, tick]);
  const [code, setCode] = useState('');
  const [text, setText] = useState('');
  const { busyKey: busy, error, run: submit } = useSubmit();

  // While the hand is up the page looks every 5 seconds, so the member sees at once that the host called on them.
  const handUp = Boolean(room.data && !('refused' in room.data) && room.data.hand.raisedAt);
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), handUp ? 5_000 : 20_000);
    return () => clearInterval(t);
  }, [handUp]);

  const run = async (key: string, fn: () => Promise<void>) => {
    await submit(
      async () => {
        await fn();
        setTick((x) => x + 1);
      },
      { key },
    );
  };

  const r = room.data;
  // The page refreshes itself every 20 s: one refresh that fails on a weak phone network must not take the sign-in
  // form and the member's typing away — the last answer stays, with the error above it.
  if (!r)
    return room.error ? <Alert type="error" showIcon message={room.error} /> : <Spin className="xf-center-small" />;
  if ('refused' in r)
    return (
      <Result
        status="warning"
        title="无法进入线上参会"
        subTitle={r.refused}
        extra={
          <Link to="/my/meetings">
            <Button size="large">我的会议</Button>
          </Link>
        }
      />
    );
  const m = r.meeting;
  const a = r.attendance;
  const signedIn = Boolean(a.checkedInAt);

  return (
    <div className="xf-phone-page xf-room">
      <Card className="xf-my-card">
        <div className="xf-my-title">{m.title}</div>
        <div className="xf-my-tags">
          <KindTag kind={m.kind} />
          {signedIn ? (
            <Tag color="green">{a.presence === 'online' ? '已线上签到' : '已在会场签到'}</Tag>
          ) : (
            <Tag>未签到</Tag>
          )}
          {a.leftEarlyAt && <Tag color="orange">已离会</Tag>}
        </div>
        <div className="xf-my-line">
          <ClockCircleOutlined /> {when(m)}
        </div>
        {m.online ? (
          <div className="xf-room-join">
            <div className="xf-my-line">
              <VideoCameraOutlined /> {m.online.serviceLabel} 会议号{' '}
              <Typography.Text strong copyable className="xf-room-number">
                {m.online.number}
              </Typography.Text>
            </div>
            <a href={m.online.link} target="_blank" rel="noopener noreferrer" className="xf-room-link">
              <Button size="large" block icon={<VideoCameraOutlined />}>
                打开{m.online.serviceLabel}入会
              </Button>
            </a>
          </div>
        ) : (
          <div className="xf-my-line">本次会议为现场会议，请到会场扫码签到</div>
        )}
      </Card>

      {(error ?? room.error) && (
        <Alert
          type="error"
          showIcon
          message={error ?? `刷新失败：${room.error}`}
          className="xf-room-error"
          style={{ margin: '12px 0' }}
        />
      )}

      {!signedIn && m.online && (
        <Card className="xf-my-card" title="线上签到">
          <Typography.Paragraph className="xf-my-hint" style={{ marginTop: 0 }}>
            入会后，输入主持人宣读或展示的 6 位签到码（每分钟更换）。签到时间：{timeOnly(r.window.opensAt)}–
            {timeOnly(r.window.closesAt)}
          </Typography.Paragraph>
          <Input
            size="large"
            className="xf-room-code"
            aria-label="签到码"
            placeholder="6 位签到码"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
          <Button
            type="primary"
            size="large"
            block
            style={{ marginTop: 12 }}
            disabled={code.length !== 6}
            loading={busy === 'checkin'}
            onClick={() =>
              void run('checkin', async () => {
                await api.post(`/meetings/${m.id}/remote-checkin`, { code });
                setCode('');
                message.success('线上签到成功');
              })
            }
          >
            签到
          </Button>
        </Card>
      )}

      {signedIn && (
        <Card
          className="xf-my-card"
          title={
            <span>
              <CheckCircleFilled style={{ color: '#389e0d' }} /> {timeOnly(a.checkedInAt!)} 已签到
            </span>
          }
        >
          {r.motions.filter((x) => x.status === 'open').length > 0 && (
            <div className="xf-room-votes">
              {r.motions
                .filter((x) => x.status === 'open')
                .map((x) => (
                  <div key={x.id} className="xf-room-motion" data-testid="motion">
                    <div className="xf-my-title">表决：{x.title}</div>
                    {x.myChoice ? (
                      <Tag color="green">已投票：{VOTE_CHOICE_LABELS[x.myChoice]}</Tag>
                    ) : r.canVote ? (
                      <div className="xf-my-actions">
                        {VOTE_CHOICES.map((c: VoteChoice) => (
                          <Button
                            key={c}
                            size="large"
                            type={c === 'for' ? 'primary' : 'default'}
                            loading={busy === `vote:${x.id}:${c}`}
                            onClick={() =>
                              void run(`vote:${x.id}:${c}`, async () => {
                                await api.post(`/meetings/${m.id}/motions/${x.id}/ballots`, { choice: c });
                                message.success(`已投票：${VOTE_CHOICE_LABELS[c]}`);
                              })
                            }
                          >
                            {VOTE_CHOICE_LABELS[c]}
                          </Button>
                        ))}
                      </div>
                    ) : (
                      <Typography.Text type="secondary">
                        {a.presence === 'in_person'
                          ? '您在会场签到，请在会场举手表决'
                          : '您没有表决权（预备党员列席，不参加表决）'}
                      </Typography.Text>
                    )}
                  </div>
                ))}
            </div>
          )}
          {(r.canRaiseHand || r.hand.raisedAt) && (
            <div className="xf-room-hand" data-testid="hand" style={{ marginBottom: 12 }}>
              {r.hand.calledAt ? (
                <Alert
                  type="success"
                  showIcon
                  message="主持人请您发言"
                  description="请在视频会议中打开麦克风发言；发言结束后点「放下」。"
                />
              ) : r.hand.raisedAt ? (
                <Typography.Paragraph className="xf-my-hint" style={{ margin: 0 }}>
                  已举手（{timeOnly(r.hand.raisedAt)}），排第 {r.hand.position} 位，请等待主持人点名。
                </Typography.Paragraph>
              ) : null}
              <Button
                size="large"
                block
                type={r.hand.raisedAt ? 'default' : 'primary'}
                ghost={!r.hand.raisedAt}
                style={{ marginTop: 8 }}
                loading={busy === 'hand'}
                onClick={() =>
                  void run('hand', async () => {
                    const raise = !r.hand.raisedAt;
                    await api.post(`/meetings/${m.id}/hand`, { raised: raise });
                    message.success(raise ? '已举手，请等待主持人点名' : '已放下');
                  })
                }
              >
                {r.hand.raisedAt ? '放下' : '举手发言'}
              </Button>
            </div>
          )}
          {!a.leftEarlyAt && (
            <>
              <Input.TextArea
                aria-label="发言内容"
                placeholder="书面发言：您的意见、建议或学习体会（署名写入会议记录）"
                autoSize={{ minRows: 3, maxRows: 8 }}
                maxLength={2000}
                value={text}
                onChange={(e) => setText(e.target.value)}
                style={{ fontSize: '1.1em' }}
              />
              <Button
                size="large"
                block
                style={{ marginTop: 12 }}
                disabled={text.trim().length < 2}
                loading={busy === 'say'}
                onClick={() =>
                  void run('say', async () => {
                    await api.post(`/meetings/${m.id}/statements`, { text: text.trim() });
                    setText('');
                    message.success('发言已提交');
                  })
                }
              >
                提交发言
              </Button>
            </>
          )}
        </Card>
      )}

      <Card className="xf-my-card" title="会上发言">
        <List
          dataSource={r.statements}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无发言" /> }}
          renderItem={(s) => <StatementItem s={s} />}
        />
      </Card>
    </div>
  );
}
