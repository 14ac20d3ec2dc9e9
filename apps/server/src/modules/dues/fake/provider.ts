/**
 * A local stand-in for WeChat Pay (API v3) and Alipay, for tests and the browser e2e: the real
 * providers cannot be reached from here. It speaks their protocols and is strict about them:
 * - it refuses merchant requests whose WECHATPAY2-SHA256-RSA2048 Authorization (or Alipay RSA2
 *   sign) does not verify against the merchant's public key, and signs its own answers with its
 *   platform key;
 * - when the payer "pays" (a button on its cashier page, or `pay()` from a test) it sends the
 *   merchant a notification exactly as the provider would: WeChat's AES-256-GCM encrypted
 *   resource with Wechatpay-* signature headers, or Alipay's RSA2-signed form post.
 *
 * Keys are generated at start (never stored). `paymentConfig()` / `env()` give the merchant side
 * (the server under test) the matching settings.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PaymentConfig } from '../../../platform/config';
import {
  alipaySign,
  alipayVerifyRequest,
  beijingTimestamp,
  fenToAmount,
  nonceStr,
  parseWechatAuthorization,
  wechatEncryptResource,
  wechatPlatformSign,
  wechatRequestMessage,
  MAX_CLOCK_SKEW_SEC,
} from '../providers';

type KeyPair = { publicKey: string; privateKey: string };
const rsaPair = (): KeyPair =>
  crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

export type FakeOrder = {
  provider: 'wechat' | 'alipay';
  outTradeNo: string;
  amountFen: number;
  description: string;
  notifyUrl: string;
  tradeType: string;
  openid?: string;
  /** H5: the payer's address the merchant reported (scene_info.payer_client_ip). */
  payerClientIp?: string;
  returnUrl?: string;
  paid: boolean;
  /** Closed by the merchant (close API): it can no longer be paid. */
  closed: boolean;
  /** What the merchant sent as time_expire. */
  timeExpire?: string;
  providerTradeNo: string;
};

/** A query or close the merchant asked for, as the fake understood it (tests assert on them). */
export type FakeAsked = { api: 'wechat.query' | 'wechat.close' | 'alipay.query' | 'alipay.close'; outTradeNo: string };

export type Delivery = { url: string; headers: Record<string, string>; body: string };
export type DeliveryResult = { status: number; body: string };

export type FakePayProvider = {
  baseUrl: string;
  orders: Map<string, FakeOrder>;
  /** Merchant requests the fake refused, with the reason (tests assert on them). */
  refused: string[];
  /** Every order query and close the merchant made, in order (signatures checked first; refused ones are in `refused`). */
  asked: FakeAsked[];
  /** The merchant's Alipay PID, what notifications name as seller_id. */
  sellerId: string;
  /** The merchant's settings matching this fake (keys, endpoints); notifyBaseUrl is the merchant's public URL. */
  paymentConfig(notifyBaseUrl: string): PaymentConfig;
  /** The same as environment variables, for a server started in another process. */
  env(notifyBaseUrl: string): Record<string, string>;
  /** How notifications reach the merchant: real HTTP by default; tests may route them in-process. */
  deliver: (d: Delivery) => Promise<DeliveryResult>;
  /** A correctly signed (and, for WeChat, encrypted) notification of a successful payment; `tamper` edits it first. */
  wechatNotification(
    outTradeNo: string,
    opts?: { amountFen?: number; tamper?: (tx: Record<string, unknown>) => void },
  ): Delivery;
  alipayNotification(outTradeNo: string, opts?: { amountFen?: number; sellerId?: string; appId?: string }): Delivery;
  /** Platform signature headers over any body (tests re-sign tampered notifications with it). */
  signWechat(body: string, timestamp?: string): Record<string, string>;
  /** WeChat Pay rotates its platform key: from now on it signs with a new key and serial, returned here. */
  rotatePlatformKey(): { serial: string; publicKeyPem: string };
  /**
   * The payer pays: the order is marked paid and the notification is delivered — unless `notify: false`
   * (the notification is lost: only a query finds the payment). A closed order cannot be paid, unless
   * `evenIfClosed` (money that was on its way when the order was closed).
   */
  pay(
    outTradeNo: string,
    opts?: { amountFen?: number; notify?: boolean; evenIfClosed?: boolean },
  ): Promise<DeliveryResult>;
  close(): Promise<void>;
};

