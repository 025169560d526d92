import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { BoundedMap } from './bounded-map.js';
import type { DustPolicy } from './dust-policy.js';
import { type RecentPeers, addPeer, emptyPeers, hashesOf, peersOf, removePeer } from './recent-peers.js';
import type { SharedAddressKeys } from '../key-index.js';
import type { TypologyDetector } from './transaction-detector.js';
import { transfersOf } from './transfers.js';
import { durationText, typologyFinding } from './typology-finding.js';

export interface DustingOptions extends SharedAddressKeys {
  readonly dust: DustPolicy;
  /** Distinct addresses sent dust within the window that make a campaign. Default 10. */
  readonly minRecipients?: number;
  /** Default 1 hour. */
  readonly windowMs?: number;
  /** Sources tracked at once. Default 50,000. */
  readonly maxEntities?: number;
}

export const dustingDefaults = {
  minRecipients: 10,
  windowMs: 60 * 60 * 1000,
  maxEntities: 50_000,
} as const;

/**
 * Dusting: one source sending tiny amounts to many unrelated addresses within a window. The dust
 * is bait (a scam link in a token name, a look-alike address) or a tracer: when the recipient
 * spends it with its other coins, the sender learns which addresses belong together. Stage
 * `preparation`.
 *
 * Dust is what the dust policy says (a threshold per asset, or a USD value). Zero-value
 * transfers are not counted: on account chains every contract call carries value 0, and
 * zero-value bait to watched wallets is address poisoning's job. A recipient the source also
 * paid more than dust within the window is related, not a target, and is dropped. One finding per
 * campaign burst: the source then stays quiet for a window.
 */
export class DustingDetector implements TypologyDetector {
  readonly name = 'dusting';
  readonly #dust: DustPolicy;
  readonly #min: number;
  readonly #windowMs: number;
  readonly #sources: BoundedMap<string, RecentPeers>;

  constructor(options: DustingOptions) {
    this.#dust = options.dust;
    this.#min = Math.max(2, options.minRecipients ?? dustingDefaults.minRecipients);
    this.#windowMs = options.windowMs ?? dustingDefaults.windowMs;
    this.#sources = new BoundedMap({ maxEntries: options.maxEntities ?? dustingDefaults.maxEntities, ttlMs: this.#windowMs, keys: options.addresses });
  }

  stateSize(): number {
    return this.#sources.size;
  }

  observe(tx: Transaction): Finding[] {
    const transfers = transfersOf(tx);
    const at = tx.timestamp;
    let fired: { source: string; state: RecentPeers } | undefined;
    for (const t of transfers) {
      if (t.amount === 0n || t.from === t.to) continue;
      const dust = this.#dust.isDust({ asset: tx.asset, amount: t.amount, decimals: tx.decimals });
      if (dust === undefined) continue;
      if (!dust) {
        const state = this.#sources.get(t.from, at);
        if (state !== undefined) removePeer(state, t.to);
        continue;
      }
      const state = this.#sources.get(t.from, at) ?? emptyPeers();
      const count = addPeer(state, { peer: t.to, at, hash: tx.hash }, { windowMs: this.#windowMs, cap: this.#min });
      this.#sources.set(t.from, state, at);
      if (count >= this.#min && at >= state.quietUntil) {
        state.quietUntil = at + this.#windowMs;
        fired = { source: t.from, state };
      }
    }
    return fired === undefined ? [] : [this.#finding({ ...fired, tx })];
  }

  #finding(input: { source: string; state: RecentPeers; tx: Transaction }): Finding {
    const { source, state, tx } = input;
    const count = peersOf(state).length;
    return typologyFinding({
      name: 'Dusting campaign',
      description:
        `${source} sent dust amounts of ${tx.asset} to ${count} unrelated addresses within ${durationText(this.#windowMs)}. ` +
        'Dust is bait or a tracer: do not spend it with other funds, and warn recipients you serve about links or addresses it carries.',
      alertId: 'VIGIL-DUSTING',
      severity: 'Low',
      type: 'Suspicious',
      detector: this.name,
      entity: source,
      addresses: peersOf(state),
      txHashes: hashesOf(state),
      at: tx.timestamp,
      stage: 'preparation',
      metadata: {
        recipients: String(count),
        minRecipients: String(this.#min),
        windowMs: String(this.#windowMs),
        asset: tx.asset,
        chain: tx.chain,
      },
    });
  }
}
