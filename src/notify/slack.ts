import type { ChannelConfig } from '../core/contact.js';
import type { ChannelAdapter, DeliveryResult, Notification } from '../core/notifier.js';
import type { AdapterOptions } from './adapter-options.js';
import { postJson } from './http-delivery.js';
import { facts, headline, plainText, subjectOf } from './message-text.js';

type SlackConfig = Extract<ChannelConfig, { kind: 'slack' }>;

/** Slack's incoming-webhook body: `text` for notifications and old clients, `blocks` for the message. */
export function slackBody(n: Notification) {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: headline(n).slice(0, 150), emoji: false } },
    { type: 'section', fields: facts(n).map((f) => ({ type: 'mrkdwn', text: `*${f.label}*\n${escape(f.value)}` })) },
  ];
  if (n.url !== null) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: `Open ${subjectOf(n)}` }, url: n.url }] });
  }
  return { text: plainText(n), blocks };
}

/** Slack incoming webhook. Slack answers 200 `ok`; 403/404 `invalid_token`/`no_service` mean the webhook is gone. */
export class SlackAdapter implements ChannelAdapter<'slack'> {
  readonly kind = 'slack' as const;
  readonly #options: AdapterOptions;

  constructor(options: AdapterOptions) {
    this.#options = options;
  }

  async deliver(config: SlackConfig, n: Notification): Promise<DeliveryResult> {
    const { responseText: _ignored, ...result } = await postJson({ url: config.url, body: JSON.stringify(slackBody(n)), timeoutMs: this.#options.timeoutMs, now: this.#options.clock.now() });
    return result;
  }
}
