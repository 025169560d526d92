import { parseArgs } from 'node:util';

export type TargetName = 'alertmanager' | 'http-floor' | 'vigil-sqlite' | 'vigil-postgres';
export const targetNames: readonly TargetName[] = ['alertmanager', 'http-floor', 'vigil-sqlite', 'vigil-postgres'];

export interface BenchOptions {
  /** Alerts per closed-loop run. */
  readonly alerts: number;
  /** Senders in a closed-loop run. */
  readonly concurrency: number;
  /** Alerts sent before each measured run, not measured: JIT, caches, connections. */
  readonly warmup: number;
  /** The fixed-rate runs' offered load, alerts per second, and how long they last. */
  readonly rate: number;
  readonly rateSeconds: number;
  readonly maxInFlight: number;
  /** Everything, cleanup included, ends within this. */
  readonly timeoutSeconds: number;
  readonly pgUrl: string;
  readonly alertmanagerBinary: string;
  readonly targets: readonly TargetName[];
}

export const usage = `usage: npm run bench:ingest -- [options]

Ingest throughput and latency of Vigil (SQLite and PostgreSQL stores) beside Prometheus
Alertmanager, all on 127.0.0.1, one alert per request, every alert distinct.

  --alerts N          alerts per closed-loop run (default 20000)
  --concurrency N     senders in a closed-loop run (default 32)
  --warmup N          unmeasured alerts before each run (default 1000; 0 for none)
  --rate N            fixed-rate runs: alerts per second (default 1000)
  --rate-seconds N    fixed-rate runs: duration (default 10)
  --max-in-flight N   fixed-rate runs: most requests outstanding (default 256)
  --timeout N         seconds before everything is stopped and cleaned up (default 600)
  --pg-url URL        PostgreSQL on 127.0.0.1 (default postgres://postgres@127.0.0.1:5432/test)
  --alertmanager PATH the Alertmanager binary (default /usr/bin/prometheus-alertmanager)
  --only LIST         comma-separated subset of ${targetNames.join(',')} (default all)
`;

/** Parses the flags; throws a one-line reason for a bad one. Returns undefined for --help. */
export function parseOptions(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      alerts: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      rate: { type: 'string' },
      'rate-seconds': { type: 'string' },
      'max-in-flight': { type: 'string' },
      timeout: { type: 'string' },
      'pg-url': { type: 'string' },
      alertmanager: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return undefined;
  const only = values.only?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of only ?? []) if (!targetNames.includes(name as TargetName)) throw new Error(`--only: unknown target ${name}; one of ${targetNames.join(', ')}`);
  return {
    alerts: int(values.alerts, { name: '--alerts', fallback: 20_000, min: 1, max: 1_000_000 }),
    concurrency: int(values.concurrency, { name: '--concurrency', fallback: 32, min: 1, max: 1024 }),
    warmup: int(values.warmup, { name: '--warmup', fallback: 1000, min: 0, max: 100_000 }),
    rate: int(values.rate, { name: '--rate', fallback: 1000, min: 1, max: 100_000 }),
    rateSeconds: int(values['rate-seconds'], { name: '--rate-seconds', fallback: 10, min: 1, max: 300 }),
    maxInFlight: int(values['max-in-flight'], { name: '--max-in-flight', fallback: 256, min: 1, max: 4096 }),
    timeoutSeconds: int(values.timeout, { name: '--timeout', fallback: 600, min: 30, max: 3600 }),
    pgUrl: values['pg-url'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    alertmanagerBinary: values.alertmanager ?? '/usr/bin/prometheus-alertmanager',
    targets: only === undefined || only.length === 0 ? targetNames : targetNames.filter((t) => only.includes(t)),
  };
}

/** The flags that reproduce `options`, defaults included, for the report. */
export function optionsAsFlags(options: BenchOptions): string {
  return [
    `--alerts ${options.alerts}`,
    `--concurrency ${options.concurrency}`,
    `--warmup ${options.warmup}`,
    `--rate ${options.rate}`,
    `--rate-seconds ${options.rateSeconds}`,
    `--max-in-flight ${options.maxInFlight}`,
    ...(options.targets.length === targetNames.length ? [] : [`--only ${options.targets.join(',')}`]),
  ].join(' ');
}

function int(text: string | undefined, spec: { name: string; fallback: number; min: number; max: number }): number {
  if (text === undefined) return spec.fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) throw new Error(`${spec.name} must be an integer from ${spec.min} to ${spec.max}, not ${text}`);
  return n;
}
