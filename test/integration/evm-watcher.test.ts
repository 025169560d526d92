import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWalletClient, http, type Hex } from 'viem';
import { hardhat } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVigil, type Vigil } from '../../src/app.js';
import { defaultConfig } from '../../src/config.js';
import type { Alert } from '../../src/core/alert.js';
import { createDetectors } from '../../src/detect/detect-config.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { transferTopic } from '../../src/watch/evm-transactions.js';
import { watchConfigSchema, type WatchConfigInput } from '../../src/watch/watch-config.js';
import { hardhatAccounts, startHardhat, type HardhatNode } from '../support/hardhat.js';
import { spawn } from 'node:child_process';
import { runCli } from '../../src/cli/cli.js';
import { startVigilProcess } from '../support/server-process.js';
import { eventually } from '../support/wait.js';

/**
 * A real EVM node (hardhat) and real transactions sent with viem's wallet client: the watcher
 * must turn them into findings and incidents, and see a stall and a reorg the node really made.
 */

const [deployer, whale, receiver, tokenHolder, other] = hardhatAccounts;
/** 2^64 + 5 base units: far above 2^53, where a float would round. */
const tokenAmount = 2n ** 64n + 5n;

/**
 * A hand-assembled contract whose every call emits an ERC-20 `Transfer(caller, receiver,
 * tokenAmount)` log, so a real node produces a real token transfer without a compiler.
 */
function emitterInitCode(): Hex {
  const word = (n: bigint) => n.toString(16).padStart(64, '0');
  const runtime = `7f${word(tokenAmount)}600052` + `73${receiver.slice(2)}` + '33' + `7f${transferTopic.slice(2)}` + '60206000a300';
  const length = runtime.length / 2;
  // PUSH1 len, DUP1, PUSH1 11 (where the runtime starts), PUSH1 0, CODECOPY, PUSH1 0, RETURN
  return `0x60${length.toString(16).padStart(2, '0')}80600b6000396000f3${runtime}`;
}

let node: HardhatNode;
let vigil: Vigil;
let tokenAddress: string;
const dirs: string[] = [];

const wallet = () => createWalletClient({ chain: hardhat, transport: http(node.url) });
const detectConfig = { prices: { ETH: '3000', VGL: '1' } };

function chainConfig(name: string, overrides: Partial<WatchConfigInput['chains'][number]> = {}) {
  return watchConfigSchema.parse({
    chains: [
      {
        name,
        rpcUrl: node.url,
        service: `${name}-service`,
        pollIntervalMs: 150,
        tokens: [{ address: tokenAddress, symbol: 'VGL', decimals: 6 }],
        ...overrides,
      },
    ],
  });
}

async function alertsOf(service: string): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for (const incident of await vigil.store.read.listIncidents({ service, limit: 100 })) alerts.push(...(await vigil.store.read.listAlertsOfIncident(incident.id)));
  return alerts;
}

beforeAll(async () => {
  node = await startHardhat();
  const store = await openSqliteStore({ path: ':memory:' });
  vigil = await createVigil(defaultConfig, { store, detectors: createDetectors(detectConfig) });
  const client = wallet();
  const deployment = await client.sendTransaction({ account: deployer, data: emitterInitCode() });
  const receipt = await node.rpc<{ contractAddress: string }>('eth_getTransactionReceipt', [deployment]);
  tokenAddress = receipt.contractAddress;
});

