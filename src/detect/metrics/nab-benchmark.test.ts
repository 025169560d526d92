import { describe, expect, it } from 'vitest';
import { UnknownNabDetectorError, formatNabReport, runNabBenchmark } from './nab-benchmark.js';
import type { NabDataFile } from './nab-corpus.js';

const minute = 60_000;

/** A 1000-row file with one spike and a window around it. */
function spikeFile(): NabDataFile {
  const values = Array.from({ length: 1000 }, (_, i) => 10 + Math.sin(i / 5));
  values[800] = 100;
  const timestamps = values.map((_, i) => i * minute);
  return {
    name: 'cat/spike.csv',
    category: 'cat',
    fileName: 'spike.csv',
    timestamps,
    timestampTexts: timestamps.map((t) => new Date(t).toISOString()),
    values,
    valueTexts: values.map(String),
    windows: [{ start: 760 * minute, end: 840 * minute }],
  };
}

const profiles = [
  { name: 'standard', costMatrix: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 } },
  { name: 'reward_low_FP_rate', costMatrix: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 } },
  { name: 'reward_low_FN_rate', costMatrix: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 } },
];
const scoreboard = { numenta: { standard: 70.1, reward_low_FP_rate: 63.12, reward_low_FN_rate: 74.32 } };

describe('runNabBenchmark', () => {
  it('scores the null detector 0 on every profile', () => {
    const { report } = runNabBenchmark({ corpus: [spikeFile()], profiles, scoreboard, detector: 'null' });
    expect(report.profiles.map((p) => p.normalised)).toEqual([0, 0, 0]);
  });

  it('finds the spike with the Vigil detector and times the detector with the given clock', () => {
    let t = 0;
    const { report, scores } = runNabBenchmark({ corpus: [spikeFile()], profiles, scoreboard, detector: 'vigil', now: () => (t += 500) });
    expect(scores[0]?.[800]).toBeGreaterThan(0.5);
    expect(report.profiles[0]?.normalised).toBeGreaterThan(90);
    expect(report).toMatchObject({ files: 1, points: 1000, detectorMs: 500, pointsPerSecond: 2000 });
  });

  it('prints our scores beside the published rows, with the timing', () => {
    let t = 0;
    const { report } = runNabBenchmark({ corpus: [spikeFile()], profiles, scoreboard, detector: 'null', now: () => (t += 1000) });
    const text = formatNabReport(report);
    expect(text).toContain('| null (this run) | 0.00 | 0.00 | 0.00 |');
    expect(text).toContain('| Numenta HTM (published) | 70.10 | 63.12 | 74.32 |');
    expect(text).toContain('1.00 s wall for 1,000 points (1,000 points/s)');
  });

  it('refuses a detector it does not know, naming the ones it does', () => {
    expect(() => runNabBenchmark({ corpus: [spikeFile()], profiles, scoreboard, detector: 'htm' })).toThrow(UnknownNabDetectorError);
  });
});
