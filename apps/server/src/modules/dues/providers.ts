/**
 * Payment provider protocols, implemented with node:crypto only.
 *
 * WeChat Pay API v3 (直连商户):
 * - Requests carry `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`
 *   where signature = base64(SHA256withRSA(merchant key, "METHOD\nURL-path?query\ntimestamp\nnonce\nbody\n")).
 * - Responses and notifications are signed by the platform: headers Wechatpay-Timestamp, -Nonce,
 *   -Signature, -Serial; signature over "timestamp\nnonce\nbody\n", verified with the platform public key.
 * - Notification `resource` {algorithm: AEAD_AES_256_GCM, ciphertext, associated_data, nonce} is
 *   AES-256-GCM with the APIv3 key; ciphertext = base64(encrypted ‖ 16-byte tag).
 * - JSAPI pay parameters for WeixinJSBridge: paySign over "appId\ntimeStamp\nnonceStr\npackage\n".
 *
 * Alipay (OpenAPI, RSA2):
 * - sign = base64(SHA256withRSA(app key, k1=v1&k2=v2… over non-empty params sorted by key, without `sign`)).
 * - Async notify (form POST) is verified over the same string without `sign` and `sign_type`, with
 *   the Alipay public key; the merchant answers the plain text `success`.
 */
import crypto from 'node:crypto';
import type { AlipayConfig, WechatPayConfig } from '../../platform/config';
import { AppError } from '../../platform/errors';

export const WECHAT_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
/** Notifications and responses older or newer than this are refused (replay window). */
export const MAX_CLOCK_SKEW_SEC = 300;

export const nonceStr = (bytes = 16) => crypto.randomBytes(bytes).toString('hex').toUpperCase();
const rsaSign = (message: string, privateKeyPem: string) =>
  crypto.sign('sha256', Buffer.from(message, 'utf8'), privateKeyPem).toString('base64');
