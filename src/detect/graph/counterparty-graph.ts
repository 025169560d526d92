import { padded } from '../grown.js';
import { KeyIndex } from '../key-index.js';

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
  /** Most addresses held; the least recently seen are evicted past it. Default 200,000 (~60 MB of nodes). */
  readonly maxNodes?: number;
  /** Most counterparties kept per address; its least recently seen edge goes past it. Default 64. */
  readonly maxEdgesPerNode?: number;
  /** Most edge entries over the whole graph (each transfer pair is stored on both sides). Default 800,000 (~180 MB). */
  readonly maxEdges?: number;
  /** An address not seen for this long (event time) is evicted. Default 30 days. */
  readonly ttlMs?: number;
  /** Told each address the graph evicts, so that indexes built over it can forget it too. */
  readonly onEvict?: (address: string) => void;
  /** Ids for addresses, shared with the other detectors' per-address state (see `KeyIndex`). Default: its own. */
  readonly keys?: KeyIndex<string> | undefined;
}

interface MutableFlow {
  readonly asset: string;
  sent: bigint;
  received: bigint;
}

/**
 * An edge, flat for the common case of one asset: most counterparty pairs only ever move one
 * asset, and an array of flow objects per edge cost about a hundred bytes more on each of the
 * graph's millions of edge entries. Further assets go in `more`.
 */
class MutableEdge implements CounterpartyEdge {
  sent = 0;
  received = 0;
  lastSeen: number;
  /** Base units of `asset`, each way (`sent` and `received` are the counts). */
  sentAmount = 0n;
  receivedAmount = 0n;
  more: MutableFlow[] | undefined = undefined;

  constructor(
    readonly asset: string,
    readonly firstSeen: number,
  ) {
    this.lastSeen = firstSeen;
  }

  get flows(): readonly AssetFlow[] {
    const first: AssetFlow = { asset: this.asset, sent: this.sentAmount, received: this.receivedAmount };
    return this.more === undefined ? [first] : [first, ...this.more.map((f) => ({ ...f }))];
  }
}

/**
 * A node. Most addresses in a stream only ever have one counterparty, so that one is two fields
 * of the node, and the map of counterparties is made for the second: with hundreds of thousands
 * of nodes, a `Map` each (an object and its hash table) was most of the graph's allocation and
 * of the collector's work.
 */
class MutableNode implements GraphNode {
  lastSeen: number;
  notes: NodeNotes | undefined = undefined;
  /** The only counterparty while `more` is undefined (undefined: none yet). */
  peer: string | undefined = undefined;
  edge: MutableEdge | undefined = undefined;
  /** Every counterparty once there are two or more, least recently seen first; then `peer` is unused. */
  more: Map<string, MutableEdge> | undefined = undefined;
  /** Recency list: the node seen just before this one, and just after. */
  older: MutableNode | undefined = undefined;
  newer: MutableNode | undefined = undefined;

  constructor(
    readonly address: string,
    /** The address's id in the graph's `KeyIndex`: where the graph keeps the node. */
    readonly id: number,
    readonly firstSeen: number,
  ) {
    this.lastSeen = firstSeen;
  }

  get degree(): number {
    if (this.more !== undefined) return this.more.size;
    return this.peer === undefined ? 0 : 1;
  }

  /** Counterparties, least recently seen first (a map made on the spot for a node with one). */
  get edges(): ReadonlyMap<string, CounterpartyEdge> {
    if (this.more !== undefined) return this.more;
    return this.peer === undefined || this.edge === undefined ? emptyEdges : new Map([[this.peer, this.edge]]);
  }

  edgeWith(counterparty: string): MutableEdge | undefined {
    if (this.more !== undefined) return this.more.get(counterparty);
    return this.peer === counterparty ? this.edge : undefined;
  }

  /** Forgets the edge with `counterparty`; false when there was none. */
  drop(counterparty: string): boolean {
    if (this.more !== undefined) return this.more.delete(counterparty);
    if (this.peer !== counterparty) return false;
    this.peer = undefined;
    this.edge = undefined;
    return true;
  }

  /** Forgets the least recently seen edge. */
  dropOldest(): void {
    if (this.more === undefined) {
      this.peer = undefined;
      this.edge = undefined;
      return;
    }
    const oldest = this.more.keys().next();
    if (oldest.done !== true) this.more.delete(oldest.value);
  }

