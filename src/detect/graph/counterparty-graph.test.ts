import fc from 'fast-check';
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

  it('keeps amounts exact past 64 and 128 bits, and refuses a negative one', () => {
    const graph = new CounterpartyGraph();
    const big = 2n ** 127n + 12_345n;
    for (const amount of [2n ** 64n - 1n, 1n, big, big, 2n ** 200n]) graph.record({ from: 'a', to: 'b', asset: 'x', amount, at: 0 });
    const total = 2n ** 64n + 2n * big + 2n ** 200n;
    expect(graph.edges('a').get('b')?.flows).toEqual([{ asset: 'x', sent: total, received: 0n }]);
    expect(graph.edges('b').get('a')?.flows).toEqual([{ asset: 'x', sent: 0n, received: total }]);
    expect(() => graph.record({ from: 'a', to: 'b', asset: 'x', amount: -1n, at: 1 })).toThrow(RangeError);
    // Refused before anything else, a transfer to oneself included.
    expect(() => graph.record({ from: 'a', to: 'a', asset: 'x', amount: -1n, at: 1 })).toThrow(RangeError);
  });

  it('keeps every edge amount as the arrays grow past their first block', () => {
    const graph = new CounterpartyGraph();
    const amount = (i: number) => 2n ** 64n + BigInt(i);
    for (let i = 0; i < 300; i += 1) graph.record({ from: `s${i}`, to: `r${i}`, asset: 'x', amount: amount(i), at: i });
    for (let i = 0; i < 300; i += 1) expect(graph.edges(`s${i}`).get(`r${i}`)?.flows).toEqual([{ asset: 'x', sent: amount(i), received: 0n }]);
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

  it('tells its eviction callback the address and its id, still held during the call', () => {
    const keys = new KeyIndex<string>();
    const told: [string, boolean][] = [];
    const graph = new CounterpartyGraph({
      maxNodes: 2,
      keys,
      onEvict: (address, id) => told.push([address, keys.key(id) === address && keys.find(address) === id]),
    });
    graph.record({ from: '0xa', to: '0xb', asset: 'x', amount: 1n, at: 0 });
    graph.record({ from: '0xc', to: '0xd', asset: 'x', amount: 1n, at: 1 });
    expect(told).toEqual([
      ['0xa', true],
      ['0xb', true],
    ]);
    expect(keys.find('0xa')).toBe(-1);
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

/** The graph as plain maps (insertion order for recency): what the typed-array records must answer like. */
class ModelGraph {
  readonly nodes = new Map<string, { firstSeen: number; lastSeen: number; edges: Map<string, ModelEdge>; funded: number | undefined }>();
  readonly pinned = new Set<string>();
  readonly evicted: string[] = [];
  edgeCount = 0;

  constructor(readonly caps: { readonly maxNodes: number; readonly maxEdgesPerNode: number; readonly maxEdges: number; readonly ttlMs: number }) {}

  /** The heuristics' notes: made with the node if need be, and no cap enforced (as `notes` does). */
  fund(address: string, at: number): void {
    const node = this.#touch(address, at);
    node.funded = (node.funded ?? 0) + 1;
  }

  /** Only the node cap is enforced: seeing an address adds no edge. */
  see(address: string, at: number): void {
    this.#touch(address, at);
    if (this.nodes.size > this.caps.maxNodes) this.#enforceCaps();
  }

  record(t: { from: string; to: string; asset: string; amount: bigint; at: number }): void {
    if (t.from === t.to) return;
    this.expire(t.at);
    const from = this.#touch(t.from, t.at);
    const to = this.#touch(t.to, t.at);
    this.#add(from.edges, t.to, t, true);
    this.#add(to.edges, t.from, t, false);
    this.#enforceCaps();
  }

  expire(now: number): void {
    for (const [address, node] of [...this.nodes]) {
      if (node.lastSeen >= now - this.caps.ttlMs) continue;
      if (this.pinned.has(address)) this.#toNewest(address);
      else this.#evict(address);
    }
  }

  #touch(address: string, at: number) {
    const node = this.nodes.get(address) ?? { firstSeen: at, lastSeen: at, edges: new Map<string, ModelEdge>(), funded: undefined };
    node.lastSeen = Math.max(node.lastSeen, at);
    this.nodes.delete(address);
    this.nodes.set(address, node);
    return node;
  }

  #toNewest(address: string): void {
    const node = this.nodes.get(address);
    this.nodes.delete(address);
    if (node !== undefined) this.nodes.set(address, node);
  }

  #add(edges: Map<string, ModelEdge>, peer: string, t: { asset: string; amount: bigint; at: number }, sending: boolean): void {
    let edge = edges.get(peer);
    if (edge === undefined) {
      if (edges.size >= this.caps.maxEdgesPerNode) {
        edges.delete(edges.keys().next().value ?? '');
        this.edgeCount -= 1;
      }
      edge = { sent: 0, received: 0, firstSeen: t.at, lastSeen: t.at, flows: new Map() };
      this.edgeCount += 1;
    }
    edge.lastSeen = Math.max(edge.lastSeen, t.at);
    edges.delete(peer);
    edges.set(peer, edge);
    if (sending) edge.sent += 1;
    else edge.received += 1;
    const flow = edge.flows.get(t.asset) ?? { asset: t.asset, sent: 0n, received: 0n };
    if (sending) flow.sent += t.amount;
    else flow.received += t.amount;
    edge.flows.set(t.asset, flow);
  }

  #enforceCaps(): void {
    let budget = this.nodes.size;
    while ((this.nodes.size > this.caps.maxNodes || this.edgeCount > this.caps.maxEdges) && budget-- > 0) {
      const oldest = this.nodes.keys().next().value ?? '';
      if (this.pinned.has(oldest)) this.#toNewest(oldest);
      else this.#evict(oldest);
    }
  }

  #evict(address: string): void {
    const node = this.nodes.get(address);
    for (const peer of node?.edges.keys() ?? []) if (this.nodes.get(peer)?.edges.delete(address) === true) this.edgeCount -= 1;
    this.edgeCount -= node?.edges.size ?? 0;
    this.nodes.delete(address);
    this.evicted.push(address);
  }
}

