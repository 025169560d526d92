import type { Actor } from '../../core/actor.js';
import { systemActor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import type { Escalation, EscalationLevel, EscalationPolicy, StoredEscalationPolicy } from '../../core/escalation.js';
import type { IncidentChange, IncidentObserver } from '../../core/incident-observer.js';
import { isMoreSevere, severities, shortId, type Incident, type Severity } from '../../core/incident.js';
import type { Pager } from '../../core/pager.js';
import type { Store, StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { whoIsOnCall } from '../schedules/on-call.js';
import type { Worker } from '../workers.js';
import { describeMatch, routeFor } from './escalation-routing.js';

export interface EscalationEngineOptions {
  readonly clock: Clock;
  readonly recorder: Recorder;
  readonly pager: Pager;
  /** Due escalations handled per write unit by the worker. */
  readonly batch?: number;
}

const minute = 60_000;

/** True when `severity` is `atLeast` or more severe. */
function isAtLeast(severity: Severity, atLeast: Severity): boolean {
  return severities.indexOf(severity) <= severities.indexOf(atLeast);
}

/** The 0-based level a rise to `severity` restarts at, or undefined when no rule asks for one. */
export function riseLevel(policy: EscalationPolicy, severity: Severity): number | undefined {
  const levels = policy.onSeverityRise.filter((rule) => isAtLeast(severity, rule.atLeast)).map((rule) => rule.startAtLevel - 1);
  return levels.length === 0 ? undefined : Math.max(...levels);
}

function levelTitle(policy: EscalationPolicy, level: number): string {
  return `level ${level + 1} (${policy.levels[level]?.name ?? '?'})`;
}

/**
 * Runs escalation policies. When an incident opens, routing chooses a policy and its first level
 * is paged; if nobody acknowledges within the level's timeout, the worker pages the next level,
 * and after the last one starts over as many times as the policy repeats. Acknowledging or
 * resolving stops it; reopening starts it again. A severity rise that meets one of the policy's
 * `onSeverityRise` rules moves a still-unacknowledged escalation up to that level at once, and
 * pages that level once if the incident was already acknowledged (someone owns it, but the
 * people at that level need to know).
 *
 * All state is in the store (`escalations`), so timers survive a restart, and the worker claims
 * due rows inside a write, so two instances never page the same level twice. Pages carry an
 * idempotency key per incident, start, round and level.
 */
export class EscalationEngine implements IncidentObserver {
  readonly #options: EscalationEngineOptions;

  constructor(options: EscalationEngineOptions) {
    this.#options = options;
  }

  /** The timer worker for `Workers`. */
  worker(store: Store): Worker {
    return { name: 'escalation', run: () => this.runDue(store) };
  }

  async incidentChanged(tx: StoreTx, change: IncidentChange): Promise<void> {
    const { cause, before, actor, after: incident } = change;
    // `after` is the incident as the observers before this one left it (impact may have raised it).
    switch (cause) {
      case 'opened':
        return this.#start(tx, { incident, actor, reason: 'incident opened' });
      case 'reopened':
        return this.#start(tx, { incident, actor, reason: `reopened by ${actor.name}` });
      case 'acknowledged':
        return this.#stop(tx, { incident, actor, reason: `acknowledged by ${actor.name}` });
      case 'resolved':
        return this.#stop(tx, { incident, actor, reason: `resolved by ${actor.name}` });
      case 'severity_changed':
      case 'alert_attached':
      case 'alert_repeated':
      case 'facts_changed':
        // A rise, whoever raised it: a person, a more severe alert, or the impact score.
        if (before !== undefined && isMoreSevere(incident.severity, before.severity)) await this.#rise(tx, { incident, actor, from: before.severity });
        return;
      case 'alert_resolved':
      case 'assigned':
        return;
    }
  }

  /** Pages the next level of every escalation whose level timed out; resolves when done. */
  async runDue(store: Store): Promise<void> {
    const batch = this.#options.batch ?? 100;
    // Look first without the write lock: most rounds find nothing due.
    if ((await store.read.listDueEscalations(this.#options.clock.now(), 1)).length === 0) return;
    for (;;) {
      const handled = await store.write(async (tx) => {
        const due = await tx.listDueEscalations(this.#options.clock.now(), batch);
        for (const escalation of due) await this.#advance(tx, escalation);
        return due.length;
      });
      if (handled < batch) return;
    }
  }

  async #policyFor(tx: StoreTx, incident: Incident): Promise<{ stored: StoredEscalationPolicy; matched: string } | { missing: string } | 'unconfigured' | undefined> {
    const routes = await tx.getEscalationRoutes();
    if (routes.length === 0) return 'unconfigured';
    const route = routeFor(routes, incident, await tx.listAlertsOfIncident(incident.id));
    if (route === undefined) return undefined;
    const stored = await tx.findEscalationPolicy(route.policy);
    return stored === undefined ? { missing: route.policy } : { stored, matched: describeMatch(route.match) };
  }

  async #start(tx: StoreTx, request: { incident: Incident; actor: Actor; reason: string }): Promise<void> {
    const { incident, actor } = request;
    const chosen = await this.#policyFor(tx, incident);
    // A deployment that routes nothing does not use escalation: nothing to say on every timeline.
    if (chosen === 'unconfigured') return;
    if (chosen === undefined || 'missing' in chosen) {
      const why = chosen === undefined ? `no routing rule matches ${shortId(incident)} (service ${incident.service}, ${incident.severity})` : `its routing rule names policy ${chosen.missing}, which does not exist`;
      await this.#options.recorder.record(tx, {
        actor,
        action: 'escalation.not_started',
        subject: `incident:${incident.id}`,
        data: { reason: why },
        timeline: { incidentId: incident.id, kind: 'escalation.started', message: `No escalation: ${why}` },
      });
      return;
    }
    const { stored, matched } = chosen;
    const now = this.#options.clock.now();
    await this.#options.recorder.record(tx, {
      actor,
      action: 'escalation.started',
      subject: `incident:${incident.id}`,
      data: { policyId: stored.id, policy: stored.policy.name, matched, reason: request.reason },
      timeline: { incidentId: incident.id, kind: 'escalation.started', message: `Escalation policy ${stored.policy.name} started (${request.reason}; route matched ${matched})` },
    });
    const escalation: Escalation = {
      incidentId: incident.id,
      policyId: stored.id,
      policyName: stored.policy.name,
      level: 0,
      round: 0,
      status: 'active',
      nextAt: null,
      startedAt: now,
      updatedAt: now,
      reason: request.reason,
    };
    await this.#page(tx, { escalation, policy: stored.policy, incident, actor });
  }

  async #stop(tx: StoreTx, request: { incident: Incident; actor: Actor; reason: string }): Promise<void> {
    const { incident, actor, reason } = request;
    const escalation = await tx.getEscalation(incident.id);
    if (escalation === undefined || escalation.status !== 'active') return;
    const now = this.#options.clock.now();
    await tx.putEscalation({ ...escalation, status: 'stopped', nextAt: null, updatedAt: now, reason });
    await this.#options.recorder.record(tx, {
      actor,
      action: 'escalation.stopped',
      subject: `incident:${incident.id}`,
      data: { policy: escalation.policyName, level: escalation.level + 1, round: escalation.round + 1, reason },
      timeline: { incidentId: incident.id, kind: 'escalation.stopped', message: `Escalation stopped at level ${escalation.level + 1}: ${reason}` },
    });
  }

  async #rise(tx: StoreTx, request: { incident: Incident; actor: Actor; from: Severity }): Promise<void> {
    const { incident, actor } = request;
    const escalation = await tx.getEscalation(incident.id);
    if (escalation === undefined || incident.status === 'resolved') return;
    const stored = await tx.findEscalationPolicy(escalation.policyId);
    if (stored === undefined) return;
    const level = riseLevel(stored.policy, incident.severity);
    if (level === undefined) return;
    const reason = `severity rose from ${request.from} to ${incident.severity}`;
    if (escalation.status === 'active' && incident.status === 'triggered') {
      if (level <= escalation.level) return;
      await this.#page(tx, { escalation: { ...escalation, level, reason }, policy: stored.policy, incident, actor, why: reason });
      return;
    }
    // Acknowledged (or escalation over): tell that level once, with no timer: someone owns it.
    await this.#page(tx, { escalation: { ...escalation, level, reason }, policy: stored.policy, incident, actor, why: reason, once: true });
  }

  /** The current level timed out: page the next one, start over, or give up. */
  async #advance(tx: StoreTx, escalation: Escalation): Promise<void> {
    const incident = await tx.getIncident(escalation.incidentId);
    const stored = await tx.findEscalationPolicy(escalation.policyId);
    const now = this.#options.clock.now();
    if (incident === undefined || incident.status !== 'triggered' || stored === undefined) {
      // A stop that did not reach the row (or a deleted policy): settle it without paging.
      await tx.putEscalation({ ...escalation, status: 'stopped', nextAt: null, updatedAt: now, reason: stored === undefined ? 'its policy was deleted' : `incident is ${incident?.status ?? 'gone'}` });
      return;
    }
    const { policy } = stored;
    const why = `nobody acknowledged within ${policy.levels[escalation.level]?.timeoutMinutes ?? '?'} min of ${levelTitle(policy, escalation.level)}`;
    if (escalation.level + 1 < policy.levels.length) {
      await this.#page(tx, { escalation: { ...escalation, level: escalation.level + 1 }, policy, incident, actor: systemActor, why });
    } else if (escalation.round < policy.repeat) {
      await this.#page(tx, { escalation: { ...escalation, level: 0, round: escalation.round + 1 }, policy, incident, actor: systemActor, why: `${why}; starting round ${escalation.round + 2} of ${policy.repeat + 1}` });
    } else {
      const reason = `${why}, the last level, after ${policy.repeat + 1} round${policy.repeat === 0 ? '' : 's'}`;
      await tx.putEscalation({ ...escalation, status: 'exhausted', nextAt: null, updatedAt: now, reason });
      await this.#options.recorder.record(tx, {
        actor: systemActor,
        action: 'escalation.exhausted',
        subject: `incident:${incident.id}`,
        data: { policy: policy.name, rounds: policy.repeat + 1 },
        timeline: { incidentId: incident.id, kind: 'escalation.exhausted', message: `Escalation exhausted: ${reason}. ${shortId(incident)} is still unacknowledged.` },
      });
    }
  }

  /** Pages `escalation.level` and stores the escalation with its next timeout (none when `once`). */
  async #page(
    tx: StoreTx,
    request: { escalation: Escalation; policy: EscalationPolicy; incident: Incident; actor: Actor; why?: string; once?: boolean },
  ): Promise<void> {
    const { escalation, policy, incident, actor } = request;
    const level = policy.levels[escalation.level] as EscalationLevel;
    const now = this.#options.clock.now();
    const title = levelTitle(policy, escalation.level);
    const reason = `escalation ${title}${request.why === undefined ? '' : `: ${request.why}`}`;
    const keyBase = `escalation:${incident.id}:${escalation.startedAt}:${escalation.round}:${escalation.level}${request.once === true ? `:rise:${incident.severity}` : ''}`;
    const reached: string[] = [];
    const unreached: string[] = [];
    for (const target of level.targets) {
      const page = { incident, reason, actor };
      switch (target.kind) {
        case 'person':
          await this.#options.pager.notifyPerson(tx, { ...page, handle: target.handle, idempotencyKey: `${keyBase}:person:${target.handle}` });
          reached.push(target.handle);
          break;
        case 'channel':
          await this.#options.pager.notifyChannel(tx, { ...page, channel: target.channel, idempotencyKey: `${keyBase}:channel:${target.channel}` });
          reached.push(`channel ${target.channel}`);
          break;
        case 'schedule': {
          const schedule = await tx.findSchedule(target.schedule);
          const person = schedule === undefined ? null : whoIsOnCall(schedule.schedule, now);
          if (person === null) {
            unreached.push(schedule === undefined ? `schedule ${target.schedule} does not exist` : `nobody is on call in ${target.schedule}`);
            break;
          }
          await this.#options.pager.notifyPerson(tx, { ...page, handle: person, idempotencyKey: `${keyBase}:schedule:${target.schedule}:${person}` });
          reached.push(`${person} (on call in ${target.schedule})`);
          break;
        }
      }
    }
    const nextAt = request.once === true ? escalation.nextAt : now + level.timeoutMinutes * minute;
    const then =
      escalation.level + 1 < policy.levels.length
        ? `level ${escalation.level + 2}`
        : escalation.round < policy.repeat
          ? `round ${escalation.round + 2} from level 1`
          : 'the end of escalation';
    await tx.putEscalation({ ...escalation, status: request.once === true ? escalation.status : 'active', nextAt, updatedAt: now });
    const paged = reached.length === 0 ? 'nobody could be paged' : `paged ${reached.join(', ')}`;
    await this.#options.recorder.record(tx, {
      actor,
      action: 'escalation.paged',
      subject: `incident:${incident.id}`,
      data: { policy: policy.name, level: escalation.level + 1, round: escalation.round + 1, reached, unreached, nextAt, ...(request.why === undefined ? {} : { why: request.why }) },
      timeline: {
        incidentId: incident.id,
        kind: 'escalation.paged',
        message: `Escalation ${title}${request.why === undefined ? '' : ` (${request.why})`}: ${paged}${unreached.length === 0 ? '' : `; ${unreached.join('; ')}`}${request.once === true ? '' : `; ${then} in ${level.timeoutMinutes} min unless acknowledged`}`,
      },
    });
  }
}
