import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../key-index.js';
import { BoundedMap } from '../typologies/bounded-map.js';
import { CounterpartyGraph } from './counterparty-graph.js';

const day = 86_400_000;

describe('CounterpartyGraph', () => {
  it('records a transfer on both ends, with counts, amounts per asset and first and last seen', () => {
    const graph = new CounterpartyGraph();
    graph.record({ from: 'a', to: 'b', asset: 'ethereum:ETH', amount: 5n, at: 10 });
    graph.record({ from: 'a', to: 'b', asset: 'ethereum:USDC', amount: 7n, at: 20 });
    graph.record({ from: 'b', to: 'a', asset: 'ethereum:ETH', amount: 2n, at: 30 });
    const edge = graph.edges('a').get('b');
    expect(edge).toMatchObject({ sent: 2, received: 1, firstSeen: 10, lastSeen: 30 });
    expect(edge?.flows).toEqual([
      { asset: 'ethereum:ETH', sent: 5n, received: 2n },
      { asset: 'ethereum:USDC', sent: 7n, received: 0n },
    ]);
    expect(graph.edges('b').get('a')?.sent).toBe(1);
    expect(graph.node('a')).toMatchObject({ firstSeen: 10, lastSeen: 30 });
    expect(graph.edgeCount).toBe(2);
  });

  it('ignores a transfer to oneself', () => {
    const graph = new CounterpartyGraph();
    graph.record({ from: 'a', to: 'a', asset: 'x', amount: 1n, at: 0 });
    expect(graph.size).toBe(0);
  });

  it('forgets the least recently seen counterparty of a node past its edge cap, on that side only', () => {
    const graph = new CounterpartyGraph({ maxEdgesPerNode: 3 });
    for (const [i, to] of ['b', 'c', 'd'].entries()) graph.record({ from: 'hub', to, asset: 'x', amount: 1n, at: i });
    graph.record({ from: 'hub', to: 'b', asset: 'x', amount: 1n, at: 3 });
    graph.record({ from: 'hub', to: 'e', asset: 'x', amount: 1n, at: 4 });
    expect([...graph.edges('hub').keys()]).toEqual(['d', 'b', 'e']);
    expect(graph.edges('c').has('hub')).toBe(true);
    expect(graph.edgeCount).toBe(3 + 4);
  });

  it('evicts the least recently seen node past maxNodes, with the edges that point at it', () => {
    const evicted: string[] = [];
    const graph = new CounterpartyGraph({ maxNodes: 3, onEvict: (a) => evicted.push(a) });
    graph.record({ from: 'a', to: 'b', asset: 'x', amount: 1n, at: 0 });
    graph.record({ from: 'c', to: 'b', asset: 'x', amount: 1n, at: 1 });
    graph.record({ from: 'd', to: 'b', asset: 'x', amount: 1n, at: 2 });
    expect(evicted).toEqual(['a']);
    expect(graph.has('a')).toBe(false);
    expect(graph.edges('b').has('a')).toBe(false);
    expect(graph.size).toBe(3);
    expect(graph.edgeCount).toBe(4);
  });

  it('evicts nodes not seen within the TTL, in event time, but never a pinned one', () => {
    const graph = new CounterpartyGraph({ ttlMs: day });
    graph.pin('watched');
    graph.record({ from: 'old', to: 'watched', asset: 'x', amount: 1n, at: 0 });
    graph.record({ from: 'new', to: 'other', asset: 'x', amount: 1n, at: 2 * day });
    expect(graph.has('old')).toBe(false);
    expect(graph.has('watched')).toBe(true);
    expect(graph.degree('watched')).toBe(0);
  });

  it('stays within its edge budget by evicting nodes', () => {
    const graph = new CounterpartyGraph({ maxEdges: 100 });
    for (let i = 0; i < 1_000; i += 1) graph.record({ from: `s${i}`, to: `r${i}`, asset: 'x', amount: 1n, at: i });
    expect(graph.edgeCount).toBeLessThanOrEqual(100);
    expect(graph.size).toBeLessThanOrEqual(101);
  });

  it('shares address ids with other maps: holds one per node, and lets go of it when it evicts the node', () => {
    const keys = new KeyIndex<string>();
    const graph = new CounterpartyGraph({ maxNodes: 4, keys });
    const other = new BoundedMap<string, number>({ maxEntries: 100, ttlMs: Infinity, keys });
    other.set('0xa', 1, 0);
    for (let i = 0; i < 10; i += 1) graph.record({ from: '0xa', to: `0x${i}`, asset: 'ethereum:ETH', amount: 1n, at: i });
    // 0xa (in every transfer, so never the least recently seen) and the last three recipients.
    expect(graph.size).toBe(4);
    expect(keys.size).toBe(4);
    expect(keys.find('0x0')).toBe(-1);
    expect(keys.find('0x9')).not.toBe(-1);
    expect(other.get('0xa', 10)).toBe(1);
    expect(graph.edges('0x9').get('0xa')?.received).toBe(1);
  });
});
