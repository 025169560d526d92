import { z } from 'zod';
import { KeyIndex } from './key-index.js';
import { RuleDetector } from './rules/rule-detector.js';
import { loadRules } from './rules/load-rules.js';
import type { TransactionDetector } from './detection-engine.js';
import { createTypologyDetectors, typologyConfigSchema } from './typologies/index.js';
import { GraphProximityDetector } from './graph/graph-proximity-detector.js';
import { StatisticalDetector } from './stats/statistical-detector.js';

const positive = z.number().positive();
const count = z.number().int().min(1);

/** The statistical detector's settings; see src/detect/stats/README.md. */
const statsSchema = z
  .strictObject({
    robustThreshold: positive.optional(),
    warmup: count.optional(),
    minScale: positive.optional(),
    side: z.enum(['both', 'high']).optional(),
    hstThreshold: z.number().gt(0).max(1).optional(),
    halfLifeMs: count.optional(),
    maxEntries: count.optional(),
    ttlMs: count.optional(),
  })
  .prefault({});

/** The wallet graph's settings; see src/detect/graph/README.md. Sanctioned addresses are always flagged. */
const graphSchema = z
  .strictObject({
    /** Addresses of known attackers or exploits, flagged beside the sanctioned list. */
    flagged: z.array(z.string().min(1)).default([]),
    maxHops: count.optional(),
    cooldownMs: count.optional(),
    maxNodes: count.optional(),
    maxEdgesPerNode: count.optional(),
    maxEdges: count.optional(),
    ttlMs: count.optional(),
    entity: z.enum(['flagged-cluster', 'watched-wallet']).optional(),
  })
  .prefault({});

/**
 * Everything the detectors are configured by, in one JSON document (`--detect-config FILE`):
 * the typologies' sections (prices, wallets, lists, dust and one section per typology), the
 * rules, and the names of detectors to leave out. Every field has a default, so `{}` is valid.
 */
export const detectConfigSchema = typologyConfigSchema.extend({
  /** Rule definitions; validated, with every problem reported, by `loadRules`. */
  rules: z.array(z.unknown()).max(1000).default([]),
  stats: statsSchema,
  graph: graphSchema,
  /** Detector names to leave out, such as `velocity`, `rules`, `stats` or `wallet-graph`. */
  disabled: z.array(z.string().min(1)).default([]),
});

export type DetectConfigInput = z.input<typeof detectConfigSchema>;

/**
 * The detectors a config asks for, in a stable order. Throws with every problem of a bad config.
 * They share one index of addresses for their per-address state (see `KeyIndex`); pass one to
 * watch it (its size is never more than the entries the detectors hold together).
 */
export function createDetectors(input: unknown = {}, addresses = new KeyIndex<string>()): TransactionDetector[] {
  const { rules, disabled, stats, graph, ...typologies } = detectConfigSchema.parse(input);
  const off = new Set(disabled);
  const detectors: TransactionDetector[] = createTypologyDetectors(typologies, addresses).filter((d) => !off.has(d.name));
  if (!off.has('rules') && rules.length > 0) detectors.push(new RuleDetector({ rules: loadRules(rules) }));
  if (!off.has('stats')) detectors.push(new StatisticalDetector({ ...withoutUndefined(stats), addresses }));
  if (!off.has('wallet-graph')) {
    const { flagged, ...options } = graph;
    // The operator's own wallets are the ones to protect; hot wallets are hubs, not laundering hops.
    const classes = typologies.wallets.classes;
    detectors.push(
      new GraphProximityDetector({
        ...withoutUndefined(options),
        addresses,
        watched: [...typologies.wallets.watched, ...Object.keys(classes)],
        flagged: [...flagged, ...Object.keys(typologies.lists.sanctioned)],
        exchangeHotWallets: Object.entries(classes).filter(([, c]) => c === 'hot' || c === 'exchange').map(([a]) => a),
      }),
    );
  }
  return detectors;
}

/** Drops undefined fields: the detectors' options are exact optional properties. */
function withoutUndefined<T extends object>(options: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
