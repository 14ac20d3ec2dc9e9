/**
 * S3-compatible object storage for uploaded files (issue 26): a small client for the five calls the file store
 * needs (PUT, GET with Range, HEAD, DELETE, ListObjectsV2), signed with AWS Signature Version 4.
 *
 * Why not @aws-sdk/client-s3: it brings some eighty packages for what is here five HTTP requests; SigV4 itself is
 * two HMAC chains over a canonical text, written below once and checked against AWS's published examples
 * (s3.test.ts), and against a fake S3 server on loopback that recomputes the signature of what arrived on the
 * wire (testing/fakeS3.ts). Works with AWS S3 and the S3-compatible services (MinIO, Ceph RGW, 阿里云 OSS in its S3
 * mode, 腾讯云 COS, 华为云 OBS) in path style (`endpoint/bucket/key`, default) or virtual-host style.
 *
 * The payload is signed (x-amz-content-sha256 is the body's SHA-256), so a body changed on the way is refused.
 * Signatures use the real clock (Date.now), not the business clock: the server checks them against its own.
 */
import crypto from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';

export type S3Config = {
  /** e.g. https://s3.cn-north-1.amazonaws.com.cn, https://oss-cn-beijing.aliyuncs.com, http://127.0.0.1:9000 */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys are stored under this prefix (e.g. `xianfeng/`); '' for none. */
  prefix: string;
  /** true: https://host/bucket/key (MinIO and most self-hosted); false: https://bucket.host/key (AWS default). */
  pathStyle: boolean;
};

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const sha256hex = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => crypto.createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: everything but A–Z a–z 0–9 - . _ ~ is %XX (upper case); '/' kept in paths. */
export function uriEncode(s: string, keepSlash: boolean): string {
  const e = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? e.replace(/%2F/g, '/') : e;
}

/** `20130524T000000Z` */
export const amzDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export type SignInput = {
  method: string;
  /** The path as sent, already URI-encoded (S3: each segment encoded once). */
  path: string;
  /** Query parameters, decoded. */
  query: [string, string][];
  /** Every header to sign, names in any case (host included). */
  headers: Record<string, string>;
  payloadHash: string;
  amzDate: string;
  region: string;
  service: string;
  secretAccessKey: string;
};

