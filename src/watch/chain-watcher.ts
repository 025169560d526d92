import type { BlockHeader, ChainClient } from '../core/chain-client.js';
import type { Clock } from '../core/clock.js';
import type { Transaction } from '../core/transaction.js';
import { ChainHealth } from './chain-health.js';
import { evmTransactions, type EvmAssets } from './evm-transactions.js';
import type { ChainWatchConfig } from './watch-config.js';
import type { ReorgSignal, WatchSignal } from './watch-signal.js';
import type { WatcherProgress } from '../core/watcher-progress.js';

export interface ChainWatcherOptions {
  readonly config: ChainWatchConfig;
  readonly client: ChainClient;
  /** A second node whose head is the reference for head lag. */
  readonly reference?: ChainClient | undefined;
  readonly clock: Clock;
  /** Hands one transaction to the detectors; awaiting it is the back-pressure. */
  readonly emit: (tx: Transaction) => Promise<void>;
  /** Told of health changes (stall, head lag) and of every deep reorg. */
  readonly signal: (signal: WatchSignal) => Promise<void>;
}

export interface ChainWatcherStatus {
  readonly chain: string;
  readonly head: number | undefined;
  /** The last block whose transactions went to the detectors. */
  readonly processed: number | undefined;
  readonly blocks: number;
  readonly transactions: number;
  readonly reorgs: number;
  readonly deepestReorg: number;
  readonly stall: string;
  readonly headLag: string;
  readonly lastError: string | undefined;
}

/**
 * Follows one EVM chain: each `poll` asks the node for its head, checks that the blocks already
 * processed are still on the node's chain (a reorg otherwise), processes up to
 * `maxBlocksPerPoll` new blocks in order (their transactions to `emit`) and tells `signal` of
 * stall and head lag changes. The logic depends only on the `ChainClient` port and the clock.
 *
 * Where it stands (`progress()`) can be saved and handed to `resumeFrom` after a restart, so the
 * blocks mined while it was down are processed (`ChainWatchers` does that through the store).
 * Without saved progress it starts at `startBlock`, or else just after the node's head.
 *
 * Reorgs: the hashes of the last `reorgWindow` processed blocks are kept. When the node's block at
 * the processed tip (or at its head, if lower) has another hash, the watcher walks back to the
 * highest height whose hash still matches (the common ancestor), forgets what is above it, and
 * processes the new branch from there, so its transactions reach the detectors. What the old
 * branch's transactions produced is not withdrawn (see the README).
 */
export class ChainWatcher {
  readonly #options: ChainWatcherOptions;
  readonly #config: ChainWatchConfig;
  readonly #assets: EvmAssets;
  readonly #health: ChainHealth;
  /** Processed height -> hash, the last `reorgWindow` of them. */
  readonly #hashes = new Map<number, string>();
  #next: number | undefined;
  #head: number | undefined;
  #headHeader: BlockHeader | undefined;
  #blocks = 0;
  #transactions = 0;
  #reorgs = 0;
  #deepestReorg = 0;
  #lastError: string | undefined;

