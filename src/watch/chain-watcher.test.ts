import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { Transaction } from '../core/transaction.js';
import { chainTx, FakeChain } from '../../test/support/fake-chain.js';
import { ChainWatcher } from './chain-watcher.js';
import { watchConfigSchema, type WatchConfigInput } from './watch-config.js';
import type { WatchSignal } from './watch-signal.js';

type ChainInput = WatchConfigInput['chains'][number];

function setup(options: { chain?: Partial<ChainInput>; reference?: FakeChain; node?: FakeChain } = {}) {
  const clock = new ManualClock('2026-11-23T10:00:00.000Z');
  const chain = options.node ?? new FakeChain({ genesisTimestamp: clock.now() });
  const config = watchConfigSchema.parse({ chains: [{ name: 'ethereum', rpcUrl: 'http://127.0.0.1:8545', service: 'eth-node', ...options.chain }] }).chains[0]!;
  const txs: Transaction[] = [];
  const signals: WatchSignal[] = [];
  const delivery = { fail: false };
  const watcher = new ChainWatcher({
    config,
    client: chain,
    reference: options.reference,
    clock,
    emit: (tx) => {
      txs.push(tx);
      return Promise.resolve();
    },
    signal: (s) => {
      if (delivery.fail) return Promise.reject(new Error('database is locked'));
      signals.push(s);
      return Promise.resolve();
    },
  });
  return { clock, chain, watcher, txs, signals, delivery };
}

const hashes = (txs: readonly Transaction[]) => txs.map((t) => t.hash);
const mineTx = (chain: FakeChain, hash: string) => chain.mine({ transactions: [chainTx({ hash })] });

