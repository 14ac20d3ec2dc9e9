/**
 * Local receivers for tests: an integrator's webhook endpoint that checks our signature the way the
 * docs tell integrators to (channels/webhook.ts verifyWebhook), and an SMTP sink (the smtp-server
 * package) that keeps what it is sent and can refuse with a temporary (4xx) or permanent (5xx) answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SmtpConfig } from '../../../platform/config';
import { verifyWebhook } from '../channels/webhook';

export async function startWebhookReceiver() {
  const got: { headers: http.IncomingHttpHeaders; body: string; json: Record<string, unknown>; verified: boolean }[] =
    [];
  const state = { secret: '', status: 200, delayMs: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = state.secret !== '' && verifyWebhook(state.secret, req.headers, body);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        json = {};
      }
      got.push({ headers: req.headers, body, json, verified });
      setTimeout(() => {
        // A real integrator refuses what does not verify.
        const status = verified ? state.status : 401;
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status < 300 ? 'ok' : 'refused');
      }, state.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/xianfeng`;
  return { url, got, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export type SinkMessage = { from: string; to: string[]; raw: string };

export async function startSmtpSink() {
  const messages: SinkMessage[] = [];
  const state = { refuse: null as null | { code: number; message: string } };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.refuse)
          return cb(Object.assign(new Error(state.refuse.message), { responseCode: state.refuse.code }));
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    state,
    config: (): SmtpConfig => ({
      host: '127.0.0.1',
      port,
      secure: false,
      user: undefined,
      pass: undefined,
      from: '先锋党建 <noreply@xianfeng.test>',
    }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
