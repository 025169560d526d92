import { describe, expect, it } from 'vitest';
import { createDetectors } from '../detect-config.js';
import { DetectionEngine } from '../detection-engine.js';
import { evaluate, typologyOfFinding } from './evaluate.js';
import { simulateTransactions, worldDetectConfig } from './simulator.js';

describe('evaluating the typology detectors on generated traffic', () => {
  it('finds every injected instance of each typology, with few false alarms on background traffic', () => {
    const count = 120_000;
    const engine = new DetectionEngine({ detectors: createDetectors(worldDetectConfig(11, count)) });
    const result = evaluate({ stream: simulateTransactions({ scenario: 'mixed', count, seed: 11 }), engine, typologyOf: typologyOfFinding });
    expect(result.transactions).toBe(count);
    expect(result.scores.map((s) => s.typology)).toHaveLength(10);
    for (const score of result.scores) {
      expect(score.recall, score.typology).toBeGreaterThanOrEqual(0.9);
      expect(score.falsePositives, score.typology).toBeLessThanOrEqual(Math.max(5, score.truePositives));
    }
  });

  it('scores nothing as found on pure background traffic', () => {
    const engine = new DetectionEngine({ detectors: createDetectors(worldDetectConfig(12, 20_000)) });
    const result = evaluate({ stream: simulateTransactions({ scenario: 'background', count: 20_000, seed: 12 }), engine, typologyOf: typologyOfFinding });
    expect(result.scores.every((s) => s.instances === 0 && s.found === 0 && s.truePositives === 0)).toBe(true);
  });
});
