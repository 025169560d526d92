import type { TransactionDetector } from '../detection-engine.js';
import type { KeyIndex } from '../key-index.js';

// The detector port lives with the engine that runs it; typologies implement it.
export type { TransactionDetector } from '../detection-engine.js';

/**
 * A typology detector that can say how much it holds: the number of live entries over all its
 * state maps. The memory tests assert it stays under the caps; the benchmark can print it.
 */
export interface TypologyDetector extends TransactionDetector {
  stateSize(): number;
}

/** The option of the typologies that keep per-address state. */
export interface SharedAddressKeys {
  /**
   * Ids for addresses, shared with the other detectors' per-address maps so that a transaction
   * costs one hash probe per address between them (see `KeyIndex`). Default: ids of their own.
   */
  readonly addresses?: KeyIndex<string> | undefined;
}
