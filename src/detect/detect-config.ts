import { z } from 'zod';
import { RuleDetector } from './rules/rule-detector.js';
import { loadRules } from './rules/load-rules.js';
import type { TransactionDetector } from './detection-engine.js';
import { createTypologyDetectors, typologyConfigSchema } from './typologies/index.js';

/**
 * Everything the detectors are configured by, in one JSON document (`--detect-config FILE`):
 * the typologies' sections (prices, wallets, lists, dust and one section per typology), the
 * rules, and the names of detectors to leave out. Every field has a default, so `{}` is valid.
 */
export const detectConfigSchema = typologyConfigSchema.extend({
  /** Rule definitions; validated, with every problem reported, by `loadRules`. */
  rules: z.array(z.unknown()).max(1000).default([]),
  /** Detector names to leave out, such as `velocity` or `rules`. */
  disabled: z.array(z.string().min(1)).default([]),
});

export type DetectConfigInput = z.input<typeof detectConfigSchema>;

/** The detectors a config asks for, in a stable order. Throws with every problem of a bad config. */
export function createDetectors(input: unknown = {}): TransactionDetector[] {
  const { rules, disabled, ...typologies } = detectConfigSchema.parse(input);
  const off = new Set(disabled);
  const detectors: TransactionDetector[] = createTypologyDetectors(typologies).filter((d) => !off.has(d.name));
  if (!off.has('rules') && rules.length > 0) detectors.push(new RuleDetector({ rules: loadRules(rules) }));
  return detectors;
}
