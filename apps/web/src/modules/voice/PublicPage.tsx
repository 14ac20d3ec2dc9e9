/**
 * An org's public link for employees who are not members (no login, phone first): enter the
 * one-time code from the slip (or arrive with it from the slip's QR code), then write an opinion
 * or answer the survey the code is for; follow an opinion later with its 查询码.
 */
import type { CodeInfo, OpinionDetail, OpinionReceipt } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Input, Result, Spin, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { api, errorText } from '../../platform/api';
import { Brand } from '../../platform/Layout';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { OpinionCard, OpinionForm, ReceiptResult, SurveyAnswerForm } from './forms';
import { KindTag, showCode } from './labels';
import { useSubmit } from '../../platform/useSubmit';

function Participate({ orgId }: { orgId: string }) {
  const [params] = useSearchParams();
  const [code, setCode] = useState(() => (params.get('c') ? showCode(params.get('c')!) : ''));
  const [info, setInfo] = useState<CodeInfo | null>(null);
  const { busy, error, run } = useSubmit();
  const [receipt, setReceipt] = useState<OpinionReceipt | null>(null);
  const [answered, setAnswered] = useState(false);
  if (receipt?.receipt) return <ReceiptResult receipt={receipt.receipt} dueOn={receipt.dueOn} />;
  if (answered) return <Result status="success" title="已提交，感谢参与" subTitle="参与码已使用。" />;
  if (!info)
    return (
      <div className="xf-voice-form">
        <Typography.Paragraph>
          请输入党组织发给你的 12 位参与码（纸条上的字母和数字），每个参与码只能使用一次。
        </Typography.Paragraph>
        <Input
          size="large"
          aria-label="参与码"
          placeholder="XXXX-XXXX-XXXX"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          maxLength={20}
          className="xf-voice-code-input"
          autoCapitalize="characters"
          autoComplete="off"
        />
        {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
        <Button
          type="primary"
          size="large"
          block
          loading={busy}
          disabled={code.replace(/[\s-]/g, '').length < 12}
          style={{ marginTop: 12 }}
          onClick={async () => {
            await run(async () => {
              setInfo(await api.post<CodeInfo>('/public/voice/code', { orgId, code }));
            });
          }}
        >
          下一步
        </Button>
      </div>
    );
  if (info.purpose === 'survey' && info.survey) {
    const s = info.survey;
    return (
      <>
        <Typography.Title level={4}>{s.title}</Typography.Title>
        <div className="xf-my-tags">
          <KindTag k={s.kind} />
          {s.anonymous && <Typography.Text type="secondary">匿名</Typography.Text>}
        </div>
        {s.description && <Typography.Paragraph>{s.description}</Typography.Paragraph>}
        {s.state === 'open' ? (
          <SurveyAnswerForm
            survey={s}
            onSubmit={async (answers) => {
              await api.post(`/public/voice/surveys/${s.id}/responses`, { orgId, code, answers });
              setAnswered(true);
            }}
          />
        ) : (
          <Alert type="warning" message={s.state === 'ended' ? '问卷已结束' : '问卷尚未开始'} />
        )}
      </>
    );
  }
  return (
    <OpinionForm
      anonymity="none"
      employee
      onSubmit={async (v) => {
        setReceipt(await api.post<OpinionReceipt>('/public/voice/opinions', { ...v, orgId, code }));
      }}
    />
  );
}

function Follow() {
  const [receipt, setReceipt] = useState('');
  const [item, setItem] = useState<OpinionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { message } = AntApp.useApp();
  const look = async () => {
    setError(null);
    try {
      setItem(await api.post<OpinionDetail>('/public/voice/receipt', { receipt }));
    } catch (e) {
      setItem(null);
      setError(errorText(e));
    }
  };
  return (
    <div className="xf-voice-form">
      <Input.Search
        size="large"
        aria-label="查询码"
        placeholder="输入提交后得到的查询码"
        enterButton="查询"
        value={receipt}
        onChange={(e) => setReceipt(e.target.value)}
        onSearch={look}
      />
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      {item && (
        <div style={{ marginTop: 12 }}>
          <OpinionCard
            o={item}
            receipt={receipt}
            onRate={async (rating, comment) => {
              setItem(
                await api.post<OpinionDetail>('/public/voice/receipt/rate', {
                  receipt,
                  rating,
                  ...(comment ? { comment } : {}),
                }),
              );
              message.success('感谢评价');
            }}
            onWithdraw={async () => {
              setItem(await api.post<OpinionDetail>('/public/voice/receipt/withdraw', { receipt }));
              message.success('已撤回');
            }}
          />
        </div>
      )}
    </div>
  );
}

export function PublicPage() {
  const { orgId } = useParams();
  const org = useAsync(() => api.get<{ id: string; name: string }>(`/public/voice/orgs/${orgId}`), [orgId]);
  return (
    <div className="xf-voice-public">
      <div className="xf-voice-public-head">
        <Brand />
      </div>
      <Card className="xf-voice-public-card" title={org.data ? `${org.data.name} · 职工意见与测评` : '职工意见与测评'}>
        <LoadError error={org.error} onRetry={org.reload} />
        {!org.data && !org.error && <Spin className="xf-center-small" />}
        {org.data && (
          <Tabs
            items={[
              { key: 'go', label: '参与', children: <Participate orgId={org.data.id} /> },
              { key: 'follow', label: '查询答复', children: <Follow /> },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
