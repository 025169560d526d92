import type { TransactionDetector } from '../detection-engine.js';

// The detector port lives with the engine that runs it; typologies implement it.
export type { TransactionDetector } from '../detection-engine.js';

/**
 * A typology detector that can say how much it holds: the number of live entries over all its
 * state maps. The memory tests assert it stays under the caps; the benchmark can print it.
 */
export interface TypologyDetector extends TransactionDetector {
  stateSize(): number;
}
