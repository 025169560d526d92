import { z } from 'zod';
import { addressPoisoningDefaults } from './address-poisoning.js';
import { decimalPattern } from './amounts.js';
import { dustPolicyDefaults } from './dust-policy.js';
import { dustingDefaults } from './dusting.js';
import { exposureDefaults } from './exposure.js';
import { fanOutFanInDefaults } from './fan-out-fan-in.js';
import { largeTransferDefaults } from './large-transfer.js';
import { passThroughDefaults } from './pass-through.js';
import { peelChainDefaults } from './peel-chain.js';
import { structuringDefaults } from './structuring.js';
import { velocityDefaults } from './velocity.js';

/** Money and amounts as decimal text, so a config file never passes through a float. */
const decimal = z.string().regex(decimalPattern, 'must be a non-negative decimal written as text, such as "3150.25"');
const address = z.string().min(1).max(128);
const count = z.number().int().min(1);
const durationMs = z.number().int().min(1);
const percent = z.number().gt(0).max(100);
const classes = z.array(z.string().min(1));
/** Listed address → label. */
const addressList = z.record(address, z.string().min(1).max(200));

/*
 * Every section is a strict object (a typo in a config file is an error, not a silently ignored
 * key) with `prefault({})`: zod 4's `default` would hand back `{}` unparsed, `prefault` parses it
 * so each field's own default applies. The defaults are the detectors' own constants.
 */

const walletsSchema = z
  .strictObject({
    /** Address → class (`hot`, `cold`, `customer`, `treasury`, `exchange`, …). */
    classes: z.record(address, z.string().min(1)).default({}),
    /** Watched beyond the classified wallets (which are all watched). */
    watched: z.array(address).default([]),
  })
  .prefault({});

const listsSchema = z.strictObject({ mixers: addressList.default({}), sanctioned: addressList.default({}) }).prefault({});

const dustSchema = z
  .strictObject({
    thresholds: z.record(z.string().min(1), decimal).default({ ...dustPolicyDefaults.thresholds }),
    maxUsd: decimal.default(dustPolicyDefaults.maxUsd),
  })
  .prefault({});

const ruleSchema = z.strictObject({ asset: z.string().min(1).optional(), walletClass: z.string().min(1).optional(), thresholdUsd: decimal });

const largeTransferSchema = z
  .strictObject({
    thresholdUsd: decimal.default(largeTransferDefaults.thresholdUsd),
    rules: z.array(ruleSchema).default(largeTransferDefaults.rules.map((r) => ({ ...r }))),
    drainClasses: classes.default([...largeTransferDefaults.drainClasses]),
  })
  .prefault({});

const structuringSchema = z
  .strictObject({
    thresholdUsd: decimal.default(structuringDefaults.thresholdUsd),
    marginPct: percent.default(structuringDefaults.marginPct),
    windowMs: durationMs.default(structuringDefaults.windowMs),
    minCount: count.default(structuringDefaults.minCount),
    exemptClasses: classes.default([...structuringDefaults.exemptClasses]),
    maxEntities: count.default(structuringDefaults.maxEntities),
    maxEventsPerEntity: count.default(structuringDefaults.maxEventsPerEntity),
  })
  .prefault({});

const fanOutFanInSchema = z
  .strictObject({
    minCounterparties: z.number().int().min(2).default(fanOutFanInDefaults.minCounterparties),
    windowMs: durationMs.default(fanOutFanInDefaults.windowMs),
    exemptClasses: classes.default([...fanOutFanInDefaults.exemptClasses]),
    maxEntities: count.default(fanOutFanInDefaults.maxEntities),
  })
  .prefault({});

const passThroughSchema = z
  .strictObject({
    forwardPct: percent.default(passThroughDefaults.forwardPct),
    windowMs: durationMs.default(passThroughDefaults.windowMs),
    minInflowUsd: decimal.default(passThroughDefaults.minInflowUsd),
    exemptClasses: classes.default([...passThroughDefaults.exemptClasses]),
    maxEntities: count.default(passThroughDefaults.maxEntities),
  })
  .prefault({});

const peelChainSchema = z
  .strictObject({
    maxPeelPct: percent.default(peelChainDefaults.maxPeelPct),
    minForwardPct: percent.default(peelChainDefaults.minForwardPct),
    minHops: count.default(peelChainDefaults.minHops),
    hopWindowMs: durationMs.default(peelChainDefaults.hopWindowMs),
    maxEntities: count.default(peelChainDefaults.maxEntities),
  })
  .prefault({});

const exposureSchema = z
  .strictObject({
    maxHops: count.default(exposureDefaults.maxHops),
    minTaintUsd: decimal.default(exposureDefaults.minTaintUsd),
    taintTtlMs: durationMs.default(exposureDefaults.taintTtlMs),
    maxEntities: count.default(exposureDefaults.maxEntities),
    directScope: z.enum(['any', 'watched']).default(exposureDefaults.directScope),
  })
  .prefault({});

const addressPoisoningSchema = z
  .strictObject({
    prefixChars: count.default(addressPoisoningDefaults.prefixChars),
    suffixChars: count.default(addressPoisoningDefaults.suffixChars),
    maxCounterparties: count.default(addressPoisoningDefaults.maxCounterparties),
    maxPoisoners: count.default(addressPoisoningDefaults.maxPoisoners),
    memoryMs: durationMs.default(addressPoisoningDefaults.memoryMs),
  })
  .prefault({});

const dustingSchema = z
  .strictObject({
    minRecipients: z.number().int().min(2).default(dustingDefaults.minRecipients),
    windowMs: durationMs.default(dustingDefaults.windowMs),
    maxEntities: count.default(dustingDefaults.maxEntities),
  })
  .prefault({});

const velocitySchema = z
  .strictObject({
    multiplier: z.number().gt(1).default(velocityDefaults.multiplier),
    minCount: count.default(velocityDefaults.minCount),
    minVolumeUsd: decimal.default(velocityDefaults.minVolumeUsd),
    alpha: z.number().gt(0).max(1).default(velocityDefaults.alpha),
    warmupHours: z.number().int().min(0).default(velocityDefaults.warmupHours),
    idleTtlMs: durationMs.default(velocityDefaults.idleTtlMs),
    maxEntities: count.default(velocityDefaults.maxEntities),
    ownClasses: classes.default([...velocityDefaults.ownClasses]),
  })
  .prefault({});

/**
 * Everything the typology detectors need, in one object a config file can hold: prices, the
 * operator's wallets, the address lists, the dust policy, and a section per typology. Every field
 * has a default, so `{}` is a valid config (with no prices, the USD typologies stay silent).
 */
export const typologyConfigSchema = z.strictObject({
  /** USD price per asset symbol, as decimal text: `{ "ETH": "3150.25", "USDC": "1" }`. */
  prices: z.record(z.string().min(1), decimal).default({}),
  wallets: walletsSchema,
  lists: listsSchema,
  dust: dustSchema,
  largeTransfer: largeTransferSchema,
  structuring: structuringSchema,
  fanOutFanIn: fanOutFanInSchema,
  passThrough: passThroughSchema,
  peelChain: peelChainSchema,
  exposure: exposureSchema,
  addressPoisoning: addressPoisoningSchema,
  dusting: dustingSchema,
  velocity: velocitySchema,
});

/** The config with every default filled in. */
export type TypologyConfig = z.output<typeof typologyConfigSchema>;
/** The config as written: every field optional. */
export type TypologyConfigInput = z.input<typeof typologyConfigSchema>;
