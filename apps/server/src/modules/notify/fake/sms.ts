/**
 * A local stand-in for Aliyun SMS (dysmsapi, SendSms), strict about its RPC signature v1: it
 * recomputes the signature of every request from the form parameters with the AccessKeySecret it was
 * given and refuses a wrong one (HTTP 400, Code SignatureDoesNotMatch), an unknown AccessKeyId (404,
 * InvalidAccessKeyId.NotFound), a timestamp more than 15 minutes off (400, InvalidTimeStamp.Expired),
 * a reused SignatureNonce (400, SignatureNonceUsed) and a malformed mainland mobile number (200,
 * isv.MOBILE_NUMBER_ILLEGAL). Accepted messages are kept in `sent`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SmsConfig } from '../../../platform/config';
import { aliyunSignature, aliyunStringToSign } from '../channels/sms';

export async function startFakeSms(opts: { accessKeyId?: string; accessKeySecret?: string } = {}) {
  const accessKeyId = opts.accessKeyId ?? 'LTAIfake000000001';
  const accessKeySecret = opts.accessKeySecret ?? crypto.randomBytes(15).toString('base64url');
  const sent: { phone: string; signName: string; templateCode: string; params: Record<string, string> }[] = [];
  const rejected: { code: string }[] = [];
  const nonces = new Set<string>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: Record<string, unknown>) => {
        if (body.Code !== 'OK') rejected.push({ code: String(body.Code) });
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
        res.end(JSON.stringify({ RequestId: crypto.randomUUID(), ...body }));
      };
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const { Signature, ...params } = form;
      if (params.AccessKeyId !== accessKeyId)
        return answer(404, { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' });
      if (
        !Signature ||
        Signature !== aliyunSignature(accessKeySecret, aliyunStringToSign(req.method ?? 'POST', params))
      )
        return answer(400, {
          Code: 'SignatureDoesNotMatch',
          Message: 'Specified signature is not matched with our calculation.',
        });
      if (Math.abs(Date.now() - Date.parse(params.Timestamp ?? '')) > 15 * 60_000 || !/Z$/.test(params.Timestamp ?? ''))
        return answer(400, {
          Code: 'InvalidTimeStamp.Expired',
          Message: 'Specified time stamp or date value is expired.',
        });
      if (nonces.has(params.SignatureNonce ?? ''))
        return answer(400, { Code: 'SignatureNonceUsed', Message: 'Specified signature nonce was used already.' });
      nonces.add(params.SignatureNonce ?? '');
      if (params.Action !== 'SendSms' || params.Version !== '2017-05-25')
        return answer(400, { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found' });
      if (!/^1[3-9]\d{9}$/.test(params.PhoneNumbers ?? ''))
        return answer(200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' });
      sent.push({
        phone: params.PhoneNumbers!,
        signName: params.SignName ?? '',
        templateCode: params.TemplateCode ?? '',
        params: JSON.parse(params.TemplateParam ?? '{}') as Record<string, string>,
      });
      answer(200, { Code: 'OK', Message: 'OK', BizId: `${Date.now()}^0` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    sent,
    rejected,
    config: (over: Partial<SmsConfig> = {}): SmsConfig => ({
      provider: 'aliyun',
      endpoint,
      accessKeyId,
      accessKeySecret,
      signName: '先锋党建',
      templateCode: 'SMS_000001',
      ...over,
    }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