const MCHID = '1900000109';
const APPID = 'wxd678efh567hg6787';
const ALIPAY_APP_ID = '2021000000000001';
const SELLER_ID = '2088000000000001';

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>` +
  `<style>body{font-family:sans-serif;margin:0;padding:24px;text-align:center}h1{font-size:20px}.amount{font-size:36px;font-weight:bold;margin:24px 0}button{width:100%;padding:14px;font-size:18px;border:0;border-radius:6px;color:#fff;background:#07c160}.ali button{background:#1677ff}</style></head><body>${body}</body></html>`;

export async function startFakePayProvider(opts: { port?: number } = {}): Promise<FakePayProvider> {
  const merchantWechat = rsaPair();
  let platformWechat = rsaPair();
  const merchantAlipay = rsaPair();
  const alipayKeys = rsaPair();
  const apiV3Key = crypto.randomBytes(16).toString('hex'); // 32 ASCII characters = 256 bits, as WeChat's APIv3 key
  const merchantSerial = crypto.randomBytes(20).toString('hex').toUpperCase();
  let platformSerial = `PUB_KEY_ID_${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
  const orders = new Map<string, FakeOrder>();
  const refused: string[] = [];
  const asked: FakeAsked[] = [];

  const wechatReply = (res: http.ServerResponse, status: number, json: unknown) => {
    const body = JSON.stringify(json);
    res.writeHead(status, {
      'content-type': 'application/json',
      ...wechatPlatformSign(platformWechat.privateKey, body, platformSerial),
    });
    res.end(body);
  };
  // Error answers come unsigned, as WeChat's do when it cannot (or need not) sign them.
  const refuse = (res: http.ServerResponse, code: string, message: string) => {
    refused.push(`${code}: ${message}`);
    res.writeHead(code === 'SIGN_ERROR' ? 401 : 400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message }));
  };

  const fake: FakePayProvider = {
    baseUrl: '',
    orders,
    refused,
    asked,
    sellerId: SELLER_ID,
    paymentConfig: (notifyBaseUrl) => ({
      notifyBaseUrl,
      wechat: {
        baseUrl: fake.baseUrl,
        mchid: MCHID,
        appid: APPID,
        serialNo: merchantSerial,
        privateKeyPem: merchantWechat.privateKey,
        apiV3Key,
        platformPublicKeyPem: platformWechat.publicKey,
        platformSerial,
      },
      alipay: {
        gateway: `${fake.baseUrl}/gateway.do`,
        appId: ALIPAY_APP_ID,
        sellerId: SELLER_ID,
        privateKeyPem: merchantAlipay.privateKey,
        alipayPublicKeyPem: alipayKeys.publicKey,
      },
    }),
    env: (notifyBaseUrl) => ({
      XF_PAY_NOTIFY_BASE_URL: notifyBaseUrl,
      XF_WECHATPAY_BASE_URL: fake.baseUrl,
      XF_WECHATPAY_MCHID: MCHID,
      XF_WECHATPAY_APPID: APPID,
      XF_WECHATPAY_SERIAL_NO: merchantSerial,
      XF_WECHATPAY_PRIVATE_KEY: merchantWechat.privateKey,
      XF_WECHATPAY_APIV3_KEY: apiV3Key,
      XF_WECHATPAY_PLATFORM_PUBLIC_KEY: platformWechat.publicKey,
      XF_WECHATPAY_PLATFORM_SERIAL: platformSerial,
      XF_ALIPAY_GATEWAY: `${fake.baseUrl}/gateway.do`,
      XF_ALIPAY_APP_ID: ALIPAY_APP_ID,
      XF_ALIPAY_SELLER_ID: SELLER_ID,
      XF_ALIPAY_PRIVATE_KEY: merchantAlipay.privateKey,
      XF_ALIPAY_PUBLIC_KEY: alipayKeys.publicKey,
    }),
    deliver: async (d) => {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: d.headers,
        body: d.body,
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, body: await res.text() };
    },
    wechatNotification(outTradeNo, o = {}) {
      const order = orders.get(outTradeNo);
      if (!order) throw new Error(`fake: no order ${outTradeNo}`);
      const total = o.amountFen ?? order.amountFen;
      const tx: Record<string, unknown> = {
        mchid: MCHID,
        appid: APPID,
        out_trade_no: outTradeNo,
        transaction_id: order.providerTradeNo,
        trade_type: order.tradeType === 'jsapi' ? 'JSAPI' : 'MWEB',
        trade_state: 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'OTHERS',
        attach: '',
        success_time: `${beijingTimestamp().replace(' ', 'T')}+08:00`,
        payer: { openid: order.openid ?? 'oFAKE_h5_payer' },
        amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
      };
      o.tamper?.(tx);
      const body = JSON.stringify({
        id: crypto.randomUUID(),
        create_time: `${beijingTimestamp().replace(' ', 'T')}+08:00`,
        resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        resource: wechatEncryptResource(apiV3Key, JSON.stringify(tx)),
      });
      return {
        url: order.notifyUrl,
        headers: {
          'content-type': 'application/json',
          ...wechatPlatformSign(platformWechat.privateKey, body, platformSerial),
        },
        body,
      };
    },
    alipayNotification(outTradeNo, o = {}) {
      const order = orders.get(outTradeNo);
      if (!order) throw new Error(`fake: no order ${outTradeNo}`);
      const amount = fenToAmount(o.amountFen ?? order.amountFen);
      const now = beijingTimestamp();
      const params: Record<string, string> = {
        notify_time: now,
        notify_type: 'trade_status_sync',
        notify_id: nonceStr(),
        app_id: o.appId ?? ALIPAY_APP_ID,
        charset: 'utf-8',
        version: '1.0',
        sign_type: 'RSA2',
        trade_no: order.providerTradeNo,
        out_trade_no: outTradeNo,
        trade_status: 'TRADE_SUCCESS',
        total_amount: amount,
        receipt_amount: amount,
        buyer_pay_amount: amount,
        subject: order.description,
        gmt_create: now,
        gmt_payment: now,
        seller_id: o.sellerId ?? SELLER_ID,
        buyer_id: '2088102177846880',
      };
      // Notifications are signed without sign_type in the content, as Alipay does.
      const { sign_type: _t, ...toSign } = params;
      params.sign = alipaySign(toSign, alipayKeys.privateKey);
      return {
        url: order.notifyUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(params).toString(),
      };
    },
    rotatePlatformKey: () => {
      platformWechat = rsaPair();
      platformSerial = `PUB_KEY_ID_${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
      return { serial: platformSerial, publicKeyPem: platformWechat.publicKey };
    },
    signWechat: (body, timestamp) => ({
      'content-type': 'application/json',
      ...wechatPlatformSign(platformWechat.privateKey, body, platformSerial, timestamp),
    }),
    async pay(outTradeNo, o = {}) {
      const order = orders.get(outTradeNo);
      if (!order) throw new Error(`fake: no order ${outTradeNo}`);
      if (order.closed && !o.evenIfClosed) throw new Error(`fake: order ${outTradeNo} is closed and cannot be paid`);
      order.paid = true;
      if (o.notify === false) return { status: 0, body: 'notification lost' };
      return fake.deliver(
        order.provider === 'wechat' ? fake.wechatNotification(outTradeNo, o) : fake.alipayNotification(outTradeNo, o),
      );
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  /** The merchant's WECHATPAY2-SHA256-RSA2048 signature over method, path with query, and body: null when it holds. */
  function wechatMerchantProblem(req: http.IncomingMessage, body: string): string | null {
    const auth = parseWechatAuthorization(req.headers.authorization);
    if (!auth) return 'Authorization 头缺失或认证类型不是 WECHATPAY2-SHA256-RSA2048';
    if (auth.mchid !== MCHID) return '商户号不匹配';
    if (auth.serial_no !== merchantSerial) return '商户证书序列号不匹配';
    if (!auth.timestamp || Math.abs(Date.now() / 1000 - Number(auth.timestamp)) > MAX_CLOCK_SKEW_SEC)
      return '时间戳超出范围';
    const message = wechatRequestMessage(req.method!, req.url!, auth.timestamp, auth.nonce_str ?? '', body);
    try {
      if (
        crypto.verify(
          'sha256',
          Buffer.from(message),
          merchantWechat.publicKey,
          Buffer.from(auth.signature ?? '', 'base64'),
        )
      )
        return null;
    } catch {
      /* falls through */
    }
    return '签名错误';
  }

  /** 查询订单 and 关闭订单 by out_trade_no. */
  async function wechatByOutTradeNo(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const body = await readBody(req);
    const problem = wechatMerchantProblem(req, body);
    if (problem) return refuse(res, 'SIGN_ERROR', problem);
    const m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(url.pathname)!;
    const outTradeNo = decodeURIComponent(m[1]!);
    const order = orders.get(outTradeNo);
    if (!m[2]) {
      if (url.searchParams.get('mchid') !== MCHID) return refuse(res, 'PARAM_ERROR', 'mchid 不正确');
      asked.push({ api: 'wechat.query', outTradeNo });
      if (!order || order.provider !== 'wechat') return notFound(res);
      const state = order.paid ? 'SUCCESS' : order.closed ? 'CLOSED' : 'NOTPAY';
      return wechatReply(res, 200, {
        appid: APPID,
        mchid: MCHID,
        out_trade_no: outTradeNo,
        trade_state: state,
        trade_state_desc: { SUCCESS: '支付成功', CLOSED: '已关闭', NOTPAY: '未支付' }[state],
        ...(order.paid
          ? {
              transaction_id: order.providerTradeNo,
              trade_type: order.tradeType === 'jsapi' ? 'JSAPI' : 'MWEB',
              bank_type: 'OTHERS',
              success_time: `${beijingTimestamp().replace(' ', 'T')}+08:00`,
              payer: { openid: order.openid ?? 'oFAKE_h5_payer' },
              amount: { total: order.amountFen, payer_total: order.amountFen, currency: 'CNY', payer_currency: 'CNY' },
            }
          : {}),
      });
    }
    let o: { mchid?: string };
    try {
      o = JSON.parse(body);
    } catch {
      return refuse(res, 'PARAM_ERROR', '请求体不是合法的 JSON');
    }
    if (o.mchid !== MCHID) return refuse(res, 'PARAM_ERROR', 'mchid 不正确');
    asked.push({ api: 'wechat.close', outTradeNo });
    if (!order || order.provider !== 'wechat') return notFound(res);
    if (order.paid) return refuse(res, 'ORDERPAID', '订单已支付');
    order.closed = true;
    res.writeHead(204, wechatPlatformSign(platformWechat.privateKey, '', platformSerial));
    res.end();
  }
  const notFound = (res: http.ServerResponse) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'ORDER_NOT_EXIST', message: '订单不存在' }));
  };

  /** Alipay's answer: `{"<method>_response": {...}, "sign": "..."}`, signed over the response member's exact text. */
  const alipayReply = (res: http.ServerResponse, method: string, node: Record<string, unknown>) => {
    const raw = JSON.stringify(node);
    const sign = crypto.sign('sha256', Buffer.from(raw, 'utf8'), alipayKeys.privateKey).toString('base64');
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
    res.end(`{"${method.replace(/\./g, '_')}_response":${raw},"sign":"${sign}"}`);
  };

  /** alipay.trade.query and alipay.trade.close, POSTed to the gateway as a signed form. */
  async function alipayApi(req: http.IncomingMessage, res: http.ServerResponse) {
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const method = params.method ?? '';
    if (
      params.app_id !== ALIPAY_APP_ID ||
      params.sign_type !== 'RSA2' ||
      !alipayVerifyRequest(params, merchantAlipay.publicKey)
    ) {
      refused.push('ALIPAY: invalid-signature');
      // As Alipay: a signature error answers unsigned.
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      return res.end(
        JSON.stringify({
          [`${method.replace(/\./g, '_')}_response`]: {
            code: '40002',
            msg: 'Invalid Arguments',
            sub_code: 'isv.invalid-signature',
            sub_msg: '验签出错',
          },
        }),
      );
    }
    const biz = JSON.parse(params.biz_content ?? '{}') as { out_trade_no?: string };
    const outTradeNo = biz.out_trade_no ?? '';
    const order = orders.get(outTradeNo);
    const missing = { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' };
    if (method === 'alipay.trade.query') {
      asked.push({ api: 'alipay.query', outTradeNo });
      // A wap order exists at Alipay only once the payer opened the cashier (the fake's GET /gateway.do).
      if (!order || order.provider !== 'alipay') return alipayReply(res, method, missing);
      const status = order.paid ? 'TRADE_SUCCESS' : order.closed ? 'TRADE_CLOSED' : 'WAIT_BUYER_PAY';
      return alipayReply(res, method, {
        code: '10000',
        msg: 'Success',
        trade_no: order.providerTradeNo,
        out_trade_no: outTradeNo,
        buyer_logon_id: 'fak***@example.com',
        trade_status: status,
        total_amount: fenToAmount(order.amountFen),
        ...(order.paid ? { send_pay_date: beijingTimestamp(), buyer_pay_amount: fenToAmount(order.amountFen) } : {}),
      });
    }
    if (method === 'alipay.trade.close') {
      asked.push({ api: 'alipay.close', outTradeNo });
      if (!order || order.provider !== 'alipay') return alipayReply(res, method, missing);
      if (order.paid)
        return alipayReply(res, method, {
          code: '40004',
          msg: 'Business Failed',
          sub_code: 'ACQ.TRADE_STATUS_ERROR',
          sub_msg: '交易状态不合法',
        });
      order.closed = true;
      return alipayReply(res, method, {
        code: '10000',
        msg: 'Success',
        trade_no: order.providerTradeNo,
        out_trade_no: outTradeNo,
      });
    }
    return alipayReply(res, method, {
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'isv.invalid-method',
      sub_msg: '不存在的方法名',
    });
  }

  async function wechatOrder(req: http.IncomingMessage, res: http.ServerResponse, tradeType: 'jsapi' | 'h5') {
    const body = await readBody(req);
    const problem = wechatMerchantProblem(req, body);
    if (problem) return refuse(res, 'SIGN_ERROR', problem);
    let o: {
      appid?: string;
      mchid?: string;
      out_trade_no?: string;
      time_expire?: string;
      description?: string;
      notify_url?: string;
      amount?: { total?: number; currency?: string };
      payer?: { openid?: string };
      scene_info?: { payer_client_ip?: string };
    };
    try {
      o = JSON.parse(body);
    } catch {
      return refuse(res, 'PARAM_ERROR', '请求体不是合法的 JSON');
    }
    if (o.appid !== APPID || o.mchid !== MCHID) return refuse(res, 'PARAM_ERROR', 'appid 或 mchid 不正确');
    if (!o.out_trade_no || !/^[0-9A-Za-z_\-|*]{6,32}$/.test(o.out_trade_no))
      return refuse(res, 'PARAM_ERROR', 'out_trade_no 格式不正确');
    if (!Number.isInteger(o.amount?.total) || o.amount!.total! < 1 || o.amount?.currency !== 'CNY')
      return refuse(res, 'PARAM_ERROR', '订单金额不正确');
    if (!o.notify_url || !/^https?:\/\//.test(o.notify_url)) return refuse(res, 'PARAM_ERROR', 'notify_url 不正确');
    if (tradeType === 'jsapi' && !o.payer?.openid) return refuse(res, 'PARAM_ERROR', 'JSAPI 下单须提供 payer.openid');
    if (tradeType === 'h5' && !o.scene_info?.payer_client_ip)
      return refuse(res, 'PARAM_ERROR', 'H5 下单须提供 scene_info.payer_client_ip');
    const existing = orders.get(o.out_trade_no);
    if (existing?.closed) return refuse(res, 'ORDER_CLOSED', '订单已关闭');
    if (existing && existing.amountFen !== o.amount!.total)
      return refuse(res, 'INVALID_REQUEST', '同一商户订单号的金额不一致');
    const prepayId = `wx${Date.now()}${nonceStr(8)}`;
    orders.set(
      o.out_trade_no,
      existing ?? {
        provider: 'wechat',
        outTradeNo: o.out_trade_no,
        amountFen: o.amount!.total!,
        description: o.description ?? '',
        notifyUrl: o.notify_url,
        tradeType,
        ...(o.payer?.openid ? { openid: o.payer.openid } : {}),
        ...(o.scene_info?.payer_client_ip ? { payerClientIp: o.scene_info.payer_client_ip } : {}),
        ...(o.time_expire ? { timeExpire: o.time_expire } : {}),
        paid: false,
        closed: false,
        providerTradeNo: `42000${Date.now()}${crypto.randomInt(1e6)}`,
      },
    );
    prepayIds.set(prepayId, o.out_trade_no);
    wechatReply(
      res,
      200,
      tradeType === 'jsapi' ? { prepay_id: prepayId } : { h5_url: `${fake.baseUrl}/h5pay?prepay_id=${prepayId}` },
    );
  }
  const prepayIds = new Map<string, string>();

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url!, 'http://fake');
      try {
        if (req.method === 'POST' && url.pathname === '/v3/pay/transactions/jsapi')
          return await wechatOrder(req, res, 'jsapi');
        if (req.method === 'POST' && url.pathname === '/v3/pay/transactions/h5')
          return await wechatOrder(req, res, 'h5');
        if (url.pathname.startsWith('/v3/pay/transactions/out-trade-no/'))
          return await wechatByOutTradeNo(req, res, url);
        if (req.method === 'POST' && url.pathname === '/gateway.do') return await alipayApi(req, res);
        if (req.method === 'GET' && url.pathname === '/h5pay') {
          const order = orders.get(prepayIds.get(url.searchParams.get('prepay_id') ?? '') ?? '');
          if (!order) return res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('订单不存在');
          const back = url.searchParams.get('redirect_url') ?? '';
          return res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(
              page(
                '微信支付',
                `<h1>微信支付（本地模拟）</h1><p>${esc(order.description)}</p><div class="amount">¥${fenToAmount(order.amountFen)}</div>` +
                  `<form method="post" action="/h5pay/confirm"><input type="hidden" name="out_trade_no" value="${esc(order.outTradeNo)}"><input type="hidden" name="back" value="${esc(back)}"><button type="submit">确认支付</button></form>`,
              ),
            );
        }
        if (req.method === 'GET' && url.pathname === '/gateway.do') {
          const params = Object.fromEntries(url.searchParams);
          if (
            params.app_id !== ALIPAY_APP_ID ||
            params.sign_type !== 'RSA2' ||
            !alipayVerifyRequest(params, merchantAlipay.publicKey)
          ) {
            refused.push('ALIPAY: invalid-signature');
            return res
              .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
              .end('invalid-signature 验签出错');
          }
          const biz = JSON.parse(params.biz_content ?? '{}') as {
            out_trade_no?: string;
            total_amount?: string;
            subject?: string;
            time_expire?: string;
          };
          const fen = Math.round(Number(biz.total_amount) * 100);
          if (!biz.out_trade_no || !(fen > 0)) return res.writeHead(400).end('invalid biz_content');
          if (orders.get(biz.out_trade_no)?.closed)
            return res
              .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
              .end(page('支付宝', '<h1>交易已关闭</h1>'));
          if (!orders.has(biz.out_trade_no))
            orders.set(biz.out_trade_no, {
              provider: 'alipay',
              outTradeNo: biz.out_trade_no,
              amountFen: fen,
              description: biz.subject ?? '',
              notifyUrl: params.notify_url ?? '',
              tradeType: 'wap',
              ...(params.return_url ? { returnUrl: params.return_url } : {}),
              ...(biz.time_expire ? { timeExpire: biz.time_expire } : {}),
              paid: false,
              closed: false,
              providerTradeNo: `2026${Date.now()}${crypto.randomInt(1e6)}`,
            });
          return res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(
              page(
                '支付宝',
                `<div class="ali"><h1>支付宝（本地模拟）</h1><p>${esc(biz.subject ?? '')}</p><div class="amount">¥${esc(biz.total_amount ?? '')}</div>` +
                  `<form method="post" action="/h5pay/confirm"><input type="hidden" name="out_trade_no" value="${esc(biz.out_trade_no)}"><input type="hidden" name="back" value="${esc(params.return_url ?? '')}"><button type="submit">确认付款</button></form></div>`,
              ),
            );
        }
        if (req.method === 'POST' && url.pathname === '/h5pay/confirm') {
          const form = new URLSearchParams(await readBody(req));
          const outTradeNo = form.get('out_trade_no') ?? '';
          if (!orders.has(outTradeNo)) return res.writeHead(404).end();
          if (orders.get(outTradeNo)!.closed)
            return res
              .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
              .end(page('支付结果', '<h1>订单已关闭，无法支付</h1>'));
          const result = await fake.pay(outTradeNo);
          const back = form.get('back');
          if (back && /^https?:\/\//.test(back)) return res.writeHead(302, { location: back }).end();
          return res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(page('支付结果', `<h1>${result.status < 300 ? '支付成功' : '商户处理失败'}</h1>`));
        }
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code: 'NOT_FOUND', message: 'no such API in the fake' }));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
