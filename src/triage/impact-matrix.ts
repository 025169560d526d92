import { z } from 'zod';
import { severities, type Severity } from '../core/incident.js';
import { parseUsdCents } from './usd-amount.js';

/**
 * The impact scoring matrix: which dimensions count, how each input maps to points through bands,
 * how much each dimension weighs, and which totals make SEV1..SEV4 (below SEV4 is SEV5). It is data,
 * loaded from a config file through `impactMatrixSchema`; every field has a default, so `{}` is the
 * default matrix for a crypto exchange (documented in this folder's README).
 *
 * Points and weights are whole numbers so that a total is exact and the same on every machine; to
 * weigh one dimension at half, double the others' weights.
 */

const points = z.int().min(0).max(1_000);
const weight = z.int().min(0).max(100);

/** Dollars as a decimal string (`"1000000"`, `"1,000,000.00"`) or a whole number, read into cents. */
const usd = z.union([z.string(), z.int().min(0)]).transform((value, ctx) => {
  const parsed = parseUsdCents(String(value));
  if (parsed.ok) return parsed.cents;
  ctx.issues.push({ code: 'custom', message: parsed.reason, input: value });
  return z.NEVER;
});

interface Thresholded<T> {
  readonly atLeast: T;
  readonly points: number;
}

/**
 * Bands come back sorted from the highest threshold down, and must give at least as many points
 * for a higher threshold: that is what makes "more impact never lowers the severity" hold.
 */
function bandList<S extends z.ZodType<Thresholded<bigint | number>>>(band: S) {
  return z
    .array(band)
    .max(20)
    .transform((bands) => [...bands].sort((a, b) => (a.atLeast > b.atLeast ? -1 : a.atLeast < b.atLeast ? 1 : 0)))
    .superRefine((bands, ctx) => {
      bands.forEach((band, i) => {
        const lower = bands[i + 1];
        if (lower === undefined) return;
        if (lower.atLeast === band.atLeast) {
          ctx.issues.push({ code: 'custom', message: `two bands share the threshold ${String(band.atLeast)}`, input: bands, path: [i] });
        } else if (lower.points > band.points) {
          ctx.issues.push({
            code: 'custom',
            message: `the band at ${String(lower.atLeast)} gives more points than the higher band at ${String(band.atLeast)}`,
            input: bands,
            path: [i + 1],
          });
        }
      });
    });
}

const moneyBand = z.strictObject({ atLeastUsd: usd, points }).transform(({ atLeastUsd, points }) => ({ atLeast: atLeastUsd, points }));
const countBand = z.strictObject({ atLeast: z.number().min(0).max(Number.MAX_SAFE_INTEGER), points });

const severityName = z.enum(severities as [Severity, ...Severity[]]);

/** Service criticality: tier 0 is the most critical (custody, matching engine), tier 3 the least. */
export type ServiceTier = 0 | 1 | 2 | 3;
export type RegulatoryExposure = 'none' | 'low' | 'high';
export const regulatoryExposures: readonly RegulatoryExposure[] = ['none', 'low', 'high'];

function nonIncreasing(values: readonly number[]): boolean {
  return values.every((value, i) => i === 0 || value <= (values[i - 1] ?? value));
}

const tierSchema = z
  .strictObject({
    weight: weight.default(1),
    points: z
      .strictObject({ tier0: points.default(20), tier1: points.default(15), tier2: points.default(5), tier3: points.default(0) })
      .prefault({})
      .refine((p) => nonIncreasing([p.tier0, p.tier1, p.tier2, p.tier3]), 'a more critical tier (lower number) must give at least as many points'),
  })
  .prefault({});

const regulatorySchema = z
  .strictObject({
    weight: weight.default(1),
    points: z
      .strictObject({ none: points.default(0), low: points.default(10), high: points.default(20) })
      .prefault({})
      .refine((p) => nonIncreasing([p.high, p.low, p.none]), 'high exposure must give at least as many points as low, and low as none'),
  })
  .prefault({});

const flagSchema = z.strictObject({
  label: z.string().min(1).max(80).optional(),
  weight: weight.default(1),
  points,
  /** The least severe the incident may be while this flag is set. */
  forceSeverity: severityName.optional(),
});

export const defaultFlags = {
  key_compromise: { label: 'key compromise', points: 50, forceSeverity: 'SEV1' },
  custody_breach: { label: 'custody breach', points: 50, forceSeverity: 'SEV1' },
  chain_halt: { label: 'chain halt', points: 30, forceSeverity: 'SEV2' },
  regulatory_reportable: { label: 'reportable to a regulator', points: 20, forceSeverity: 'SEV2' },
} as const;

const severityThresholds = z
  .strictObject({ SEV1: z.int().min(0).default(100), SEV2: z.int().min(0).default(60), SEV3: z.int().min(0).default(30), SEV4: z.int().min(0).default(10) })
  .prefault({})
  .refine((t) => t.SEV1 > t.SEV2 && t.SEV2 > t.SEV3 && t.SEV3 > t.SEV4, 'thresholds must fall strictly from SEV1 to SEV4');

/**
 * Reads a matrix from config. Every key is optional and falls back to the default crypto-exchange
 * matrix; a list of bands or the set of flags, when given, replaces the default one whole.
 */
export const impactMatrixSchema = z
  .strictObject({
    tier: tierSchema,
    usersAffected: z
      .strictObject({
        weight: weight.default(1),
        bands: bandList(countBand).prefault([
          { atLeast: 100_000, points: 30 },
          { atLeast: 10_000, points: 20 },
          { atLeast: 1_000, points: 10 },
          { atLeast: 100, points: 5 },
        ]),
      })
      .prefault({}),
    fundsAtRisk: z
      .strictObject({
        weight: weight.default(2),
        bands: bandList(moneyBand).prefault([
          { atLeastUsd: '10000000', points: 40 },
          { atLeastUsd: '1000000', points: 30 },
          { atLeastUsd: '100000', points: 20 },
          { atLeastUsd: '10000', points: 10 },
        ]),
      })
      .prefault({}),
    revenueAtRiskPerHour: z
      .strictObject({
        weight: weight.default(1),
        bands: bandList(moneyBand).prefault([
          { atLeastUsd: '1000000', points: 30 },
          { atLeastUsd: '100000', points: 20 },
          { atLeastUsd: '10000', points: 10 },
          { atLeastUsd: '1000', points: 5 },
        ]),
      })
      .prefault({}),
    regulatory: regulatorySchema,
    ticketRate: z
      .strictObject({
        weight: weight.default(1),
        /** Thresholds are multiples of the baseline rate: 3 means three times the usual tickets per hour. */
        bands: bandList(countBand).prefault([
          { atLeast: 10, points: 20 },
          { atLeast: 5, points: 15 },
          { atLeast: 3, points: 10 },
          { atLeast: 1.5, points: 5 },
        ]),
      })
      .prefault({}),
    flags: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'flag names are snake_case'), flagSchema).prefault(defaultFlags),
    severity: severityThresholds,
  })
  .prefault({});

/** The matrix as configured (what a config file holds). */
export type ImpactMatrixConfig = z.input<typeof impactMatrixSchema>;
/** The matrix ready for scoring: money thresholds in cents, bands sorted from the highest down. */
export type ImpactMatrix = z.output<typeof impactMatrixSchema>;
export type MoneyBand = Thresholded<bigint>;
export type CountBand = Thresholded<number>;

/** The default matrix for a crypto exchange; see README.md for the reasoning behind its numbers. */
export const defaultImpactMatrix: ImpactMatrix = impactMatrixSchema.parse(undefined);
