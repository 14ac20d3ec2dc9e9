/**
 * A fake S3-compatible server on loopback for tests (issue 26): path-style `/bucket/key`, one bucket, objects in
 * memory. Like S3 it refuses a request whose SigV4 signature does not match what arrived on the wire: it
 * rebuilds the canonical request from the raw path, query and headers it received, checks the credential scope,
 * the date (±15 minutes of the real clock) and the payload hash, then compares signatures. Supports PUT, GET
 * (with one Range), HEAD, DELETE and ListObjectsV2.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sigV4 } from '../platform/s3';

export type FakeS3 = {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  objects: Map<string, { data: Buffer; contentType: string }>;
  /** Requests seen, and those refused for their signature. */
  log: { method: string; path: string; status: number; refused?: string }[];
  close(): Promise<void>;
};

const xml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

export async function startFakeS3(
  opts: { bucket?: string; accessKeyId?: string; secretAccessKey?: string; region?: string } = {},
): Promise<FakeS3> {
  const bucket = opts.bucket ?? 'xianfeng-test';
  const accessKeyId = opts.accessKeyId ?? 'AKIDFAKES3TEST';
  const secretAccessKey = opts.secretAccessKey ?? 'fake/secret+key=0123456789abcdefghij';
  const region = opts.region ?? 'cn-north-1';
  const objects = new Map<string, { data: Buffer; contentType: string }>();
  const log: FakeS3['log'] = [];

  // The keys are read from the returned object at each request: a test may change them (a rotated secret).
  const keys = { accessKeyId, secretAccessKey };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rawPath = (req.url ?? '/').split('?')[0]!;
      const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
      const entry: FakeS3['log'][number] = { method: req.method ?? '', path: rawPath, status: 0 };
      log.push(entry);
      const send = (status: number, payload: string | Buffer = '', headers: Record<string, string | number> = {}) => {
        entry.status = status;
        res.writeHead(status, headers);
        res.end(req.method === 'HEAD' ? undefined : payload);
      };
      const refuse = (code: string, why: string) => {
        entry.refused = why;
        send(403, xml(code, why), { 'content-type': 'application/xml' });
      };

      // --- the signature ---
      const auth = req.headers.authorization ?? '';
      const m =
        /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
          auth,
        );
      if (!m) return refuse('AccessDenied', 'missing or malformed Authorization');
      const [, keyId, day, reqRegion, signedList, signature] = m;
      if (keyId !== keys.accessKeyId) return refuse('InvalidAccessKeyId', 'unknown access key');
      if (reqRegion !== region)
        return refuse('AuthorizationHeaderMalformed', `region ${reqRegion}, expected ${region}`);
      const date = String(req.headers['x-amz-date'] ?? '');
      if (!date.startsWith(day!)) return refuse('AccessDenied', 'credential date differs from x-amz-date');
      const when = Date.parse(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
      );
      if (!Number.isFinite(when) || Math.abs(Date.now() - when) > 15 * 60_000)
        return refuse('RequestTimeTooSkewed', 'x-amz-date too far from now');
      const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
      if (payloadHash !== crypto.createHash('sha256').update(body).digest('hex'))
        return refuse('XAmzContentSHA256Mismatch', 'the body does not match x-amz-content-sha256');
      const names = signedList!.split(';');
      if (!names.includes('host') || !names.includes('x-amz-date') || !names.includes('x-amz-content-sha256'))
        return refuse('AccessDenied', 'host, x-amz-date and x-amz-content-sha256 must be signed');
      const headers: Record<string, string> = {};
      for (const n of names) {
        const v = req.headers[n];
        if (v === undefined) return refuse('AccessDenied', `signed header ${n} missing`);
        headers[n] = Array.isArray(v) ? v.join(',') : v;
      }
      const query = rawQuery
        ? rawQuery.split('&').map((p) => {
            const [k, v = ''] = p.split('=');
            return [decodeURIComponent(k!), decodeURIComponent(v.replace(/\+/g, '%20'))] as [string, string];
          })
        : [];
      const expected = sigV4({
        method: req.method ?? '',
        path: rawPath,
        query,
        headers,
        payloadHash,
        amzDate: date,
        region,
        service: 's3',
        secretAccessKey: keys.secretAccessKey,
      }).signature;
      if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature!)))
        return refuse('SignatureDoesNotMatch', 'the signature does not match');

      // --- the bucket ---
      const parts = rawPath.split('/');
      if (parts[1] !== bucket)
        return send(404, xml('NoSuchBucket', 'no such bucket'), { 'content-type': 'application/xml' });
      const key = decodeURIComponent(parts.slice(2).join('/'));
      if (!key && req.method === 'GET') {
        const params = new Map(query);
        if (params.get('list-type') !== '2') return send(400, xml('InvalidArgument', 'only ListObjectsV2'));
        const prefix = params.get('prefix') ?? '';
        const all = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
        const start = Number(params.get('continuation-token') ?? 0);
        const page = all.slice(start, start + 2); // small pages, so paging is exercised
        const more = start + 2 < all.length;
        const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
        return send(
          200,
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><IsTruncated>${more}</IsTruncated>${page
            .map((k) => `<Contents><Key>${esc(k)}</Key><Size>${objects.get(k)!.data.length}</Size></Contents>`)
            .join('')}${more ? `<NextContinuationToken>${start + 2}</NextContinuationToken>` : ''}</ListBucketResult>`,
          { 'content-type': 'application/xml' },
        );
      }
      if (req.method === 'PUT') {
        objects.set(key, {
          data: body,
          contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
        });
        return send(200, '', { etag: `"${crypto.createHash('md5').update(body).digest('hex')}"` });
      }
      const obj = objects.get(key);
      if (req.method === 'DELETE') {
        objects.delete(key);
        return send(204);
      }
      if (!obj)
        return send(404, xml('NoSuchKey', 'The specified key does not exist.'), { 'content-type': 'application/xml' });
      const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
      if (range && req.method === 'GET') {
        const s = Number(range[1]);
        const e = range[2] ? Math.min(Number(range[2]), obj.data.length - 1) : obj.data.length - 1;
        if (s >= obj.data.length) return send(416, xml('InvalidRange', 'range not satisfiable'));
        return send(206, obj.data.subarray(s, e + 1), {
          'content-type': obj.contentType,
          'content-length': e - s + 1,
          'content-range': `bytes ${s}-${e}/${obj.data.length}`,
        });
      }
      return send(200, obj.data, {
        'content-type': obj.contentType,
        'content-length': obj.data.length,
        'accept-ranges': 'bytes',
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    get accessKeyId() {
      return keys.accessKeyId;
    },
    get secretAccessKey() {
      return keys.secretAccessKey;
    },
    set secretAccessKey(v: string) {
      keys.secretAccessKey = v;
    },
    region,
    objects,
    log,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
