/**
 * Outbound webhooks for integrators: each domain event an endpoint subscribes to is POSTed as JSON
 *   { "id", "kind", "at", "entityType", "entityId", "orgId", "data" }
 * with headers
 *   X-Xf-Event: <kind>   X-Xf-Delivery: <delivery id>   X-Xf-Timestamp: <unix seconds>
 *   X-Xf-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
 * The receiver recomputes the signature over the raw body, compares in constant time, and refuses
 * timestamps more than 5 minutes old (replays). A 2xx answer is delivered; 408, 429 and 5xx or no
 * answer are retried with backoff; other 4xx are permanent.
 */
import crypto from 'node:crypto';

export const webhookSignature = (secret: string, timestamp: string, body: string) =>
  `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;

export function webhookHeaders(
  secret: string,
  kind: string,
  deliveryId: string,
  body: string,
  realNowMs = Date.now(),
): Record<string, string> {
  const ts = String(Math.floor(realNowMs / 1000));
  return {
    'x-xf-event': kind,
    'x-xf-delivery': deliveryId,
    'x-xf-timestamp': ts,
    'x-xf-signature': webhookSignature(secret, ts, body),
  };
}

/** For receivers (and our tests): checks a delivery's signature and age. */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  realNowMs = Date.now(),
  maxAgeSec = 300,
): boolean {
  const ts = String(headers['x-xf-timestamp'] ?? '');
  const sig = String(headers['x-xf-signature'] ?? '');
  if (!/^\d+$/.test(ts) || Math.abs(realNowMs / 1000 - Number(ts)) > maxAgeSec) return false;
  const expected = Buffer.from(webhookSignature(secret, ts, body));
  const given = Buffer.from(sig);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

export const newWebhookSecret = () => `whsec_${crypto.randomBytes(24).toString('base64url')}`;

export function webhookOutcome(status: number): { ok: true } | { ok: false; retry: boolean; message: string } {
  if (status >= 200 && status < 300) return { ok: true };
  const retry = status >= 500 || status === 408 || status === 429;
  return { ok: false, retry, message: `接收方应答 HTTP ${status}${retry ? '，稍后重试' : ''}` };
}
