import { describe, expect, it } from 'vitest';
import type { UtxoTransaction } from '../../core/transaction.js';
import { looksLikeCoinJoin } from './coinjoin.js';

function utxo(inputs: readonly string[], outputs: readonly (readonly [string, bigint])[]): UtxoTransaction {
  return {
    kind: 'utxo',
    chain: 'bitcoin',
    hash: 'h',
    asset: 'BTC',
    decimals: 8,
    fee: 1_000n,
    block: 1,
    timestamp: 0,
    status: 'success',
    inputs: inputs.map((address) => ({ address, amount: 10_000_000n })),
    outputs: outputs.map(([address, amount]) => ({ address, amount })),
  };
}

describe('looksLikeCoinJoin', () => {
  it('recognises a Whirlpool-style mix: five inputs, five equal outputs', () => {
    expect(looksLikeCoinJoin(utxo(['i1', 'i2', 'i3', 'i4', 'i5'], ['o1', 'o2', 'o3', 'o4', 'o5'].map((o) => [o, 5_000_000n] as const)))).toBe(true);
  });

  it('recognises a JoinMarket-style mix: equal outputs beside differing change', () => {
    const outputs = [['o1', 2_000_000n], ['o2', 2_000_000n], ['o3', 2_000_000n], ['c1', 7_990_000n], ['c2', 123_456n]] as const;
    expect(looksLikeCoinJoin(utxo(['i1', 'i2', 'i3'], outputs))).toBe(true);
  });

  it('does not take an ordinary payment from several of one wallet’s addresses for one', () => {
    expect(looksLikeCoinJoin(utxo(['i1', 'i2', 'i3'], [['pay', 25_000_000n], ['change', 4_990_000n]]))).toBe(false);
  });

  it('does not take a batch payout from one wallet (many equal outputs, one input address) for one', () => {
    expect(looksLikeCoinJoin(utxo(['hot', 'hot'], ['a', 'b', 'c', 'd', 'e', 'f'].map((o) => [o, 1_000_000n] as const)))).toBe(false);
  });

  it('counts distinct input addresses, not inputs', () => {
    expect(looksLikeCoinJoin(utxo(['x', 'x', 'x', 'y'], ['a', 'b', 'c'].map((o) => [o, 1_000_000n] as const)))).toBe(false);
  });

  it('takes its participant threshold from the options', () => {
    const tx = utxo(['i1', 'i2', 'i3'], ['o1', 'o2', 'o3'].map((o) => [o, 1_000n] as const));
    expect(looksLikeCoinJoin(tx)).toBe(true);
    expect(looksLikeCoinJoin(tx, { minParticipants: 5 })).toBe(false);
  });
});