/** The canonical request, the string to sign and the signature (hex) of SigV4. */
export function sigV4(input: SignInput): {
  signature: string;
  signedHeaders: string;
  scope: string;
  canonicalRequest: string;
} {
  const headers = Object.entries(input.headers)
    .map(([k, v]) => [k.toLowerCase(), String(v).trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([k]) => k).join(';');
  const query = input.query
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    input.method,
    input.path || '/',
    query,
    headers.map(([k, v]) => `${k}:${v}\n`).join(''),
    signedHeaders,
    input.payloadHash,
  ].join('\n');
  const day = input.amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, day), input.region), input.service), 'aws4_request');
  return {
    signature: crypto.createHmac('sha256', key).update(stringToSign).digest('hex'),
    signedHeaders,
    scope,
    canonicalRequest,
  };
}

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class S3Client {
  constructor(private readonly cfg: S3Config) {}

  private url(key: string | null, query: [string, string][] = []): URL {
    const base = new URL(this.cfg.endpoint);
    const encodedKey = key === null ? '' : uriEncode(this.cfg.prefix + key, true);
    if (this.cfg.pathStyle)
      base.pathname = `${base.pathname.replace(/\/$/, '')}/${this.cfg.bucket}${key === null ? '' : `/${encodedKey}`}`;
    else {
      base.hostname = `${this.cfg.bucket}.${base.hostname}`;
      base.pathname = `/${encodedKey}`;
    }
    for (const [k, v] of query) base.searchParams.append(k, v);
    return base;
  }

  /** One signed request; answers the Response (any status — callers decide). */
  async request(
    method: 'GET' | 'PUT' | 'HEAD' | 'DELETE',
    key: string | null,
    opts: { body?: Buffer; headers?: Record<string, string>; query?: [string, string][] } = {},
  ): Promise<Response> {
    const url = this.url(key, opts.query);
    const payloadHash = opts.body ? sha256hex(opts.body) : EMPTY_SHA256;
    const date = amzDate(new Date());
    const headers: Record<string, string> = {
      host: url.host,
      'x-amz-date': date,
      'x-amz-content-sha256': payloadHash,
      ...(opts.headers ?? {}),
    };
    const { signature, signedHeaders, scope } = sigV4({
      method,
      path: url.pathname,
      query: opts.query ?? [],
      headers,
      payloadHash,
      amzDate: date,
      region: this.cfg.region,
      service: 's3',
      secretAccessKey: this.cfg.secretAccessKey,
    });
    const { host: _host, ...sent } = headers;
    return fetch(url, {
      method,
      headers: {
        ...sent,
        authorization: `AWS4-HMAC-SHA256 Credential=${this.cfg.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      },
      // A Buffer is a Uint8Array; the cast only satisfies the DOM typing of fetch (the e2e project).
      ...(opts.body ? { body: opts.body as unknown as Uint8Array<ArrayBuffer> } : {}),
    });
  }

  private async fail(res: Response, what: string): Promise<never> {
    const text = res.status === 404 || res.body === null ? '' : await res.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? (res.status === 404 ? 'NoSuchKey' : `HTTP${res.status}`);
    throw new S3Error(res.status, code, `S3 ${what}: ${res.status} ${code}`);
  }

  async put(key: string, data: Buffer, contentType = 'application/octet-stream'): Promise<void> {
    const res = await this.request('PUT', key, { body: data, headers: { 'content-type': contentType } });
    if (!res.ok) await this.fail(res, `PUT ${key}`);
    await res.arrayBuffer();
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.request('GET', key);
    if (!res.ok) await this.fail(res, `GET ${key}`);
    return Buffer.from(await res.arrayBuffer());
  }

  async size(key: string): Promise<number> {
    const res = await this.request('HEAD', key);
    if (!res.ok) await this.fail(res, `HEAD ${key}`);
    return Number(res.headers.get('content-length'));
  }

  /** Bytes start..end (inclusive) as a stream, fetched with one Range request. */
  stream(key: string, start: number, end: number): Readable {
    const out = new PassThrough();
    this.request('GET', key, { headers: { range: `bytes=${start}-${end}` } })
      .then(async (res) => {
        if (!res.ok || !res.body) await this.fail(res, `GET ${key} bytes=${start}-${end}`);
        Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream).pipe(out);
      })
      .catch((err: Error) => out.destroy(err));
    return out;
  }

  async remove(key: string): Promise<void> {
    const res = await this.request('DELETE', key);
    if (!res.ok && res.status !== 404) await this.fail(res, `DELETE ${key}`);
    await res.arrayBuffer().catch(() => {});
  }

  /** Every key under `prefix` (relative to the configured prefix), page by page (ListObjectsV2). */
  async *list(prefix = ''): AsyncGenerator<{ key: string; size: number }> {
    let token: string | null = null;
    do {
      const query: [string, string][] = [
        ['list-type', '2'],
        ['prefix', this.cfg.prefix + prefix],
        ...(token ? ([['continuation-token', token]] as [string, string][]) : []),
      ];
      const res = await this.request('GET', null, { query });
      if (!res.ok) await this.fail(res, 'LIST');
      const xml = await res.text();
      for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = unescapeXml(/<Key>([\s\S]*?)<\/Key>/.exec(m[1]!)?.[1] ?? '');
        yield { key: key.slice(this.cfg.prefix.length), size: Number(/<Size>(\d+)<\/Size>/.exec(m[1]!)?.[1] ?? 0) };
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? unescapeXml(/<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '') || null
        : null;
    } while (token);
  }
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
