import { randomBytes, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** Where identifiers come from: sortable ids for rows, and random secrets for tokens and keys. */
export interface Ids {
  /** A new sortable unique id (ULID). */
  id(): string;
  /** `bytes` random bytes as lowercase hex, for secrets. */
  secret(bytes: number): string;
}

export function createIds(): Ids {
  const ulid = monotonicFactory(pooledRandom());
  return {
    id: () => ulid(),
    secret: (bytes) => randomBytes(bytes).toString('hex'),
  };
}

/**
 * Cryptographic randomness in [0, 1) as ulid's generator wants it, one byte per call, drawn from
 * a pool refilled 4 KiB at a time. ulid's own generator asks the system for each of the 16
 * characters separately, which was 4% of the ingest path's time.
 */
export function pooledRandom(size = 4096): () => number {
  const pool = Buffer.alloc(size);
  let next = size;
  return () => {
    if (next === size) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}

/** Deterministic ids for tests: `prefix-1`, `prefix-2`, ... */
export function sequentialIds(prefix = 'id'): Ids {
  let n = 0;
  let s = 0;
  return {
    id: () => `${prefix}-${String(++n).padStart(6, '0')}`,
    secret: (bytes) => (++s).toString(16).padStart(bytes * 2, '0'),
  };
}
