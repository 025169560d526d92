import type { Integration } from '../core/access.js';
import type { AlertEvent } from '../core/alert.js';
import type { Transaction } from '../core/transaction.js';
import type { EventResult } from '../correlate/correlator.js';
import type { DetectionEngine } from './detection-engine.js';
import { findingEvent } from './finding-events.js';

export interface IntakeSummary {
  readonly transactions: number;
  readonly findings: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly rejected: readonly { readonly line: number; readonly message: string }[];
  readonly rejectedCount: number;
}

export interface TransactionIntakeOptions {
  readonly engine: DetectionEngine;
  readonly integration: Integration;
  /** Commits alert events; resolves after the commit. */
  readonly ingest: (integration: Integration, events: readonly AlertEvent[]) => Promise<EventResult[]>;
  /** Findings are committed in batches of this many transactions (one commit each). */
  readonly batchSize?: number;
}

/** Keeps the first rejected lines for the answer; the count keeps growing past them. */
const keptRejections = 100;

/**
 * Feeds a stream of transactions through the detection engine and commits what it finds as
 * alerts, a batch at a time. `add` returns a promise that settles after a commit when a batch
 * fills, which is how a streaming upload gets back-pressure: the next line is read only then.
 */
export class TransactionIntake {
  readonly #options: TransactionIntakeOptions;
  readonly #batchSize: number;
  #pending: AlertEvent[] = [];
  #inBatch = 0;
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
    for (const finding of this.#options.engine.observe(tx)) {
      this.#findings += 1;
      this.#pending.push(findingEvent(finding));
    }
    this.#inBatch += 1;
    if (this.#inBatch >= this.#batchSize) await this.flush();
  }

  reject(line: number, message: string): void {
    this.#rejectedCount += 1;
    if (this.#rejected.length < keptRejections) this.#rejected.push({ line, message });
  }

  async flush(): Promise<void> {
    this.#inBatch = 0;
    if (this.#pending.length === 0) return;
    const events = this.#pending;
    this.#pending = [];
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