  /** Makes `edge` the most recently seen (adding it if new; the caller keeps the cap). */
  put(counterparty: string, edge: MutableEdge): void {
    if (this.more === undefined) {
      if (this.peer === undefined || this.peer === counterparty) {
        this.peer = counterparty;
        this.edge = edge;
        return;
      }
      this.more = new Map([[this.peer, this.edge as MutableEdge]]);
      this.peer = undefined;
      this.edge = undefined;
    }
    this.more.delete(counterparty);
    this.more.set(counterparty, edge);
  }

  counterparties(): Iterable<string> {
    if (this.more !== undefined) return this.more.keys();
    return this.peer === undefined ? [] : [this.peer];
  }
}

/**
 * An incremental counterparty graph: for each address, who it sent to and received from, how
 * often, how much per asset, first and last seen. Edges are stored on both ends, so a node's
 * own map answers "who are its counterparties" in either direction without an index.
 *
 * Bounded three ways, all in event time so a replay keeps what the live service kept:
 * - nodes: TTL, then least-recently-seen eviction past `maxNodes` (a Map in recency order);
 * - edges per node: past `maxEdgesPerNode` a node forgets its least recently seen counterparty.
 *   Only that side forgets: a small address keeps its link to an exchange that no longer lists
 *   it, and a node at the cap is treated as a hub by the proximity search anyway;
 * - edges in total: past `maxEdges`, nodes are evicted least recently seen first.
 * Evicting a node removes the edges that point at it, so no edge leads to a missing node.
 *
 * Pinned addresses (flagged and watched wallets) are never evicted: they are few and the
 * detectors are about them.
 */
export class CounterpartyGraph {
  readonly maxNodes: number;
  readonly maxEdgesPerNode: number;
  readonly maxEdges: number;
  readonly ttlMs: number;

