import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { P2Quantile } from './p2-quantile.js';
import { RobustBaseline, madToSigma } from './robust-baseline.js';
import { SeededRandom } from './seeded-random.js';
import { ownSlot } from './state-slot.js';

interface Case {
  readonly name: string;
  readonly draw: (r: SeededRandom) => number;
  readonly median: number;
  readonly mad: number;
}

/** True medians and MADs, from the closed forms. */
const cases: readonly Case[] = [
  { name: 'normal(3, 2)', draw: (r) => 3 + 2 * r.normal(), median: 3, mad: 2 * 0.6744897501960817 },
  { name: 'uniform(0, 10)', draw: (r) => 10 * r.next(), median: 5, mad: 2.5 },
  // Exponential(1): median ln 2; the MAD d solves F(m+d) − F(m−d) = 1/2, that is sinh(d) = 1/2.
  { name: 'exponential(1)', draw: (r) => -Math.log(1 - r.next()), median: Math.LN2, mad: Math.asinh(0.5) },
  // A normal with 5% gross outliers at 20σ: the median and MAD move only slightly (solved numerically
  // from 0.95·Φ(x) + 0.05·Φ(x − 20)), where the mean would move by a whole σ.
  { name: 'normal(0, 1) with 5% gross outliers', draw: (r) => (r.next() < 0.05 ? 20 + r.normal() : r.normal()), median: 0.0660118, mad: 0.7180597 },
];

describe('RobustBaseline', () => {
  for (const c of cases) {
    it(`estimates the median and MAD of ${c.name} within 3% of the spread after 20,000 draws`, () => {
      for (const seed of [1, 2, 3]) {
        const random = new SeededRandom(seed);
        const baseline = new RobustBaseline();
        const slot = ownSlot(RobustBaseline.width);
        for (let i = 0; i < 20_000; i += 1) baseline.observe(slot, c.draw(random));
        expect(baseline.count(slot)).toBe(20_000);
        expect(Math.abs(baseline.median(slot) - c.median)).toBeLessThan(0.03 * c.mad * madToSigma);
        expect(Math.abs(baseline.mad(slot) - c.mad) / c.mad).toBeLessThan(0.03);
      }
    });
  }

  it('is within 10% of the MAD after only 500 draws of a normal', () => {
    const random = new SeededRandom(9);
    const baseline = new RobustBaseline();
    const slot = ownSlot(RobustBaseline.width);
    for (let i = 0; i < 500; i += 1) baseline.observe(slot, 10 + random.normal());
    expect(Math.abs(baseline.median(slot) - 10)).toBeLessThan(0.1);
    expect(Math.abs(baseline.mad(slot) - 0.6745) / 0.6745).toBeLessThan(0.1);
  });

  it('gives the robust z of a value, with the scale floored for a constant stream', () => {
    const baseline = new RobustBaseline();
    const slot = ownSlot(RobustBaseline.width);
    for (let i = 0; i < 50; i += 1) baseline.observe(slot, 2);
    expect(baseline.mad(slot)).toBe(0);
    expect(baseline.zScore(slot, 3, 0.1)).toBeCloseTo(10, 12);
  });

  it('ignores non-finite values, which would otherwise stick forever', () => {
    const baseline = new RobustBaseline();
    const slot = ownSlot(RobustBaseline.width);
    for (const x of [1, 2, Number.NaN, Infinity, -Infinity, 3]) baseline.observe(slot, x);
    expect(baseline.count(slot)).toBe(3);
    expect(baseline.median(slot)).toBe(2);
  });
});

describe('P2Quantile', () => {
  it('answers exactly while it holds fewer than five values', () => {
    const median = new P2Quantile(0.5);
    const slot = ownSlot(P2Quantile.width);
    expect(median.estimate(slot)).toBeNaN();
    median.observe(slot, 5);
    expect(median.estimate(slot)).toBe(5);
    median.observe(slot, 1);
    expect(median.estimate(slot)).toBe(3);
    median.observe(slot, 9);
    expect(median.estimate(slot)).toBe(5);
  });

  it('tracks other quantiles too: the 0.9 quantile of uniform(0, 1) within 0.01', () => {
    const q90 = new P2Quantile(0.9);
    const slot = ownSlot(P2Quantile.width);
    const random = new SeededRandom(4);
    for (let i = 0; i < 20_000; i += 1) q90.observe(slot, random.next());
    expect(Math.abs(q90.estimate(slot) - 0.9)).toBeLessThan(0.01);
  });

  it('always estimates within the range of what it saw', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (xs, p) => {
        const q = new P2Quantile(p);
        const slot = ownSlot(P2Quantile.width);
        for (const x of xs) q.observe(slot, x);
        const e = q.estimate(slot);
        expect(e).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(e).toBeLessThanOrEqual(Math.max(...xs));
      }),
    );
  });

  it('keeps several estimators side by side in one buffer', () => {
    const median = new P2Quantile(0.5);
    const data = new Float64Array(3 * P2Quantile.width);
    const random = new SeededRandom(5);
    for (let i = 0; i < 5_000; i += 1) {
      for (let e = 0; e < 3; e += 1) median.observe({ data, offset: e * P2Quantile.width }, 100 * e + random.normal());
    }
    for (let e = 0; e < 3; e += 1) expect(Math.abs(median.estimate({ data, offset: e * P2Quantile.width }) - 100 * e)).toBeLessThan(0.1);
  });
});
