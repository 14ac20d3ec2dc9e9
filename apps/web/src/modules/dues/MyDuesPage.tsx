/**
 * 我的党费 (member, phone first): the base and monthly amount with the rule it follows, what is
 * still unpaid (a clear warning from 3 months on), one big 「去缴费」 button, the payment record
 * with receipts, a base-correction request, and the branch's public ledger (党费公开).
 * Large, one column, plain words — many members read this on a phone at over sixty.
 */
import { ExclamationCircleOutlined, FileTextOutlined, WalletOutlined } from '@ant-design/icons';
import { ARREARS_CITATION } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, List, Spin, Tag } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import {
  ApprovalTag,
  BillStatusTag,
  categoryLabel,
  channelLabel,
  dateTime,
  monthText,
  PaymentStatusTag,
  rateText,
  thisYear,
  toFen,
  yuan,
} from './format';
import { OfflineInfoCard } from './OfflineInfo';
import { PublicLedgerView } from './PublicLedgerView';
import type { DuesBase, DuesBill, DuesPayment, MyDues, PayOptions, PublicLedger, Quote } from './types';
import { useSubmit } from '../../platform/useSubmit';

function ArrearsAlert({ count, owedFen }: { count: number; owedFen: number }) {
  if (count === 0) return null;
  if (count >= 6)
    return (
      <Alert
        type="error"
        showIcon
        className="xf-dues-alert"
        message={`您已有 ${count} 个月党费未交纳，合计 ${yuan(owedFen)}`}
        description={`${ARREARS_CITATION}。请立即交纳，或与支部书记联系说明情况。`}
      />
    );
  if (count >= 3)
    return (
      <Alert
        type="error"
        showIcon
        className="xf-dues-alert"
        message={`您已有 ${count} 个月党费未交纳，合计 ${yuan(owedFen)}`}
        description="请尽快补交。党章规定：连续六个月不交纳党费、又没有正当理由的，被认为是自行脱党。"
      />
    );
  return (
    <Alert
      type="warning"
      showIcon
      className="xf-dues-alert"
      message={`您有 ${count} 个月党费待交纳，合计 ${yuan(owedFen)}`}
    />
  );
}

function Summary({ me }: { me: MyDues }) {
  const base = me.base;
  const quote = useAsync(
    () =>
      base
        ? api.post<Quote>('/dues/quote', { category: base.category, monthlyBaseFen: base.monthlyBaseFen })
        : Promise.resolve(null),
    [base?.id],
  );
  return (
    <div className="xf-dues-summary">
      <div className="xf-dues-big-row">
        <div>
          <div className="xf-dues-label">每月应交</div>
          <div className="xf-dues-amount" data-testid="monthly-amount">
            {base ? yuan(base.monthlyFen) : '—'}
          </div>
        </div>
        <div>
          <div className="xf-dues-label">待交</div>
          <div className={me.unpaidCount ? 'xf-dues-amount xf-dues-owed' : 'xf-dues-amount'}>
            {me.unpaidCount ? yuan(me.owedFen) : '已交清'}
          </div>
        </div>
      </div>
      {base ? (
        <div className="xf-dues-lines">
          {base.monthlyBaseFen > 0 && <div>月核定基数：{yuan(base.monthlyBaseFen)}</div>}
          <div>
            {categoryLabel(base.category)}党员，按 {rateText(base.rateBp)} 交纳，自 {monthText(base.effectiveFrom)} 起
          </div>
          {quote.data && <div className="xf-dues-cite">依据：{quote.data.ruleCitation}</div>}
        </div>
      ) : (
        <Alert type="info" showIcon message="支部尚未核定您的党费基数，请联系支部书记" />
      )}
    </div>
  );
}

function UnpaidList({ bills }: { bills: DuesBill[] }) {
  if (bills.length === 0) return <Empty description="没有待交的党费，谢谢您按时交纳" />;
  return (
    <List<DuesBill>
      className="xf-dues-list"
      dataSource={bills}
      renderItem={(b) => (
        <List.Item data-testid="unpaid-bill">
          <span className="xf-dues-list-main">{monthText(b.month)}</span>
          <span className="xf-dues-list-amount">{yuan(b.dueFen)}</span>
          <BillStatusTag status={b.status} />
        </List.Item>
      )}
    />
  );
}

