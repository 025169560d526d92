import type { Integration } from '../core/access.js';
import { isVigilError, VigilError } from '../core/errors.js';
import type { AlertEvent } from '../core/alert.js';
import type { Transaction } from '../core/transaction.js';
import type { EventResult } from '../correlate/correlator.js';
import { findingEvent } from './finding-events.js';
import type { TransactionDetection } from './transaction-detection.js';

export interface IntakeSummary {
  readonly transactions: number;
  readonly findings: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly rejected: readonly { readonly line: number; readonly message: string }[];
  readonly rejectedCount: number;
}

export interface TransactionIntakeOptions {
  /** Only its batches are needed here. */
  readonly detection: Pick<TransactionDetection, 'detect'>;
  readonly integration: Integration;
  /** Commits alert events; resolves after the commit. */
  readonly ingest: (integration: Integration, events: readonly AlertEvent[]) => Promise<EventResult[]>;
  /** Transactions are detected, and their findings committed, in batches of this many (one commit each). */
  readonly batchSize?: number;
}

/** Keeps the first rejected lines for the answer; the count keeps growing past them. */
const keptRejections = 100;

/**
 * Feeds a stream of transactions through the detectors and commits what they find as alerts, a
 * batch at a time. `add` returns a promise that settles after the batch is detected and its
 * findings committed when a batch fills, which is how a streaming upload gets back-pressure: the
 * next line is read only then.
 *
 * A failed flush keeps the work that can be tried again for the next one, so a caller can try
 * again without losing or repeating anything:
 * - a batch the detectors refused unseen (`DETECTION_UNAVAILABLE`, retryable: a failed detection
 *   thread starts over with fresh detectors, which never saw it) goes to them once more, before
 *   anything added after it; refused twice, it is given up, since a batch under which the thread
 *   fails may be why it fails, and each failure costs every detector its state;
 * - findings whose commit failed are committed again, without being detected twice, unless the
 *   store said trying again cannot help (a `VigilError` that is not retryable).
 * What cannot be tried again is dropped at once (`unfinished` says what is kept, `givenUp` counts
 * what was dropped); `discard` gives the rest up. A commit that failed after the database took it
 * is committed twice: alerts are deduplicated by key, so that counts the alert once more and opens
 * nothing new.
 */
export class TransactionIntake {
  readonly #options: TransactionIntakeOptions;
  readonly #batchSize: number;
  #batch: Transaction[] = [];
  /** Transactions the detectors refused unseen once: sent once more, first, at the next flush. */
  #refused: Transaction[] = [];
  /** Alert events of findings already detected whose commit failed: committed first at the next flush. */
  #uncommitted: AlertEvent[] = [];
  /** Transactions and findings given up since start (dropped, or discarded). */
  #givenUp = 0;
  #transactions = 0;
  #findings = 0;
  readonly #outcomes: Record<string, number> = {};
  readonly #rejected: { line: number; message: string }[] = [];
  #rejectedCount = 0;

  constructor(options: TransactionIntakeOptions) {
    this.#options = options;
    this.#batchSize = options.batchSize ?? 500;
  }

  async add(tx: Transaction): Promise<void> {
    this.#transactions += 1;
    this.#batch.push(tx);
    if (this.#batch.length >= this.#batchSize) await this.flush();
  }

  reject(line: number, message: string): void {
    this.#rejectedCount += 1;
    if (this.#rejected.length < keptRejections) this.#rejected.push({ line, message });
  }

  /**
   * Commits the findings of a failed flush, if any, sends a batch the detectors refused once to
   * them again, then detects the transactions added since and commits their findings, in that
   * order. On failure what can be tried again waits for the next flush (see the class).
   */
  async flush(): Promise<void> {
    const uncommitted = this.#uncommitted;
    this.#uncommitted = [];
    if (uncommitted.length > 0) await this.#commit(uncommitted);
    const refused = this.#refused;
    this.#refused = [];
    if (refused.length > 0) await this.#detect(refused, { lastChance: true });
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length > 0) await this.#detect(batch, { lastChance: false });
  }

  /** What a failed flush kept for the next one, with what was added since. */
  get unfinished(): { readonly transactions: number; readonly findings: number } {
    return { transactions: this.#refused.length + this.#batch.length, findings: this.#uncommitted.length };
  }

  /** Transactions and findings given up since start: dropped as not worth trying again, or discarded. */
  get givenUp(): number {
    return this.#givenUp;
  }

  /** Gives up what a failed flush left (and anything added since): it is neither detected nor committed. */
  discard(): void {
    this.#givenUp += this.#refused.length + this.#batch.length + this.#uncommitted.length;
    this.#refused = [];
    this.#batch = [];
    this.#uncommitted = [];
  }

  async #detect(batch: Transaction[], attempt: { readonly lastChance: boolean }): Promise<void> {
    let findings;
    try {
      findings = await this.#options.detection.detect(batch);
    } catch (error) {
      if (!attempt.lastChance && isVigilError(error, 'DETECTION_UNAVAILABLE') && error.retryable) this.#refused = this.#refused.concat(batch);
      else this.#givenUp += batch.length;
      throw error;
    }
    this.#findings += findings.length;
    if (findings.length > 0) await this.#commit(findings.map(findingEvent));
  }

  async #commit(events: AlertEvent[]): Promise<void> {
    let results;
    try {
      results = await this.#options.ingest(this.#options.integration, events);
    } catch (error) {
      if (error instanceof VigilError && !error.retryable) this.#givenUp += events.length;
      else this.#uncommitted = this.#uncommitted.concat(events);
      throw error;
    }
    for (const result of results) this.#outcomes[result.outcome] = (this.#outcomes[result.outcome] ?? 0) + 1;
  }

  summary(): IntakeSummary {
    return {
      transactions: this.#transactions,
      findings: this.#findings,
      outcomes: { ...this.#outcomes },
      rejected: [...this.#rejected],
      rejectedCount: this.#rejectedCount,
    };
  }
}
