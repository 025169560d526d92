import { describe, expect, it } from 'vitest';
import type { AccountTransaction, Transaction } from '../../core/transaction.js';
import { SeededRandom } from '../stats/seeded-random.js';
import { GraphProximityDetector } from './graph-proximity-detector.js';

const start = Date.parse('2026-02-01T00:00:00Z');
const hour = 3_600_000;

function pay(from: string, to: string, at: number): AccountTransaction {
  return {
    kind: 'account',
    chain: 'ethereum',
    hash: `0x${from.slice(2)}${to.slice(2)}${at}`,
    asset: 'ETH',
    decimals: 18,
    fee: 1n,
    block: at,
    timestamp: at,
    status: 'success',
    from,
    to,
    amount: 10n ** 18n,
    nonce: null,
    tokenContract: null,
    logs: [],
  };
}

/** A chain of `hops` transfers from `0xf` to `0xw`, in order. */
function chain(hops: number): AccountTransaction[] {
  const addresses = ['0xf', ...Array.from({ length: hops - 1 }, (_, i) => `0xm${i + 1}`), '0xw'];
  return addresses.slice(1).map((to, i) => pay(addresses[i] ?? '', to, start + i * hour));
}

function run(detector: GraphProximityDetector, txs: readonly Transaction[]): ReturnType<GraphProximityDetector['observe']> {
  return txs.flatMap((tx) => detector.observe(tx));
}

