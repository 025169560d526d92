import { VigilError, type ErrorDetail } from '../core/errors.js';
import { isMoreSevere, type Severity } from '../core/incident.js';
import { regulatoryExposures, type CountBand, type ImpactMatrix, type MoneyBand, type RegulatoryExposure, type ServiceTier } from './impact-matrix.js';
import { formatCount, formatUsdCents } from './usd-amount.js';

/**
 * Impact scoring: turns what is known about an incident (inputs, each with where it came from) into
 * a total, a severity, and a breakdown a responder can read. Pure: no clock, no store, no I/O.
 */

/** A value and where it came from: `alert 01H… label funds_at_risk_usd`, `incident fact: funds movement 0x…`. */
export interface Sourced<T> {
  readonly value: T;
  readonly source: string;
}

/** Support tickets per hour now, against the usual rate; the score uses the ratio of the two. */
export interface TicketRate {
  readonly perHour: number;
  readonly baselinePerHour: number;
}

/** What is known about an incident's impact. A missing dimension scores nothing and shows as unknown. */
export interface ImpactInputs {
  readonly tier?: Sourced<ServiceTier>;
  readonly usersAffected?: Sourced<number>;
  readonly fundsAtRiskCents?: Sourced<bigint>;
  readonly revenueAtRiskPerHourCents?: Sourced<bigint>;
  readonly regulatory?: Sourced<RegulatoryExposure>;
  readonly ticketRate?: Sourced<TicketRate>;
  /** Keyed by the matrix's flag names (`key_compromise`); a flag the matrix does not know scores nothing. */
  readonly flags?: Readonly<Record<string, Sourced<boolean>>>;
}

export type CoreDimension = 'tier' | 'usersAffected' | 'fundsAtRisk' | 'revenueAtRiskPerHour' | 'regulatory' | 'ticketRate';
/** A core dimension, or `flag:<name>` for a flag. */
export type ImpactDimension = CoreDimension | `flag:${string}`;

/** One line of a score's breakdown: what one dimension contributed, and why. */
export interface ImpactContribution {
  readonly dimension: ImpactDimension;
  /** For people: `funds at risk`. */
  readonly label: string;
  /** The input as text (`$2,300,000`), or null when nothing is known. */
  readonly input: string | null;
  /**
   * The input as an integer in decimal text, higher meaning more impact (cents, users, thousandths of
   * the ticket ratio, 3 - tier, exposure level, 1 for a set flag); null when unknown. JSON-safe, so a
   * stored score can be compared with a new one.
   */
  readonly measure: string | null;
  /** The band matched: `≥ $1,000,000`, `below $10,000`, `tier 0`, `set`, `no input`. */
  readonly band: string;
  readonly points: number;
  readonly weight: number;
  /** points × weight; the contributions add up to the total. */
  readonly contribution: number;
  readonly source: string | null;
}

/** A flag that held the severity up above what the total alone gives. */
export interface ForcedSeverity {
  readonly dimension: ImpactDimension;
  readonly label: string;
  readonly severity: Severity;
  readonly source: string | null;
}

export interface ImpactScore {
  readonly total: number;
  readonly severity: Severity;
  /** What the total alone maps to; differs from `severity` only when `forcedBy` is set. */
  readonly scoredSeverity: Severity;
  readonly breakdown: readonly ImpactContribution[];
  readonly forcedBy?: ForcedSeverity;
}

const labels: Readonly<Record<CoreDimension, string>> = {
  tier: 'service criticality',
  usersAffected: 'users affected',
  fundsAtRisk: 'funds at risk',
  revenueAtRiskPerHour: 'revenue at risk per hour',
  regulatory: 'regulatory exposure',
  ticketRate: 'support tickets',
};

