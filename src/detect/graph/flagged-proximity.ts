import type { AddressClusters } from './address-clusters.js';
import type { CounterpartyGraph } from './counterparty-graph.js';

/** A way from a flagged cluster to here: `hops` transfers between clusters, and the addresses on it. */
export interface Reach {
  readonly hops: number;
  /**
   * From a flagged address (its source) to the address where this cluster was entered. Two
   * consecutive addresses of one cluster are a same-owner step, which costs no hop.
   */
  readonly path: readonly string[];
}

/**
 * How close a cluster is to the flagged clusters, each way: the shortest reach from each of up to
 * `maxSources` flagged sources, nearest first. Per source rather than only the nearest, so that a
 * wallet one hop from one exploit still hears that it came within two hops of another.
 */
export interface ProximityLabel {
  /** Over transfers in either direction. */
  readonly near: readonly Reach[];
  /** Over transfers in the direction the money went: funds from a flagged cluster can have arrived here. */
  readonly flow: readonly Reach[];
}

export interface FlaggedProximityOptions {
  readonly graph: CounterpartyGraph;
  readonly clusters: AddressClusters;
  /** Labels are kept up to this many hops. */
  readonly maxHops: number;
  /** Edges and members looked at per update; past it the update stops (labels stay valid, maybe incomplete). */
  readonly visitBudget: number;
  /** Flagged sources remembered per cluster and direction; the nearest are kept. */
  readonly maxSources: number;
  /** Whether proximity may pass through `address` (false for services and hubs). */
  readonly passable: (address: string) => boolean;
}

interface Label {
  readonly near: Reach[];
  readonly flow: Reach[];
}

type Kind = 'near' | 'flow';

/**
 * Hop distance from the flagged clusters, kept up to date as the graph grows: a multi-source BFS
 * run incrementally. Labels are per cluster (root), so moving within one owner's addresses costs
 * no hop, and a cluster's label is the smallest over any of its addresses.
 *
 * The graph only grows between evictions, so distances only shrink: a new edge, a union or a new
 * flag can lower labels, and each of those is handled by relaxing across it and spreading from
 * whatever improved (a label-correcting BFS, bounded by `maxHops` and `visitBudget`). So a
 * transaction costs a couple of map look-ups unless it touches a labelled cluster.
 *
 * Every label is a real path that existed when it was set, so a finding never reports a path
 * that was not there. Labels can be stale the other way: evicting a node or an edge does not
 * raise the labels that went through it (the path was real; the detector reports when it
 * appeared). A budget cut leaves some clusters unlabelled or labelled long; they improve when a
 * later transaction touches them.
 *
 * Proximity does not pass through services or hubs (`passable`): a path through an exchange hot
 * wallet connects everyone. It can still start at one (a flagged cluster's own counterparties
 * are one hop away whatever it is) and end at one (a watched hot wallet is reached).
 */
export class FlaggedProximity {
  readonly #graph: CounterpartyGraph;
  readonly #clusters: AddressClusters;
  readonly #maxHops: number;
  readonly #visitBudget: number;
  readonly #maxSources: number;
  readonly #passable: (address: string) => boolean;
  readonly #labels = new Map<string, Label>();

  constructor(options: FlaggedProximityOptions) {
    this.#graph = options.graph;
    this.#clusters = options.clusters;
    this.#maxHops = options.maxHops;
    this.#visitBudget = options.visitBudget;
    this.#maxSources = options.maxSources;
    this.#passable = options.passable;
  }

  /** Labelled clusters (for memory tests). */
  get size(): number {
    return this.#labels.size;
  }

  label(address: string): ProximityLabel | undefined {
    return this.#labels.get(this.#clusters.find(address));
  }

  /** `address` is flagged: its cluster is a source. Improved roots are added to `changed`. */
  seed(address: string, changed: Set<string>): void {
    const root = this.#clusters.find(address);
    const reach: Reach = { hops: 0, path: [address] };
    let improved = this.#offer(root, 'near', reach);
    improved = this.#offer(root, 'flow', reach) || improved;
    if (improved) this.#spread([root], changed);
  }

