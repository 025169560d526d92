import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../core/transaction.js';
import { FanOutFanInDetector } from './fan-out-fan-in.js';
import { addr, btc, eth, hour, minute, t0, transfer, utxo } from './test-builder.js';
import { WalletBook } from './wallet-book.js';

const source = addr('source');
const sink = addr('sink');
const send = (input: { from: string; to: string; at: number }) => transfer({ ...input, amount: eth('1') });
const run = (d: FanOutFanInDetector, txs: Transaction[]) => txs.flatMap((tx) => d.observe(tx));

describe('fan-out-fan-in', () => {
  it('twenty distinct recipients within an hour make one fan-out finding, on the twentieth', () => {
    const txs = Array.from({ length: 20 }, (_, i) => send({ from: source, to: addr(i + 1), at: t0 + i * minute }));
    const d = new FanOutFanInDetector();
    const found = txs.map((tx) => d.observe(tx));
    expect(found.slice(0, 19).flat()).toEqual([]);
    expect(found[19]).toHaveLength(1);
    expect(found[19]![0]).toMatchObject({
      alertId: 'VIGIL-FAN-OUT',
      detector: 'fan-out-fan-in',
      entity: source,
      severity: 'Medium',
      stage: 'laundering',
      at: t0 + 19 * minute,
      metadata: { direction: 'out', counterparties: '20', minCounterparties: '20', windowMs: String(hour) },
    });
    expect(found[19]![0]!.addresses).toHaveLength(21);
    expect(found[19]![0]!.txHashes).toEqual(txs.map((t) => t.hash));
  });

  it('nineteen recipients, or twenty payments to ten recipients, are not a fan-out', () => {
    expect(run(new FanOutFanInDetector(), Array.from({ length: 19 }, (_, i) => send({ from: source, to: addr(i + 1), at: t0 + i })))).toEqual([]);
    expect(run(new FanOutFanInDetector(), Array.from({ length: 40 }, (_, i) => send({ from: source, to: addr((i % 10) + 1), at: t0 + i })))).toEqual([]);
  });

  it('a recipient exactly an hour back still counts; a millisecond more and it has left the window', () => {
    const burst = (last: number) => [send({ from: source, to: addr(100), at: t0 }), ...Array.from({ length: 18 }, (_, i) => send({ from: source, to: addr(i + 1), at: t0 + 10 * minute + i })), send({ from: source, to: addr(99), at: t0 + last })];
    expect(run(new FanOutFanInDetector(), burst(hour))).toHaveLength(1);
    expect(run(new FanOutFanInDetector(), burst(hour + 1))).toEqual([]);
  });

  it('one finding per burst: two hundred recipients in an hour are one finding, and a burst still going an hour later is one more', () => {
    const txs = Array.from({ length: 300 }, (_, i) => send({ from: source, to: addr(i + 1), at: t0 + i * 18_000 }));
    const found = run(new FanOutFanInDetector(), txs);
    expect(found.map((f) => f.at)).toEqual([t0 + 19 * 18_000, t0 + 19 * 18_000 + hour]);
  });

  it('twenty distinct senders to one address make a fan-in finding about the receiver, with no attack stage', () => {
    const found = run(new FanOutFanInDetector(), Array.from({ length: 20 }, (_, i) => send({ from: addr(i + 1), to: sink, at: t0 + i })));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ alertId: 'VIGIL-FAN-IN', entity: sink, severity: 'Low', metadata: { direction: 'in' } });
    expect(found[0]?.stage).toBeUndefined();
  });

  it('an exchange hot wallet is exempt: paying out to many is its business', () => {
    const d = new FanOutFanInDetector({ wallets: new WalletBook({ classes: { [source]: 'hot' } }) });
    expect(run(d, Array.from({ length: 50 }, (_, i) => send({ from: source, to: addr(i + 1), at: t0 + i })))).toEqual([]);
    expect(d.stateSize()).toBeLessThanOrEqual(50);
  });

  it('one UTXO transaction with twenty-five outputs is a fan-out on its own', () => {
    const outputs = Array.from({ length: 25 }, (_, i) => [addr(i + 1), btc('0.1')] as const);
    const found = new FanOutFanInDetector().observe(utxo({ inputs: [[source, btc('3')]], outputs, at: t0 }));
    expect(found.map((f) => f.alertId)).toEqual(['VIGIL-FAN-OUT']);
  });

  it('a smaller threshold and window are honoured', () => {
    const d = new FanOutFanInDetector({ minCounterparties: 3, windowMs: 10 * minute });
    expect(run(d, [1, 2, 3].map((i) => send({ from: source, to: addr(i), at: t0 + i * minute })))).toHaveLength(1);
  });
});
