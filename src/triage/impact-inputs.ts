import type { Alert } from '../core/alert.js';
import { defaultFlags, regulatoryExposures, type RegulatoryExposure, type ServiceTier } from './impact-matrix.js';
import type { ImpactInputs, Sourced, TicketRate } from './impact-score.js';
import { parseUsdCents } from './usd-amount.js';

/**
 * Gathers impact inputs from alerts' labels and annotations, and merges them with the facts a
 * responder or the crypto-facts module states about the incident.
 */

/** The alert fields the gathering reads. */
export type ImpactAlert = Pick<Alert, 'id' | 'labels' | 'annotations'>;

/** A label or annotation that named an impact dimension but could not be read; it was ignored. */
export interface ImpactInputProblem {
  readonly alertId: string;
  readonly key: string;
  readonly value: string;
  readonly reason: string;
}

/** The label and annotation keys read, one per dimension. */
export const impactKeys = {
  tier: 'tier',
  usersAffected: 'users_affected',
  fundsAtRisk: 'funds_at_risk_usd',
  revenueAtRiskPerHour: 'revenue_at_risk_usd_per_hour',
  regulatory: 'regulatory_exposure',
  ticketsPerHour: 'support_tickets_per_hour',
  ticketsBaselinePerHour: 'support_tickets_baseline_per_hour',
} as const;

export interface ImpactInputsFromAlertsOptions {
  /** Flag names read as labels (`key_compromise="true"`); the default matrix's flags by default. */
  readonly flags?: readonly string[];
  /** How a value's source is named; `alert <id> label <key>` by default. */
  readonly sourceOf?: (alertId: string, key: string, where: 'label' | 'annotation') => string;
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

function parseTier(text: string): Parsed<ServiceTier> {
  const match = /^(?:tier[-_ ]?)?([0-3])$/i.exec(text.trim());
  return match === null ? { ok: false, reason: `"${text}" is not a tier 0..3` } : { ok: true, value: Number(match[1]) as ServiceTier };
}

function parseCount(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!/^(\d{1,3}(,\d{3})+|\d+)$/.test(trimmed)) return { ok: false, reason: `"${text}" is not a whole number` };
  const value = Number(trimmed.replaceAll(',', ''));
  return Number.isSafeInteger(value) ? { ok: true, value } : { ok: false, reason: `"${text}" is too large` };
}

function parseRate(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return { ok: false, reason: `"${text}" is not a rate such as 12 or 12.5` };
  return { ok: true, value: Number(trimmed) };
}

function parseUsd(text: string): Parsed<bigint> {
  const parsed = parseUsdCents(text);
  return parsed.ok ? { ok: true, value: parsed.cents } : parsed;
}

function parseRegulatory(text: string): Parsed<RegulatoryExposure> {
  const value = text.trim().toLowerCase();
  const level = regulatoryExposures.find((l) => l === value);
  return level === undefined ? { ok: false, reason: `"${text}" is not one of ${regulatoryExposures.join(', ')}` } : { ok: true, value: level };
}

function parseFlag(text: string): Parsed<boolean> {
  const value = text.trim().toLowerCase();
  if (['true', 'yes', '1'].includes(value)) return { ok: true, value: true };
  if (['false', 'no', '0'].includes(value)) return { ok: true, value: false };
  return { ok: false, reason: `"${text}" is not true or false` };
}

/** Each place an alert states `key`, labels first, then annotations. */
type SourceOf = NonNullable<ImpactInputsFromAlertsOptions['sourceOf']>;
const alertSource: SourceOf = (alertId, key, where) => `alert ${alertId} ${where} ${key}`;

function* statements(alert: ImpactAlert, key: string, sourceOf: SourceOf): Generator<{ value: string; source: string }> {
  const label = alert.labels[key];
  if (label !== undefined) yield { value: label, source: sourceOf(alert.id, key, 'label') };
  const annotation = alert.annotations[key];
  if (annotation !== undefined) yield { value: annotation, source: sourceOf(alert.id, key, 'annotation') };
}

/**
 * Reads impact inputs from alerts and keeps, per dimension, the most severe value any alert
 * states (the highest amount, the most critical tier, a flag set by any alert). On a tie the
 * first alert's source is kept. Amounts are decimal dollars read into exact cents; a value that
 * cannot be read is left out and reported in `problems`, never guessed.
 */
