import { VigilError } from '../core/errors.js';

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a duration as Alertmanager and Go write them: `90m`, `2h`, `1h30m`, `1d12h`, `1w`
 * (units ms, s, m, h, d, w). VALIDATION_FAILED, naming `path`, for anything else or zero.
 */
export function parseDuration(text: string, path = 'duration'): number {
  const trimmed = text.trim();
  const part = /(\d+)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = part.exec(trimmed)) !== null) {
    total += Number(match[1]) * (unitMs[match[2]!] ?? 0);
    end = part.lastIndex;
  }
  if (trimmed === '' || end !== trimmed.length || !Number.isSafeInteger(total) || total <= 0) {
    throw new VigilError('VALIDATION_FAILED', `not a duration: ${JSON.stringify(text)} (use e.g. 90m, 2h, 1h30m, 1d)`, {
      details: [{ path, message: 'must be a duration like 90m, 2h, 1h30m or 1d' }],
    });
  }
  return total;
}

/** A duration in ms as the largest units that divide it: `2h`, `1h30m`, `45s`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
