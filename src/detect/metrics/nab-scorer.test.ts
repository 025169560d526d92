import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNabCorpus, loadNabProfiles, loadNabResults, loadNabThresholds } from './nab-corpus.js';
import {
  NabLabelError,
  labelNabCorpus,
  nabNullScore,
  nabProbationaryLength,
  nabScaledSigmoid,
  normaliseNabScore,
  rankNabScores,
  scoreNabAtThreshold,
  scoreNabDetector,
  sweepNabThresholds,
  type NabLabelledFile,
} from './nab-scorer.js';

const standard = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const minute = 60_000;

/** 100 rows a minute apart (probation: 15 rows) with one window over rows 40..49. */
function oneWindowFile(rows = 100): NabLabelledFile {
  return { name: 'cat/file.csv', timestamps: Array.from({ length: rows }, (_, i) => i * minute), windows: [{ start: 40 * minute, end: 49 * minute }] };
}

function scoresWith(rows: number, detections: readonly number[], value = 1): number[] {
  const scores = new Array<number>(rows).fill(0);
  for (const i of detections) scores[i] = value;
  return scores;
}

function rawScore(file: NabLabelledFile, detections: readonly number[], costMatrix = standard): number {
  const ranked = rankNabScores(labelNabCorpus([file]), [scoresWith(file.timestamps.length, detections)]);
  return scoreNabAtThreshold(ranked, costMatrix, 0.5).score;
}

describe('NAB scaled sigmoid and probation', () => {
  it('is worth about 1 at the start of a window, 0 at its end and -1 three widths past it', () => {
    expect(nabScaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(nabScaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(nabScaledSigmoid(0)).toBe(0);
    expect(nabScaledSigmoid(3)).toBe(-1);
  });

  it('leaves 15 % of a file unscored, at most 750 rows', () => {
    expect(nabProbationaryLength(4032)).toBe(604);
    expect(nabProbationaryLength(22_695)).toBe(750);
  });
});

describe('NAB scoring of one file', () => {
  it('gives a window with no detection -fnWeight', () => {
    expect(rawScore(oneWindowFile(), [])).toBe(-1);
  });

  it('gives a detection on the first row of a window the full tpWeight', () => {
    expect(rawScore(oneWindowFile(), [40])).toBeCloseTo(1, 12);
  });

  it('counts only the best detection of a window', () => {
    expect(rawScore(oneWindowFile(), [40, 45, 49])).toBeCloseTo(1, 12);
    expect(rawScore(oneWindowFile(), [45])).toBeCloseTo(nabScaledSigmoid(-5 / 10) / nabScaledSigmoid(-1), 12);
  });

  it('charges a detection before any window the full fpWeight', () => {
    expect(rawScore(oneWindowFile(), [20])).toBeCloseTo(-1 - 0.11, 12);
  });

  it('ignores detections in the probationary rows', () => {
    expect(rawScore(oneWindowFile(), [3, 14])).toBe(-1);
  });

  it('charges a detection after a window by its distance from the window end over the width less one', () => {
    expect(rawScore(oneWindowFile(), [60])).toBeCloseTo(-1 + 0.11 * nabScaledSigmoid(11 / 9), 12);
  });

  it('detects at scores at or above the threshold', () => {
    const ranked = rankNabScores(labelNabCorpus([oneWindowFile()]), [scoresWith(100, [40], 0.7)]);
    expect(scoreNabAtThreshold(ranked, standard, 0.7).tp).toBe(1);
    expect(scoreNabAtThreshold(ranked, standard, 0.70001).tp).toBe(0);
  });

  it('refuses a window whose bounds are not rows of the data', () => {
    const file = { ...oneWindowFile(), windows: [{ start: 40.5 * minute, end: 49 * minute }] };
    expect(() => labelNabCorpus([file])).toThrow(NabLabelError);
  });
});

describe('NAB threshold sweep and normalisation', () => {
  it('finds the same best score as scoring every distinct threshold one by one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 100, maxLength: 100 }), (ints) => {
        const scores = ints.map((i) => i / 20);
        const ranked = rankNabScores(labelNabCorpus([oneWindowFile()]), [scores]);
        const swept = sweepNabThresholds(ranked, standard);
        const brute = Math.max(-1, ...[...new Set(scores)].map((t) => scoreNabAtThreshold(ranked, standard, t).score));
        expect(swept.score).toBeCloseTo(brute, 9);
        expect(scoreNabAtThreshold(ranked, standard, swept.threshold).score).toBeCloseTo(swept.score, 9);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps the highest threshold among thresholds that score the same', () => {
    // Rows 45 and 46 both lie in the window; at 0.8 or 0.9 the best detection is the same.
    const scores = scoresWith(100, [45], 0.9);
    scores[46] = 0.8;
    const swept = sweepNabThresholds(rankNabScores(labelNabCorpus([oneWindowFile()]), [scores]), standard);
    expect(swept.threshold).toBe(0.9);
  });

  it('normalises the null detector to 0 and a perfect one to 100', () => {
    const corpus = labelNabCorpus([oneWindowFile()]);
    expect(nabNullScore(corpus, standard)).toBe(-1);
    expect(normaliseNabScore({ raw: -1, costMatrix: standard, corpus })).toBe(0);
    expect(normaliseNabScore({ raw: 1, costMatrix: standard, corpus })).toBe(100);
  });
});

/** The repository sits beside `shared/`: from src/detect/metrics up to the repo root, then ../shared/data/nab. */
const NAB_DIR = fileURLToPath(new URL('../../../../shared/data/nab', import.meta.url));

describe('NAB scorer on the published Numenta HTM results', () => {
  it('reproduces the published scores at the recorded thresholds and finds them again by sweeping', async () => {
    const present = await stat(join(NAB_DIR, 'labels/combined_windows.json')).then(
      () => true,
      () => false,
    );
    if (!present) {
      throw new Error(`The NAB corpus is missing at ${NAB_DIR} (expected ../shared/data/nab beside the repository); this check cannot be skipped.`);
    }
    const source = { readText: (path: string) => readFile(join(NAB_DIR, path), 'utf8') };
    const corpus = await loadNabCorpus(source);
    const [profiles, thresholds, results] = await Promise.all([loadNabProfiles(source), loadNabThresholds(source, 'numenta'), loadNabResults(source, 'numenta', corpus)]);
    const labelled = labelNabCorpus(corpus);
    const byProfile = (rows: readonly { profile: string; normalised: number }[]): Record<string, string> =>
      Object.fromEntries(rows.map((r) => [r.profile, r.normalised.toFixed(2)]));

    expect(byProfile(scoreNabDetector({ corpus: labelled, scores: results, profiles, thresholds }))).toEqual({
      standard: '70.10',
      reward_low_FP_rate: '63.12',
      reward_low_FN_rate: '74.32',
    });
    expect(byProfile(scoreNabDetector({ corpus: labelled, scores: results, profiles }))).toEqual({
      standard: '70.10',
      reward_low_FP_rate: '63.21',
      reward_low_FN_rate: '74.32',
    });
  }, 30_000);
});
