import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');
/** An http(s) URL; any host (nodes are often at an IP address or `localhost`). */
const rpcUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const seconds = z.number().positive().max(7 * 24 * 3600);

/** An ERC-20 token the watcher names: its `Transfer` logs become transactions in `symbol`. */
const tokenSchema = z.strictObject({
  address,
  symbol: z.string().min(1).max(32),
  decimals: z.number().int().min(0).max(36),
});

/** When the node's health becomes an alert. */
const thresholdsSchema = z
  .strictObject({
    /** No new block for this long: a stall (default 120 s). */
    stallSeconds: seconds.default(120),
    /** Behind the reference RPC's head by more than this many blocks: head lag (default 5). */
    maxLagBlocks: z.number().int().min(0).default(5),
    /** The newest block older than this by the clock: head lag (off by default). */
    maxLagSeconds: seconds.optional(),
    /** A reorg this deep or deeper is alerted (default 2: one-block reorgs are routine). */
    reorgDepth: z.number().int().min(1).default(2),
  })
  .prefault({});

const chainSchema = z.strictObject({
  /** The chain's name on transactions and alerts, such as `ethereum`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, - or _ (at most 64)'),
  kind: z.literal('evm').default('evm'),
  /** The node to watch (HTTP JSON-RPC). */
  rpcUrl,
  /** A second, independent node whose head is the reference for head lag. */
  referenceRpcUrl: rpcUrl.optional(),
  /** The service that owns the alerts and incidents of this chain. */
  service: z.string().min(1).max(128),
  /** The native asset's symbol and decimals (prices are configured per symbol). */
  asset: z.string().min(1).max(32).default('ETH'),
  decimals: z.number().int().min(0).max(36).default(18),
  pollIntervalMs: z.number().int().min(100).max(3_600_000).default(4000),
  /** At most this many blocks are fetched per poll when catching up. */
  maxBlocksPerPoll: z.number().int().min(1).max(1000).default(20),
  /** The first block to process; default: the blocks after the head at start. */
  startBlock: z.number().int().min(0).optional(),
  /** How many recent block hashes are kept to find a reorg's common ancestor. */
  reorgWindow: z.number().int().min(2).max(10_000).default(128),
  /** Transactions held between the watcher and the detectors before the watcher waits. */
  queueCapacity: z.number().int().min(1).max(1_000_000).default(1000),
  thresholds: thresholdsSchema,
  tokens: z.array(tokenSchema).max(10_000).default([]),
});

/** `vigil watch --config FILE` and `vigil serve --watch-config FILE`: the chains to watch. */
export const watchConfigSchema = z
  .strictObject({ chains: z.array(chainSchema).min(1).max(64) })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.chains.forEach((chain, i) => {
      if (seen.has(chain.name)) ctx.addIssue({ code: 'custom', path: ['chains', i, 'name'], message: `chain ${chain.name} is configured twice` });
      seen.add(chain.name);
      const tokens = new Set<string>();
      chain.tokens.forEach((token, j) => {
        const key = token.address.toLowerCase();
        if (tokens.has(key)) ctx.addIssue({ code: 'custom', path: ['chains', i, 'tokens', j, 'address'], message: `token ${token.address} is listed twice` });
        tokens.add(key);
      });
    });
  });

export type WatchConfig = z.output<typeof watchConfigSchema>;
export type WatchConfigInput = z.input<typeof watchConfigSchema>;
export type ChainWatchConfig = WatchConfig['chains'][number];
export type WatchThresholds = ChainWatchConfig['thresholds'];
