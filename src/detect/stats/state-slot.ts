/**
 * Where one estimator's numbers live: `data[offset …]`, a slice of a Float64Array shared by many
 * entities (see `EntityStateStore`).
 *
 * Why not one object per estimator: a million entities with a few estimators each would spend
 * more memory on object and typed-array headers (~100 bytes each) than on the numbers, and give
 * the garbage collector millions of objects to trace. Estimators here are stateless models
 * (their parameters only) that read and write a slot; a detector keeps one mutable slot and points
 * it at the entity it is working on.
 */
export interface StateSlot {
  data: Float64Array;
  offset: number;
}

/** A slot with a buffer of its own, for using one estimator on its own (tests, one series). */
export function ownSlot(width: number): StateSlot {
  return { data: new Float64Array(width), offset: 0 };
}