interface ModelEdge {
  sent: number;
  received: number;
  firstSeen: number;
  lastSeen: number;
  flows: Map<string, { asset: string; sent: bigint; received: bigint }>;
}

/** What either holds about `address`, in one comparable shape (flows in asset order). */
function held(g: CounterpartyGraph | ModelGraph, address: string): unknown {
  const byAsset = (x: { asset: string }, y: { asset: string }) => x.asset.localeCompare(y.asset);
  if (g instanceof ModelGraph) {
    const node = g.nodes.get(address);
    if (node === undefined) return undefined;
    const edges = [...node.edges].map(([peer, e]) => [peer, e.sent, e.received, e.firstSeen, e.lastSeen, [...e.flows.values()].sort(byAsset)]);
    return { firstSeen: node.firstSeen, lastSeen: node.lastSeen, degree: node.edges.size, edges, funded: node.funded };
  }
  const node = g.node(address);
  if (node === undefined) return undefined;
  const edges = [...g.edges(address)].map(([peer, e]) => [peer, e.sent, e.received, e.firstSeen, e.lastSeen, [...e.flows].sort(byAsset)]);
  return { firstSeen: node.firstSeen, lastSeen: node.lastSeen, degree: g.degree(address), edges, funded: g.notesOf(address)?.funded };
}

describe('CounterpartyGraph against a model of plain maps', () => {
  const addresses = Array.from({ length: 14 }, (_, i) => `0x${i.toString(16)}`);
  const op = fc.record({
    kind: fc.constantFrom('record', 'record', 'record', 'see', 'pin', 'notes', 'ask'),
    // Half the transfers involve one of two hubs, so that nodes pass the degree where their edges go in the hub table.
    from: fc.oneof(fc.constantFrom('0x0', '0x1'), fc.constantFrom(...addresses)),
    to: fc.constantFrom(...addresses),
    asset: fc.constantFrom('eth:ETH', 'eth:ETH', 'eth:USDC', ''),
    // Past 2^64 and 2^128: the totals carry from word to word and past both.
    amount: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 70n }), fc.bigInt({ min: 2n ** 126n, max: 2n ** 130n })),
    step: fc.nat(3),
  });
  // Tight caps evict all the time; roomy ones let the two hubs past the degree where their edges go in the hub table.
  const caps = fc.oneof(
    fc.record({ maxNodes: fc.integer({ min: 2, max: 8 }), maxEdgesPerNode: fc.integer({ min: 1, max: 4 }), maxEdges: fc.integer({ min: 2, max: 20 }), ttlMs: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ maxNodes: fc.integer({ min: 10, max: 16 }), maxEdgesPerNode: fc.integer({ min: 7, max: 11 }), maxEdges: fc.integer({ min: 30, max: 200 }), ttlMs: fc.integer({ min: 50, max: 400 }) }),
  );

  it('holds the same nodes, edges, counts, amounts and recency, and evicts the same addresses in the same order', () => {
    fc.assert(
      fc.property(caps, fc.array(op, { minLength: 50, maxLength: 200 }), (c, ops) => {
        const keys = new KeyIndex<string>();
        const evicted: string[] = [];
        const graph = new CounterpartyGraph({ ...c, keys, onEvict: (a) => evicted.push(a) });
        const model = new ModelGraph(c);
        let at = 0;
        for (const o of ops) {
          at += o.step;
          if (o.kind === 'pin') {
            graph.pin(o.from);
            model.pinned.add(o.from);
          } else if (o.kind === 'see') {
            graph.see(o.from, at);
            model.see(o.from, at);
          } else if (o.kind === 'notes') {
            graph.notes(o.from, at).funded += 1;
            model.fund(o.from, at);
          } else if (o.kind === 'ask') {
            // Questions between changes: absent addresses go through the graph's look-up cache before they are made.
            expect(graph.has(o.from)).toBe(model.nodes.has(o.from));
            expect(graph.degree(o.to)).toBe(model.nodes.get(o.to)?.edges.size ?? 0);
            expect(graph.notesOf(o.from)?.funded).toBe(model.nodes.get(o.from)?.funded);
          } else {
            const t = { from: o.from, to: o.to, asset: o.asset, amount: o.amount, at };
            graph.record(t);
            model.record(t);
          }
          expect(graph.size).toBe(model.nodes.size);
          expect(graph.edgeCount).toBe(model.edgeCount);
          expect(evicted).toEqual(model.evicted);
          // An id per address held as a node or named by an edge (a node past its edge cap can keep one to an evicted node).
          expect(keys.size).toBe(new Set([...model.nodes.keys(), ...[...model.nodes.values()].flatMap((n) => [...n.edges.keys()])]).size);
          for (const address of addresses) expect(held(graph, address)).toEqual(held(model, address));
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 150) },
    );
  });
});
