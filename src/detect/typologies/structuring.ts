import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { centsText, formatUsd, usdToCents } from './amounts.js';
import { BoundedMap } from './bounded-map.js';
import type { PriceBook } from './price-book.js';
import type { SharedAddressKeys } from '../key-index.js';
import type { TypologyDetector } from './transaction-detector.js';
import { transfersOf } from './transfers.js';
import { durationText, typologyFinding } from './typology-finding.js';
import type { WalletBook } from './wallet-book.js';

export interface StructuringOptions extends SharedAddressKeys {
  readonly prices: PriceBook;
  /** The reporting threshold being avoided (USD, decimal text). Default `'10000'`. */
  readonly thresholdUsd?: string;
  /** How far below the threshold a transfer still counts, in percent of it. Default 10 ($9,000 to $9,999.99). */
  readonly marginPct?: number;
  /** Default 24 hours. */
  readonly windowMs?: number;
  /** Near-threshold transfers needed within the window. Default 3. */
  readonly minCount?: number;
  /** The operator's wallets, for `exemptClasses`. Default: none known, nothing exempt. */
  readonly wallets?: WalletBook;
  /**
   * Wallet classes never reported, as sender or receiver: an exchange hot wallet pays customers'
   * withdrawals and takes deposit sweeps of any size all day, some of them just under the
   * threshold. Their transfers still count for their counterparties (a customer splitting a
   * deposit to a hot wallet is reported). Default `hot`, `exchange`.
   */
  readonly exemptClasses?: readonly string[];
  /** Senders tracked at once, and receivers. Default 100,000 each. */
  readonly maxEntities?: number;
  /** Near-threshold transfers kept per sender or receiver; older ones drop. Default 50. */
  readonly maxEventsPerEntity?: number;
}

export const structuringDefaults = {
  thresholdUsd: '10000',
  marginPct: 10,
  windowMs: 24 * 60 * 60 * 1000,
  minCount: 3,
  exemptClasses: ['hot', 'exchange'] as readonly string[],
  maxEntities: 100_000,
  maxEventsPerEntity: 50,
} as const;

interface NearThreshold {
  readonly at: number;
  readonly cents: bigint;
  readonly hash: string;
  readonly counterparty: string;
}

interface EntityState {
  events: NearThreshold[];
  quietUntil: number;
}

type Role = 'sender' | 'receiver';

/**
 * Structuring: several transfers, each just under a reporting threshold (by default $9,000 up to,
 * not including, $10,000), that together exceed it within a window. Watched from both ends: a
 * sender splitting a payment, and a receiver collecting split payments. The receiver side needs
 * at least two distinct senders, so one sender's split payment is reported once, about the
 * sender, not twice. One finding per entity per window: after a finding the entity stays quiet
 * for a window, then a still-running pattern is reported again.
 *
 * Needs USD: transfers in an asset without a price are skipped. Only near-threshold transfers
 * create state, so ordinary traffic costs nothing here.
 */
export class StructuringDetector implements TypologyDetector {
  readonly name = 'structuring';
  readonly #prices: PriceBook;
  readonly #threshold: bigint;
  readonly #floor: bigint;
  readonly #marginPct: number;
  readonly #windowMs: number;
  readonly #minCount: number;
  readonly #maxEvents: number;
  readonly #wallets: WalletBook | undefined;
  readonly #exempt: ReadonlySet<string>;
  readonly #senders: BoundedMap<string, EntityState>;
  readonly #receivers: BoundedMap<string, EntityState>;

