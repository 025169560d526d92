import { Command, Option } from 'commander';
import { createVigil, loadDetectConfig, loadWatchConfig } from '../../app.js';
import type { WatchedChainStatus } from '../../watch/chain-watchers.js';
import { nodeLabel } from '../../watch/evm/viem-chain-client.js';
import type { CliContext } from '../cli.js';
import { print } from './with-vigil.js';

/**
 * `vigil watch --config FILE`: the chain watchers on their own, against the configured store
 * (SQLite or PostgreSQL), beside or instead of the ones `vigil serve --watch-config` runs. Their
 * findings and node health alerts open incidents like the server's; the background workers
 * (escalations, the outbox) run here too, claiming their work through the store as every
 * instance does. SIGTERM or SIGINT stops polling, commits what is in flight and exits.
 */
export function watchCommand(context: CliContext): Command {
  return new Command('watch')
    .description('watch EVM chains: transactions through the detectors, node stalls, head lag and reorgs as alerts')
    .addOption(new Option('--config <file>', 'JSON of the chains to watch (name, rpcUrl, service, asset, thresholds, tokens)').env('VIGIL_WATCH_CONFIG').makeOptionMandatory())
    .addOption(new Option('--detect-config <file>', 'JSON configuring the transaction detectors (prices, wallets, lists, rules)').env('VIGIL_DETECT_CONFIG'))
    .option('--once', 'poll every chain once, print its status and exit (a health check)')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { config: string; detectConfig?: string; once?: boolean; json?: boolean }) => {
      // Both configs are read before the store is opened: a bad file fails at once, naming the field.
      const watchConfig = await loadWatchConfig(opts.config);
      const config = context.config();
      const detectConfig = await loadDetectConfig(opts.detectConfig ?? config.detectConfigPath);
      const vigil = await createVigil(config, { detectConfig });
      const failures: string[] = [];
      try {
        const watchers = await vigil.watch(watchConfig, {
          autoStart: opts.once !== true,
          onError: (chain, error, retrying) => {
            const line = `${chain}: ${error instanceof Error ? error.message : String(error)}`;
            // A commit tried again is not a failure yet: only what is given up fails `--once`.
            if (retrying !== true) failures.push(line);
            if (opts.once !== true) context.io.err(`vigil watch: ${line}${retrying === true ? ' (trying again)' : ''}\n`);
          },
        });
        if (opts.once === true) {
          await watchers.pollOnce();
          await watchers.stop();
          print(context, { json: opts.json, value: watchers.status(), human: () => watchers.status().map(statusLine).join('\n') });
          if (failures.length > 0) {
            context.io.err(`vigil: CHAIN_UNAVAILABLE: ${failures[0]}\n`);
            context.exitWith(1);
          }
          return;
        }
        // Escalations and the outbox claim their work through the store, so they run here too:
        // `vigil watch` alone still pages, and beside `vigil serve` nothing fires twice.
        await vigil.refreshInhibitionIndex();
        vigil.workers.start();
        if (opts.json !== true) {
          for (const chain of watchConfig.chains) {
            context.io.out(`watching ${chain.name} at ${nodeLabel(chain.rpcUrl)} for service ${chain.service} (every ${chain.pollIntervalMs} ms)\n`);
          }
        }
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            if (opts.json !== true) context.io.out(`${signal}: stopping the watchers\n`);
            resolve();
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
        await watchers.stop();
        print(context, { json: opts.json, value: watchers.status(), human: () => watchers.status().map(statusLine).join('\n') });
      } finally {
        await vigil.close();
      }
    });
}

function statusLine(s: WatchedChainStatus): string {
  const at = (n: number | undefined) => (n === undefined ? '-' : String(n));
  return [
    `${s.chain}: head ${at(s.head)}, processed ${at(s.processed)}`,
    `${s.blocks} blocks, ${s.transactions} transactions, ${s.reorgs} reorgs (deepest ${s.deepestReorg})`,
    `stall ${s.stall}, head lag ${s.headLag}${s.lastError === undefined ? '' : `, last error: ${s.lastError}`}`,
    `progress saved at ${at(s.savedBlock)}${s.lostBatches === 0 ? '' : `, ${s.lostBatches} batches of findings lost: progress not saved until restart`}`,
  ].join('; ');
}