  constructor(options: ChainWatcherOptions) {
    this.#options = options;
    this.#config = options.config;
    this.#assets = {
      chain: options.config.name,
      asset: options.config.asset,
      decimals: options.config.decimals,
      tokens: new Map(options.config.tokens.map((t) => [t.address.toLowerCase(), { symbol: t.symbol, decimals: t.decimals }])),
    };
    const t = options.config.thresholds;
    this.#health = new ChainHealth({
      chain: options.config.name,
      stallMs: t.stallSeconds * 1000,
      maxLagBlocks: t.maxLagBlocks,
      maxLagMs: t.maxLagSeconds === undefined ? undefined : t.maxLagSeconds * 1000,
      startedAt: options.clock.now(),
    });
  }

  get chain(): string {
    return this.#config.name;
  }

  /**
   * One round. Resolves true when the watcher has processed everything up to the node's head,
   * false when more blocks wait (the caller polls again at once). A node that fails is reported
   * as a stall once it has lasted `stallSeconds`; the error is kept for status and rethrown.
   */
  async poll(): Promise<boolean> {
    let head: number;
    try {
      head = await this.#options.client.headNumber();
    } catch (error) {
      this.#lastError = errorText(error);
      await this.#tell(this.#health.observe({ now: this.#options.clock.now(), head: undefined, error: this.#lastError }));
      throw error;
    }
    this.#head = head;
    try {
      await this.#follow(head);
      this.#lastError = undefined;
    } catch (error) {
      this.#lastError = errorText(error);
      throw error;
    } finally {
      await this.#observeHealth(head);
    }
    return this.#next === undefined || this.#next > head;
  }

  /** Where the watcher stands: undefined until its first poll anchored it. */
  progress(): WatcherProgress | undefined {
    if (this.#next === undefined || !this.#hashes.has(this.#next - 1)) return undefined;
    return { chain: this.#config.name, processed: this.#next - 1, hashes: [...this.#hashes].map(([number, hash]) => ({ number, hash })) };
  }

  /**
   * Starts from saved progress instead of `startBlock` or the head: the next poll first checks the
   * saved blocks against the node's chain (a reorg while the watcher was down is found as any
   * other), then processes the blocks after them. Only before the first poll.
   */
  resumeFrom(progress: WatcherProgress): void {
    if (this.#next !== undefined) throw new Error(`the ${this.#config.name} watcher has already started`);
    const kept = [...progress.hashes].sort((a, b) => a.number - b.number).slice(-this.#config.reorgWindow);
    for (const { number, hash } of kept) this.#hashes.set(number, hash);
    this.#next = progress.processed + 1;
  }

  status(): ChainWatcherStatus {
    const health = this.#health.state();
    return {
      chain: this.#config.name,
      head: this.#head,
      processed: this.#next === undefined ? undefined : this.#next - 1,
      blocks: this.#blocks,
      transactions: this.#transactions,
      reorgs: this.#reorgs,
      deepestReorg: this.#deepestReorg,
      stall: health.stall,
      headLag: health.headLag,
      lastError: this.#lastError,
    };
  }

  async #follow(head: number): Promise<void> {
    if (this.#next === undefined) {
      if (this.#config.startBlock !== undefined) {
        this.#next = this.#config.startBlock;
      } else {
        // Start after the head; its hash anchors reorg detection from the first new block.
        const header = await this.#options.client.header(head);
        if (header !== undefined) this.#remember(header.number, header.hash);
        this.#next = head + 1;
        return;
      }
    }
    await this.#checkReorg(head);
    const last = Math.min(head, this.#next + this.#config.maxBlocksPerPoll - 1);
    while (this.#next <= last) {
      const number: number = this.#next;
      const block = await this.#options.client.block(number);
      if (block === undefined) return;
      const parent = this.#hashes.get(number - 1);
      // The node moved to another branch between the reorg check and this fetch: the next
      // poll's check finds the common ancestor.
      if (parent !== undefined && block.parentHash !== parent) return;
      for (const tx of evmTransactions(block, this.#assets)) {
        await this.#options.emit(tx);
        this.#transactions += 1;
      }
      this.#remember(number, block.hash);
      if (number === head) this.#headHeader = block;
      this.#blocks += 1;
      this.#next = number + 1;
    }
  }

  async #checkReorg(head: number): Promise<void> {
    const tip = this.#next! - 1;
    const top = Math.min(tip, head);
    if (!this.#hashes.has(top)) return;
    // A node whose head is below the processed tip but still on the same chain is behind, not
    // reorganised (a load-balanced provider can answer from a slower backend): wait for it.
    if (top < tip && (await this.#options.client.header(top))?.hash === this.#hashes.get(top)) return;
    const lowest = Math.min(...this.#hashes.keys());
    // Walk back from the highest height both know to the first whose hash still matches: the
    // common ancestor. Usually the first look matches and this is one request per poll.
    const seen = new Map<number, string | null>();
    let ancestor = lowest - 1;
    for (let height = top; height >= lowest; height -= 1) {
      const header = await this.#options.client.header(height);
      if (header?.hash === this.#hashes.get(height)) {
        ancestor = height;
        break;
      }
      seen.set(height, header?.hash ?? null);
    }
    if (ancestor === tip) return;
    const height = ancestor + 1;
    // The new branch may be shorter than the old one (no block at `height` yet): newHash null.
    const newHash = seen.has(height) ? seen.get(height)! : height <= head ? ((await this.#options.client.header(height))?.hash ?? null) : null;
    const reorg: ReorgSignal = {
      kind: 'reorg',
      status: 'firing',
      chain: this.#config.name,
      depth: tip - ancestor,
      ancestor,
      height,
      oldHash: this.#hashes.get(height) ?? '',
      newHash,
      oldTip: tip,
      at: this.#options.clock.now(),
    };
    for (const h of [...this.#hashes.keys()]) if (h > ancestor) this.#hashes.delete(h);
    this.#next = height;
    this.#reorgs += 1;
    this.#deepestReorg = Math.max(this.#deepestReorg, reorg.depth);
    if (reorg.depth >= this.#config.thresholds.reorgDepth) await this.#tell([reorg]);
  }

  async #observeHealth(head: number): Promise<void> {
    let headTimestamp: number | undefined;
    if (this.#config.thresholds.maxLagSeconds !== undefined) {
      if (this.#headHeader?.number !== head) this.#headHeader = await this.#options.client.header(head).catch(() => undefined);
      headTimestamp = this.#headHeader?.number === head ? this.#headHeader.timestamp : undefined;
    }
    const referenceHead = this.#options.reference === undefined ? undefined : await this.#options.reference.headNumber().catch(() => undefined);
    await this.#tell(this.#health.observe({ now: this.#options.clock.now(), head, headTimestamp, referenceHead, error: this.#lastError }));
  }

  #remember(number: number, hash: string): void {
    this.#hashes.set(number, hash);
    for (const h of this.#hashes.keys()) {
      if (h > number - this.#config.reorgWindow) break;
      this.#hashes.delete(h);
    }
  }

  async #tell(signals: readonly WatchSignal[]): Promise<void> {
    try {
      for (const s of signals) await this.#options.signal(s);
    } catch (error) {
      // Not delivered (the store failed): the next poll reports the current state again.
      this.#health.forget();
      throw error;
    }
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'failed';
}