export function impactInputsFromAlerts(
  alerts: readonly ImpactAlert[],
  options: ImpactInputsFromAlertsOptions = {},
): { inputs: ImpactInputs; problems: ImpactInputProblem[] } {
  const problems: ImpactInputProblem[] = [];
  const sourceOf = options.sourceOf ?? alertSource;

  function highest<T>(key: string, parse: (text: string) => Parsed<T>, above: (a: T, b: T) => boolean): Sourced<T> | undefined {
    let best: Sourced<T> | undefined;
    for (const alert of alerts) {
      for (const { value, source } of statements(alert, key, sourceOf)) {
        const parsed = parse(value);
        if (!parsed.ok) {
          problems.push({ alertId: alert.id, key, value, reason: parsed.reason });
        } else if (best === undefined || above(parsed.value, best.value)) {
          best = { value: parsed.value, source };
        }
      }
    }
    return best;
  }

  const tier = highest(impactKeys.tier, parseTier, (a, b) => a < b);
  const usersAffected = highest(impactKeys.usersAffected, parseCount, (a, b) => a > b);
  const fundsAtRiskCents = highest(impactKeys.fundsAtRisk, parseUsd, (a, b) => a > b);
  const revenueAtRiskPerHourCents = highest(impactKeys.revenueAtRiskPerHour, parseUsd, (a, b) => a > b);
  const regulatory = highest(impactKeys.regulatory, parseRegulatory, (a, b) => regulatoryExposures.indexOf(a) > regulatoryExposures.indexOf(b));
  const ticketRate = highestTicketRate(alerts, problems, sourceOf);

  const flags: Record<string, Sourced<boolean>> = {};
  for (const name of options.flags ?? Object.keys(defaultFlags)) {
    const flag = highest(name, parseFlag, (a, b) => a && !b);
    if (flag !== undefined) flags[name] = flag;
  }

  const inputs: ImpactInputs = {
    ...(tier === undefined ? {} : { tier }),
    ...(usersAffected === undefined ? {} : { usersAffected }),
    ...(fundsAtRiskCents === undefined ? {} : { fundsAtRiskCents }),
    ...(revenueAtRiskPerHourCents === undefined ? {} : { revenueAtRiskPerHourCents }),
    ...(regulatory === undefined ? {} : { regulatory }),
    ...(ticketRate === undefined ? {} : { ticketRate }),
    ...(Object.keys(flags).length === 0 ? {} : { flags }),
  };
  return { inputs, problems };
}

/** The ticket rate is a pair; an alert counts only when it states both, and the highest ratio wins. */
function highestTicketRate(alerts: readonly ImpactAlert[], problems: ImpactInputProblem[], sourceOf: SourceOf): Sourced<TicketRate> | undefined {
  let best: { rate: Sourced<TicketRate>; ratio: number } | undefined;
  for (const alert of alerts) {
    const [now] = statements(alert, impactKeys.ticketsPerHour, sourceOf);
    const [baseline] = statements(alert, impactKeys.ticketsBaselinePerHour, sourceOf);
    if (now === undefined && baseline === undefined) continue;
    if (now === undefined || baseline === undefined) {
      const [key, missing] = now === undefined ? [impactKeys.ticketsBaselinePerHour, impactKeys.ticketsPerHour] : [impactKeys.ticketsPerHour, impactKeys.ticketsBaselinePerHour];
      problems.push({ alertId: alert.id, key, value: (now ?? baseline)?.value ?? '', reason: `${missing} is missing; the ticket rate needs both` });
      continue;
    }
    const perHour = parseRate(now.value);
    const baselinePerHour = parseRate(baseline.value);
    if (!perHour.ok) problems.push({ alertId: alert.id, key: impactKeys.ticketsPerHour, value: now.value, reason: perHour.reason });
    if (!baselinePerHour.ok) problems.push({ alertId: alert.id, key: impactKeys.ticketsBaselinePerHour, value: baseline.value, reason: baselinePerHour.reason });
    if (!perHour.ok || !baselinePerHour.ok) continue;
    const ratio = perHour.value / Math.max(baselinePerHour.value, 1);
    if (best === undefined || ratio > best.ratio) {
      best = { rate: { value: { perHour: perHour.value, baselinePerHour: baselinePerHour.value }, source: `${now.source} / ${baseline.source}` }, ratio };
    }
  }
  return best?.rate;
}

/**
 * Merges inputs read from alerts with the incident's stated facts. A fact wins over alerts for its
 * dimension, even when smaller: facts are what a responder or the crypto-facts module established
 * (the confirmed drained amount), alert labels are a sender's estimate. Flags merge one by one.
 */
export function mergeImpactInputs(options: { readonly fromAlerts: ImpactInputs; readonly facts: ImpactInputs }): ImpactInputs {
  const { fromAlerts, facts } = options;
  const flags = { ...fromAlerts.flags, ...facts.flags };
  const merged: ImpactInputs = { ...fromAlerts, ...facts };
  return Object.keys(flags).length === 0 ? merged : { ...merged, flags };
}
