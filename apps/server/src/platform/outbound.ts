/**
 * Outbound HTTP to addresses that users type in (robot webhooks, integrators' endpoints), guarded
 * against SSRF: a URL may not reach loopback, private, link-local (cloud metadata 169.254.169.254),
 * carrier-grade NAT, multicast or reserved addresses unless the operator allowed that host or range
 * (XF_OUTBOUND_ALLOW_PRIVATE). The check runs on the address actually connected to — the lookup of
 * the request itself is checked — so a name that resolves to a public address when saved and to a
 * private one when sent (DNS rebinding) is still refused. Redirects are not followed.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { badRequest } from './errors';

export type OutboundPolicy = {
  /** Hosts (exact names), addresses and CIDR ranges allowed although private, e.g. `127.0.0.1`, `10.1.0.0/16`. */
  allow: readonly string[];
};

const blocked = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const)
  blocked.addSubnet(a, p, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedV4(ip: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m) return m[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True for addresses an outbound request must not reach by default. */
export function isBlockedAddress(ip: string): boolean {
  const kind = net.isIP(ip);
  if (kind === 4) return blocked.check(ip, 'ipv4');
  if (kind === 6) {
    const v4 = embeddedV4(ip);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(ip, 'ipv6');
  }
  return true; // not an address at all
}

function allowList(policy: OutboundPolicy) {
  const list = new net.BlockList();
  const names = new Set<string>();
  for (const raw of policy.allow) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [addr, bits] = entry.split('/');
    const kind = net.isIP(addr!);
    if (kind && bits !== undefined) list.addSubnet(addr!, Number(bits), kind === 4 ? 'ipv4' : 'ipv6');
    else if (kind) list.addAddress(addr!, kind === 4 ? 'ipv4' : 'ipv6');
    else names.add(entry);
  }
  return {
    host: (h: string) => names.has(h.toLowerCase()),
    address: (ip: string) => {
      const kind = net.isIP(ip);
      return kind !== 0 && list.check(ip, kind === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** Whether `ip`, reached through `host`, may be connected to under `policy`. */
export function addressAllowed(host: string, ip: string, policy: OutboundPolicy): boolean {
  if (!isBlockedAddress(ip)) return true;
  const allow = allowList(policy);
  return allow.host(host) || allow.address(ip);
}

const refuse = (why: string) => badRequest(`地址不可用：${why}`, undefined, 'URL_NOT_ALLOWED');

/**
 * Checks a URL before it is saved: http(s) only, no credentials, and when the host is an address,
 * that address is allowed. (A host name is checked again on every request, at connection time.)
 */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy, opts: { httpsOnly?: boolean } = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('不是有效的网址');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('只支持 http 或 https 地址');
  if (opts.httpsOnly && url.protocol !== 'https:' && !allowList(policy).host(url.hostname))
    throw refuse('必须使用 https 地址');
  if (url.username || url.password) throw refuse('地址中不能包含用户名或密码');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !addressAllowed(host, host, policy))
    throw refuse('不能指向本机、内网或保留地址（如确需使用，请由运维在 XF_OUTBOUND_ALLOW_PRIVATE 中放行）');
  if (!net.isIP(host) && (host === 'localhost' || host.endsWith('.localhost')) && !allowList(policy).host(host))
    throw refuse('不能指向本机');
  return url;
}

/**
 * A DNS lookup for the connection itself that refuses (error code XF_BLOCKED) when any address the
 * name resolves to is not allowed: what was checked is what is connected to.
 */
export function guardedLookup(policy: OutboundPolicy): net.LookupFunction {
  return (hostname, options, cb) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => !addressAllowed(hostname, a.address, policy));
      if (bad) return cb(Object.assign(new Error(`blocked address ${bad.address}`), { code: 'XF_BLOCKED' }), '', 4);
      if ((options as { all?: boolean }).all)
        return (cb as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      cb(null, list[0]!.address, list[0]!.family);
    });
  };
}

export type OutboundReply = { status: number; text: string; durationMs: number };

/** A network-level failure (refused, timed out, blocked address): worth retrying unless blocked. */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly blocked = false,
  ) {
    super(message);
  }
}

/**
 * POSTs `body` to `url` and answers status and text (first 64 KiB). The lookup of the connection is
 * checked against the policy; redirects are answered as they are, not followed.
 */
export async function postOutbound(
  rawUrl: string,
  body: string,
  opts: { policy: OutboundPolicy; headers?: Record<string, string>; timeoutMs?: number },
): Promise<OutboundReply> {
  const url = checkOutboundUrl(rawUrl, opts.policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const started = Date.now();
  const lookup = guardedLookup(opts.policy);
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Xianfeng-Notify/1',
          ...opts.headers,
        },
        lookup: net.isIP(host) ? undefined : lookup,
        timeout: opts.timeoutMs ?? 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 65_536) chunks.push(c);
          size += c.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8').slice(0, 65_536),
            durationMs: Date.now() - started,
          }),
        );
        res.on('error', (e) => reject(new OutboundError(`读取应答失败：${e.message}`)));
      },
    );
    req.on('timeout', () => req.destroy(new OutboundError(`对方在 ${(opts.timeoutMs ?? 5000) / 1000} 秒内未应答`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof OutboundError) return reject(e);
      if (e.code === 'XF_BLOCKED') return reject(new OutboundError('地址解析到本机、内网或保留地址，已拒绝连接', true));
      reject(new OutboundError(`连接失败：${e.code ?? e.message}`));
    });
    req.end(body);
  });
}
