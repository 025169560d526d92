import { describe, expect, it } from 'vitest';
import { defaultImpactMatrix, impactMatrixSchema } from './impact-matrix.js';

describe('impactMatrixSchema', () => {
  it('an empty config is the default crypto-exchange matrix', () => {
    const matrix = impactMatrixSchema.parse({});
    expect(matrix).toEqual(defaultImpactMatrix);
    expect(matrix.fundsAtRisk.weight).toBe(2);
    expect(matrix.fundsAtRisk.bands).toEqual([
      { atLeast: 1_000_000_000n, points: 40 },
      { atLeast: 100_000_000n, points: 30 },
      { atLeast: 10_000_000n, points: 20 },
      { atLeast: 1_000_000n, points: 10 },
    ]);
    expect(matrix.flags.key_compromise).toMatchObject({ points: 50, forceSeverity: 'SEV1', weight: 1 });
    expect(matrix.severity).toEqual({ SEV1: 100, SEV2: 60, SEV3: 30, SEV4: 10 });
  });

  it('a partial config changes only what it names and keeps the other defaults', () => {
    const matrix = impactMatrixSchema.parse({ fundsAtRisk: { weight: 3 }, severity: { SEV1: 120 } });
    expect(matrix.fundsAtRisk.weight).toBe(3);
    expect(matrix.fundsAtRisk.bands).toEqual(defaultImpactMatrix.fundsAtRisk.bands);
    expect(matrix.severity).toEqual({ SEV1: 120, SEV2: 60, SEV3: 30, SEV4: 10 });
    expect(matrix.usersAffected).toEqual(defaultImpactMatrix.usersAffected);
  });

  it('money thresholds are read from dollar strings or whole numbers into cents, and bands are sorted highest first', () => {
    const matrix = impactMatrixSchema.parse({
      fundsAtRisk: { bands: [{ atLeastUsd: 500, points: 5 }, { atLeastUsd: '99,999,999,999,999,999.99', points: 50 }] },
    });
    expect(matrix.fundsAtRisk.bands).toEqual([
      { atLeast: 9_999_999_999_999_999_999n, points: 50 },
      { atLeast: 50_000n, points: 5 },
    ]);
  });

  it('refuses a lower band worth more points than a higher one, since more impact must never score less', () => {
    const result = impactMatrixSchema.safeParse({ usersAffected: { bands: [{ atLeast: 10, points: 20 }, { atLeast: 100, points: 5 }] } });
    expect(result.success).toBe(false);
  });

  it('refuses thresholds that do not fall from SEV1 to SEV4, unreadable amounts and unknown keys', () => {
    expect(impactMatrixSchema.safeParse({ severity: { SEV2: 100 } }).success).toBe(false);
    expect(impactMatrixSchema.safeParse({ fundsAtRisk: { bands: [{ atLeastUsd: '1.234', points: 1 }] } }).success).toBe(false);
    expect(impactMatrixSchema.safeParse({ fundz: {} }).success).toBe(false);
    expect(impactMatrixSchema.safeParse({ tier: { points: { tier0: 0, tier3: 10 } } }).success).toBe(false);
  });

  it('a config that names flags replaces the default set', () => {
    const matrix = impactMatrixSchema.parse({ flags: { bridge_exploit: { points: 40, forceSeverity: 'SEV1' } } });
    expect(Object.keys(matrix.flags)).toEqual(['bridge_exploit']);
  });
});
