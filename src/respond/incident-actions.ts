import type { Actor } from '../core/actor.js';
import type { Alert } from '../core/alert.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import { notifyObservers, type IncidentObserver } from '../core/incident-observer.js';
import { parseShortId, shortId, transition, type Incident, type IncidentAction, type Severity } from '../core/incident.js';
import type { StoreReader, StoreTx } from '../core/store.js';
import type { TimelineEntry } from '../core/timeline-entry.js';
import type { Recorder } from '../record/recorder.js';

export interface IncidentActionsOptions {
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** Told of every incident change, inside the same write unit. */
  readonly observers?: readonly IncidentObserver[];
  /** Told when resolving an incident ends its firing alerts (the inhibition index, correlate/). */
  readonly alerts?: { alertChanged(tx: StoreTx, alert: Alert, firing: boolean): Promise<void> };
}

/** Finds an incident by its id or its short id (`INC-42`, or just `42`); NOT_FOUND otherwise. */
export async function findIncident(reader: StoreReader, ref: string): Promise<Incident> {
  const number = parseShortId(ref) ?? (/^\d{1,12}$/.test(ref) ? Number(ref) : undefined);
  const incident = number === undefined ? await reader.getIncident(ref) : await reader.getIncidentByNumber(number);
  if (incident === undefined) throw new VigilError('NOT_FOUND', `no incident ${ref}`);
  return incident;
}

const pastTense: Readonly<Record<IncidentAction, 'acknowledged' | 'resolved' | 'reopened'>> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  reopen: 'reopened',
};

/**
 * What a responder does to an incident. Each method runs inside a write unit and records the
 * change on the timeline and the audit chain with the actor, or throws and changes nothing.
 */
export class IncidentActions {
  readonly #clock: Clock;
  readonly #recorder: Recorder;
  readonly #observers: readonly IncidentObserver[];
  readonly #alerts: IncidentActionsOptions['alerts'];

  constructor(options: IncidentActionsOptions) {
    this.#clock = options.clock;
    this.#recorder = options.recorder;
    this.#observers = options.observers ?? [];
    this.#alerts = options.alerts;
  }

  /** Acknowledge, resolve or reopen. Resolving also resolves the incident's firing alerts. */
  async changeStatus(tx: StoreTx, request: { ref: string; action: IncidentAction; actor: Actor; reason?: string }): Promise<Incident> {
    const incident = await findIncident(tx, request.ref);
    const now = this.#clock.now();
    const next = transition(incident, request.action, now);
    await tx.updateIncident(next);
    const resolvedAlerts: string[] = [];
    if (request.action === 'resolve') {
      for (const alert of await tx.listAlertsOfIncident(incident.id)) {
        if (alert.status !== 'firing') continue;
        await tx.updateAlert({ ...alert, status: 'resolved', resolvedAt: now });
        await this.#alerts?.alertChanged(tx, alert, false);
        resolvedAlerts.push(alert.id);
      }
    }
    const verb = pastTense[request.action];
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: `incident.${verb}`,
      subject: `incident:${incident.id}`,
      data: {
        from: incident.status,
        to: next.status,
        ...(request.reason === undefined ? {} : { reason: request.reason }),
        ...(resolvedAlerts.length === 0 ? {} : { resolvedAlerts }),
      },
      timeline: {
        incidentId: incident.id,
        kind: `incident.${verb}`,
        message: `${shortId(incident)} ${verb} by ${request.actor.name}${request.reason === undefined ? '' : `: ${request.reason}`}`,
      },
    });
    await notifyObservers(this.#observers, tx, { cause: verb, before: incident, after: next, actor: request.actor });
    return next;
  }

  /** Sets or clears (null) the assignee. */
  async assign(tx: StoreTx, request: { ref: string; assignee: string | null; actor: Actor }): Promise<Incident> {
    const incident = await findIncident(tx, request.ref);
    const next: Incident = { ...incident, assignee: request.assignee, updatedAt: this.#clock.now() };
    await tx.updateIncident(next);
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'incident.assigned',
      subject: `incident:${incident.id}`,
      data: { from: incident.assignee, to: request.assignee },
      timeline: {
        incidentId: incident.id,
        kind: 'incident.assigned',
        message:
          request.assignee === null
            ? `${shortId(incident)} unassigned by ${request.actor.name}`
            : `${shortId(incident)} assigned to ${request.assignee} by ${request.actor.name}`,
      },
    });
    await notifyObservers(this.#observers, tx, { cause: 'assigned', before: incident, after: next, actor: request.actor });
    return next;
  }

  /** Sets the severity by hand, raising or lowering it, with a reason for the timeline. */
  async setSeverity(tx: StoreTx, request: { ref: string; severity: Severity; actor: Actor; reason?: string }): Promise<Incident> {
    const incident = await findIncident(tx, request.ref);
    if (incident.severity === request.severity) return incident;
    const next: Incident = { ...incident, severity: request.severity, updatedAt: this.#clock.now() };
    await tx.updateIncident(next);
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'incident.severity_changed',
      subject: `incident:${incident.id}`,
      data: { from: incident.severity, to: request.severity, ...(request.reason === undefined ? {} : { reason: request.reason }) },
      timeline: {
        incidentId: incident.id,
        kind: 'incident.severity_changed',
        message: `Severity set from ${incident.severity} to ${request.severity} by ${request.actor.name}${request.reason === undefined ? '' : `: ${request.reason}`}`,
      },
    });
    await notifyObservers(this.#observers, tx, { cause: 'severity_changed', before: incident, after: next, actor: request.actor });
    return next;
  }

  /** Adds a note to the timeline. */
  async addNote(tx: StoreTx, request: { ref: string; text: string; actor: Actor }): Promise<TimelineEntry> {
    const incident = await findIncident(tx, request.ref);
    await tx.updateIncident({ ...incident, updatedAt: this.#clock.now() });
    const entry = await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'incident.note',
      subject: `incident:${incident.id}`,
      data: { text: request.text },
      timeline: { incidentId: incident.id, kind: 'incident.note', message: request.text },
    });
    if (entry === undefined) throw new Error('a note always has a timeline entry');
    return entry;
  }
}
