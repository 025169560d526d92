import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountTransaction, Transaction, UtxoTransaction } from '../../core/transaction.js';
import { WalletGraph } from './wallet-graph.js';

let clock = 0;

function pay(from: string, to: string, overrides: Partial<AccountTransaction> = {}): AccountTransaction {
  clock += 1_000;
  return {
    kind: 'account',
    chain: 'ethereum',
    hash: `0x${clock}`,
    asset: 'ETH',
    decimals: 18,
    fee: 1n,
    block: clock,
    timestamp: clock,
    status: 'success',
    from,
    to,
    amount: 10n ** 18n,
    nonce: null,
    tokenContract: null,
    logs: [],
    ...overrides,
  };
}

function spend(inputs: readonly string[], outputs: readonly (readonly [string, bigint])[]): UtxoTransaction {
  clock += 1_000;
  return {
    kind: 'utxo',
    chain: 'bitcoin',
    hash: `b${clock}`,
    asset: 'BTC',
    decimals: 8,
    fee: 1_000n,
    block: clock,
    timestamp: clock,
    status: 'success',
    inputs: inputs.map((address) => ({ address, amount: 10_000_000n })),
    outputs: outputs.map(([address, amount]) => ({ address, amount })),
  };
}

function observeAll(graph: WalletGraph, txs: readonly Transaction[]): void {
  for (const tx of txs) graph.observe(tx);
}

describe('WalletGraph clustering', () => {
  it('puts every input address of a UTXO transaction in one cluster, across transactions', () => {
    const graph = new WalletGraph();
    observeAll(graph, [spend(['a', 'b'], [['shop', 15_000_000n]]), spend(['b', 'c'], [['shop2', 1_000n]]), spend(['d'], [['a', 5n]])]);
    expect([...graph.clusters.members('c')].sort()).toEqual(['a', 'b', 'c']);
    expect(graph.clusters.same('a', 'shop')).toBe(false);
    expect(graph.clusters.same('a', 'd')).toBe(false);
  });

  it('keeps the inputs of a consolidation back to one of them as clustered nodes', () => {
    const graph = new WalletGraph();
    graph.observe(spend(['a', 'b', 'c'], [['a', 29_000_000n]]));
    expect(graph.clusters.size('b')).toBe(3);
    expect(['a', 'b', 'c'].every((x) => graph.graph.has(x))).toBe(true);
  });

  it('does not merge the participants of a CoinJoin', () => {
    const graph = new WalletGraph();
    const mix = spend(['p1', 'p2', 'p3', 'p4', 'p5'], ['m1', 'm2', 'm3', 'm4', 'm5'].map((m) => [m, 5_000_000n] as const));
    const { links } = graph.observe(mix);
    expect(links).toEqual([]);
    for (const p of ['p2', 'p3', 'p4', 'p5']) expect(graph.clusters.same('p1', p)).toBe(false);
    expect(graph.graph.degree('m1')).toBe(5);
  });

  it('shares a UTXO output among the inputs in proportion to what they put in, change left out', () => {
    const graph = new WalletGraph();
    const tx: UtxoTransaction = { ...spend(['a', 'b'], []), inputs: [{ address: 'a', amount: 300n }, { address: 'b', amount: 100n }], outputs: [{ address: 'pay', amount: 200n }, { address: 'a', amount: 190n }] };
    graph.observe(tx);
    expect(graph.graph.edges('a').get('pay')?.flows).toEqual([{ asset: 'bitcoin:BTC', sent: 150n, received: 0n }]);
    expect(graph.graph.edges('b').get('pay')?.flows).toEqual([{ asset: 'bitcoin:BTC', sent: 50n, received: 0n }]);
    expect(graph.graph.edges('a').has('a')).toBe(false);
  });

  it('links a fresh address to the sender of its first native transfer, but not from a service, by token, or past the funder cap', () => {
    const graph = new WalletGraph({ services: ['0xBRIDGE'], maxFundedPerFunder: 2 });
    observeAll(graph, [
      pay('0xfunder', '0xfresh1'),
      pay('0xbridge', '0xfresh2'),
      pay('0xfunder', '0xfresh3', { tokenContract: '0xtoken', asset: 'USDC' }),
      pay('0xfunder', '0xfresh4'),
      pay('0xfunder', '0xfresh5'),
      pay('0xfunder', '0xfresh1'),
    ]);
    expect(graph.clusters.same('0xfunder', '0xfresh1')).toBe(true);
    expect(graph.clusters.same('0xbridge', '0xfresh2')).toBe(false);
    expect(graph.clusters.same('0xfunder', '0xfresh3')).toBe(false);
    expect(graph.clusters.same('0xfunder', '0xfresh4')).toBe(true);
    expect(graph.clusters.same('0xfunder', '0xfresh5')).toBe(false);
  });

  it('links no funding source when turned off', () => {
    const graph = new WalletGraph({ fundingSource: false });
    graph.observe(pay('0xfunder', '0xfresh'));
    expect(graph.clusters.same('0xfunder', '0xfresh')).toBe(false);
  });

  it('links the addresses that pay into one exchange deposit address, and not the deposit address itself', () => {
    const graph = new WalletGraph({ exchangeHotWallets: ['0xhot'], fundingSource: false });
    observeAll(graph, [pay('0xu1', '0xdep'), pay('0xu2', '0xdep'), pay('0xdep', '0xhot'), pay('0xu3', '0xdep')]);
    expect(graph.clusters.same('0xu1', '0xu2')).toBe(true);
    expect(graph.clusters.same('0xu1', '0xu3')).toBe(true);
    expect(graph.clusters.same('0xu1', '0xdep')).toBe(false);
    expect(graph.clusters.same('0xdep', '0xhot')).toBe(false);
  });

  it('does not take a wallet that also pays others for a deposit address', () => {
    const graph = new WalletGraph({ exchangeHotWallets: ['0xhot'], fundingSource: false });
    observeAll(graph, [pay('0xu1', '0xwallet'), pay('0xwallet', '0xfriend'), pay('0xu2', '0xwallet'), pay('0xwallet', '0xhot'), pay('0xu3', '0xwallet')]);
    expect(graph.clusters.same('0xu1', '0xu2')).toBe(false);
    expect(graph.clusters.same('0xu1', '0xu3')).toBe(false);
  });

  it('links deposit addresses sweeping into one hot wallet only when configured', () => {
    const txs = (): Transaction[] => [pay('0xu1', '0xd1'), pay('0xd1', '0xhot'), pay('0xu2', '0xd2'), pay('0xd2', '0xhot')];
    const plain = new WalletGraph({ exchangeHotWallets: ['0xhot'], fundingSource: false });
    observeAll(plain, txs());
    expect(plain.clusters.same('0xd1', '0xd2')).toBe(false);
    const linked = new WalletGraph({ exchangeHotWallets: ['0xhot'], fundingSource: false, linkDepositsBySweep: true });
    observeAll(linked, txs());
    expect(linked.clusters.same('0xd1', '0xd2')).toBe(true);
    expect(linked.clusters.same('0xu1', '0xu2')).toBe(false);
  });

  it('changes nothing for failed, pending or zero-value transactions', () => {
    const graph = new WalletGraph();
    observeAll(graph, [pay('0xa', '0xb', { status: 'failed' }), pay('0xa', '0xb', { status: 'pending' }), pay('0xa', '0xb', { amount: 0n })]);
    expect(graph.size()).toMatchObject({ nodes: 0, edges: 0, clusteredAddresses: 0 });
  });
});

