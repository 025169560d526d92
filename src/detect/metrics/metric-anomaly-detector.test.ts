import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_DETECTOR_PARAMS, MetricAnomalyDetector } from './metric-anomaly-detector.js';

const FIVE_MINUTES = 300_000;

/** A deterministic noisy daily wave, so tests need no randomness of their own. */
function wave(i: number): number {
  return 50 + 20 * Math.sin((2 * Math.PI * i) / 288) + 3 * Math.sin(i * 12.9898);
}

function run(values: readonly number[]): number[] {
  const detector = new MetricAnomalyDetector();
  return values.map((v, i) => detector.score(v, i * FIVE_MINUTES));
}

describe('MetricAnomalyDetector', () => {
  it('scores a range of a few denormals without dividing by it', () => {
    expect(run([0, -5e-324, -8.881784197001252e-16]).every((s) => s >= 0 && s <= 1)).toBe(true);
  });

  it('scores every point in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }), (values) => {
        for (const s of run(values)) {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('never looks ahead: a prefix scores the same whatever follows it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 10, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 100 }),
        (prefix, rest) => {
          expect(run([...prefix, ...rest]).slice(0, prefix.length)).toEqual(run(prefix));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('stays silent on a steady daily rhythm and alerts on a spike beyond anything seen', () => {
    const values = Array.from({ length: 3000 }, (_, i) => wave(i));
    values[2500] = 200;
    const scores = run(values);
    expect(Math.max(...scores.slice(1000, 2500))).toBeLessThan(DEFAULT_METRIC_DETECTOR_PARAMS.alertLevel);
    expect(scores[2500]).toBeGreaterThanOrEqual(DEFAULT_METRIC_DETECTOR_PARAMS.alertLevel);
  });

  it('stays quiet for the quiet period after an alert, so one incident makes one alert', () => {
    const values = Array.from({ length: 3000 }, (_, i) => wave(i));
    values[2500] = 200;
    values[2510] = 400;
    const scores = run(values);
    expect(scores.slice(2501, 2501 + DEFAULT_METRIC_DETECTOR_PARAMS.quietPeriod).every((s) => s === 0)).toBe(true);
  });

  it('never alerts on a flat line', () => {
    expect(Math.max(...run(new Array<number>(2000).fill(7)))).toBe(0);
  });

  it('scores a missing value 0 and carries on as if it had not come', () => {
    const detector = new MetricAnomalyDetector();
    expect(detector.score(Number.NaN, 0)).toBe(0);
    expect(detector.score(Number.POSITIVE_INFINITY, FIVE_MINUTES)).toBe(0);
  });
});
