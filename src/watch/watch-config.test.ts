import { describe, expect, it } from 'vitest';
import { watchConfigSchema } from './watch-config.js';

const chain = { name: 'ethereum', rpcUrl: 'http://127.0.0.1:8545', service: 'eth-node' };
const issues = (input: unknown) => {
  const parsed = watchConfigSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the watch config', () => {
  it('fills every default from a chain with a name, an RPC URL and a service', () => {
    expect(watchConfigSchema.parse({ chains: [chain] }).chains[0]).toEqual({
      ...chain,
      kind: 'evm',
      asset: 'ETH',
      decimals: 18,
      pollIntervalMs: 4000,
      maxBlocksPerPoll: 20,
      reorgWindow: 128,
      queueCapacity: 1000,
      thresholds: { stallSeconds: 120, maxLagBlocks: 5, reorgDepth: 2 },
      tokens: [],
    });
  });

  it('names the field of each mistake', () => {
    expect(issues({ chains: [{ ...chain, rpcUrl: 'ws://127.0.0.1:8546', thresholds: { stallSeconds: 0 } }] })).toEqual([
      'chains.0.rpcUrl: must be an http:// or https:// URL',
      'chains.0.thresholds.stallSeconds: Too small: expected number to be >0',
    ]);
    expect(issues({ chains: [] })).toEqual(['chains: Too small: expected array to have >=1 items']);
    expect(issues({ chains: [{ ...chain, tokens: [{ address: '0x12', symbol: 'USDC', decimals: 6 }] }] })).toEqual([
      'chains.0.tokens.0.address: must be a 0x-prefixed 20-byte hex address',
    ]);
    expect(issues({ chains: [{ ...chain, rpcURL: 'x' }] })[0]).toContain('rpcURL');
  });

  it('refuses a chain configured twice and a token listed twice', () => {
    const usdc = { address: '0xA0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', symbol: 'USDC', decimals: 6 };
    expect(issues({ chains: [{ ...chain, tokens: [usdc, { ...usdc, address: usdc.address.toLowerCase() }] }, chain] })).toEqual([
      'chains.0.tokens.1.address: token 0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48 is listed twice',
      'chains.1.name: chain ethereum is configured twice',
    ]);
  });
});
