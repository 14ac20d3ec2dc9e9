/**
 * 缴纳党费 (member, phone first): which months are paid (every unpaid month, oldest first),
 * WeChat Pay or Alipay as two big buttons, an optional prepayment of a few months and a
 * voluntary extra amount, then the provider's cashier. The provider sends the payer back to
 * /dues/receipt/return, which finds this payment (kept in sessionStorage) and waits for it.
 */
import { AlipayCircleFilled, ArrowLeftOutlined, CheckCircleFilled, WechatFilled } from '@ant-design/icons';
import { VOLUNTARY_CITATION, VOLUNTARY_TO_CENTRAL_FEN } from '@xianfeng/shared';
import { Alert, Button, Card, Empty, Input, List, Spin } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { addMonths, monthText, thisMonth, toFen, yuan } from './format';
import { OfflineInfoCard } from './OfflineInfo';
import type { DuesBill, MyDues, PayOptions, PayReply, Settings } from './types';

/** Where the pay page leaves the payment id for the receipt page the provider returns to. */
export const PAYING_KEY = 'xf.dues.paying';

const monthsBetween = (a: string, b: string) => {
  const [ya, ma] = a.split('-').map(Number) as [number, number];
  const [yb, mb] = b.split('-').map(Number) as [number, number];
  return yb * 12 + mb - (ya * 12 + ma);
};

type Channel = 'wechat' | 'alipay';

