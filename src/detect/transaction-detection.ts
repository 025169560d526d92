import type { Finding } from '../core/finding.js';
import type { Transaction } from '../core/transaction.js';
import type { DetectionEngine } from './detection-engine.js';

/**
 * Runs transactions through the detectors a batch at a time. `vigil serve` has one, shared by
 * every intake (the transactions route and each chain watcher), so the detectors see one stream.
 * Two implementations: `InProcessDetection` runs the engine on the caller's thread (replays,
 * tests, detectors given as objects); `DetectionThread` (`./thread/`) runs it in a worker thread
 * of its own, so the detectors' work and their garbage collections never stall the event loop
 * that answers alerts.
 */
export interface TransactionDetection {
  /** The findings of `transactions`, in order, kept by the suppression filter. Batches are run in the order given. */
  detect(transactions: readonly Transaction[]): Promise<Finding[]>;
  /** Stops detecting; a batch given after this is refused. */
  close(): Promise<void>;
}

/** The detection engine on the caller's thread. */
export class InProcessDetection implements TransactionDetection {
  readonly #engine: DetectionEngine;
  #closed = false;

  constructor(engine: DetectionEngine) {
    this.#engine = engine;
  }

  detect(transactions: readonly Transaction[]): Promise<Finding[]> {
    if (this.#closed) return Promise.reject(new DetectionClosedError());
    const out: Finding[] = [];
    for (const tx of transactions) for (const finding of this.#engine.observe(tx)) out.push(finding);
    return Promise.resolve(out);
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}

export class DetectionClosedError extends Error {
  constructor() {
    super('detection is closed');
    this.name = 'DetectionClosedError';
  }
}
