// npm run bench:alongside [-- --count N --rate R --seed S]
// Alert latency while transactions go through the detectors. One `vigil serve` on SQLite per run,
// each fed the same generated NDJSON stream (default 300,000 transactions between never-seen
// addresses) on POST /api/v1/transactions while a second client sends Alertmanager webhooks at a
// fixed rate (default 200 alerts/s, open loop). Runs: alerts alone (the reference), alerts with
// the detectors on the main thread (VIGIL_DETECTION_THREAD=false), alerts with the detectors in
// their own thread (the default).
import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { worldDetectConfig } from '../../src/detect/simulate/simulator.js';
import { numberFlag } from './flags.js';
import { Cleanup } from '../ingest/cleanup.js';
import { latencySummary, percentile } from '../ingest/latency-stats.js';
import { requestFor } from '../ingest/payloads.js';
import { markdownTable, ms } from '../ingest/report.js';
import { createIntegrationKey, startVigil, vigilEnv, type RunningServer } from '../ingest/servers.js';

const run = promisify(execFile);
const count = numberFlag('count', 300_000);
const rate = numberFlag('rate', 200);
const seed = numberFlag('seed', 1);
/** The reference run sends alerts for this long; the other two for as long as their upload takes. */
const aloneMs = 15_000;
const maxInFlight = 256;
const warmUpMs = 3_000;

const repoRoot = resolve(import.meta.dirname, '../..');
const cleanup = new Cleanup();
const abort = new AbortController();
process.once('exit', () => cleanup.runSync());

interface Measured {
  readonly name: string;
  readonly alerts: number;
  readonly errors: number;
  readonly latencies: Float64Array;
  readonly upload: { readonly seconds: number; readonly transactions: number; readonly findings: number } | undefined;
  readonly serverCpu: number;
  readonly wallSeconds: number;
}

/**
 * Sends one alert every 1/rate s until `until` settles; each latency counts from when the alert
 * was due, not when it was sent, so a stalled server cannot hide the alerts queued behind it.
 */
async function sendAlerts(options: { origin: string; key: string; until: Promise<unknown>; dispatcher: Agent; first?: number }): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let done = false;
  void options.until.finally(() => (done = true));
  const now = new Date().toISOString();
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  const first = options.first ?? 0;
  for (let n = first; !done; n += 1) {
    const due = started + ((n - first) * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const r = requestFor('vigil-alertmanager-webhook', { n, key: options.key, now });
    const sent = (async () => {
      try {
        const response = await request(`${options.origin}${r.path}`, { method: 'POST', headers: r.headers, body: r.body, dispatcher: options.dispatcher });
        await response.body.dump();
        if (response.statusCode !== r.expectedStatus) errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - due);
    })();
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
  }
  await Promise.all(inFlight);
  return { latencies, errors };
}