export function PayPage() {
  const data = useAsync(
    () =>
      Promise.all([
        api.get<MyDues>('/dues/me'),
        api.get<Page<DuesBill>>('/dues/me/bills', { status: 'unpaid', pageSize: 200 }),
        api.get<Settings>('/dues/settings'),
        api.get<PayOptions>('/dues/me/pay-options'),
      ]),
    [],
  );
  const [picked, setPicked] = useState<Channel | null>(null);
  const [ahead, setAhead] = useState(0);
  const [extraText, setExtraText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (data.error) return <LoadError error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Spin className="xf-dues-spin" />;
  const [me, unpaid, settings, options] = data.data;
  // Only the channels this server is configured for; none → the branch's offline way (no dead end).
  const channels = (['wechat', 'alipay'] as const).filter((c) => options.online[c]);
  const channel: Channel = picked && channels.includes(picked) ? picked : (channels[0] ?? 'wechat');
  const setChannel = setPicked;
  const bills = unpaid.items.filter((b) => b.dueFen > 0).sort((a, b) => a.month.localeCompare(b.month));
  const back = (
    <Link to="/my/dues">
      <Button size="large" icon={<ArrowLeftOutlined />}>
        返回我的党费
      </Button>
    </Link>
  );
  if (bills.length > 0 && channels.length === 0)
    return (
      <div className="xf-dues-phone">
        <Card title="缴纳党费" className="xf-dues-main">
          <Alert type="info" showIcon message="本系统未开通在线缴纳党费，请按以下方式到支部交纳" />
          <OfflineInfoCard info={options.offline} title="线下交纳方式" />
          <div style={{ textAlign: 'center', marginTop: 16 }}>{back}</div>
        </Card>
      </div>
    );
  // Online 补交 reaches back maxCatchUpMonths (CATCH_UP_RULE); older arrears are settled with the branch first.
  const tooOld = bills.filter((b) => monthsBetween(b.month, thisMonth()) > settings.maxCatchUpMonths);
  if (tooOld.length > 0)
    return (
      <div className="xf-dues-phone">
        <Card title="缴纳党费" className="xf-dues-main">
          <Alert
            type="warning"
            showIcon
            data-testid="catch-up-limit"
            message={`${tooOld[0]!.month.slice(0, 7)} 起有 ${tooOld.length} 个月的党费超过在线补交期限`}
            description={`在线最多补交本月之前 ${settings.maxCatchUpMonths} 个月的党费。更早的欠缴请按以下方式联系党支部补交，补交后即可在线交纳以后的党费。`}
          />
          <OfflineInfoCard info={options.offline} title="线下交纳方式" />
          <div style={{ textAlign: 'center', marginTop: 16 }}>{back}</div>
        </Card>
      </div>
    );
  if (bills.length === 0)
    return (
      <div className="xf-dues-phone">
        <Card title="缴纳党费" className="xf-dues-main">
          <Empty description="没有待交的党费" />
          <div style={{ textAlign: 'center', marginTop: 16 }}>{back}</div>
        </Card>
      </div>
    );

  // The latest unpaid bill anchors the order; earlier ones are caught up, later ones prepaid.
  const anchor = bills[bills.length - 1]!;
  const maxAhead = Math.max(0, settings.maxPrepayMonths - Math.max(0, monthsBetween(thisMonth(), anchor.month)));
  const monthly = me.base?.monthlyFen ?? anchor.dueFen;
  const extraFen = extraText.trim() ? toFen(extraText) : 0;
  const billsFen = bills.reduce((s, b) => s + b.dueFen, 0);
  const totalFen = billsFen + ahead * monthly + (extraFen ?? 0);

  const pay = async () => {
    if (extraFen === undefined) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<PayReply>(`/dues-bills/${anchor.id}/pay`, {
        channel,
        tradeType: channel === 'wechat' ? 'h5' : 'wap',
        aheadMonths: ahead,
        catchUp: bills.length > 1,
        extraFen,
        returnPath: '/dues/receipt/return',
      });
      sessionStorage.setItem(PAYING_KEY, r.payment.id);
      if (r.next.kind === 'redirect') {
        window.location.assign(r.next.url);
        return;
      }
      setError('请在手机浏览器中打开本页面缴费');
    } catch (e) {
      setError(errorText(e));
    }
    setBusy(false);
  };

  return (
    <div className="xf-dues-phone">
      <Card title="缴纳党费" className="xf-dues-main" extra={<Link to="/my/dues">返回</Link>}>
        <div className="xf-dues-section-title">本次交纳</div>
        <List<DuesBill>
          className="xf-dues-list"
          dataSource={bills}
          renderItem={(b) => (
            <List.Item>
              <span className="xf-dues-list-main">{monthText(b.month)}</span>
              <span className="xf-dues-list-amount">{yuan(b.dueFen)}</span>
            </List.Item>
          )}
        />

        {maxAhead > 0 && (
          <>
            <div className="xf-dues-section-title">预交以后的月份（可选）</div>
            <div className="xf-dues-choices" role="radiogroup" aria-label="预交月数">
              {Array.from({ length: Math.min(maxAhead, 6) + 1 }, (_, n) => (
                <Button
                  key={n}
                  size="large"
                  role="radio"
                  aria-checked={ahead === n}
                  type={ahead === n ? 'primary' : 'default'}
                  onClick={() => setAhead(n)}
                >
                  {n === 0 ? '不预交' : `${n} 个月`}
                </Button>
              ))}
            </div>
            {ahead > 0 && (
              <div className="xf-dues-muted">
                预交 {monthText(addMonths(anchor.month, 1))}
                {ahead > 1 && ` 至 ${monthText(addMonths(anchor.month, ahead))}`}，每月 {yuan(monthly)}
              </div>
            )}
          </>
        )}

        <div className="xf-dues-section-title">自愿多交（可选）</div>
        <Input
          size="large"
          inputMode="decimal"
          aria-label="自愿多交金额（元）"
          placeholder="不多交请留空"
          suffix="元"
          value={extraText}
          status={extraFen === undefined ? 'error' : undefined}
          onChange={(e) => setExtraText(e.target.value)}
        />
        {extraFen === undefined && <div className="xf-dues-error">请填写金额，如 50 或 50.00</div>}
        {(extraFen ?? 0) >= VOLUNTARY_TO_CENTRAL_FEN && (
          <Alert type="info" showIcon style={{ marginTop: 8 }} message={VOLUNTARY_CITATION} />
        )}

        <div className="xf-dues-section-title">支付方式</div>
        <div className="xf-dues-channels" role="radiogroup" aria-label="支付方式">
          {(
            [
              ['wechat', '微信支付', <WechatFilled key="w" style={{ color: '#07c160' }} />],
              ['alipay', '支付宝', <AlipayCircleFilled key="a" style={{ color: '#1677ff' }} />],
            ] as const
          )
            .filter(([key]) => channels.includes(key))
            .map(([key, label, icon]) => (
              <button
                key={key}
                type="button"
                role="radio"
                aria-checked={channel === key}
                className={channel === key ? 'xf-dues-channel xf-dues-channel-on' : 'xf-dues-channel'}
                onClick={() => setChannel(key)}
              >
                <span className="xf-dues-channel-icon">{icon}</span>
                <span>{label}</span>
                {channel === key && <CheckCircleFilled className="xf-dues-channel-check" />}
              </button>
            ))}
        </div>

        <div className="xf-dues-total">
          合计 <strong data-testid="pay-total">{yuan(totalFen)}</strong>
        </div>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Button
          type="primary"
          size="large"
          block
          className="xf-dues-pay-button"
          loading={busy}
          disabled={extraFen === undefined}
          onClick={() => void pay()}
        >
          确认缴费 {yuan(totalFen)}
        </Button>
        <div className="xf-dues-muted" style={{ marginTop: 8, textAlign: 'center' }}>
          将跳转到{channel === 'wechat' ? '微信支付' : '支付宝'}完成付款，付款后自动返回并出具收据
        </div>
      </Card>
    </div>
  );
}