describe('GraphProximityDetector', () => {
  it('raises a laundering finding when funds from a flagged cluster reach a watched wallet in N hops, with the hops and the path', () => {
    const detector = new GraphProximityDetector({ flagged: ['0xF'], watched: ['0xW'], maxHops: 3, fundingSource: false });
    const txs = chain(3);
    const findings = run(detector, txs);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toEqual({
      name: 'Watched wallet near a flagged cluster',
      description: 'Funds from flagged 0xf reached watched wallet 0xw in 3 hops: 0xf → 0xm1 → 0xm2 → 0xw',
      alertId: 'VIGIL-GRAPH-PROXIMITY',
      severity: 'Low',
      type: 'Suspicious',
      metadata: { watched: '0xw', flaggedCluster: '0xf', hops: '3', maxHops: '3', path: '0xf,0xm1,0xm2,0xw', direction: 'funds-from-flagged', nearestHops: '3' },
      addresses: ['0xf', '0xw', '0xm1', '0xm2'],
      labels: [],
      detector: 'wallet-graph',
      entity: '0xf',
      stage: 'laundering',
      txHashes: [txs[2]?.hash],
      at: txs[2]?.timestamp,
    });
  });

  it('raises nothing at N + 1 hops', () => {
    const detector = new GraphProximityDetector({ flagged: ['0xf'], watched: ['0xw'], maxHops: 3, fundingSource: false });
    expect(run(detector, chain(4))).toEqual([]);
    expect(detector.walletGraph.hopDistance('0xw', { maxHops: 4 })?.hops).toBe(4);
  });

  it('raises a finding without a stage when the watched wallet is only connected, not paid', () => {
    const detector = new GraphProximityDetector({ flagged: ['0xf'], watched: ['0xw'], fundingSource: false });
    const findings = run(detector, [pay('0xw', '0xx', start), pay('0xf', '0xx', start + hour)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).not.toHaveProperty('stage');
    expect(findings[0]?.metadata).toMatchObject({ hops: '2', direction: 'connected', path: '0xf,0xx,0xw' });
    expect(findings[0]?.severity).toBe('Medium');
  });

  it('raises one finding per watched wallet and flagged cluster per cooldown', () => {
    const detector = new GraphProximityDetector({ flagged: ['0xf'], watched: ['0xw'], cooldownMs: 24 * hour, fundingSource: false });
    expect(run(detector, [pay('0xf', '0xw', start)])).toHaveLength(1);
    expect(run(detector, [pay('0xf', '0xw', start + hour), pay('0xw', '0xshop', start + 2 * hour)])).toEqual([]);
    const later = run(detector, [pay('0xf', '0xw', start + 25 * hour)]);
    expect(later).toHaveLength(1);
    expect(later[0]?.severity).toBe('High');
  });

  it('raises again for a second flagged cluster within the cooldown', () => {
    const detector = new GraphProximityDetector({ flagged: ['0xf', '0xg'], watched: ['0xw'], fundingSource: false });
    expect(run(detector, [pay('0xf', '0xw', start)])).toHaveLength(1);
    const second = run(detector, [pay('0xg', '0xa', start + hour), pay('0xa', '0xw', start + 2 * hour)]);
    expect(second.map((f) => f.entity)).toEqual(['0xg']);
  });

  it('names the flagged cluster by its smallest flagged address, whichever member the path starts from', () => {
    const detector = new GraphProximityDetector({ flagged: ['0xb-flag', '0xa-flag'], watched: ['0xw'], fundingSource: false });
    detector.walletGraph.clusters.union('0xa-flag', '0xb-flag');
    expect(detector.walletGraph.flaggedCluster('0xb-flag')).toBe('0xa-flag');
  });

  it('raises when an address is flagged after the money already moved', () => {
    const detector = new GraphProximityDetector({ watched: ['0xw'], fundingSource: false });
    expect(run(detector, chain(2))).toEqual([]);
    const findings = detector.flag('0xF', start + 10 * hour);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ entity: '0xf', stage: 'laundering', txHashes: [], at: start + 10 * hour, metadata: { hops: '2' } });
  });

  it('can key findings by the watched wallet instead', () => {
    const detector = new GraphProximityDetector({ flagged: ['0xf'], watched: ['0xw'], entity: 'watched-wallet', fundingSource: false });
    const [finding] = run(detector, [pay('0xf', '0xw', start)]);
    expect(finding?.entity).toBe('0xw');
    expect(finding?.addresses[0]).toBe('0xw');
  });

  it('gives the same findings for the same stream', () => {
    const stream = randomStream(3, 20_000, 2_000);
    const findings = (): unknown[] => {
      const detector = new GraphProximityDetector({ flagged: ['0xa0', '0xa1'], watched: ['0xa5', '0xa6', '0xa7', '0xa8'], fundingSource: true });
      return run(detector, stream);
    };
    const first = findings();
    expect(first.length).toBeGreaterThan(0);
    expect(findings()).toEqual(first);
  });

  it('holds bounded state through 200,000 distinct addresses', () => {
    const detector = new GraphProximityDetector({
      flagged: ['0xa0'],
      watched: ['0xa1'],
      maxNodes: 20_000,
      maxEdgesPerNode: 16,
      maxEdges: 100_000,
      ttlMs: 6 * hour,
    });
    const random = new SeededRandom(9);
    let at = start;
    let fresh = 0;
    for (let i = 0; i < 300_000; i += 1) {
      at += 100;
      // Half the transfers go to never-seen addresses, so 200,000 distinct addresses pass through.
      const to = i % 3 === 0 ? `0xn${(fresh += 1)}` : `0xa${random.int(5_000)}`;
      detector.observe(pay(`0xa${random.int(5_000)}`, to, at));
    }
    expect(fresh).toBe(100_000);
    const size = detector.walletGraph.size();
    expect(size.nodes).toBeLessThanOrEqual(20_000);
    expect(size.edges).toBeLessThanOrEqual(100_000);
    expect(size.clusteredAddresses).toBeLessThanOrEqual(25_000 + 2);
    expect(size.labelledClusters).toBeLessThanOrEqual(size.nodes);
    expect(detector.walletGraph.graph.isPinned('0xa0')).toBe(true);
  });
});

/** Random transfers among `addresses` addresses, in time order. */
function randomStream(seed: number, count: number, addresses: number): AccountTransaction[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => pay(`0xa${random.int(addresses)}`, `0xa${random.int(addresses)}`, start + i * 1_000));
}