describe('the chain watcher', () => {
  it('starts after the head and processes each new block once, in order', async () => {
    const { chain, watcher, txs } = setup();
    mineTx(chain, '0xold');
    expect(await watcher.poll()).toBe(true);
    expect(txs).toEqual([]);
    mineTx(chain, '0x2');
    mineTx(chain, '0x3');
    await watcher.poll();
    await watcher.poll();
    expect(hashes(txs)).toEqual(['0x2', '0x3']);
    expect(txs[0]).toMatchObject({ chain: 'ethereum', asset: 'ETH', decimals: 18, block: 2, amount: 10n ** 18n });
    expect(watcher.status()).toMatchObject({ head: 3, processed: 3, blocks: 2, transactions: 2 });
  });

  it('resumes from saved progress after a restart, processing the blocks mined while it was down', async () => {
    const first = setup({ chain: { startBlock: 1 } });
    mineTx(first.chain, '0x1');
    expect(first.watcher.progress()).toBeUndefined();
    await first.watcher.poll();
    expect(hashes(first.txs)).toEqual(['0x1']);
    mineTx(first.chain, '0x2');
    await first.watcher.poll();
    const saved = first.watcher.progress()!;
    expect(saved).toEqual({ chain: 'ethereum', processed: 2, hashes: [1, 2].map((n) => ({ number: n, hash: expect.any(String) as string })) });
    mineTx(first.chain, '0x3');
    mineTx(first.chain, '0x4');

    // A new process: saved progress wins over startBlock.
    const second = setup({ node: first.chain, chain: { startBlock: 1 } });
    second.watcher.resumeFrom(saved);
    expect(await second.watcher.poll()).toBe(true);
    expect(hashes(second.txs)).toEqual(['0x3', '0x4']);
    expect(second.signals.filter((s) => s.kind === 'reorg')).toEqual([]);
    await expect(async () => second.watcher.resumeFrom(saved)).rejects.toThrow('already started');
  });

  it('finds a reorg that happened while it was down, from the saved hashes', async () => {
    const first = setup({ chain: { thresholds: { reorgDepth: 1 } } });
    await first.watcher.poll();
    mineTx(first.chain, '0xa1');
    mineTx(first.chain, '0xa2');
    await first.watcher.poll();
    const saved = first.watcher.progress()!;
    first.chain.rewind(1);
    mineTx(first.chain, '0xb2');
    mineTx(first.chain, '0xb3');

    const second = setup({ node: first.chain, chain: { thresholds: { reorgDepth: 1 } } });
    second.watcher.resumeFrom(saved);
    await second.watcher.poll();
    expect(second.signals.filter((s) => s.kind === 'reorg')).toMatchObject([{ depth: 1, ancestor: 1, height: 2, oldTip: 2 }]);
    expect(hashes(second.txs)).toEqual(['0xb2', '0xb3']);
  });

  it('starts at the configured start block and catches up in bounded batches', async () => {
    const { chain, watcher, txs } = setup({ chain: { startBlock: 1, maxBlocksPerPoll: 3 } });
    for (let i = 1; i <= 7; i += 1) mineTx(chain, `0x${i}`);
    expect(await watcher.poll()).toBe(false);
    expect(hashes(txs)).toEqual(['0x1', '0x2', '0x3']);
    expect(await watcher.poll()).toBe(false);
    expect(await watcher.poll()).toBe(true);
    expect(hashes(txs)).toEqual(['0x1', '0x2', '0x3', '0x4', '0x5', '0x6', '0x7']);
  });

  it('reports a reorg with its depth and hashes, and processes the new branch', async () => {
    const { chain, watcher, txs, signals } = setup({ chain: { thresholds: { reorgDepth: 2 } } });
    await watcher.poll();
    mineTx(chain, '0xa1');
    const oldAt2 = mineTx(chain, '0xa2');
    mineTx(chain, '0xa3');
    await watcher.poll();
    chain.rewind(2);
    const newAt2 = mineTx(chain, '0xb2');
    mineTx(chain, '0xb3');
    mineTx(chain, '0xb4');
    await watcher.poll();
    expect(signals.filter((s) => s.kind === 'reorg')).toEqual([
      { kind: 'reorg', status: 'firing', chain: 'ethereum', depth: 2, ancestor: 1, height: 2, oldHash: oldAt2.hash, newHash: newAt2.hash, oldTip: 3, at: Date.parse('2026-11-23T10:00:00.000Z') },
    ]);
    expect(hashes(txs)).toEqual(['0xa1', '0xa2', '0xa3', '0xb2', '0xb3', '0xb4']);
    expect(watcher.status()).toMatchObject({ reorgs: 1, deepestReorg: 2, processed: 4 });
  });

  it('counts a reorg shallower than the threshold without alerting', async () => {
    const { chain, watcher, txs, signals } = setup({ chain: { thresholds: { reorgDepth: 2 } } });
    await watcher.poll();
    mineTx(chain, '0xa1');
    await watcher.poll();
    chain.rewind(1);
    mineTx(chain, '0xb1');
    await watcher.poll();
    expect(signals.some((s) => s.kind === 'reorg')).toBe(false);
    expect(watcher.status()).toMatchObject({ reorgs: 1, deepestReorg: 1 });
    expect(hashes(txs)).toEqual(['0xa1', '0xb1']);
  });

  it('reports a reorg at the same height when the node replaced its tip without growing', async () => {
    const { chain, watcher, signals } = setup({ chain: { thresholds: { reorgDepth: 1 } } });
    await watcher.poll();
    mineTx(chain, '0xa1');
    mineTx(chain, '0xa2');
    await watcher.poll();
    chain.rewind(1);
    const replaced = mineTx(chain, '0xb2');
    await watcher.poll();
    expect(signals.filter((s) => s.kind === 'reorg')).toMatchObject([{ depth: 1, ancestor: 1, height: 2, newHash: replaced.hash }]);
  });

  it('waits, without a reorg, while the node is behind the processed tip on the same chain', async () => {
    const { chain, watcher, txs, signals } = setup({ chain: { thresholds: { reorgDepth: 1 } } });
    await watcher.poll();
    mineTx(chain, '0xa1');
    mineTx(chain, '0xa2');
    await watcher.poll();
    // A load-balanced provider answers from a backend one block behind.
    const tip = chain.blocks.pop()!;
    expect(await watcher.poll()).toBe(true);
    chain.blocks.push(tip);
    mineTx(chain, '0xa3');
    await watcher.poll();
    expect(signals.some((s) => s.kind === 'reorg')).toBe(false);
    expect(hashes(txs)).toEqual(['0xa1', '0xa2', '0xa3']);
  });

  it('reports a reorg to a shorter branch once the node shows a replaced block', async () => {
    const { chain, watcher, txs, signals } = setup({ chain: { thresholds: { reorgDepth: 1 } } });
    await watcher.poll();
    mineTx(chain, '0xa1');
    const old = mineTx(chain, '0xa2');
    mineTx(chain, '0xa3');
    await watcher.poll();
    chain.rewind(2);
    const replacement = mineTx(chain, '0xb2');
    await watcher.poll();
    expect(signals.filter((s) => s.kind === 'reorg')).toMatchObject([{ depth: 2, ancestor: 1, height: 2, oldHash: old.hash, newHash: replacement.hash, oldTip: 3 }]);
    expect(hashes(txs)).toEqual(['0xa1', '0xa2', '0xa3', '0xb2']);
  });

  it('reports the state again on the next poll when a signal could not be delivered', async () => {
    const { clock, watcher, signals, delivery } = setup({ chain: { thresholds: { stallSeconds: 60 } } });
    await watcher.poll();
    signals.length = 0;
    clock.advance(61_000);
    delivery.fail = true;
    await expect(watcher.poll()).rejects.toThrow('database is locked');
    delivery.fail = false;
    await watcher.poll();
    expect(signals).toMatchObject([{ kind: 'stall', status: 'firing' }, { kind: 'head_lag', status: 'resolved' }]);
  });

  it('asks for one header per poll when nothing changed', async () => {
    const { chain, watcher } = setup();
    await watcher.poll();
    mineTx(chain, '0x1');
    await watcher.poll();
    chain.requests.length = 0;
    await watcher.poll();
    expect(chain.requests).toEqual(['head', 'header 1']);
  });

  it('raises a stall after the threshold without blocks and resolves it when blocks arrive again', async () => {
    const { chain, clock, watcher, signals } = setup({ chain: { thresholds: { stallSeconds: 60 } } });
    await watcher.poll();
    expect(signals).toMatchObject([{ kind: 'stall', status: 'resolved' }, { kind: 'head_lag', status: 'resolved' }]);
    signals.length = 0;
    clock.advance(61_000);
    await watcher.poll();
    expect(signals).toMatchObject([{ kind: 'stall', status: 'firing', head: 0, stalledMs: 61_000 }]);
    mineTx(chain, '0x1');
    await watcher.poll();
    expect(signals.at(-1)).toMatchObject({ kind: 'stall', status: 'resolved', head: 1 });
  });

  it('raises a stall when the node stops answering, with its error, and rethrows the error', async () => {
    const { chain, clock, watcher, signals } = setup({ chain: { thresholds: { stallSeconds: 60 } } });
    await watcher.poll();
    chain.failing = 'connect ECONNREFUSED 127.0.0.1:8545';
    clock.advance(61_000);
    await expect(watcher.poll()).rejects.toThrow('ECONNREFUSED');
    expect(signals.at(-1)).toMatchObject({ kind: 'stall', status: 'firing', lastError: 'connect ECONNREFUSED 127.0.0.1:8545' });
    expect(watcher.status().lastError).toBe('connect ECONNREFUSED 127.0.0.1:8545');
  });

  it('raises head lag against a reference node', async () => {
    const reference = new FakeChain();
    const { chain, watcher, signals } = setup({ chain: { referenceRpcUrl: 'http://127.0.0.1:8546', thresholds: { maxLagBlocks: 2 } }, reference });
    await watcher.poll();
    for (let i = 0; i < 3; i += 1) reference.mine();
    await watcher.poll();
    expect(signals.at(-1)).toMatchObject({ kind: 'head_lag', status: 'firing', head: 0, referenceHead: 3, blocksBehind: 3 });
    for (let i = 0; i < 3; i += 1) chain.mine();
    await watcher.poll();
    expect(signals.at(-1)).toMatchObject({ kind: 'head_lag', status: 'resolved', head: 3 });
  });

  it('raises head lag when the newest block is older than allowed by the clock', async () => {
    const { clock, watcher, signals } = setup({ chain: { thresholds: { maxLagSeconds: 30, stallSeconds: 3600 } } });
    await watcher.poll();
    clock.advance(31_000);
    await watcher.poll();
    expect(signals.at(-1)).toMatchObject({ kind: 'head_lag', status: 'firing', behindMs: 31_000 });
  });
});