describe('WalletGraph hop distance', () => {
  it('counts hops from a flagged cluster along a chain of transfers', () => {
    const graph = new WalletGraph({ flagged: ['0xF'], fundingSource: false });
    observeAll(graph, [pay('0xf', '0xa'), pay('0xa', '0xb'), pay('0xb', '0xc'), pay('0xc', '0xd')]);
    expect(graph.proximity('0xa')?.flow).toEqual([{ hops: 1, path: ['0xf', '0xa'] }]);
    expect(graph.proximity('0xc')?.flow).toEqual([{ hops: 3, path: ['0xf', '0xa', '0xb', '0xc'] }]);
    expect(graph.proximity('0xd')).toBeUndefined();
    expect(graph.hopDistance('0xc')).toEqual({ hops: 3, path: ['0xf', '0xa', '0xb', '0xc'] });
    expect(graph.hopDistance('0xd')).toBeUndefined();
    expect(graph.hopDistance('0xd', { maxHops: 4 })?.hops).toBe(4);
  });

  it('counts a same-owner step as no hop', () => {
    const graph = new WalletGraph({ flagged: ['f'] });
    observeAll(graph, [spend(['f'], [['x1', 5n]]), spend(['x1', 'x2'], [['y', 5n]]), spend(['y'], [['z', 5n]])]);
    // f → x1, x1 and x2 one owner, x2 → y: y is two hops from f, through x1 and x2.
    expect(graph.proximity('y')?.flow[0]?.hops).toBe(2);
    expect(graph.proximity('x2')?.flow[0]?.hops).toBe(1);
    expect(graph.hopDistance('z')?.hops).toBe(3);
  });

  it('makes a whole cluster flagged, and spreads when a union brings a flagged cluster closer', () => {
    const graph = new WalletGraph({ flagged: ['f'] });
    observeAll(graph, [spend(['a'], [['w', 5n]]), spend(['f', 'a'], [['elsewhere', 5n]])]);
    expect(graph.flaggedCluster('a')).toBe('f');
    expect(graph.proximity('w')?.flow).toEqual([{ hops: 1, path: ['f', 'a', 'w'] }]);
  });

  it('tells flow from mere connection', () => {
    const graph = new WalletGraph({ flagged: ['0xf'], fundingSource: false });
    observeAll(graph, [pay('0xw', '0xx'), pay('0xf', '0xx')]);
    expect(graph.proximity('0xw')?.near[0]?.hops).toBe(2);
    expect(graph.proximity('0xw')?.flow).toEqual([]);
    expect(graph.hopDistance('0xw', { direction: 'inbound' })).toBeUndefined();
    expect(graph.hopDistance('0xw', { direction: 'any' })?.hops).toBe(2);
  });

  it('does not pass proximity through a service or a hub, but reaches one', () => {
    const graph = new WalletGraph({ flagged: ['0xf'], exchangeHotWallets: ['0xexchange'], fundingSource: false, depositReuse: false });
    observeAll(graph, [pay('0xf', '0xexchange'), pay('0xexchange', '0xcustomer')]);
    expect(graph.proximity('0xexchange')?.flow[0]?.hops).toBe(1);
    expect(graph.proximity('0xcustomer')).toBeUndefined();
    expect(graph.hopDistance('0xcustomer')).toBeUndefined();

    const hubbed = new WalletGraph({ flagged: ['0xf'], hubDegree: 3, fundingSource: false });
    observeAll(hubbed, [pay('0xf', '0xhub'), pay('0xhub', '0xa'), pay('0xhub', '0xb'), pay('0xhub', '0xc')]);
    expect(hubbed.proximity('0xc')).toBeUndefined();
  });

  it('lets a flagged hub reach its own counterparties', () => {
    const graph = new WalletGraph({ flagged: ['0xf'], hubDegree: 2, fundingSource: false });
    observeAll(graph, [pay('0xf', '0xa'), pay('0xf', '0xb'), pay('0xf', '0xc')]);
    expect(graph.proximity('0xc')?.flow[0]?.hops).toBe(1);
  });

  it('keeps labels equal to a fresh breadth-first search, each a real path, whatever the order of transfers and unions', () => {
    const address = fc.integer({ min: 0, max: 14 }).map((n) => `n${n}`);
    const event = fc.oneof(
      fc.record({ kind: fc.constant('pay' as const), from: address, to: address }),
      fc.record({ kind: fc.constant('spend' as const), a: address, b: address, to: address }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.uniqueArray(address, { minLength: 1, maxLength: 2 }), (events, flagged) => {
        const graph = new WalletGraph({ flagged, fundingSource: false, maxHops: 3 });
        for (const e of events) {
          if (e.kind === 'pay') graph.observe(pay(e.from, e.to));
          else graph.observe(spend([e.a, e.b], [[e.to, 5n]]));
        }
        for (let n = 0; n < 15; n += 1) {
          const a = `n${n}`;
          const label = graph.proximity(a);
          expect(label?.near[0]?.hops).toBe(graph.hopDistance(a)?.hops);
          expect(label?.flow[0]?.hops).toBe(graph.hopDistance(a, { direction: 'inbound' })?.hops);
          const reaches = [...(label?.near ?? []).map((r) => ['near', r] as const), ...(label?.flow ?? []).map((r) => ['flow', r] as const)];
          for (const [kind, reach] of reaches) {
            // A real path: from a flagged cluster, each step a same-owner step or a transfer (in the money's direction for flow).
            const path = reach.path;
            expect(graph.flaggedCluster(path[0] ?? '')).toBeDefined();
            expect(graph.clusters.same(path[path.length - 1] ?? '', a)).toBe(true);
            let hops = 0;
            for (let i = 1; i < path.length; i += 1) {
              const [x, y] = [path[i - 1] ?? '', path[i] ?? ''];
              if (graph.clusters.same(x, y)) continue;
              hops += 1;
              const edge = graph.graph.edges(x).get(y);
              expect(edge).toBeDefined();
              if (kind === 'flow') expect(edge?.sent).toBeGreaterThan(0);
            }
            expect(hops).toBe(reach.hops);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
