import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../core/transaction.js';
import { DustPolicy } from './dust-policy.js';
import { DustingDetector } from './dusting.js';
import { addr, btc, eth, hour, minute, t0, testPrices, transfer, usdc, utxo } from './test-builder.js';

const duster = addr('duster');
const dust = new DustPolicy({ prices: testPrices, thresholds: { BTC: '0.00001' }, maxUsd: '1' });
const detector = (options: { minRecipients?: number; windowMs?: number } = {}) => new DustingDetector({ dust, ...options });
const run = (d: DustingDetector, txs: Transaction[]) => txs.flatMap((tx) => d.observe(tx));
const sprinkle = (count: number, amount = eth('0.0001'), step = minute) => Array.from({ length: count }, (_, i) => transfer({ from: duster, to: addr(i + 1), amount, at: t0 + i * step }));

describe('dusting', () => {
  it('dust to ten distinct addresses within an hour is a campaign, reported on the tenth', () => {
    const txs = sprinkle(10);
    const d = detector();
    const found = txs.map((tx) => d.observe(tx));
    expect(found.slice(0, 9).flat()).toEqual([]);
    expect(found[9]![0]).toMatchObject({
      alertId: 'VIGIL-DUSTING',
      detector: 'dusting',
      entity: duster,
      severity: 'Low',
      stage: 'preparation',
      txHashes: txs.map((t) => t.hash),
      metadata: { recipients: '10', minRecipients: '10', windowMs: String(hour), asset: 'ETH' },
    });
    expect(found[9]![0]!.addresses).toHaveLength(11);
  });

  it('nine recipients are not a campaign', () => {
    expect(run(detector(), sprinkle(9))).toEqual([]);
  });

  it('zero-value transfers are not dust here: every contract call carries value 0', () => {
    expect(run(detector(), sprinkle(30, 0n))).toEqual([]);
  });

  it('exactly $1 is dust; a cent more is not', () => {
    expect(run(detector(), sprinkle(10, usdc('1')).map((t) => ({ ...t, asset: 'USDC', decimals: 6 })))).toHaveLength(1);
    expect(run(detector(), sprinkle(10, usdc('1.01')).map((t) => ({ ...t, asset: 'USDC', decimals: 6 })))).toEqual([]);
  });

  it('a recipient also paid real value is related, not a target', () => {
    const txs = [...sprinkle(9), transfer({ from: duster, to: addr(1), amount: eth('1'), at: t0 + 9 * minute }), transfer({ from: duster, to: addr(10), amount: eth('0.0001'), at: t0 + 10 * minute })];
    expect(run(detector(), txs)).toEqual([]);
  });

  it('the first recipient exactly an hour before the tenth still counts; a millisecond more and it does not', () => {
    // Ten recipients nine steps apart: 9 × 400 s is exactly an hour.
    expect(run(detector(), sprinkle(10, eth('0.0001'), 400_000))).toHaveLength(1);
    expect(run(detector(), sprinkle(10, eth('0.0001'), 400_001))).toEqual([]);
  });

  it('one finding per campaign burst', () => {
    expect(run(detector(), sprinkle(50, eth('0.0001'), 1000))).toHaveLength(1);
  });

  it('one UTXO transaction with many dust outputs is a campaign; the per-asset threshold applies', () => {
    const outputs = Array.from({ length: 12 }, (_, i) => [addr(i + 1), 546n] as const);
    expect(detector().observe(utxo({ inputs: [[duster, btc('0.01')]], outputs, at: t0 }))).toHaveLength(1);
    const bigger = Array.from({ length: 12 }, (_, i) => [addr(i + 1), 1001n] as const);
    expect(detector().observe(utxo({ inputs: [[duster, btc('0.01')]], outputs: bigger, at: t0 }))).toEqual([]);
  });

  it('an unpriced asset without a threshold cannot be judged and is passed over', () => {
    expect(run(detector(), sprinkle(20, 1n).map((t) => ({ ...t, asset: 'XYZ' })))).toEqual([]);
  });
});
