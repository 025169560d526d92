import type { HeadLagSignal, StallSignal, WatchSignal } from './watch-signal.js';

export interface ChainHealthOptions {
  readonly chain: string;
  /** No new block for longer than this: a stall. */
  readonly stallMs: number;
  /** Behind the reference head by more than this: head lag. */
  readonly maxLagBlocks: number;
  /** The newest block older than this by the clock: head lag; undefined: off. */
  readonly maxLagMs: number | undefined;
  /** When watching began: a node that never answers stalls counting from here. */
  readonly startedAt: number;
}

/** One look at the node: its head, when known. */
export interface HeadObservation {
  readonly now: number;
  /** Undefined when the node did not answer. */
  readonly head: number | undefined;
  /** The head block's timestamp, ms. */
  readonly headTimestamp?: number | undefined;
  /** The reference node's head, when one is configured and answered. */
  readonly referenceHead?: number | undefined;
  /** Why the node did not answer. */
  readonly error?: string | undefined;
}

type Known = 'firing' | 'resolved' | 'unknown';

/**
 * Decides stall and head lag from a sequence of observations; pure (time comes in with each
 * observation), so it is tested with plain numbers.
 *
 * It returns state changes only. The first observation reports the current state either way:
 * after a restart, a stall that healed while Vigil was down is resolved (the correlator ignores
 * a resolve for an alert that is not firing), and one that persists folds into the firing alert.
 */
export class ChainHealth {
  readonly #options: ChainHealthOptions;
  #head: number | undefined;
  #advancedAt: number;
  #stall: Known = 'unknown';
  #lag: Known = 'unknown';

  constructor(options: ChainHealthOptions) {
    this.#options = options;
    this.#advancedAt = options.startedAt;
  }

  observe(o: HeadObservation): WatchSignal[] {
    if (o.head !== undefined && (this.#head === undefined || o.head > this.#head)) this.#advancedAt = o.now;
    if (o.head !== undefined) this.#head = o.head;
    const signals: WatchSignal[] = [];
    const stalledMs = o.now - this.#advancedAt;
    const stalled = stalledMs > this.#options.stallMs;
    const stall: StallSignal = {
      kind: 'stall',
      status: stalled ? 'firing' : 'resolved',
      chain: this.#options.chain,
      head: this.#head,
      stalledMs,
      lastError: o.error,
      at: o.now,
    };
    if (this.#stall !== stall.status) signals.push(stall);
    this.#stall = stall.status;

    // Lag needs an answer from the node; without one the state stays as it was.
    if (o.head !== undefined) {
      const blocksBehind = o.referenceHead === undefined ? undefined : Math.max(0, o.referenceHead - o.head);
      const behindMs = o.headTimestamp === undefined ? undefined : Math.max(0, o.now - o.headTimestamp);
      const lagging =
        (blocksBehind !== undefined && blocksBehind > this.#options.maxLagBlocks) ||
        (behindMs !== undefined && this.#options.maxLagMs !== undefined && behindMs > this.#options.maxLagMs);
      const lag: HeadLagSignal = {
        kind: 'head_lag',
        status: lagging ? 'firing' : 'resolved',
        chain: this.#options.chain,
        head: o.head,
        referenceHead: o.referenceHead,
        blocksBehind,
        behindMs,
        at: o.now,
      };
      if (this.#lag !== lag.status) signals.push(lag);
      this.#lag = lag.status;
    }
    return signals;
  }

  /**
   * Forgets what was reported, so the next observation reports the current state again: for when
   * a state change could not be delivered.
   */
  forget(): void {
    this.#stall = 'unknown';
    this.#lag = 'unknown';
  }

  /** The current states, for status output. */
  state(): { readonly stall: Known; readonly headLag: Known; readonly head: number | undefined; readonly lastAdvanceAt: number } {
    return { stall: this.#stall, headLag: this.#lag, head: this.#head, lastAdvanceAt: this.#advancedAt };
  }
}
