/**
 * SMS through a provider adapter. One real protocol: Aliyun SMS (阿里云短信服务, dysmsapi 2017-05-25,
 * action SendSms) signed with the RPC signature v1: the parameters sorted by name, each name and value
 * percent-encoded (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay), joined with & and =; StringToSign =
 * "POST&%2F&" + percentEncode(that); Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
 * The message text is a template approved at the provider (XF_SMS_TEMPLATE_CODE) with one variable,
 * `${title}`, e.g. 「您有一条新通知：${title}，请登录先锋智慧党建查看。」. Off unless configured.
 */
import crypto from 'node:crypto';
import type { SmsConfig } from '../../../platform/config';

export type SmsOutcome = { ok: true; id: string } | { ok: false; retry: boolean; message: string };

export interface SmsProvider {
  readonly name: string;
  send(phone: string, params: { title: string }): Promise<SmsOutcome>;
}

/** RFC 3986 percent-encoding as Aliyun's signature requires (encodeURIComponent leaves !'()* alone). */
export const percentEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function aliyunStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  return `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

export const aliyunSignature = (secret: string, stringToSign: string) =>
  crypto.createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');

/** The signed form parameters of one SendSms call. */
export function aliyunSendSmsParams(
  cfg: SmsConfig,
  phone: string,
  title: string,
  realNow = new Date(),
  nonce = crypto.randomUUID(),
): Record<string, string> {
  const params: Record<string, string> = {
    AccessKeyId: cfg.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: phone,
    RegionId: 'cn-hangzhou',
    SignName: cfg.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: cfg.templateCode,
    // A template variable is short (Aliyun limits variables to about 35 characters).
    TemplateParam: JSON.stringify({ title: Array.from(title).slice(0, 30).join('') }),
    Timestamp: realNow.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: '2017-05-25',
  };
  params.Signature = aliyunSignature(cfg.accessKeySecret, aliyunStringToSign('POST', params));
  return params;
}

const RETRY_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'Throttling',
  'Throttling.User',
  'ServiceUnavailable',
  'InternalError',
  'isp.SYSTEM_ERROR',
  'isp.RAM_PERMISSION_DENY_TEMP',
]);
const HINTS: Record<string, string> = {
  'isv.MOBILE_NUMBER_ILLEGAL': '手机号码格式不正确',
  'isv.BUSINESS_LIMIT_CONTROL': '该号码发送过于频繁（运营商流控）',
  'isv.AMOUNT_NOT_ENOUGH': '短信账户余额不足',
  'isv.SMS_SIGNATURE_ILLEGAL': '短信签名不可用',
  'isv.SMS_TEMPLATE_ILLEGAL': '短信模板不可用',
  'isv.TEMPLATE_MISSING_PARAMETERS': '模板变量缺少参数',
  SignatureDoesNotMatch: '签名校验失败（AccessKeySecret 不正确）',
  'InvalidAccessKeyId.NotFound': 'AccessKeyId 不存在',
  SignatureNonceUsed: '签名随机数重复',
  'InvalidTimeStamp.Expired': '时间戳已过期（请检查服务器时间）',
};

export function aliyunSms(
  cfg: SmsConfig,
  post: (url: string, form: string) => Promise<{ status: number; text: string }>,
): SmsProvider {
  return {
    name: 'aliyun',
    async send(phone, { title }) {
      const params = aliyunSendSmsParams(cfg, phone, title);
      const form = Object.entries(params)
        .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
        .join('&');
      const reply = await post(`${cfg.endpoint}/`, form);
      let json: { Code?: string; Message?: string; BizId?: string } = {};
      try {
        json = JSON.parse(reply.text) as typeof json;
      } catch {
        return { ok: false, retry: reply.status >= 500, message: `阿里云短信应答无法识别（HTTP ${reply.status}）` };
      }
      if (reply.status === 200 && json.Code === 'OK') return { ok: true, id: json.BizId ?? '' };
      const code = json.Code ?? `HTTP_${reply.status}`;
      return {
        ok: false,
        retry: reply.status >= 500 || RETRY_CODES.has(code),
        message: `阿里云短信返回 ${code}：${HINTS[code] ?? json.Message ?? ''}`,
      };
    },
  };
}
