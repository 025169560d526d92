// npm run bench:detect [-- --count N --seed S --fresh F --per-detector --alloc]
// Replays N generated transactions (default 1,050,000: enough for a million distinct addresses, nearly every one between never-seen
// addresses) through every detector, one core, and prints the rate, per-transaction latency and
// peak RSS beside the parse-only rate of the same file (reading + JSON.parse), the reference.
// Two floor passes say what the target leaves the detectors: parsing and validating alone, and
// that plus one Map entry per address (see pass.ts).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { worldDetectConfig } from '../../src/detect/simulate/simulator.js';
import { detectionYoungGenerationMb } from '../../src/detect/thread/detection-thread.js';
import { numberFlag } from './flags.js';

const run = promisify(execFile);
const count = numberFlag('count', 1_050_000);
const seed = numberFlag('seed', 1);
const fresh = numberFlag('fresh', 1);
/** A third pass that times each detector on its own (see pass.ts), printed after the figures. */
const perDetector = process.argv.includes('--per-detector');
/** A pass that samples what the engine allocates, by site (see pass.ts), printed last. */
const allocation = process.argv.includes('--alloc');

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-detect-'));
const file = join(dir, 'transactions.ndjson');
const config = join(dir, 'detect-config.json');
const child = async (script: string, scriptArgs: string[], nodeArgs: string[] = []) => {
  const { stdout } = await run(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...scriptArgs], { maxBuffer: 1 << 26, timeout: 30 * 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number> & {
    detectors: Array<{ name: string; findings: number }>;
    perDetectorUs?: Array<{ name: string; us: number }>;
    allocated?: { bytesPerTx: number; sites: Array<{ site: string; bytesPerTx: number }> };
  };
};

try {
  writeFileSync(config, JSON.stringify(worldDetectConfig(seed, count)));
  console.log(`generating ${count.toLocaleString('en-US')} transactions (seed ${seed}, fresh-address share ${fresh}) ...`);
  const generated = await child('bench/detect/generate.ts', [file, String(count), String(seed), String(fresh)]);
  // The engine (and its floors) as the detection thread runs it: V8 sizes a young generation at three semi-spaces.
  const youngGeneration = [`--max-semi-space-size=${detectionYoungGenerationMb / 3}`];
  console.log('parse-only pass ...');
  const parse = await child('bench/detect/pass.ts', ['parse', file]);
  console.log('floor passes (validate only; validate and remember each address) ...');
  const validate = await child('bench/detect/pass.ts', ['validate', file], youngGeneration);
  const remember = await child('bench/detect/pass.ts', ['remember', file], youngGeneration);
  console.log('engine pass ...');
  const engine = await child('bench/detect/pass.ts', ['engine', file, config], youngGeneration);
  const timed = perDetector ? await child('bench/detect/pass.ts', ['engine', file, config, '--per-detector'], youngGeneration) : undefined;
  const sampled = allocation ? await child('bench/detect/pass.ts', ['engine', file, config, '--alloc'], youngGeneration) : undefined;

  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const ratio = engine.perSecond! / parse.perSecond!;
  const report = [
    '',
    `transactions: ${fmt(generated.transactions!)} (${fmt(generated.bytes! / 1e6, 1)} MB of NDJSON), distinct addresses: ${fmt(generated.distinctAddresses!)}`,
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; each pass on one core`,
    '',
    '| pass | transactions/s | p50 µs | p99 µs | p99.9 µs | peak RSS MB | findings |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| parse only (read + JSON.parse), the reference | ${fmt(parse.perSecond!)} | | | | ${fmt(parse.peakRssMb!)} | |`,
    `| floor: parse + validate, no detector | ${fmt(validate.perSecond!)} | ${fmt(validate.p50Us!, 1)} | ${fmt(validate.p99Us!, 1)} | ${fmt(validate.p999Us!, 1)} | ${fmt(validate.peakRssMb!)} | |`,
    `| floor: parse + validate + one Map entry per address (no eviction) | ${fmt(remember.perSecond!)} | ${fmt(remember.p50Us!, 1)} | ${fmt(remember.p99Us!, 1)} | ${fmt(remember.p999Us!, 1)} | ${fmt(remember.peakRssMb!)} | |`,
    `| full engine (parse + validate + ${engine.detectors.length} detectors) | ${fmt(engine.perSecond!)} | ${fmt(engine.p50Us!, 1)} | ${fmt(engine.p99Us!, 1)} | ${fmt(engine.p999Us!, 1)} | ${fmt(engine.peakRssMb!)} | ${fmt(engine.findings!)} |`,
    '',
    `full engine / parse only: ${(ratio * 100).toFixed(1)}% (target: at least 25%)`,
    budget({ parse: parse.perSecond!, validate: validate.perSecond!, remember: remember.perSecond!, engine: engine.perSecond! }),
    `findings per detector: ${engine.detectors.map((d) => `${d.name} ${fmt(d.findings)}`).join(', ')}`,
  ];
  if (timed?.perDetectorUs !== undefined) {
    const inDetectors = timed.perDetectorUs.reduce((sum, d) => sum + d.us, 0);
    report.push(
      `µs a transaction, each detector timed on its own in a third pass (${fmt(timed.perSecond!)} transactions/s with the timing): ` +
        `${timed.perDetectorUs.map((d) => `${d.name} ${fmt(d.us, 2)}`).join(', ')}; ` +
        `the rest (reading, parsing, validating, the engine) ${fmt(1e6 / timed.perSecond! - inDetectors, 2)}`,
    );
  }
  if (sampled?.allocated !== undefined) {
    const { bytesPerTx, sites } = sampled.allocated;
    report.push(
      `bytes allocated a transaction, sampled in a pass of its own (parsing included, freed objects too): ${fmt(bytesPerTx)}; largest sites: ` +
        sites.map((s) => `${s.site} ${fmt(s.bytesPerTx)}`).join(', '),
    );
  }
  console.log(report.join('\n'));
  mkdirSync('.bench', { recursive: true });
  writeFileSync(join('.bench', `detect-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ count, seed, fresh, generated, parse, validate, remember, engine, timed, sampled }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The target as time a transaction, and how much of it the floors leave to the detectors: at 25%
 * of the parse-only rate the engine has four times the parse's time for everything, its own
 * parse and validation included.
 */
function budget(rates: { parse: number; validate: number; remember: number; engine: number }): string {
  const us = (perSecond: number) => 1e6 / perSecond;
  const target = 4 * us(rates.parse);
  const leftAfter = (floor: number) => `${(target - us(floor)).toFixed(1)} µs (${Math.round((100 * (target - us(floor))) / target)}%)`;
  return (
    `µs a transaction: the target allows ${target.toFixed(1)}, the engine takes ${us(rates.engine).toFixed(1)}; ` +
    `left for the detectors after parsing and validating: ${leftAfter(rates.validate)}, after also remembering each address once: ${leftAfter(rates.remember)}`
  );
}