  /** A transfer `from` → `to` was recorded: relax across it, both ways for `near`, forward for `flow`. */
  afterTransfer(from: string, to: string, changed: Set<string>): void {
    const rf = this.#clusters.find(from);
    const rt = this.#clusters.find(to);
    if (rf === rt) return;
    const lf = this.#labels.get(rf);
    const lt = this.#labels.get(rt);
    if (lf === undefined && lt === undefined) return;
    const improved: string[] = [];
    if (lf !== undefined && this.#passesFrom(lf, from)) {
      let better = this.#relax({ label: lf, kind: 'near', via: from, to, root: rt });
      better = this.#relax({ label: lf, kind: 'flow', via: from, to, root: rt }) || better;
      if (better) improved.push(rt);
    }
    if (lt !== undefined && this.#passesFrom(lt, to) && this.#relax({ label: lt, kind: 'near', via: to, to: from, root: rf })) improved.push(rf);
    if (improved.length > 0) this.#spread(improved, changed);
  }

  /** Clusters `absorbed` and `root` were merged into `root`: the merged cluster takes the better reaches of both. */
  afterUnion(root: string, absorbed: string, changed: Set<string>): void {
    const a = this.#labels.get(root);
    const b = this.#labels.get(absorbed);
    if (b === undefined) {
      // The absorbed side's members may lead somewhere new from the root's label.
      if (a !== undefined) this.#spread([root], changed);
      return;
    }
    this.#labels.delete(absorbed);
    if (a === undefined) this.#labels.set(root, b);
    else this.#merge(root, b);
    this.#spread([root], changed);
  }

  /** Clusters were compacted: move labels from old roots to new ones, dropping those left with no member. */
  remap(moved: ReadonlyMap<string, string | undefined>): void {
    const carried: [string, Label][] = [];
    for (const [from, to] of moved) {
      const label = this.#labels.get(from);
      if (label === undefined) continue;
      this.#labels.delete(from);
      if (to !== undefined) carried.push([to, label]);
    }
    for (const [to, label] of carried) {
      if (this.#labels.has(to)) this.#merge(to, label);
      else this.#labels.set(to, label);
    }
  }

  /** `address`, a cluster of its own, was evicted. */
  drop(address: string): void {
    this.#labels.delete(address);
  }

  #merge(root: string, from: Label): void {
    for (const reach of from.near) this.#offer(root, 'near', reach);
    for (const reach of from.flow) this.#offer(root, 'flow', reach);
  }

  /** Whether a cluster with `label` may pass proximity on through `member`: always from a flagged cluster, else not through a hub. */
  #passesFrom(label: Label, member: string): boolean {
    return label.near[0]?.hops === 0 || this.#passable(member);
  }

  /** Offers every reach of `label` of `kind` one hop further, to `root` through `via` → `to`. */
  #relax(r: { readonly label: Label; readonly kind: Kind; readonly via: string; readonly to: string; readonly root: string }): boolean {
    let improved = false;
    for (const reach of r.label[r.kind]) {
      if (reach.hops >= this.#maxHops) break;
      improved = this.#offer(r.root, r.kind, { hops: reach.hops + 1, path: extend(reach.path, r.via, r.to) }) || improved;
    }
    return improved;
  }

  /** Keeps `reach` if it is the first or a shorter one from its source, within `maxSources` nearest sources. */
  #offer(root: string, kind: Kind, reach: Reach): boolean {
    let label = this.#labels.get(root);
    if (label === undefined) {
      label = { near: [], flow: [] };
      this.#labels.set(root, label);
    }
    const reaches = label[kind];
    const source = reach.path[0];
    const same = reaches.findIndex((r) => r.path[0] === source);
    if (same >= 0) {
      if (reach.hops >= (reaches[same]?.hops ?? 0)) return false;
      reaches.splice(same, 1);
    } else if (reaches.length >= this.#maxSources) {
      if (reach.hops >= (reaches[reaches.length - 1]?.hops ?? 0)) return false;
      reaches.pop();
    }
    let at = reaches.length;
    while (at > 0 && (reaches[at - 1]?.hops ?? 0) > reach.hops) at -= 1;
    reaches.splice(at, 0, reach);
    return true;
  }

  /** Spreads improvements outward from `roots` through every member's edges, within the budget. */
  #spread(roots: readonly string[], changed: Set<string>): void {
    const queue = [...roots];
    for (const root of roots) changed.add(root);
    let visits = 0;
    for (let head = 0; head < queue.length && visits < this.#visitBudget; head += 1) {
      const root = queue[head] ?? '';
      const label = this.#labels.get(root);
      if (label === undefined) continue;
      const nearOpen = (label.near[0]?.hops ?? this.#maxHops) < this.#maxHops;
      const flowOpen = (label.flow[0]?.hops ?? this.#maxHops) < this.#maxHops;
      if (!nearOpen && !flowOpen) continue;
      for (const member of this.#clusters.members(root)) {
        visits += 1;
        if (!this.#passesFrom(label, member)) continue;
        for (const [counterparty, edge] of this.#graph.edges(member)) {
          visits += 1;
          const next = this.#clusters.find(counterparty);
          if (next === root) continue;
          let improved = nearOpen && this.#relax({ label, kind: 'near', via: member, to: counterparty, root: next });
          if (flowOpen && edge.sent > 0) improved = this.#relax({ label, kind: 'flow', via: member, to: counterparty, root: next }) || improved;
          if (improved) {
            changed.add(next);
            queue.push(next);
          }
        }
        if (visits >= this.#visitBudget) break;
      }
    }
  }
}

/** `path` then `via` (unless it already ends there) then `to`. */
function extend(path: readonly string[], via: string, to: string): readonly string[] {
  return path[path.length - 1] === via ? [...path, to] : [...path, via, to];
}