  constructor(options: StructuringOptions) {
    this.#prices = options.prices;
    this.#threshold = usdToCents(options.thresholdUsd ?? structuringDefaults.thresholdUsd);
    this.#marginPct = options.marginPct ?? structuringDefaults.marginPct;
    // Percent in hundredths so a margin such as 7.5% stays exact in bigint.
    this.#floor = this.#threshold - (this.#threshold * BigInt(Math.round(this.#marginPct * 100))) / 10_000n;
    this.#windowMs = options.windowMs ?? structuringDefaults.windowMs;
    this.#minCount = options.minCount ?? structuringDefaults.minCount;
    this.#maxEvents = Math.max(this.#minCount, options.maxEventsPerEntity ?? structuringDefaults.maxEventsPerEntity);
    this.#wallets = options.wallets;
    this.#exempt = new Set(options.exemptClasses ?? structuringDefaults.exemptClasses);
    // Two maps keyed by the bare address: a composed key would be a new string to hash on every lookup.
    const bounds = { maxEntries: options.maxEntities ?? structuringDefaults.maxEntities, ttlMs: this.#windowMs, keys: options.addresses };
    this.#senders = new BoundedMap(bounds);
    this.#receivers = new BoundedMap(bounds);
  }

  stateSize(): number {
    return this.#senders.size + this.#receivers.size;
  }

  observe(tx: Transaction): Finding[] {
    const out: Finding[] = [];
    for (const t of transfersOf(tx)) {
      if (t.from === t.to) continue;
      const cents = this.#prices.usdCents({ asset: tx.asset, amount: t.amount, decimals: tx.decimals });
      if (cents === undefined || cents < this.#floor || cents >= this.#threshold) continue;
      const sent = this.#record({ role: 'sender', entity: t.from, event: { at: tx.timestamp, cents, hash: tx.hash, counterparty: t.to } });
      if (sent !== undefined) out.push(sent);
      const received = this.#record({ role: 'receiver', entity: t.to, event: { at: tx.timestamp, cents, hash: tx.hash, counterparty: t.from } });
      if (received !== undefined) out.push(received);
    }
    return out;
  }

  #record(input: { role: Role; entity: string; event: NearThreshold }): Finding | undefined {
    const { role, entity, event } = input;
    if (this.#wallets?.hasClass(entity, this.#exempt) === true) return undefined;
    const map = role === 'sender' ? this.#senders : this.#receivers;
    const state = map.get(entity, event.at) ?? { events: [], quietUntil: Number.NEGATIVE_INFINITY };
    state.events.push(event);
    const since = event.at - this.#windowMs;
    while ((state.events[0]?.at ?? since) < since) state.events.shift();
    while (state.events.length > this.#maxEvents) state.events.shift();
    map.set(entity, state, event.at);

    if (state.events.length < this.#minCount || event.at < state.quietUntil) return undefined;
    let total = 0n;
    for (const e of state.events) total += e.cents;
    if (total <= this.#threshold) return undefined;
    const counterparties = [...new Set(state.events.map((e) => e.counterparty))];
    if (role === 'receiver' && counterparties.length < 2) return undefined;
    state.quietUntil = event.at + this.#windowMs;

    const count = state.events.length;
    const window = durationText(this.#windowMs);
    const verb = role === 'sender' ? `sent ${count} transfers to ${counterparties.length} address${counterparties.length === 1 ? '' : 'es'}` : `received ${count} transfers from ${counterparties.length} senders`;
    return typologyFinding({
      name: role === 'sender' ? 'Structuring: split payments under the reporting threshold' : 'Structuring: split payments received under the reporting threshold',
      description:
        `${entity} ${verb} within ${window}, each between ${formatUsd(this.#floor)} and just under ${formatUsd(this.#threshold)}, ` +
        `${formatUsd(total)} in all. Splitting a payment under the threshold avoids reporting; review the counterparties and file if warranted.`,
      alertId: 'VIGIL-STRUCTURING',
      severity: 'Medium',
      type: 'Suspicious',
      detector: this.name,
      entity,
      addresses: counterparties,
      txHashes: state.events.map((e) => e.hash),
      at: event.at,
      stage: 'laundering',
      metadata: {
        role,
        count: String(count),
        totalUsd: centsText(total),
        thresholdUsd: centsText(this.#threshold),
        floorUsd: centsText(this.#floor),
        marginPct: String(this.#marginPct),
        windowMs: String(this.#windowMs),
        minCount: String(this.#minCount),
        counterparties: String(counterparties.length),
      },
    });
  }
}
