import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMoreSevere, severities } from '../core/incident.js';
import { isVigilError } from '../core/errors.js';
import { defaultImpactMatrix, impactMatrixSchema, regulatoryExposures, type ImpactMatrix, type ServiceTier } from './impact-matrix.js';
import { explainScore, rescore, scoreImpact, severityForTotal, type ImpactInputs } from './impact-score.js';

const m = defaultImpactMatrix;
const usd = (dollars: bigint) => dollars * 100n;
const src = (value: string) => `test ${value}`;
const funds = (cents: bigint): ImpactInputs => ({ fundsAtRiskCents: { value: cents, source: src('funds') } });
const rowOf = (inputs: ImpactInputs, dimension: string, matrix: ImpactMatrix = m) => scoreImpact(inputs, matrix).breakdown.find((r) => r.dimension === dimension);

describe('scoreImpact: bands', () => {
  it('funds exactly at a threshold fall in that band, one cent below falls in the band under it', () => {
    expect(rowOf(funds(usd(10_000_000n)), 'fundsAtRisk')).toMatchObject({ band: '≥ $10,000,000', points: 40, weight: 2, contribution: 80 });
    expect(rowOf(funds(usd(10_000_000n) - 1n), 'fundsAtRisk')).toMatchObject({ band: '≥ $1,000,000', points: 30, contribution: 60 });
    expect(rowOf(funds(usd(10_000n)), 'fundsAtRisk')).toMatchObject({ band: '≥ $10,000', points: 10 });
    expect(rowOf(funds(usd(10_000n) - 1n), 'fundsAtRisk')).toMatchObject({ band: 'below $10,000', points: 0, contribution: 0 });
  });

  it('users, revenue and ticket-rate bands match exactly at their thresholds', () => {
    expect(rowOf({ usersAffected: { value: 1_000, source: 's' } }, 'usersAffected')).toMatchObject({ band: '≥ 1,000 users', points: 10 });
    expect(rowOf({ usersAffected: { value: 999, source: 's' } }, 'usersAffected')).toMatchObject({ band: '≥ 100 users', points: 5 });
    expect(rowOf({ revenueAtRiskPerHourCents: { value: usd(100_000n), source: 's' } }, 'revenueAtRiskPerHour')).toMatchObject({ band: '≥ $100,000/h', points: 20 });
    expect(rowOf({ ticketRate: { value: { perHour: 30, baselinePerHour: 10 }, source: 's' } }, 'ticketRate')).toMatchObject({ band: '≥ 3× baseline', points: 10 });
    expect(rowOf({ ticketRate: { value: { perHour: 29, baselinePerHour: 10 }, source: 's' } }, 'ticketRate')).toMatchObject({ band: '≥ 1.5× baseline', points: 5 });
  });

  it('a total exactly at a severity threshold gets that severity', () => {
    expect(severityForTotal(100, m)).toBe('SEV1');
    expect(severityForTotal(99, m)).toBe('SEV2');
    expect(severityForTotal(60, m)).toBe('SEV2');
    expect(severityForTotal(30, m)).toBe('SEV3');
    expect(severityForTotal(10, m)).toBe('SEV4');
    expect(severityForTotal(9, m)).toBe('SEV5');
  });

  it('funds far beyond a float’s exact range are scored and shown to the cent', () => {
    const huge = 12_345_678_901_234_567_890_123n; // $123,456,789,012,345,678,901.23
    const row = rowOf(funds(huge), 'fundsAtRisk');
    expect(row).toMatchObject({ input: '$123,456,789,012,345,678,901.23', measure: huge.toString(), points: 40 });
    const matrix = impactMatrixSchema.parse({ fundsAtRisk: { bands: [{ atLeastUsd: '123456789012345678901.23', points: 7 }] } });
    expect(rowOf(funds(huge), 'fundsAtRisk', matrix)).toMatchObject({ points: 7 });
    expect(rowOf(funds(huge - 1n), 'fundsAtRisk', matrix)).toMatchObject({ points: 0 });
  });

  it('an unknown dimension scores nothing and says there was no input', () => {
    const score = scoreImpact({}, m);
    expect(score).toMatchObject({ total: 0, severity: 'SEV5' });
    expect(score.breakdown.every((r) => r.input === null && r.band === 'no input' && r.contribution === 0)).toBe(true);
  });

  it('refuses inputs no sender could mean, naming each one', () => {
    try {
      scoreImpact({ tier: { value: 7 as ServiceTier, source: 's' }, fundsAtRiskCents: { value: -1n, source: 's' } }, m);
      expect.unreachable();
    } catch (error) {
      expect(isVigilError(error, 'VALIDATION_FAILED')).toBe(true);
      expect((error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['tier', 'fundsAtRiskCents']);
    }
  });
});

describe('scoreImpact: flags', () => {
  it('a key compromise forces at least SEV1 even when nothing else is known, and says so', () => {
    const score = scoreImpact({ flags: { key_compromise: { value: true, source: 'incident fact: signer 3 reported' } } }, m);
    expect(score).toMatchObject({ total: 50, scoredSeverity: 'SEV3', severity: 'SEV1' });
    expect(score.forcedBy).toEqual({ dimension: 'flag:key_compromise', label: 'key compromise', severity: 'SEV1', source: 'incident fact: signer 3 reported' });
  });

  it('a chain halt forces SEV2, and the most severe of several forcing flags wins', () => {
    expect(scoreImpact({ flags: { chain_halt: { value: true, source: 's' } } }, m).severity).toBe('SEV2');
    const both = scoreImpact({ flags: { chain_halt: { value: true, source: 'a' }, custody_breach: { value: true, source: 'b' } } }, m);
    expect(both.forcedBy).toMatchObject({ label: 'custody breach', severity: 'SEV1' });
  });

  it('a flag does not report forcing when the total already reaches its severity', () => {
    const score = scoreImpact({ ...funds(usd(20_000_000n)), flags: { chain_halt: { value: true, source: 's' } } }, m);
    expect(score.severity).toBe('SEV1');
    expect(score.forcedBy).toBeUndefined();
  });

  it('a flag stated false scores nothing and forces nothing; a flag the matrix lacks is shown but scores nothing', () => {
    const score = scoreImpact({ flags: { key_compromise: { value: false, source: 's' }, moon_phase: { value: true, source: 'x' } } }, m);
    expect(score).toMatchObject({ total: 0, severity: 'SEV5' });
    expect(score.breakdown.find((r) => r.dimension === 'flag:moon_phase')).toMatchObject({ band: 'not in the matrix', contribution: 0, source: 'x' });
  });
});

describe('explainScore', () => {
  it('a hot-wallet drain reads as severity, the dimensions that counted with their sources, and what is unknown', () => {
    const score = scoreImpact(
      {
        tier: { value: 0, source: 'alert 01HW label tier' },
        fundsAtRiskCents: { value: usd(2_300_000n), source: 'incident fact: funds movement 0xabc' },
        flags: { key_compromise: { value: true, source: 'incident fact: attacker signed with hot key' } },
      },
      m,
    );
    expect(score).toMatchObject({ total: 130, severity: 'SEV1' });
    expect(explainScore(score)).toEqual([
      'SEV1 (impact score 130)',
      'funds at risk $2,300,000 (≥ $1,000,000): 30 × 2 = 60 — incident fact: funds movement 0xabc',
      'key compromise set (at least SEV1): 50 × 1 = 50 — incident fact: attacker signed with hot key',
      'service criticality tier 0: 20 × 1 = 20 — alert 01HW label tier',
      'not known yet: users affected, revenue at risk per hour, regulatory exposure, support tickets',
    ]);
  });

  it('says when a flag holds the severity above what the total gives', () => {
    const [head] = explainScore(scoreImpact({ flags: { key_compromise: { value: true, source: 'alert 9' } } }, m));
    expect(head).toBe('SEV1 (impact score 50 alone gives SEV3; key compromise holds it at SEV1, from alert 9)');
  });
});

describe('rescore', () => {
  it('rising funds that cross a band raise the severity and name the reason', () => {
    const before = scoreImpact({ tier: { value: 1, source: 't' }, ...funds(usd(40_000n)) }, m);
    expect(before.severity).toBe('SEV3');
    const { score, change } = rescore(before, { tier: { value: 1, source: 't' }, fundsAtRiskCents: { value: usd(2_300_000n), source: 'fact 0xabc' } }, m);
    expect(score.severity).toBe('SEV2');
    expect(change).toMatchObject({ from: 'SEV3', to: 'SEV2', totalFrom: 35, totalTo: 75 });
    expect(change?.summary).toBe('SEV3 → SEV2: funds at risk rose from $40,000 to $2,300,000');
    expect(change?.moved).toEqual([
      { dimension: 'fundsAtRisk', label: 'funds at risk', direction: 'rose', from: '$40,000', to: '$2,300,000', contributionFrom: 20, contributionTo: 60, source: 'fact 0xabc' },
    ]);
  });

  it('nothing changed when the same values arrive again, even from a new source', () => {
    const inputs: ImpactInputs = { usersAffected: { value: 500, source: 'alert 1' } };
    const { change } = rescore(scoreImpact(inputs, m), { usersAffected: { value: 500, source: 'alert 2' } }, m);
    expect(change).toBeNull();
  });

  it('a move within a band is a change with the same severity', () => {
    const { change } = rescore(scoreImpact(funds(usd(40_000n)), m), funds(usd(60_000n)), m);
    expect(change?.summary).toBe('SEV4 unchanged (score 20 → 20): funds at risk rose from $40,000 to $60,000');
  });

  it('a flag being set, a value becoming known and a value being lost are each described', () => {
    const before = scoreImpact({ usersAffected: { value: 100, source: 'a' } }, m);
    const { change } = rescore(before, { regulatory: { value: 'high', source: 'b' }, flags: { key_compromise: { value: true, source: 'c' } } }, m);
    expect(change?.summary).toBe(
      'SEV5 → SEV1: key compromise is set; regulatory exposure is now known: high; users affected is no longer known (was 100 users)',
    );
  });

  it('a changed matrix that reweighs an unchanged input is reported as such', () => {
    const before = scoreImpact(funds(usd(40_000n)), m);
    const heavier = impactMatrixSchema.parse({ fundsAtRisk: { weight: 4 } });
    expect(rescore(before, funds(usd(40_000n)), heavier).change?.summary).toBe('SEV4 → SEV3: funds at risk now counts 40 (was 20)');
  });
});

// ---- properties ----

const sourced = <T>(arb: fc.Arbitrary<T>) => arb.map((value) => ({ value, source: 'p' }));
const flagNames = ['key_compromise', 'custody_breach', 'chain_halt', 'regulatory_reportable', 'unknown_flag'] as const;

const inputsArb: fc.Arbitrary<ImpactInputs> = fc.record(
  {
    tier: sourced(fc.constantFrom<ServiceTier>(0, 1, 2, 3)),
    usersAffected: sourced(fc.nat({ max: 10_000_000 })),
    fundsAtRiskCents: sourced(fc.bigInt({ min: 0n, max: 10n ** 12n })),
    revenueAtRiskPerHourCents: sourced(fc.bigInt({ min: 0n, max: 10n ** 10n })),
    regulatory: sourced(fc.constantFrom(...regulatoryExposures)),
    ticketRate: sourced(fc.record({ perHour: fc.nat({ max: 10_000 }), baselinePerHour: fc.nat({ max: 1_000 }) })),
    flags: fc.dictionary(fc.constantFrom(...flagNames), sourced(fc.boolean())),
  },
  { requiredKeys: [] },
);

/** Valid matrices: random thresholds and points, paired in ascending order so points never fall as thresholds rise. */
const bandsArb = <T extends number | bigint>(threshold: fc.Arbitrary<T>) =>
  fc.uniqueArray(threshold, { maxLength: 5, selector: (t) => String(t) }).chain((thresholds) =>
    fc.array(fc.nat({ max: 60 }), { minLength: thresholds.length, maxLength: thresholds.length }).map((pts) => {
      const sortedPoints = ascending(pts);
      return ascending(thresholds).map((t, i) => ({ t, points: sortedPoints[i] ?? 0 }));
    }),
  );
function ascending<T extends number | bigint>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const matrixArb: fc.Arbitrary<ImpactMatrix> = fc
  .record({
    w: fc.array(fc.nat({ max: 5 }), { minLength: 6, maxLength: 6 }),
    tierPoints: fc.array(fc.nat({ max: 40 }), { minLength: 4, maxLength: 4 }),
    regPoints: fc.array(fc.nat({ max: 40 }), { minLength: 3, maxLength: 3 }),
    users: bandsArb(fc.nat({ max: 1_000_000 })),
    funds: bandsArb(fc.bigInt({ min: 0n, max: 10n ** 10n })),
    revenue: bandsArb(fc.bigInt({ min: 0n, max: 10n ** 8n })),
    tickets: bandsArb(fc.integer({ min: 0, max: 40 }).map((n) => n / 2)),
    thresholds: fc.uniqueArray(fc.nat({ max: 300 }), { minLength: 4, maxLength: 4 }),
    flagPoints: fc.array(fc.nat({ max: 60 }), { minLength: 4, maxLength: 4 }),
    force: fc.array(fc.option(fc.constantFrom(...severities), { nil: undefined }), { minLength: 4, maxLength: 4 }),
  })
  .map((r) => {
    const [t4 = 0, t3 = 0, t2 = 0, t1 = 0] = ascending(r.thresholds);
    const [p0 = 0, p1 = 0, p2 = 0, p3 = 0] = ascending(r.tierPoints).reverse();
    const [none = 0, low = 0, high = 0] = ascending(r.regPoints);
    const money = (bands: { t: bigint; points: number }[]) => bands.map((b) => ({ atLeastUsd: `${b.t / 100n}.${String(b.t % 100n).padStart(2, '0')}`, points: b.points }));
    const counts = (bands: { t: number; points: number }[]) => bands.map((b) => ({ atLeast: b.t, points: b.points }));
    const flags = Object.fromEntries(
      flagNames.slice(0, 4).map((name, i) => [name, { points: r.flagPoints[i] ?? 0, weight: r.w[i] ?? 1, ...(r.force[i] === undefined ? {} : { forceSeverity: r.force[i] }) }]),
    );
    return impactMatrixSchema.parse({
      tier: { weight: r.w[0], points: { tier0: p0, tier1: p1, tier2: p2, tier3: p3 } },
      usersAffected: { weight: r.w[1], bands: counts(r.users) },
      fundsAtRisk: { weight: r.w[2], bands: money(r.funds) },
      revenueAtRiskPerHour: { weight: r.w[3], bands: money(r.revenue) },
      regulatory: { weight: r.w[4], points: { none, low, high } },
      ticketRate: { weight: r.w[5], bands: counts(r.tickets) },
      flags,
      severity: { SEV1: t1, SEV2: t2, SEV3: t3, SEV4: t4 },
    });
  });

type Raise = (inputs: ImpactInputs) => ImpactInputs;
const raiseArb: fc.Arbitrary<Raise> = fc.oneof(
  fc.constantFrom<ServiceTier>(0, 1, 2, 3).map((t): Raise => (i) => ({ ...i, tier: { value: Math.min(t, i.tier?.value ?? 3) as ServiceTier, source: 'r' } })),
  fc.nat({ max: 1_000_000 }).map((d): Raise => (i) => ({ ...i, usersAffected: { value: (i.usersAffected?.value ?? 0) + d, source: 'r' } })),
  fc.bigInt({ min: 0n, max: 10n ** 12n }).map((d): Raise => (i) => ({ ...i, fundsAtRiskCents: { value: (i.fundsAtRiskCents?.value ?? 0n) + d, source: 'r' } })),
  fc.bigInt({ min: 0n, max: 10n ** 10n }).map((d): Raise => (i) => ({ ...i, revenueAtRiskPerHourCents: { value: (i.revenueAtRiskPerHourCents?.value ?? 0n) + d, source: 'r' } })),
  fc.constantFrom(0, 1, 2).map((level): Raise => (i) => {
    const current = i.regulatory === undefined ? 0 : regulatoryExposures.indexOf(i.regulatory.value);
    return { ...i, regulatory: { value: regulatoryExposures[Math.max(level, current)] ?? 'high', source: 'r' } };
  }),
  fc.nat({ max: 10_000 }).map((d): Raise => (i) => {
    const rate = i.ticketRate?.value ?? { perHour: 0, baselinePerHour: 1 };
    return { ...i, ticketRate: { value: { perHour: rate.perHour + d, baselinePerHour: rate.baselinePerHour }, source: 'r' } };
  }),
  fc.constantFrom(...flagNames).map((name): Raise => (i) => ({ ...i, flags: { ...i.flags, [name]: { value: true, source: 'r' } } })),
);

describe('impact score properties', () => {
  it('the breakdown’s contributions add up to the total, and each contribution is points × weight', () => {
    fc.assert(
      fc.property(inputsArb, fc.oneof(fc.constant(m), matrixArb), (inputs, matrix) => {
        const score = scoreImpact(inputs, matrix);
        let sum = 0;
        for (const row of score.breakdown) {
          expect(row.contribution).toBe(row.points * row.weight);
          sum += row.contribution;
        }
        expect(sum).toBe(score.total);
        expect(isMoreSevere(score.scoredSeverity, score.severity)).toBe(false);
      }),
    );
  });

  it('raising any input never lowers the severity or the total', () => {
    fc.assert(
      fc.property(inputsArb, raiseArb, fc.oneof(fc.constant(m), matrixArb), (inputs, raise, matrix) => {
        const before = scoreImpact(inputs, matrix);
        const after = scoreImpact(raise(inputs), matrix);
        expect(after.total).toBeGreaterThanOrEqual(before.total);
        expect(isMoreSevere(before.severity, after.severity)).toBe(false);
      }),
    );
  });

  it('rescoring the same inputs never reports a change, and a reported severity change matches the scores', () => {
    fc.assert(
      fc.property(inputsArb, inputsArb, (a, b) => {
        const first = scoreImpact(a, m);
        expect(rescore(first, a, m).change).toBeNull();
        const { score, change } = rescore(first, b, m);
        if (change !== null) expect([change.from, change.to]).toEqual([first.severity, score.severity]);
        if (first.severity !== score.severity) expect(change).not.toBeNull();
      }),
    );
  });
});
