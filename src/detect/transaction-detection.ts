import { VigilError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { Transaction } from '../core/transaction.js';
import type { DetectionEngine, DetectorStats } from './detection-engine.js';

/**
 * Runs transactions through the detectors a batch at a time. `vigil serve` has one, shared by
 * every intake (the transactions route and each chain watcher), so the detectors see one stream.
 * Two implementations: `InProcessDetection` runs the engine on the caller's thread (replays,
 * tests, detectors given as objects); `DetectionThread` (`./thread/`) runs it in a worker thread
 * of its own, so the detectors' work and their garbage collections never stall the event loop
 * that answers alerts.
 */
export interface TransactionDetection {
  /**
   * The findings of `transactions`, in order, kept by the suppression filter. Batches are run in
   * the order given. Rejects with `DETECTION_UNAVAILABLE` when the batch could not be run
   * (retryable: detection is closed, or its thread failed, and the detectors did not see the batch)
   * or its findings were lost after the detectors ran it (not retryable).
   */
  detect(transactions: readonly Transaction[]): Promise<Finding[]>;
  /** What the detectors have done since start, per detector name, and how often their thread failed. */
  stats(): DetectionStats;
  /** Stops detecting; a batch given after this is refused. */
  close(): Promise<void>;
}

export interface DetectionStats {
  /** Per detector: transactions seen, findings kept, findings suppressed, errors (a transaction it threw on). */
  readonly detectors: readonly DetectorStats[];
  /** Times the detection thread failed and its detectors started over (always 0 in process). */
  readonly failures: number;
}

/** The detection engine on the caller's thread. */
export class InProcessDetection implements TransactionDetection {
  readonly #engine: DetectionEngine;
  #closed = false;

  constructor(engine: DetectionEngine) {
    this.#engine = engine;
  }

  detect(transactions: readonly Transaction[]): Promise<Finding[]> {
    if (this.#closed) return Promise.reject(detectionClosed());
    return Promise.resolve(this.#engine.observeAll(transactions));
  }

  stats(): DetectionStats {
    return { detectors: this.#engine.stats(), failures: 0 };
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}

/** `DETECTION_UNAVAILABLE` for a batch given after `close()`. */
export function detectionClosed(): VigilError {
  return new VigilError('DETECTION_UNAVAILABLE', 'detection is closed (the server is stopping)', { retryable: true });
}

/**
 * `DETECTION_UNAVAILABLE` for a batch the detectors ran but whose findings did not come back (they
 * could not be copied out of the thread). Not retryable: the detectors have seen the batch, and
 * seeing it again would count it twice.
 */
export function detectionAnswerLost(reason: string): VigilError {
  return new VigilError('DETECTION_UNAVAILABLE', `the detectors ran the batch but their findings were lost: ${reason}`, { retryable: false });
}

/** `DETECTION_UNAVAILABLE` for a batch the detection thread did not run, with the reason. */
export function detectionFailed(reason: string, cause?: unknown): VigilError {
  return new VigilError('DETECTION_UNAVAILABLE', `the detectors did not run the batch: ${reason}`, { retryable: true, ...(cause === undefined ? {} : { cause }) });
}
