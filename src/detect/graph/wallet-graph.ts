import type { Transaction } from '../../core/transaction.js';
import { KeyIndex, type SharedAddressKeys } from '../key-index.js';
import { AddressClusters } from './address-clusters.js';
import type { CoinJoinOptions } from './coinjoin.js';
import { CounterpartyGraph, type GraphTransfer } from './counterparty-graph.js';
import { FlaggedProximity, type ProximityLabel, type Reach } from './flagged-proximity.js';
import { hopDistanceToFlagged, type HopDirection } from './hop-distance.js';
import { OwnershipHeuristics, type OwnershipLink } from './ownership-heuristics.js';

export interface WalletGraphOptions extends SharedAddressKeys {
  /** Most addresses in the counterparty graph. Default 200,000. */
  readonly maxNodes?: number;
  /** Most counterparties kept per address. Default 64. */
  readonly maxEdgesPerNode?: number;
  /** Most edge entries in total. Default 800,000. */
  readonly maxEdges?: number;
  /** Addresses not seen for this long (event time) are forgotten. Default 30 days. */
  readonly ttlMs?: number;
  /** UTXO transactions record at most this many input × output pairs (inputs in order). Default 512. */
  readonly maxPairsPerTransaction?: number;
  /** Addresses with at least this many counterparties are hubs: proximity does not pass through them. Default `maxEdgesPerNode`. */
  readonly hubDegree?: number;
  /** Proximity is tracked up to this many hops. Default 3. */
  readonly maxHops?: number;
  /** Edges and members looked at per proximity update. Default 10,000. */
  readonly visitBudget?: number;
  /** Flagged sources remembered per cluster (nearest first). Default 4. */
  readonly maxSourcesPerCluster?: number;
  /** Flagged addresses (an exploit's, a sanctions list's); pinned, never evicted. */
  readonly flagged?: Iterable<string>;
  /** Known services (bridges, routers, exchanges): proximity does not pass through them, and they fund or deposit for no one. */
  readonly services?: Iterable<string>;
  /** Exchange hot wallets: services, and sweeps into them reveal deposit addresses. */
  readonly exchangeHotWallets?: Iterable<string>;
  /** See `OwnershipHeuristicsOptions`. */
  readonly commonInput?: boolean;
  readonly coinJoin?: CoinJoinOptions;
  readonly fundingSource?: boolean;
  readonly maxFundedPerFunder?: number;
  readonly depositReuse?: boolean;
  readonly linkDepositsBySweep?: boolean;
}

/**
 * Clustered addresses that left the graph before their clusters are compacted. Small, so that a
 * compaction is a few milliseconds; waiting until the forest outgrew the graph by a quarter made
 * it one pass over a quarter of a million addresses, a stall of half a second or more.
 */
const compactBatch = 4_096;

/** Distinct `chain:asset` strings kept for sharing (see `WalletGraph#assetKey`). */
const maxAssetKeys = 1_024;

/** Sizes, for memory tests and the benchmark. */
export interface WalletGraphSize {
  readonly nodes: number;
  readonly edges: number;
  readonly clusteredAddresses: number;
  readonly clusters: number;
  readonly labelledClusters: number;
}

/**
 * The wallet graph: a counterparty graph, ownership clusters over it, and hop distances from the
 * flagged clusters, all updated one transaction at a time. This is where the three are kept in
 * step (unions move proximity labels, evictions drop them, compaction re-roots them).
 *
 * Only settled (`success`) transactions change it: a failed one moved nothing, and a pending one
 * may be replaced or would count twice when mined. Zero-value transfers are not recorded: they
 * are how address poisoners write themselves into a victim's history.
 */
export class WalletGraph {
  readonly graph: CounterpartyGraph;
  readonly clusters: AddressClusters;
  readonly #proximity: FlaggedProximity;
  readonly #heuristics: OwnershipHeuristics;
  readonly #services: ReadonlySet<string>;
  readonly #hubDegree: number;
  readonly #maxHops: number;
  readonly #visitBudget: number;
  readonly #maxPairs: number;
  readonly #flagged = new Set<string>();
  /** For each flagged cluster's root, its smallest flagged address: a name for the cluster that survives unions. */
  readonly #flaggedByRoot = new Map<string, string>();
  readonly #compactAt: number;
  /**
   * Clustered addresses that left the graph (evicted, or linked while not in it) since the last
   * compaction: the only ones compaction can drop, so it looks at their clusters alone instead of
   * walking the whole forest, which at a million addresses stalled the stream for half a second.
   * Bounded by the forest, and emptied by each compaction.
   */
  readonly #gone = new Set<string>();
  /** chain → asset → `chain:asset` (see `#assetKey`). */
  readonly #assetKeys = new Map<string, Map<string, string>>();
  #assetKeyCount = 0;

