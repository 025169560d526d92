import { describe, expect, it } from 'vitest';
import { LargeTransferDetector } from './large-transfer.js';
import { addr, btc, eth, t0, testPrices, transfer, usdc, utxo } from './test-builder.js';
import { WalletBook } from './wallet-book.js';

const hot = addr('hot');
const cold = addr('cold');
const alice = addr('alice');
const bob = addr('bob');
const wallets = new WalletBook({ classes: { [hot]: 'hot', [cold]: 'cold' } });
const detector = (options: Partial<ConstructorParameters<typeof LargeTransferDetector>[0]> = {}) => new LargeTransferDetector({ prices: testPrices, wallets, ...options });

describe('large-transfer', () => {
  it('a transfer worth exactly the default $100,000 is reported; a cent less is not', () => {
    const d = detector();
    expect(d.observe(transfer({ from: alice, to: bob, amount: usdc('99999.99'), asset: 'USDC', at: t0 }))).toEqual([]);
    const [f] = d.observe(transfer({ from: alice, to: bob, amount: usdc('100000'), asset: 'USDC', at: t0 }));
    expect(f).toMatchObject({ alertId: 'VIGIL-LARGE-TRANSFER', detector: 'large-transfer', entity: alice, metadata: { usdValue: '100000.00', thresholdUsd: '100000.00', rule: 'default' } });
  });

  it('a large transfer between strangers is a low-severity note with the amount in words a person reads', () => {
    const tx = transfer({ from: alice, to: bob, amount: eth('40'), at: t0 + 5 });
    const [f] = detector().observe(tx);
    expect(f).toMatchObject({ severity: 'Low', type: 'Info', addresses: [alice, bob], txHashes: [tx.hash], at: t0 + 5, metadata: { amount: '40', asset: 'ETH', usdValue: '120000.00' } });
    expect(f?.stage).toBeUndefined();
    expect(f?.description).toContain('40 ETH ($120,000.00)');
  });

  it('a hot wallet has a raised threshold: $240,000 out of it is business as usual', () => {
    expect(detector().observe(transfer({ from: hot, to: bob, amount: eth('80'), at: t0 }))).toEqual([]);
  });

  it('a hot wallet sending past its threshold is a possible drain, at the exploitation stage', () => {
    const [f] = detector().observe(transfer({ from: hot, to: bob, amount: eth('100'), at: t0 }));
    expect(f).toMatchObject({ name: 'Large outflow from hot wallet', severity: 'High', type: 'Suspicious', stage: 'exploitation', metadata: { senderClass: 'hot', rule: 'class=hot', thresholdUsd: '250000.00' } });
  });

  it('ten times the threshold out of our own wallet is critical', () => {
    const [f] = detector().observe(transfer({ from: hot, to: bob, amount: usdc('2500000'), asset: 'USDC', at: t0 }));
    expect(f?.severity).toBe('Critical');
  });

  it('a cold wallet moving funds to a hot wallet is judged by the lower, cold threshold', () => {
    const [f] = detector().observe(transfer({ from: cold, to: hot, amount: usdc('10000'), asset: 'USDC', at: t0 }));
    expect(f).toMatchObject({ metadata: { rule: 'class=cold', thresholdUsd: '10000.00' }, severity: 'High' });
  });

  it('an asset rule raises the threshold for that asset only', () => {
    const d = detector({ rules: [{ asset: 'USDC', thresholdUsd: '1000000' }] });
    expect(d.observe(transfer({ from: alice, to: bob, amount: usdc('500000'), asset: 'USDC', at: t0 }))).toEqual([]);
    expect(d.observe(transfer({ from: alice, to: bob, amount: eth('40'), at: t0 }))).toHaveLength(1);
  });

  it('a rule for both the class and the asset wins over the class rule alone', () => {
    const d = detector({ rules: [{ walletClass: 'hot', thresholdUsd: '250000' }, { walletClass: 'hot', asset: 'usdc', thresholdUsd: '5000000' }] });
    expect(d.observe(transfer({ from: hot, to: bob, amount: usdc('1000000'), asset: 'USDC', at: t0 }))).toEqual([]);
    expect(d.observe(transfer({ from: hot, to: bob, amount: eth('100'), at: t0 }))[0]?.metadata.rule).toBe('class=hot');
  });

  it('an asset without a price is skipped, however large the amount', () => {
    expect(detector().observe(transfer({ from: alice, to: bob, amount: 10n ** 40n, asset: 'PEPE', at: t0 }))).toEqual([]);
  });

  it('a failed transaction moved nothing and is not reported', () => {
    expect(detector().observe(transfer({ from: alice, to: bob, amount: eth('1000'), at: t0, status: 'failed' }))).toEqual([]);
  });

  it('a UTXO transaction is valued without its change', () => {
    const tx = utxo({ inputs: [[alice, btc('10')]], outputs: [[bob, btc('1.5')], [alice, btc('8.5')]], at: t0 });
    const [f] = detector().observe(tx);
    expect(f).toMatchObject({ entity: alice, addresses: [alice, bob], metadata: { amount: '1.5', asset: 'BTC', usdValue: '150000.00' } });
    const small = utxo({ inputs: [[alice, btc('10')]], outputs: [[bob, btc('0.5')], [alice, btc('9.5')]], at: t0 });
    expect(detector().observe(small)).toEqual([]);
  });

  it('the same transactions give the same findings', () => {
    const txs = [transfer({ from: hot, to: bob, amount: eth('100'), at: t0, hash: '0x1' }), transfer({ from: alice, to: bob, amount: eth('40'), at: t0 + 1, hash: '0x2' })];
    const run = () => {
      const d = detector();
      return txs.flatMap((tx) => d.observe(tx));
    };
    expect(run()).toEqual(run());
    expect(detector().stateSize()).toBe(0);
  });
});
