import type { ChannelConfig, ContactKind } from './contact.js';
import type { IncidentStatus, Severity } from './incident.js';

/** What every message says, whatever the channel: about an incident, or a notice about something else. */
export type Notification = IncidentNotification | Notice;

/** A message about an incident. */
export interface IncidentNotification {
  readonly about: 'incident';
  /** The outbox message id; receivers can use it to drop a duplicate delivery. */
  readonly id: string;
  readonly incidentId: string;
  /** `INC-42`. */
  readonly incidentRef: string;
  readonly title: string;
  readonly service: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  /** Why this message is sent: `escalation level 2`, `incident opened`. */
  readonly reason: string;
  /** The incident in the console, when `VIGIL_PUBLIC_URL` is set. */
  readonly url: string | null;
  /** When the message is sent (ms). */
  readonly at: number;
}

/** A message about no incident: a silence about to end. */
export interface Notice {
  readonly about: 'notice';
  readonly id: string;
  /** What it is about, for people and receivers: `silence 01JD…`. */
  readonly subject: string;
  /** The headline: `Silence ends in 15 min: chain="ethereum"`. */
  readonly title: string;
  /** The facts, as label and value. */
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  readonly reason: string;
  readonly url: string | null;
  readonly at: number;
}

/**
 * The answer of one delivery attempt. `retry` means a later attempt may succeed (429, 5xx,
 * network error, timeout); `dead` means it never will (400, 401, 403, 404, a bad address).
 */
export type DeliveryResult =
  | { readonly outcome: 'delivered'; readonly status: number | null }
  | { readonly outcome: 'retry'; readonly status: number | null; readonly error: string; readonly retryAfterMs?: number }
  | { readonly outcome: 'dead'; readonly status: number | null; readonly error: string };

/** Delivers one notification through one channel. Adapters in `src/notify/`, one per kind. */
export interface ChannelAdapter<K extends ContactKind = ContactKind> {
  readonly kind: K;
  deliver(config: Extract<ChannelConfig, { kind: K }>, notification: Notification): Promise<DeliveryResult>;
}

/** The port the outbox dispatcher uses: delivers through whichever adapter serves the config's kind. */
export interface Notifier {
  deliver(config: ChannelConfig, notification: Notification): Promise<DeliveryResult>;
}
