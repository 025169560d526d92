import { VigilError } from '../../core/errors.js';
import type { Severity } from '../../core/incident.js';

/** How often stakeholders expect an update, per severity, in ms; null: no reminders. */
export type UpdateCadence = Readonly<Record<Severity, number | null>>;

const MINUTE = 60_000;

/** SEV1 every 30 minutes, SEV2 hourly, SEV3 every 4 hours, SEV4 and SEV5 none. */
export const defaultUpdateCadence: UpdateCadence = { SEV1: 30 * MINUTE, SEV2: 60 * MINUTE, SEV3: 240 * MINUTE, SEV4: null, SEV5: null };

/**
 * Parses `SEV1=30,SEV2=60,SEV3=240,SEV4=off` (minutes) over the defaults: a severity not named
 * keeps its default, `off` or `0` turns its reminders off.
 */
export function parseUpdateCadence(text: string, base: UpdateCadence = defaultUpdateCadence): UpdateCadence {
  const cadence: Record<Severity, number | null> = { ...base };
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^(SEV[1-5])\s*=\s*(off|\d{1,6})$/i.exec(part);
    if (match === null) throw new VigilError('VALIDATION_FAILED', `not a cadence: ${part} (use SEV1=30,SEV2=60,SEV4=off; minutes)`);
    const severity = match[1]!.toUpperCase() as Severity;
    const minutes = match[2]!.toLowerCase() === 'off' ? 0 : Number(match[2]);
    cadence[severity] = minutes === 0 ? null : minutes * MINUTE;
  }
  return cadence;
}

