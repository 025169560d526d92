import { grown } from '../grown.js';
import { KeyIndex } from '../key-index.js';
import { PairTable } from '../pair-table.js';

/** Value moved between two addresses in one asset (`chain:asset`), in base units, each way. */
export interface AssetFlow {
  readonly asset: string;
  /** Base units from the node to the counterparty. */
  readonly sent: bigint;
  /** Base units from the counterparty to the node. */
  readonly received: bigint;
}

/** What a node knows about one counterparty. */
export interface CounterpartyEdge {
  /** Transfers from the node to the counterparty. */
  readonly sent: number;
  /** Transfers from the counterparty to the node. */
  readonly received: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly flows: readonly AssetFlow[];
}

/**
 * What the clustering heuristics remember about an address. It is kept on the node so that it is
 * evicted with it and costs nothing for the many addresses no heuristic cares about.
 */
export interface NodeNotes {
  /** Addresses first seen receiving a native transfer from this one (funding-source heuristic). */
  funded: number;
  /** Set when this address was seen sweeping into this exchange hot wallet: a deposit address. */
  depositOf: string | undefined;
  /** For a deposit address: the first customer address seen paying into it. */
  depositor: string | undefined;
}

export interface GraphNode {
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Counterparties, least recently seen first. */
  readonly edges: ReadonlyMap<string, CounterpartyEdge>;
  readonly notes: NodeNotes | undefined;
}

/** One transfer to record: `amount` base units of `asset` from `from` to `to` at `at` (event time). */
export interface GraphTransfer {
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  readonly amount: bigint;
  readonly at: number;
}

export interface CounterpartyGraphOptions {
  /** Most addresses held; the least recently seen are evicted past it. Default 200,000 (~32 MB of nodes). */
  readonly maxNodes?: number;
  /** Most counterparties kept per address; its least recently seen edge goes past it. Default 64. */
  readonly maxEdgesPerNode?: number;
  /** Most edge entries over the whole graph (each transfer pair is stored on both sides). Default 800,000 (~120 MB). */
  readonly maxEdges?: number;
  /** An address not seen for this long (event time) is evicted. Default 30 days. */
  readonly ttlMs?: number;
  /** Told each address the graph evicts, and its id in `keys` (held for the call), so that indexes built over it can forget it too. */
  readonly onEvict?: (address: string, id: number) => void;
  /** Ids for addresses, shared with the other detectors' per-address state (see `KeyIndex`). Default: its own. */
  readonly keys?: KeyIndex<string> | undefined;
}

interface MutableFlow {
  readonly asset: string;
  sent: bigint;
  received: bigint;
}

/** No node or edge (a free link, an empty list). */
const none = -1;

/**
 * A node's int32 words, `nodeWords` of them from `slot * nodeWords`: its address's id in the
 * `KeyIndex`, its neighbours in the graph's recency list (node slots), its degree, the two ends
 * of its own list of edges (edge slots, least recently seen first), and whether its edges are in
 * the hub table.
 */
const nodeWords = 8;
const nodeId = 0;
const nodeOlder = 1;
const nodeNewer = 2;
const nodeDegree = 3;
const nodeOldestEdge = 4;
const nodeNewestEdge = 5;
const nodeHub = 6;

/**
 * An edge's int32 words, `edgeWords` from `edge * edgeWords`: its counterparty (address id) and
 * its neighbours in its node's edge list. Its node is not kept: every edge is reached from it.
 */
const edgeWords = 3;
const edgePeer = 0;
const edgeOlder = 1;
const edgeNewer = 2;

/** An edge's numbers, `edgeNumbers` from `edge * edgeNumbers`: transfers each way, first and last seen. */
const edgeNumbers = 4;
const edgeSent = 0;
const edgeReceived = 1;
const edgeFirstSeen = 2;
const edgeLastSeen = 3;

/**
 * An edge's amounts, `amountWords` uint64 words from `edge * amountWords`: the low and high words
 * of the base units sent, then of those received. The part of a total at or past 2^128 (no real
 * asset gets there, but an amount is any bigint) is kept in `#wideAmounts`.
 */
