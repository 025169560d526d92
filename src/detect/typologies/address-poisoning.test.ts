import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../core/transaction.js';
import { type AddressPoisoningOptions, AddressPoisoningDetector } from './address-poisoning.js';
import { DustPolicy } from './dust-policy.js';
import { addr, eth, hour, lookAlike, t0, testPrices, transfer, usdc } from './test-builder.js';
import { WalletBook } from './wallet-book.js';

const wallet = addr('treasury');
const friend = lookAlike({ head: 'a1b2', tail: 'c3d4', fill: '5' });
const poisoner = lookAlike({ head: 'a1b2', tail: 'c3d4', fill: 'e' });
const detector = (options: Partial<AddressPoisoningOptions> = {}) =>
  new AddressPoisoningDetector({ wallets: new WalletBook({ watched: [wallet] }), dust: new DustPolicy({ prices: testPrices }), ...options });
const run = (d: AddressPoisoningDetector, txs: Transaction[]) => txs.flatMap((tx) => d.observe(tx));
const realPayment = transfer({ from: wallet, to: friend, amount: usdc('25000'), asset: 'USDC', at: t0 });

describe('address-poisoning', () => {
  it('a zero-value transfer to a watched wallet from a look-alike of its real counterparty is poisoning', () => {
    const bait = transfer({ from: poisoner, to: wallet, amount: 0n, asset: 'USDC', at: t0 + hour });
    const found = run(detector(), [realPayment, bait]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      alertId: 'VIGIL-ADDRESS-POISONING',
      detector: 'address-poisoning',
      entity: poisoner,
      addresses: [poisoner, wallet, friend],
      severity: 'Medium',
      type: 'Scam',
      stage: 'preparation',
      txHashes: [bait.hash],
      metadata: { wallet, lookAlike: poisoner, imitates: friend, variant: 'zero-value transfer', amount: '0', asset: 'USDC', prefixChars: '4', suffixChars: '4' },
    });
  });

  it('a dust transfer from the look-alike is poisoning too', () => {
    const found = run(detector(), [realPayment, transfer({ from: poisoner, to: wallet, amount: eth('0.0001'), at: t0 + 1 })]);
    expect(found[0]?.metadata.variant).toBe('dust transfer');
  });

  it('a zero-value transfer spoofed as sent by the wallet to the look-alike is poisoning', () => {
    const found = run(detector(), [realPayment, transfer({ from: wallet, to: poisoner, amount: 0n, asset: 'USDC', at: t0 + 1 })]);
    expect(found[0]).toMatchObject({ entity: poisoner, metadata: { variant: 'zero-value transfer from the wallet' } });
  });

  it('without a real relationship first, a look-alike has nothing to imitate', () => {
    expect(run(detector(), [transfer({ from: poisoner, to: wallet, amount: 0n, at: t0 })])).toEqual([]);
  });

  it('the same start but a different end is not a look-alike, nor is the counterparty itself', () => {
    const other = lookAlike({ head: 'a1b2', tail: 'ffff', fill: 'e' });
    expect(run(detector(), [realPayment, transfer({ from: other, to: wallet, amount: 0n, at: t0 + 1 }), transfer({ from: friend, to: wallet, amount: 0n, at: t0 + 2 })])).toEqual([]);
  });

  it('real value from a look-alike is not bait', () => {
    expect(run(detector(), [realPayment, transfer({ from: poisoner, to: wallet, amount: eth('2'), at: t0 + 1 })])).toEqual([]);
  });

  it('a dust payment does not make a counterparty to imitate', () => {
    const dusty = transfer({ from: wallet, to: friend, amount: usdc('0.5'), asset: 'USDC', at: t0 });
    expect(run(detector(), [dusty, transfer({ from: poisoner, to: wallet, amount: 0n, at: t0 + 1 })])).toEqual([]);
  });

  it('an unwatched wallet is not protected', () => {
    const stranger = addr('stranger');
    const txs = [transfer({ from: stranger, to: friend, amount: eth('5'), at: t0 }), transfer({ from: poisoner, to: stranger, amount: 0n, at: t0 + 1 })];
    expect(run(detector(), txs)).toEqual([]);
  });

  it('the wallet then paying the look-alike is the loss: critical, at the exploitation stage', () => {
    const bait = transfer({ from: poisoner, to: wallet, amount: 0n, asset: 'USDC', at: t0 + 1 });
    const loss = transfer({ from: wallet, to: poisoner, amount: usdc('25000'), asset: 'USDC', at: t0 + 2 * hour });
    const found = run(detector(), [realPayment, bait, loss]);
    expect(found.map((f) => f.alertId)).toEqual(['VIGIL-ADDRESS-POISONING', 'VIGIL-POISONED-ADDRESS-USED']);
    expect(found[1]).toMatchObject({ entity: poisoner, severity: 'Critical', stage: 'exploitation', txHashes: [bait.hash, loss.hash], metadata: { knownPoisoner: 'true', amount: '25000' } });
  });

  it('paying a new address that looks like a counterparty is reported even when the bait was missed', () => {
    const found = run(detector(), [realPayment, transfer({ from: wallet, to: poisoner, amount: usdc('100'), asset: 'USDC', at: t0 + 1 })]);
    expect(found[0]).toMatchObject({ alertId: 'VIGIL-POISONED-ADDRESS-USED', metadata: { knownPoisoner: 'false' } });
  });

  it('the number of characters compared is configurable', () => {
    const near = lookAlike({ head: 'a1b', tail: '9c3d4', fill: 'e' });
    expect(run(detector(), [realPayment, transfer({ from: near, to: wallet, amount: 0n, at: t0 + 1 })])).toEqual([]);
    expect(run(detector({ prefixChars: 3 }), [realPayment, transfer({ from: near, to: wallet, amount: 0n, at: t0 + 1 })])).toHaveLength(1);
  });

  it('remembers every real counterparty that shares a look-alike key, up to eight, the oldest forgotten first', () => {
    const sharing = ['5', '6', '7', '8', '9', '0', '1', '2', '3'].map((fill) => lookAlike({ head: 'a1b2', tail: 'c3d4', fill }));
    // Real value received from each: real counterparties (paying a new one would be reported as a loss).
    const paid = (from: string, i: number) => transfer({ from, to: wallet, amount: usdc('100'), asset: 'USDC', at: t0 + i });
    const bait = (from: string, i: number) => transfer({ from, to: wallet, amount: 0n, asset: 'USDC', at: t0 + hour + i });
    const two = detector();
    run(two, [paid(sharing[0]!, 0), paid(sharing[1]!, 1)]);
    // Both are real: neither is bait; a stranger with the key imitates the first.
    expect(run(two, [bait(sharing[1]!, 0), bait(sharing[0]!, 1)])).toEqual([]);
    expect(run(two, [bait(poisoner, 2)]).map((f) => f.metadata.imitates)).toEqual([sharing[0]]);
    const nine = detector();
    run(nine, sharing.map((a, i) => paid(a, i)));
    // The ninth pushed the first out: it now looks like a look-alike of the second.
    expect(run(nine, [bait(sharing[8]!, 0)])).toEqual([]);
    expect(run(nine, [bait(sharing[0]!, 1)]).map((f) => f.metadata.imitates)).toEqual([sharing[1]]);
  });

  it('memory per watched wallet is capped', () => {
    const d = detector({ maxCounterparties: 100 });
    for (let i = 0; i < 5_000; i += 1) d.observe(transfer({ from: addr(i + 1), to: wallet, amount: eth('1'), at: t0 + i }));
    expect(d.stateSize()).toBeLessThanOrEqual(100);
  });
});
