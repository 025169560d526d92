import type { Escalation, StoredEscalationPolicy } from '../core/escalation.js';
import type { AssetAmount, IncidentFact, IncidentFactBody } from '../core/incident-facts.js';
import { formatUnits } from '../detect/typologies/amounts.js';
import { policyDefinition } from '../respond/escalation/escalation-schema.js';
import { explainScore, type ImpactScore } from '../triage/impact-score.js';
import { formatUsdCents } from '../triage/usd-amount.js';
import { iso } from './present.js';

/** How the API shows impact scores, incident facts and escalation. Amounts are strings: JSON numbers cannot hold them. */

export function presentImpact(stored: { score: ImpactScore; updatedAt: number }) {
  return { ...stored.score, explanation: explainScore(stored.score), updatedAt: iso(stored.updatedAt) };
}

function presentAmount(value: AssetAmount) {
  return { amount: value.amount.toString(), asset: value.asset, decimals: value.decimals, display: `${formatUnits(value.amount, value.decimals)} ${value.asset}` };
}

function presentFactBody(body: IncidentFactBody) {
  const { valueUsdCents, ...rest } = body as IncidentFactBody & { valueUsdCents?: bigint };
  const withAmounts = {
    ...rest,
    ...('value' in rest && rest.value !== undefined && typeof rest.value === 'object' ? { value: presentAmount(rest.value) } : {}),
    ...('balance' in rest && rest.balance !== undefined ? { balance: presentAmount(rest.balance) } : {}),
  };
  return valueUsdCents === undefined ? withAmounts : { ...withAmounts, valueUsd: formatUsdCents(valueUsdCents) };
}

export function presentFact(fact: IncidentFact) {
  return { id: fact.id, key: fact.key, ...presentFactBody(fact.body), actor: fact.actor, createdAt: iso(fact.createdAt), updatedAt: iso(fact.updatedAt) };
}

export function presentEscalationPolicy(stored: StoredEscalationPolicy) {
  return { id: stored.id, ...policyDefinition(stored.policy), createdAt: iso(stored.createdAt), updatedAt: iso(stored.updatedAt) };
}

export function presentEscalation(e: Escalation) {
  return {
    policy: e.policyName,
    policyId: e.policyId,
    status: e.status,
    level: e.level + 1,
    round: e.round + 1,
    nextAt: iso(e.nextAt),
    startedAt: iso(e.startedAt),
    updatedAt: iso(e.updatedAt),
    reason: e.reason,
  };
}