  /** Nodes by their address's id in `#keys`: the other detectors have already looked the address up there. */
  readonly #nodes: (MutableNode | undefined)[] = [];
  readonly #keys: KeyIndex<string>;
  #size = 0;
  /**
   * Recency order as a doubly linked list through the nodes. A Map's insertion order would do,
   * but evicting from its front leaves deleted slots that every new iterator scans past, which
   * made eviction the most expensive thing the graph did.
   */
  #oldest: MutableNode | undefined;
  #newest: MutableNode | undefined;
  /** The last two nodes looked up (see `#find`); a node leaves them when it is evicted. */
  #recent: MutableNode | undefined;
  #previous: MutableNode | undefined;
  readonly #pinned = new Set<string>();
  readonly #onEvict: ((address: string) => void) | undefined;
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
    return this.#find(address) !== undefined;
  }

  node(address: string): GraphNode | undefined {
    return this.#find(address);
  }

  /** Counterparties of `address` (none when absent). */
  edges(address: string): ReadonlyMap<string, CounterpartyEdge> {
    return this.#find(address)?.edges ?? emptyEdges;
  }

  degree(address: string): number {
    return this.#find(address)?.degree ?? 0;
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
    const node = this.#touch(address, at);
    node.notes ??= { funded: 0, depositOf: undefined, depositor: undefined };
    return node.notes;
  }

  /** Records one transfer on both ends; a transfer to oneself records nothing. */
  record(transfer: GraphTransfer): void {
    const { from, to, at } = transfer;
    if (from === to) return;
    if (at >= this.#nextExpiry) this.expire(at);
    this.#add(this.#touch(from, at), to, transfer);
    this.#add(this.#touch(to, at), from, transfer);
    if (this.#size > this.maxNodes || this.#edgeCount > this.maxEdges) this.#enforceCaps();
  }

  /** Evicts every unpinned node last seen more than `ttlMs` before `now`. */
  expire(now: number): void {
    const cutoff = now - this.ttlMs;
    let budget = this.#size;
    this.#nextExpiry = Number.POSITIVE_INFINITY;
    for (let node = this.#oldest; node !== undefined && budget-- > 0; node = this.#oldest) {
      if (node.lastSeen >= cutoff) {
        this.#nextExpiry = node.lastSeen + this.ttlMs;
        break;
      }
      if (this.#pinned.has(node.address)) this.#moveToNewest(node);
      else this.#evict(node);
    }
    // Pinned nodes cycled to the back may be older than the front; look again soon rather than never.
    if (this.#nextExpiry === Number.POSITIVE_INFINITY) this.#nextExpiry = now + 1;
  }

  #enforceCaps(): void {
    let budget = this.#size;
    while ((this.#size > this.maxNodes || this.#edgeCount > this.maxEdges) && budget-- > 0) {
      const node = this.#oldest;
      if (node === undefined) return;
      if (this.#pinned.has(node.address)) this.#moveToNewest(node);
      else this.#evict(node);
    }
  }

  /** The node for `address`, created if new, moved to the most recently seen end. */
  #touch(address: string, at: number): MutableNode {
    const node = this.#find(address);
    if (node === undefined) {
      const id = this.#keys.acquire(address);
      const created = new MutableNode(address, id, at);
      created.older = this.#newest;
      if (this.#newest === undefined) this.#oldest = created;
      else this.#newest.newer = created;
      this.#newest = created;
      if (id >= this.#nodes.length) padded(this.#nodes, Math.max(id + 1, 2 * this.#nodes.length));
      this.#nodes[id] = created;
      this.#size += 1;
      this.#remember(created);
      return created;
    }
    if (at > node.lastSeen) node.lastSeen = at;
    this.#moveToNewest(node);
    return node;
  }

  /**
   * The node of `address`. The heuristics, the recording and the proximity search each ask
   * about the same two addresses of a transaction, several times over: the last two nodes found
   * answer those without hashing the address into a map of a few hundred thousand entries again.
   */
  #find(address: string): MutableNode | undefined {
    const a = this.#recent;
    if (a !== undefined && a.address === address) return a;
    const b = this.#previous;
    if (b !== undefined && b.address === address) return b;
    const node = this.#node(address);
    if (node !== undefined) this.#remember(node);
    return node;
  }

  #node(address: string): MutableNode | undefined {
    const id = this.#keys.find(address);
    return id === -1 ? undefined : this.#nodes[id];
  }

  #remember(node: MutableNode): void {
    this.#previous = this.#recent;
    this.#recent = node;
  }

  #moveToNewest(node: MutableNode): void {
    if (this.#newest === node) return;
    this.#unlink(node);
    node.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = node;
    else this.#newest.newer = node;
    this.#newest = node;
  }

  #unlink(node: MutableNode): void {
    if (node.older === undefined) this.#oldest = node.newer;
    else node.older.newer = node.newer;
    if (node.newer === undefined) this.#newest = node.older;
    else node.newer.older = node.older;
    node.older = undefined;
    node.newer = undefined;
  }

  /** Adds the transfer to `node`'s edge with `counterparty`, creating it (within the cap) and moving it to the recent end. */
  #add(node: MutableNode, counterparty: string, t: GraphTransfer): void {
    const at = t.at;
    let edge = node.edgeWith(counterparty);
    if (edge === undefined) {
      if (node.degree >= this.maxEdgesPerNode) {
        node.dropOldest();
        this.#edgeCount -= 1;
      }
      edge = new MutableEdge(t.asset, at);
      this.#edgeCount += 1;
    } else if (at > edge.lastSeen) {
      edge.lastSeen = at;
    }
    node.put(counterparty, edge);
    const sending = counterparty === t.to;
    if (sending) edge.sent += 1;
    else edge.received += 1;
    if (edge.asset === t.asset) {
      if (sending) edge.sentAmount += t.amount;
      else edge.receivedAmount += t.amount;
      return;
    }
    edge.more ??= [];
    let flow = edge.more.find((f) => f.asset === t.asset);
    if (flow === undefined) {
      flow = { asset: t.asset, sent: 0n, received: 0n };
      edge.more.push(flow);
    }
    if (sending) flow.sent += t.amount;
    else flow.received += t.amount;
  }

  #evict(node: MutableNode): void {
    const address = node.address;
    for (const counterparty of node.counterparties()) {
      if (this.#node(counterparty)?.drop(address) === true) this.#edgeCount -= 1;
    }
    this.#edgeCount -= node.degree;
    this.#nodes[node.id] = undefined;
    this.#keys.release(node.id);
    this.#size -= 1;
    if (this.#recent === node) this.#recent = undefined;
    if (this.#previous === node) this.#previous = undefined;
    this.#unlink(node);
    this.#evicted += 1;
    this.#onEvict?.(address);
  }
}

const emptyEdges: ReadonlyMap<string, CounterpartyEdge> = new Map();

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