const amountWords = 4;
const sentAmount = 0;
const receivedAmount = 2;
const two64 = 1n << 64n;

/**
 * Past this many counterparties a node's edges also go in the hub table: below it, finding one
 * by walking the node's list is quicker than a probe into a table of hundreds of thousands.
 */
const listedEdges = 6;

/**
 * An incremental counterparty graph: for each address, who it sent to and received from, how
 * often, how much per asset, first and last seen. Edges are stored on both ends, so a node's
 * own list answers "who are its counterparties" in either direction without an index.
 *
 * Bounded three ways, all in event time so a replay keeps what the live service kept:
 * - nodes: TTL, then least-recently-seen eviction past `maxNodes`;
 * - edges per node: past `maxEdgesPerNode` a node forgets its least recently seen counterparty.
 *   Only that side forgets: a small address keeps its link to an exchange that no longer lists
 *   it, and a node at the cap is treated as a hub by the proximity search anyway;
 * - edges in total: past `maxEdges`, nodes are evicted least recently seen first.
 * Evicting a node removes the edges that point at it from the nodes it still lists. A node that
 * had already been forgotten by it (past its edge cap) keeps its one-sided edge until it drops
 * it in turn: the edge holds the address's id, so it goes on naming the same address.
 *
 * Pinned addresses (flagged and watched wallets) are never evicted: they are few and the
 * detectors are about them.
 *
 * Nodes and edges are records in typed arrays, found by slot, with free slots reused; lists
 * (the recency order of nodes, each node's edges) are links between slots. With an object per
 * node and per edge, and a `Map` per node of two or more counterparties, the graph held a
 * third of the engine's heap, and copying those objects into the old generation was most of the
 * collector's work. Amounts are exact 128-bit totals in uint64 words (a map holds the part past
 * 2^128). What is left on the heap is an edge's asset (one shared string per asset), flows in
 * further assets and the heuristics' notes.
 */
export class CounterpartyGraph {
  readonly maxNodes: number;
  readonly maxEdgesPerNode: number;
  readonly maxEdges: number;
  readonly ttlMs: number;

  readonly #keys: KeyIndex<string>;
  /** Node slot + 1 by address id (0: the graph has no node for it): the other detectors have already looked the address up. */
  #slotOf = new Int32Array(64);
  #nodes = new Int32Array(64 * nodeWords).fill(none);
  /** First and last seen per node slot. */
  #seen = new Float64Array(64 * 2);
  /** The heuristics' notes per node slot; most nodes have none. */
  readonly #notes: (NodeNotes | undefined)[] = [];
  #nodeSlots = 0;
  readonly #freeNodes: number[] = [];
  #size = 0;
  /** The recency list's ends (node slots). */
  #oldest = none;
  #newest = none;
  /** The last two addresses looked up, and their node slots (see `#find`); a node leaves them when it is evicted. */
  #recent: string | undefined;
  #recentSlot = none;
  #previous: string | undefined;
  #previousSlot = none;

  #edges = new Int32Array(64 * edgeWords).fill(none);
  #counts = new Float64Array(64 * edgeNumbers);
  /** Per edge slot: the `chain:asset` of its first transfer. */
  readonly #asset: string[] = [];
  /**
   * Per edge slot: the base units of that asset each way, as 128-bit totals in uint64 words. A
   * `bigint` per edge and direction, replaced by a new one at every transfer, made the collector
   * copy two objects per transaction into the old generation and sweep the ones they replaced:
   * about a seventh of the whole engine's time.
   */
  #amounts = new BigUint64Array(64 * amountWords);
  /** The part of a total at or past 2^128, in units of 2^128, by the total's first word. */
  readonly #wideAmounts = new Map<number, bigint>();
  /** Flows in further assets, by edge slot: most counterparty pairs only ever move one. */
  readonly #moreFlows = new Map<number, MutableFlow[]>();
  #edgeSlots = 0;
  readonly #freeEdges: number[] = [];
  /** (node slot, counterparty id) → edge slot, for the nodes with more than `listedEdges` counterparties. */
  readonly #hubEdges = new PairTable();

