import type { BlockHeader, ChainBlock, ChainClient, ChainTransaction } from '../../src/core/chain-client.js';

/**
 * An EVM chain in memory for watcher tests: blocks are mined by hand, with a hash derived from
 * the branch, so a reorg is `rewind(n)` then mining other blocks at the same heights.
 */
export class FakeChain implements ChainClient {
  readonly blocks: ChainBlock[] = [];
  /** Make the node fail (unreachable) until cleared. */
  failing: string | undefined;
  /** Requests made, for asserting bounded work. */
  readonly requests: string[] = [];
  #branch = 0;

  constructor(options: { genesisTimestamp?: number } = {}) {
    this.blocks.push({ number: 0, hash: hash(0, 0), parentHash: hash(0, -1), timestamp: options.genesisTimestamp ?? 0, transactions: [] });
  }

  get head(): ChainBlock {
    return this.blocks.at(-1)!;
  }

  mine(options: { timestamp?: number; transactions?: readonly ChainTransaction[] } = {}): ChainBlock {
    const parent = this.head;
    const number = parent.number + 1;
    const block: ChainBlock = {
      number,
      hash: hash(number, this.#branch),
      parentHash: parent.hash,
      timestamp: options.timestamp ?? parent.timestamp + 12_000,
      transactions: options.transactions ?? [],
    };
    this.blocks.push(block);
    return block;
  }

  /** Drops the newest `n` blocks; blocks mined after this are on a new branch. */
  rewind(n: number): void {
    this.blocks.splice(this.blocks.length - n, n);
    this.#branch += 1;
  }

  headNumber(): Promise<number> {
    this.requests.push('head');
    if (this.failing !== undefined) return Promise.reject(new Error(this.failing));
    return Promise.resolve(this.head.number);
  }

  header(number: number): Promise<BlockHeader | undefined> {
    this.requests.push(`header ${number}`);
    if (this.failing !== undefined) return Promise.reject(new Error(this.failing));
    const block = this.blocks[number];
    return Promise.resolve(block === undefined ? undefined : { number: block.number, hash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp });
  }

  block(number: number): Promise<ChainBlock | undefined> {
    this.requests.push(`block ${number}`);
    if (this.failing !== undefined) return Promise.reject(new Error(this.failing));
    return Promise.resolve(this.blocks[number]);
  }
}

function hash(number: number, branch: number): string {
  return `0x${branch.toString(16).padStart(8, '0')}${number.toString(16).padStart(56, '0')}`;
}

/** A native transfer as a node reports it, with defaults. */
export function chainTx(overrides: Partial<ChainTransaction> = {}): ChainTransaction {
  return {
    hash: `0x${'ab'.repeat(32)}`,
    from: '0x1111111111111111111111111111111111111111',
    to: '0x2222222222222222222222222222222222222222',
    value: 10n ** 18n,
    nonce: 0,
    status: 'success',
    gasUsed: 21_000n,
    effectiveGasPrice: 1_000_000_000n,
    logs: [],
    ...overrides,
  };
}
