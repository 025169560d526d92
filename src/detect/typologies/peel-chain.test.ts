import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../core/transaction.js';
import { PeelChainDetector } from './peel-chain.js';
import { addr, btc, day, eth, minute, t0, transfer, utxo } from './test-builder.js';

const [a, b, c, d, e, f] = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => addr(`hop-${n}`)) as [string, string, string, string, string, string];
const peel = (i: number) => addr(`peel-${i}`);
const run = (detector: PeelChainDetector, txs: Transaction[]) => txs.flatMap((tx) => detector.observe(tx));

/** A UTXO hop: spend everything at `from`, peel `p` to a fresh address, the rest to `to`. */
const hop = (input: { from: string; amount: string; p: string; to: string; rest: string; at: number; i: number }) =>
  utxo({ inputs: [[input.from, btc(input.amount)]], outputs: [[peel(input.i), btc(input.p)], [input.to, btc(input.rest)]], at: input.at });

const utxoChain = [
  hop({ from: a, amount: '10', p: '0.5', to: b, rest: '9.49', at: t0, i: 1 }),
  hop({ from: b, amount: '9.49', p: '0.5', to: c, rest: '8.98', at: t0 + 10 * minute, i: 2 }),
  hop({ from: c, amount: '8.98', p: '0.4', to: d, rest: '8.57', at: t0 + 20 * minute, i: 3 }),
];

