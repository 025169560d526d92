/**
 * What a chain watcher observes about its node, as state changes. Lag and stall fire and
 * resolve; a deep reorg only fires (it happened; a responder resolves it).
 */
export type WatchSignal = StallSignal | HeadLagSignal | ReorgSignal;

export interface StallSignal {
  readonly kind: 'stall';
  readonly status: 'firing' | 'resolved';
  readonly chain: string;
  /** The head the node is stuck at; undefined when it has never answered. */
  readonly head: number | undefined;
  /** How long since the head last moved (or since the watcher started), ms. */
  readonly stalledMs: number;
  /** The last error of the node, when it is failing rather than stuck. */
  readonly lastError: string | undefined;
  readonly at: number;
}

export interface HeadLagSignal {
  readonly kind: 'head_lag';
  readonly status: 'firing' | 'resolved';
  readonly chain: string;
  readonly head: number;
  /** The reference node's head, when one is configured and answered. */
  readonly referenceHead: number | undefined;
  readonly blocksBehind: number | undefined;
  /** The clock minus the newest block's timestamp, ms. */
  readonly behindMs: number | undefined;
  readonly at: number;
}

export interface ReorgSignal {
  readonly kind: 'reorg';
  readonly status: 'firing';
  readonly chain: string;
  /** Blocks replaced: the old tip's height minus the common ancestor's. */
  readonly depth: number;
  /** The highest height both branches share. */
  readonly ancestor: number;
  /** The first replaced height, with its hash on the old and the new branch (null: the new branch is shorter). */
  readonly height: number;
  readonly oldHash: string;
  readonly newHash: string | null;
  /** The old branch's tip. */
  readonly oldTip: number;
  readonly at: number;
}