  readonly #pinned = new Set<string>();
  readonly #onEvict: ((address: string, id: number) => void) | undefined;
  #edgeCount = 0;
  #evicted = 0;
  /** No node can have expired before this time: the oldest node's last sighting plus the TTL, at the last sweep. */
  #nextExpiry = Number.NEGATIVE_INFINITY;

  constructor(options: CounterpartyGraphOptions = {}) {
    this.maxNodes = positiveInteger('maxNodes', options.maxNodes ?? 200_000);
    this.maxEdgesPerNode = positiveInteger('maxEdgesPerNode', options.maxEdgesPerNode ?? 64);
    this.maxEdges = positiveInteger('maxEdges', options.maxEdges ?? 800_000);
    this.ttlMs = options.ttlMs ?? 30 * 24 * 3_600_000;
    if (!(this.ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${this.ttlMs}`);
    this.#onEvict = options.onEvict;
    this.#keys = options.keys ?? new KeyIndex<string>();
  }

  get size(): number {
    return this.#size;
  }

  /** Edge entries held (each counterparty pair counts once per side that still has it). */
  get edgeCount(): number {
    return this.#edgeCount;
  }

  /** Nodes evicted so far (TTL and caps). */
  get evicted(): number {
    return this.#evicted;
  }

  has(address: string): boolean {
    return this.#find(address) !== none;
  }

  /** A copy of what the graph knows about `address` now (its notes are the live ones). */
  node(address: string): GraphNode | undefined {
    const slot = this.#find(address);
    if (slot === none) return undefined;
    return { firstSeen: this.#seen[2 * slot] ?? 0, lastSeen: this.#seen[2 * slot + 1] ?? 0, edges: this.#edgeMap(slot), notes: this.#notes[slot] };
  }

  /** Counterparties of `address`, least recently seen first (none when absent): a copy. */
  edges(address: string): ReadonlyMap<string, CounterpartyEdge> {
    const slot = this.#find(address);
    return slot === none ? emptyEdges : this.#edgeMap(slot);
  }

  degree(address: string): number {
    const slot = this.#find(address);
    return slot === none ? 0 : (this.#nodes[slot * nodeWords + nodeDegree] ?? 0);
  }

  /** Keeps `address` whatever its age or the caps. */
  pin(address: string): void {
    this.#pinned.add(address);
  }

  isPinned(address: string): boolean {
    return this.#pinned.has(address);
  }

  /** Marks `address` seen at `at`, creating it if new: an address can matter (a common input) without a transfer to record. */
  see(address: string, at: number): void {
    this.#touch(address, at);
    if (this.#size > this.maxNodes) this.#enforceCaps();
  }

  /** The heuristics' notes on `address`, creating the node (seen at `at`) if needed. */
  notes(address: string, at: number): NodeNotes {
    const slot = this.#touch(address, at);
    let notes = this.#notes[slot];
    if (notes === undefined) {
      notes = { funded: 0, depositOf: undefined, depositor: undefined };
      this.#notes[slot] = notes;
    }
    return notes;
  }

  /** The heuristics' notes on `address` if it has any, without creating or touching its node. */
  notesOf(address: string): NodeNotes | undefined {
    const slot = this.#find(address);
    return slot === none ? undefined : this.#notes[slot];
  }

  /** Records one transfer on both ends; a transfer to oneself records nothing. */
  record(transfer: GraphTransfer): void {
    const { from, to, at } = transfer;
    if (transfer.amount < 0n) throw new RangeError(`a transfer moves a non-negative amount, got ${transfer.amount}`);
    if (from === to) return;
    if (at >= this.#nextExpiry) this.expire(at);
    const sender = this.#touch(from, at);
    const receiver = this.#touch(to, at);
    const nodes = this.#nodes;
    this.#count(this.#edgeFor(sender, nodes[receiver * nodeWords + nodeId] ?? none, transfer), transfer, true);
    this.#count(this.#edgeFor(receiver, nodes[sender * nodeWords + nodeId] ?? none, transfer), transfer, false);
    if (this.#size > this.maxNodes || this.#edgeCount > this.maxEdges) this.#enforceCaps();
  }

  /** Evicts every unpinned node last seen more than `ttlMs` before `now`. */
  expire(now: number): void {
    const cutoff = now - this.ttlMs;
    let budget = this.#size;
    this.#nextExpiry = Number.POSITIVE_INFINITY;
    for (let slot = this.#oldest; slot !== none && budget-- > 0; slot = this.#oldest) {
      const lastSeen = this.#seen[2 * slot + 1] ?? 0;
      if (lastSeen >= cutoff) {
        this.#nextExpiry = lastSeen + this.ttlMs;
        break;
      }
      if (this.#pinned.has(this.#addressOf(slot))) this.#moveToNewest(slot);
      else this.#evict(slot);
    }
    // Pinned nodes cycled to the back may be older than the front; look again soon rather than never.
    if (this.#nextExpiry === Number.POSITIVE_INFINITY) this.#nextExpiry = now + 1;
  }

  #enforceCaps(): void {
    let budget = this.#size;
    while ((this.#size > this.maxNodes || this.#edgeCount > this.maxEdges) && budget-- > 0) {
      const slot = this.#oldest;
      if (slot === none) return;
      if (this.#pinned.has(this.#addressOf(slot))) this.#moveToNewest(slot);
      else this.#evict(slot);
    }
  }

  #addressOf(slot: number): string {
    return this.#keys.key(this.#nodes[slot * nodeWords + nodeId] ?? none) ?? '';
  }

  /** The node slot for `address`, created if new, moved to the most recently seen end. */
  #touch(address: string, at: number): number {
    let slot = this.#find(address);
    if (slot !== none) {
      if (at > (this.#seen[2 * slot + 1] ?? 0)) this.#seen[2 * slot + 1] = at;
      this.#moveToNewest(slot);
      return slot;
    }
    const id = this.#keys.acquire(address);
    slot = this.#freeNodes.pop() ?? this.#freshNode();
    const w = slot * nodeWords;
    const nodes = this.#nodes;
    nodes[w + nodeId] = id;
    nodes[w + nodeOlder] = this.#newest;
    nodes[w + nodeNewer] = none;
    nodes[w + nodeDegree] = 0;
    nodes[w + nodeOldestEdge] = none;
    nodes[w + nodeNewestEdge] = none;
    nodes[w + nodeHub] = 0;
    this.#seen[2 * slot] = at;
    this.#seen[2 * slot + 1] = at;
    if (this.#newest === none) this.#oldest = slot;
    else nodes[this.#newest * nodeWords + nodeNewer] = slot;
    this.#newest = slot;
    if (id >= this.#slotOf.length) this.#slotOf = grown(this.#slotOf, Math.max(id + 1, 2 * this.#slotOf.length));
    this.#slotOf[id] = slot + 1;
    this.#size += 1;
    this.#remember(address, slot);
    return slot;
  }

  #freshNode(): number {
    const slot = this.#nodeSlots;
    if (slot * nodeWords === this.#nodes.length) {
      this.#nodes = grown(this.#nodes, 2 * this.#nodes.length);
      this.#seen = grown(this.#seen, 2 * this.#seen.length);
    }
    this.#nodeSlots += 1;
    this.#notes.push(undefined);
    return slot;
  }

  /**
   * The node slot of `address` (`none` if absent). The heuristics, the recording and the
   * proximity search each ask about the same two addresses of a transaction, several times over:
   * the last two found answer those without hashing the address into a map of a few hundred
   * thousand entries again.
   */
  #find(address: string): number {
    if (this.#recent === address) return this.#recentSlot;
    if (this.#previous === address) return this.#previousSlot;
    const id = this.#keys.find(address);
    const slot = id === -1 ? none : (this.#slotOf[id] ?? 0) - 1;
    // Absent addresses are remembered too: a new address is asked about before its node is made (which remembers its slot).
    this.#remember(address, slot);
    return slot;
  }

  #remember(address: string, slot: number): void {
    this.#previous = this.#recent;
    this.#previousSlot = this.#recentSlot;
    this.#recent = address;
    this.#recentSlot = slot;
  }

  #moveToNewest(slot: number): void {
    if (this.#newest === slot) return;
    this.#unlinkNode(slot);
    const nodes = this.#nodes;
    nodes[slot * nodeWords + nodeOlder] = this.#newest;
    if (this.#newest === none) this.#oldest = slot;
    else nodes[this.#newest * nodeWords + nodeNewer] = slot;
    this.#newest = slot;
  }

  #unlinkNode(slot: number): void {
    const nodes = this.#nodes;
    const w = slot * nodeWords;
    const older = nodes[w + nodeOlder] ?? none;
    const newer = nodes[w + nodeNewer] ?? none;
    if (older === none) this.#oldest = newer;
    else nodes[older * nodeWords + nodeNewer] = newer;
    if (newer === none) this.#newest = older;
    else nodes[newer * nodeWords + nodeOlder] = older;
    nodes[w + nodeOlder] = none;
    nodes[w + nodeNewer] = none;
  }

  /** The edge slot of node `slot`'s edge to the address with id `peer` (`none` if it has none). */
  #edgeWith(slot: number, peer: number): number {
    const w = slot * nodeWords;
    const nodes = this.#nodes;
    if (nodes[w + nodeHub] === 1) return this.#hubEdges.get(slot, peer);
    const edges = this.#edges;
    // Newest first: a pair that just moved money is the likeliest to move it again.
    for (let e = nodes[w + nodeNewestEdge] ?? none; e !== none; e = edges[e * edgeWords + edgeOlder] ?? none) {
      if (edges[e * edgeWords + edgePeer] === peer) return e;
    }
    return none;
  }

  /** Node `slot`'s edge with the address of id `peer`, seen in `t`: created if new (within the cap), moved to the recent end. */
  #edgeFor(slot: number, peer: number, t: GraphTransfer): number {
    const at = t.at;
    let edge = this.#edgeWith(slot, peer);
    if (edge === none) {
      const w = slot * nodeWords;
      if ((this.#nodes[w + nodeDegree] ?? 0) >= this.maxEdgesPerNode) {
        this.#dropEdge(slot, this.#nodes[w + nodeOldestEdge] ?? none);
        this.#edgeCount -= 1;
      }
      edge = this.#newEdge(slot, peer, t);
      this.#edgeCount += 1;
    } else {
      const c = edge * edgeNumbers;
      if (at > (this.#counts[c + edgeLastSeen] ?? 0)) this.#counts[c + edgeLastSeen] = at;
      this.#edgeToNewest(slot, edge);
    }
    return edge;
  }

  /** Counts the transfer on `edge`: sent by its node when `sending`, else received. */
  #count(edge: number, t: GraphTransfer, sending: boolean): void {
    const c = edge * edgeNumbers + (sending ? edgeSent : edgeReceived);
    this.#counts[c] = (this.#counts[c] ?? 0) + 1;
    if (this.#asset[edge] === t.asset) {
      this.#addAmount(edge * amountWords + (sending ? sentAmount : receivedAmount), t.amount);
      return;
    }
    let more = this.#moreFlows.get(edge);
    if (more === undefined) {
      more = [];
      this.#moreFlows.set(edge, more);
    }
    let flow = more.find((f) => f.asset === t.asset);
    if (flow === undefined) {
      flow = { asset: t.asset, sent: 0n, received: 0n };
      more.push(flow);
    }
    if (sending) flow.sent += t.amount;
    else flow.received += t.amount;
  }

  /** A new edge from node `slot` to the address of id `peer`, the node's most recently seen. */
  #newEdge(slot: number, peer: number, t: GraphTransfer): number {
    const at = t.at;
    const edge = this.#freeEdges.pop() ?? this.#freshEdge();
    this.#edges[edge * edgeWords + edgePeer] = peer;
    // The edge holds its counterparty's id: it outlives the counterparty's node when that node had
    // already forgotten this side (past its edge cap), and must still name the same address.
    this.#keys.hold(peer);
    const c = edge * edgeNumbers;
    const counts = this.#counts;
    counts[c + edgeSent] = 0;
    counts[c + edgeReceived] = 0;
    counts[c + edgeFirstSeen] = at;
    counts[c + edgeLastSeen] = at;
    // The asset of its first transfer: the one kept beside the edge, others in `#moreFlows`.
    this.#asset[edge] = t.asset;
    this.#appendEdge(slot, edge);
    const w = slot * nodeWords;
    const nodes = this.#nodes;
    const degree = (nodes[w + nodeDegree] ?? 0) + 1;
    nodes[w + nodeDegree] = degree;
    if (nodes[w + nodeHub] === 1) this.#hubEdges.set(slot, peer, edge);
    else if (degree > listedEdges) {
      nodes[w + nodeHub] = 1;
      const edges = this.#edges;
      for (let x = nodes[w + nodeOldestEdge] ?? none; x !== none; x = edges[x * edgeWords + edgeNewer] ?? none) {
        this.#hubEdges.set(slot, edges[x * edgeWords + edgePeer] ?? none, x);
      }
    }
    return edge;
  }

  #freshEdge(): number {
    const edge = this.#edgeSlots;
    if (edge * edgeWords === this.#edges.length) {
      this.#edges = grown(this.#edges, 2 * this.#edges.length);
      this.#counts = grown(this.#counts, 2 * this.#counts.length);
      this.#amounts = grown(this.#amounts, 2 * this.#amounts.length);
    }
    this.#edgeSlots += 1;
    this.#asset.push('');
    return edge;
  }

  /** Adds `amount` (non-negative) to the total whose low word is `w` and high word `w + 1`, carrying past 2^128 into `#wideAmounts`. */
  #addAmount(w: number, amount: bigint): void {
    const amounts = this.#amounts;
    const low = (amounts[w] ?? 0n) + amount;
    if (low < two64) {
      amounts[w] = low;
      return;
    }
    amounts[w] = BigInt.asUintN(64, low);
    const high = (amounts[w + 1] ?? 0n) + (low >> 64n);
    if (high < two64) {
      amounts[w + 1] = high;
      return;
    }
    amounts[w + 1] = BigInt.asUintN(64, high);
    this.#wideAmounts.set(w, (this.#wideAmounts.get(w) ?? 0n) + (high >> 64n));
  }

