import { VigilError } from '../core/errors.js';
import type { Transaction } from '../core/transaction.js';

/**
 * The in-process stream between producers of transactions (the chain watchers) and the
 * detection engine: a bounded FIFO queue read as an async iterable.
 *
 * Back-pressure: `write` settles only once the transaction is in the queue, so a producer that
 * awaits it never holds more than `capacity` transactions ahead of the consumer; a watcher that
 * catches up on thousands of blocks waits for the detectors and the store instead of filling
 * memory.
 *
 * This is the seam NATS JetStream replaces when Vigil is scaled out: producers would publish to
 * a subject per chain (`transactions.<chain>`) and detection workers would consume it with a
 * durable consumer, partitioned by chain and address. Producers and the consumer only see
 * `write`, `close` and async iteration, so neither changes.
 */
export class TransactionStream implements AsyncIterable<Transaction> {
  readonly #capacity: number;
  readonly #queue: Transaction[] = [];
  /** Producers waiting for room, in arrival order. */
  #writers: (() => void)[] = [];
  /** The consumer waiting for an item (or the end). */
  #reader: (() => void) | undefined;
  #closed = false;

  constructor(options: { readonly capacity: number }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${options.capacity}`);
    this.#capacity = options.capacity;
  }

  /** Transactions written and not yet read. */
  get size(): number {
    return this.#queue.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds a transaction, waiting while the queue is full. Rejects with `STREAM_CLOSED` when the
   * stream is closed before there is room: the transaction was not taken.
   */
  async write(tx: Transaction): Promise<void> {
    while (this.#queue.length >= this.#capacity && !this.#closed) {
      await new Promise<void>((resolve) => this.#writers.push(resolve));
    }
    if (this.#closed) throw new VigilError('STREAM_CLOSED', 'the transaction stream is closed');
    this.#queue.push(tx);
    this.#wakeReader();
  }

  /** No more writes; the consumer still reads what is queued, then the iteration ends. */
  close(): void {
    this.#closed = true;
    const writers = this.#writers;
    this.#writers = [];
    for (const wake of writers) wake();
    this.#wakeReader();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Transaction> {
    for (;;) {
      const tx = this.#queue.shift();
      if (tx !== undefined) {
        this.#writers.shift()?.();
        yield tx;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#reader = resolve;
      });
    }
  }

  #wakeReader(): void {
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.();
  }
}
