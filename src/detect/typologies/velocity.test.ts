import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import type { AccountTransaction } from '../../core/transaction.js';
import { addr, eth, hour, minute, t0, testPrices, transfer } from './test-builder.js';
import { type VelocityOptions, VelocityDetector } from './velocity.js';
import { WalletBook } from './wallet-book.js';

const hot = addr('hot');
const plain = addr('plain');
const detector = (options: Partial<VelocityOptions> = {}) => new VelocityDetector({ prices: testPrices, wallets: new WalletBook({ classes: { [hot]: 'hot' } }), ...options });

/** `perHour` transfers of `amount` in each of `hours` hours from `start`, spread over the hour. */
function steady(input: { from: string; perHour: number; hours: number; amount: string; start?: number }): AccountTransaction[] {
  const out: AccountTransaction[] = [];
  for (let h = 0; h < input.hours; h += 1) {
    for (let i = 0; i < input.perHour; i += 1) {
      out.push(transfer({ from: input.from, to: addr(h * 1000 + i + 1), amount: eth(input.amount), at: (input.start ?? t0) + h * hour + i * Math.floor(hour / input.perHour) }));
    }
  }
  return out;
}

function burst(input: { from: string; count: number; amount: string; hourIndex: number }): AccountTransaction[] {
  return Array.from({ length: input.count }, (_, i) => transfer({ from: input.from, to: addr(900_000 + i), amount: eth(input.amount), at: t0 + input.hourIndex * hour + i * minute }));
}

function feed(d: VelocityDetector, txs: AccountTransaction[]): Finding[] {
  return txs.flatMap((tx) => d.observe(tx));
}