describe('peel-chain', () => {
  it('three UTXO hops that each peel off a little are one peel chain, reported about its first address', () => {
    const detector = new PeelChainDetector();
    const found = utxoChain.map((tx) => detector.observe(tx));
    expect(found[0]).toEqual([]);
    expect(found[1]).toEqual([]);
    expect(found[2]).toHaveLength(1);
    expect(found[2]![0]).toMatchObject({
      alertId: 'VIGIL-PEEL-CHAIN',
      detector: 'peel-chain',
      entity: a,
      severity: 'High',
      type: 'Suspicious',
      stage: 'laundering',
      addresses: [a, b, c, d, peel(1), peel(2), peel(3)],
      txHashes: utxoChain.map((t) => t.hash),
      at: t0 + 20 * minute,
      metadata: { hops: '3', asset: 'BTC', peeled: '1.4', head: d, model: 'utxo', minHops: '3', maxPeelPct: '10' },
    });
    expect(found[2]![0]!.description).toContain('1.4 BTC peeled off');
  });

  it('two hops are not a chain', () => {
    expect(run(new PeelChainDetector(), utxoChain.slice(0, 2))).toEqual([]);
  });

  it('a chain is reported once, however long it grows', () => {
    const longer = [...utxoChain, hop({ from: d, amount: '8.57', p: '0.3', to: e, rest: '8.26', at: t0 + 30 * minute, i: 4 }), hop({ from: e, amount: '8.26', p: '0.3', to: f, rest: '7.95', at: t0 + 40 * minute, i: 5 })];
    expect(run(new PeelChainDetector(), longer)).toHaveLength(1);
  });

  it('a peel of exactly 10% with 90% forwarded is a hop; a peel above 10% breaks the chain', () => {
    const exact = [hop({ from: a, amount: '10', p: '1', to: b, rest: '9', at: t0, i: 1 }), hop({ from: b, amount: '9', p: '0.9', to: c, rest: '8.1', at: t0 + 1, i: 2 }), hop({ from: c, amount: '8.1', p: '0.81', to: d, rest: '7.29', at: t0 + 2, i: 3 })];
    expect(run(new PeelChainDetector(), exact)).toHaveLength(1);
    const tooBig = [hop({ from: a, amount: '10', p: '1', to: b, rest: '9', at: t0, i: 1 }), hop({ from: b, amount: '9', p: '0.91', to: c, rest: '8.09', at: t0 + 1, i: 2 }), hop({ from: c, amount: '8.09', p: '0.5', to: d, rest: '7.59', at: t0 + 2, i: 3 })];
    expect(run(new PeelChainDetector(), tooBig)).toEqual([]);
  });

  it('change back to an input address is not a hop to a fresh address', () => {
    const back = [utxoChain[0]!, utxo({ inputs: [[b, btc('9.49')]], outputs: [[peel(2), btc('0.5')], [b, btc('8.98')]], at: t0 + 1 }), hop({ from: b, amount: '8.98', p: '0.4', to: d, rest: '8.57', at: t0 + 2, i: 3 })];
    expect(run(new PeelChainDetector(), back)).toEqual([]);
  });

  it('a transaction with three outputs is not a peel hop', () => {
    const three = utxo({ inputs: [[b, btc('9.49')]], outputs: [[peel(2), btc('0.3')], [peel(4), btc('0.2')], [c, btc('8.98')]], at: t0 + 1 });
    expect(run(new PeelChainDetector(), [utxoChain[0]!, three, utxoChain[2]!])).toEqual([]);
  });

  it('a hop more than a day after the previous one starts afresh', () => {
    const slow = [utxoChain[0]!, utxoChain[1]!, hop({ from: c, amount: '8.98', p: '0.4', to: d, rest: '8.57', at: t0 + 10 * minute + day + 1, i: 3 })];
    expect(run(new PeelChainDetector(), slow)).toEqual([]);
    const onTime = [utxoChain[0]!, utxoChain[1]!, hop({ from: c, amount: '8.98', p: '0.4', to: d, rest: '8.57', at: t0 + 10 * minute + day, i: 3 })];
    expect(run(new PeelChainDetector(), onTime)).toHaveLength(1);
  });

  it('an account chain: each hop receives, peels a little elsewhere, and forwards the rest, in either order', () => {
    const txs = [
      transfer({ from: addr('funder'), to: a, amount: eth('10'), at: t0 }),
      transfer({ from: a, to: peel(1), amount: eth('0.5'), at: t0 + minute }),
      transfer({ from: a, to: b, amount: eth('9.4'), at: t0 + 2 * minute }),
      transfer({ from: b, to: c, amount: eth('9'), at: t0 + 3 * minute }),
      transfer({ from: b, to: peel(2), amount: eth('0.3'), at: t0 + 4 * minute }),
      transfer({ from: c, to: peel(3), amount: eth('0.4'), at: t0 + 5 * minute }),
      transfer({ from: c, to: d, amount: eth('8.5'), at: t0 + 6 * minute }),
    ];
    const found = run(new PeelChainDetector(), txs);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ entity: a, at: t0 + 6 * minute, metadata: { hops: '3', peeled: '1.2', head: d, model: 'account', asset: 'ETH' } });
    expect(found[0]!.addresses).toEqual([a, b, c, d, peel(1), peel(2), peel(3)]);
  });

  it('forwarding without peeling is not a peel chain', () => {
    const txs = [
      transfer({ from: addr('funder'), to: a, amount: eth('10'), at: t0 }),
      transfer({ from: a, to: b, amount: eth('10'), at: t0 + 1 }),
      transfer({ from: b, to: c, amount: eth('10'), at: t0 + 2 }),
      transfer({ from: c, to: d, amount: eth('10'), at: t0 + 3 }),
    ];
    expect(run(new PeelChainDetector(), txs)).toEqual([]);
  });

  it('sending the remainder back to where it came from is not a hop', () => {
    const txs = [
      transfer({ from: addr('funder'), to: a, amount: eth('10'), at: t0 }),
      transfer({ from: a, to: peel(1), amount: eth('0.5'), at: t0 + 1 }),
      transfer({ from: a, to: addr('funder'), amount: eth('9.5'), at: t0 + 2 }),
    ];
    const detector = new PeelChainDetector({ minHops: 1 });
    expect(run(detector, txs)).toEqual([]);
  });

  it('a smaller minimum of hops is honoured', () => {
    expect(run(new PeelChainDetector({ minHops: 2 }), utxoChain.slice(0, 2))).toHaveLength(1);
  });
});
