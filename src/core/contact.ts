import type { Severity } from './incident.js';

/**
 * Where a notification can go. The same kinds serve a person's contact methods and a team's
 * channels; each kind's adapter lives in `src/notify/`.
 */
export type ContactKind = 'email' | 'webhook' | 'slack' | 'discord' | 'telegram' | 'teams';
export const contactKinds: readonly ContactKind[] = ['email', 'webhook', 'slack', 'discord', 'telegram', 'teams'];

/** An SMTP server to send through (nodemailer). Without one, the server-wide `VIGIL_SMTP_*` applies. */
export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); false means STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  /** Secret: stored encrypted, shown masked. */
  readonly password?: string;
  readonly from: string;
}

/** Each kind's settings. Fields marked secret are stored encrypted and shown masked. */
export type ChannelConfig =
  | { readonly kind: 'email'; readonly to: readonly string[]; readonly smtp?: SmtpConfig }
  /** POST JSON, signed with HMAC-SHA256 over `timestamp.body` when `secret` is set. `url` and `secret` are secret. */
  | { readonly kind: 'webhook'; readonly url: string; readonly secret?: string }
  /** Slack incoming webhook URL (secret). */
  | { readonly kind: 'slack'; readonly url: string }
  /** Discord webhook URL (secret). */
  | { readonly kind: 'discord'; readonly url: string }
  /** Telegram Bot API: bot token (secret) and chat id; `apiBaseUrl` defaults to https://api.telegram.org. */
  | { readonly kind: 'telegram'; readonly botToken: string; readonly chatId: string; readonly apiBaseUrl?: string }
  /** Microsoft Teams incoming webhook URL (secret). */
  | { readonly kind: 'teams'; readonly url: string };

/** One way to reach a person. */
export interface ContactMethod {
  /** Chosen by the person (`phone-bot`, `work-email`); contact rules name methods by it. */
  readonly id: string;
  readonly label?: string;
  readonly config: ChannelConfig;
}

/**
 * A notification rule in the spirit of PagerDuty's: for incidents of these severities, notify
 * through these methods, this many minutes after the page.
 */
export interface ContactRule {
  readonly severities: readonly Severity[];
  readonly methods: readonly string[];
  readonly delayMinutes: number;
}

/** Someone who can be paged, by the handle schedules and escalation policies use. */
export interface Person {
  readonly handle: string;
  readonly name: string;
  readonly methods: readonly ContactMethod[];
  readonly rules: readonly ContactRule[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * A named destination that belongs to a team, not a person (the #incidents Slack webhook, an ops
 * mailing list). It subscribes to services and severities: every new incident that matches, and
 * every status change of one, is posted there. Empty lists match everything.
 */
export interface TeamChannel {
  readonly id: string;
  readonly name: string;
  readonly config: ChannelConfig;
  readonly services: readonly string[];
  readonly severities: readonly Severity[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A person or a channel as stored: the config is sealed (encrypted) by a SecretBox. */
export interface StoredPerson extends Omit<Person, 'methods'> {
  readonly methods: readonly StoredContactMethod[];
}
export interface StoredContactMethod {
  readonly id: string;
  readonly label?: string;
  readonly kind: ContactKind;
  /** The method's `ChannelConfig` as JSON, encrypted. */
  readonly sealedConfig: string;
}
export interface StoredTeamChannel extends Omit<TeamChannel, 'config'> {
  readonly kind: ContactKind;
  readonly sealedConfig: string;
}
