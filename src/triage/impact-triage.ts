import type { Actor } from '../core/actor.js';
import type { Alert } from '../core/alert.js';
import type { IncidentFact } from '../core/incident-facts.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import { openingAlert, type IncidentChange, type IncidentObserver } from '../core/incident-observer.js';
import { isMoreSevere, type Incident } from '../core/incident.js';
import type { StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';
import { impactInputsFromFacts } from './impact-facts.js';
import { impactInputsFromAlerts, impactKeys, mergeImpactInputs } from './impact-inputs.js';
import { explainScore, rescore, scoreImpact, type ImpactInputs } from './impact-score.js';
import type { TriageConfig } from './triage-config.js';

export interface ImpactTriageOptions {
  readonly clock: Clock;
  readonly recorder: Recorder;
  readonly config: TriageConfig;
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Labels and annotations are all the score reads from an alert. */
function sameImpactText(a: Alert, b: Alert): boolean {
  return sameRecord(a.labels, b.labels) && sameRecord(a.annotations, b.annotations);
}

const rescoredOn = new Set<IncidentChange['cause']>(['opened', 'alert_attached', 'alert_repeated', 'facts_changed']);

/**
 * Keeps every incident's impact score current: when an alert opens or joins an incident, when a
 * repeat brings new labels, when a responder records a fact, the incident is scored again from
 * all its alerts, its facts and its service's tier, and the score is stored with its breakdown.
 *
 * The score can raise the severity, never lower it on its own: a sender's critical alert stays
 * SEV1 even when nothing about its impact is known yet, and lowering a severity is a person's
 * call (`incident severity`). Every rise lands on the timeline with the reason: what moved, from
 * which source.
 */
export class ImpactTriage implements IncidentObserver {
  readonly #options: ImpactTriageOptions;
  readonly #flags: readonly string[];
  /** Label and annotation names the score reads. */
  readonly #impactKeys: ReadonlySet<string>;

  constructor(options: ImpactTriageOptions) {
    this.#options = options;
    this.#flags = Object.keys(options.config.matrix.flags);
    this.#impactKeys = new Set<string>([...Object.values(impactKeys), ...this.#flags]);
  }

  async incidentChanged(tx: StoreTx, change: IncidentChange): Promise<Incident | undefined> {
    if (!rescoredOn.has(change.cause)) return;
    // Senders repeat firing alerts every few minutes; most repeats change nothing the score reads.
    if (change.cause === 'alert_repeated' && change.previousAlert !== undefined && change.alert !== undefined && sameImpactText(change.previousAlert, change.alert)) return;
    // A new alert can only raise what alerts say (the most severe value wins), so one that states
    // nothing above the stored score leaves it as it is: rescoring from every alert of an incident
    // of thousands, for each new one, would make ingest quadratic.
    if (change.cause === 'alert_attached' && change.alert !== undefined && !(await this.#couldRaise(tx, change.after.id, change.alert))) return;
    return this.#rescore(tx, { incident: change.after, actor: change.actor, opening: openingAlert(change) });
  }

  /** True when `alert` states an impact input above what the incident's stored score already counts. */
  async #couldRaise(tx: StoreTx, incidentId: string, alert: Alert): Promise<boolean> {
    if (!this.#mentionsImpact(alert)) return false;
    const stored = await tx.getImpactScore(incidentId);
    if (stored === undefined) return true;
    const own = scoreImpact(impactInputsFromAlerts([alert], { flags: this.#flags }).inputs, this.#options.config.matrix);
    const counted = new Map(stored.score.breakdown.map((row) => [row.dimension, row.measure]));
    return own.breakdown.some((row) => {
      if (row.measure === null) return false;
      const before = counted.get(row.dimension);
      return before === undefined || before === null || BigInt(row.measure) > BigInt(before);
    });
  }

  #mentionsImpact(alert: Alert): boolean {
    const keys = this.#impactKeys;
    return Object.keys(alert.labels).some((k) => keys.has(k)) || Object.keys(alert.annotations).some((k) => keys.has(k));
  }

  /** What the incident's alerts, facts and service say, merged (facts beat alerts). */
  async inputs(tx: StoreTx, incident: Incident): Promise<ImpactInputs> {
    return this.#inputsFrom(incident, await tx.listAlertsOfIncident(incident.id), await tx.listIncidentFacts(incident.id));
  }

  #inputsFrom(incident: Incident, alerts: readonly Alert[], storedFacts: readonly IncidentFact[]): ImpactInputs {
    const fromAlerts = impactInputsFromAlerts(alerts, { flags: this.#flags }).inputs;
    const serviceTier = this.#options.config.services[incident.service]?.tier;
    const withService: ImpactInputs =
      serviceTier !== undefined && (fromAlerts.tier === undefined || serviceTier < fromAlerts.tier.value)
        ? { ...fromAlerts, tier: { value: serviceTier, source: `service ${incident.service} is tier ${serviceTier}` } }
        : fromAlerts;
    const facts = impactInputsFromFacts(storedFacts, this.#flags).inputs;
    return mergeImpactInputs({ fromAlerts: withService, facts });
  }

  /**
   * Scores the incident again and stores the score; when it asks for more than the incident's
   * severity, raises it and returns the raised incident (the observers after this one see it).
   */
  async #rescore(tx: StoreTx, request: { incident: Incident; actor: Actor; opening?: Alert | undefined }): Promise<Incident | undefined> {
    const { recorder, config, clock } = this.#options;
    const { incident, opening } = request;
    // An incident an alert has just opened has that alert, no facts and no score: nothing to read.
    const stored = opening === undefined ? await tx.getImpactScore(incident.id) : undefined;
    const previous = stored?.score ?? scoreImpact({}, config.matrix);
    let result: ReturnType<typeof rescore>;
    try {
      const inputs = opening === undefined ? await this.inputs(tx, incident) : this.#inputsFrom(incident, [opening], []);
      result = rescore(previous, inputs, config.matrix);
    } catch (error) {
      // Inputs are parsed before they get here, so this is a bug, not a sender's mistake; it must
      // not cost the alert that triggered it.
      if (error instanceof VigilError) return undefined;
      throw error;
    }
    const { score, change } = result;
    if (stored !== undefined && change === null) return undefined;
    const now = clock.now();
    if (opening === undefined) await tx.putImpactScore(incident.id, score, now);
    else await tx.insertImpactScore(incident.id, score, now);
    const known = score.breakdown.some((row) => row.input !== null);
    if (change !== null && known) {
      await recorder.record(tx, {
        actor: request.actor,
        action: 'incident.impact_scored',
        subject: `incident:${incident.id}`,
        data: { total: score.total, severity: score.severity, summary: change.summary, explanation: explainScore(score) },
        timeline: { incidentId: incident.id, kind: 'incident.impact_scored', message: `Impact ${change.summary}` },
      });
    }
    if (!isMoreSevere(score.severity, incident.severity)) return undefined;
    const raised: Incident = { ...incident, severity: score.severity, updatedAt: now };
    await tx.updateIncident(raised, incident);
    const reason = `impact score ${score.total}${score.forcedBy === undefined ? '' : ` and ${score.forcedBy.label}`}: ${change?.summary ?? explainScore(score)[0] ?? ''}`;
    await recorder.record(tx, {
      actor: request.actor,
      action: 'incident.severity_changed',
      subject: `incident:${incident.id}`,
      data: { from: incident.severity, to: score.severity, reason, total: score.total },
      timeline: {
        incidentId: incident.id,
        kind: 'incident.severity_changed',
        message: `Severity raised from ${incident.severity} to ${score.severity} by impact: ${change?.summary ?? `score ${score.total}`}`,
      },
    });
    return raised;
  }
}
