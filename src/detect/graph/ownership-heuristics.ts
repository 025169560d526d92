import type { Transaction } from '../../core/transaction.js';
import { looksLikeCoinJoin, type CoinJoinOptions } from './coinjoin.js';
import type { CounterpartyGraph } from './counterparty-graph.js';

/** Why two addresses were put in one cluster. */
export type LinkReason = 'common-input' | 'funding-source' | 'deposit-reuse' | 'deposit-sweep';

export interface OwnershipLink {
  readonly a: string;
  readonly b: string;
  readonly reason: LinkReason;
}

export interface OwnershipHeuristicsOptions {
  /** UTXO: all input addresses of a transaction have one owner (CoinJoins excepted). Default true. */
  readonly commonInput?: boolean;
  readonly coinJoin?: CoinJoinOptions;
  /**
   * Account chains: an address whose first sighting is a native transfer into it is linked to the
   * sender that funded it. Default true; never from a service or an exchange hot wallet.
   */
  readonly fundingSource?: boolean;
  /**
   * A sender that has funded this many fresh addresses is a distributor (faucet, payroll, an
   * unlisted exchange) and funds no more links. Default 16.
   */
  readonly maxFundedPerFunder?: number;
  /**
   * Account chains: addresses that pay into the same exchange deposit address are one customer
   * (Victor, "Address clustering heuristics for Ethereum", FC 2020). A deposit address is one seen
   * forwarding to a configured exchange hot wallet. Default true.
   */
  readonly depositReuse?: boolean;
  /**
   * Deposit addresses that sweep into the same hot wallet are linked to each other as the
   * exchange's deposit cluster. Default false: it is true (the exchange owns them) but it makes
   * every customer of the exchange a zero-hop neighbour of every other in proximity searches.
   */
  readonly linkDepositsBySweep?: boolean;
  /** Known services (exchange hot wallets, bridges, routers), lowercased: never funders or depositors. */
  readonly services?: ReadonlySet<string>;
  /** Exchange hot wallets, lowercased: a transfer into one marks its sender a deposit address. */
  readonly exchangeHotWallets?: ReadonlySet<string>;
  /** An address with at least this many counterparties is a hub: never a funder or depositor. Default 64. */
  readonly hubDegree?: number;
}

/**
 * Decides which addresses share an owner, from one transaction and what the graph already knows.
 * It returns links; the wallet graph applies them to the clusters. Call it before recording the
 * transaction in the graph: "first sighting" is judged on the graph as it was.
 *
 * Which heuristics are sound, and why they are shaped as they are:
 * - Common-input ownership (UTXO): spending an input needs its key, so the inputs of one
 *   transaction have one owner, unless it is a CoinJoin, which is built to break this
 *   (`looksLikeCoinJoin`).
 * - Funding source (account): a new address needs gas before it can do anything, and the first
 *   gas usually comes from its owner. Weaker than common-input: it is limited to native transfers
 *   into an address never seen before, never from a service, hub or distributor, and can be
 *   turned off. A stranger's dust that arrives first links wrongly; dust is usually a token or a
 *   zero-value transfer, which do not count.
 * - Deposit reuse (account): an exchange gives each customer their own deposit address and
 *   sweeps it to a hot wallet; whoever pays into one deposit address is one customer. The deposit
 *   address itself is the exchange's, so it is not put in the customer's cluster (the transfer
 *   edge keeps it one hop away); linking it would merge customers with the exchange.
 */
export class OwnershipHeuristics {
  readonly #graph: CounterpartyGraph;
  readonly #commonInput: boolean;
  readonly #coinJoin: CoinJoinOptions;
  readonly #fundingSource: boolean;
  readonly #maxFunded: number;
  readonly #depositReuse: boolean;
  readonly #linkDepositsBySweep: boolean;
  readonly #services: ReadonlySet<string>;
  readonly #hotWallets: ReadonlySet<string>;
  readonly #hubDegree: number;
  /** Per hot wallet, the deposit address last seen sweeping into it (bounded by the hot wallets configured). */
  readonly #lastDeposit = new Map<string, string>();

  constructor(graph: CounterpartyGraph, options: OwnershipHeuristicsOptions = {}) {
    this.#graph = graph;
    this.#commonInput = options.commonInput ?? true;
    this.#coinJoin = options.coinJoin ?? {};
    this.#fundingSource = options.fundingSource ?? true;
    this.#maxFunded = options.maxFundedPerFunder ?? 16;
    this.#depositReuse = options.depositReuse ?? true;
    this.#linkDepositsBySweep = options.linkDepositsBySweep ?? false;
    this.#services = options.services ?? new Set();
    this.#hotWallets = options.exchangeHotWallets ?? new Set();
    this.#hubDegree = options.hubDegree ?? 64;
  }

