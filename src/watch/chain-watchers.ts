import type { Integration } from '../core/access.js';
import type { AlertEvent } from '../core/alert.js';
import type { ChainClient } from '../core/chain-client.js';
import type { Clock } from '../core/clock.js';
import type { EventResult } from '../correlate/correlator.js';
import type { DetectionEngine } from '../detect/detection-engine.js';
import { TransactionIntake } from '../detect/transaction-intake.js';
import { ChainWatcher, type ChainWatcherStatus } from './chain-watcher.js';
import { pumpTransactions } from './transaction-pump.js';
import { TransactionStream } from './transaction-stream.js';
import type { ChainWatchConfig, WatchConfig } from './watch-config.js';
import { watchSignalEvent } from './watch-signal-event.js';

export interface ChainWatchersOptions {
  readonly config: WatchConfig;
  readonly clock: Clock;
  /** The detection engine `vigil serve` runs; the watchers' transactions go through it. */
  readonly engine: DetectionEngine;
  /** Commits alert events (`Vigil.ingest`). */
  readonly ingest: (integration: Integration, events: readonly AlertEvent[]) => Promise<EventResult[]>;
  /** The `transactions` integration that owns one chain's findings and health alerts. */
  readonly integrationFor: (chain: ChainWatchConfig) => Promise<Integration>;
  /** A client for one node URL (the composition root picks the adapter). */
  readonly clientFor: (url: string) => ChainClient;
  /** Told of every failed poll or commit; the watcher goes on. */
  readonly onError: (chain: string, error: unknown) => void;
  /** Poll once, then keep polling (default); false leaves it to `pollOnce` (tests, `--once`). */
  readonly autoStart?: boolean;
}

interface Running {
  readonly watcher: ChainWatcher;
  readonly stream: TransactionStream;
  readonly pump: Promise<void>;
  readonly pollIntervalMs: number;
  loop: Promise<void> | undefined;
}

/**
 * The chain watchers of one process: per configured chain, a `ChainWatcher` polling its node, a
 * `TransactionStream` carrying its transactions, and a pump draining that stream into a
 * `TransactionIntake` on the shared detection engine, with the chain's integration (so its
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
    const { clock, engine, ingest, clientFor, onError } = this.#options;
    const integration = await this.#options.integrationFor(chain);
    const stream = new TransactionStream({ capacity: chain.queueCapacity });
    const intake = new TransactionIntake({ engine, integration, ingest });
    const watcher = new ChainWatcher({
      config: chain,
      client: clientFor(chain.rpcUrl),
      reference: chain.referenceRpcUrl === undefined ? undefined : clientFor(chain.referenceRpcUrl),
      clock,
      emit: (tx) => stream.write(tx),
      signal: async (signal) => {
        await ingest(integration, [watchSignalEvent(signal)]);
      },
    });
    const pump = pumpTransactions({ stream, sink: intake, onError: (error) => onError(chain.name, error) });
    return { watcher, stream, pump, pollIntervalMs: chain.pollIntervalMs, loop: undefined };
  }

  /** Polls every watcher once, in order (tests, and `--once`); errors go to `onError`. */
  async pollOnce(): Promise<void> {
    for (const r of this.#running) await this.#poll(r);
  }

  /** Resolves once every transaction handed to the streams so far is committed. */
  async drained(): Promise<void> {
    while (this.#running.some((r) => r.stream.size > 0)) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** True once `stop` was called. */
  get stopped(): boolean {
    return this.#stopping !== undefined;
  }

  status(): ChainWatcherStatus[] {
    return this.#running.map((r) => r.watcher.status());
  }

  /** Stops polling, lets the streams drain into the detectors, and waits for the last commit. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stop.abort();
      await Promise.all(this.#running.map((r) => r.loop ?? Promise.resolve()));
      for (const r of this.#running) r.stream.close();
      await Promise.all(this.#running.map((r) => r.pump));
    })();
    return this.#stopping;
  }

  async #poll(r: Running): Promise<boolean> {
    try {
      return await r.watcher.poll();
    } catch (error) {
      if (!this.#stop.signal.aborted) this.#options.onError(r.watcher.chain, error);
      return true;
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
