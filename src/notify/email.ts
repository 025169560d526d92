import nodemailer from 'nodemailer';
import type { ChannelConfig, SmtpConfig } from '../core/contact.js';
import type { ChannelAdapter, DeliveryResult, Notification } from '../core/notifier.js';
import type { AdapterOptions } from './adapter-options.js';
import { colourOf, escapeHtml, facts, headline, plainText, subjectOf } from './message-text.js';

type EmailConfig = Extract<ChannelConfig, { kind: 'email' }>;

export interface EmailAdapterOptions extends AdapterOptions {
  /** The server-wide SMTP server (`VIGIL_SMTP_*`), for methods and channels that name none. */
  readonly smtp: SmtpConfig | undefined;
}

/** Subject, plain text and HTML of the email for a notification. */
export function emailContent(n: Notification): { subject: string; text: string; html: string } {
  const rows = facts(n)
    .map((f) => `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`)
    .join('');
  const colour = `#${colourOf(n).toString(16).padStart(6, '0')}`;
  const link = n.url === null ? '' : `<p><a href="${escapeHtml(n.url)}">Open ${escapeHtml(subjectOf(n))} in Vigil</a></p>`;
  return {
    subject: n.about === 'incident' ? `${headline(n)} (${n.status})` : headline(n),
    text: `${plainText(n)}\n`,
    html: `<div style="border-left:4px solid ${colour};padding-left:12px;font-family:sans-serif"><h2>${escapeHtml(headline(n))}</h2><table>${rows}</table>${link}</div>`,
  };
}

/**
 * Email over SMTP with nodemailer. A 5xx reply (mailbox unknown, relay refused) or a refused
 * login will not pass later: dead. A 4xx reply, a network error or a timeout is retried.
 */
export class EmailAdapter implements ChannelAdapter<'email'> {
  readonly kind = 'email' as const;
  readonly #options: EmailAdapterOptions;

  constructor(options: EmailAdapterOptions) {
    this.#options = options;
  }

  async deliver(config: EmailConfig, n: Notification): Promise<DeliveryResult> {
    const smtp = config.smtp ?? this.#options.smtp;
    if (smtp === undefined) return { outcome: 'dead', status: null, error: 'no SMTP server: set VIGIL_SMTP_HOST and VIGIL_SMTP_FROM, or give this email method an smtp block' };
    const timeout = this.#options.timeoutMs;
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user === undefined ? {} : { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      logger: false,
    });
    let timer: NodeJS.Timeout | undefined;
    // nodemailer's timeouts are per phase; this bounds the whole session.
    const overall = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${timeout} ms`), { code: 'ETIMEDOUT' })), timeout);
    });
    try {
      const content = emailContent(n);
      const sending = transport.sendMail({
        from: smtp.from,
        to: [...config.to],
        subject: content.subject,
        text: content.text,
        html: content.html,
        headers: { ...(n.about === 'incident' ? { 'X-Vigil-Incident': n.incidentRef } : { 'X-Vigil-Subject': n.subject }), 'X-Vigil-Delivery': n.id },
        messageId: `<${n.id}@vigil>`,
      });
      // Closing the transport after a timeout rejects `sending` too; that rejection is expected.
      sending.catch(() => undefined);
      await Promise.race([sending, overall]);
      return { outcome: 'delivered', status: 250 };
    } catch (error) {
      return classifySmtpError(error);
    } finally {
      clearTimeout(timer);
      transport.close();
    }
  }
}

function classifySmtpError(error: unknown): DeliveryResult {
  const e = error as { responseCode?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : null;
  const message = `SMTP ${status ?? (typeof e.code === 'string' ? e.code : 'error')}: ${typeof e.message === 'string' ? e.message.split('\n')[0] : 'failed'}`;
  if (e.code === 'EAUTH' || (status !== null && status >= 500)) return { outcome: 'dead', status, error: message };
  return { outcome: 'retry', status, error: message };
}
