import { createHmac } from 'node:crypto';
import type { ChannelConfig } from '../core/contact.js';
import type { ChannelAdapter, DeliveryResult, Notification } from '../core/notifier.js';
import type { AdapterOptions } from './adapter-options.js';
import { postJson } from './http-delivery.js';

type WebhookConfig = Extract<ChannelConfig, { kind: 'webhook' }>;

/** The JSON a generic webhook receives. */
export function webhookBody(n: Notification) {
  return {
    type: 'vigil.notification',
    id: n.id,
    reason: n.reason,
    sentAt: new Date(n.at).toISOString(),
    ...(n.about === 'incident'
      ? { incident: { id: n.incidentId, ref: n.incidentRef, title: n.title, service: n.service, severity: n.severity, status: n.status, url: n.url } }
      : { notice: { subject: n.subject, title: n.title, facts: n.facts.map((f) => ({ ...f })), url: n.url } }),
  };
}

/** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`: what `X-Vigil-Signature` carries. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Generic webhook: POST JSON. With a secret, `X-Vigil-Timestamp` (Unix seconds) and
 * `X-Vigil-Signature` let the receiver check the body came from Vigil and is fresh (reject a
 * timestamp more than 5 minutes old to stop replays). `X-Vigil-Delivery` is the message id, the
 * same on every retry, so the receiver can drop a duplicate.
 */
export class WebhookAdapter implements ChannelAdapter<'webhook'> {
  readonly kind = 'webhook' as const;
  readonly #options: AdapterOptions;

  constructor(options: AdapterOptions) {
    this.#options = options;
  }

  async deliver(config: WebhookConfig, n: Notification): Promise<DeliveryResult> {
    const body = JSON.stringify(webhookBody(n));
    const now = this.#options.clock.now();
    const timestamp = String(Math.floor(now / 1000));
    const headers: Record<string, string> = { 'x-vigil-delivery': n.id, 'x-vigil-timestamp': timestamp };
    if (config.secret !== undefined) headers['x-vigil-signature'] = webhookSignature(config.secret, timestamp, body);
    const { responseText: _ignored, ...result } = await postJson({ url: config.url, body, headers, timeoutMs: this.#options.timeoutMs, now });
    return result;
  }
}
