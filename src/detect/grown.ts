/**
 * A copy of a typed array with room for `length` entries, the new ones zero: how the slot
 * stores (`EntityStateStore`, `BoundedMap`) double their arrays as they fill.
 */
export function grown<T extends Float64Array | Int32Array | Uint8Array | BigUint64Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  // The same kind of array on both sides; `set` is typed for one element type at a time.
  (copy as unknown as { set(source: T): void }).set(array);
  return copy;
}

/**
 * Pads `array` with `undefined` up to `length`. Arrays indexed by a shared `KeyIndex` id see ids
 * far past their end; writing one there directly would leave a gap, and past a gap of about a
 * thousand V8 turns the array into a dictionary, each access a hash look-up.
 */
export function padded<T>(array: (T | undefined)[], length: number): void {
  while (array.length < length) array.push(undefined);
}
