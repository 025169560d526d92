import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../core/transaction.js';
import { PassThroughDetector } from './pass-through.js';
import { addr, btc, eth, minute, t0, testPrices, transfer, utxo } from './test-builder.js';
import { WalletBook } from './wallet-book.js';

const mule = addr('mule');
const payer = addr('payer');
const dest = addr('dest');
const detector = (options: Partial<ConstructorParameters<typeof PassThroughDetector>[0]> = {}) => new PassThroughDetector({ prices: testPrices, ...options });
const run = (d: PassThroughDetector, txs: Transaction[]) => txs.flatMap((tx) => d.observe(tx));
const through = (input: { inflow: string; outflow: string; after: number }) => [
  transfer({ from: payer, to: mule, amount: eth(input.inflow), at: t0 }),
  transfer({ from: mule, to: dest, amount: eth(input.outflow), at: t0 + input.after }),
];

describe('pass-through', () => {
  it('10 ETH in and 9.5 ETH out twenty minutes later is a pass-through, reported on the outflow', () => {
    const txs = through({ inflow: '10', outflow: '9.5', after: 20 * minute });
    const d = detector();
    expect(d.observe(txs[0]!)).toEqual([]);
    const [f] = d.observe(txs[1]!);
    expect(f).toMatchObject({
      alertId: 'VIGIL-PASS-THROUGH',
      detector: 'pass-through',
      entity: mule,
      severity: 'Medium',
      stage: 'laundering',
      addresses: [mule, payer, dest],
      txHashes: txs.map((t) => t.hash),
      at: t0 + 20 * minute,
      metadata: { asset: 'ETH', inflow: '10', outflow: '9.5', forwardedPct: '95.0', forwardPct: '90', inflowUsd: '30000.00' },
    });
    expect(f?.description).toContain('received 10 ETH ($30,000.00) and forwarded 9.5 ETH (95.0%) within 20 min, leaving 0.5 ETH');
    // The mule's episode is closed; what is left is the destination's own inflow.
    expect(d.stateSize()).toBe(1);
  });

  it('exactly 90% forwarded is enough; a little less is not', () => {
    expect(run(detector(), through({ inflow: '10', outflow: '9', after: minute }))).toHaveLength(1);
    expect(run(detector(), through({ inflow: '10', outflow: '8.99', after: minute }))).toEqual([]);
  });

  it('an outflow exactly 30 minutes after the inflow counts; a millisecond later it does not', () => {
    expect(run(detector(), through({ inflow: '10', outflow: '10', after: 30 * minute }))).toHaveLength(1);
    expect(run(detector(), through({ inflow: '10', outflow: '10', after: 30 * minute + 1 }))).toEqual([]);
  });

  it('several inflows and outflows add up within the window', () => {
    const txs = [
      transfer({ from: payer, to: mule, amount: eth('4'), at: t0 }),
      transfer({ from: addr(9), to: mule, amount: eth('6'), at: t0 + minute }),
      transfer({ from: mule, to: dest, amount: eth('5'), at: t0 + 2 * minute }),
      transfer({ from: mule, to: addr(8), amount: eth('4.5'), at: t0 + 3 * minute }),
    ];
    const found = run(detector(), txs);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ at: t0 + 3 * minute, metadata: { inflow: '10', outflow: '9.5' } });
  });

  it('spending far more than came in used an older balance and is not a pass-through', () => {
    expect(run(detector(), through({ inflow: '10', outflow: '50', after: minute }))).toEqual([]);
  });

  it('an inflow worth less than $1,000 is not reported', () => {
    expect(run(detector(), through({ inflow: '0.3', outflow: '0.3', after: minute }))).toEqual([]);
  });

  it('unpriced assets are skipped unless the USD floor is zero', () => {
    const txs = [transfer({ from: payer, to: mule, amount: 1000n, asset: 'XYZ', decimals: 0, at: t0 }), transfer({ from: mule, to: dest, amount: 950n, asset: 'XYZ', decimals: 0, at: t0 + minute })];
    expect(run(detector(), txs)).toEqual([]);
    expect(run(detector({ minInflowUsd: '0' }), txs)).toHaveLength(1);
  });

  it('an exchange hot wallet is exempt', () => {
    const d = detector({ wallets: new WalletBook({ classes: { [mule]: 'hot' } }) });
    expect(run(d, through({ inflow: '10', outflow: '10', after: minute }))).toEqual([]);
  });

  it('one finding per episode: outflows after the finding start nothing new', () => {
    const txs = [...through({ inflow: '10', outflow: '9.5', after: minute }), transfer({ from: mule, to: dest, amount: eth('0.5'), at: t0 + 2 * minute })];
    expect(run(detector(), txs)).toHaveLength(1);
  });

  it('a UTXO address received and spent whole, change to a fresh address, is a pass-through', () => {
    const txs = [
      utxo({ inputs: [[payer, btc('2')]], outputs: [[mule, btc('1')], [payer, btc('0.9999')]], at: t0 }),
      utxo({ inputs: [[mule, btc('1')]], outputs: [[dest, btc('0.95')], [addr('change'), btc('0.0499')]], at: t0 + 10 * minute }),
    ];
    const found = run(detector(), txs);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ entity: mule, metadata: { asset: 'BTC', inflow: '1', outflow: '1', forwardedPct: '100.0' } });
  });
});