describe('velocity', () => {
  it('a hot wallet sending eleven transfers in an hour against a usual two is a spike, reported on the eleventh', () => {
    const d = detector();
    expect(feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '0.001' }))).toEqual([]);
    const spike = burst({ from: hot, count: 11, amount: '0.001', hourIndex: 24 });
    const found = spike.map((tx) => d.observe(tx));
    expect(found.slice(0, 10).flat()).toEqual([]);
    expect(found[10]![0]).toMatchObject({
      alertId: 'VIGIL-VELOCITY',
      detector: 'velocity',
      entity: hot,
      name: 'Outflow spike on hot wallet',
      severity: 'High',
      stage: 'exploitation',
      at: spike[10]!.timestamp,
      metadata: { trigger: 'count', count: '11', baselineCount: '2.00', multiplier: '5', minCount: '10', walletClass: 'hot', hourStart: '2025-01-02T00:00:00.000Z' },
    });
    expect(found[10]![0]!.txHashes).toHaveLength(11);
  });

  it("a finding's transactions stay as they were when later transfers of the same hour come in", () => {
    const d = detector();
    feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '0.001' }));
    const spike = burst({ from: hot, count: 40, amount: '0.001', hourIndex: 24 });
    const found = feed(d, spike);
    expect(found).toHaveLength(1);
    // The eleventh transfer crossed the line: the finding names it and the ten before, and nothing after.
    expect(found[0]!.txHashes).toEqual(spike.slice(0, 11).map((tx) => tx.hash));
  });

  it('exactly five times the baseline is not above it', () => {
    const d = detector();
    feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '0.001' }));
    expect(feed(d, burst({ from: hot, count: 10, amount: '0.001', hourIndex: 24 }))).toEqual([]);
  });

  it('a quiet wallet needs at least the minimum count, however far above its baseline', () => {
    const d = detector();
    feed(d, steady({ from: hot, perHour: 1, hours: 1, amount: '0.001' }));
    feed(d, [transfer({ from: hot, to: addr(5), amount: eth('0.001'), at: t0 + 24 * hour })]);
    expect(feed(d, burst({ from: hot, count: 9, amount: '0.001', hourIndex: 25 }).slice(1))).toEqual([]);
  });

  it('quiet hours count in the baseline: 240 transfers in the first hour and none for 23 is ten an hour', () => {
    // With alpha 1/24 the warm-up mean covers all 24 hours exactly.
    const d = detector({ alpha: 1 / 24 });
    feed(d, burst({ from: hot, count: 240, amount: '0.001', hourIndex: 0 }).map((t, i) => ({ ...t, timestamp: t0 + i * 10_000 })));
    const found = feed(d, burst({ from: hot, count: 51, amount: '0.001', hourIndex: 24 }).map((t, i) => ({ ...t, timestamp: t0 + 24 * hour + i * 60_000 })));
    expect(found).toHaveLength(1);
    expect(found[0]?.metadata).toMatchObject({ count: '51', baselineCount: '10.00' });
  });

  it('nothing is judged during the warm-up', () => {
    expect(feed(detector(), burst({ from: hot, count: 50, amount: '10', hourIndex: 0 }))).toEqual([]);
    const d = detector();
    feed(d, steady({ from: hot, perHour: 1, hours: 23, amount: '0.001' }));
    expect(feed(d, burst({ from: hot, count: 30, amount: '0.001', hourIndex: 23 }))).toEqual([]);
  });

  it('volume far above the usual is a spike even at about the usual rate', () => {
    const d = detector();
    feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '1' }));
    const found = feed(d, burst({ from: hot, count: 3, amount: '20', hourIndex: 24 }));
    expect(found).toHaveLength(1);
    expect(found[0]?.metadata).toMatchObject({ trigger: 'volume', count: '3', volumeUsd: '180000.00', baselineVolumeUsd: '6000.00', minVolumeUsd: '25000.00' });
    expect(found[0]?.description).toContain('$180,000.00');
  });

  it('one big transfer alone is not a velocity spike: that is the large-transfer finding', () => {
    const d = detector();
    feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '1' }));
    expect(feed(d, burst({ from: hot, count: 2, amount: '20', hourIndex: 24 }))).toEqual([]);
  });

  it('a volume above five times the baseline but under the $25,000 floor is not reported', () => {
    const d = detector();
    feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '0.1' }));
    expect(feed(d, burst({ from: hot, count: 1, amount: '8', hourIndex: 24 }))).toEqual([]);
  });

  it('one finding per wallet and hour; a burst still going next hour is reported again', () => {
    const d = detector();
    feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '0.001' }));
    // Forty transfers in each of two hours: the first hour lifts the baseline to 5.8, not enough to hide the second.
    const found = feed(d, burst({ from: hot, count: 80, amount: '0.001', hourIndex: 24 }).map((t, i) => ({ ...t, timestamp: t0 + 24 * hour + i * 90_000 })));
    expect(found.map((f) => f.metadata.hourStart)).toEqual(['2025-01-02T00:00:00.000Z', '2025-01-02T01:00:00.000Z']);
  });

  it('an unclassified wallet is reported at medium severity with no attack stage', () => {
    const d = detector();
    feed(d, steady({ from: plain, perHour: 2, hours: 24, amount: '0.001' }));
    const [f] = feed(d, burst({ from: plain, count: 11, amount: '0.001', hourIndex: 24 }));
    expect(f).toMatchObject({ severity: 'Medium', name: 'Transfer velocity spike' });
    expect(f?.stage).toBeUndefined();
  });

  it('an unpriced asset counts towards the rate but not the volume', () => {
    const d = detector();
    feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '0.001' }).map((t) => ({ ...t, asset: 'XYZ' })));
    const found = feed(d, burst({ from: hot, count: 11, amount: '1000', hourIndex: 24 }).map((t) => ({ ...t, asset: 'XYZ' })));
    expect(found.map((f) => [f.metadata.trigger, f.metadata.volumeUsd])).toEqual([['count', '0.00']]);
  });

  it('volumes and baselines past 2^53 cents stay exact', () => {
    const d = detector();
    // 3 × 10^13 ETH an hour at $3,000 is 9 × 10^18 cents: past 2^53 (about 9.007 × 10^15) from the first transfer.
    feed(d, steady({ from: hot, perHour: 3, hours: 24, amount: '10000000000000.000000000000000001' }));
    const found = feed(d, burst({ from: hot, count: 3, amount: '77777777777777.777777777777777777', hourIndex: 24 }));
    expect(found).toHaveLength(1);
    // Each transfer is worth 233,333,333,333,333,333.33 dollars, rounded down to the cent; three of them.
    expect(found[0]?.metadata).toMatchObject({ trigger: 'volume', volumeUsd: '699999999999999999.99', baselineVolumeUsd: '90000000000000000.00' });
  });

  it("a wallet in a slot another wallet left starts from nothing, not from the other's numbers", () => {
    const third = addr('third');
    const thirdStream = [...steady({ from: third, perHour: 2, hours: 24, amount: '1', start: t0 + 30 * hour }), ...burst({ from: third, count: 11, amount: '20', hourIndex: 54 })];
    const alone = feed(detector(), thirdStream);
    expect(alone).toHaveLength(1);
    const d = detector({ maxEntities: 1 });
    feed(d, steady({ from: hot, perHour: 2, hours: 24, amount: '50' }));
    // One transfer from the plain wallet displaces the hot one; the third wallet then takes the hot wallet's slot.
    feed(d, [transfer({ from: plain, to: hot, amount: eth('1'), at: t0 + 29 * hour })]);
    expect(feed(d, thirdStream)).toEqual(alone);
    expect(d.stateSize()).toBe(1);
  });
});
