/**
 * Transaction typologies: nine small streaming detectors for money-movement patterns, built
 * from one config object. See README.md in this folder for what each catches, its parameters
 * and its known false positives.
 */
import { AddressPoisoningDetector } from './address-poisoning.js';
import { KeyIndex } from '../key-index.js';
import { DustPolicy } from './dust-policy.js';
import { DustingDetector } from './dusting.js';
import { ExposureDetector } from './exposure.js';
import { FanOutFanInDetector } from './fan-out-fan-in.js';
import { LargeTransferDetector } from './large-transfer.js';
import { PassThroughDetector } from './pass-through.js';
import { PeelChainDetector } from './peel-chain.js';
import { PriceBook } from './price-book.js';
import { StructuringDetector } from './structuring.js';
import type { TypologyDetector } from './transaction-detector.js';
import { type TypologyConfigInput, typologyConfigSchema } from './typology-config.js';
import { VelocityDetector } from './velocity.js';
import { WalletBook } from './wallet-book.js';

export { AddressPoisoningDetector, type AddressPoisoningOptions, addressPoisoningDefaults } from './address-poisoning.js';
export { formatAsset, formatUnits, formatUsd, parseDecimal, toBaseUnits, usdToCents } from './amounts.js';
export { BoundedMap, type BoundedMapOptions } from './bounded-map.js';
export { DustPolicy, type DustPolicyOptions, dustPolicyDefaults } from './dust-policy.js';
export { DustingDetector, type DustingOptions, dustingDefaults } from './dusting.js';
export { type AddressList, ExposureDetector, type ExposureOptions, type ListKind, exposureDefaults } from './exposure.js';
export { FanOutFanInDetector, type FanOutFanInOptions, fanOutFanInDefaults } from './fan-out-fan-in.js';
export { LargeTransferDetector, type LargeTransferOptions, type LargeTransferRule, largeTransferDefaults } from './large-transfer.js';
export { PassThroughDetector, type PassThroughOptions, passThroughDefaults } from './pass-through.js';
export { PeelChainDetector, type PeelChainOptions, peelChainDefaults } from './peel-chain.js';
export { type AssetAmount, PriceBook, type PriceTable } from './price-book.js';
export { StructuringDetector, type StructuringOptions, structuringDefaults } from './structuring.js';
export type { TransactionDetector, TypologyDetector } from './transaction-detector.js';
export { type TypologyConfig, type TypologyConfigInput, typologyConfigSchema } from './typology-config.js';
export { VelocityDetector, type VelocityOptions, velocityDefaults } from './velocity.js';
export { WalletBook, type WalletBookOptions } from './wallet-book.js';

/**
 * All nine typology detectors from one config (validated with `typologyConfigSchema`, defaults
 * filled in), sharing one price book, wallet book, dust policy and index of addresses (given,
 * to share it with other detectors too, or their own). Throws a `ZodError` that names
 * the field when the config is wrong, so a bad config file fails at start, not mid-stream.
 */
export function createTypologyDetectors(config: TypologyConfigInput = {}, addresses = new KeyIndex<string>()): TypologyDetector[] {
  const c = typologyConfigSchema.parse(config);
  const prices = new PriceBook(c.prices);
  const wallets = new WalletBook(c.wallets);
  const dust = new DustPolicy({ prices, thresholds: c.dust.thresholds, maxUsd: c.dust.maxUsd });
  return [
    new LargeTransferDetector({ prices, wallets, ...c.largeTransfer }),
    new StructuringDetector({ prices, wallets, addresses, ...c.structuring }),
    new FanOutFanInDetector({ wallets, addresses, ...c.fanOutFanIn }),
    new PassThroughDetector({ prices, wallets, addresses, ...c.passThrough }),
    new PeelChainDetector({ addresses, ...c.peelChain }),
    new ExposureDetector({ prices, wallets, addresses, mixers: c.lists.mixers, sanctioned: c.lists.sanctioned, ...c.exposure }),
    new AddressPoisoningDetector({ wallets, dust, ...c.addressPoisoning }),
    new DustingDetector({ dust, addresses, ...c.dusting }),
    new VelocityDetector({ prices, wallets, addresses, ...c.velocity }),
  ];
}
