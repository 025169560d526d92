import type { Finding, FindingSeverity } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import type { Reach } from './flagged-proximity.js';
import { WalletGraph, type WalletGraphOptions } from './wallet-graph.js';

/**
 * Which address a finding is about (its `entity`, which with the alert id is the dedup key and
 * groups findings into incidents): the flagged cluster (the attacker, so the finding joins the
 * exploit's incident and adds its laundering stage), or the watched wallet (one alert per exposed
 * wallet).
 */
export type ProximityEntity = 'flagged-cluster' | 'watched-wallet';

export interface GraphProximityDetectorOptions extends WalletGraphOptions {
  /** `Finding.detector` and the engine's name for it. Default `wallet-graph`. */
  readonly name?: string;
  /** The wallets to protect (your hot wallets, treasury); pinned in the graph. */
  readonly watched?: Iterable<string>;
  /** One finding per (watched wallet, flagged cluster) per this long, in event time. Default 24 hours. */
  readonly cooldownMs?: number;
  /** Default `flagged-cluster`. */
  readonly entity?: ProximityEntity;
}

/** Cooldown entries kept before the expired ones are swept. */
const cooldownSweepAt = 10_000;

/**
 * Raises `VIGIL-GRAPH-PROXIMITY` when a watched wallet comes within `maxHops` of a flagged
 * cluster in the wallet graph, with the hop count and the path of addresses in its metadata.
 * Stage `laundering` when the path follows the money (funds left the flagged cluster and moved,
 * transfer by transfer, toward the watched wallet); no stage when the wallet is only connected
 * (for example, it paid an address that later paid the attacker).
 *
 * A watched wallet is checked when a transaction improves its cluster's proximity or involves
 * it directly, so a stream costs nothing extra for the wallets nowhere near a flagged cluster.
 * One finding per (watched wallet, flagged cluster) per cooldown.
 */
export class GraphProximityDetector {
  readonly name: string;
  readonly walletGraph: WalletGraph;
  readonly #watched = new Set<string>();
  readonly #cooldownMs: number;
  readonly #entity: ProximityEntity;
  /** Last finding time per watched wallet and flagged cluster. */
  readonly #lastRaised = new Map<string, number>();

  constructor(options: GraphProximityDetectorOptions = {}) {
    this.name = options.name ?? 'wallet-graph';
    this.walletGraph = new WalletGraph(options);
    this.#cooldownMs = options.cooldownMs ?? 24 * 3_600_000;
    this.#entity = options.entity ?? 'flagged-cluster';
    for (const address of options.watched ?? []) this.watch(address);
  }

  /** Entries held over all its maps (graph nodes, clustered addresses, labels, cooldowns), for memory tests and the benchmark. */
  stateSize(): number {
    const size = this.walletGraph.size();
    return size.nodes + size.clusteredAddresses + size.labelledClusters + this.#lastRaised.size;
  }

  /** Watches `address` (pinned in the graph from now on). */
  watch(address: string): void {
    const a = address.toLowerCase();
    this.#watched.add(a);
    this.walletGraph.pin(a);
  }

  /**
   * Flags an address while the stream runs (an exploit was just attributed). Returns the
   * findings for watched wallets already within reach, dated `at` (event time).
   */
  flag(address: string, at: number): Finding[] {
    const changed = this.walletGraph.flag(address);
    return this.#check({ changed, involved: [], at, txHash: undefined });
  }

  observe(tx: Transaction): Finding[] {
    if (tx.status !== 'success') return [];
    const { changed } = this.walletGraph.observe(tx);
    const involved = this.#watched.size === 0 ? noAddresses : this.#watchedParticipants(tx);
    if (changed.size === 0 && involved.length === 0) return [];
    return this.#check({ changed, involved, at: tx.timestamp, txHash: tx.hash });
  }

  /** The watched addresses among the transaction's participants; no array is made when there are none, the usual case. */
  #watchedParticipants(tx: Transaction): readonly string[] {
    if (tx.kind === 'account') {
      const from = tx.from.toLowerCase();
      const to = tx.to === null ? undefined : tx.to.toLowerCase();
      const fromWatched = this.#watched.has(from);
      const toWatched = to !== undefined && this.#watched.has(to);
      if (!fromWatched && !toWatched) return noAddresses;
      return fromWatched && toWatched ? [from, to] : fromWatched ? [from] : [to ?? ''];
    }
    return participants(tx).filter((a) => this.#watched.has(a));
  }

