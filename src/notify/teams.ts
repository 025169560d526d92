import type { ChannelConfig } from '../core/contact.js';
import type { ChannelAdapter, DeliveryResult, Notification } from '../core/notifier.js';
import type { AdapterOptions } from './adapter-options.js';
import { postJson } from './http-delivery.js';
import { facts, headline, subjectOf } from './message-text.js';

type TeamsConfig = Extract<ChannelConfig, { kind: 'teams' }>;

/** A Teams message with one Adaptive Card: what incoming webhooks and Workflows both accept. */
export function teamsBody(n: Notification) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: headline(n), weight: 'Bolder', size: 'Medium', wrap: true, color: n.about === 'incident' && (n.severity === 'SEV1' || n.severity === 'SEV2') ? 'Attention' : 'Default' },
            { type: 'FactSet', facts: facts(n).map((f) => ({ title: f.label, value: f.value })) },
          ],
          actions: n.url === null ? [] : [{ type: 'Action.OpenUrl', title: `Open ${subjectOf(n)}`, url: n.url }],
        },
      },
    ],
  };
}

/** Microsoft Teams incoming webhook. */
export class TeamsAdapter implements ChannelAdapter<'teams'> {
  readonly kind = 'teams' as const;
  readonly #options: AdapterOptions;

  constructor(options: AdapterOptions) {
    this.#options = options;
  }

  async deliver(config: TeamsConfig, n: Notification): Promise<DeliveryResult> {
    const { responseText: _ignored, ...result } = await postJson({ url: config.url, body: JSON.stringify(teamsBody(n)), timeoutMs: this.#options.timeoutMs, now: this.#options.clock.now() });
    return result;
  }
}
