import type { ChannelConfig } from '../core/contact.js';
import type { ChannelAdapter, DeliveryResult, Notification } from '../core/notifier.js';
import type { AdapterOptions } from './adapter-options.js';
import { postJson } from './http-delivery.js';
import { colourOf, facts, headline, subjectOf } from './message-text.js';

type DiscordConfig = Extract<ChannelConfig, { kind: 'discord' }>;

/** Discord's execute-webhook body: a short `content` line and one embed with the facts. */
export function discordBody(n: Notification) {
  return {
    content: headline(n).slice(0, 2000),
    // Nothing in an incident title may ping @everyone.
    allowed_mentions: { parse: [] as string[] },
    embeds: [
      {
        title: `${subjectOf(n)} ${n.title}`.slice(0, 256),
        description: n.reason.slice(0, 4096),
        color: colourOf(n),
        ...(n.url === null ? {} : { url: n.url }),
        timestamp: new Date(n.at).toISOString(),
        fields:
          n.about === 'incident'
            ? [
                { name: 'Severity', value: n.severity, inline: true },
                { name: 'Status', value: n.status, inline: true },
                { name: 'Service', value: n.service.slice(0, 1024), inline: true },
              ]
            : facts(n).map((f) => ({ name: f.label.slice(0, 256), value: f.value.slice(0, 1024), inline: false })),
        footer: { text: 'Vigil' },
      },
    ],
  };
}

/** Discord webhook. 429 carries Retry-After, which the outbox honours. */
export class DiscordAdapter implements ChannelAdapter<'discord'> {
  readonly kind = 'discord' as const;
  readonly #options: AdapterOptions;

  constructor(options: AdapterOptions) {
    this.#options = options;
  }

  async deliver(config: DiscordConfig, n: Notification): Promise<DeliveryResult> {
    const { responseText: _ignored, ...result } = await postJson({ url: config.url, body: JSON.stringify(discordBody(n)), timeoutMs: this.#options.timeoutMs, now: this.#options.clock.now() });
    return result;
  }
}