function rsaVerify(message: string, signatureB64: string, publicKeyPem: string): boolean {
  try {
    return crypto.verify('sha256', Buffer.from(message, 'utf8'), publicKeyPem, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

// ---------------- WeChat Pay v3 ----------------

export const wechatRequestMessage = (method: string, urlPath: string, timestamp: string, nonce: string, body: string) =>
  `${method}\n${urlPath}\n${timestamp}\n${nonce}\n${body}\n`;

export function wechatAuthorization(
  cfg: Pick<WechatPayConfig, 'mchid' | 'serialNo' | 'privateKeyPem'>,
  method: string,
  urlPath: string,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
  nonce = nonceStr(),
): string {
  const signature = rsaSign(wechatRequestMessage(method, urlPath, timestamp, nonce, body), cfg.privateKeyPem);
  return `${WECHAT_SCHEMA} mchid="${cfg.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${cfg.serialNo}"`;
}

/** Parses an Authorization header of the v3 scheme (used by the fake provider to check merchants). */
export function parseWechatAuthorization(header: string | undefined): Record<string, string> | null {
  if (!header?.startsWith(`${WECHAT_SCHEMA} `)) return null;
  const out: Record<string, string> = {};
  for (const m of header.slice(WECHAT_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

export type WechatSignedHeaders = { timestamp?: string; nonce?: string; signature?: string; serial?: string };

export function wechatHeadersOf(h: Record<string, string | string[] | undefined>): WechatSignedHeaders {
  const one = (k: string) => {
    const v = h[k];
    return Array.isArray(v) ? v[0] : v;
  };
  return {
    timestamp: one('wechatpay-timestamp'),
    nonce: one('wechatpay-nonce'),
    signature: one('wechatpay-signature'),
    serial: one('wechatpay-serial'),
  };
}

/** Signs a platform message (response or notification): what the fake provider does with its platform key. */
export function wechatPlatformSign(
  privateKeyPem: string,
  body: string,
  serial: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
  nonce = nonceStr(),
) {
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': rsaSign(`${timestamp}\n${nonce}\n${body}\n`, privateKeyPem),
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature-Type': WECHAT_SCHEMA,
  };
}

/** Verifies a platform signature; returns the reason it fails, or null when it holds. */
export function wechatVerifyProblem(
  cfg: Pick<WechatPayConfig, 'platformPublicKeyPem' | 'platformSerial' | 'otherPlatformKeys'>,
  h: WechatSignedHeaders,
  body: string,
  nowSec = Math.floor(Date.now() / 1000),
): string | null {
  if (!h.timestamp || !h.nonce || !h.signature || !h.serial) return '缺少微信支付签名头';
  if (!/^\d{1,12}$/.test(h.timestamp) || Math.abs(nowSec - Number(h.timestamp)) > MAX_CLOCK_SKEW_SEC)
    return '签名时间戳超出允许范围';
  // The key of the serial the signature names: the current one, or another during a rotation.
  const pem =
    !cfg.platformSerial || h.serial === cfg.platformSerial
      ? cfg.platformPublicKeyPem
      : cfg.otherPlatformKeys?.find((k) => k.serial === h.serial)?.pem;
  if (!pem) return '平台证书序列号不匹配';
  if (!rsaVerify(`${h.timestamp}\n${h.nonce}\n${body}\n`, h.signature, pem)) return '微信支付签名验证失败';
  return null;
}

export type WechatResource = {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
  original_type?: string;
};

export function wechatEncryptResource(
  apiV3Key: string,
  plaintext: string,
  associatedData = 'transaction',
  nonce = nonceStr(6),
): WechatResource {
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const enc = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: enc.toString('base64'),
    associated_data: associatedData,
    nonce,
    original_type: 'transaction',
  };
}

/** Decrypts a notification resource; null when it was tampered with or uses another key. */
export function wechatDecryptResource(apiV3Key: string, r: WechatResource): string | null {
  try {
    if (r.algorithm !== 'AEAD_AES_256_GCM') return null;
    const buf = Buffer.from(r.ciphertext, 'base64');
    if (buf.length < 17) return null;
    const decipher = crypto.createDecipheriv(
      'aes-256-gcm',
      Buffer.from(apiV3Key, 'utf8'),
      Buffer.from(r.nonce, 'utf8'),
    );
    decipher.setAuthTag(buf.subarray(buf.length - 16));
    decipher.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'));
    return Buffer.concat([decipher.update(buf.subarray(0, buf.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export type WechatOrder = {
  description: string;
  outTradeNo: string;
  notifyUrl: string;
  amountFen: number;
  tradeType: 'jsapi' | 'h5';
  openid?: string | undefined;
  clientIp: string;
  /** Where the H5 cashier sends the payer back (appended to h5_url as redirect_url). */
  redirectUrl?: string | undefined;
};

const providerError = (message: string) => new AppError(502, 'PAY_PROVIDER_ERROR', message);

/**
 * The provider answered with an error (non-2xx): what it said, for the admin (audit log), never for
 * the member and never trusted for state — error answers may come unsigned (issue 28 item 4).
 */
export class ProviderRefusal extends AppError {
  constructor(
    readonly provider: 'wechat' | 'alipay',
    readonly httpStatus: number,
    readonly providerCode: string,
    readonly providerMessage: string,
  ) {
    super(
      502,
      'PAY_PROVIDER_ERROR',
      `${provider === 'wechat' ? '微信支付' : '支付宝'}拒绝了请求：${providerCode} ${providerMessage}`,
    );
  }
}

/** Reads an error answer's code and message (WeChat v3: {code, message}); unsigned, so only shown, never acted on. */
function refusalOf(provider: 'wechat' | 'alipay', status: number, text: string): ProviderRefusal {
  let code = `HTTP_${status}`;
  let message = '';
  try {
    const j = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof j.code === 'string') code = j.code.slice(0, 64);
    if (typeof j.message === 'string') message = j.message.slice(0, 256);
  } catch {
    message = text.slice(0, 256);
  }
  return new ProviderRefusal(provider, status, code, message);
}

/** How long an online order may be paid (time_expire at both providers); after it the reconcile job closes it. */
export const ORDER_TTL_MS = 30 * 60_000;
/** RFC 3339 in Beijing time, as WeChat's time_expire wants ("2026-12-01T10:34:56+08:00"). */
const rfc3339Beijing = (d: Date) => `${beijingTimestamp(d).replace(' ', 'T')}+08:00`;

/**
 * One signed call to WeChat Pay v3. A 2xx answer must carry a valid platform signature (also a 204
 * with no body: the signature covers the empty string) or it is not believed; an error answer throws
 * a ProviderRefusal with WeChat's own code and message.
 */
async function wechatCall(
  cfg: WechatPayConfig,
  method: 'GET' | 'POST',
  urlPath: string,
  body = '',
): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(cfg.baseUrl + urlPath, {
      method,
      headers: {
        authorization: wechatAuthorization(cfg, method, urlPath, body),
        accept: 'application/json',
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        'user-agent': 'xianfeng-dues/1.0',
      },
      ...(method === 'POST' ? { body } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw providerError('无法连接微信支付，请稍后再试');
  }
  const text = await res.text();
  // Only success answers are verified and believed; an error answer is reported as the provider gave it.
  if (!res.ok) throw refusalOf('wechat', res.status, text);
  const problem = wechatVerifyProblem(cfg, wechatHeadersOf(Object.fromEntries(res.headers)), text);
  if (problem) throw providerError(`微信支付应答验签失败：${problem}`);
  return { status: res.status, text };
}

/** Creates a JSAPI or H5 order (POST /v3/pay/transactions/{jsapi|h5}) and checks the signed answer. */
export async function wechatCreateOrder(
  cfg: WechatPayConfig,
  o: WechatOrder,
): Promise<{ prepayId?: string; h5Url?: string }> {
  const urlPath = `/v3/pay/transactions/${o.tradeType}`;
  const payload: Record<string, unknown> = {
    appid: cfg.appid,
    mchid: cfg.mchid,
    description: o.description,
    out_trade_no: o.outTradeNo,
    // Protocol time: WeChat expires the order on its own (real) clock.
    time_expire: rfc3339Beijing(new Date(Date.now() + ORDER_TTL_MS)),
    notify_url: o.notifyUrl,
    amount: { total: o.amountFen, currency: 'CNY' },
  };
  if (o.tradeType === 'jsapi') payload.payer = { openid: o.openid };
  else payload.scene_info = { payer_client_ip: o.clientIp, h5_info: { type: 'Wap' } };
  const { text } = await wechatCall(cfg, 'POST', urlPath, JSON.stringify(payload));
  let json: { prepay_id?: string; h5_url?: string };
  try {
    json = JSON.parse(text);
  } catch {
    throw providerError('微信支付应答格式不正确');
  }
  if (o.tradeType === 'jsapi' && !json.prepay_id) throw providerError('微信支付未返回 prepay_id');
  if (o.tradeType === 'h5' && !json.h5_url) throw providerError('微信支付未返回 h5_url');
  const h5Url =
    json.h5_url && o.redirectUrl ? `${json.h5_url}&redirect_url=${encodeURIComponent(o.redirectUrl)}` : json.h5_url;
  return { ...(json.prepay_id ? { prepayId: json.prepay_id } : {}), ...(h5Url ? { h5Url } : {}) };
}

/**
 * What the provider says about one order, from a verified answer:
 * - `paid`: money received (WeChat SUCCESS, Alipay TRADE_SUCCESS/TRADE_FINISHED), with its trade number and amount;
 * - `open`: waiting for the payer (NOTPAY, WAIT_BUYER_PAY); `paying`: the payer is entering the password (USERPAYING);
 * - `closed`: closed, revoked or failed; `missing`: the provider has no such order (never created there;
 *   for Alipay wap orders: the payer never opened the cashier);
 * - `other`: anything else (e.g. REFUND) — left to a person, never settled or closed automatically.
 */
export type ProviderTrade =
  | { state: 'paid'; providerTradeNo: string; amountFen: number }
  | { state: 'open' | 'paying' | 'closed' | 'missing' }
  | { state: 'other'; said: string };

/** GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=… (查询订单), signed both ways. */
export async function wechatQueryOrder(cfg: WechatPayConfig, outTradeNo: string): Promise<ProviderTrade> {
  const urlPath = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(cfg.mchid)}`;
  let text: string;
  try {
    ({ text } = await wechatCall(cfg, 'GET', urlPath));
  } catch (err) {
    if (err instanceof ProviderRefusal && err.providerCode === 'ORDER_NOT_EXIST') return { state: 'missing' };
    throw err;
  }
  let tx: {
    appid?: string;
    mchid?: string;
    out_trade_no?: string;
    transaction_id?: string;
    trade_state?: string;
    amount?: { total?: number; currency?: string };
  };
  try {
    tx = JSON.parse(text);
  } catch {
    throw providerError('微信支付应答格式不正确');
  }
  if (tx.mchid !== cfg.mchid || tx.appid !== cfg.appid || tx.out_trade_no !== outTradeNo)
    throw providerError('微信支付查单应答的商户号、应用号或订单号与请求不符');
  switch (tx.trade_state) {
    case 'SUCCESS':
      if (
        typeof tx.transaction_id !== 'string' ||
        !Number.isSafeInteger(tx.amount?.total) ||
        (tx.amount?.currency ?? 'CNY') !== 'CNY'
      )
        throw providerError('微信支付查单应答缺少交易号或金额');
      return { state: 'paid', providerTradeNo: tx.transaction_id, amountFen: tx.amount!.total! };
    case 'NOTPAY':
      return { state: 'open' };
    case 'USERPAYING':
      return { state: 'paying' };
    case 'CLOSED':
    case 'REVOKED':
    case 'PAYERROR':
      return { state: 'closed' };
    default:
      return { state: 'other', said: String(tx.trade_state).slice(0, 32) };
  }
}

/** POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close (关闭订单): WeChat answers a signed 204. */
export async function wechatCloseOrder(cfg: WechatPayConfig, outTradeNo: string): Promise<void> {
  const urlPath = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`;
  const { status } = await wechatCall(cfg, 'POST', urlPath, JSON.stringify({ mchid: cfg.mchid }));
  if (status !== 204 && status !== 200) throw providerError(`微信支付关单应答状态 ${status} 不正确`);
}

/** The parameters WeixinJSBridge.invoke('getBrandWCPayRequest', …) takes, signed by the merchant. */
export function wechatJsapiParams(cfg: Pick<WechatPayConfig, 'appid' | 'privateKeyPem'>, prepayId: string) {
  const timeStamp = String(Math.floor(Date.now() / 1000));
  const nonce = nonceStr();
  const pkg = `prepay_id=${prepayId}`;
  return {
    appId: cfg.appid,
    timeStamp,
    nonceStr: nonce,
    package: pkg,
    signType: 'RSA' as const,
    paySign: rsaSign(`${cfg.appid}\n${timeStamp}\n${nonce}\n${pkg}\n`, cfg.privateKeyPem),
  };
}

// ---------------- Alipay ----------------

/** The string Alipay signs: non-empty params sorted by key, `k=v` joined with `&`, raw (not URL-encoded) values. */
export function alipaySignContent(
  params: Record<string, string | undefined>,
  exclude: readonly string[] = ['sign'],
): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export const alipaySign = (params: Record<string, string | undefined>, privateKeyPem: string) =>
  rsaSign(alipaySignContent(params), privateKeyPem);

/** Request signatures cover sign_type too; notifications exclude it. */
export const alipayVerifyRequest = (params: Record<string, string>, publicKeyPem: string) =>
  Boolean(params.sign) && rsaVerify(alipaySignContent(params, ['sign']), params.sign!, publicKeyPem);
export const alipayVerifyNotify = (params: Record<string, string>, publicKeyPem: string) =>
  Boolean(params.sign) &&
  params.sign_type === 'RSA2' &&
  rsaVerify(alipaySignContent(params, ['sign', 'sign_type']), params.sign!, publicKeyPem);

/** yyyy-MM-dd HH:mm:ss in Beijing time, as Alipay's timestamp parameter wants. */
export const beijingTimestamp = (d = new Date()) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/** 3001 → "30.01" (Alipay amounts are 元 strings with two decimals). */
export const fenToAmount = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
/** "30.01" → 3001; null when not a plain non-negative amount with at most two decimals. */
export function amountToFen(amount: string | undefined): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(amount ?? '');
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** The signed URL of alipay.trade.wap.pay: the phone browser is sent there to pay. */
export function alipayWapPayUrl(
  cfg: AlipayConfig,
  o: { outTradeNo: string; amountFen: number; subject: string; notifyUrl: string; returnUrl?: string | undefined },
): string {
  const params: Record<string, string> = {
    app_id: cfg.appId,
    method: 'alipay.trade.wap.pay',
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: beijingTimestamp(),
    version: '1.0',
    notify_url: o.notifyUrl,
    biz_content: JSON.stringify({
      out_trade_no: o.outTradeNo,
      total_amount: fenToAmount(o.amountFen),
      subject: o.subject,
      product_code: 'QUICK_WAP_WAY',
      // Protocol time: after it Alipay no longer accepts this signed URL (an abandoned order cannot be paid late).
      time_expire: beijingTimestamp(new Date(Date.now() + ORDER_TTL_MS)),
    }),
  };
  if (o.returnUrl) params.return_url = o.returnUrl;
  params.sign = alipaySign(params, cfg.privateKeyPem);
  return `${cfg.gateway}?${new URLSearchParams(params).toString()}`;
}

/**
 * The raw text of the `<method>_response` member of an Alipay gateway answer: Alipay signs exactly those
 * characters, so they are cut out of the answer as sent, never re-serialized.
 */
export function alipayResponseNode(text: string, node: string): string | null {
  const key = `"${node}"`;
  let i = text.indexOf(key);
  if (i < 0) return null;
  i = text.indexOf(':', i + key.length);
  if (i < 0) return null;
  i++;
  while (/\s/.test(text[i] ?? '')) i++;
  if (text[i] !== '{') return null;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(i, j + 1);
  }
  return null;
}

type AlipayAnswer = { code?: string; msg?: string; sub_code?: string; sub_msg?: string; [k: string]: unknown };

/**
 * One signed call to the Alipay gateway (POST form). A verified answer is returned whatever its code (a
 * signed business error such as ACQ.TRADE_NOT_EXIST is something Alipay said); an answer without a valid
 * signature is believed only as far as showing its code to the admin.
 */
async function alipayCall(cfg: AlipayConfig, method: string, biz: Record<string, string>): Promise<AlipayAnswer> {
  const params: Record<string, string> = {
    app_id: cfg.appId,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: beijingTimestamp(),
    version: '1.0',
    biz_content: JSON.stringify(biz),
  };
  params.sign = alipaySign(params, cfg.privateKeyPem);
  let text: string;
  try {
    const res = await fetch(cfg.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', 'user-agent': 'xianfeng-dues/1.0' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    text = await res.text();
  } catch {
    throw providerError('无法连接支付宝，请稍后再试');
  }
  const nodeName = `${method.replace(/\./g, '_')}_response`;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderRefusal('alipay', 200, 'BAD_ANSWER', text.slice(0, 256));
  }
  const node = json[nodeName] as AlipayAnswer | undefined;
  const raw = alipayResponseNode(text, nodeName);
  const sign = typeof json.sign === 'string' ? json.sign : '';
  if (!node || !raw) throw new ProviderRefusal('alipay', 200, 'BAD_ANSWER', text.slice(0, 256));
  if (!sign || !rsaVerify(raw, sign, cfg.alipayPublicKeyPem)) {
    // Unsigned or badly signed: shown (what Alipay appears to have said), never acted on.
    if (node.code !== '10000')
      throw new ProviderRefusal(
        'alipay',
        200,
        String(node.sub_code ?? node.code ?? 'UNKNOWN').slice(0, 64),
        String(node.sub_msg ?? node.msg ?? '').slice(0, 256),
      );
    throw providerError('支付宝应答验签失败');
  }
  return node;
}

const alipayRefusal = (a: AlipayAnswer) =>
  new ProviderRefusal(
    'alipay',
    200,
    String(a.sub_code ?? a.code ?? 'UNKNOWN').slice(0, 64),
    String(a.sub_msg ?? a.msg ?? '').slice(0, 256),
  );

/** alipay.trade.query (统一收单线下交易查询), verified answer. */
export async function alipayQueryOrder(cfg: AlipayConfig, outTradeNo: string): Promise<ProviderTrade> {
  const a = await alipayCall(cfg, 'alipay.trade.query', { out_trade_no: outTradeNo });
  if (a.code !== '10000') {
    if (a.sub_code === 'ACQ.TRADE_NOT_EXIST') return { state: 'missing' };
    throw alipayRefusal(a);
  }
  if (a.out_trade_no !== outTradeNo) throw providerError('支付宝查单应答的订单号与请求不符');
  switch (a.trade_status) {
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED': {
      const fen = amountToFen(typeof a.total_amount === 'string' ? a.total_amount : undefined);
      if (fen === null || typeof a.trade_no !== 'string') throw providerError('支付宝查单应答缺少交易号或金额');
      return { state: 'paid', providerTradeNo: a.trade_no, amountFen: fen };
    }
    case 'WAIT_BUYER_PAY':
      return { state: 'open' };
    case 'TRADE_CLOSED':
      return { state: 'closed' };
    default:
      return { state: 'other', said: String(a.trade_status).slice(0, 32) };
  }
}

/** alipay.trade.close (统一收单交易关闭); `missing` when Alipay has no such trade (the cashier was never opened). */
export async function alipayCloseOrder(cfg: AlipayConfig, outTradeNo: string): Promise<'closed' | 'missing'> {
  const a = await alipayCall(cfg, 'alipay.trade.close', { out_trade_no: outTradeNo });
  if (a.code === '10000') return 'closed';
  if (a.sub_code === 'ACQ.TRADE_NOT_EXIST') return 'missing';
  throw alipayRefusal(a);
}
