import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountTransaction, UtxoTransaction } from '../../core/transaction.js';
import { FeatureExtractor, transactionFeatures } from './feature-extractor.js';

const eth = 10n ** 18n;
const at6utc = Date.parse('2026-03-01T06:00:00Z');

function transfer(overrides: Partial<AccountTransaction> = {}): AccountTransaction {
  return {
    kind: 'account',
    chain: 'ethereum',
    hash: '0x1',
    asset: 'ETH',
    decimals: 18,
    fee: 10n ** 15n,
    block: 1,
    timestamp: at6utc,
    status: 'success',
    from: '0xAAA',
    to: '0xbbb',
    amount: 2n * eth,
    nonce: 0,
    tokenContract: null,
    logs: [],
    ...overrides,
  };
}

const fresh = { secondsSinceLast: null, novelCounterparty: true, robustZ: null } as const;
const index = (name: string): number => transactionFeatures.findIndex((f) => f.name === name);

describe('FeatureExtractor', () => {
  it('documents each feature once, in vector order', () => {
    const names = transactionFeatures.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new FeatureExtractor().dimensions).toBe(names.length);
    for (const f of transactionFeatures) {
      expect(f.high).toBeGreaterThan(f.low);
      expect(f.description.length).toBeGreaterThan(20);
    }
  });

  it('measures value in USD when the asset has a price, in whole units when not', () => {
    const priced = new FeatureExtractor({ prices: { eth: '3000' } }).extract(transfer(), fresh);
    expect(priced[index('logValue')]).toBeCloseTo(Math.log10(6000), 12);
    const unpriced = new FeatureExtractor().extract(transfer(), fresh);
    expect(unpriced[index('logValue')]).toBeCloseTo(Math.log10(2), 12);
  });

  it('puts a zero amount at the low end of the value range and keeps the largest uint256 finite', () => {
    const features = new FeatureExtractor();
    expect(features.extract(transfer({ amount: 0n }), fresh)[index('logValue')]).toBe(-4);
    const huge = features.extract(transfer({ amount: 2n ** 256n - 1n }), fresh);
    expect(huge[index('logValue')]).toBeCloseTo(256 * Math.log10(2) - 18, 9);
    expect(features.scale(huge)[index('logValue')]).toBe(1);
  });

  it("takes a token transfer's fee in the chain's native decimals, not the token's", () => {
    const token = transfer({ asset: 'USDC', decimals: 6, amount: 5_000_000n, tokenContract: '0xa0b8', fee: 10n ** 15n });
    expect(new FeatureExtractor().extract(token, fresh)[index('logFee')]).toBeCloseTo(-3, 12);
    const polygon = { ...token, chain: 'polygon' };
    expect(new FeatureExtractor({ feeDecimals: { polygon: 15 } }).extract(polygon, fresh)[index('logFee')]).toBeCloseTo(0, 12);
  });

  it('measures a UTXO payment without its change, fee in satoshi decimals', () => {
    const tx: UtxoTransaction = {
      kind: 'utxo',
      chain: 'bitcoin',
      hash: 'b1',
      asset: 'BTC',
      decimals: 8,
      fee: 2_000n,
      block: 1,
      timestamp: at6utc,
      status: 'success',
      inputs: [{ address: 'bc1in', amount: 100_000_000n }],
      outputs: [
        { address: 'bc1pay', amount: 30_000_000n },
        { address: 'bc1pay2', amount: 10_000_000n },
        { address: 'bc1in', amount: 59_998_000n },
      ],
    };
    const f = new FeatureExtractor().extract(tx, fresh);
    expect(f[index('logValue')]).toBeCloseTo(Math.log10(0.4), 12);
    expect(f[index('logFee')]).toBeCloseTo(Math.log10(0.00002), 12);
    expect(f[index('logRecipients')]).toBeCloseTo(Math.log10(3), 12);
  });

  it('places the time of day on a circle', () => {
    const f = new FeatureExtractor().extract(transfer(), fresh);
    expect(f[index('hourSin')]).toBeCloseTo(1, 12);
    expect(f[index('hourCos')]).toBeCloseTo(0, 12);
    const midnight = new FeatureExtractor().extract(transfer({ timestamp: Date.parse('2026-03-01T00:00:00Z') }), fresh);
    expect(midnight[index('hourCos')]).toBeCloseTo(1, 12);
  });

  it("reads novelty, the gap and the sender-relative amount from the sender's context", () => {
    const features = new FeatureExtractor();
    const first = features.extract(transfer(), fresh);
    expect(first[index('novelCounterparty')]).toBe(1);
    expect(first[index('logGap')]).toBe(8);
    expect(first[index('valueVsSender')]).toBe(0);
    const later = features.extract(transfer(), { secondsSinceLast: 999, novelCounterparty: false, robustZ: 12 });
    expect(later[index('novelCounterparty')]).toBe(0);
    expect(later[index('logGap')]).toBeCloseTo(3, 12);
    expect(later[index('valueVsSender')]).toBe(12);
    expect(features.scale(later)[index('valueVsSender')]).toBe(1);
  });

  it('scales any features into [0, 1]', () => {
    const features = new FeatureExtractor();
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: features.dimensions, maxLength: features.dimensions }), (raw) => {
        for (const v of features.scale(raw)) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('refuses a price that is not a positive decimal', () => {
    expect(() => new FeatureExtractor({ prices: { ETH: 'lots' } })).toThrow(/price of ETH/);
    expect(() => new FeatureExtractor({ prices: { ETH: '0' } })).toThrow(RangeError);
  });
});
