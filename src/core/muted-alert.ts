import type { AlertLink, AlertSeverity, AlertSource, JsonValue } from './alert.js';

/** What muted an alert. */
export type MuteReason =
  | { readonly kind: 'silence'; readonly silenceId: string }
  | { readonly kind: 'maintenance'; readonly windowId: string }
  | { readonly kind: 'inhibition'; readonly ruleId: string; readonly inhibitorAlertId: string };

export type MuteKind = MuteReason['kind'];
export const muteKinds: readonly MuteKind[] = ['silence', 'maintenance', 'inhibition'];

/**
 * `muted`: still firing and muted; `resolved`: its sender resolved it while it was muted;
 * `released`: it fired again after what muted it had ended, and went on to an incident.
 */
export type MutedAlertStatus = 'muted' | 'resolved' | 'released';
export const mutedAlertStatuses: readonly MutedAlertStatus[] = ['muted', 'resolved', 'released'];

/**
 * An alert that a silence, a maintenance window or an inhibition rule kept from opening or joining
 * an incident. It is kept apart from `Alert` (which always belongs to an incident) and holds the
 * normalised alert, so what was muted, and by what, stays visible.
 */
export interface MutedAlert {
  readonly id: string;
  readonly source: AlertSource;
  readonly integrationId: string;
  readonly service: string;
  readonly dedupKey: string;
  readonly fingerprint: string;
  readonly groupKey: string;
  readonly status: MutedAlertStatus;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly links: readonly AlertLink[];
  readonly raw: JsonValue;
  /** What mutes it now (or muted it last). */
  readonly reason: MuteReason;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  /** When it was resolved or released; null while muted. */
  readonly endedAt: number | null;
  /** How many trigger events were folded into it. */
  readonly count: number;
}

/** The reason as one string: `silence:<id>`, `maintenance:<id>`, `inhibited-by:<alert id> (rule <id>)`. */
export function suppressedBy(reason: MuteReason): string {
  switch (reason.kind) {
    case 'silence':
      return `silence:${reason.silenceId}`;
    case 'maintenance':
      return `maintenance:${reason.windowId}`;
    case 'inhibition':
      return `inhibited-by:${reason.inhibitorAlertId} (rule ${reason.ruleId})`;
  }
}

/** The id of the silence, window or rule behind a reason. */
export function reasonId(reason: MuteReason): string {
  switch (reason.kind) {
    case 'silence':
      return reason.silenceId;
    case 'maintenance':
      return reason.windowId;
    case 'inhibition':
      return reason.ruleId;
  }
}
