import { describe, expect, it } from 'vitest';
import type { ChainBlock, ChainTransaction } from '../core/chain-client.js';
import { evmTransactions, transferTopic, type EvmAssets } from './evm-transactions.js';

const usdc = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const alice = '0x1111111111111111111111111111111111111111';
const bob = '0x2222222222222222222222222222222222222222';
const carol = '0x3333333333333333333333333333333333333333';
const assets: EvmAssets = { chain: 'ethereum', asset: 'ETH', decimals: 18, tokens: new Map([[usdc, { symbol: 'USDC', decimals: 6 }]]) };

const word = (address: string) => `0x${'0'.repeat(24)}${address.slice(2)}`;
const amountData = (amount: bigint) => `0x${amount.toString(16).padStart(64, '0')}`;
const transferLog = (options: { token: string; from: string; to: string; amount: bigint }) => ({
  address: options.token,
  topics: [transferTopic, word(options.from), word(options.to)],
  data: amountData(options.amount),
});

function tx(overrides: Partial<ChainTransaction>): ChainTransaction {
  return {
    hash: '0xaaa',
    from: alice,
    to: bob,
    value: 0n,
    nonce: 7,
    status: 'success',
    gasUsed: 21_000n,
    effectiveGasPrice: 30_000_000_000n,
    logs: [],
    ...overrides,
  };
}

function block(transactions: ChainTransaction[]): ChainBlock {
  return { number: 19_000_000, hash: '0xb10c', parentHash: '0xb10b', timestamp: Date.parse('2026-11-23T10:00:00Z'), transactions };
}

describe('converting EVM blocks to transactions', () => {
  it('turns a native transfer into an ETH transaction with its fee, nonce, status and lowercase addresses', () => {
    const value = 12_345_678_901_234_567_890_123n; // above 2^53, exact
    expect(evmTransactions(block([tx({ value, from: '0xABCDEF1111111111111111111111111111111111', to: '0x2222222222222222222222222222222222222222' })]), assets)).toEqual([
      {
        kind: 'account',
        chain: 'ethereum',
        hash: '0xaaa',
        asset: 'ETH',
        decimals: 18,
        fee: 21_000n * 30_000_000_000n,
        block: 19_000_000,
        timestamp: Date.parse('2026-11-23T10:00:00Z'),
        status: 'success',
        from: '0xabcdef1111111111111111111111111111111111',
        to: bob,
        amount: value,
        nonce: 7,
        tokenContract: null,
        logs: [],
      },
    ]);
  });

  it('turns an ERC-20 Transfer log of a listed token into a transfer in its symbol and decimals, exact above 2^53', () => {
    const amount = 2n ** 53n + 12_345n;
    const log = transferLog({ token: usdc, from: carol, to: bob, amount });
    const out = evmTransactions(block([tx({ to: usdc, logs: [log], gasUsed: 50_000n })]), assets);
    expect(out).toEqual([
      {
        kind: 'account',
        chain: 'ethereum',
        hash: '0xaaa',
        asset: 'USDC',
        decimals: 6,
        fee: 0n,
        block: 19_000_000,
        timestamp: Date.parse('2026-11-23T10:00:00Z'),
        status: 'success',
        from: carol,
        to: bob,
        amount,
        nonce: null,
        tokenContract: usdc,
        logs: [log],
      },
    ]);
    expect(out[0]!.amount).toBe(9_007_199_254_753_337n);
  });

  it('keeps an unlisted token by its contract address, in base units', () => {
    const token = '0x9999999999999999999999999999999999999999';
    const [transfer] = evmTransactions(block([tx({ to: token, logs: [transferLog({ token, from: alice, to: bob, amount: 5n })] })]), assets);
    expect(transfer).toMatchObject({ asset: token, decimals: 0, tokenContract: token, amount: 5n });
  });

  it('records both the native value and the token transfers of one transaction', () => {
    const out = evmTransactions(block([tx({ value: 1n, logs: [transferLog({ token: usdc, from: alice, to: bob, amount: 1n }), transferLog({ token: usdc, from: bob, to: carol, amount: 1n })] })]), assets);
    expect(out.map((t) => `${t.asset} ${t.from}->${t.to}`)).toEqual([`ETH ${alice}->${bob}`, `USDC ${alice}->${bob}`, `USDC ${bob}->${carol}`]);
  });

  it('ignores ERC-721 transfers (the token id is a fourth topic) and logs that are not transfers', () => {
    const nft = { address: usdc, topics: [transferTopic, word(alice), word(bob), word(carol)], data: '0x' };
    const other = { address: usdc, topics: ['0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925', word(alice), word(bob)], data: amountData(1n) };
    const out = evmTransactions(block([tx({ logs: [nft, other] })]), assets);
    // No token transfer: the call itself is still seen, with its logs for rules.
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ asset: 'ETH', amount: 0n, logs: [nft, other] });
  });

  it('keeps a failed transaction as a failed native record with its fee', () => {
    const [failed] = evmTransactions(block([tx({ value: 5n, status: 'failed', gasUsed: 30_000n, effectiveGasPrice: 2n })]), assets);
    expect(failed).toMatchObject({ status: 'failed', amount: 5n, fee: 60_000n });
  });

  it('records a contract creation with no receiver', () => {
    const [creation] = evmTransactions(block([tx({ to: null })]), assets);
    expect(creation).toMatchObject({ to: null, asset: 'ETH' });
  });
});