  constructor(options: WalletGraphOptions = {}) {
    // The graph and the clusters ask about the same addresses: one index of ids between them at least.
    const keys = options.addresses ?? new KeyIndex<string>();
    this.clusters = new AddressClusters(keys);
    this.graph = new CounterpartyGraph({
      ...pick(options, ['maxNodes', 'maxEdgesPerNode', 'maxEdges', 'ttlMs']),
      keys,
      onEvict: (address, id) => {
        if (this.clusters.isClusteredId(id)) this.#gone.add(address);
        else this.#proximity.drop(address);
      },
    });
    const hotWallets = lowercased(options.exchangeHotWallets);
    this.#services = new Set([...lowercased(options.services), ...hotWallets]);
    this.#hubDegree = options.hubDegree ?? this.graph.maxEdgesPerNode;
    this.#maxHops = options.maxHops ?? 3;
    this.#visitBudget = options.visitBudget ?? 10_000;
    this.#maxPairs = options.maxPairsPerTransaction ?? 512;
    this.#compactAt = Math.max(1_024, Math.ceil(this.graph.maxNodes * 1.25));
    this.#heuristics = new OwnershipHeuristics(this.graph, {
      ...pick(options, ['commonInput', 'coinJoin', 'fundingSource', 'maxFundedPerFunder', 'depositReuse', 'linkDepositsBySweep']),
      services: this.#services,
      exchangeHotWallets: hotWallets,
      hubDegree: this.#hubDegree,
    });
    this.#proximity = new FlaggedProximity({
      graph: this.graph,
      clusters: this.clusters,
      maxHops: this.#maxHops,
      visitBudget: this.#visitBudget,
      maxSources: options.maxSourcesPerCluster ?? 4,
      passable: (address) => this.passable(address),
    });
    for (const address of options.flagged ?? []) this.flag(address);
  }

  get maxHops(): number {
    return this.#maxHops;
  }

  /**
   * Updates the graph, the clusters and proximity with one transaction. Returns the roots of the
   * clusters whose proximity to a flagged cluster improved (for the detector to check its
   * watched wallets against), and the ownership links it made.
   */
  observe(tx: Transaction): { readonly changed: ReadonlySet<string>; readonly links: readonly OwnershipLink[] } {
    const changed = new Set<string>();
    if (tx.status !== 'success') return { changed, links: [] };
    const links = this.#heuristics.links(tx);
    const transfers = this.#transfers(tx);
    for (const t of transfers) this.graph.record(t);
    // Linked addresses are kept as nodes even when the transaction moved nothing between them and
    // others (a consolidation back to one of its inputs): compaction keeps only addresses the graph holds.
    for (const link of links) {
      this.graph.see(link.a, tx.timestamp);
      this.graph.see(link.b, tx.timestamp);
    }
    for (const link of links) this.#union(link.a, link.b, changed);
    for (const t of transfers) this.#proximity.afterTransfer(t.from, t.to, changed);
    if (this.#gone.size >= compactBatch || this.clusters.tracked > this.#compactAt) this.#compact();
    return { changed, links };
  }

  /** Flags `address` (lowercased): its cluster becomes a source. Returns the roots whose proximity improved. */
  flag(address: string): ReadonlySet<string> {
    const a = address.toLowerCase();
    const changed = new Set<string>();
    if (this.#flagged.has(a)) return changed;
    this.#flagged.add(a);
    this.graph.pin(a);
    const root = this.clusters.find(a);
    const known = this.#flaggedByRoot.get(root);
    if (known === undefined || a < known) this.#flaggedByRoot.set(root, a);
    this.#proximity.seed(a, changed);
    return changed;
  }

  /** Keeps `address` in the graph whatever its age (watched wallets). */
  pin(address: string): void {
    this.graph.pin(address.toLowerCase());
  }

  isFlagged(address: string): boolean {
    return this.#flagged.has(address.toLowerCase());
  }

  /** The flagged cluster `address` belongs to, named by its smallest flagged address; undefined if none. */
  flaggedCluster(address: string): string | undefined {
    return this.#flaggedByRoot.get(this.clusters.find(address.toLowerCase()));
  }

  /** Whether proximity may pass through `address`: not through a service or a hub. */
  passable(address: string): boolean {
    return !this.#services.has(address) && this.graph.degree(address) < this.#hubDegree;
  }

  /** How close `address`'s cluster is to a flagged cluster, as kept current by the stream. */
  proximity(address: string): ProximityLabel | undefined {
    return this.#proximity.label(address.toLowerCase());
  }

  /** Searches now, from `address` outward (see `hopDistanceToFlagged`). */
  hopDistance(address: string, options: { readonly direction?: HopDirection; readonly maxHops?: number; readonly visitBudget?: number } = {}): Reach | undefined {
    return hopDistanceToFlagged(address.toLowerCase(), {
      graph: this.graph,
      clusters: this.clusters,
      flaggedIn: (root) => this.#flaggedByRoot.get(root),
      passable: (a) => this.passable(a),
      maxHops: options.maxHops ?? this.#maxHops,
      visitBudget: options.visitBudget ?? this.#visitBudget,
      ...(options.direction === undefined ? {} : { direction: options.direction }),
    });
  }

  size(): WalletGraphSize {
    return {
      nodes: this.graph.size,
      edges: this.graph.edgeCount,
      clusteredAddresses: this.clusters.tracked,
      clusters: this.clusters.clusters,
      labelledClusters: this.#proximity.size,
    };
  }

  #union(a: string, b: string, changed: Set<string>): void {
    const merge = this.clusters.union(a, b);
    if (merge === undefined) return;
    // With tiny caps, seeing `b` can evict `a` before they are linked: it joins the cluster already gone.
    if (!this.#keeps(a)) this.#gone.add(a);
    if (!this.#keeps(b)) this.#gone.add(b);
    const fa = this.#flaggedByRoot.get(merge.root);
    const fb = this.#flaggedByRoot.get(merge.absorbed);
    if (fb !== undefined) {
      this.#flaggedByRoot.delete(merge.absorbed);
      if (fa === undefined || fb < fa) this.#flaggedByRoot.set(merge.root, fb);
    }
    this.#proximity.afterUnion(merge.root, merge.absorbed, changed);
  }

  #compact(): void {
    const moved = this.clusters.compactSuspects(this.#gone, (a) => this.#keeps(a));
    this.#gone.clear();
    this.#proximity.remap(moved);
    const carried: [string, string][] = [];
    for (const [from, to] of moved) {
      const flagged = this.#flaggedByRoot.get(from);
      if (flagged === undefined) continue;
      this.#flaggedByRoot.delete(from);
      if (to !== undefined) carried.push([to, flagged]);
    }
    for (const [to, flagged] of carried) {
      const known = this.#flaggedByRoot.get(to);
      if (known === undefined || flagged < known) this.#flaggedByRoot.set(to, flagged);
    }
  }

  /** Whether compaction keeps `address` in its cluster: the graph still holds it, or it is pinned. */
  #keeps(address: string): boolean {
    return this.graph.has(address) || this.graph.isPinned(address);
  }

  /**
   * `chain:asset`, one shared string per asset: every edge keeps its asset, and a string per
   * asset rather than per transaction is an object fewer per edge. Bounded: a stream of invented
   * assets only empties the table now and then.
   */
  #assetKey(tx: Transaction): string {
    let byAsset = this.#assetKeys.get(tx.chain);
    let key = byAsset?.get(tx.asset);
    if (key !== undefined) return key;
    if (this.#assetKeyCount >= maxAssetKeys) {
      this.#assetKeys.clear();
      this.#assetKeyCount = 0;
      byAsset = undefined;
    }
    if (byAsset === undefined) {
      byAsset = new Map();
      this.#assetKeys.set(tx.chain, byAsset);
    }
    key = `${tx.chain}:${tx.asset}`;
    byAsset.set(tx.asset, key);
    this.#assetKeyCount += 1;
    return key;
  }

  /**
   * The transfers to record. Account: `from` → `to`. UTXO: each input address to each output
   * address that is not an input (change), with the output's amount shared among the inputs in
   * proportion to what they put in: which input paid which output is not on the chain.
   */
  #transfers(tx: Transaction): GraphTransfer[] {
    const asset = this.#assetKey(tx);
    const at = tx.timestamp;
    if (tx.kind === 'account') {
      if (tx.to === null || tx.amount <= 0n) return [];
      return [{ from: tx.from.toLowerCase(), to: tx.to.toLowerCase(), asset, amount: tx.amount, at }];
    }
    const inputs = new Map<string, bigint>();
    let totalIn = 0n;
    for (const i of tx.inputs) {
      const a = i.address.toLowerCase();
      inputs.set(a, (inputs.get(a) ?? 0n) + i.amount);
      totalIn += i.amount;
    }
    const outputs = new Map<string, bigint>();
    for (const o of tx.outputs) {
      const a = o.address.toLowerCase();
      if (!inputs.has(a) && o.amount > 0n) outputs.set(a, (outputs.get(a) ?? 0n) + o.amount);
    }
    const out: GraphTransfer[] = [];
    for (const [from, put] of inputs) {
      for (const [to, amount] of outputs) {
        if (out.length >= this.#maxPairs) return out;
        // Rounded down: a dust input's share can be 0, and the pair is still recorded.
        out.push({ from, to, asset, amount: totalIn === 0n ? 0n : (amount * put) / totalIn, at });
      }
    }
    return out;
  }
}

function lowercased(addresses: Iterable<string> | undefined): Set<string> {
  const out = new Set<string>();
  for (const a of addresses ?? []) out.add(a.toLowerCase());
  return out;
}

/** The options among `keys` that are set, so that undefined never overrides a default (exactOptionalPropertyTypes). */
function pick<T extends object, K extends keyof T>(options: T, keys: readonly K[]): { [P in K]?: Exclude<T[P], undefined> } {
  const out: { [P in K]?: Exclude<T[P], undefined> } = {};
  for (const key of keys) {
    const value = options[key];
    if (value !== undefined) out[key] = value as Exclude<T[K], undefined>;
  }
  return out;
}
