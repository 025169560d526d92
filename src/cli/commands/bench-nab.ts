import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { formatNabResultsCsv, loadNabCorpus, loadNabProfiles, loadNabScoreboard, type NabFileSource } from '../../detect/metrics/nab-corpus.js';
import { formatNabReport, runNabBenchmark, type NabBenchReport } from '../../detect/metrics/nab-benchmark.js';

export interface BenchNabOptions {
  /** Root of a NAB copy: data/, labels/, config/, results/final_results.json. */
  readonly nabDir: string;
  /** Where results go, as `<category>/<detector>_<file>.csv`. */
  readonly outDir: string;
  /** A name from `NAB_DETECTORS`; `vigil` by default. */
  readonly detector?: string;
  readonly now?: () => number;
}

/** Reads corpus files from a directory: the file-system side of `NabFileSource`. */
export function directoryNabSource(dir: string): NabFileSource {
  return { readText: (relativePath) => readFile(join(dir, relativePath), 'utf8') };
}

/**
 * `vigil bench nab` without a process: reads the corpus, runs the detector over every file, writes
 * the results in NAB's format and returns the scored report. Throws with a one-line reason when
 * the corpus is missing or malformed.
 */
export async function benchNab(options: BenchNabOptions): Promise<NabBenchReport> {
  const isDirectory = await stat(options.nabDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new Error(`NAB directory not found: ${options.nabDir}`);
  const source = directoryNabSource(options.nabDir);
  const [corpus, profiles, scoreboard] = await Promise.all([loadNabCorpus(source), loadNabProfiles(source), loadNabScoreboard(source)]);
  const detector = options.detector ?? 'vigil';
  const { report, scores } = runNabBenchmark({ corpus, profiles, scoreboard, detector, ...(options.now === undefined ? {} : { now: options.now }) });
  for (const category of new Set(corpus.map((f) => f.category))) await mkdir(join(options.outDir, category), { recursive: true });
  await Promise.all(
    corpus.map((file, i) =>
      writeFile(join(options.outDir, file.category, `${detector}_${file.fileName}`), formatNabResultsCsv(file, scores[i] ?? new Float64Array(0))),
    ),
  );
  return report;
}

/**
 * `vigil bench nab --nab-dir DIR --out OUT [--detector NAME] [--json]`, under a `bench` command.
 * Output goes through commander's configured writer, so `runCli` can capture it in-process.
 */
export function benchNabCommand(): Command {
  const bench = new Command('bench').description('benchmarks that print our figure beside the published reference');
  bench
    .command('nab')
    .description('run a metric anomaly detector over the Numenta Anomaly Benchmark corpus and score it as NAB does')
    .requiredOption('--nab-dir <dir>', 'a copy of the NAB corpus (data/, labels/, config/, results/)')
    .requiredOption('--out <dir>', 'where to write results as <category>/<detector>_<file>.csv')
    .option('--detector <name>', 'detector to run', 'vigil')
    .option('--json', 'print the report as JSON')
    .action(async function (this: Command, opts: { nabDir: string; out: string; detector: string; json?: boolean }) {
      const report = await benchNab({ nabDir: opts.nabDir, outDir: opts.out, detector: opts.detector });
      const text = opts.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatNabReport(report);
      const output = this.configureOutput();
      if (output.writeOut === undefined) process.stdout.write(text);
      else output.writeOut(text);
    });
  return bench;
}
