/**
 * The public check of a 志愿服务证明 (no login, phone first): what the certificate's QR code opens. It tells whether
 * the serial is genuine and what it certifies — the name masked, the activity, its time, the hours, the issuer (for a
 * yearly certificate: the year, the total and the activities it lists) — and lets a verifier type another serial.
 */
import { CERTIFICATE_SERIAL_RE, type AnyCertificateCheck, type YearCertificateCheck } from '@xianfeng/shared';
import { Alert, Button, Card, Descriptions, Input, List, Result, Spin } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../platform/api';
import { Brand } from '../../platform/Layout';
import { useAsync } from '../../platform/useAsync';
import { hoursText, when } from './labels';

function Answer({ serial }: { serial: string }) {
  const r = useAsync<AnyCertificateCheck | { notFound: string }>(
    () =>
      api
        .get<AnyCertificateCheck>(`/public/volunteer-certificates/${encodeURIComponent(serial)}`)
        .catch((e: unknown) => {
          if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return { notFound: e.message };
          throw e;
        }),
    [serial],
  );
  if (r.error) return <Alert type="error" showIcon message={r.error} />;
  if (!r.data) return <Spin className="xf-center-small" />;
  if ('notFound' in r.data)
    return (
      <div data-genuine="false">
        <Result status="warning" title="未能核验" subTitle={r.data.notFound} className="xf-cert-result" />
      </div>
    );
  const c = r.data;
  if ('kind' in c) return <YearAnswer c={c} />;
  return (
    <div data-genuine="true">
      <Result status="success" title="证明真实有效" subTitle={`证书编号 ${c.serial}`} className="xf-cert-result" />
      <Descriptions column={1} bordered size="small" className="xf-cert-facts">
        <Descriptions.Item label="志愿者">{c.memberName}（姓名部分隐去）</Descriptions.Item>
        <Descriptions.Item label="活动">{c.activityTitle}</Descriptions.Item>
        <Descriptions.Item label="时间">{when(c)}</Descriptions.Item>
        <Descriptions.Item label="服务时长">{hoursText(c.minutes)}</Descriptions.Item>
        <Descriptions.Item label="出具组织">{c.issuer}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}

/** A yearly certificate: the year, the total and the activities it lists (each with its organizing org). */
function YearAnswer({ c }: { c: YearCertificateCheck }) {
  return (
    <div data-genuine="true" data-kind="year">
      <Result
        status="success"
        title="证明真实有效"
        subTitle={`${c.year} 年度志愿服务证明 · 证书编号 ${c.serial}`}
        className="xf-cert-result"
      />
      <Descriptions column={1} bordered size="small" className="xf-cert-facts">
        <Descriptions.Item label="志愿者">{c.memberName}（姓名部分隐去）</Descriptions.Item>
        <Descriptions.Item label="年度">{c.year} 年</Descriptions.Item>
        <Descriptions.Item label="累计服务时长">
          {hoursText(c.minutes)}（{c.activities.length} 次活动）
        </Descriptions.Item>
        <Descriptions.Item label="开具日期">{c.issuedOn}</Descriptions.Item>
      </Descriptions>
      <List
        className="xf-cert-lines"
        size="small"
        header={<strong>所列活动</strong>}
        dataSource={c.activities}
        renderItem={(a) => (
          <List.Item>
            <List.Item.Meta
              title={a.activityTitle}
              description={`${when(a)} · ${a.issuer} · ${hoursText(a.minutes)}`}
            />
          </List.Item>
        )}
      />
    </div>
  );
}

export function VerifyPage() {
  const { serial } = useParams();
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const normalized = typed.trim().toUpperCase();
  return (
    <div className="xf-cert-page">
      <div className="xf-cert-head">
        <Brand />
      </div>
      <Card className="xf-cert-card" title="志愿服务证明核验">
        {serial ? (
          <Answer serial={serial} />
        ) : (
          <Alert
            type="info"
            showIcon
            message="请输入证明上的证书编号（ZYFW-XXXX-XXXX-XXXX，年度证明为 ZYND-XXXX-XXXX-XXXX），或扫描证明上的二维码。"
          />
        )}
        <div className="xf-cert-ask">
          <Input
            aria-label="证书编号"
            placeholder="ZYFW-XXXX-XXXX-XXXX"
            value={typed}
            maxLength={19}
            autoCapitalize="characters"
            autoComplete="off"
            onChange={(e) => setTyped(e.target.value)}
          />
          <Button
            type="primary"
            disabled={!CERTIFICATE_SERIAL_RE.test(normalized)}
            onClick={() => navigate(`/verify/volunteer/${normalized}`)}
          >
            核验
          </Button>
        </div>
        {typed && !CERTIFICATE_SERIAL_RE.test(normalized) && (
          <div className="xf-cert-hint">证书编号应为 ZYFW- 或 ZYND- 加 12 位字母和数字，如 ZYFW-7K3M-Q9TR-2HXP</div>
        )}
      </Card>
    </div>
  );
}