async function upload(origin: string, key: string, file: string, dispatcher: Agent): Promise<{ seconds: number; transactions: number; findings: number }> {
  const t0 = performance.now();
  const response = await request(`${origin}/api/v1/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
    body: createReadStream(file, { highWaterMark: 1 << 16 }),
    dispatcher,
    headersTimeout: 30 * 60_000,
    bodyTimeout: 30 * 60_000,
  });
  const summary = (await response.body.json()) as { transactions?: number; findings?: number };
  if (response.statusCode !== 200) throw new Error(`the upload got ${response.statusCode}: ${JSON.stringify(summary).slice(0, 300)}`);
  return { seconds: (performance.now() - t0) / 1000, transactions: summary.transactions ?? 0, findings: summary.findings ?? 0 };
}

async function measure(options: { name: string; thread: boolean | undefined; file: string; config: string }): Promise<Measured> {
  const dir = cleanup.dir(mkdtempSync(join(tmpdir(), 'vigil-bench-alongside-')));
  const env = vigilEnv({ VIGIL_DATA_DIR: dir, VIGIL_DETECT_CONFIG: options.config, VIGIL_DETECTION_THREAD: String(options.thread ?? true) });
  const alertKey = await createIntegrationKey({ repoRoot, env, kind: 'alertmanager' });
  const txKey = await createIntegrationKey({ repoRoot, env, kind: 'transactions' });
  const server: RunningServer = await startVigil({ name: options.name, repoRoot, env, cleanup, signal: abort.signal });
  const alertAgent = new Agent({ connections: maxInFlight });
  const uploadAgent = new Agent({ connections: 1 });
  try {
    // Warm-up: the server's first alerts (compiling, the first incident) are not what is measured.
    await sendAlerts({ origin: server.origin, key: alertKey, until: sleep(warmUpMs), dispatcher: alertAgent, first: 1_000_000 });
    const cpu0 = server.cpuSeconds();
    const t0 = performance.now();
    const uploading = options.thread === undefined ? undefined : upload(server.origin, txKey, options.file, uploadAgent);
    const until = uploading ?? sleep(aloneMs);
    const alerts = await sendAlerts({ origin: server.origin, key: alertKey, until, dispatcher: alertAgent });
    const uploaded = await uploading;
    const wallSeconds = (performance.now() - t0) / 1000;
    const exit = server.unexpectedExit();
    if (exit !== undefined) throw new Error(`${options.name} ${exit}\n${server.output.text()}`);
    return {
      name: options.name,
      alerts: alerts.latencies.length,
      errors: alerts.errors,
      latencies: Float64Array.from(alerts.latencies),
      upload: uploaded,
      serverCpu: (server.cpuSeconds() - cpu0) / wallSeconds,
      wallSeconds,
    };
  } finally {
    await Promise.all([alertAgent.close(), uploadAgent.close()]);
    await server.stop();
  }
}

try {
  const dir = cleanup.dir(mkdtempSync(join(tmpdir(), 'vigil-bench-alongside-data-')));
  const file = join(dir, 'transactions.ndjson');
  const config = join(dir, 'detect-config.json');
  writeFileSync(config, JSON.stringify(worldDetectConfig(seed, count)));
  console.log(`generating ${count.toLocaleString('en-US')} transactions (seed ${seed}, every address new) ...`);
  await run(process.execPath, ['--import', 'tsx', 'bench/detect/generate.ts', file, String(count), String(seed), '1'], { cwd: repoRoot, maxBuffer: 1 << 26 });
  console.log(`building ...`);
  await run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: repoRoot });
  const runs: Measured[] = [];
  for (const [name, thread] of [
    ['alerts alone (reference)', undefined],
    ['alerts + transactions, detectors on the main thread', false],
    ['alerts + transactions, detectors in their own thread', true],
  ] as const) {
    console.log(`${name} ...`);
    runs.push(await measure({ name, thread, file, config }));
  }
  const row = (m: Measured) => {
    const s = latencySummary(m.latencies);
    return [
      m.name,
      m.upload === undefined ? '' : `${Math.round(m.upload.transactions / m.upload.seconds).toLocaleString('en-US')}`,
      m.upload === undefined ? '' : String(m.upload.findings),
      String(m.alerts),
      ms(s.p50),
      ms(s.p99),
      ms(percentile(m.latencies, 0.999)),
      ms(s.max),
      String(m.errors),
      `${Math.round(m.serverCpu * 100)}%`,
    ];
  };
  console.log(
    [
      '',
      `transactions: ${count.toLocaleString('en-US')} (${(statSync(file).size / 1e6).toFixed(1)} MB of NDJSON, every address new), alerts at ${rate}/s (Alertmanager webhooks, open loop, latency from when each was due)`,
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; vigil serve on SQLite from dist/`,
      '',
      markdownTable(['run', 'transactions/s', 'findings', 'alerts', 'alert p50 ms', 'alert p99 ms', 'alert p99.9 ms', 'alert max ms', 'errors', 'server CPU'], runs.map(row)),
    ].join('\n'),
  );
  const [, onMain, inThread] = runs;
  if (onMain?.upload?.findings !== inThread?.upload?.findings) {
    console.log(`FAILED CHECK: the detectors found ${onMain?.upload?.findings} on the main thread and ${inThread?.upload?.findings} in their thread`);
    process.exitCode = 1;
  }
  if (runs.some((m) => m.errors > 0)) {
    console.log('ERRORS: some alerts did not get 200');
    process.exitCode = 1;
  }
} finally {
  const failures = await cleanup.run();
  for (const f of failures) console.error(`CLEANUP FAILED: ${f}`);
}
