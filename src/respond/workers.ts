/**
 * The background work of `vigil serve`: delivering the outbox, firing escalation timers, sending
 * reminders. Each worker does whatever is due *now* (by the injected clock) and returns; its state
 * lives in the store, so a restart loses nothing and any instance can pick up where another
 * stopped. Workers claim rows inside `Store.write`, which is serialised across processes, so two
 * instances never fire the same timer.
 *
 * Tests call `runOnce()` after moving a manual clock; the server calls `start()`.
 */
export interface Worker {
  readonly name: string;
  /** Does what is due now. Errors are reported and the worker runs again on the next round. */
  run(): Promise<void>;
}

export interface WorkersOptions {
  /** Time between rounds when nothing asks for one sooner. */
  readonly intervalMs: number;
  readonly onError: (worker: string, error: unknown) => void;
}

export class Workers {
  readonly #options: WorkersOptions;
  readonly #workers: Worker[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #started = false;

  constructor(options: WorkersOptions) {
    this.#options = options;
  }

  add(worker: Worker): void {
    this.#workers.push(worker);
  }

  /** Runs every worker once, in order; resolves when all are done. */
  async runOnce(): Promise<void> {
    for (const worker of this.#workers) {
      try {
        await worker.run();
      } catch (error) {
        this.#options.onError(worker.name, error);
      }
    }
  }

  /** Runs rounds every `intervalMs` until `stop()`. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedule(this.#options.intervalMs);
  }

  /**
   * Asks for a round as soon as possible: after an ingest that opened an incident, the first
   * page should not wait for the next interval. Rounds never overlap; a kick during a round
   * runs one more round after it.
   */
  kick(): void {
    if (!this.#started) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#schedule(0);
  }

  /** Stops the rounds and waits for the one in flight. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#round(), delayMs);
    this.#timer.unref();
  }

  #round(): void {
    this.#timer = undefined;
    this.#running = this.runOnce().finally(() => {
      this.#running = undefined;
      if (!this.#started) return;
      const again = this.#again;
      this.#again = false;
      this.#schedule(again ? 0 : this.#options.intervalMs);
    });
  }
}
