/**
 * 党费收据: after the provider's cashier the payer lands here (/dues/receipt/return → the
 * payment kept by the pay page); the page waits until the provider's signed notification has
 * marked the payment paid, then shows the receipt. Also opened from the payment record.
 */
import { CheckCircleFilled, LoadingOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Spin } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { dateTime, monthText, yuan } from './format';
import { PAYING_KEY } from './PayPage';
import type { DuesPayment, Receipt } from './types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = 1500;
const POLL_LIMIT = 40; // one minute

type State =
  | { step: 'waiting'; tries: number }
  | { step: 'slow' }
  | { step: 'closed' }
  | { step: 'done'; receipt: Receipt }
  | { step: 'error'; message: string };

function Pair({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className="xf-receipt-pair">
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

function ReceiptView({ r }: { r: Receipt }) {
  return (
    <div className="xf-receipt" data-testid="receipt">
      <div className="xf-receipt-title">党 费 收 据</div>
      <div className="xf-receipt-no">No. {r.receiptNo}</div>
      <dl className="xf-receipt-grid">
        <Pair label="交款人">{r.memberName}</Pair>
        <Pair label="所在组织">{r.orgName}</Pair>
        {r.months.map((m) => (
          <Pair key={m.month} label={`${monthText(m.month)}党费`}>
            {yuan(m.amountFen)}
          </Pair>
        ))}
        {r.extraFen > 0 && <Pair label="自愿多交">{yuan(r.extraFen)}</Pair>}
        <Pair label="合计" className="xf-receipt-total">
          <span data-testid="receipt-amount">{yuan(r.amountFen)}</span>
        </Pair>
        <Pair label="大写">人民币{r.amountInWords}</Pair>
        <Pair label="支付方式">{r.channelLabel}</Pair>
        {r.providerTradeNo && (
          <Pair label="交易单号" className="xf-receipt-mono">
            {r.providerTradeNo}
          </Pair>
        )}
        <Pair label="缴费时间">{dateTime(r.paidAt)}</Pair>
        <Pair label="收款单位">{r.issuedBy}</Pair>
      </dl>
    </div>
  );
}

export function ReceiptPage() {
  const { paymentId = '' } = useParams();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [state, setState] = useState<State>({ step: 'waiting', tries: 0 });
  const [round, setRound] = useState(0);

  // Back from the provider: find the payment the pay page started (or the member's latest).
  useEffect(() => {
    if (paymentId !== 'return') return;
    let alive = true;
    void (async () => {
      let id = sessionStorage.getItem(PAYING_KEY);
      if (!id) {
        try {
          id = (await api.get<Page<DuesPayment>>('/dues/me/payments', { pageSize: 1 })).items[0]?.id ?? null;
        } catch (e) {
          if (alive) setState({ step: 'error', message: errorText(e) });
          return;
        }
      }
      if (!alive) return;
      if (id) navigate(`/dues/receipt/${id}`, { replace: true });
      else setState({ step: 'error', message: '没有找到这笔缴费，请在“缴费记录”中查看' });
    })();
    return () => {
      alive = false;
    };
  }, [paymentId, navigate]);

  useEffect(() => {
    if (paymentId === 'return') return;
    let alive = true;
    void (async () => {
      try {
        for (let tries = 0; alive; tries++) {
          const p = await api.get<DuesPayment>(`/dues-payments/${paymentId}`);
          if (!alive) return;
          if (p.status === 'paid' || p.status === 'conflict') {
            const receipt = await api.get<Receipt>(`/dues-payments/${paymentId}/receipt`);
            if (sessionStorage.getItem(PAYING_KEY) === paymentId) sessionStorage.removeItem(PAYING_KEY);
            if (alive) setState({ step: 'done', receipt });
            return;
          }
          if (p.status === 'closed') return setState({ step: 'closed' });
          if (tries >= POLL_LIMIT) return setState({ step: 'slow' });
          setState({ step: 'waiting', tries });
          await sleep(POLL_MS);
        }
      } catch (e) {
        if (alive) setState({ step: 'error', message: errorText(e) });
      }
    })();
    return () => {
      alive = false;
    };
  }, [paymentId, round]);

  const backTo = can('member') ? '/my/dues?tab=payments' : '/dues?tab=bills';
  const back = (
    <Link to={backTo}>
      <Button size="large" block>
        {can('member') ? '返回我的党费' : '返回党费管理'}
      </Button>
    </Link>
  );
  return (
    <div className="xf-dues-phone">
      <Card className="xf-dues-main">
        {state.step === 'waiting' && (
          <Result
            icon={<Spin indicator={<LoadingOutlined style={{ fontSize: 48 }} spin />} />}
            title="正在确认支付结果…"
            subTitle="支付平台通知到账后会自动显示收据，请稍候"
          />
        )}
        {state.step === 'slow' && (
          <Result
            status="warning"
            title="暂未收到支付结果"
            subTitle="如果您已付款，请稍后刷新；没有付款则不会扣款"
            extra={
              <Button type="primary" size="large" onClick={() => setRound((n) => n + 1)}>
                刷新
              </Button>
            }
          />
        )}
        {state.step === 'closed' && <Result status="info" title="这笔订单已关闭" subTitle="没有扣款，可以重新缴费" />}
        {state.step === 'error' && <Alert type="error" showIcon message={state.message} />}
        {state.step === 'done' && (
          <>
            <div className="xf-receipt-ok">
              <CheckCircleFilled /> 缴费成功
            </div>
            <ReceiptView r={state.receipt} />
            <Button size="large" block style={{ margin: '16px 0 8px' }} onClick={() => window.print()}>
              打印收据
            </Button>
          </>
        )}
        {back}
      </Card>
    </div>
  );
}
