import type { ChannelConfig, SmtpConfig } from '../core/contact.js';
import type { DeliveryResult, Notification, Notifier } from '../core/notifier.js';
import type { AdapterOptions } from './adapter-options.js';
import { DiscordAdapter } from './discord.js';
import { EmailAdapter } from './email.js';
import { SlackAdapter } from './slack.js';
import { TeamsAdapter } from './teams.js';
import { TelegramAdapter } from './telegram.js';
import { WebhookAdapter } from './webhook.js';

/** The Notifier over the six channel adapters, chosen by the config's kind. */
export class ChannelNotifier implements Notifier {
  readonly #email: EmailAdapter;
  readonly #webhook: WebhookAdapter;
  readonly #slack: SlackAdapter;
  readonly #discord: DiscordAdapter;
  readonly #telegram: TelegramAdapter;
  readonly #teams: TeamsAdapter;

  constructor(options: AdapterOptions & { readonly smtp: SmtpConfig | undefined }) {
    this.#email = new EmailAdapter(options);
    this.#webhook = new WebhookAdapter(options);
    this.#slack = new SlackAdapter(options);
    this.#discord = new DiscordAdapter(options);
    this.#telegram = new TelegramAdapter(options);
    this.#teams = new TeamsAdapter(options);
  }

  async deliver(config: ChannelConfig, notification: Notification): Promise<DeliveryResult> {
    try {
      switch (config.kind) {
        case 'email':
          return await this.#email.deliver(config, notification);
        case 'webhook':
          return await this.#webhook.deliver(config, notification);
        case 'slack':
          return await this.#slack.deliver(config, notification);
        case 'discord':
          return await this.#discord.deliver(config, notification);
        case 'telegram':
          return await this.#telegram.deliver(config, notification);
        case 'teams':
          return await this.#teams.deliver(config, notification);
      }
    } catch (error) {
      // An adapter bug must not leave the message leased forever: retry it like a network error.
      return { outcome: 'retry', status: null, error: `delivery failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
