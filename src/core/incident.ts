import type { AlertSeverity } from './alert.js';
import { VigilError } from './errors.js';

/**
 * An Incident groups alerts and carries the response's lifecycle:
 * triggered -> acknowledged -> resolved, and resolved -> triggered again on reopen.
 */

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export const incidentStatuses: readonly IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];

export type Severity = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4' | 'SEV5';
export const severities: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'];

export interface Incident {
  readonly id: string;
  /** Sequential number; shown to people as `INC-<number>`. */
  readonly number: number;
  readonly title: string;
  readonly service: string;
  readonly groupKey: string;
  readonly status: IncidentStatus;
  readonly severity: Severity;
  readonly assignee: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly acknowledgedAt: number | null;
  readonly resolvedAt: number | null;
  readonly reopenedAt: number | null;
  /** Last time an alert joined or refreshed this incident; the grouping window runs from here. */
  readonly lastAlertAt: number;
  readonly alertCount: number;
}

/** `INC-42` for incident number 42. */
export function shortId(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}

/** Parses `INC-42` (any case) into 42; undefined when the text is not a short id. */
export function parseShortId(text: string): number | undefined {
  const match = /^inc-(\d{1,12})$/i.exec(text.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

const severityByAlertSeverity: Readonly<Record<AlertSeverity, Severity>> = {
  critical: 'SEV1',
  error: 'SEV2',
  warning: 'SEV3',
  info: 'SEV4',
};

/** The incident severity an alert of this severity asks for. */
export function severityForAlert(severity: AlertSeverity): Severity {
  return severityByAlertSeverity[severity];
}

/** True when `a` is more severe than `b` (SEV1 is the most severe). */
export function isMoreSevere(a: Severity, b: Severity): boolean {
  return severities.indexOf(a) < severities.indexOf(b);
}

export type IncidentAction = 'acknowledge' | 'resolve' | 'reopen';

const allowedFrom: Readonly<Record<IncidentAction, readonly IncidentStatus[]>> = {
  acknowledge: ['triggered'],
  resolve: ['triggered', 'acknowledged'],
  reopen: ['resolved'],
};

const target: Readonly<Record<IncidentAction, IncidentStatus>> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  reopen: 'triggered',
};

/**
 * Applies a lifecycle action and returns the new incident, or throws INVALID_TRANSITION.
 * The caller records the change; this function only decides it.
 */
export function transition(incident: Incident, action: IncidentAction, at: number): Incident {
  if (!allowedFrom[action].includes(incident.status)) {
    throw new VigilError(
      'INVALID_TRANSITION',
      `${shortId(incident)} is ${incident.status}; it cannot be ${action === 'reopen' ? 'reopened' : `${action}d`}`,
    );
  }
  const status = target[action];
  switch (action) {
    case 'acknowledge':
      return { ...incident, status, acknowledgedAt: at, updatedAt: at };
    case 'resolve':
      return { ...incident, status, resolvedAt: at, updatedAt: at };
    case 'reopen':
      return { ...incident, status, reopenedAt: at, resolvedAt: null, acknowledgedAt: null, updatedAt: at };
  }
}
