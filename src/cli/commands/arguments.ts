import { VigilError } from '../../core/errors.js';

/** Parses an ISO 8601 time argument into ms; a usage mistake otherwise. */
export function time(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new VigilError('VALIDATION_FAILED', `not a time: ${text} (use ISO 8601, e.g. 2026-11-23T10:00:00Z)`);
  return ms;
}

/** A parser for an integer argument of at least `min`, naming the option in its error. */
export function integer(name: string, min = 0) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new VigilError('VALIDATION_FAILED', `${name} must be an integer of at least ${min}, not ${text}`);
    return n;
  };
}
