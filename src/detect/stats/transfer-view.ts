import type { Transaction } from '../../core/transaction.js';

/**
 * A transaction seen from its sender, the way the per-sender statistics need it, for both chain
 * models. The conventions match the typologies' `transfersOf` so that "the sender" means the
 * same address in every finding.
 */
export interface TransferView {
  /** Lowercased. Account: `from`. UTXO: the input address that put in the most (first of equals). */
  readonly sender: string;
  /**
   * Lowercased; null when the value went nowhere else (contract creation, UTXO consolidation).
   * UTXO: the output address (not an input address) that received the most.
   */
  readonly counterparty: string | null;
  /** Base units that left the sender. UTXO: outputs to addresses that are not inputs (change excluded). */
  readonly amount: bigint;
  /** Distinct receiving addresses (UTXO change excluded); 0 or 1 on account chains. */
  readonly recipients: number;
}

/**
 * The detector and its feature extractor both ask about the same transaction; remembering the
 * last answer saves building it twice. Keyed by identity, so it never answers for another one
 * (transactions are read-only).
 */
let lastTx: Transaction | undefined;
let lastView: TransferView | undefined;

export function transferView(tx: Transaction): TransferView {
  if (tx === lastTx && lastView !== undefined) return lastView;
  lastView = computeView(tx);
  lastTx = tx;
  return lastView;
}

function computeView(tx: Transaction): TransferView {
  if (tx.kind === 'account') {
    const to = tx.to === null ? null : tx.to.toLowerCase();
    return { sender: tx.from.toLowerCase(), counterparty: to, amount: tx.amount, recipients: to === null ? 0 : 1 };
  }
  const contributed = new Map<string, bigint>();
  for (const input of tx.inputs) {
    const a = input.address.toLowerCase();
    contributed.set(a, (contributed.get(a) ?? 0n) + input.amount);
  }
  let sender = '';
  let most = -1n;
  for (const [a, amount] of contributed) {
    if (amount > most) {
      sender = a;
      most = amount;
    }
  }
  const received = new Map<string, bigint>();
  let amount = 0n;
  for (const output of tx.outputs) {
    const a = output.address.toLowerCase();
    if (contributed.has(a)) continue;
    received.set(a, (received.get(a) ?? 0n) + output.amount);
    amount += output.amount;
  }
  let counterparty: string | null = null;
  let largest = -1n;
  for (const [a, value] of received) {
    if (value > largest) {
      counterparty = a;
      largest = value;
    }
  }
  return { sender, counterparty, amount, recipients: received.size };
}
