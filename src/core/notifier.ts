import type { ChannelConfig, ContactKind } from './contact.js';
import type { IncidentStatus, Severity } from './incident.js';

/** What every message says, whatever the channel. */
export interface Notification {
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
