import type { ChainBlock, ChainTransaction } from '../core/chain-client.js';
import type { AccountTransaction, TxLog } from '../core/transaction.js';

/** keccak256("Transfer(address,address,uint256)"), the ERC-20 (and ERC-721) transfer event. */
export const transferTopic = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

export interface TokenInfo {
  readonly symbol: string;
  readonly decimals: number;
}

export interface EvmAssets {
  /** The chain's name on every transaction. */
  readonly chain: string;
  /** The native asset, such as ETH with 18 decimals. */
  readonly asset: string;
  readonly decimals: number;
  /** Known ERC-20 tokens by lowercase contract address. */
  readonly tokens: ReadonlyMap<string, TokenInfo>;
}

/**
 * The transfers of one block as `Transaction`s, in block order:
 *
 * - a native transfer for each transaction that moves value, or that emits no ERC-20 transfer
 *   (a contract call is still a transaction a rule may match on); its fee is gas used times the
 *   effective gas price, its status the receipt's;
 * - a token transfer for each ERC-20 `Transfer` log (three topics: ERC-721 transfers carry the
 *   token id as a fourth topic and are not amounts): the log's contract, from, to and amount,
 *   with the symbol and decimals of the configured token list. An unknown token keeps its
 *   contract address as its asset and 0 decimals (base units), so it is still seen but never
 *   priced. A token transfer's fee is 0: the fee is paid in the native asset, on the native
 *   record of the same hash.
 */
export function evmTransactions(block: ChainBlock, assets: EvmAssets): AccountTransaction[] {
  const out: AccountTransaction[] = [];
  for (const tx of block.transactions) {
    const logs = tx.logs.map((l) => ({ address: l.address.toLowerCase(), topics: l.topics, data: l.data }));
    const tokenTransfers = tx.status === 'success' ? logs.flatMap((log) => tokenTransfer(log, { tx, block, assets })) : [];
    if (tx.value > 0n || tokenTransfers.length === 0) {
      out.push({
        kind: 'account',
        chain: assets.chain,
        hash: tx.hash,
        asset: assets.asset,
        decimals: assets.decimals,
        fee: tx.gasUsed * tx.effectiveGasPrice,
        block: block.number,
        timestamp: block.timestamp,
        status: tx.status,
        from: tx.from.toLowerCase(),
        to: tx.to === null ? null : tx.to.toLowerCase(),
        amount: tx.value,
        nonce: tx.nonce,
        tokenContract: null,
        logs,
      });
    }
    out.push(...tokenTransfers);
  }
  return out;
}

function tokenTransfer(log: TxLog, context: { tx: ChainTransaction; block: ChainBlock; assets: EvmAssets }): AccountTransaction[] {
  if (log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== transferTopic) return [];
  const from = topicAddress(log.topics[1]);
  const to = topicAddress(log.topics[2]);
  const amount = uint256(log.data);
  if (from === undefined || to === undefined || amount === undefined) return [];
  const token = context.assets.tokens.get(log.address);
  return [
    {
      kind: 'account',
      chain: context.assets.chain,
      hash: context.tx.hash,
      asset: token?.symbol ?? log.address,
      decimals: token?.decimals ?? 0,
      fee: 0n,
      block: context.block.number,
      timestamp: context.block.timestamp,
      status: context.tx.status,
      from,
      to,
      amount,
      // The nonce is the transaction sender's, who need not be the token's sender (transferFrom).
      nonce: null,
      tokenContract: log.address,
      logs: [log],
    },
  ];
}

/** An indexed address: 32 bytes, the address in the low 20. */
function topicAddress(topic: string | undefined): string | undefined {
  if (topic === undefined || !/^0x[0-9a-fA-F]{64}$/.test(topic)) return undefined;
  return `0x${topic.slice(26).toLowerCase()}`;
}

/** The data of a `Transfer` log: one 32-byte unsigned integer. */
function uint256(data: string): bigint | undefined {
  if (!/^0x[0-9a-fA-F]{64}$/.test(data)) return undefined;
  return BigInt(data);
}
