import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsText, formatUnits, formatUsd, parseDecimal, percentText, toBaseUnits, usdToCents } from './amounts.js';

describe('amounts', () => {
  it('decimal text becomes exact units and scale', () => {
    expect(parseDecimal('3150.25')).toEqual({ units: 315025n, scale: 2 });
    expect(parseDecimal('97000')).toEqual({ units: 97000n, scale: 0 });
    expect(parseDecimal('0.000001')).toEqual({ units: 1n, scale: 6 });
  });

  it('text that is not a plain non-negative decimal is refused with the text in the message', () => {
    for (const bad of ['', '-1', '1e3', '1.', '.5', '1,000', ' 1', 'NaN', '0x10']) {
      expect(() => parseDecimal(bad)).toThrow(RangeError);
    }
    expect(() => parseDecimal('1e3')).toThrow('"1e3"');
  });

  it('converting to base units rounds down, never up', () => {
    expect(toBaseUnits(parseDecimal('1.5'), 18)).toBe(1_500_000_000_000_000_000n);
    expect(toBaseUnits(parseDecimal('0.129'), 2)).toBe(12n);
    expect(usdToCents('10000')).toBe(1_000_000n);
    expect(usdToCents('9999.999')).toBe(999_999n);
  });

  it('base units format as decimal text without trailing zeros', () => {
    expect(formatUnits(1_500_000_000_000_000_000n, 18)).toBe('1.5');
    expect(formatUnits(1n, 8)).toBe('0.00000001');
    expect(formatUnits(100_000_000n, 8)).toBe('1');
    expect(formatUnits(0n, 6)).toBe('0');
    expect(formatUnits(42n, 0)).toBe('42');
    expect(formatUnits(-150n, 2)).toBe('-1.5');
  });

  it('cents format as plain decimals for metadata and as dollars for people', () => {
    expect(centsText(123_456n)).toBe('1234.56');
    expect(centsText(5n)).toBe('0.05');
    expect(formatUsd(123_456_789n)).toBe('$1,234,567.89');
    expect(formatUsd(100n)).toBe('$1.00');
    expect(formatUsd(99_999_999n)).toBe('$999,999.99');
  });

  it('percentages round down to a tenth', () => {
    expect(percentText(9n, 10n)).toBe('90.0');
    expect(percentText(2n, 3n)).toBe('66.6');
    expect(percentText(1n, 0n)).toBe('0.0');
  });

  // Decimal text holds at most 40 integer digits (decimalPattern), so amounts stay below 10^40.
  it('formatting base units and reading them back is the identity', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }), fc.integer({ min: 0, max: 36 }), (amount, decimals) => {
        expect(toBaseUnits(parseDecimal(formatUnits(amount, decimals)), decimals)).toBe(amount);
      }),
    );
  });
});
