import type { Integration } from '../core/access.js';
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
 */
export class TransactionIntake {
  readonly #options: TransactionIntakeOptions;
  readonly #batchSize: number;
  #batch: Transaction[] = [];
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

  /** Detects the transactions added since the last flush and commits their findings. */
  async flush(): Promise<void> {
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const findings = await this.#options.detection.detect(batch);
    this.#findings += findings.length;
    if (findings.length === 0) return;
    const events = findings.map(findingEvent);
    for (const result of await this.#options.ingest(this.#options.integration, events)) {
      this.#outcomes[result.outcome] = (this.#outcomes[result.outcome] ?? 0) + 1;
    }
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
