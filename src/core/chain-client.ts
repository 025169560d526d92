import type { TransactionStatus, TxLog } from './transaction.js';

/**
 * What a chain watcher needs from a node: its head, block headers to compare hashes (reorgs),
 * and whole blocks with what their receipts add (status, gas used, logs). The EVM adapter
 * (`src/watch/evm/viem-chain-client.ts`) speaks JSON-RPC through viem; tests use a fake chain.
 *
 * Block numbers are JS numbers (safe far beyond any chain's height); times are ms since the
 * epoch, UTC; amounts are bigint base units.
 */
export interface ChainClient {
  /** The newest block number the node knows. */
  headNumber(): Promise<number>;
  /** The header at a height, or undefined when the node has no block there (yet). */
  header(number: number): Promise<BlockHeader | undefined>;
  /** The block at a height with its transactions and receipts, or undefined when there is none. */
  block(number: number): Promise<ChainBlock | undefined>;
}

export interface BlockHeader {
  readonly number: number;
  /** Lowercase hex. */
  readonly hash: string;
  readonly parentHash: string;
  /** The block's timestamp, ms. */
  readonly timestamp: number;
}

/** One transaction as mined, merged with its receipt. Addresses lowercase. */
export interface ChainTransaction {
  readonly hash: string;
  readonly from: string;
  /** Null for a contract creation. */
  readonly to: string | null;
  /** Native value in base units (wei). */
  readonly value: bigint;
  readonly nonce: number;
  readonly status: TransactionStatus;
  readonly gasUsed: bigint;
  /** What one unit of gas cost, in the native asset's base units. */
  readonly effectiveGasPrice: bigint;
  readonly logs: readonly TxLog[];
}

export interface ChainBlock extends BlockHeader {
  readonly transactions: readonly ChainTransaction[];
}
