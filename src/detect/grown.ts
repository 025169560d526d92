/**
 * A copy of a typed array with room for `length` entries, the new ones zero: how the slot
 * stores (`EntityStateStore`, `BoundedMap`) double their arrays as they fill.
 */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
