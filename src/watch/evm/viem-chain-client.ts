import { BaseError, BlockNotFoundError, createPublicClient, http, type Block, type PublicClient, type TransactionReceipt } from 'viem';
import type { BlockHeader, ChainBlock, ChainClient, ChainTransaction } from '../../core/chain-client.js';
import { VigilError } from '../../core/errors.js';

export interface ViemChainClientOptions {
  /** The node's HTTP JSON-RPC URL. It may carry a provider's API key: it is never put in errors. */
  readonly url: string;
  /** Each request gives up after this long (default 10 s); viem retries failed ones with backoff. */
  readonly timeoutMs?: number;
  /** Receipts fetched at once for one block (default 8). */
  readonly receiptConcurrency?: number;
}

/**
 * The `ChainClient` port over an EVM node's JSON-RPC, with viem: `eth_blockNumber`,
 * `eth_getBlockByNumber` (with full transactions) and `eth_getTransactionReceipt` for each
 * transaction's status, gas used and logs. Failures become `CHAIN_UNAVAILABLE` (retryable),
 * naming the node by its origin only.
 */
export class ViemChainClient implements ChainClient {
  readonly #client: PublicClient;
  readonly #label: string;
  readonly #concurrency: number;

  constructor(options: ViemChainClientOptions) {
    this.#client = createPublicClient({ transport: http(options.url, { timeout: options.timeoutMs ?? 10_000, retryCount: 2 }) });
    this.#label = nodeLabel(options.url);
    this.#concurrency = options.receiptConcurrency ?? 8;
  }

  headNumber(): Promise<number> {
    // cacheTime 0: viem otherwise answers from a cache for a polling interval.
    return this.#call('eth_blockNumber', async () => Number(await this.#client.getBlockNumber({ cacheTime: 0 })));
  }

  header(number: number): Promise<BlockHeader | undefined> {
    return this.#call('eth_getBlockByNumber', async () => {
      const block = await this.#getBlock(() => this.#client.getBlock({ blockNumber: BigInt(number) }));
      return block === undefined ? undefined : headerOf(block);
    });
  }

  block(number: number): Promise<ChainBlock | undefined> {
    return this.#call('eth_getBlockByNumber', async () => {
      const block = await this.#getBlock(() => this.#client.getBlock({ blockNumber: BigInt(number), includeTransactions: true }));
      if (block === undefined) return undefined;
      const receipts: TransactionReceipt[] = [];
      for (let i = 0; i < block.transactions.length; i += this.#concurrency) {
        const slice = block.transactions.slice(i, i + this.#concurrency);
        receipts.push(...(await Promise.all(slice.map((tx) => this.#client.getTransactionReceipt({ hash: tx.hash })))));
      }
      const transactions: ChainTransaction[] = block.transactions.map((tx, i) => {
        const receipt = receipts[i]!;
        return {
          hash: tx.hash.toLowerCase(),
          from: tx.from.toLowerCase(),
          to: tx.to === null ? null : tx.to.toLowerCase(),
          value: tx.value,
          nonce: tx.nonce,
          status: receipt.status === 'success' ? 'success' : 'failed',
          gasUsed: receipt.gasUsed,
          effectiveGasPrice: receipt.effectiveGasPrice,
          logs: receipt.logs.map((l) => ({ address: l.address.toLowerCase(), topics: l.topics.map((t) => t.toLowerCase()), data: l.data })),
        };
      });
      return { ...headerOf(block), transactions };
    });
  }

  async #getBlock<T>(get: () => Promise<T>): Promise<T | undefined> {
    try {
      return await get();
    } catch (error) {
      if (error instanceof BlockNotFoundError) return undefined;
      throw error;
    }
  }

  async #call<T>(method: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // The cause is left out on purpose: viem's errors quote the full URL, which may hold a key.
      const reason = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
      throw new VigilError('CHAIN_UNAVAILABLE', `${method} on ${this.#label} failed: ${reason.split('\n')[0] ?? 'failed'}`, { retryable: true });
    }
  }
}

function headerOf(block: Block): BlockHeader {
  if (block.number === null || block.hash === null) throw new Error('the node returned a pending block for a block number');
  return { number: Number(block.number), hash: block.hash.toLowerCase(), parentHash: block.parentHash.toLowerCase(), timestamp: Number(block.timestamp) * 1000 };
}

/** A node URL as it may be shown: scheme, host and port only (paths and queries carry API keys). */
export function nodeLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the node';
  }
}
