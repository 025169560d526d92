import { afterEach, describe, expect, it } from 'vitest';
import { createVigil, type Vigil } from '../app.js';
import { defaultConfig } from '../config.js';
import { ManualClock } from '../core/clock.js';
import { sequentialIds } from '../core/ids.js';
import { createDetectors } from '../detect/detect-config.js';
import { buildHttpApp } from '../http/app.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { chainTx, FakeChain } from '../../test/support/fake-chain.js';
import { watchConfigSchema } from './watch-config.js';
import { ChainWatchers } from './chain-watchers.js';
import { DetectionEngine } from '../detect/detection-engine.js';
import { InProcessDetection } from '../detect/transaction-detection.js';
import type { StoreReader } from '../core/store.js';
import { Metrics } from '../http/metrics.js';
import type { Integration } from '../core/access.js';
import type { WatcherProgress } from '../core/watcher-progress.js';

describe('chain watchers inside Vigil', () => {
  let vigil: Vigil;
  afterEach(async () => vigil.close());

  async function start(chain: FakeChain, clock: ManualClock) {
    const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
    vigil = await createVigil(defaultConfig, {
      clock,
      ids: sequentialIds(),
      store,
      detectors: createDetectors({ prices: { ETH: '3000' } }),
      chainClient: () => chain,
    });
    const config = watchConfigSchema.parse({
      chains: [{ name: 'ethereum', rpcUrl: 'http://127.0.0.1:8545', service: 'eth-mainnet', thresholds: { stallSeconds: 60, reorgDepth: 1 } }],
    });
    const errors: unknown[] = [];
    const watchers = await vigil.watch(config, { autoStart: false, onError: (_chain, error) => errors.push(error) });
    return { watchers, errors };
  }

  it('turns a large transfer in a new block into an incident of the chain service, through the detectors', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const chain = new FakeChain({ genesisTimestamp: clock.now() });
    const { watchers, errors } = await start(chain, clock);
    await watchers.pollOnce();
    chain.mine({ transactions: [chainTx({ hash: '0xbig', value: 1_000n * 10n ** 18n })] });
    await watchers.pollOnce();
    await watchers.drained();
    await watchers.stop();
    expect(errors).toEqual([]);

    const incidents = await vigil.store.read.listIncidents({ limit: 10 });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ service: 'eth-mainnet' });
    const [alert] = await vigil.store.read.listAlertsOfIncident(incidents[0]!.id);
    expect(alert).toMatchObject({ source: 'detector', labels: { detector: 'large-transfer' } });
    expect(JSON.stringify(alert!.raw)).toContain('0xbig');
    const integration = await vigil.store.read.getIntegration(alert!.integrationId);
    expect(integration).toMatchObject({ kind: 'transactions', service: 'eth-mainnet', name: 'watcher ethereum' });
  });

  it('reuses the chain integration on the next start instead of creating another', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const chain = new FakeChain({ genesisTimestamp: clock.now() });
    await start(chain, clock);
    const config = watchConfigSchema.parse({ chains: [{ name: 'ethereum', rpcUrl: 'http://127.0.0.1:8545', service: 'eth-mainnet' }] });
    await (await vigil.watch(config, { autoStart: false })).stop();
    expect((await vigil.store.read.listIntegrations()).filter((i) => i.name === 'watcher ethereum')).toHaveLength(1);
  });

  it('raises a stall alert that folds while it lasts and resolves when blocks come again', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const chain = new FakeChain({ genesisTimestamp: clock.now() });
    const { watchers } = await start(chain, clock);
    await watchers.pollOnce();
    clock.advance(61_000);
    await watchers.pollOnce();
    clock.advance(10_000);
    await watchers.pollOnce();
    const [incident] = await vigil.store.read.listIncidents({ limit: 10 });
    const alerts = await vigil.store.read.listAlertsOfIncident(incident!.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ source: 'watcher', dedupKey: 'watcher:ethereum:stall', status: 'firing', severity: 'error', service: 'eth-mainnet' });
    expect(alerts[0]!.summary).toContain('no new block for 61 s');

    chain.mine();
    await watchers.pollOnce();
    expect(await vigil.store.read.getAlert(alerts[0]!.id)).toMatchObject({ status: 'resolved' });
  });

  it('raises a reorg alert with its depth and the old and new hashes', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const chain = new FakeChain({ genesisTimestamp: clock.now() });
    const { watchers } = await start(chain, clock);
    await watchers.pollOnce();
    chain.mine();
    const old = chain.mine();
    await watchers.pollOnce();
    chain.rewind(1);
    const replacement = chain.mine();
    await watchers.pollOnce();
    const [incident] = await vigil.store.read.listIncidents({ limit: 10 });
    const [alert] = await vigil.store.read.listAlertsOfIncident(incident!.id);
    expect(alert).toMatchObject({
      source: 'watcher',
      dedupKey: 'watcher:ethereum:reorg',
      severity: 'critical',
      annotations: { depth: '1', height: '2', oldHash: old.hash, newHash: replacement.hash },
    });
  });

  it('resumes after a restart where it stopped, so a transfer mined while it was down still becomes an alert', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const chain = new FakeChain({ genesisTimestamp: clock.now() });
    chain.mine();
    const { watchers, errors } = await start(chain, clock);
    await watchers.pollOnce();
    chain.mine({ transactions: [chainTx({ hash: '0xbefore', value: 1_000n * 10n ** 18n })] });
    await watchers.pollOnce();
    await watchers.stop();
    expect(await vigil.store.read.getWatcherProgress('ethereum')).toMatchObject({ chain: 'ethereum', processed: 2 });

    // Down: two blocks, one with a large transfer from another wallet.
    chain.mine({ transactions: [chainTx({ hash: '0xwhiledown', from: '0x00000000000000000000000000000000000000d0', value: 2_000n * 10n ** 18n })] });
    chain.mine();
    const config = watchConfigSchema.parse({ chains: [{ name: 'ethereum', rpcUrl: 'http://127.0.0.1:8545', service: 'eth-mainnet' }] });
    const again = await vigil.watch(config, { autoStart: false, onError: (_chain, error) => errors.push(error) });
    await again.pollOnce();
    await again.drained();
    await again.stop();
    expect(errors).toEqual([]);
    expect(await vigil.store.read.getWatcherProgress('ethereum')).toMatchObject({ processed: 4 });
    const incidents = await vigil.store.read.listIncidents({ limit: 10 });
    const alerts = (await Promise.all(incidents.map((i) => vigil.store.read.listAlertsOfIncident(i.id)))).flat();
    const raws = alerts.filter((a) => a.labels.detector === 'large-transfer').map((a) => JSON.stringify(a.raw));
    expect(raws.some((raw) => raw.includes('0xbefore'))).toBe(true);
    expect(raws.some((raw) => raw.includes('0xwhiledown'))).toBe(true);
  });

  it('shows each running chain on /metrics: head, processed block, reorgs, node up, stalled', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const chain = new FakeChain({ genesisTimestamp: clock.now() });
    const { watchers } = await start(chain, clock);
    const app = await buildHttpApp({ vigil, logger: false });
    try {
      await watchers.pollOnce();
      chain.mine({ transactions: [chainTx({ hash: '0x1' }), chainTx({ hash: '0x2' })] });
      chain.mine();
      await watchers.pollOnce();
      chain.failing = 'connect ECONNREFUSED';
      await watchers.pollOnce();
      const text = (await app.inject('/metrics')).body;
      expect(text).toContain('vigil_watcher_head_block{chain="ethereum"} 2');
      expect(text).toContain('vigil_watcher_processed_block{chain="ethereum"} 2');
      expect(text).toContain('vigil_watcher_blocks_processed{chain="ethereum"} 2');
      expect(text).toContain('vigil_watcher_transactions_processed{chain="ethereum"} 2');
      expect(text).toContain('vigil_watcher_reorgs{chain="ethereum"} 0');
      expect(text).toContain('vigil_watcher_node_up{chain="ethereum"} 0');
      expect(text).toContain('vigil_watcher_stalled{chain="ethereum"} 0');
      expect(text).toContain('vigil_watcher_lost_batches_total{chain="ethereum"} 0');
      await watchers.stop();
      expect((await app.inject('/metrics')).body).not.toContain('vigil_watcher_head_block{');
    } finally {
      await app.close();
    }
  });
});

