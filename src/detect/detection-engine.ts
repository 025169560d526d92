import type { Finding } from '../core/finding.js';
import type { Transaction } from '../core/transaction.js';

/**
 * A streaming detector: sees transactions one at a time in time order and returns what it
 * found. Detectors keep their own bounded state and read time only from the transactions, so
 * the same stream gives the same findings inside `vigil serve`, in a replay and in a benchmark.
 */
export interface TransactionDetector {
  readonly name: string;
  observe(tx: Transaction): readonly Finding[];
}

/** Decides whether a finding is kept; analyst feedback plugs in here. */
export interface FindingFilter {
  keep(finding: Finding): boolean;
}

export interface DetectorStats {
  readonly name: string;
  readonly transactions: number;
  readonly findings: number;
  readonly suppressed: number;
  readonly errors: number;
}

type Counts = { -readonly [K in keyof DetectorStats]: DetectorStats[K] };

/**
 * Runs every detector over every transaction. A detector that throws loses that transaction,
 * not the stream: the error is counted and the other detectors still see it.
 */
export class DetectionEngine {
  readonly #detectors: readonly TransactionDetector[];
  readonly #filter: FindingFilter | undefined;
  /** Counts per detector, in the detectors' order: an array, because it is read per detector per transaction. */
  readonly #stats: Counts[];
  #lastError: { detector: string; error: unknown } | undefined;

  constructor(options: { detectors: readonly TransactionDetector[]; filter?: FindingFilter }) {
    this.#detectors = options.detectors;
    this.#filter = options.filter;
    // Detectors of one name share their counts, as they always have.
    const byName = new Map<string, Counts>();
    this.#stats = options.detectors.map((d) => {
      let counts = byName.get(d.name);
      if (counts === undefined) {
        counts = { name: d.name, transactions: 0, findings: 0, suppressed: 0, errors: 0 };
        byName.set(d.name, counts);
      }
      return counts;
    });
  }

  get detectorNames(): string[] {
    return this.#detectors.map((d) => d.name);
  }

  /**
   * The kept findings of every detector on `transactions`, one after another, in order. With
   * `origins`, the name of the detector that made each finding is appended to it, in step with
   * the findings (a rule's finding names its rule, not the detector that counts it).
   */
  observeAll(transactions: Iterable<Transaction>, origins?: string[]): Finding[] {
    const out: Finding[] = [];
    for (const tx of transactions) for (const finding of this.observe(tx, origins)) out.push(finding);
    return out;
  }

  /** The kept findings of every detector on `tx` (`origins`: see `observeAll`). */
  observe(tx: Transaction, origins?: string[]): Finding[] {
    const out: Finding[] = [];
    for (let i = 0; i < this.#detectors.length; i += 1) {
      const detector = this.#detectors[i]!;
      const stats = this.#stats[i]!;
      stats.transactions += 1;
      let found: readonly Finding[];
      try {
        found = detector.observe(tx);
      } catch (error) {
        stats.errors += 1;
        this.#lastError = { detector: detector.name, error };
        continue;
      }
      for (const finding of found) {
        if (this.#filter !== undefined && !this.#filter.keep(finding)) {
          stats.suppressed += 1;
          continue;
        }
        stats.findings += 1;
        out.push(finding);
        origins?.push(detector.name);
      }
    }
    return out;
  }

  stats(): DetectorStats[] {
    return [...new Set(this.#stats)].map((s) => ({ ...s }));
  }

  /** The most recent detector failure, for logs and health. */
  lastError(): { detector: string; error: unknown } | undefined {
    return this.#lastError;
  }
}
