/**
 * An Alert is a normalised, deduplicated signal. Every ingest format (Alertmanager, PagerDuty
 * Events, Forta findings, generic JSON) is turned into `AlertEvent`s, and the correlator folds
 * events with the same dedup key into one Alert.
 */

/** Where an alert came from; one per ingest format. */
export type AlertSource = 'alertmanager' | 'pagerduty' | 'forta' | 'generic' | 'detector' | 'watcher';
export const alertSources: readonly AlertSource[] = ['alertmanager', 'pagerduty', 'forta', 'generic', 'detector', 'watcher'];

export type AlertStatus = 'firing' | 'resolved';

/** Severity on PagerDuty's scale, the lingua franca of alert senders. */
export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';
export const alertSeverities: readonly AlertSeverity[] = ['critical', 'error', 'warning', 'info'];

export interface AlertLink {
  readonly href: string;
  readonly text?: string;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What an ingest adapter hands to the correlator: one thing that happened to one alert. */
export interface AlertEvent {
  readonly source: AlertSource;
  /** `trigger` opens or refreshes an alert; `acknowledge` and `resolve` act on the open one. */
  readonly action: 'trigger' | 'acknowledge' | 'resolve';
  readonly dedupKey: string;
  /** The sender's own identity of the alert (Alertmanager fingerprint, Forta hash); else the dedup key. */
  readonly fingerprint: string;
  /** Alerts with the same service and grouping key join one open incident. */
  readonly groupKey: string;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly links: readonly AlertLink[];
  /** The sender's payload for this alert, kept as evidence. */
  readonly raw: JsonValue;
  /** When the sender says it happened (ms); the receive time when it does not say. */
  readonly occurredAt: number;
}

export interface Alert {
  readonly id: string;
  readonly source: AlertSource;
  readonly integrationId: string;
  readonly service: string;
  readonly dedupKey: string;
  readonly fingerprint: string;
  readonly groupKey: string;
  readonly status: AlertStatus;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly links: readonly AlertLink[];
  readonly raw: JsonValue;
  readonly incidentId: string;
  /** First and last time an event for this alert was received (ms, UTC). */
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly resolvedAt: number | null;
  /** How many events were folded into this alert. */
  readonly count: number;
}
