/**
 * 我要建议 (phone first): write an opinion to one's own org or one above (named or anonymous),
 * follow one's own — named ones by account, anonymous ones by the 查询码 kept on this phone or
 * typed in — rate the answers, and read the 公开答复栏.
 */
import { BulbOutlined } from '@ant-design/icons';
import {
  ANONYMITY_LABELS,
  ORG_KIND_LABELS,
  type Opinion,
  type OpinionDetail,
  type OpinionReceipt,
  type OpinionTarget,
  type OrgKind,
} from '@xianfeng/shared';
import { App as AntApp, Button, Card, Empty, Form, Input, Pagination, Select, Spin, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { OpinionCard, OpinionForm, ReceiptResult } from './forms';
import { forgetReceipt, saveReceipt, savedReceipts } from './labels';
import { useSubmit } from '../../platform/useSubmit';

function Write({ onDone }: { onDone: () => void }) {
  const targets = useAsync(() => api.get<{ items: OpinionTarget[] }>('/voice/opinion-targets'), []);
  const [orgId, setOrgId] = useState<string | undefined>();
  const [sent, setSent] = useState<OpinionReceipt | null>(null);
  const { message } = AntApp.useApp();
  const items = targets.data?.items ?? [];
  const chosen = items.find((t) => t.orgId === orgId) ?? items.at(-1);
  if (targets.error) return <LoadError error={targets.error} onRetry={targets.reload} />;
  if (!targets.data) return <Spin className="xf-center-small" />;
  if (sent?.receipt)
    return (
      <ReceiptResult
        receipt={sent.receipt}
        dueOn={sent.dueOn}
        extra={
          <Button type="link" onClick={() => setSent(null)}>
            再写一条
          </Button>
        }
      />
    );
  return (
    <OpinionForm
      anonymity={chosen?.anonymity}
      before={
        <Form.Item
          label="提交给"
          extra={
            chosen
              ? `答复期限 ${chosen.answerDays} 天。${ANONYMITY_LABELS[chosen.anonymity].split('：')[0]}方式。`
              : undefined
          }
        >
          <Select
            aria-label="提交给"
            value={chosen?.orgId}
            onChange={setOrgId}
            options={items.map((t) => ({
              value: t.orgId,
              label: `${t.orgName}（${ORG_KIND_LABELS[t.kind as OrgKind] ?? ''}）`,
            }))}
          />
        </Form.Item>
      }
      onSubmit={async (v) => {
        const r = await api.post<OpinionReceipt>('/voice/opinions', {
          orgId: chosen!.orgId,
          category: v.category,
          title: v.title,
          body: v.body,
          anonymous: v.anonymous,
          allowPublic: v.allowPublic,
        });
        if (r.receipt) saveReceipt(r.receipt);
        else message.success(`已提交，党组织将在 ${r.dueOn} 前答复`);
        setSent(r);
        onDone();
      }}
    />
  );
}

function Mine() {
  const [page, setPage] = useState(1);
  const named = useAsync(() => api.get<Page<Opinion>>('/voice/opinions/mine', { page, pageSize: 10 }), [page]);
  const [receipts, setReceipts] = useState(savedReceipts);
  const anonymous = useAsync(
    async () =>
      (
        await Promise.all(
          receipts.map((r) =>
            api
              .post<OpinionDetail>('/public/voice/receipt', { receipt: r })
              .then((o) => ({ r, o }))
              .catch(() => null),
          ),
        )
      ).filter((x): x is { r: string; o: OpinionDetail } => x !== null),
    [receipts],
  );
  const [code, setCode] = useState('');
  const { message } = AntApp.useApp();
  const { busy, run } = useSubmit('toast');
  const rate = (id: string) => async (rating: number, comment: string) => {
    await api.post(`/voice-opinions/${id}/rate`, { rating, ...(comment ? { comment } : {}) });
    message.success('感谢评价');
    await named.reload();
  };
  const rateByReceipt = (receipt: string) => async (rating: number, comment: string) => {
    await api.post('/public/voice/receipt/rate', { receipt, rating, ...(comment ? { comment } : {}) });
    message.success('感谢评价');
    await anonymous.reload();
  };
  return (
    <div className="xf-my-list">
      <Card size="small" className="xf-voice-lookup">
        <Typography.Text>匿名提交的意见凭查询码查看：</Typography.Text>
        <Input.Search
          aria-label="查询码"
          placeholder="输入 12 位查询码"
          enterButton="查询"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          loading={busy}
          onSearch={(v) => {
            const r = v.trim();
            if (r)
              void run(async () => {
                await api.post('/public/voice/receipt', { receipt: r });
                saveReceipt(r);
                setReceipts(savedReceipts());
                setCode('');
              });
          }}
        />
      </Card>
      <LoadError
        error={named.error ?? anonymous.error}
        onRetry={() => Promise.all([named.reload(), anonymous.reload()])}
      />
      {(anonymous.data ?? []).map(({ r, o }) => (
        <OpinionCard
          key={r}
          o={o}
          receipt={r}
          onRate={rateByReceipt(r)}
          onWithdraw={async () => {
            await api.post('/public/voice/receipt/withdraw', { receipt: r });
            message.success('已撤回');
            await anonymous.reload();
          }}
          extra={
            <Button
              type="link"
              size="small"
              onClick={() => {
                forgetReceipt(r);
                setReceipts(savedReceipts());
              }}
            >
              从本机移除
            </Button>
          }
        />
      ))}
      {named.data?.items.map((o) => (
        <OpinionCard
          key={o.id}
          o={o}
          onRate={rate(o.id)}
          onWithdraw={async () => {
            await api.post(`/voice-opinions/${o.id}/withdraw`, {});
            message.success('已撤回');
            await named.reload();
          }}
        />
      ))}
      {named.data && named.data.items.length === 0 && (anonymous.data ?? []).length === 0 && (
        <Empty description="还没有提交过意见建议" />
      )}
      {named.data && named.data.total > 10 && (
        <Pagination current={page} total={named.data.total} pageSize={10} onChange={setPage} simple />
      )}
    </div>
  );
}

function Board() {
  const [page, setPage] = useState(1);
  const board = useAsync(() => api.get<Page<Opinion>>('/voice/board', { page, pageSize: 10 }), [page]);
  if (board.error) return <LoadError error={board.error} onRetry={board.reload} />;
  if (!board.data) return <Spin className="xf-center-small" />;
  return (
    <div className="xf-my-list">
      {board.data.items.length === 0 && <Empty description="暂无公开的答复" />}
      {board.data.items.map((o) => (
        <OpinionCard key={o.id} o={o} />
      ))}
      {board.data.total > 10 && (
        <Pagination current={page} total={board.data.total} pageSize={10} onChange={setPage} simple />
      )}
    </div>
  );
}

export function MyOpinionsPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'write';
  const [, setTick] = useState(0);
  return (
    <Card
      className="xf-voice-page"
      title={
        <span>
          <BulbOutlined /> 我要建议
        </span>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'write' ? {} : { tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'write', label: '提建议', children: <Write onDone={() => setTick((x) => x + 1)} /> },
          { key: 'mine', label: '我的建议', children: <Mine /> },
          { key: 'board', label: '公开答复', children: <Board /> },
        ]}
      />
    </Card>
  );
}
