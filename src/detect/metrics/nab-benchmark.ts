import { MetricAnomalyDetector } from './metric-anomaly-detector.js';
import type { NabDataFile } from './nab-corpus.js';
import { labelNabCorpus, scoreNabDetector, type NabProfile, type NabProfileResult } from './nab-scorer.js';

/**
 * Runs a streaming detector over a NAB corpus and scores it, without touching files: the CLI
 * (`vigil bench nab`) reads the corpus, calls this, and writes the results. Time comes in through
 * `now` so the report's timing is testable.
 */

/** What NAB needs of a detector: one score in [0, 1] per point, points in time order. */
export interface StreamingScorer {
  score(value: number, timestamp: number): number;
}

/** The detectors `vigil bench nab --detector NAME` knows. A new instance per file: no state leaks between files. */
export const NAB_DETECTORS: Readonly<Record<string, () => StreamingScorer>> = {
  vigil: () => new MetricAnomalyDetector(),
  /** Never fires; scores 0 by definition, a check of the scorer's normalisation. */
  null: () => ({ score: () => 0 }),
};

/** The published scoreboard rows printed beside ours: results/final_results.json key → label. */
export const NAB_REFERENCE_DETECTORS: readonly { readonly key: string; readonly label: string }[] = [
  { key: 'numenta', label: 'Numenta HTM' },
  { key: 'ARTime', label: 'ARTime' },
];

export interface NabBenchReport {
  readonly detector: string;
  readonly files: number;
  readonly points: number;
  /** Wall time of the detector alone (no reading, writing or scoring), in milliseconds. */
  readonly detectorMs: number;
  readonly pointsPerSecond: number;
  /** Our scores per profile, at the threshold the sweep finds best for each. */
  readonly profiles: readonly NabProfileResult[];
  /** Published normalised scores of the reference detectors, profile → score. */
  readonly references: readonly { readonly label: string; readonly scores: Readonly<Record<string, number>> }[];
}

export interface NabBenchOptions {
  readonly corpus: readonly NabDataFile[];
  readonly profiles: readonly NabProfile[];
  readonly scoreboard: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly detector: string;
  /** Monotonic milliseconds; `performance.now` by default. */
  readonly now?: () => number;
}

/** Thrown for a detector name that is not in `NAB_DETECTORS`. */
export class UnknownNabDetectorError extends Error {
  override readonly name = 'UnknownNabDetectorError';
}

/** Runs the detector over every file (fresh instance each), then scores all three profiles with the sweep. */
export function runNabBenchmark(options: NabBenchOptions): { report: NabBenchReport; scores: Float64Array[] } {
  const create = NAB_DETECTORS[options.detector];
  if (create === undefined) {
    throw new UnknownNabDetectorError(`unknown detector "${options.detector}" (known: ${Object.keys(NAB_DETECTORS).join(', ')})`);
  }
  const now = options.now ?? (() => performance.now());
  let points = 0;
  const started = now();
  const scores = options.corpus.map((file) => {
    const detector = create();
    const out = new Float64Array(file.values.length);
    for (let i = 0; i < out.length; i++) out[i] = detector.score(file.values[i] ?? Number.NaN, file.timestamps[i] ?? Number.NaN);
    points += out.length;
    return out;
  });
  const detectorMs = now() - started;
  const profiles = scoreNabDetector({ corpus: labelNabCorpus(options.corpus), scores, profiles: options.profiles });
  const references = NAB_REFERENCE_DETECTORS.flatMap(({ key, label }) => {
    const row = options.scoreboard[key];
    return row === undefined ? [] : [{ label, scores: row }];
  });
  const report: NabBenchReport = {
    detector: options.detector,
    files: options.corpus.length,
    points,
    detectorMs,
    pointsPerSecond: detectorMs > 0 ? points / (detectorMs / 1000) : Infinity,
    profiles,
    references,
  };
  return { report, scores };
}

const PROFILE_COLUMNS: readonly { readonly profile: string; readonly title: string }[] = [
  { profile: 'standard', title: 'standard' },
  { profile: 'reward_low_FP_rate', title: 'low FP' },
  { profile: 'reward_low_FN_rate', title: 'low FN' },
];

/** The report as a Markdown table (ours beside the published rows), thresholds and timing. */
export function formatNabReport(report: NabBenchReport): string {
  const cell = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(2));
  const ours = Object.fromEntries(report.profiles.map((p) => [p.profile, p.normalised]));
  const lines = [
    `NAB: ${report.files} files, ${report.points.toLocaleString('en-US')} points; normalised scores (0 = null detector, 100 = perfect)`,
    '',
    `| detector | ${PROFILE_COLUMNS.map((c) => c.title).join(' | ')} |`,
    `| --- | ${PROFILE_COLUMNS.map(() => '---:').join(' | ')} |`,
    `| ${report.detector} (this run) | ${PROFILE_COLUMNS.map((c) => cell(ours[c.profile])).join(' | ')} |`,
    ...report.references.map((r) => `| ${r.label} (published) | ${PROFILE_COLUMNS.map((c) => cell(r.scores[c.profile])).join(' | ')} |`),
    '',
    `thresholds found by the sweep: ${report.profiles.map((p) => `${p.profile} ${p.threshold.toFixed(4)} (${p.tp} TP rows, ${p.fp} FP rows)`).join('; ')}`,
    `detector alone: ${(report.detectorMs / 1000).toFixed(2)} s wall for ${report.points.toLocaleString('en-US')} points (${Math.round(report.pointsPerSecond).toLocaleString('en-US')} points/s)`,
  ];
  return `${lines.join('\n')}\n`;
}
