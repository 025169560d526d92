import { Command, Option } from 'commander';
import { startServer } from '../../server.js';
import type { CliContext } from '../cli.js';

/** `vigil serve`: the API, on SQLite by default; SIGTERM or SIGINT shut it down gracefully. */
export function serveCommand(context: CliContext): Command {
  return new Command('serve')
    .description('run the Vigil server')
    .addOption(new Option('--host <host>', 'address to listen on').env('VIGIL_HOST'))
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').env('VIGIL_PORT').argParser((t) => Number.parseInt(t, 10)))
    .addOption(new Option('--detect-config <file>', 'JSON configuring the transaction detectors (prices, wallets, lists, rules)').env('VIGIL_DETECT_CONFIG'))
    .addOption(new Option('--impact-config <file>', 'JSON with the impact matrix and service tiers').env('VIGIL_IMPACT_CONFIG'))
    .addOption(new Option('--watch-config <file>', 'JSON of the chains to watch (see `vigil watch --help`)').env('VIGIL_WATCH_CONFIG'))
    .option('--no-log', 'do not write request logs')
    .action(async (opts: { host?: string; port?: number; detectConfig?: string; impactConfig?: string; watchConfig?: string; log: boolean }) => {
      const base = context.config();
      const config = {
        ...base,
        ...(opts.host === undefined ? {} : { host: opts.host }),
        ...(opts.port === undefined ? {} : { port: opts.port }),
        ...(opts.detectConfig === undefined ? {} : { detectConfigPath: opts.detectConfig }),
        ...(opts.impactConfig === undefined ? {} : { impactConfigPath: opts.impactConfig }),
        ...(opts.watchConfig === undefined ? {} : { watchConfigPath: opts.watchConfig }),
      };
      const server = await startServer(config, { logger: opts.log });
      const where = config.databaseUrl === undefined ? `SQLite in ${config.dataDir}` : 'PostgreSQL';
      context.io.out(`Vigil is listening on ${server.url} (store: ${where}); the console is at ${server.url}/\n`);
      if (config.watchConfigPath !== undefined) context.io.out(`Watching the chains of ${config.watchConfigPath}\n`);
      if (server.firstAdminToken !== undefined) {
        // Printed once, on the console only: it is not logged and only its hash is stored.
        context.io.out(`\nNo API token existed, so an admin token was created. Keep it; it is not shown again:\n\n  ${server.firstAdminToken}\n\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          context.io.out(`${signal}: finishing requests in flight and closing\n`);
          server.close().then(resolve, (error: unknown) => {
            context.io.err(`vigil: shutdown failed: ${String(error)}\n`);
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
