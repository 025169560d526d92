import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { log10Bigint, log10DecimalText, log10Units } from './big-log10.js';

describe('log10Bigint', () => {
  it('is exact on powers of ten of any size', () => {
    for (const k of [0, 1, 15, 16, 17, 18, 77, 308, 400, 1000]) expect(log10Bigint(10n ** BigInt(k))).toBe(k);
  });

  it('stays finite past the largest double, where Number(amount) is Infinity', () => {
    const huge = 7n * 10n ** 400n;
    expect(Number(huge)).toBe(Infinity);
    expect(log10Bigint(huge)).toBeCloseTo(400 + Math.log10(7), 12);
  });

  it('agrees with Math.log10 on the largest uint256', () => {
    const max = 2n ** 256n - 1n;
    expect(log10Bigint(max)).toBeCloseTo(256 * Math.log10(2), 12);
  });

  it('is -Infinity for zero and NaN for a negative amount', () => {
    expect(log10Bigint(0n)).toBe(-Infinity);
    expect(log10Bigint(-5n)).toBeNaN();
  });

  it('shifts by exactly k when an amount is multiplied by 10^k', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 200n }), fc.integer({ min: 0, max: 80 }), (a, k) => {
        expect(Math.abs(log10Bigint(a * 10n ** BigInt(k)) - log10Bigint(a) - k)).toBeLessThan(1e-9);
      }),
    );
  });

  it('is monotone', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 256n }), fc.bigInt({ min: 1n, max: 2n ** 256n }), (a, b) => {
        if (a < b) expect(log10Bigint(a)).toBeLessThanOrEqual(log10Bigint(b));
      }),
    );
  });
});

describe('log10Units', () => {
  it('measures whole units without truncating fractions', () => {
    expect(log10Units(400_000_000_000_000_000n, 18)).toBeCloseTo(Math.log10(0.4), 12);
    expect(log10Units(1n, 18)).toBe(-18);
    expect(log10Units(150_000_000n, 8)).toBeCloseTo(Math.log10(1.5), 12);
  });
});

describe('log10DecimalText', () => {
  it('reads prices written as decimal text', () => {
    expect(log10DecimalText('3150.25')).toBeCloseTo(Math.log10(3150.25), 12);
    expect(log10DecimalText('1')).toBe(0);
    expect(log10DecimalText('0.0001')).toBeCloseTo(-4, 12);
  });

  it('refuses zero and text that is not a decimal', () => {
    for (const text of ['0', '0.00', '-1', '1e3', '', 'abc']) expect(log10DecimalText(text)).toBeUndefined();
  });
});