describe('chain watchers saving their progress', () => {
  it('saves a poll\'s progress only once the transactions before it are committed', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const chain = new FakeChain({ genesisTimestamp: clock.now() });
    const integration: Integration = { id: 'int-1', kind: 'transactions', service: 'eth-mainnet', name: 'watcher ethereum', keyHash: 'x', createdAt: 0, revokedAt: null };
    const saved: WatcherProgress[] = [];
    let release: () => void = () => undefined;
    let commits = 0;
    const watchers = await ChainWatchers.start({
      config: watchConfigSchema.parse({ chains: [{ name: 'ethereum', rpcUrl: 'http://127.0.0.1:8545', service: 'eth-mainnet' }] }),
      clock,
      detection: new InProcessDetection(new DetectionEngine({ detectors: createDetectors({ prices: { ETH: '3000' } }) })),
      // The first commit of findings hangs until the test releases it (health signals pass).
      ingest: async (_integration, events) => {
        if (!events.some((e) => e.source === 'detector')) return [];
        commits += 1;
        if (commits === 1) await new Promise<void>((resolve) => (release = resolve));
        return [];
      },
      integrationFor: () => Promise.resolve(integration),
      clientFor: () => chain,
      onError: (_chain, error) => {
        throw error;
      },
      autoStart: false,
      progress: {
        load: () => Promise.resolve(undefined),
        save: (progress) => {
          saved.push(progress);
          return Promise.resolve();
        },
      },
    });
    await watchers.pollOnce();
    await expect.poll(() => saved.map((p) => p.processed)).toEqual([0]);
    chain.mine({ transactions: [chainTx({ hash: '0xbig', value: 1_000n * 10n ** 18n })] });
    await watchers.pollOnce();
    await expect.poll(() => commits).toBe(1);
    // Block 1's finding is not committed yet: its progress waits, and so does `drained`.
    let drained = false;
    void watchers.drained().then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(saved.map((p) => p.processed)).toEqual([0]);
    expect(drained).toBe(false);
    release();
    await expect.poll(() => saved.map((p) => p.processed)).toEqual([0, 1]);
    await expect.poll(() => drained).toBe(true);
    // A poll that changed nothing saves nothing.
    await watchers.pollOnce();
    await watchers.stop();
    expect(saved.map((p) => p.processed)).toEqual([0, 1]);
  });
  /**
   * One watched chain whose first `failures` commits of findings fail ("database is locked") and
   * whose later ones succeed, trying a failed commit again after each of `retryDelaysMs`.
   */
  async function withFailingCommits(input: { failures: number; retryDelaysMs: readonly number[] }) {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const chain = new FakeChain({ genesisTimestamp: clock.now() });
    const integration: Integration = { id: 'int-1', kind: 'transactions', service: 'eth-mainnet', name: 'watcher ethereum', keyHash: 'x', createdAt: 0, revokedAt: null };
    const saved: number[] = [];
    const errors: { error: unknown; retrying: boolean | undefined }[] = [];
    const counts = { commits: 0 };
    const watchers = await ChainWatchers.start({
      config: watchConfigSchema.parse({ chains: [{ name: 'ethereum', rpcUrl: 'http://127.0.0.1:8545', service: 'eth-mainnet' }] }),
      clock,
      detection: new InProcessDetection(new DetectionEngine({ detectors: createDetectors({ prices: { ETH: '3000' } }) })),
      ingest: (_integration, events) => {
        if (!events.some((e) => e.source === 'detector')) return Promise.resolve([]);
        counts.commits += 1;
        return counts.commits <= input.failures ? Promise.reject(new Error('database is locked')) : Promise.resolve([]);
      },
      commitRetryDelaysMs: input.retryDelaysMs,
      integrationFor: () => Promise.resolve(integration),
      clientFor: () => chain,
      onError: (_chain, error, retrying) => errors.push({ error, retrying }),
      autoStart: false,
      progress: {
        load: () => Promise.resolve(undefined),
        save: (progress) => {
          saved.push(progress.processed);
          return Promise.resolve();
        },
      },
    });
    await watchers.pollOnce();
    await expect.poll(() => saved).toEqual([0]);
    expect(watchers.status()[0]).toMatchObject({ savedBlock: 0, lostBatches: 0 });
    return { chain, watchers, saved, errors, counts };
  }

  it('saves no progress past transactions whose findings could not be committed in any try', async () => {
    // The first commit of findings fails, and so do both tries again; later ones succeed.
    const { chain, watchers, saved, errors, counts } = await withFailingCommits({ failures: 3, retryDelaysMs: [1, 1] });
    chain.mine({ transactions: [chainTx({ hash: '0xlost', value: 1_000n * 10n ** 18n })] });
    await watchers.pollOnce();
    await expect.poll(() => errors.length).toBe(3);
    expect(errors.map((e) => e.retrying)).toEqual([true, true, false]);
    // The status says so: progress stays where it was, and why; /metrics too.
    expect(watchers.status()[0]).toMatchObject({ processed: 1, savedBlock: 0, lostBatches: 1 });
    const reader = { countOpenIncidentsBySeverity: () => Promise.resolve({ SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 0, SEV5: 0 }) } as unknown as StoreReader;
    const text = await new Metrics(reader, () => watchers.status()).registry.metrics();
    expect(text).toContain('vigil_watcher_saved_block{chain="ethereum"} 0');
    expect(text).toContain('vigil_watcher_lost_batches_total{chain="ethereum"} 1');
    chain.mine({ transactions: [chainTx({ hash: '0xkept', from: '0x00000000000000000000000000000000000000d0', value: 2_000n * 10n ** 18n })] });
    await watchers.pollOnce();
    await expect.poll(() => counts.commits).toBe(4);
    await watchers.stop();
    // Block 1's finding was lost: a restart must start at block 1 again.
    expect(saved).toEqual([0]);
  });

  it('tries a failed commit again: nothing is lost and progress is saved past it', async () => {
    // The first commit of findings fails; the try after it succeeds.
    const { chain, watchers, saved, errors, counts } = await withFailingCommits({ failures: 1, retryDelaysMs: [5] });
    chain.mine({ transactions: [chainTx({ hash: '0xlate', value: 1_000n * 10n ** 18n })] });
    await watchers.pollOnce();
    await expect.poll(() => saved).toEqual([0, 1]);
    expect(counts.commits).toBe(2);
    expect(errors).toEqual([{ error: new Error('database is locked'), retrying: true }]);
    expect(watchers.status()[0]).toMatchObject({ processed: 1, savedBlock: 1, lostBatches: 0 });
    await watchers.stop();
  });
});
