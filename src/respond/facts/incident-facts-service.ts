import type { Actor } from '../../core/actor.js';
import { actorRef } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { VigilError, validationFailed } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import { factKey, type IncidentFact, type IncidentFactBody } from '../../core/incident-facts.js';
import type { IncidentChange } from '../../core/incident-observer.js';
import { shortId } from '../../core/incident.js';
import type { StoreTx } from '../../core/store.js';
import { formatAsset } from '../../detect/typologies/amounts.js';
import type { Recorder } from '../../record/recorder.js';
import { impactFactKeys } from '../../triage/impact-facts.js';
import { impactInputsFromAlerts, impactKeys } from '../../triage/impact-inputs.js';
import { formatUsdCents } from '../../triage/usd-amount.js';
import { findIncident } from '../incident-actions.js';
import { factSchema, toFactBody } from './fact-schema.js';

export interface IncidentFactsOptions {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly recorder: Recorder;
  /** The impact matrix's flag names: an `impact` fact may set them. */
  readonly flags: readonly string[];
  /** Tells the incident observers that facts changed (the impact score is recomputed). */
  readonly tell: (tx: StoreTx, change: IncidentChange) => Promise<void>;
}

const label = (state: string) => state.replaceAll('_', ' ');
const usd = (cents: bigint | undefined) => (cents === undefined ? '' : ` (${formatUsdCents(cents)})`);

/** One sentence for the timeline, saying what changed when the fact replaces an earlier one. */
export function describeFact(body: IncidentFactBody, previous: IncidentFactBody | undefined): string {
  switch (body.kind) {
    case 'transaction':
      return `Transaction ${body.hash} on ${body.chain} recorded as ${body.role}${body.value === undefined ? '' : `: ${formatAsset(body.value)}`}${body.from === undefined ? '' : ` from ${body.from}`}${body.to === undefined ? '' : ` to ${body.to}`}`;
    case 'address': {
      const was = previous?.kind === 'address' && previous.state !== body.state ? ` (was ${label(previous.state)})` : '';
      return `Address ${body.address}${body.label === undefined ? '' : ` (${body.label})`} on ${body.chain} marked ${label(body.state)}${was}${usd(body.valueUsdCents)}`;
    }
    case 'funds_movement': {
      const was = previous?.kind === 'funds_movement' && previous.recovery !== body.recovery ? ` (was ${label(previous.recovery)})` : '';
      return `Funds movement ${formatAsset(body.value)}${usd(body.valueUsdCents)} from ${body.origin} to ${body.destinationType} ${body.destination} in ${body.txHash}; recovery ${label(body.recovery)}${was}`;
    }
    case 'attacker':
      return `Attacker ${body.name}: ${body.addresses.length} address${body.addresses.length === 1 ? '' : 'es'}${body.attribution === undefined ? '' : `, attributed to ${body.attribution}`}${body.indicators.length === 0 ? '' : `, ${body.indicators.length} indicator${body.indicators.length === 1 ? '' : 's'}`}`;
    case 'impact':
      return `Impact fact ${body.key} = ${body.value}${previous?.kind === 'impact' ? ` (was ${previous.value})` : ''}`;
  }
}

/**
 * Records what responders establish about an incident: transactions, addresses and their state,
 * funds movements and their recovery, attackers, confirmed impact figures. Recording the same
 * thing again (same transaction, same address) updates it. Every change is on the timeline and
 * the audit chain, and the impact score is recomputed in the same unit.
 */
export class IncidentFacts {
  readonly #options: IncidentFactsOptions;

  constructor(options: IncidentFactsOptions) {
    this.#options = options;
  }

  async record(tx: StoreTx, request: { ref: string; fact: unknown; actor: Actor }): Promise<IncidentFact> {
    const parsed = factSchema.safeParse(request.fact);
    if (!parsed.success) throw validationFailed('the fact', parsed.error.issues);
    const body = toFactBody(parsed.data);
    if (body.kind === 'impact') this.#checkImpact(body.key, body.value);
    const incident = await findIncident(tx, request.ref);
    const now = this.#options.clock.now();
    const key = factKey(body);
    const previous = (await tx.listIncidentFacts(incident.id)).find((f) => f.body.kind === body.kind && f.key === key);
    const stored = await tx.putIncidentFact({ id: this.#options.ids.id(), incidentId: incident.id, key, body, actor: actorRef(request.actor), createdAt: now, updatedAt: now });
    const message = describeFact(body, previous?.body);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: previous === undefined ? 'incident.fact_recorded' : 'incident.fact_updated',
      subject: `incident:${incident.id}`,
      data: { factId: stored.id, kind: body.kind, key, message },
      timeline: { incidentId: incident.id, kind: 'incident.fact_recorded', message: `${shortId(incident)}: ${message}` },
    });
    const after = { ...incident, updatedAt: now };
    await tx.updateIncident(after, incident);
    await this.#options.tell(tx, { cause: 'facts_changed', before: incident, after, actor: request.actor });
    return stored;
  }

  #checkImpact(key: string, value: string): void {
    const keys = impactFactKeys(this.#options.flags);
    if (!keys.includes(key)) {
      throw new VigilError('VALIDATION_FAILED', `the fact: ${key} is not an impact key; use one of ${keys.join(', ')}`, {
        details: [{ path: 'key', message: `must be one of ${keys.join(', ')}` }],
      });
    }
    // Read exactly as the scorer will read it, so a value it cannot use is refused now.
    // The ticket rate is a pair; each half is recorded on its own, so it is checked beside a valid other half.
    const pair: Record<string, string> =
      key === impactKeys.ticketsPerHour ? { [impactKeys.ticketsBaselinePerHour]: '1' } : key === impactKeys.ticketsBaselinePerHour ? { [impactKeys.ticketsPerHour]: '1' } : {};
    const { problems } = impactInputsFromAlerts([{ id: 'fact', labels: { ...pair, [key]: value }, annotations: {} }], { flags: this.#options.flags });
    const problem = problems[0];
    if (problem !== undefined) throw new VigilError('VALIDATION_FAILED', `the fact: ${problem.reason}`, { details: [{ path: 'value', message: problem.reason }] });
  }
}
