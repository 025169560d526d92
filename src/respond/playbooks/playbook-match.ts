import type { Alert } from '../../core/alert.js';
import { isMoreSevere, type Incident } from '../../core/incident.js';
import type { LabelCondition, Playbook, PlaybookMatcher } from './playbook.js';

/**
 * The labels that name what kind of thing an alert reports, in the order they are looked at:
 * Prometheus' `alertname`, a sender's `type`, Vigil's own detectors' `typology`, and Forta's
 * `alertId`. An alert's incident type is the first of them it carries; an incident's types are
 * those of all its alerts.
 */
export const incidentTypeLabels: readonly string[] = ['alertname', 'type', 'typology', 'alertId'];

/** The incident types of these alerts, lower-cased, without repeats. */
export function incidentTypes(alerts: readonly Pick<Alert, 'labels'>[]): string[] {
  const types = new Set<string>();
  for (const alert of alerts) {
    const type = incidentTypeOf(alert);
    if (type !== undefined) types.add(type);
  }
  return [...types];
}

/** One alert's incident type, lower-cased (undefined when it carries none of the labels). */
export function incidentTypeOf(alert: Pick<Alert, 'labels'>): string | undefined {
  for (const label of incidentTypeLabels) {
    const value = alert.labels[label]?.trim();
    if (value !== undefined && value !== '') return value.toLowerCase();
  }
  return undefined;
}

/**
 * Label conditions' regular expressions, compiled once: every alert that joins an incident is
 * tested against them, and compiling one cost more than testing it. Playbooks hold a handful;
 * the bound only guards against a stream of playbooks rewritten through the API.
 */
const compiledRegexes = new Map<string, RegExp>();

function regex(source: string): RegExp {
  let re = compiledRegexes.get(source);
  if (re === undefined) {
    if (compiledRegexes.size >= 1_000) compiledRegexes.clear();
    // No flags: test() keeps no state between calls.
    re = new RegExp(source);
    compiledRegexes.set(source, re);
  }
  return re;
}

/** Whether a label's value meets a matcher's condition on it. */
function meets(condition: LabelCondition, value: string): boolean {
  return 'equals' in condition ? value === condition.equals : regex(condition.regex).test(value);
}

/** Why a playbook matched, for the timeline: `type=hot_wallet_drain, service=wallets`. */
export type MatchReason = string;

/**
 * Whether `playbook` matches the incident with these alerts, and why. Undefined when it does
 * not (or has no matchers: attach-by-hand only).
 */
export function matchPlaybook(playbook: Playbook, incident: Pick<Incident, 'service' | 'severity'>, alerts: readonly Pick<Alert, 'labels'>[]): MatchReason | undefined {
  const types = incidentTypes(alerts);
  for (const matcher of playbook.match) {
    const reason = matchOne(matcher, { incident, alerts, types });
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function matchOne(
  matcher: PlaybookMatcher,
  facts: { incident: Pick<Incident, 'service' | 'severity'>; alerts: readonly Pick<Alert, 'labels'>[]; types: readonly string[] },
): MatchReason | undefined {
  const reasons: string[] = [];
  if (matcher.types !== undefined) {
    const type = matcher.types.map((t) => t.toLowerCase()).find((t) => facts.types.includes(t));
    if (type === undefined) return undefined;
    reasons.push(`type=${type}`);
  }
  if (matcher.services !== undefined) {
    if (!matcher.services.includes(facts.incident.service)) return undefined;
    reasons.push(`service=${facts.incident.service}`);
  }
  if (matcher.severityAtLeast !== undefined) {
    const s = facts.incident.severity;
    if (s !== matcher.severityAtLeast && !isMoreSevere(s, matcher.severityAtLeast)) return undefined;
    reasons.push(`severity=${s}`);
  }
  for (const [name, condition] of Object.entries(matcher.labels ?? {})) {
    const value = facts.alerts.map((a) => a.labels[name]).find((v): v is string => v !== undefined && meets(condition, v));
    if (value === undefined) return undefined;
    reasons.push(`${name}=${value}`);
  }
  return reasons.join(', ');
}

/**
 * Whether `alert` satisfies at least one type or label criterion of one of the playbook's
 * matchers. When an alert joins and nothing else changed, only such a playbook can start to
 * match, so the incident's other alerts need to be read only for those: an incident that
 * gathers thousands of alerts does not reread them all on every join.
 */
export function alertCouldMatch(playbook: Playbook, alert: Pick<Alert, 'labels'>): boolean {
  // Asked of every playbook for every alert that joins an incident: plain loops, nothing allocated.
  const type = incidentTypeOf(alert);
  for (const m of playbook.match) {
    if (type !== undefined && m.types !== undefined) for (const t of m.types) if (t.toLowerCase() === type) return true;
    const labels = m.labels;
    if (labels === undefined) continue;
    for (const name in labels) {
      const value = alert.labels[name];
      if (value !== undefined && meets(labels[name]!, value)) return true;
    }
  }
  return false;
}