afterAll(async () => {
  await vigil?.close();
  await node?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the EVM watcher against a hardhat node', () => {
  it('turns a large ETH transfer and a large token transfer into incidents of the chain service', async () => {
    const watchers = await vigil.watch(chainConfig('hardhat'));
    expect(watchers.status()[0]?.processed).toBe(Number.parseInt(await node.rpc<string>('eth_blockNumber'), 16));
    const client = wallet();
    const ethTx = await client.sendTransaction({ account: whale, to: other, value: 100n * 10n ** 18n });
    const tokenTx = await client.sendTransaction({ account: tokenHolder, to: tokenAddress as Hex, data: '0x' });

    const alerts = await eventually('both findings as alerts', async () => {
      const found = (await alertsOf('hardhat-service')).filter((a) => a.labels.detector === 'large-transfer');
      return found.length >= 2 ? found : undefined;
    });
    const byAsset = new Map(alerts.map((a) => [(a.raw as { metadata: { asset: string } }).metadata.asset, a]));
    const eth = byAsset.get('ETH')!;
    expect(eth).toMatchObject({ source: 'detector', service: 'hardhat-service', labels: { entity: whale } });
    expect((eth.raw as { txHashes: string[] }).txHashes).toEqual([ethTx]);
    expect((eth.raw as { metadata: Record<string, string> }).metadata).toMatchObject({ amount: '100', usdValue: '300000.00' });

    const token = byAsset.get('VGL')!;
    expect(token).toMatchObject({ labels: { entity: tokenHolder } });
    expect((token.raw as { txHashes: string[] }).txHashes).toEqual([tokenTx]);
    // 2^64 + 5 base units with 6 decimals, to the last digit.
    expect((token.raw as { metadata: Record<string, string> }).metadata.amount).toBe('18446744073709.551621');
    expect((token.raw as { addresses: string[] }).addresses).toEqual([tokenHolder, receiver]);
    await watchers.stop();
    expect(watchers.status()[0]).toMatchObject({ chain: 'hardhat', lastError: undefined });
  });

  it('raises a stall alert when the node mines no block, and resolves it when a block comes', async () => {
    const watchers = await vigil.watch(chainConfig('stalling', { thresholds: { stallSeconds: 1 } }));
    await node.rpc('evm_setAutomine', [false]);
    try {
      const stall = await eventually('a firing stall alert', async () =>
        (await alertsOf('stalling-service')).find((a) => a.dedupKey === 'watcher:stalling:stall' && a.status === 'firing'),
      );
      expect(stall).toMatchObject({ source: 'watcher', severity: 'error', labels: { chain: 'stalling', signal: 'stall' } });
      expect(stall.summary).toMatch(/^stalling: no new block for \d+ s \(head stuck at \d+\)$/);
      await node.rpc('evm_mine');
      await eventually('the stall alert resolved', async () => ((await vigil.store.read.getAlert(stall.id))?.status === 'resolved' ? true : undefined));
    } finally {
      await node.rpc('evm_setAutomine', [true]);
      await watchers.stop();
    }
  });

  it('reports a reorg made with evm_snapshot and evm_revert with its depth, and processes the new branch', async () => {
    const watchers = await vigil.watch(chainConfig('reorging', { thresholds: { reorgDepth: 2, stallSeconds: 3600 } }), { autoStart: false });
    await watchers.pollOnce();
    const snapshot = await node.rpc<string>('evm_snapshot');
    const client = wallet();
    // The old branch: two blocks, the second with a transfer.
    await node.rpc('evm_mine');
    await client.sendTransaction({ account: whale, to: other, value: 1n });
    await watchers.pollOnce();
    const before = watchers.status()[0]!;
    const oldTip = before.processed!;
    const oldHash = (await node.rpc<{ hash: string }>('eth_getBlockByNumber', [`0x${(oldTip - 1).toString(16)}`, false])).hash;

    // The new branch from the same parent: three different blocks.
    expect(await node.rpc('evm_revert', [snapshot])).toBe(true);
    const replacement = await client.sendTransaction({ account: receiver, to: other, value: 100n * 10n ** 18n });
    await node.rpc('evm_mine');
    await node.rpc('evm_mine');
    await watchers.pollOnce();
    await watchers.drained();

    const reorg = await eventually('the reorg alert', async () => (await alertsOf('reorging-service')).find((a) => a.dedupKey === 'watcher:reorging:reorg'));
    const newHash = (await node.rpc<{ hash: string }>('eth_getBlockByNumber', [`0x${(oldTip - 1).toString(16)}`, false])).hash;
    expect(reorg).toMatchObject({
      source: 'watcher',
      severity: 'critical',
      annotations: { depth: '2', height: String(oldTip - 1), ancestor: String(oldTip - 2), oldHash, newHash },
    });
    expect(newHash).not.toBe(oldHash);
    expect(watchers.status()[0]).toMatchObject({ reorgs: 1, deepestReorg: 2, processed: oldTip + 1 });
    // The new branch's large transfer went through the detectors.
    const found = await eventually('the new branch finding', async () =>
      (await alertsOf('reorging-service')).find((a) => (a.raw as { txHashes?: string[] }).txHashes?.includes(replacement) === true),
    );
    expect(found.labels.detector).toBe('large-transfer');
    await watchers.stop();
  });

  it('vigil serve --watch-config watches inside the server and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-watch-serve-'));
    dirs.push(dir);
    const watchPath = join(dir, 'watch.json');
    writeFileSync(watchPath, JSON.stringify({ chains: [{ name: 'served', rpcUrl: node.url, service: 'served-service', pollIntervalMs: 150 }] }));
    const detectPath = join(dir, 'detect.json');
    writeFileSync(detectPath, JSON.stringify(detectConfig));
    const server = await startVigilProcess({ env: { VIGIL_DATA_DIR: dir } }, { VIGIL_WATCH_CONFIG: watchPath, VIGIL_DETECT_CONFIG: detectPath });
    try {
      expect(server.output()).toContain(`Watching the chains of ${watchPath}`);
      // Watching starts before the server says it listens: this block is after the anchor.
      const tx = await wallet().sendTransaction({ account: whale, to: other, value: 200n * 10n ** 18n });
      const incidents = await eventually('the incident over the API', async () => {
        const response = await fetch(`${server.url}/api/v1/incidents?service=served-service`, { headers: { authorization: `Bearer ${server.adminToken}` } });
        const body = (await response.json()) as { incidents: { id: string; service: string; title: string }[] };
        return body.incidents.length > 0 ? body.incidents : undefined;
      });
      expect(incidents[0]).toMatchObject({ service: 'served-service' });
      const response = await fetch(`${server.url}/api/v1/incidents/${incidents[0]!.id}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
      expect(JSON.stringify(await response.json())).toContain(tx);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/vigil_watcher_processed_block\{chain="served"\} \d+/);
      expect(metrics).toContain('vigil_watcher_node_up{chain="served"} 1');
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  it('vigil watch --once prints the status of each chain; vigil watch runs until SIGTERM and stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-watch-cli-'));
    dirs.push(dir);
    const watchPath = join(dir, 'watch.json');
    writeFileSync(watchPath, JSON.stringify({ chains: [{ name: 'standalone', rpcUrl: node.url, service: 'standalone-service', pollIntervalMs: 150 }] }));
    let out = '';
    const code = await runCli(['--data-dir', dir, 'watch', '--config', watchPath, '--once', '--json'], { out: (s) => (out += s), err: () => undefined });
    expect(code).toBe(0);
    const head = Number.parseInt(await node.rpc<string>('eth_blockNumber'), 16);
    expect(JSON.parse(out)).toMatchObject([{ chain: 'standalone', head, processed: head, stall: 'resolved', headLag: 'resolved' }]);

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'watch', '--config', watchPath], {
      env: { ...process.env, VIGIL_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    try {
      // Printed after the first poll anchored the watcher at the head.
      await eventually('the watcher to start', () => (output.includes('watching standalone at') ? true : undefined));
      await wallet().sendTransaction({ account: whale, to: other, value: 1n });
      // Several poll intervals (150 ms) for the watcher to take the block.
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: stopping the watchers');
    expect(output).toMatch(/standalone: head \d+, processed \d+; 1 blocks, 1 transactions, 0 reorgs/);
  });
});
