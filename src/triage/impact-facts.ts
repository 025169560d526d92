import type { IncidentFact } from '../core/incident-facts.js';
import type { ImpactInputProblem } from './impact-inputs.js';
import { impactInputsFromAlerts, impactKeys } from './impact-inputs.js';
import type { ImpactInputs } from './impact-score.js';
import { formatUsdCents } from './usd-amount.js';

/**
 * The impact inputs an incident's facts establish:
 *
 * - an `impact` fact states a figure outright (`users_affected = 12000`, `key_compromise = true`),
 *   read exactly as the same alert label would be;
 * - otherwise funds at risk is the value still held by addresses marked at risk plus the value of
 *   every funds movement not recovered (frozen, in progress and lost funds all count: until they
 *   are back, they are at risk). Only facts with a USD value count; an address marked impacted is
 *   left out because what left it is counted by its funds movements.
 */
export function impactInputsFromFacts(facts: readonly IncidentFact[], flags: readonly string[]): { inputs: ImpactInputs; problems: ImpactInputProblem[] } {
  const stated = facts.flatMap((f) => (f.body.kind === 'impact' ? [{ fact: f, key: f.body.key, value: f.body.value }] : []));
  const { inputs, problems } = impactInputsFromAlerts(
    stated.map(({ fact, key, value }) => ({ id: fact.id, labels: { [key]: value }, annotations: {} })),
    { flags, sourceOf: (_id, key) => `incident fact ${key}` },
  );
  if (inputs.fundsAtRiskCents !== undefined) return { inputs, problems };

  let atRisk = 0n;
  let addresses = 0;
  let moved = 0n;
  let movements = 0;
  for (const { body } of facts) {
    if (body.kind === 'address' && body.state === 'at_risk' && body.valueUsdCents !== undefined) {
      atRisk += body.valueUsdCents;
      addresses += 1;
    } else if (body.kind === 'funds_movement' && body.recovery !== 'recovered' && body.valueUsdCents !== undefined) {
      moved += body.valueUsdCents;
      movements += 1;
    }
  }
  if (addresses === 0 && movements === 0) return { inputs, problems };
  const parts = [
    ...(movements === 0 ? [] : [`${movements} funds movement${movements === 1 ? '' : 's'} not recovered (${formatUsdCents(moved)})`]),
    ...(addresses === 0 ? [] : [`${addresses} address${addresses === 1 ? '' : 'es'} at risk (${formatUsdCents(atRisk)})`]),
  ];
  return { inputs: { ...inputs, fundsAtRiskCents: { value: atRisk + moved, source: `incident facts: ${parts.join(', ')}` } }, problems };
}

/** The keys an `impact` fact may use: the alert label names of every dimension, and the flags. */
export function impactFactKeys(flags: readonly string[]): string[] {
  return [...Object.values(impactKeys), ...flags];
}
