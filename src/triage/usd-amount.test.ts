import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUsdCents, parseUsdCents } from './usd-amount.js';

describe('parseUsdCents', () => {
  it('reads whole dollars, separators, a dollar sign and cents into exact cents', () => {
    expect(parseUsdCents('2300000')).toEqual({ ok: true, cents: 230_000_000n });
    expect(parseUsdCents('$2,300,000.5')).toEqual({ ok: true, cents: 230_000_050n });
    expect(parseUsdCents(' 0.01 ')).toEqual({ ok: true, cents: 1n });
    expect(parseUsdCents('10.500')).toEqual({ ok: true, cents: 1_050n });
  });

  it('keeps amounts far beyond a float’s exact range exact', () => {
    expect(parseUsdCents('123456789012345678901234567890.99')).toEqual({ ok: true, cents: 12345678901234567890123456789099n });
  });

  it('refuses negatives, words, misplaced separators and fractions finer than a cent', () => {
    for (const text of ['-5', 'lots', '1,00', '1e6', '', '10.001', 'NaN', '1.2.3']) {
      expect(parseUsdCents(text).ok, text).toBe(false);
    }
  });

  it('formatting then parsing gives back the same cents', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (cents) => {
        expect(parseUsdCents(formatUsdCents(cents))).toEqual({ ok: true, cents });
      }),
    );
  });
});

describe('formatUsdCents', () => {
  it('groups thousands and shows cents only when there are some', () => {
    expect(formatUsdCents(4_000_000n)).toBe('$40,000');
    expect(formatUsdCents(230_000_050n)).toBe('$2,300,000.50');
    expect(formatUsdCents(5n)).toBe('$0.05');
  });
});
