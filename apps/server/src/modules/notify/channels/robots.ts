/**
 * Group robots of 企业微信 (WeCom), 钉钉 (DingTalk) and 飞书 (Feishu/Lark), by their webhook protocols:
 *
 * - WeCom: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY, `{"msgtype":"markdown",
 *   "markdown":{"content":…}}`; answers `{"errcode":0,"errmsg":"ok"}`. No signature (the key is the secret).
 * - DingTalk: POST https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=MS&sign=S where, with
 *   加签 on, S = urlencode(base64(HmacSHA256(key=secret, msg=timestamp+"\n"+secret))), timestamp in
 *   milliseconds within an hour of DingTalk's clock; answers `{"errcode":0,"errmsg":"ok"}` (310000: sign,
 *   keyword or IP check failed; 130101: sending too fast).
 * - Feishu: POST https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN with `timestamp` (seconds) and
 *   `sign` = base64(HmacSHA256(key=timestamp+"\n"+secret, msg="")) in the JSON body; answers
 *   `{"code":0,"msg":"success"}` (19021: sign or timestamp; 19024: keyword; 11232: frequency limited).
 *
 * The timestamps are the real clock's (the robot checks them against its own), not the app's clock.
 */
import crypto from 'node:crypto';
import type { RobotProvider } from '@xianfeng/shared';
import { badRequest } from '../../../platform/errors';
import { checkOutboundUrl, type OutboundPolicy, type OutboundReply } from '../../../platform/outbound';

export type RobotMessage = { title: string; body: string; link: string | null };

/** The providers' own hosts; any other host must be allowed by the operator (a proxy, a test fake). */
export const ROBOT_HOSTS: Record<RobotProvider, { hosts: string[]; path: RegExp; example: string }> = {
  wecom: {
    hosts: ['qyapi.weixin.qq.com'],
    path: /^\/cgi-bin\/webhook\/send$/,
    example: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
  },
  dingtalk: {
    hosts: ['oapi.dingtalk.com'],
    path: /^\/robot\/send$/,
    example: 'https://oapi.dingtalk.com/robot/send?access_token=…',
  },
  feishu: {
    hosts: ['open.feishu.cn', 'open.larksuite.com'],
    path: /^\/open-apis\/bot\/v2\/hook\/[\w-]+$/,
    example: 'https://open.feishu.cn/open-apis/bot/v2/hook/…',
  },
};

const LABEL: Record<RobotProvider, string> = { wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书' };

/** Checks a robot's webhook address when it is saved: the provider's host and path, https, and the key present. */
export function checkRobotUrl(provider: RobotProvider, raw: string, policy: OutboundPolicy): URL {
  const spec = ROBOT_HOSTS[provider];
  const url = checkOutboundUrl(raw, policy);
  const official = spec.hosts.includes(url.hostname.toLowerCase());
  const allowedOther = policy.allow.map((a) => a.trim().toLowerCase()).includes(url.hostname.toLowerCase());
  if (!official && !allowedOther)
    throw badRequest(`${LABEL[provider]}机器人地址应为 ${spec.example}`, undefined, 'URL_NOT_ALLOWED');
  if (official && url.protocol !== 'https:')
    throw badRequest(`${LABEL[provider]}机器人地址必须使用 https`, undefined, 'URL_NOT_ALLOWED');
  if (!spec.path.test(url.pathname))
    throw badRequest(`${LABEL[provider]}机器人地址的路径不正确，应为 ${spec.example}`, undefined, 'URL_NOT_ALLOWED');
  if (provider === 'wecom' && !url.searchParams.get('key'))
    throw badRequest('企业微信机器人地址缺少 key 参数', undefined, 'URL_NOT_ALLOWED');
  if (provider === 'dingtalk' && !url.searchParams.get('access_token'))
    throw badRequest('钉钉机器人地址缺少 access_token 参数', undefined, 'URL_NOT_ALLOWED');
  return url;
}

/** The address with its key shown only by its last 4 characters. */
export function maskRobotUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const hide = (v: string) => (v.length <= 4 ? '****' : `****${v.slice(-4)}`);
    for (const k of ['key', 'access_token']) {
      const v = url.searchParams.get(k);
      if (v) url.searchParams.set(k, hide(v));
    }
    url.pathname = url.pathname.replace(/(\/hook\/)([\w-]+)$/, (_, p: string, token: string) => p + hide(token));
    return decodeURI(url.toString());
  } catch {
    return '****';
  }
}

const hmacB64 = (key: string, msg: string) => crypto.createHmac('sha256', key).update(msg, 'utf8').digest('base64');

