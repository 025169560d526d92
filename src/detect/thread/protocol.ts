import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import type { DetectorStats } from '../detection-engine.js';

/** What the detection thread is started with. */
export interface DetectionWorkerData {
  /** The detect config as JSON (what `createDetectors` takes), already validated by the caller. */
  readonly config: unknown;
}

/** A batch to run, in stream order. */
export interface DetectionRequest {
  readonly id: number;
  readonly transactions: readonly Transaction[];
}

/**
 * The thread's messages: `ready` once its detectors are built; then, per batch, its findings with
 * the name of the detector that made each (`origins`, in step) and the engine's counts after it,
 * or why it could not be run (with the counts too: the engine may have counted part of it).
 */
export type DetectionReply =
  | { readonly ready: true }
  | { readonly id: number; readonly findings: Finding[]; readonly origins: readonly string[]; readonly stats: readonly DetectorStats[] }
  | { readonly id: number; readonly error: string; readonly stats: readonly DetectorStats[] };