  /** The ownership links `tx` reveals. Settled transactions only; the caller checks. */
  links(tx: Transaction): OwnershipLink[] {
    if (tx.kind === 'utxo') {
      if (!this.#commonInput || looksLikeCoinJoin(tx, this.#coinJoin)) return [];
      const inputs = [...new Set(tx.inputs.map((i) => i.address.toLowerCase()))];
      const first = inputs[0];
      if (first === undefined) return [];
      return inputs.slice(1).map((b) => ({ a: first, b, reason: 'common-input' as const }));
    }
    if (tx.to === null || tx.amount <= 0n) return [];
    const from = tx.from.toLowerCase();
    const to = tx.to.toLowerCase();
    if (from === to) return [];
    const out: OwnershipLink[] = [];
    if (this.#fundingSource && tx.tokenContract === null && !this.#graph.has(to) && !this.#isService(to)) this.#funding({ from, to, at: tx.timestamp, out });
    if (this.#hotWallets.has(to)) {
      if (!this.#isService(from)) this.#sweep({ deposit: from, hotWallet: to, at: tx.timestamp, out });
    } else {
      const notes = this.#graph.notesOf(from);
      // A deposit address pays only its exchange; one that pays anyone else was not one.
      if (notes?.depositOf !== undefined) notes.depositOf = undefined;
    }
    if (this.#depositReuse) {
      const deposit = this.#graph.notesOf(to);
      if (deposit?.depositOf !== undefined) this.#depositor({ deposit: to, sender: from, at: tx.timestamp, out });
    }
    return out;
  }

  #funding(f: { readonly from: string; readonly to: string; readonly at: number; readonly out: OwnershipLink[] }): void {
    if (this.#isService(f.from) || this.#graph.degree(f.from) >= this.#hubDegree) return;
    const notes = this.#graph.notes(f.from, f.at);
    notes.funded += 1;
    if (notes.funded <= this.#maxFunded) f.out.push({ a: f.from, b: f.to, reason: 'funding-source' });
  }

  /**
   * `deposit` forwarded to an exchange hot wallet. It is taken for a deposit address when it has
   * received funds and has paid no one but hot wallets (and is no hub): a customer's own wallet
   * that also pays friends is not mistaken for one, which would link everyone who pays it.
   */
  #sweep(s: { readonly deposit: string; readonly hotWallet: string; readonly at: number; readonly out: OwnershipLink[] }): void {
    if (this.#graph.notesOf(s.deposit)?.depositOf === undefined && !this.#looksLikeDeposit(s.deposit)) return;
    const notes = this.#graph.notes(s.deposit, s.at);
    if (notes.depositOf === undefined) {
      notes.depositOf = s.hotWallet;
      if (this.#depositReuse) {
        // Customers who paid in before the first sweep was seen.
        for (const [sender, edge] of this.#graph.edges(s.deposit)) {
          if (edge.received > 0) this.#depositor({ deposit: s.deposit, sender, at: s.at, out: s.out });
        }
      }
    }
    if (this.#linkDepositsBySweep) {
      const previous = this.#lastDeposit.get(s.hotWallet);
      if (previous !== undefined && previous !== s.deposit) s.out.push({ a: previous, b: s.deposit, reason: 'deposit-sweep' });
      this.#lastDeposit.set(s.hotWallet, s.deposit);
    }
  }

  /** `sender` paid into deposit address `deposit`: one customer with its other depositors. */
  #depositor(d: { readonly deposit: string; readonly sender: string; readonly at: number; readonly out: OwnershipLink[] }): void {
    const { sender } = d;
    if (this.#isService(sender) || this.#graph.degree(sender) >= this.#hubDegree) return;
    if (this.#graph.notesOf(sender)?.depositOf !== undefined) return;
    const notes = this.#graph.notes(d.deposit, d.at);
    if (notes.depositor === undefined) notes.depositor = sender;
    else if (notes.depositor !== sender) d.out.push({ a: notes.depositor, b: sender, reason: 'deposit-reuse' });
  }

  #looksLikeDeposit(address: string): boolean {
    const edges = this.#graph.edges(address);
    if (edges.size >= this.#hubDegree) return false;
    let received = false;
    for (const [counterparty, edge] of edges) {
      if (edge.sent > 0 && !this.#hotWallets.has(counterparty)) return false;
      if (edge.received > 0) received = true;
    }
    return received;
  }

  #isService(address: string): boolean {
    return this.#services.has(address) || this.#hotWallets.has(address);
  }
}