function validate(inputs: ImpactInputs): void {
  const details: ErrorDetail[] = [];
  const problem = (path: string, message: string) => details.push({ path, message });
  const { tier, usersAffected, fundsAtRiskCents, revenueAtRiskPerHourCents, regulatory, ticketRate } = inputs;
  if (tier !== undefined && !(Number.isInteger(tier.value) && tier.value >= 0 && tier.value <= 3)) problem('tier', 'must be 0, 1, 2 or 3');
  if (usersAffected !== undefined && !(Number.isSafeInteger(usersAffected.value) && usersAffected.value >= 0)) {
    problem('usersAffected', 'must be a whole number of users, 0 or more');
  }
  if (fundsAtRiskCents !== undefined && fundsAtRiskCents.value < 0n) problem('fundsAtRiskCents', 'must not be negative');
  if (revenueAtRiskPerHourCents !== undefined && revenueAtRiskPerHourCents.value < 0n) problem('revenueAtRiskPerHourCents', 'must not be negative');
  if (regulatory !== undefined && !regulatoryExposures.includes(regulatory.value)) problem('regulatory', 'must be none, low or high');
  if (ticketRate !== undefined) {
    const { perHour, baselinePerHour } = ticketRate.value;
    if (!(Number.isFinite(perHour) && perHour >= 0)) problem('ticketRate.perHour', 'must be a finite rate, 0 or more');
    if (!(Number.isFinite(baselinePerHour) && baselinePerHour >= 0)) problem('ticketRate.baselinePerHour', 'must be a finite rate, 0 or more');
  }
  if (details.length > 0) {
    throw new VigilError('VALIDATION_FAILED', `impact inputs are invalid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, { details });
  }
}

interface Row {
  readonly input: string;
  readonly measure: string;
  readonly band: string;
  readonly points: number;
}

function matchBand<T extends bigint | number>(bands: readonly { atLeast: T; points: number }[], value: T) {
  return bands.find((band) => value >= band.atLeast);
}

function moneyRow(bands: readonly MoneyBand[], cents: bigint, suffix: string): Row {
  const band = matchBand(bands, cents);
  const lowest = bands.at(-1);
  return {
    input: `${formatUsdCents(cents)}${suffix}`,
    measure: cents.toString(),
    band: band !== undefined ? `≥ ${formatUsdCents(band.atLeast)}${suffix}` : lowest !== undefined ? `below ${formatUsdCents(lowest.atLeast)}${suffix}` : 'no bands',
    points: band?.points ?? 0,
  };
}

function countRow(bands: readonly CountBand[], options: { value: number; input: string; measure: string; unit: (n: number) => string }): Row {
  const band = matchBand(bands, options.value);
  const lowest = bands.at(-1);
  return {
    input: options.input,
    measure: options.measure,
    band: band !== undefined ? `≥ ${options.unit(band.atLeast)}` : lowest !== undefined ? `below ${options.unit(lowest.atLeast)}` : 'no bands',
    points: band?.points ?? 0,
  };
}

/** The ticket ratio; a zero baseline counts as one ticket an hour, so a first ticket is not infinite. */
function ticketRatio(rate: TicketRate): number {
  return rate.perHour / Math.max(rate.baselinePerHour, 1);
}

function formatRatio(ratio: number): string {
  return `${Number(ratio.toFixed(2)).toString()}×`;
}

function coreRow(dimension: CoreDimension, inputs: ImpactInputs, matrix: ImpactMatrix): (Row & { source: string }) | undefined {
  switch (dimension) {
    case 'tier': {
      const tier = inputs.tier;
      if (tier === undefined) return undefined;
      const points = [matrix.tier.points.tier0, matrix.tier.points.tier1, matrix.tier.points.tier2, matrix.tier.points.tier3][tier.value] ?? 0;
      return { input: `tier ${tier.value}`, measure: String(3 - tier.value), band: `tier ${tier.value}`, points, source: tier.source };
    }
    case 'usersAffected': {
      const users = inputs.usersAffected;
      if (users === undefined) return undefined;
      const row = countRow(matrix.usersAffected.bands, {
        value: users.value,
        input: `${formatCount(users.value)} users`,
        measure: String(users.value),
        unit: (n) => `${formatCount(n)} users`,
      });
      return { ...row, source: users.source };
    }
    case 'fundsAtRisk': {
      const funds = inputs.fundsAtRiskCents;
      return funds === undefined ? undefined : { ...moneyRow(matrix.fundsAtRisk.bands, funds.value, ''), source: funds.source };
    }
    case 'revenueAtRiskPerHour': {
      const revenue = inputs.revenueAtRiskPerHourCents;
      return revenue === undefined ? undefined : { ...moneyRow(matrix.revenueAtRiskPerHour.bands, revenue.value, '/h'), source: revenue.source };
    }
    case 'regulatory': {
      const regulatory = inputs.regulatory;
      if (regulatory === undefined) return undefined;
      const level = regulatory.value;
      return { input: level, measure: String(regulatoryExposures.indexOf(level)), band: level, points: matrix.regulatory.points[level], source: regulatory.source };
    }
    case 'ticketRate': {
      const rate = inputs.ticketRate;
      if (rate === undefined) return undefined;
      const ratio = ticketRatio(rate.value);
      const row = countRow(matrix.ticketRate.bands, {
        value: ratio,
        input: `${formatCount(rate.value.perHour)}/h vs ${formatCount(rate.value.baselinePerHour)}/h baseline (${formatRatio(ratio)})`,
        measure: String(Math.round(ratio * 1000)),
        unit: (n) => `${formatRatio(n)} baseline`,
      });
      return { ...row, source: rate.source };
    }
  }
}

const coreDimensions: readonly CoreDimension[] = ['tier', 'usersAffected', 'fundsAtRisk', 'revenueAtRiskPerHour', 'regulatory', 'ticketRate'];

/** The severity a total maps to through the matrix's thresholds; below SEV4's threshold is SEV5. */
export function severityForTotal(total: number, matrix: ImpactMatrix): Severity {
  const { SEV1, SEV2, SEV3, SEV4 } = matrix.severity;
  if (total >= SEV1) return 'SEV1';
  if (total >= SEV2) return 'SEV2';
  if (total >= SEV3) return 'SEV3';
  if (total >= SEV4) return 'SEV4';
  return 'SEV5';
}

/**
 * Scores an incident's impact: each dimension's input falls in a band worth some points, times the
 * dimension's weight; the sum maps to a severity, which a set flag can raise to its floor. Throws
 * VALIDATION_FAILED for inputs no sender could mean (a negative amount, tier 7).
 */
export function scoreImpact(inputs: ImpactInputs, matrix: ImpactMatrix): ImpactScore {
  validate(inputs);
  const breakdown: ImpactContribution[] = [];
  for (const dimension of coreDimensions) {
    const weight = matrix[dimension].weight;
    const row = coreRow(dimension, inputs, matrix);
    breakdown.push(
      row === undefined
        ? { dimension, label: labels[dimension], input: null, measure: null, band: 'no input', points: 0, weight, contribution: 0, source: null }
        : { dimension, label: labels[dimension], ...row, weight, contribution: row.points * weight },
    );
  }

  let forcedBy: ForcedSeverity | undefined;
  const flags = inputs.flags ?? {};
  for (const [name, flag] of Object.entries(matrix.flags)) {
    const given = flags[name];
    const set = given?.value === true;
    const dimension: ImpactDimension = `flag:${name}`;
    const label = flag.label ?? name.replaceAll('_', ' ');
    const points = set ? flag.points : 0;
    breakdown.push({
      dimension,
      label,
      input: given === undefined ? null : set ? 'set' : 'not set',
      measure: given === undefined ? null : set ? '1' : '0',
      band: given === undefined ? 'no input' : set ? (flag.forceSeverity === undefined ? 'set' : `set (at least ${flag.forceSeverity})`) : 'not set',
      points,
      weight: flag.weight,
      contribution: points * flag.weight,
      source: given?.source ?? null,
    });
    if (set && flag.forceSeverity !== undefined && (forcedBy === undefined || isMoreSevere(flag.forceSeverity, forcedBy.severity))) {
      forcedBy = { dimension, label, severity: flag.forceSeverity, source: given.source };
    }
  }
  for (const [name, given] of Object.entries(flags)) {
    if (name in matrix.flags) continue;
    breakdown.push({
      dimension: `flag:${name}`,
      label: name.replaceAll('_', ' '),
      input: given.value ? 'set' : 'not set',
      measure: given.value ? '1' : '0',
      band: 'not in the matrix',
      points: 0,
      weight: 0,
      contribution: 0,
      source: given.source,
    });
  }

  const total = breakdown.reduce((sum, row) => sum + row.contribution, 0);
  const scoredSeverity = severityForTotal(total, matrix);
  if (forcedBy === undefined || !isMoreSevere(forcedBy.severity, scoredSeverity)) {
    return { total, severity: scoredSeverity, scoredSeverity, breakdown };
  }
  return { total, severity: forcedBy.severity, scoredSeverity, breakdown, forcedBy };
}

/**
 * A few lines for the timeline: the severity and total, then each dimension that counted (largest
 * first) with its input, band, arithmetic and source, then what is still unknown.
 */
export function explainScore(score: ImpactScore): string[] {
  const forced = score.forcedBy;
  const head =
    forced === undefined
      ? `${score.severity} (impact score ${score.total})`
      : `${score.severity} (impact score ${score.total} alone gives ${score.scoredSeverity}; ${forced.label} holds it at ${forced.severity}${forced.source === null ? '' : `, from ${forced.source}`})`;
  const counted = score.breakdown
    .filter((row) => row.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .map((row) => {
      // A flag's band says it all (`set (at least SEV1)`); a band equal to its input is said once.
      const what = row.input === 'set' ? ` ${row.band}` : row.band === row.input ? ` ${row.input ?? ''}` : ` ${row.input ?? ''} (${row.band})`;
      return `${row.label}${what}: ${row.points} × ${row.weight} = ${row.contribution}${row.source === null ? '' : ` — ${row.source}`}`;
    });
  const unknown = score.breakdown.filter((row) => row.input === null && !row.dimension.startsWith('flag:')).map((row) => row.label);
  return [head, ...counted, ...(unknown.length > 0 ? [`not known yet: ${unknown.join(', ')}`] : [])];
}

/** How one dimension moved between two scores. */
export interface DimensionMove {
  readonly dimension: ImpactDimension;
  readonly label: string;
  readonly direction: 'rose' | 'fell' | 'appeared' | 'disappeared' | 'reweighed';
  readonly from: string | null;
  readonly to: string | null;
  readonly contributionFrom: number;
  readonly contributionTo: number;
  /** Where the new value came from. */
  readonly source: string | null;
}

/** A change worth a timeline entry: `SEV3 → SEV2: funds at risk rose from $40,000 to $2,300,000`. */
export interface ImpactChange {
  readonly from: Severity;
  readonly to: Severity;
  readonly totalFrom: number;
  readonly totalTo: number;
  readonly moved: readonly DimensionMove[];
  readonly summary: string;
}

function directionOf(before: ImpactContribution | undefined, after: ImpactContribution | undefined): DimensionMove['direction'] | undefined {
  const from = before?.measure ?? null;
  const to = after?.measure ?? null;
  if (from === null && to === null) return undefined;
  if (from === null) return 'appeared';
  if (to === null) return 'disappeared';
  const a = BigInt(from);
  const b = BigInt(to);
  if (b > a) return 'rose';
  if (b < a) return 'fell';
  return (before?.contribution ?? 0) === (after?.contribution ?? 0) ? undefined : 'reweighed';
}

function describeMove(move: DimensionMove): string {
  const isFlag = move.dimension.startsWith('flag:');
  switch (move.direction) {
    case 'rose':
      return isFlag ? `${move.label} is now set` : `${move.label} rose from ${move.from ?? '?'} to ${move.to ?? '?'}`;
    case 'fell':
      return isFlag ? `${move.label} was cleared` : `${move.label} fell from ${move.from ?? '?'} to ${move.to ?? '?'}`;
    case 'appeared':
      return isFlag ? `${move.label} is ${move.to ?? '?'}` : `${move.label} is now known: ${move.to ?? '?'}`;
    case 'disappeared':
      return `${move.label} is no longer known (was ${move.from ?? '?'})`;
    case 'reweighed':
      return `${move.label} now counts ${move.contributionTo} (was ${move.contributionFrom})`;
  }
}

/**
 * Scores again and says what changed since `previous`, or null when neither the severity, the
 * total nor any input moved (a new source for the same value is not a change).
 */
export function rescore(previous: ImpactScore, inputs: ImpactInputs, matrix: ImpactMatrix): { score: ImpactScore; change: ImpactChange | null } {
  const score = scoreImpact(inputs, matrix);
  const before = new Map(previous.breakdown.map((row) => [row.dimension, row]));
  const after = new Map(score.breakdown.map((row) => [row.dimension, row]));
  const dimensions = [...new Set([...after.keys(), ...before.keys()])];
  const moved: DimensionMove[] = [];
  for (const dimension of dimensions) {
    const a = before.get(dimension);
    const b = after.get(dimension);
    const direction = directionOf(a, b);
    if (direction === undefined) continue;
    moved.push({
      dimension,
      label: b?.label ?? a?.label ?? dimension,
      direction,
      from: a?.input ?? null,
      to: b?.input ?? null,
      contributionFrom: a?.contribution ?? 0,
      contributionTo: b?.contribution ?? 0,
      source: b?.source ?? null,
    });
  }
  if (moved.length === 0 && previous.severity === score.severity && previous.total === score.total) return { score, change: null };
  // The moves that changed the total first: they are the reason a responder is looking for.
  moved.sort((x, y) => Math.abs(y.contributionTo - y.contributionFrom) - Math.abs(x.contributionTo - x.contributionFrom));
  const head = previous.severity === score.severity ? `${score.severity} unchanged (score ${previous.total} → ${score.total})` : `${previous.severity} → ${score.severity}`;
  const reasons = moved.length === 0 ? 'the matrix changed' : moved.map(describeMove).join('; ');
  return {
    score,
    change: { from: previous.severity, to: score.severity, totalFrom: previous.total, totalTo: score.total, moved, summary: `${head}: ${reasons}` },
  };
}

