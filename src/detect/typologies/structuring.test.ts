import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import { StructuringDetector } from './structuring.js';
import { addr, hour, t0, testPrices, transfer, usdc } from './test-builder.js';
import { WalletBook } from './wallet-book.js';

const smurf = addr('smurf');
const collector = addr('collector');
const detector = () => new StructuringDetector({ prices: testPrices });
const pay = (input: { from: string; to: string; usd: string; at: number }) => transfer({ from: input.from, to: input.to, amount: usdc(input.usd), asset: 'USDC', at: input.at });

function feed(d: StructuringDetector, txs: ReturnType<typeof pay>[]): Finding[] {
  return txs.flatMap((tx) => d.observe(tx));
}

describe('structuring', () => {
  it('three transfers of $9,500 from one sender within a day are reported once, on the third, about the sender', () => {
    const txs = [1, 2, 3].map((i) => pay({ from: smurf, to: addr(i), usd: '9500', at: t0 + i * hour }));
    const d = detector();
    expect(d.observe(txs[0]!)).toEqual([]);
    expect(d.observe(txs[1]!)).toEqual([]);
    const [f, ...rest] = d.observe(txs[2]!);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      alertId: 'VIGIL-STRUCTURING',
      entity: smurf,
      severity: 'Medium',
      type: 'Suspicious',
      stage: 'laundering',
      at: t0 + 3 * hour,
      txHashes: txs.map((t) => t.hash),
      addresses: [smurf, addr(1), addr(2), addr(3)],
      metadata: { role: 'sender', count: '3', totalUsd: '28500.00', thresholdUsd: '10000.00', floorUsd: '9000.00', windowMs: String(24 * hour) },
    });
    expect(f?.description).toContain('$28,500.00');
  });

  it('two near-threshold transfers are not enough', () => {
    expect(feed(detector(), [1, 2].map((i) => pay({ from: smurf, to: addr(i), usd: '9900', at: t0 + i })))).toEqual([]);
  });

  it('exactly $9,000 counts as just under the threshold; exactly $10,000 does not', () => {
    expect(feed(detector(), [pay({ from: smurf, to: addr(1), usd: '9000', at: t0 }), pay({ from: smurf, to: addr(2), usd: '9000', at: t0 + 1 }), pay({ from: smurf, to: addr(3), usd: '10000', at: t0 + 2 })])).toEqual([]);
    expect(feed(detector(), [pay({ from: smurf, to: addr(1), usd: '9000', at: t0 }), pay({ from: smurf, to: addr(2), usd: '9000', at: t0 + 1 }), pay({ from: smurf, to: addr(3), usd: '9999.99', at: t0 + 2 })])).toHaveLength(1);
    expect(feed(detector(), [pay({ from: smurf, to: addr(1), usd: '8999.99', at: t0 }), pay({ from: smurf, to: addr(2), usd: '9500', at: t0 + 1 }), pay({ from: smurf, to: addr(3), usd: '9500', at: t0 + 2 })])).toEqual([]);
  });

  it('the third transfer exactly 24 hours after the first still counts; a millisecond later it does not', () => {
    const at = (last: number) => [pay({ from: smurf, to: addr(1), usd: '9500', at: t0 }), pay({ from: smurf, to: addr(2), usd: '9500', at: t0 + hour }), pay({ from: smurf, to: addr(3), usd: '9500', at: t0 + last })];
    expect(feed(detector(), at(24 * hour))).toHaveLength(1);
    expect(feed(detector(), at(24 * hour + 1))).toEqual([]);
  });

  it('a long run gives one finding per window, not one per transfer', () => {
    const txs = Array.from({ length: 30 }, (_, i) => pay({ from: smurf, to: addr(i), usd: '9500', at: t0 + i * hour }));
    const found = feed(detector(), txs);
    expect(found.map((f) => f.at)).toEqual([t0 + 2 * hour, t0 + 26 * hour]);
  });

  it('many senders each paying one receiver just under the threshold are reported about the receiver', () => {
    const found = feed(detector(), [1, 2, 3].map((i) => pay({ from: addr(i), to: collector, usd: '9800', at: t0 + i })));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ entity: collector, metadata: { role: 'receiver', counterparties: '3' } });
  });

  it("one sender's split payment to one receiver is reported once, about the sender", () => {
    const found = feed(detector(), [1, 2, 3].map((i) => pay({ from: smurf, to: collector, usd: '9800', at: t0 + i })));
    expect(found.map((f) => [f.entity, f.metadata.role])).toEqual([[smurf, 'sender']]);
  });

  it('ordinary amounts leave no state behind', () => {
    const d = detector();
    feed(d, [1, 2, 3].map((i) => pay({ from: smurf, to: addr(i), usd: '120', at: t0 + i })));
    expect(d.stateSize()).toBe(0);
  });

  it('unpriced assets are skipped', () => {
    const d = detector();
    const txs = [1, 2, 3].map((i) => transfer({ from: smurf, to: addr(i), amount: 9_500n, asset: 'XYZ', decimals: 0, at: t0 + i }));
    expect(txs.flatMap((tx) => d.observe(tx))).toEqual([]);
  });

  it('a different threshold and margin are honoured', () => {
    const d = new StructuringDetector({ prices: testPrices, thresholdUsd: '3000', marginPct: 5, minCount: 2 });
    expect(feed(d, [pay({ from: smurf, to: addr(1), usd: '2850', at: t0 }), pay({ from: smurf, to: addr(2), usd: '2900', at: t0 + 1 })])).toHaveLength(1);
    expect(feed(new StructuringDetector({ prices: testPrices, thresholdUsd: '3000', marginPct: 5, minCount: 2 }), [pay({ from: smurf, to: addr(1), usd: '2849.99', at: t0 }), pay({ from: smurf, to: addr(2), usd: '2900', at: t0 + 1 })])).toEqual([]);
  });

  describe('exempt wallet classes', () => {
    const hot = addr('hot');
    const wallets = new WalletBook({ classes: { [hot]: 'hot', [collector]: 'customer' } });
    const classified = (exemptClasses?: string[]) => new StructuringDetector({ prices: testPrices, wallets, ...(exemptClasses === undefined ? {} : { exemptClasses }) });

    it('a hot wallet paying near-threshold withdrawals is not reported; with no class exempt it is', () => {
      const withdrawals = [1, 2, 3].map((i) => pay({ from: hot, to: addr(i), usd: '9500', at: t0 + i }));
      expect(feed(classified(), withdrawals)).toEqual([]);
      expect(feed(classified([]), withdrawals).map((f) => f.entity)).toEqual([hot]);
    });

    it('a hot wallet taking near-threshold sweeps from several addresses is not reported; a customer wallet is', () => {
      const sweeps = (to: string) => [1, 2, 3].map((i) => pay({ from: addr(`deposit-${i}`), to, usd: '9800', at: t0 + i }));
      expect(feed(classified(), sweeps(hot))).toEqual([]);
      expect(feed(classified(), sweeps(collector)).map((f) => [f.entity, f.metadata.role])).toEqual([[collector, 'receiver']]);
    });

    it("an exempt wallet's counterparties are still watched", () => {
      const split = [1, 2, 3].map((i) => pay({ from: smurf, to: hot, usd: '9500', at: t0 + i }));
      expect(feed(classified(), split).map((f) => [f.entity, f.metadata.role])).toEqual([[smurf, 'sender']]);
    });

    it('an exempt wallet keeps no state of its own; its counterparties do', () => {
      const d = classified();
      feed(d, [1, 2, 3].map((i) => pay({ from: hot, to: addr(i), usd: '9500', at: t0 + i })));
      expect(d.stateSize()).toBe(3);
    });
  });
});
