/**
 * One transfer on a chain. Amounts are bigint base units (wei, satoshi, token units) with the
 * asset's decimals beside them; never floats. Times are ms since the epoch, UTC.
 */

export type TransactionStatus = 'success' | 'failed' | 'pending';

export interface TxLog {
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
}

interface TransactionBase {
  /** Chain name, such as `ethereum`, `bitcoin`, `polygon`. */
  readonly chain: string;
  readonly hash: string;
  /** Asset symbol, such as `ETH`, `USDC`, `BTC`; prices are configured per symbol. */
  readonly asset: string;
  readonly decimals: number;
  readonly fee: bigint;
  readonly block: number;
  readonly timestamp: number;
  readonly status: TransactionStatus;
}

/** An account-model transfer (EVM and similar): one sender, one receiver. */
export interface AccountTransaction extends TransactionBase {
  readonly kind: 'account';
  /** Addresses are compared lowercased. */
  readonly from: string;
  /** Null for a contract creation. */
  readonly to: string | null;
  readonly amount: bigint;
  readonly nonce: number | null;
  /** The token contract for token transfers; null for the chain's native asset. */
  readonly tokenContract: string | null;
  readonly logs: readonly TxLog[];
}

export interface UtxoInput {
  readonly address: string;
  readonly amount: bigint;
  readonly prevHash?: string;
  readonly prevIndex?: number;
}

export interface UtxoOutput {
  readonly address: string;
  readonly amount: bigint;
}

/** A UTXO-model transaction (Bitcoin and similar): many inputs, many outputs. */
export interface UtxoTransaction extends TransactionBase {
  readonly kind: 'utxo';
  readonly inputs: readonly UtxoInput[];
  readonly outputs: readonly UtxoOutput[];
}

export type Transaction = AccountTransaction | UtxoTransaction;