function Payments() {
  const list = useAsync(() => api.get<Page<DuesPayment>>('/dues/me/payments', { pageSize: 50 }), []);
  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Spin className="xf-dues-spin" />;
  if (list.data.items.length === 0) return <Empty description="还没有缴费记录" />;
  return (
    <div className="xf-dues-cards">
      {list.data.items.map((p) => (
        <Card key={p.id} className="xf-dues-card" data-testid="payment">
          <div className="xf-dues-card-head">
            <span className="xf-dues-list-amount">{yuan(p.amountFen)}</span>
            <PaymentStatusTag status={p.status} />
          </div>
          <div className="xf-dues-line">
            {p.months.map(monthText).join('、')}
            {p.extraFen > 0 && `，自愿多交 ${yuan(p.extraFen)}`}
          </div>
          <div className="xf-dues-line xf-dues-muted">
            {channelLabel(p.channel)} · {dateTime(p.paidAt ?? p.createdAt)}
          </div>
          {p.status === 'paid' && (
            <Link to={`/dues/receipt/${p.id}`}>
              <Button size="large" block icon={<FileTextOutlined />} style={{ marginTop: 8 }}>
                查看收据
              </Button>
            </Link>
          )}
        </Card>
      ))}
    </div>
  );
}

function BaseAndCorrection({ me, onChanged }: { me: MyDues; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const history = useAsync(() => api.get<Page<DuesBase>>('/dues/me/bases', { pageSize: 20 }), []);
  const { busy, run } = useSubmit('toast');
  const [form] = Form.useForm<{ base: string; reason: string }>();
  const pending = me.corrections.find((c) => c.status === 'pending');
  return (
    <>
      <Card className="xf-dues-card" title="基数记录">
        <List<DuesBase>
          loading={history.loading}
          dataSource={history.data?.items ?? []}
          locale={{ emptyText: '暂无基数记录' }}
          renderItem={(b) => (
            <List.Item>
              <div>
                <div className="xf-dues-list-main">自 {monthText(b.effectiveFrom)} 起</div>
                <div className="xf-dues-muted">
                  基数 {yuan(b.monthlyBaseFen)} · {rateText(b.rateBp)} · 每月 {yuan(b.monthlyFen)}
                </div>
              </div>
            </List.Item>
          )}
        />
      </Card>
      <Card className="xf-dues-card" title="申请更正基数">
        {me.corrections.map((c) => (
          <div key={c.id} className="xf-dues-line">
            申请基数 {yuan(c.proposedBaseFen)} <ApprovalTag status={c.status} />
            {c.decisionNote && <span className="xf-dues-muted">（{c.decisionNote}）</span>}
          </div>
        ))}
        {pending ? (
          <Alert type="info" showIcon message="您的更正申请正在等待支部处理" style={{ marginTop: 8 }} />
        ) : (
          <Form
            form={form}
            layout="vertical"
            size="large"
            onFinish={async (v) => {
              const fen = toFen(v.base);
              if (fen === undefined) return;
              await run(async () => {
                await api.post('/dues/me/corrections', { proposedBaseFen: fen, reason: v.reason.trim() });
                message.success('已提交更正申请，支部处理后会通知您');
                form.resetFields();
                onChanged();
              });
            }}
          >
            <Form.Item
              name="base"
              label="正确的月基数（元）"
              extra="税后工资扣除五险一金、年金后的月收入，不含奖金"
              rules={[
                { required: true, message: '请填写月基数' },
                {
                  validator: (_, v) =>
                    !v || toFen(v) !== undefined
                      ? Promise.resolve()
                      : Promise.reject(new Error('请填写金额，如 4500.00')),
                },
              ]}
            >
              <Input inputMode="decimal" placeholder="如 4500.00" />
            </Form.Item>
            <Form.Item name="reason" label="更正原因" rules={[{ required: true, min: 2, message: '请说明原因' }]}>
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 5 }}
                maxLength={500}
                placeholder="如：今年起岗位调整，工资已变化"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={busy}>
              提交更正申请
            </Button>
          </Form>
        )}
      </Card>
    </>
  );
}

