import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** Where identifiers come from: sortable ids for rows, and random secrets for tokens and keys. */
export interface Ids {
  /** A new sortable unique id (ULID). */
  id(): string;
  /** `bytes` random bytes as lowercase hex, for secrets. */
  secret(bytes: number): string;
}

export function createIds(): Ids {
  const ulid = monotonicFactory();
  return {
    id: () => ulid(),
    secret: (bytes) => randomBytes(bytes).toString('hex'),
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
