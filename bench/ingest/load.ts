/**
 * The load process: sends `spec.alerts` distinct alerts, one per request, to one target and prints
 * one JSON line (a `LoadResult`). Started by `run.ts`, one process per run, so that generating
 * load does not share an event loop with anything it measures.
 *
 *   node --import tsx bench/ingest/load.ts '<LoadSpec as JSON>'
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { latencySummary } from './latency-stats.js';
import type { FixedRate, LoadResult, LoadSpec } from './load-spec.js';
import { requestFor, type PreparedRequest } from './payloads.js';

const spec = JSON.parse(process.argv[2] ?? 'null') as LoadSpec | null;
if (spec === null || !/^http:\/\/127\.0\.0\.1:\d+$/.test(spec.origin) || !(spec.alerts > 0)) {
  process.stderr.write('usage: load.ts \'{"origin":"http://127.0.0.1:PORT","format":...,"alerts":N,...}\' (loopback origins only)\n');
  process.exit(2);
}

const now = new Date().toISOString();
const prepared: PreparedRequest[] = Array.from({ length: spec.alerts }, (_, i) =>
  requestFor(spec.format, { n: spec.firstIndex + i, key: spec.key, now }),
);

const connections = spec.mode.kind === 'closed' ? spec.mode.concurrency : spec.mode.maxInFlight;
const pool = new Pool(spec.origin, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
const stop = new AbortController();
// Every request and response body in flight listens to it until it ends; that is not a leak.
setMaxListeners(0, stop.signal);
setTimeout(() => stop.abort(new Error('deadline passed')), Math.max(0, spec.deadline - Date.now())).unref();

const latencies = new Float64Array(spec.alerts);
let completed = 0;
/** Requests answered with a status, whose latency is in `latencies`. */
let answered = 0;
let accepted = 0;
let errors = 0;
let lastAnswerAt = 0;
const statusCounts: Record<string, number> = {};
const errorSamples: { index: number; status: number | null; body: string }[] = [];

function countError(index: number, status: number | null, body: string): void {
  errors++;
  if (errorSamples.length < 5) errorSamples.push({ index: spec!.firstIndex + index, status, body: body.slice(0, 2000) });
}

/** Latency of alert i, by alert (NaN until answered), for the open loop's per-second series. */
const latencyByAlert = new Float64Array(spec.alerts).fill(Number.NaN);

/** Sends alert i; `from` is when its latency starts counting (sent, or due for the open loop). */
async function send(i: number, from: number): Promise<void> {
  const request = prepared[i]!;
  try {
    const response = await pool.request({ origin: spec!.origin, path: request.path, method: 'POST', headers: request.headers, body: request.body, signal: stop.signal });
    const body = await response.body.text();
    const answeredAt = performance.now();
    completed++;
    latencies[answered++] = answeredAt - from;
    latencyByAlert[i] = answeredAt - from;
    lastAnswerAt = answeredAt;
    statusCounts[response.statusCode] = (statusCounts[response.statusCode] ?? 0) + 1;
    if (response.statusCode === request.expectedStatus) accepted++;
    else countError(i, response.statusCode, body);
  } catch (error) {
    if (stop.signal.aborted) return; // not completed: reported through timedOut
    completed++;
    lastAnswerAt = performance.now();
    statusCounts.network = (statusCounts.network ?? 0) + 1;
    countError(i, null, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}

async function closedLoop(concurrency: number): Promise<number> {
  let next = 0;
  const startedAt = performance.now();
  const sender = async (): Promise<void> => {
    while (next < prepared.length && !stop.signal.aborted) {
      const i = next++;
      await send(i, performance.now());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, prepared.length) }, sender));
  return startedAt;
}

async function openLoop(mode: FixedRate, sendLags: Float64Array): Promise<{ startedAt: number; fired: number }> {
  const interval = 1000 / mode.alertsPerSecond;
  const t0 = performance.now() + 5;
  let inFlight = 0;
  let slotFreed: (() => void) | undefined;
  const pending = new Set<Promise<void>>();
  const fire = (i: number, due: number): void => {
    inFlight++;
    sendLags[i] = performance.now() - due;
    const done = send(i, due).finally(() => {
      inFlight--;
      pending.delete(done);
      slotFreed?.();
    });
    pending.add(done);
  };
  let i = 0;
  while (i < prepared.length && !stop.signal.aborted) {
    const at = performance.now();
    while (i < prepared.length && t0 + i * interval <= at && inFlight < mode.maxInFlight) {
      fire(i, t0 + i * interval);
      i++;
    }
    if (i >= prepared.length) break;
    if (inFlight >= mode.maxInFlight) {
      await new Promise<void>((resolve) => (slotFreed = resolve));
      slotFreed = undefined;
      continue;
    }
    await sleep(Math.max(0, t0 + i * interval - performance.now()));
  }
  await Promise.all(pending);
  return { startedAt: t0, fired: i };
}

const sendLags = spec.mode.kind === 'rate' ? new Float64Array(spec.alerts) : undefined;
const cpuBefore = process.cpuUsage();
const { startedAt, fired } =
  spec.mode.kind === 'closed' ? { startedAt: await closedLoop(spec.mode.concurrency), fired: spec.alerts } : await openLoop(spec.mode, sendLags!);
const cpu = process.cpuUsage(cpuBefore);
await pool.close();

const wallSeconds = Math.max(0, lastAnswerAt - startedAt) / 1000;

/** Groups the open loop's alerts by the second they were due in. */
function perSecond(mode: FixedRate): LoadResult['perSecond'] {
  const series = [];
  for (let first = 0; first < fired; first += mode.alertsPerSecond) {
    const second = latencyByAlert.slice(first, Math.min(fired, first + mode.alertsPerSecond)).filter((v) => !Number.isNaN(v));
    const summary = latencySummary(second);
    series.push({ second: first / mode.alertsPerSecond, requests: second.length, p99: summary.p99, max: summary.max });
  }
  return series;
}
const lag = sendLags === undefined ? undefined : latencySummary(sendLags.subarray(0, fired));
const result: LoadResult = {
  format: spec.format,
  alerts: spec.alerts,
  completed,
  accepted,
  errors,
  statusCounts,
  errorSamples,
  wallSeconds,
  alertsPerSecond: wallSeconds > 0 ? accepted / wallSeconds : 0,
  latencyMs: latencySummary(latencies.subarray(0, answered)),
  ...(lag === undefined ? {} : { sendLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max } }),
  ...(spec.mode.kind === 'rate' ? { perSecond: perSecond(spec.mode) } : {}),
  loadCpuSeconds: (cpu.user + cpu.system) / 1e6,
  loadProcessCpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  timedOut: stop.signal.aborted && completed < spec.alerts,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