const sections = [
  ['unpaid', '待交党费'],
  ['payments', '缴费记录'],
  ['base', '我的基数'],
  ['public', '党费公开'],
] as const;

export function MyDuesPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'unpaid';
  const me = useAsync(async () => {
    const d = await api.get<MyDues>('/dues/me');
    // Seen now: mark the branch's reminders read (a POST — reading /dues/me itself changes nothing).
    if (d.reminders.some((r) => !r.read)) await api.post('/dues/me/reminders/read');
    return d;
  }, []);
  const unpaid = useAsync(() => api.get<Page<DuesBill>>('/dues/me/bills', { status: 'unpaid', pageSize: 200 }), []);
  const options = useAsync(() => api.get<PayOptions>('/dues/me/pay-options'), []);
  const online = Boolean(options.data && (options.data.online.wechat || options.data.online.alipay));
  const bills = (unpaid.data?.items ?? []).filter((b) => b.dueFen > 0).sort((a, b) => a.month.localeCompare(b.month));

  // One 重试 for the page: the bills and the ways to pay failed with it (the same server was away).
  if (me.error)
    return <LoadError error={me.error} onRetry={() => Promise.all([me.reload(), unpaid.reload(), options.reload()])} />;
  if (!me.data) return <Spin className="xf-dues-spin" />;
  const m = me.data;
  const latestReminder = m.reminders[0];
  return (
    <div className="xf-dues-phone">
      <Card
        title={
          <span>
            <WalletOutlined /> 我的党费
          </span>
        }
        className="xf-dues-main"
      >
        <ArrearsAlert count={m.unpaidCount} owedFen={m.owedFen} />
        {latestReminder && (
          <Alert
            type="warning"
            showIcon
            icon={<ExclamationCircleOutlined />}
            className="xf-dues-alert"
            message={`${latestReminder.sentOn} 支部提醒：${latestReminder.unpaidMonths} 个月未交，合计 ${yuan(latestReminder.owedFen)}`}
          />
        )}
        <Summary me={m} />
        {/* Online payment is offered only when it is configured; otherwise the branch's offline way, from the start. */}
        {bills.length > 0 && online && (
          <Button
            type="primary"
            size="large"
            block
            className="xf-dues-pay-button"
            onClick={() => navigate('/my/dues/pay')}
          >
            去缴费（{yuan(bills.reduce((s, b) => s + b.dueFen, 0))}）
          </Button>
        )}
        {options.error && <LoadError error={options.error} onRetry={options.reload} />}
        {options.data && (
          <OfflineInfoCard
            info={options.data.offline}
            title={online ? '也可以线下交纳' : bills.length > 0 ? '请到支部线下交纳' : '线下交纳方式'}
          />
        )}
      </Card>
      <Card className="xf-dues-main">
        {/* Four big buttons rather than tabs: all of them visible on a phone, even in 大字模式. */}
        <div className="xf-dues-nav" role="tablist" aria-label="我的党费">
          {sections.map(([key, label]) => (
            <Button
              key={key}
              role="tab"
              aria-selected={tab === key}
              size="large"
              type={tab === key ? 'primary' : 'default'}
              onClick={() => setParams(key === 'unpaid' ? {} : { tab: key }, { replace: true })}
            >
              {label}
              {key === 'unpaid' && bills.length > 0 && (
                <Tag color={tab === key ? 'default' : 'red'}>{bills.length}</Tag>
              )}
            </Button>
          ))}
        </div>
        <div role="tabpanel">
          {tab === 'unpaid' &&
            (unpaid.error ? <LoadError error={unpaid.error} onRetry={unpaid.reload} /> : <UnpaidList bills={bills} />)}
          {tab === 'payments' && <Payments />}
          {tab === 'base' && <BaseAndCorrection me={m} onChanged={() => void me.reload()} />}
          {tab === 'public' && (
            <PublicLedgerView
              load={(year) => api.get<PublicLedger>('/dues/public-ledger', { year })}
              initialYear={thisYear()}
            />
          )}
        </div>
      </Card>
    </div>
  );
}