  #check(c: { readonly changed: ReadonlySet<string>; readonly involved: readonly string[]; readonly at: number; readonly txHash: string | undefined }): Finding[] {
    const candidates = new Set(c.involved);
    if (c.changed.size > 0) {
      for (const w of this.#watched) if (c.changed.has(this.walletGraph.clusters.find(w))) candidates.add(w);
    }
    const findings: Finding[] = [];
    const maxHops = this.walletGraph.maxHops;
    for (const watched of [...candidates].sort()) {
      const label = this.walletGraph.proximity(watched);
      if (label === undefined) continue;
      // Per flagged cluster: the way the money came if it did, else the nearest connection.
      const byCluster = new Map<string, { reach: Reach; flow: boolean; nearestHops: number | undefined }>();
      for (const [reaches, flow] of [[label.flow, true], [label.near, false]] as const) {
        for (const reach of reaches) {
          if (reach.hops > maxHops) continue;
          const source = reach.path[0] ?? watched;
          const cluster = this.walletGraph.flaggedCluster(source) ?? source;
          const seen = byCluster.get(cluster);
          if (seen === undefined) byCluster.set(cluster, { reach, flow, nearestHops: flow ? undefined : reach.hops });
          else if (!flow && seen.nearestHops === undefined) seen.nearestHops = reach.hops;
        }
      }
      for (const [cluster, found] of byCluster) {
        const key = `${watched} ${cluster}`;
        const last = this.#lastRaised.get(key);
        if (last !== undefined && c.at - last < this.#cooldownMs) continue;
        this.#remember(key, c.at);
        const path = found.reach.path[found.reach.path.length - 1] === watched ? [...found.reach.path] : [...found.reach.path, watched];
        findings.push(this.#finding({ watched, cluster, reach: found.reach, path, flow: found.flow, nearHops: found.nearestHops, at: c.at, txHash: c.txHash }));
      }
    }
    return findings;
  }

  #remember(key: string, at: number): void {
    if (this.#lastRaised.size >= cooldownSweepAt) {
      for (const [k, t] of this.#lastRaised) if (at - t >= this.#cooldownMs) this.#lastRaised.delete(k);
    }
    this.#lastRaised.delete(key);
    this.#lastRaised.set(key, at);
  }

  #finding(f: {
    readonly watched: string;
    readonly cluster: string;
    readonly reach: Reach;
    readonly path: readonly string[];
    readonly flow: boolean;
    readonly nearHops: number | undefined;
    readonly at: number;
    readonly txHash: string | undefined;
  }): Finding {
    const hops = f.reach.hops;
    const entity = this.#entityOf(f.watched, f.cluster);
    const addresses = [...new Set([entity, f.watched, f.cluster, ...f.path])];
    const metadata: Record<string, string> = {
      watched: f.watched,
      flaggedCluster: f.cluster,
      hops: String(hops),
      maxHops: String(this.walletGraph.maxHops),
      path: f.path.join(','),
      direction: f.flow ? 'funds-from-flagged' : 'connected',
    };
    if (f.nearHops !== undefined) metadata.nearestHops = String(f.nearHops);
    const unit = hops === 1 ? 'hop' : 'hops';
    const description = f.flow
      ? `Funds from flagged ${f.cluster} reached watched wallet ${f.watched} in ${hops} ${unit}: ${f.path.join(' → ')}`
      : `Watched wallet ${f.watched} is ${hops} ${unit} from flagged ${f.cluster}: ${f.path.join(' — ')}`;
    return {
      name: 'Watched wallet near a flagged cluster',
      description,
      alertId: 'VIGIL-GRAPH-PROXIMITY',
      severity: severityFor(hops),
      type: 'Suspicious',
      metadata,
      addresses,
      labels: [],
      detector: this.name,
      entity,
      ...(f.flow ? { stage: 'laundering' as const } : {}),
      txHashes: f.txHash === undefined ? [] : [f.txHash],
      at: f.at,
    };
  }

  #entityOf(watched: string, cluster: string): string {
    switch (this.#entity) {
      case 'flagged-cluster':
        return cluster;
      case 'watched-wallet':
        return watched;
    }
  }
}

/** Closer is worse: in the flagged cluster itself is Critical, one hop High, two Medium, more Low. */
function severityFor(hops: number): FindingSeverity {
  if (hops === 0) return 'Critical';
  if (hops === 1) return 'High';
  if (hops === 2) return 'Medium';
  return 'Low';
}

const noAddresses: readonly string[] = [];

/** Every address a transaction touches, lowercased. */
function participants(tx: Transaction): string[] {
  if (tx.kind === 'account') return tx.to === null ? [tx.from.toLowerCase()] : [tx.from.toLowerCase(), tx.to.toLowerCase()];
  return [...tx.inputs.map((i) => i.address.toLowerCase()), ...tx.outputs.map((o) => o.address.toLowerCase())];
}
