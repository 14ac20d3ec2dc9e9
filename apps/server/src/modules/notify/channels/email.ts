/**
 * E-mail over SMTP with nodemailer (XF_SMTP_*). A refused or dropped connection and 4xx answers are
 * retried; a 5xx answer (mailbox unknown, relay denied) is permanent.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../../../platform/config';

export type EmailOutcome = { ok: true; id: string } | { ok: false; retry: boolean; message: string };

const transports = new WeakMap<SmtpConfig, Transporter>();

function transportFor(cfg: SmtpConfig): Transporter {
  let t = transports.get(cfg);
  if (!t) {
    t = nodemailer.createTransport({
      host: cfg.host,
      port: cfg.port,
      secure: cfg.secure,
      auth: cfg.user ? { user: cfg.user, pass: cfg.pass ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transports.set(cfg, t);
  }
  return t;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function sendEmail(
  cfg: SmtpConfig,
  to: string,
  msg: { title: string; body: string; link: string | null },
): Promise<EmailOutcome> {
  try {
    const info = await transportFor(cfg).sendMail({
      from: cfg.from,
      to,
      subject: msg.title,
      text: `${msg.body}${msg.link ? `\n\n查看详情：${msg.link}` : ''}\n\n—— 先锋智慧党建（本邮件由系统发出，请勿直接回复）`,
      html:
        `<p>${escapeHtml(msg.body).replace(/\n/g, '<br>')}</p>` +
        (msg.link ? `<p><a href="${escapeHtml(msg.link)}">查看详情</a></p>` : '') +
        '<p style="color:#888;font-size:12px">先锋智慧党建（本邮件由系统发出，请勿直接回复）</p>',
    });
    return { ok: true, id: String(info.messageId ?? '') };
  } catch (e) {
    const err = e as { responseCode?: number; code?: string; message?: string };
    if (err.responseCode && err.responseCode >= 500)
      return {
        ok: false,
        retry: false,
        message: `邮件服务器拒收（${err.responseCode}）：${(err.message ?? '').slice(0, 200)}`,
      };
    return {
      ok: false,
      retry: true,
      message: `邮件发送失败：${err.code ?? ''} ${(err.message ?? '').slice(0, 200)}`.trim(),
    };
  }
}
