import type { Integration } from '../core/access.js';
import type { AlertEvent } from '../core/alert.js';
import type { ChainClient } from '../core/chain-client.js';
import type { WatcherProgress } from '../core/watcher-progress.js';
import type { Clock } from '../core/clock.js';
import type { EventResult } from '../correlate/correlator.js';
import type { TransactionDetection } from '../detect/transaction-detection.js';
import { TransactionIntake } from '../detect/transaction-intake.js';
import { ChainWatcher, type ChainWatcherStatus } from './chain-watcher.js';
import { sleep } from './sleep.js';
import { pumpTransactions } from './transaction-pump.js';
import { TransactionStream } from './transaction-stream.js';
import type { ChainWatchConfig, WatchConfig } from './watch-config.js';
import { watchSignalEvent } from './watch-signal-event.js';

export interface ChainWatchersOptions {
  readonly config: WatchConfig;
  readonly clock: Clock;
  /** The detection `vigil serve` runs; the watchers' transactions go through it. */
  readonly detection: TransactionDetection;
  /** Commits alert events (`Vigil.ingest`). */
  readonly ingest: (integration: Integration, events: readonly AlertEvent[]) => Promise<EventResult[]>;
  /** The `transactions` integration that owns one chain's findings and health alerts. */
  readonly integrationFor: (chain: ChainWatchConfig) => Promise<Integration>;
  /** A client for one node URL (the composition root picks the adapter). */
  readonly clientFor: (url: string) => ChainClient;
  /**
   * Told of every failed poll or commit; the watcher goes on. `retrying`: a commit that will be
   * tried again (see `pumpTransactions`), nothing lost yet.
   */
  readonly onError: (chain: string, error: unknown, retrying?: boolean) => void;
  /** Waits before each new try of a failed commit. Default `commitRetryDelaysMs`. */
  readonly commitRetryDelaysMs?: readonly number[];
  /** Poll once, then keep polling (default); false leaves it to `pollOnce` (tests, `--once`). */
  readonly autoStart?: boolean;
  /** Where each chain's progress is kept between runs (the store); without it a restart starts at the head. */
  readonly progress?: WatcherProgressStore;
}

/** Keeps chain watchers' progress between runs. */
export interface WatcherProgressStore {
  load(chain: string): Promise<WatcherProgress | undefined>;
  save(progress: WatcherProgress): Promise<void>;
}

interface Running {
  readonly watcher: ChainWatcher;
  readonly stream: TransactionStream;
  /** Drains the stream into the detectors; settles once the stream is closed and empty. */
  pump: Promise<void>;
  readonly pollIntervalMs: number;
  loop: Promise<void> | undefined;
  /** Transactions the watcher has written to the stream, and how many of them are committed. */
  written: number;
  committed: number;
  /** Progress to save once the transactions written before it are committed. */
  waiting: { readonly progress: WatcherProgress; readonly after: number } | undefined;
  /** The last progress saved (or loaded), and the chain of saves in flight. */
  saved: WatcherProgress | undefined;
  saving: Promise<void>;
  /** Batches whose findings were lost (detection refused them, or their commit failed, in every try) since start. */
  lost: number;
}

/**
 * A running chain as `ChainWatchers` reports it: the watcher's own status, and where the process
 * stands with what the watcher found.
 */
export interface WatchedChainStatus extends ChainWatcherStatus {
  /** The block of the last progress saved (or loaded): a restart starts after it. */
  readonly savedBlock: number | undefined;
  /**
   * Batches of this chain's transactions whose findings were lost since start (a failed batch is
   * tried again for about half a minute first; see `pumpTransactions`). Past the first,
   * progress is no longer saved (a restart goes over those blocks again, with fresh detectors).
   */
  readonly lostBatches: number;
}

/**
 * The chain watchers of one process: per configured chain, a `ChainWatcher` polling its node, a
 * `TransactionStream` carrying its transactions, and a pump draining that stream into a
 * `TransactionIntake` on the shared detection, with the chain's integration (so its
 * findings and its health alerts belong to the chain's service).
 */
export class ChainWatchers {
  readonly #options: ChainWatchersOptions;
  readonly #running: Running[] = [];
  readonly #stop = new AbortController();
  #stopping: Promise<void> | undefined;

  private constructor(options: ChainWatchersOptions) {
    this.#options = options;
  }

