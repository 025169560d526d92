import type { AddressClusters } from './address-clusters.js';
import type { CounterpartyGraph } from './counterparty-graph.js';
import type { Reach } from './flagged-proximity.js';

/** Which transfers a path may use: any (`any`), or only those that carried funds toward the address (`inbound`). */
export type HopDirection = 'any' | 'inbound';

export interface HopSearch {
  readonly graph: CounterpartyGraph;
  readonly clusters: AddressClusters;
  /** The flagged address of a cluster root, if the cluster is flagged. */
  readonly flaggedIn: (root: string) => string | undefined;
  /** Whether proximity may pass through `address` (false for services and hubs). */
  readonly passable: (address: string) => boolean;
  /** Default 3. */
  readonly maxHops?: number;
  /** Edges and members looked at before giving up. Default 10,000. */
  readonly visitBudget?: number;
  /** Default `any`. */
  readonly direction?: HopDirection;
}

interface Step {
  /** The cluster this step came from (toward the address). */
  readonly towards: string;
  /** The address in this cluster that sent. */
  readonly sender: string;
  /** The address in `towards` that received. */
  readonly receiver: string;
}

/**
 * The shortest way from any flagged cluster to `address`, by breadth-first search from the
 * address outward, over clusters (a same-owner step costs no hop), at most `maxHops` and
 * `visitBudget`; undefined when none is found within them. Same rules as `FlaggedProximity`
 * (no passing through hubs), so on an unbounded graph the two agree; this one answers for any
 * address on demand, that one keeps the answers current for the watched wallets as the stream
 * flows.
 */
export function hopDistanceToFlagged(address: string, search: HopSearch): Reach | undefined {
  const { graph, clusters } = search;
  const maxHops = search.maxHops ?? 3;
  const budget = search.visitBudget ?? 10_000;
  const inbound = (search.direction ?? 'any') === 'inbound';
  const start = clusters.find(address);
  const startFlag = search.flaggedIn(start);
  if (startFlag !== undefined) return { hops: 0, path: startFlag === address ? [address] : [startFlag, address] };

  const steps = new Map<string, Step | null>([[start, null]]);
  let frontier = [start];
  let visits = 0;
  for (let hops = 1; hops <= maxHops && frontier.length > 0; hops += 1) {
    const next: string[] = [];
    for (const root of frontier) {
      for (const member of clusters.members(root)) {
        for (const [counterparty, edge] of graph.edges(member)) {
          if (++visits > budget) return undefined;
          if (inbound && edge.received === 0) continue;
          const other = clusters.find(counterparty);
          if (steps.has(other)) continue;
          const flagged = search.flaggedIn(other);
          // The forward path leaves `other` through `counterparty`: a hub passes nothing on, unless it is the flagged source.
          if (flagged === undefined && !search.passable(counterparty)) continue;
          steps.set(other, { towards: root, sender: counterparty, receiver: member });
          if (flagged !== undefined) return { hops, path: pathFrom({ flagged, root: other, steps, address }) };
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return undefined;
}

function pathFrom(p: { readonly flagged: string; readonly root: string; readonly steps: ReadonlyMap<string, Step | null>; readonly address: string }): string[] {
  const path = [p.flagged];
  const push = (a: string): void => {
    if (path[path.length - 1] !== a) path.push(a);
  };
  let step = p.steps.get(p.root) ?? null;
  while (step !== null) {
    push(step.sender);
    push(step.receiver);
    step = p.steps.get(step.towards) ?? null;
  }
  push(p.address);
  return path;
}
