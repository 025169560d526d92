import { createReadStream } from 'node:fs';
import { Command, Option } from 'commander';
import { loadDetectors } from '../../app.js';
import type { Finding } from '../../core/finding.js';
import { DetectionEngine } from '../../detect/detection-engine.js';
import { evaluate, typologyOfFinding } from '../../detect/simulate/evaluate.js';
import { scenarios, simulateTransactions, worldDetectConfig, type Scenario } from '../../detect/simulate/simulator.js';
import { createDetectors } from '../../detect/detect-config.js';
import { ndjsonLines } from '../../ingest/ndjson-lines.js';
import { parseTransactionLine } from '../../ingest/transactions.js';
import { VigilError } from '../../core/errors.js';
import type { CliContext } from '../cli.js';
import { integer } from './arguments.js';

function row(f: Finding): string {
  return `${new Date(f.at).toISOString()}  ${f.severity.padEnd(8)} ${f.detector.padEnd(18)} ${f.entity.padEnd(44)} ${f.name}`;
}

/** `vigil detect replay FILE`: the detectors over a file, offline, with no server and no store. */
export function detectCommand(context: CliContext): Command {
  const detect = new Command('detect').description('run the transaction detectors');
  detect
    .command('replay')
    .description('replay an NDJSON file of transactions through the detectors and print the findings')
    .argument('<file>', 'NDJSON, one transaction per line (the format of POST /api/v1/transactions)')
    .addOption(new Option('--detect-config <file>', 'JSON configuring the detectors (prices, wallets, lists, rules)').env('VIGIL_DETECT_CONFIG'))
    .addOption(new Option('--format <format>', 'how to print findings').choices(['ndjson', 'table']).default('ndjson'))
    .option('--no-progress', 'no progress line on stderr')
    .action(async (file: string, opts: { detectConfig?: string; format: 'ndjson' | 'table'; progress: boolean }) => {
      const engine = new DetectionEngine({ detectors: await loadDetectors(opts.detectConfig) });
      const stream = createReadStream(file);
      const opened = new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (cause) => reject(new VigilError('NOT_FOUND', `cannot read ${file}: ${cause.message}`, { cause })));
      });
      await opened;
      // A progress line only where a person watches: a terminal on stderr.
      const showProgress = opts.progress && process.stderr.isTTY;
      const started = performance.now();
      let lines = 0;
      let findings = 0;
      let rejected = 0;
      let out = '';
      for await (const line of ndjsonLines(stream, { maxLineBytes: 1024 * 1024 })) {
        lines += 1;
        const parsed = line.kind === 'line' ? parseTransactionLine(line.text) : { ok: false as const, message: `line of ${line.bytes} bytes is too long` };
        if (!parsed.ok) {
          rejected += 1;
          if (rejected <= 10) context.io.err(`line ${line.number}: ${parsed.message}\n`);
          continue;
        }
        for (const finding of engine.observe(parsed.transaction)) {
          findings += 1;
          out += opts.format === 'table' ? `${row(finding)}\n` : `${JSON.stringify(finding)}\n`;
        }
        if (out.length > 1 << 16) {
          context.io.out(out);
          out = '';
        }
        if (showProgress && lines % 50_000 === 0) {
          const rate = Math.round(lines / ((performance.now() - started) / 1000));
          process.stderr.write(`\r${lines.toLocaleString('en-US')} transactions, ${findings.toLocaleString('en-US')} findings, ${rate.toLocaleString('en-US')}/s   `);
        }
      }
      context.io.out(out);
      if (showProgress) process.stderr.write('\n');
      const seconds = (performance.now() - started) / 1000;
      context.io.err(`${lines - rejected} transactions, ${rejected} rejected lines, ${findings} findings in ${seconds.toFixed(1)} s\n`);
    });
  return detect;
}


/** `vigil bench detect`: precision and recall per typology on generated, labelled traffic. */
export function benchDetectCommand(context: CliContext): Command {
  return new Command('detect')
    .description('precision and recall of each typology detector on generated traffic with injected typologies')
    .addOption(new Option('--count <n>', 'transactions to generate').argParser(integer('--count', 1)).default(200_000))
    .addOption(new Option('--seed <n>', 'generator seed').argParser(integer('--seed', 1)).default(1))
    .addOption(new Option('--scenario <name>', 'what to inject').choices(scenarios).default('mixed'))
    .option('--json', 'print JSON')
    .action((opts: { count: number; seed: number; scenario: Scenario; json?: boolean }) => {
      const engine = new DetectionEngine({ detectors: createDetectors(worldDetectConfig(opts.seed, opts.count)) });
      const started = performance.now();
      const result = evaluate({ stream: simulateTransactions({ scenario: opts.scenario, count: opts.count, seed: opts.seed }), engine, typologyOf: typologyOfFinding });
      const seconds = (performance.now() - started) / 1000;
      if (opts.json === true) {
        context.io.out(`${JSON.stringify({ ...result, seconds }, null, 2)}\n`);
        return;
      }
      const pct = (x: number | null) => (x === null ? '   -  ' : `${(100 * x).toFixed(1).padStart(5)}%`);
      const lines = [
        `${result.transactions.toLocaleString('en-US')} transactions (scenario ${opts.scenario}, seed ${opts.seed}), ${result.findings.toLocaleString('en-US')} findings, ${seconds.toFixed(1)} s`,
        '',
        '| typology | injected | found | recall | right | overlap | false alarms | precision |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...result.scores.map(
          (s) => `| ${s.typology} | ${s.instances} | ${s.found} | ${pct(s.recall)} | ${s.truePositives} | ${s.overlaps} | ${s.falsePositives} | ${pct(s.precision)} |`,
        ),
        '',
        'right: the finding points at a transaction injected as its typology; overlap: at one injected as another',
        'typology of the same shape (a dusting run is a fan-out too); false alarm: at background traffic only.',
        'precision = right / (right + false alarms).',
      ];
      context.io.out(`${lines.join('\n')}\n`);
    });
}
