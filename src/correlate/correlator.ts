import type { Integration } from '../core/access.js';
import type { Actor } from '../core/actor.js';
import type { Alert, AlertEvent } from '../core/alert.js';
import type { Clock } from '../core/clock.js';
import type { AttackStage } from '../core/finding.js';
import type { Ids } from '../core/ids.js';
import { notifyObservers, type IncidentChange, type IncidentObserver } from '../core/incident-observer.js';
import { isMoreSevere, severityForAlert, shortId, transition, type Incident } from '../core/incident.js';
import type { StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';
import type { AlertMuter } from './alert-muter.js';
import { sameAlertLabelSet } from './matchers.js';

const attackStages: readonly AttackStage[] = ['funding', 'preparation', 'exploitation', 'laundering'];

/** What happened to one event. */
export type EventOutcome =
  /** A new alert, in a new incident. */
  | 'opened'
  /** A new alert, in an open incident of the same service and grouping key. */
  | 'grouped'
  /** Folded into the firing alert with the same dedup key (count and last seen updated). */
  | 'deduplicated'
  | 'resolved'
  | 'acknowledged'
  /** Acknowledge or resolve for a key with no firing alert: accepted and ignored, as PagerDuty does. */
  | 'ignored'
  /** Kept as a muted alert (silence, maintenance window or inhibition): no incident, no page. `alertId` is the muted alert's id. */
  | 'muted';

export interface EventResult {
  readonly outcome: EventOutcome;
  readonly alertId: string | null;
  readonly incidentId: string | null;
}

/** One event being applied, with everything the steps need. */
interface Step {
  readonly tx: StoreTx;
  readonly integration: Integration;
  readonly event: AlertEvent;
  readonly actor: Actor;
  readonly now: number;
}

export interface CorrelatorOptions {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly recorder: Recorder;
  /** A new alert joins an open incident of its group only if that incident saw an alert this recently. */
  readonly groupWindowMs: number;
  /** Resolve an incident when the last of its firing alerts resolves. */
  readonly autoResolve: boolean;
  /** Told of every incident change, inside the same write unit. */
  readonly observers?: readonly IncidentObserver[];
  /** Silences, maintenance windows and inhibition; none: nothing is ever muted. */
  readonly muter?: AlertMuter;
}

/**
 * Folds alert events into alerts and incidents: dedup by key, grouping by service and grouping
 * key within a window, resolve and acknowledge by key. It runs inside a write unit, so what it
 * decides is committed together with the timeline entries and audit records that tell it.
 */
export class Correlator {
  readonly #options: CorrelatorOptions;

  constructor(options: CorrelatorOptions) {
    this.#options = options;
  }

  async apply(tx: StoreTx, integration: Integration, event: AlertEvent): Promise<EventResult> {
    const actor: Actor = { kind: 'integration', id: integration.id, name: integration.name };
    const step: Step = { tx, integration, event, actor, now: this.#options.clock.now() };
    switch (event.action) {
      case 'trigger':
        return this.#trigger(step);
      case 'resolve':
        return this.#resolve(step);
      case 'acknowledge':
        return this.#acknowledge(step);
    }
  }

  async #trigger(step: Step): Promise<EventResult> {
    const { tx, integration, event, actor, now } = step;
    const firing = await tx.findFiringAlert(integration.id, event.dedupKey);
    if (firing !== undefined) return this.#repeat(step, firing);

    // --- Silences, maintenance windows and inhibition (correlate/alert-muter.ts) ---
    // Checked only for an alert not yet in an incident: a muted one is kept apart, pages no one.
    const muted = await this.#options.muter?.trigger(step);
    if (muted !== undefined) return { outcome: 'muted', alertId: muted.id, incidentId: null };
    // --- end ---

    const open = await tx.findOpenIncident(integration.service, event.groupKey);
    const joinable = open !== undefined && now - open.lastAlertAt <= this.#options.groupWindowMs ? open : undefined;
    const incident = joinable ?? (await this.#openIncident(step));
    const alert: Alert = {
      id: this.#options.ids.id(),
      source: event.source,
      integrationId: integration.id,
      service: integration.service,
      dedupKey: event.dedupKey,
      fingerprint: event.fingerprint,
      groupKey: event.groupKey,
      status: 'firing',
      severity: event.severity,
      summary: event.summary,
      labels: event.labels,
      annotations: event.annotations,
      links: event.links,
      raw: event.raw,
      incidentId: incident.id,
      firstSeenAt: now,
      lastSeenAt: now,
      resolvedAt: null,
      count: 1,
    };
    await tx.insertAlert(alert);
    await this.#options.muter?.alertChanged(tx, alert, true);
    const alertFacts = { alertId: alert.id, dedupKey: alert.dedupKey, source: alert.source, severity: alert.severity, summary: alert.summary };

    if (joinable === undefined) {
      await this.#options.recorder.record(tx, {
        actor,
        action: 'incident.triggered',
        subject: `incident:${incident.id}`,
        data: { ...alertFacts, number: incident.number, service: incident.service, groupKey: incident.groupKey, incidentSeverity: incident.severity },
        timeline: { incidentId: incident.id, kind: 'incident.triggered', message: `${shortId(incident)} triggered by ${alert.source} alert: ${alert.summary}` },
      });
      await this.#tell(tx, { cause: 'opened', before: undefined, after: incident, actor, alert });
      return { outcome: 'opened', alertId: alert.id, incidentId: incident.id };
    }

    let updated: Incident = { ...joinable, alertCount: joinable.alertCount + 1, lastAlertAt: now, updatedAt: now };
    await this.#options.recorder.record(tx, {
      actor,
      action: 'alert.attached',
      subject: `incident:${incident.id}`,
      data: alertFacts,
      timeline: { incidentId: incident.id, kind: 'alert.attached', message: `${alert.source} alert joined: ${alert.summary}` },
    });
    updated = await this.#raiseSeverity(step, updated, alert);
    updated = await this.#escalateFullAttack(step, updated, alert);
    await tx.updateIncident(updated, joinable);
    await this.#tell(tx, { cause: 'alert_attached', before: joinable, after: updated, actor, alert });
    return { outcome: 'grouped', alertId: alert.id, incidentId: incident.id };
  }

  async #openIncident({ tx, integration, event, now }: Step): Promise<Incident> {
    const incident: Incident = {
      id: this.#options.ids.id(),
      number: await tx.nextIncidentNumber(),
      title: event.summary,
      service: integration.service,
      groupKey: event.groupKey,
      status: 'triggered',
      severity: severityForAlert(event.severity),
      assignee: null,
      createdAt: now,
      updatedAt: now,
      acknowledgedAt: null,
      resolvedAt: null,
      reopenedAt: null,
      lastAlertAt: now,
      alertCount: 1,
    };
    await tx.insertIncident(incident);
    return incident;
  }

  /**
   * A repeat refreshes the alert and its incident but writes no timeline entry: repeats are how
   * senders say "still firing", and a timeline of them would bury the story. The audit chain
   * still records each one.
   */
  async #repeat(step: Step, firing: Alert): Promise<EventResult> {
    const { tx, event, actor, now } = step;
    const alert: Alert = {
      ...firing,
      severity: event.severity,
      summary: event.summary,
      labels: event.labels,
      annotations: event.annotations,
      links: event.links,
      raw: event.raw,
      lastSeenAt: now,
      count: firing.count + 1,
    };
    await tx.updateAlert(alert);
    if (!sameAlertLabelSet(firing, alert)) await this.#options.muter?.alertChanged(tx, alert, true);
    await this.#options.recorder.record(tx, {
      actor,
      action: 'alert.repeated',
      subject: `alert:${alert.id}`,
      data: { alertId: alert.id, dedupKey: alert.dedupKey, count: alert.count, severity: alert.severity },
    });
    const incident = await tx.getIncident(firing.incidentId);
    if (incident !== undefined) {
      const raised = await this.#raiseSeverity(step, { ...incident, lastAlertAt: now, updatedAt: now }, alert);
      await tx.updateIncident(raised, incident);
      await this.#tell(tx, { cause: 'alert_repeated', before: incident, after: raised, actor, alert, previousAlert: firing });
    }
    return { outcome: 'deduplicated', alertId: alert.id, incidentId: firing.incidentId };
  }

  /** Severity only rises on its own; lowering it is a person's decision. */
  async #raiseSeverity({ tx, actor }: Step, incident: Incident, alert: Alert): Promise<Incident> {
    const wanted = severityForAlert(alert.severity);
    if (!isMoreSevere(wanted, incident.severity)) return incident;
    await this.#options.recorder.record(tx, {
      actor,
      action: 'incident.severity_changed',
      subject: `incident:${incident.id}`,
      data: { from: incident.severity, to: wanted, reason: `alert ${alert.id} is ${alert.severity}` },
      timeline: {
        incidentId: incident.id,
        kind: 'incident.severity_changed',
        message: `Severity raised from ${incident.severity} to ${wanted}: a ${alert.severity} alert arrived`,
      },
    });
    return { ...incident, severity: wanted };
  }

  /**
   * An incident whose alerts show all four stages of an attack (funding, preparation,
   * exploitation, laundering) is an attack in progress end to end: it goes to the top.
   */
  async #escalateFullAttack({ tx, actor }: Step, incident: Incident, alert: Alert): Promise<Incident> {
    if (alert.labels.stage === undefined || incident.severity === 'SEV1') return incident;
    const stages = new Set((await tx.listAlertsOfIncident(incident.id)).map((a) => a.labels.stage).filter((s) => s !== undefined));
    if (!attackStages.every((stage) => stages.has(stage))) return incident;
    await this.#options.recorder.record(tx, {
      actor,
      action: 'incident.severity_changed',
      subject: `incident:${incident.id}`,
      data: { from: incident.severity, to: 'SEV1', reason: 'all four attack stages seen', stages: [...attackStages] },
      timeline: {
        incidentId: incident.id,
        kind: 'incident.severity_changed',
        message: `Severity raised from ${incident.severity} to SEV1: funding, preparation, exploitation and laundering all seen`,
      },
    });
    return { ...incident, severity: 'SEV1' };
  }

  async #resolve(step: Step): Promise<EventResult> {
    const { tx, integration, event, actor, now } = step;
    const firing = await tx.findFiringAlert(integration.id, event.dedupKey);
    if (firing === undefined) {
      // --- Silences, maintenance windows and inhibition: a resolve ends a muted alert ---
      const muted = await this.#options.muter?.resolve(step);
      if (muted !== undefined) return { outcome: 'resolved', alertId: muted.id, incidentId: null };
      return { outcome: 'ignored', alertId: null, incidentId: null };
    }
    await tx.updateAlert({ ...firing, status: 'resolved', resolvedAt: now, lastSeenAt: now, raw: event.raw });
    await this.#options.muter?.alertChanged(tx, firing, false);
    await this.#options.recorder.record(tx, {
      actor,
      action: 'alert.resolved',
      subject: `incident:${firing.incidentId}`,
      data: { alertId: firing.id, dedupKey: firing.dedupKey },
      timeline: { incidentId: firing.incidentId, kind: 'alert.resolved', message: `${firing.source} alert resolved: ${firing.summary}` },
    });
    const incident = await tx.getIncident(firing.incidentId);
    if (incident === undefined) return { outcome: 'resolved', alertId: firing.id, incidentId: firing.incidentId };
    const resolvedAlert: Alert = { ...firing, status: 'resolved', resolvedAt: now, lastSeenAt: now, raw: event.raw };
    await this.#tell(tx, { cause: 'alert_resolved', before: incident, after: incident, actor, alert: resolvedAlert });
    if (this.#options.autoResolve && incident.status !== 'resolved' && (await tx.countFiringAlerts(incident.id)) === 0) {
      const resolved = transition(incident, 'resolve', now);
      await tx.updateIncident(resolved, incident);
      await this.#options.recorder.record(tx, {
        actor,
        action: 'incident.resolved',
        subject: `incident:${incident.id}`,
        data: { from: incident.status, reason: 'all alerts resolved' },
        timeline: { incidentId: incident.id, kind: 'incident.resolved', message: `${shortId(incident)} resolved: all its alerts resolved` },
      });
      await this.#tell(tx, { cause: 'resolved', before: incident, after: resolved, actor, alert: resolvedAlert });
    }
    return { outcome: 'resolved', alertId: firing.id, incidentId: firing.incidentId };
  }

  async #acknowledge({ tx, integration, event, actor, now }: Step): Promise<EventResult> {
    const firing = await tx.findFiringAlert(integration.id, event.dedupKey);
    if (firing === undefined) return { outcome: 'ignored', alertId: null, incidentId: null };
    const incident = await tx.getIncident(firing.incidentId);
    if (incident === undefined || incident.status !== 'triggered') {
      return { outcome: 'acknowledged', alertId: firing.id, incidentId: firing.incidentId };
    }
    const acknowledged = transition(incident, 'acknowledge', now);
    await tx.updateIncident(acknowledged, incident);
    await this.#options.recorder.record(tx, {
      actor,
      action: 'incident.acknowledged',
      subject: `incident:${incident.id}`,
      data: { from: incident.status, alertId: firing.id },
      timeline: { incidentId: incident.id, kind: 'incident.acknowledged', message: `${shortId(incident)} acknowledged by ${integration.name}` },
    });
    await this.#tell(tx, { cause: 'acknowledged', before: incident, after: acknowledged, actor, alert: firing });
    return { outcome: 'acknowledged', alertId: firing.id, incidentId: incident.id };
  }

  async #tell(tx: StoreTx, change: IncidentChange): Promise<void> {
    await notifyObservers(this.#options.observers ?? [], tx, change);
  }
}
