import { describe, expect, it } from 'vitest';
import { createDetectors } from './detect-config.js';
import { KeyIndex } from './key-index.js';
import { simulateTransactions, worldDetectConfig } from './simulate/simulator.js';

/** Entries a detector holds over all its state, where it says (every typology, stats, the wallet graph). */
function heldBy(detector: object): number {
  return 'stateSize' in detector && typeof detector.stateSize === 'function' ? (detector.stateSize() as number) : 0;
}

describe('createDetectors', () => {
  it('every detector lets go of the addresses it drops: the shared index never holds more than the detectors do, and stays under their caps', () => {
    const count = 40_000;
    const caps = { maxEntities: 500 };
    const config = {
      ...worldDetectConfig(7, count),
      structuring: caps,
      fanOutFanIn: caps,
      passThrough: { ...worldDetectConfig(7, count).passThrough, ...caps },
      peelChain: caps,
      exposure: caps,
      dusting: caps,
      velocity: caps,
      stats: { maxEntries: 1_000 },
      graph: { maxNodes: 1_000, maxEdges: 4_000 },
    };
    const addresses = new KeyIndex<string>();
    const detectors = createDetectors(config, addresses);
    let peak = 0;
    let i = 0;
    for (const { tx: transaction } of simulateTransactions({ scenario: 'mixed', count, seed: 7, freshShare: 1 })) {
      for (const detector of detectors) detector.observe(transaction);
      i += 1;
      if (i % 1_000 === 0) {
        const held = detectors.reduce((sum, d) => sum + heldBy(d), 0);
        expect(addresses.size).toBeLessThanOrEqual(held);
        peak = Math.max(peak, addresses.size);
      }
    }
    // Eight typology maps of 500 (fan-out's two directions, peel chain's two maps), 1,000 baselines, 1,000
    // graph nodes and the clusters over them (compacted once they outgrow the graph by a quarter):
    // far below the ~80,000 addresses the stream went through, so ids were let go and handed out again.
    expect(peak).toBeLessThanOrEqual(9 * 500 + 1_000 + 1_000 + 1_250);
    expect(addresses.capacity).toBeLessThanOrEqual(9 * 500 + 1_000 + 1_000 + 1_250);
    expect(peak).toBeGreaterThan(1_000);
  });
});
