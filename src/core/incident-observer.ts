import type { Actor } from './actor.js';
import type { Alert } from './alert.js';
import type { Incident } from './incident.js';
import type { StoreTx } from './store.js';

/** Why an incident changed. */
export type IncidentChangeCause =
  | 'opened'
  | 'alert_attached'
  | 'alert_repeated'
  | 'alert_resolved'
  | 'acknowledged'
  | 'resolved'
  | 'reopened'
  | 'assigned'
  | 'severity_changed'
  /** Facts or other inputs to the incident changed (transactions, addresses, funds). */
  | 'facts_changed';

export interface IncidentChange {
  readonly cause: IncidentChangeCause;
  /** The incident before the change; undefined when it was just opened. */
  readonly before: Incident | undefined;
  /** The incident as stored after the change. */
  readonly after: Incident;
  readonly actor: Actor;
  /** The alert that caused the change, when an alert did. */
  readonly alert?: Alert;
  /** For a repeat: the alert as it was before, so observers can skip repeats that changed nothing they read. */
  readonly previousAlert?: Alert;
}

/**
 * Something that reacts to incident changes inside the same write unit: escalation starts on
 * open and stops on acknowledge, playbooks attach on open, impact is rescored when an alert
 * joins. Because it runs in the writer's transaction, what it does commits (or rolls back)
 * together with the change that caused it. It must not call `Store.write`.
 */
export interface IncidentObserver {
  /**
   * Reacts to the change. An observer that changes the incident itself (impact raising the
   * severity) returns the incident as it now stands, so the observers after it see it.
   */
  incidentChanged(tx: StoreTx, change: IncidentChange): Promise<Incident | void>;
}

/**
 * The alert that has just opened the incident, when the change is that: the incident then has
 * that one alert, no facts, no score and no playbook yet, so an observer need not read them back.
 */
export function openingAlert(change: IncidentChange): Alert | undefined {
  return change.cause === 'opened' ? change.alert : undefined;
}

/**
 * Tells every observer, in order. When one returns a changed incident, the ones after it get the
 * change with that incident as `after`: a new incident the impact score raised to SEV1 is routed,
 * paged and posted as SEV1, once.
 */
export async function notifyObservers(observers: readonly IncidentObserver[], tx: StoreTx, change: IncidentChange): Promise<Incident> {
  let current = change;
  for (const observer of observers) {
    const updated = await observer.incidentChanged(tx, current);
    if (updated !== undefined) current = { ...current, after: updated };
  }
  return current.after;
}
