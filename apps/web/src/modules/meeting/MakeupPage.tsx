/**
 * 补学 (member, phone): the materials of a meeting the member missed — agenda, minutes,
 * resolutions, photos and attachments — and a short reflection to confirm the study.
 * Offline (issue 24): the materials opened before are kept (platform/offline.ts), and a confirmation made with no
 * network is kept on the phone and sent when it returns (platform/queue.ts); the page follows the kept one.
 */
import { ArrowLeftOutlined, CheckCircleFilled, ClockCircleFilled, FileOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Image, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, unreached } from '../../platform/api';
import { NotFound } from '../../platform/pages';
import { enqueue, useQueue } from '../../platform/queue';
import { useSubmit } from '../../platform/useSubmit';
import { useAsync } from '../../platform/useAsync';
import { dateTime, KindTag, when, type Attendance, type InvitationDetail } from './labels';
import { LoadError } from '../../platform/LoadError';

const MIN_REFLECTION = 10;

export function MakeupPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [text, setText] = useState('');
  const { busy, error, run } = useSubmit();
  const inv = useAsync(() => api.record<InvitationDetail>(`/meeting-invitations/${id}`), [id]);
  const path = `/meeting-invitations/${id}/makeup`;
  // The confirmation kept on this phone, if one was made offline; once sent, its answer is the record.
  const kept = useQueue()
    .filter((i) => i.path === path)
    .at(-1);
  const d =
    inv.data && kept?.state === 'sent' && !inv.data.makeupDoneAt
      ? { ...inv.data, ...(kept.result as Attendance) }
      : inv.data;

  if (inv.error) return <LoadError error={inv.error} onRetry={inv.reload} />;
  if (d === null)
    return (
      <NotFound
        title="未找到该会议通知"
        back={{ to: '/my/meetings', label: '返回我的会议' }}
        button={{ size: 'large' }}
      />
    );
  if (!d) return <Card loading />;
  const mat = d.materials;
  const photos = mat?.files.filter((f) => f.mime.startsWith('image/')) ?? [];
  const others = mat?.files.filter((f) => !f.mime.startsWith('image/')) ?? [];
  const needed = !d.checkedInAt && d.invited && !d.makeupDoneAt && Boolean(mat) && kept?.state !== 'waiting';

  const submit = () =>
    run(async () => {
      const reflection = text.trim();
      try {
        const saved = await api.post<Attendance>(path, { reflection });
        inv.setData({ ...d, ...saved });
        message.success('补学已确认');
      } catch (e) {
        // No network: kept on the phone and sent when it returns (the page then shows the kept one).
        if (!(unreached(e) && enqueue({ title: `补学：${d.meeting.title}`, path, body: { reflection, queued: true } })))
          throw e;
      }
    });

  return (
    <div className="xf-phone-page">
      <Card
        className="xf-makeup"
        title={
          <span className="xf-wrap">
            <Button
              type="text"
              icon={<ArrowLeftOutlined />}
              aria-label="返回"
              onClick={() => navigate('/my/meetings?tab=makeup')}
            />
            补学
          </span>
        }
      >
        <div className="xf-my-title">{d.meeting.title}</div>
        <div className="xf-my-tags">
          <KindTag kind={d.meeting.kind} />
        </div>
        <div className="xf-my-line">{when(d.meeting)}</div>
        <div className="xf-my-line">{d.meeting.location}</div>
        {!mat && (
          <Alert type="info" showIcon message="会议尚未召开或尚无会议记录，暂无学习材料" style={{ marginTop: 12 }} />
        )}
        {mat && (
          <div className="xf-material">
            {(mat.speaker || mat.topic) && (
              <>
                <h3>党课</h3>
                <p>
                  {mat.speaker ? `主讲人：${mat.speaker}` : ''} {mat.topic ? `题目：${mat.topic}` : ''}
                </p>
              </>
            )}
            {mat.agenda && (
              <>
                <h3>会议议程</h3>
                <div className="xf-pre">{mat.agenda}</div>
              </>
            )}
            <h3>会议内容</h3>
            <div className="xf-pre">{mat.content}</div>
            {mat.resolutions.length > 0 && (
              <>
                <h3>会议决议</h3>
                <ol className="xf-resolutions">
                  {mat.resolutions.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ol>
              </>
            )}
            {photos.length > 0 && (
              <>
                <h3>会议照片</h3>
                <Image.PreviewGroup>
                  <div className="xf-photos">
                    {photos.map((f) => (
                      <Image
                        key={f.id}
                        src={f.url}
                        alt={f.fileName}
                        width="100%"
                        height={120}
                        style={{ objectFit: 'cover' }}
                      />
                    ))}
                  </div>
                </Image.PreviewGroup>
              </>
            )}
            {others.length > 0 && (
              <>
                <h3>学习材料</h3>
                {others.map((f) => (
                  <div key={f.id}>
                    <a href={f.url} target="_blank" rel="noreferrer" className="xf-wrap">
                      <FileOutlined /> {f.fileName}
                    </a>
                  </div>
                ))}
              </>
            )}
          </div>
        )}
        {d.makeupDoneAt && (
          <div className="xf-makeup-done" role="status">
            <CheckCircleFilled /> 已于 {dateTime(d.makeupDoneAt)} 确认补学{d.makeupOnBehalf && '（由支部代为填写）'}
            {d.makeupReflection && <Typography.Paragraph className="xf-pre">{d.makeupReflection}</Typography.Paragraph>}
          </div>
        )}
        {kept?.state === 'waiting' && (
          <div className="xf-makeup-done" role="status">
            <ClockCircleFilled /> 手机没有网络，补学确认已保存在本机，联网后自动提交，不用再填。
            <Typography.Paragraph className="xf-pre">{String(kept.body.reflection)}</Typography.Paragraph>
          </div>
        )}
        {kept?.state === 'failed' && (
          <Alert type="error" showIcon message="离线保存的补学确认未能提交" description={kept.error} />
        )}
        {d.checkedInAt && (
          <Alert type="success" showIcon message="您已参加本次会议，无需补学" style={{ marginTop: 16 }} />
        )}
        {needed && (
          <div className="xf-makeup-form">
            <h3>学习体会</h3>
            <Input.TextArea
              aria-label="学习体会"
              placeholder={`学习了会议内容后，写几句体会（至少 ${MIN_REFLECTION} 个字）`}
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoSize={{ minRows: 4, maxRows: 10 }}
              maxLength={2000}
              showCount
            />
            {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
            <Button
              type="primary"
              size="large"
              block
              className="xf-big-button"
              loading={busy}
              disabled={text.trim().length < MIN_REFLECTION}
              onClick={() => void submit()}
            >
              确认已学习
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}
