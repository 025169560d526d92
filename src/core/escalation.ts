import type { Severity } from './incident.js';

/**
 * Escalation: who is paged for an incident, and who next when nobody acknowledges in time.
 * A policy has levels (L1 analyst, L2 engineer, L3 security); each level pages its targets and
 * waits `timeoutMinutes` for an acknowledgement before the next level is paged. After the last
 * level the policy starts over from the first, `repeat` more times. Routing rules choose the
 * policy for an incident by service, severity and labels.
 */

export type EscalationTarget =
  | { readonly kind: 'person'; readonly handle: string }
  /** Whoever is on call in this schedule when the level fires. */
  | { readonly kind: 'schedule'; readonly schedule: string }
  /** A team channel (the #incidents Slack webhook, an ops mailing list). */
  | { readonly kind: 'channel'; readonly channel: string };

export interface EscalationLevel {
  readonly name: string;
  readonly targets: readonly EscalationTarget[];
  /** Minutes to wait for an acknowledgement before the next level. */
  readonly timeoutMinutes: number;
}

/** When an incident's severity rises to `atLeast` or above, escalation restarts at this level. */
export interface SeverityRiseRule {
  readonly atLeast: Severity;
  /** 1-based, as people count levels. */
  readonly startAtLevel: number;
}

export interface EscalationPolicy {
  readonly name: string;
  readonly description?: string;
  readonly levels: readonly EscalationLevel[];
  /** How many more times to run through all levels after the last one times out. */
  readonly repeat: number;
  readonly onSeverityRise: readonly SeverityRiseRule[];
}

export interface StoredEscalationPolicy {
  readonly id: string;
  readonly policy: EscalationPolicy;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Every condition given must hold; an empty match matches every incident. */
export interface EscalationRouteMatch {
  readonly services?: readonly string[];
  readonly severities?: readonly Severity[];
  /** Label equality on any of the incident's alerts. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface EscalationRoute {
  readonly match: EscalationRouteMatch;
  /** The policy's name. */
  readonly policy: string;
}

export type EscalationStatus = 'active' | 'stopped' | 'exhausted';

/** One incident's escalation, as stored: where it is, and when it next fires. */
export interface Escalation {
  readonly incidentId: string;
  readonly policyId: string;
  readonly policyName: string;
  /** 0-based index of the level paged last. */
  readonly level: number;
  /** 0-based run through the levels (0 is the first, `repeat` the last). */
  readonly round: number;
  readonly status: EscalationStatus;
  /** When the current level times out; null once stopped or exhausted. */
  readonly nextAt: number | null;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Why it stopped or last restarted. */
  readonly reason: string;
}