/** DingTalk's 加签: base64(HmacSHA256(secret, timestamp + "\n" + secret)); URL-encoded by the caller. */
export const dingtalkSign = (timestampMs: string, secret: string) => hmacB64(secret, `${timestampMs}\n${secret}`);
/** Feishu's signature: base64(HmacSHA256 keyed with timestamp + "\n" + secret over the empty string). */
export const feishuSign = (timestampSec: string, secret: string) => hmacB64(`${timestampSec}\n${secret}`, '');

const clip = (s: string, bytes: number) => {
  const b = Buffer.from(s, 'utf8');
  return b.length <= bytes
    ? s
    : `${b
        .subarray(0, bytes - 3)
        .toString('utf8')
        .replace(/\uFFFD$/, '')}…`;
};

/** The request a robot gets for a message: the URL (DingTalk adds its signature there) and the JSON body. */
export function robotRequest(
  provider: RobotProvider,
  rawUrl: string,
  secret: string | null,
  msg: RobotMessage,
  realNowMs = Date.now(),
): { url: string; body: string } {
  const more = msg.link ? `\n\n[查看详情](${msg.link})` : '';
  if (provider === 'wecom') {
    const content = clip(`**${msg.title}**\n${msg.body}${more}`, 4000);
    return { url: rawUrl, body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }) };
  }
  if (provider === 'dingtalk') {
    const url = new URL(rawUrl);
    if (secret) {
      const ts = String(realNowMs);
      url.searchParams.set('timestamp', ts);
      url.searchParams.set('sign', dingtalkSign(ts, secret));
    }
    const text = clip(`#### ${msg.title}\n\n${msg.body}${more}`, 19_000);
    return {
      url: url.toString(),
      body: JSON.stringify({ msgtype: 'markdown', markdown: { title: clip(msg.title, 200), text } }),
    };
  }
  const content: unknown[][] = [[{ tag: 'text', text: clip(msg.body, 15_000) }]];
  if (msg.link) content.push([{ tag: 'a', text: '查看详情', href: msg.link }]);
  const body: Record<string, unknown> = {
    msg_type: 'post',
    content: { post: { zh_cn: { title: clip(msg.title, 200), content } } },
  };
  if (secret) {
    const ts = String(Math.floor(realNowMs / 1000));
    body.timestamp = ts;
    body.sign = feishuSign(ts, secret);
  }
  return { url: rawUrl, body: JSON.stringify(body) };
}

export type RobotOutcome = { ok: true } | { ok: false; retry: boolean; message: string };

const HINTS: Record<string, string> = {
  'wecom:93000': 'Webhook 地址无效（key 错误或机器人已被移除）',
  'wecom:45009': '发送太频繁（每个机器人每分钟最多 20 条）',
  'wecom:40008': '消息类型不支持',
  'wecom:44004': '消息内容为空',
  'dingtalk:310000': '安全设置校验未通过：签名不匹配、时间戳超过一小时、消息不含关键词或 IP 不在白名单',
  'dingtalk:300001': 'access_token 无效（机器人已被移除）',
  'dingtalk:130101': '发送太频繁（每个机器人每分钟最多 20 条）',
  'dingtalk:400013': '群已被解散',
  'feishu:19021': '签名校验失败或时间戳与当前时间相差超过一小时',
  'feishu:19024': '消息不含机器人设置的关键词',
  'feishu:19022': '请求来源 IP 不在白名单内',
  'feishu:11232': '发送太频繁',
  'feishu:9499': '请求格式不正确',
  'feishu:19001': 'Webhook 地址无效',
};
const RETRYABLE = new Set(['wecom:45009', 'wecom:-1', 'dingtalk:130101', 'dingtalk:-1', 'feishu:11232', 'feishu:-1']);

/** Reads a robot's answer: success, a retryable failure (rate limit, 5xx) or a permanent one (bad key or signature). */
export function robotOutcome(provider: RobotProvider, reply: OutboundReply): RobotOutcome {
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(reply.text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  if (reply.status >= 500 || reply.status === 429)
    return { ok: false, retry: true, message: `${LABEL[provider]}服务暂时不可用（HTTP ${reply.status}）` };
  if (reply.status >= 300 || !json)
    return {
      ok: false,
      retry: false,
      message: `${LABEL[provider]}拒绝了请求（HTTP ${reply.status}）${json ? '' : '，应答不是 JSON'}`,
    };
  const code = Number(provider === 'feishu' ? (json.code ?? json.StatusCode ?? -1) : (json.errcode ?? -1));
  if (code === 0) return { ok: true };
  const msg = String(provider === 'feishu' ? (json.msg ?? json.StatusMessage ?? '') : (json.errmsg ?? ''));
  const key = `${provider}:${code}`;
  return {
    ok: false,
    retry: RETRYABLE.has(key),
    message: `${LABEL[provider]}返回错误 ${code}：${HINTS[key] ?? msg}${HINTS[key] && msg ? `（${msg.slice(0, 120)}）` : ''}`,
  };
}
