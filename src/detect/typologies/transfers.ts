import type { Transaction } from '../../core/transaction.js';

/**
 * Transactions seen as value moving from one address to another, the shape most typologies
 * reason about, for both chain models.
 *
 * Only settled (`success`) transactions move value: a failed one moved nothing, and a pending
 * one may be replaced or is seen again when it is mined, which would count it twice.
 */

/** One movement of value: `amount` base units of the transaction's asset from `from` to `to`. */
export interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly amount: bigint;
}

/** One address's net change in the transaction's asset (base units; negative for outflow). */
export interface BalanceDelta {
  readonly address: string;
  readonly delta: bigint;
}

export function settled(tx: Transaction): boolean {
  return tx.status === 'success';
}

/**
 * Every detector asks about the same transaction in turn; remembering the last answer saves
 * recomputing it nine times. Keyed by identity, so it can never answer for another transaction.
 */
let lastTx: Transaction | undefined;
let lastTransfers: readonly Transfer[] = [];
let lastDeltasTx: Transaction | undefined;
let lastDeltas: readonly BalanceDelta[] = [];

/**
 * The transfers of a transaction, addresses lowercased. Account: the one transfer, none for a
 * contract creation. UTXO: one transfer per output from the input address that put in the most
 * (inputs of one transaction share an owner, the common-input heuristic); outputs back to an
 * input address are change and move nothing.
 */
export function transfersOf(tx: Transaction): readonly Transfer[] {
  if (tx === lastTx) return lastTransfers;
  lastTransfers = computeTransfers(tx);
  lastTx = tx;
  return lastTransfers;
}

function computeTransfers(tx: Transaction): readonly Transfer[] {
  if (!settled(tx)) return [];
  if (tx.kind === 'account') {
    if (tx.to === null) return [];
    return [{ from: tx.from.toLowerCase(), to: tx.to.toLowerCase(), amount: tx.amount }];
  }
  const from = primaryInput(tx);
  if (from === undefined) return [];
  const inputs = new Set(tx.inputs.map((i) => i.address.toLowerCase()));
  const out: Transfer[] = [];
  for (const o of tx.outputs) {
    const to = o.address.toLowerCase();
    if (!inputs.has(to)) out.push({ from, to, amount: o.amount });
  }
  return out;
}

/** The input address that contributed the most (the first of equals), lowercased. */
export function primaryInput(tx: Transaction & { readonly kind: 'utxo' }): string | undefined {
  const totals = new Map<string, bigint>();
  for (const i of tx.inputs) {
    const a = i.address.toLowerCase();
    totals.set(a, (totals.get(a) ?? 0n) + i.amount);
  }
  let best: string | undefined;
  let bestAmount = -1n;
  for (const [a, amount] of totals) {
    if (amount > bestAmount) {
      best = a;
      bestAmount = amount;
    }
  }
  return best;
}

/** The addresses that paid: the sender, or every input address. Lowercased, each once. */
export function sendersOf(tx: Transaction): readonly string[] {
  if (tx.kind === 'account') return [tx.from.toLowerCase()];
  return [...new Set(tx.inputs.map((i) => i.address.toLowerCase()))];
}

/** Value that left its owner: the sum of the transfers (UTXO change excluded). */
export function movedAmount(tx: Transaction): bigint {
  let sum = 0n;
  for (const t of transfersOf(tx)) sum += t.amount;
  return sum;
}

/**
 * Each address's net change in the transaction's asset. UTXO: outputs to an address minus its
 * inputs, so change nets out and a spend to a fresh change address shows as the full outflow it
 * is. Addresses whose net is zero are left out. Fees are not counted: on account chains they are
 * paid in the native asset beside the amount, and no typology here turns on them.
 */
export function balanceDeltas(tx: Transaction): readonly BalanceDelta[] {
  if (tx === lastDeltasTx) return lastDeltas;
  lastDeltas = computeDeltas(tx);
  lastDeltasTx = tx;
  return lastDeltas;
}

function computeDeltas(tx: Transaction): readonly BalanceDelta[] {
  if (!settled(tx)) return [];
  if (tx.kind === 'account') {
    if (tx.to === null || tx.amount === 0n) return [];
    const from = tx.from.toLowerCase();
    const to = tx.to.toLowerCase();
    if (from === to) return [];
    return [
      { address: from, delta: -tx.amount },
      { address: to, delta: tx.amount },
    ];
  }
  const net = new Map<string, bigint>();
  for (const i of tx.inputs) {
    const a = i.address.toLowerCase();
    net.set(a, (net.get(a) ?? 0n) - i.amount);
  }
  for (const o of tx.outputs) {
    const a = o.address.toLowerCase();
    net.set(a, (net.get(a) ?? 0n) + o.amount);
  }
  const out: BalanceDelta[] = [];
  for (const [address, delta] of net) if (delta !== 0n) out.push({ address, delta });
  return out;
}