  /** Finds or creates each chain's integration, then starts its watcher. */
  static async start(options: ChainWatchersOptions): Promise<ChainWatchers> {
    const watchers = new ChainWatchers(options);
    for (const chain of options.config.chains) watchers.#running.push(await watchers.#startOne(chain));
    if (options.autoStart !== false) {
      // The first round before resolving: once started, each watcher is anchored at its head, so
      // every block mined after `start` resolves is processed.
      const first = await Promise.all(watchers.#running.map((r) => watchers.#poll(r)));
      for (const [i, r] of watchers.#running.entries()) r.loop = watchers.#loop(r, first[i]!);
    }
    return watchers;
  }

  async #startOne(chain: ChainWatchConfig): Promise<Running> {
    const { clock, detection, ingest, clientFor, onError } = this.#options;
    const integration = await this.#options.integrationFor(chain);
    const stream = new TransactionStream({ capacity: chain.queueCapacity });
    const intake = new TransactionIntake({ detection, integration, ingest });
    const watcher = new ChainWatcher({
      config: chain,
      client: clientFor(chain.rpcUrl),
      reference: chain.referenceRpcUrl === undefined ? undefined : clientFor(chain.referenceRpcUrl),
      clock,
      emit: async (tx) => {
        await stream.write(tx);
        r.written += 1;
      },
      signal: async (signal) => {
        await ingest(integration, [watchSignalEvent(signal)]);
      },
    });
    const saved = await this.#options.progress?.load(chain.name);
    if (saved !== undefined) watcher.resumeFrom(saved);
    const r: Running = {
      watcher,
      stream,
      pump: Promise.resolve(),
      pollIntervalMs: chain.pollIntervalMs,
      loop: undefined,
      written: 0,
      committed: 0,
      waiting: undefined,
      saved,
      saving: Promise.resolve(),
      lost: 0,
    };
    r.pump = pumpTransactions({
      stream,
      sink: intake,
      onError: (error, retrying) => {
        if (!retrying) r.lost += 1;
        onError(chain.name, error, retrying);
      },
      signal: this.#stop.signal,
      ...(this.#options.commitRetryDelaysMs === undefined ? {} : { retryDelaysMs: this.#options.commitRetryDelaysMs }),
      onCommitted: (taken) => {
        r.committed = taken;
        this.#saveIfCommitted(r);
      },
    });
    return r;
  }

  /**
   * Saves the progress of the last poll once every transaction the watcher wrote before it is
   * committed, so a restart never skips a block whose findings were not yet alerts (after a lost
   * commit the pump stops reporting commits, and nothing more is saved until the next start).
   * Saves run one after another; a failed one is reported and tried again after the next poll.
   */
  #saveIfCommitted(r: Running): void {
    const store = this.#options.progress;
    const waiting = r.waiting;
    if (store === undefined || waiting === undefined || r.committed < waiting.after) return;
    r.waiting = undefined;
    if (r.saved !== undefined && sameProgress(r.saved, waiting.progress)) return;
    r.saving = r.saving
      .then(() => store.save(waiting.progress))
      .then(
        () => void (r.saved = waiting.progress),
        (error: unknown) => this.#options.onError(r.watcher.chain, error),
      );
  }

  /** Polls every watcher once, in order (tests, and `--once`); errors go to `onError`. */
  async pollOnce(): Promise<void> {
    for (const r of this.#running) await this.#poll(r);
  }

  /**
   * Resolves once every transaction handed to the streams so far is committed. After a lost batch
   * commits are no longer reported, so for a chain with one it waits only for its stream to empty.
   */
  async drained(): Promise<void> {
    const busy = (r: Running) => r.stream.size > 0 || (r.lost === 0 && r.committed < r.written);
    while (this.#running.some(busy)) await sleep(5);
  }

  /** True once `stop` was called. */
  get stopped(): boolean {
    return this.#stopping !== undefined;
  }

  status(): WatchedChainStatus[] {
    return this.#running.map((r) => ({ ...r.watcher.status(), savedBlock: r.saved?.processed, lostBatches: r.lost }));
  }

  /** Stops polling, lets the streams drain into the detectors, and waits for the last commit. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stop.abort();
      await Promise.all(this.#running.map((r) => r.loop ?? Promise.resolve()));
      for (const r of this.#running) r.stream.close();
      await Promise.all(this.#running.map((r) => r.pump));
      await Promise.all(this.#running.map((r) => r.saving));
    })();
    return this.#stopping;
  }

  async #poll(r: Running): Promise<boolean> {
    try {
      return await r.watcher.poll();
    } catch (error) {
      if (!this.#stop.signal.aborted) this.#options.onError(r.watcher.chain, error);
      return true;
    } finally {
      const progress = r.watcher.progress();
      if (progress !== undefined) {
        r.waiting = { progress, after: r.written };
        this.#saveIfCommitted(r);
      }
    }
  }

  async #loop(r: Running, caughtUp: boolean): Promise<void> {
    for (;;) {
      // Behind the head: the next batch at once (after other work gets a turn).
      await sleep(caughtUp ? r.pollIntervalMs : 0, this.#stop.signal);
      if (this.#stop.signal.aborted) return;
      caughtUp = await this.#poll(r);
    }
  }
}

function sameProgress(a: WatcherProgress, b: WatcherProgress): boolean {
  const last = (p: WatcherProgress) => p.hashes[p.hashes.length - 1];
  return a.processed === b.processed && last(a)?.hash === last(b)?.hash;
}