  /** The total whose low word is `w`. */
  #amount(w: number): bigint {
    const wide = this.#wideAmounts.size === 0 ? 0n : (this.#wideAmounts.get(w) ?? 0n);
    return (this.#amounts[w] ?? 0n) + ((this.#amounts[w + 1] ?? 0n) << 64n) + (wide << 128n);
  }

  /** Appends `edge` to node `slot`'s list, as its most recently seen. */
  #appendEdge(slot: number, edge: number): void {
    const nodes = this.#nodes;
    const edges = this.#edges;
    const w = slot * nodeWords;
    const newest = nodes[w + nodeNewestEdge] ?? none;
    edges[edge * edgeWords + edgeOlder] = newest;
    edges[edge * edgeWords + edgeNewer] = none;
    if (newest === none) nodes[w + nodeOldestEdge] = edge;
    else edges[newest * edgeWords + edgeNewer] = edge;
    nodes[w + nodeNewestEdge] = edge;
  }

  /** Takes `edge` out of node `slot`'s list. */
  #unlinkEdge(slot: number, edge: number): void {
    const nodes = this.#nodes;
    const edges = this.#edges;
    const w = slot * nodeWords;
    const older = edges[edge * edgeWords + edgeOlder] ?? none;
    const newer = edges[edge * edgeWords + edgeNewer] ?? none;
    if (older === none) nodes[w + nodeOldestEdge] = newer;
    else edges[older * edgeWords + edgeNewer] = newer;
    if (newer === none) nodes[w + nodeNewestEdge] = older;
    else edges[newer * edgeWords + edgeOlder] = older;
  }

  #edgeToNewest(slot: number, edge: number): void {
    if (this.#nodes[slot * nodeWords + nodeNewestEdge] === edge) return;
    this.#unlinkEdge(slot, edge);
    this.#appendEdge(slot, edge);
  }

  /** Removes `edge` from node `slot` and frees it (the caller keeps `#edgeCount`). */
  #dropEdge(slot: number, edge: number): void {
    this.#unlinkEdge(slot, edge);
    const w = slot * nodeWords;
    this.#nodes[w + nodeDegree] = (this.#nodes[w + nodeDegree] ?? 0) - 1;
    if (this.#nodes[w + nodeHub] === 1) this.#hubEdges.delete(slot, this.#edges[edge * edgeWords + edgePeer] ?? none);
    this.#freeEdge(edge);
  }

  #freeEdge(edge: number): void {
    this.#keys.release(this.#edges[edge * edgeWords + edgePeer] ?? none);
    this.#asset[edge] = '';
    // Zero, as a fresh slot's words are: a new edge starts from here.
    this.#amounts.fill(0n, edge * amountWords, (edge + 1) * amountWords);
    if (this.#wideAmounts.size > 0) {
      this.#wideAmounts.delete(edge * amountWords + sentAmount);
      this.#wideAmounts.delete(edge * amountWords + receivedAmount);
    }
    this.#moreFlows.delete(edge);
    this.#freeEdges.push(edge);
  }

  #evict(slot: number): void {
    const w = slot * nodeWords;
    const nodes = this.#nodes;
    const edges = this.#edges;
    const id = nodes[w + nodeId] ?? none;
    const address = this.#keys.key(id) ?? '';
    const hub = nodes[w + nodeHub] === 1;
    for (let e = nodes[w + nodeOldestEdge] ?? none; e !== none; ) {
      const next = edges[e * edgeWords + edgeNewer] ?? none;
      const peer = edges[e * edgeWords + edgePeer] ?? none;
      const peerSlot = (this.#slotOf[peer] ?? 0) - 1;
      const back = peerSlot === none ? none : this.#edgeWith(peerSlot, id);
      if (back !== none) {
        this.#dropEdge(peerSlot, back);
        this.#edgeCount -= 1;
      }
      if (hub) this.#hubEdges.delete(slot, peer);
      this.#freeEdge(e);
      this.#edgeCount -= 1;
      e = next;
    }
    this.#notes[slot] = undefined;
    this.#slotOf[id] = 0;
    this.#size -= 1;
    if (this.#recentSlot === slot) {
      this.#recent = undefined;
      this.#recentSlot = none;
    }
    if (this.#previousSlot === slot) {
      this.#previous = undefined;
      this.#previousSlot = none;
    }
    this.#unlinkNode(slot);
    this.#freeNodes.push(slot);
    this.#evicted += 1;
    // Told while the id is still held, so that state kept by id can be read in the callback.
    this.#onEvict?.(address, id);
    this.#keys.release(id);
  }

  /** A copy of node `slot`'s edges, by counterparty, least recently seen first. */
  #edgeMap(slot: number): Map<string, CounterpartyEdge> {
    const out = new Map<string, CounterpartyEdge>();
    const edges = this.#edges;
    const counts = this.#counts;
    for (let e = this.#nodes[slot * nodeWords + nodeOldestEdge] ?? none; e !== none; e = edges[e * edgeWords + edgeNewer] ?? none) {
      const c = e * edgeNumbers;
      const first: AssetFlow = { asset: this.#asset[e] ?? '', sent: this.#amount(e * amountWords + sentAmount), received: this.#amount(e * amountWords + receivedAmount) };
      const more = this.#moreFlows.get(e) ?? [];
      out.set(this.#keys.key(edges[e * edgeWords + edgePeer] ?? none) ?? '', {
        sent: counts[c + edgeSent] ?? 0,
        received: counts[c + edgeReceived] ?? 0,
        firstSeen: counts[c + edgeFirstSeen] ?? 0,
        lastSeen: counts[c + edgeLastSeen] ?? 0,
        flows: [first, ...more.map((f) => ({ ...f }))],
      });
    }
    return out;
  }
}

const emptyEdges: ReadonlyMap<string, CounterpartyEdge> = new Map();

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
