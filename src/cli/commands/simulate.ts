import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { Command, Option } from 'commander';
import { scenarios, simulateTransactions, toJsonLine, worldDetectConfig, type Scenario } from '../../detect/simulate/simulator.js';
import type { CliContext } from '../cli.js';
import { integer } from './arguments.js';


/** `vigil simulate transactions`: labelled traffic for tests, demos and `vigil bench detect`. */
export function simulateCommand(context: CliContext): Command {
  const simulate = new Command('simulate').description('generate labelled test data');
  simulate
    .command('transactions')
    .description('write realistic transactions with injected typologies as NDJSON, each with its ground-truth label')
    .addOption(new Option('--scenario <name>', 'which typologies to inject').choices(scenarios).default('mixed'))
    .addOption(new Option('--count <n>', 'how many transactions').argParser(integer('--count')).default(10_000))
    .addOption(new Option('--seed <n>', 'the same seed gives the same stream').argParser(integer('--seed')).default(1))
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--config-out <file>', "also write the world's detect config (prices, wallet classes, watched wallets, lists) for --detect-config")
    .action(async (opts: { scenario: Scenario; count: number; seed: number; out?: string; configOut?: string }) => {
      const out = opts.out === undefined ? undefined : createWriteStream(opts.out);
      const write = async (text: string) => {
        if (out === undefined) context.io.out(text);
        else if (!out.write(text)) await once(out, 'drain');
      };
      let buffer = '';
      for (const item of simulateTransactions({ scenario: opts.scenario, count: opts.count, seed: opts.seed })) {
        buffer += `${toJsonLine(item)}\n`;
        if (buffer.length > 1 << 16) {
          await write(buffer);
          buffer = '';
        }
      }
      await write(buffer);
      if (out !== undefined) {
        out.end();
        await once(out, 'finish');
      }
      if (opts.configOut !== undefined) {
        await writeFile(opts.configOut, `${JSON.stringify(worldDetectConfig(opts.seed, opts.count), null, 2)}\n`);
      }
    });
  return simulate;
}
