/**
 * `npm run bench:ingest`: how fast Vigil takes alerts in, beside Prometheus Alertmanager on the
 * same machine in the same run.
 *
 * It starts, on 127.0.0.1 only: `vigil serve` on SQLite in a fresh temporary directory, `vigil
 * serve` on a fresh PostgreSQL schema, and Alertmanager with a receiver that does nothing. Each
 * target is driven by its own load process (`load.ts`): a closed loop (a fixed number of senders)
 * for throughput, and an open loop at a fixed rate for latency under a realistic load. It prints
 * a table, writes the same figures to `.bench/ingest-<timestamp>.json`, and undoes everything it
 * started, also on failure or timeout.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { Cleanup } from './cleanup.js';
import type { AlertFormat, LoadResult, LoadSpec } from './load-spec.js';
import { optionsAsFlags, parseOptions, usage, type BenchOptions, type TargetName } from './options.js';
import { histogramDelta, parsePromText, quantileBound, sumOf, type Sample } from './prom-text.js';
import { machineBusySeconds, PostgresCpuMeter, waitForQuiet } from './machine-load.js';
import { cpuShare, header, markdownTable, ms, percent, rate, tableRows, type MeasuredRun } from './report.js';
import { createIntegrationKey, createPgSchema, httpGet, startAlertmanager, startHttpFloor, startVigil, vigilEnv, withPg, type RunningServer } from './servers.js';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Kept for cleanup at the end of the time budget. */
const cleanupReserveMs = 30_000;
/** Between runs, so that one run's leftovers (sockets closing, a checkpoint) do not land in the next. */
const settleMs = 1000;
/** Other processes using more than this share of one CPU make a run's figures doubtful. */
const busyMachine = 0.25;
/** How long a run waits for other processes to calm down before it starts anyway. */
const quietWaitMs = 20_000;

interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the benchmark learnt, written to the JSON file. */
interface Findings {
  readonly runs: MeasuredRun[];
  readonly warmups: { target: TargetName; format: AlertFormat; result: LoadResult }[];
  readonly checks: Check[];
  readonly problems: string[];
  readonly environment: Record<string, unknown>;
}

const log = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:ingest: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(usage);
    return 0;
  }

  const args = process.argv.slice(2);
  const command =
    process.env.npm_lifecycle_event === 'bench:ingest'
      ? `npm run bench:ingest${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`
      : `tsx bench/ingest/run.ts${args.length > 0 ? ` ${args.join(' ')}` : ''}`;
  const startedAt = new Date();
  const deadline = Date.now() + options.timeoutSeconds * 1000 - cleanupReserveMs;
  const cleanup = new Cleanup();
  const stop = new AbortController();

  // Last resort: whatever is left when the process exits is killed and removed.
  process.once('exit', () => {
    const left = cleanup.runSync();
    if (left.length > 0) process.stderr.write(`bench:ingest: could not undo on exit: ${left.join('; ')}\n`);
  });
  const interrupt = (signal: NodeJS.Signals) => stop.abort(new Error(`interrupted by ${signal}`));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // Load processes stop by themselves at the deadline and report what they did; this stops what
  // does not (a server that never gets ready), a little later.
  const timeout = setTimeout(() => stop.abort(new Error(`the time budget of ${options.timeoutSeconds} s ran out`)), deadline - Date.now() + 10_000);
  // If even cleanup hangs, leave: the exit handler kills what is left.
  const hardStop = setTimeout(() => {
    process.stderr.write('bench:ingest: cleanup did not finish in time; killing what is left\n');
    process.exit(3);
  }, options.timeoutSeconds * 1000);
  hardStop.unref();

  log(`command: ${command}`);
  log(`options: ${optionsAsFlags(options)}`);
  const findings: Findings = { runs: [], warmups: [], checks: [], problems: [], environment: await environment(options) };
  log(`machine: ${String(findings.environment.cpuModel)}, ${String(findings.environment.cpus)} CPUs, node ${process.version}, ${os.type()} ${os.release()}`);

  try {
    const tmp = cleanup.dir(await mkdtemp(join(os.tmpdir(), 'vigil-bench-')));
    const bench = new Bench({ options, cleanup, findings, deadline, signal: stop.signal });
    for (const target of options.targets) {
      if (stop.signal.aborted) break;
      log(`\n== ${target}`);
      switch (target) {
        case 'alertmanager':
          await bench.alertmanager(tmp);
          break;
        case 'http-floor':
          await bench.httpFloor();
          break;
        case 'vigil-sqlite':
          await bench.vigilSqlite(tmp);
          break;
        case 'vigil-postgres':
          await bench.vigilPostgres();
          break;
      }
    }
    if (stop.signal.aborted) findings.problems.push(String((stop.signal.reason as Error).message));
  } catch (error) {
    findings.problems.push(stop.signal.aborted ? `${(stop.signal.reason as Error).message}: ${message(error)}` : message(error));
  } finally {
    clearTimeout(timeout);
    const failures = await cleanup.run();
    for (const failure of failures) findings.problems.push(`cleanup: ${failure}`);
  }

  return report({ options, command, startedAt, findings });
}

/** The runs, one target at a time; each target's server runs only during its own runs. */
class Bench {
  readonly #options: BenchOptions;
  readonly #cleanup: Cleanup;
  readonly #findings: Findings;
  readonly #deadline: number;
  readonly #signal: AbortSignal;

  constructor(deps: { options: BenchOptions; cleanup: Cleanup; findings: Findings; deadline: number; signal: AbortSignal }) {
    this.#options = deps.options;
    this.#cleanup = deps.cleanup;
    this.#findings = deps.findings;
    this.#deadline = deps.deadline;
    this.#signal = deps.signal;
  }

  async alertmanager(tmp: string): Promise<void> {
    const server = await startAlertmanager({ binary: this.#options.alertmanagerBinary, dir: join(tmp, 'alertmanager'), cleanup: this.#cleanup, signal: this.#signal });
    log(`alertmanager on ${server.origin}`);
    try {
      const sent = new Counter();
      await this.#runs(server, { target: 'alertmanager', format: 'alertmanager-api-v2', sent });
      const samples = parsePromText((await httpGet(`${server.origin}/metrics`)).body);
      const received = sumOf(samples, 'alertmanager_alerts_received_total', { status: 'firing' });
      const invalid = sumOf(samples, 'alertmanager_alerts_invalid_total');
      this.#check({ what: 'alertmanager: alerts received = alerts accepted', ok: received === sent.total, detail: `received ${received}, accepted ${sent.total}` });
      this.#check({ what: 'alertmanager: no invalid alerts', ok: invalid === 0, detail: `invalid ${invalid}` });
    } finally {
      await this.#stop(server);
    }
  }

  /** The HTTP floor: the closed loop only; every request must be answered 200. */
  async httpFloor(): Promise<void> {
    const server = await startHttpFloor({ repoRoot, cleanup: this.#cleanup, signal: this.#signal });
    log(`http-floor on ${server.origin}`);
    try {
      await this.#runs(server, { target: 'http-floor', format: 'vigil-alertmanager-webhook', sent: new Counter(), fixedRate: false });
    } finally {
      await this.#stop(server);
    }
  }

  async vigilSqlite(tmp: string): Promise<void> {
    const dataDir = join(tmp, 'vigil-sqlite');
    const env = vigilEnv({ VIGIL_DATA_DIR: dataDir, VIGIL_EVENTS_PER_MINUTE: '100000000' });
    await this.#vigil({ target: 'vigil-sqlite', env, countAlerts: async () => countSqliteAlerts(join(dataDir, 'vigil.db')) });
  }

  async vigilPostgres(): Promise<void> {
    const { schema, url, drop } = await createPgSchema({ baseUrl: this.#options.pgUrl, cleanup: this.#cleanup });
    log(`postgres schema ${schema}`);
    const env = vigilEnv({ VIGIL_DATABASE_URL: url, VIGIL_EVENTS_PER_MINUTE: '100000000' });
    try {
      await this.#vigil({
        target: 'vigil-postgres',
        env,
        countAlerts: async () =>
          withPg(this.#options.pgUrl, async (client) => {
            const { rows } = await client.query<{ source: string; n: string }>(`SELECT source, count(*) AS n FROM "${schema}".alerts GROUP BY source`);
            return Object.fromEntries(rows.map((r) => [r.source, Number(r.n)]));
          }),
      });
    } finally {
      await drop();
    }
  }

  async #vigil(spec: { target: TargetName; env: NodeJS.ProcessEnv; countAlerts: () => Promise<Record<string, number>> }): Promise<void> {
    const { target, env } = spec;
    // The CLI and the server work on the same store; keys are made before the server starts.
    const amKey = await createIntegrationKey({ repoRoot, env, kind: 'alertmanager' });
    const pdKey = await createIntegrationKey({ repoRoot, env, kind: 'pagerduty' });
    const server = await startVigil({ name: target, repoRoot, env, cleanup: this.#cleanup, signal: this.#signal });
    log(`${target} on ${server.origin}`);
    const sentAm = new Counter();
    const sentPd = new Counter();
    try {
      await this.#runs(server, { target, format: 'vigil-alertmanager-webhook', key: amKey, sent: sentAm, fixedRate: target === 'vigil-sqlite' });
      await this.#runs(server, { target, format: 'vigil-pagerduty-v2', key: pdKey, sent: sentPd, fixedRate: false });
      const samples = parsePromText((await httpGet(`${server.origin}/metrics`)).body);
      for (const [source, sent] of [['alertmanager', sentAm], ['pagerduty', sentPd]] as const) {
        const opened = sumOf(samples, 'vigil_alerts_ingested_total', { source, outcome: 'opened' });
        const grouped = sumOf(samples, 'vigil_alerts_ingested_total', { source, outcome: 'grouped' });
        const all = sumOf(samples, 'vigil_alerts_ingested_total', { source });
        this.#check({
          what: `${target}: every accepted ${source} alert was a new alert (opened or grouped)`,
          ok: opened + grouped === sent.total && all === sent.total,
          detail: `accepted ${sent.total}; metrics: opened ${opened}, grouped ${grouped}, other outcomes ${all - opened - grouped}`,
        });
      }
    } finally {
      await this.#stop(server);
    }
    // After the server has stopped: what is in the store is what was committed.
    const stored = await spec.countAlerts();
    for (const [source, sent] of [['alertmanager', sentAm], ['pagerduty', sentPd]] as const) {
      const rows = stored[source] ?? 0;
      this.#check({ what: `${target}: alerts in the store = ${source} alerts accepted`, ok: rows === sent.total, detail: `rows ${rows}, accepted ${sent.total}` });
    }
  }

  /** A warm-up and a closed-loop run, then a fixed-rate run if asked, on one server and format. */
  async #runs(server: RunningServer, spec: { target: TargetName; format: AlertFormat; key?: string; sent: Counter; fixedRate?: boolean }): Promise<void> {
    const o = this.#options;
    const base = { origin: server.origin, format: spec.format, ...(spec.key === undefined ? {} : { key: spec.key }) };
    const closed = { kind: 'closed', concurrency: o.concurrency } as const;
    if (o.warmup > 0) {
      const result = await this.#load(server, { ...base, firstIndex: spec.sent.take(o.warmup), alerts: o.warmup, mode: closed });
      spec.sent.accept(result.accepted);
      this.#findings.warmups.push({ target: spec.target, format: spec.format, result });
      log(`  ${spec.format} warm-up: ${summary(result)}`);
    }
    await this.#measure(server, {
      run: { target: spec.target, format: spec.format, mode: 'closed', load: `${o.concurrency}` },
      spec: { ...base, firstIndex: spec.sent.take(o.alerts), alerts: o.alerts, mode: closed },
      sent: spec.sent,
    });
    if (spec.fixedRate !== false) {
      const alerts = o.rate * o.rateSeconds;
      await this.#measure(server, {
        run: { target: spec.target, format: spec.format, mode: 'rate', load: `open loop ${o.rate}/s, ≤${o.maxInFlight} in flight` },
        spec: { ...base, firstIndex: spec.sent.take(alerts), alerts, mode: { kind: 'rate', alertsPerSecond: o.rate, maxInFlight: o.maxInFlight } },
        sent: spec.sent,
      });
    }
  }

  async #measure(
    server: RunningServer,
    what: { run: Omit<MeasuredRun, 'result' | 'serverCpuSeconds' | 'otherCpuShare'>; spec: Omit<LoadSpec, 'deadline'>; sent: Counter },
  ): Promise<void> {
    await sleep(settleMs);
    // PostgreSQL's processes are part of the system measured when Vigil runs on it; otherwise they are someone else's.
    const onPostgres = what.run.target === 'vigil-postgres';
    const postgres = new PostgresCpuMeter();
    const ownCpu = () => server.cpuSeconds() + driverCpuSeconds() + (onPostgres ? postgres.read() : 0);
    await waitForQuiet({
      ownCpuSeconds: ownCpu,
      threshold: busyMachine,
      maxWaitMs: Math.max(0, Math.min(quietWaitMs, this.#deadline - Date.now() - 60_000)),
      onBusy: (share) => log(`    other processes use ${percent(share)} of a CPU; waiting (at most ${quietWaitMs / 1000} s) for a quieter machine`),
    });
    const machineBefore = machineBusySeconds();
    const ownBefore = ownCpu();
    const serverBefore = server.cpuSeconds();
    const postgresBefore = postgres.read();
    const isVigil = what.run.target === 'vigil-sqlite' || what.run.target === 'vigil-postgres';
    const storeBefore = isVigil ? await scrape(server) : [];
    const startedAt = performance.now();
    const result = await this.#load(server, what.spec);
    const span = (performance.now() - startedAt) / 1000;
    const storeAfter = isVigil ? await scrape(server) : [];
    const serverCpuSeconds = server.cpuSeconds() - serverBefore;
    const postgresCpu = postgres.read() - postgresBefore;
    // Clock-tick granularity can make a quiet machine's figure slightly negative.
    const otherCpuShare = Math.max(0, (machineBusySeconds() - machineBefore - (ownCpu() - ownBefore) - result.loadProcessCpuSeconds) / span);
    const database = onPostgres ? { postgresCpuShare: postgresCpu / result.wallSeconds } : {};
    what.sent.accept(result.accepted);
    this.#findings.runs.push({ ...what.run, result, serverCpuSeconds, otherCpuShare, ...database });
    const pg = database.postgresCpuShare === undefined ? '' : `, PostgreSQL CPU ${percent(database.postgresCpuShare)}`;
    const cpu = `server CPU ${cpuShare(serverCpuSeconds, result.wallSeconds)}${pg}, load process CPU ${cpuShare(result.loadCpuSeconds, result.wallSeconds)}, other processes ${percent(otherCpuShare)}`;
    log(`  ${what.run.format} ${what.run.mode === 'closed' ? `closed loop, ${what.run.load} senders` : what.run.load}: ${summary(result)}, ${cpu}`);
    if (result.perSecond !== undefined) log(`    max latency per second, ms: ${result.perSecond.map((s) => ms(s.max)).join(' ')}`);
    if (isVigil) log(`    ${storeSummary(storeBefore, storeAfter)}\n    ${runtimeSummary(storeBefore, storeAfter)}`);
  }

  async #load(server: RunningServer, spec: Omit<LoadSpec, 'deadline'>): Promise<LoadResult> {
    if (this.#signal.aborted) throw new Error('stopped');
    if (Date.now() >= this.#deadline) throw new Error(`the time budget of ${this.#options.timeoutSeconds} s ran out (less than ${cleanupReserveMs / 1000} s left for cleanup)`);
    const result = await runLoad({ spec: { ...spec, deadline: this.#deadline }, cleanup: this.#cleanup, signal: this.#signal });
    const died = server.unexpectedExit();
    if (died !== undefined) throw new Error(`${server.name} ${died} during the run\n${server.output.text()}`);
    return result;
  }

  async #stop(server: RunningServer): Promise<void> {
    const died = server.unexpectedExit();
    if (died !== undefined) this.#findings.problems.push(`${server.name} ${died}\n${server.output.text()}`);
    await server.stop();
  }

  #check(check: Check): void {
    this.#findings.checks.push(check);
    log(`  check ${check.ok ? 'ok  ' : 'FAIL'} ${check.what} (${check.detail})`);
  }
}

/** Alert numbers handed out and alerts accepted, on one server for one format. */
class Counter {
  #next = 0;
  total = 0;

  /** The first of `n` fresh alert numbers. */
  take(n: number): number {
    const first = this.#next;
    this.#next += n;
    return first;
  }

  accept(n: number): void {
    this.total += n;
  }
}

/** Runs one load process and returns its result; kills it at the deadline or when stopped. */
async function runLoad(options: { spec: LoadSpec; cleanup: Cleanup; signal: AbortSignal }): Promise<LoadResult> {
  const { spec, cleanup, signal } = options;
  const child = cleanup.child(
    spawn(process.execPath, ['--import', 'tsx', 'bench/ingest/load.ts', JSON.stringify(spec)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const kill = () => child.kill('SIGKILL');
  // The load process stops itself at the deadline; this is for a load process that hangs.
  const killer = setTimeout(kill, Math.max(0, spec.deadline - Date.now()) + 15_000);
  signal.addEventListener('abort', kill, { once: true });
  try {
    const [code, killedBy] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve([c, s]));
    });
    if (code !== 0) throw new Error(`load process for ${spec.format} ${killedBy === null ? `exited with code ${code}` : `was killed (${killedBy})`}\n${stderr}`);
    const last = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as LoadResult;
  } finally {
    clearTimeout(killer);
    signal.removeEventListener('abort', kill);
  }
}

/** CPU seconds this driver process has used. */
function driverCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function countSqliteAlerts(path: string): Record<string, number> {
  const db = new Database(path, { fileMustExist: true });
  try {
    const rows = db.prepare('SELECT source, count(*) AS n FROM alerts GROUP BY source').all() as { source: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.source, r.n]));
  } finally {
    db.close();
  }
}

function summary(r: LoadResult): string {
  const errors = r.errors > 0 ? `, ${r.errors} ERRORS ${JSON.stringify(r.statusCounts)}` : '';
  const lag = r.sendLagMs === undefined ? '' : `, send lag p99 ${ms(r.sendLagMs.p99)} ms`;
  return `${r.accepted}/${r.alerts} accepted in ${r.wallSeconds.toFixed(2)} s = ${rate(r.alertsPerSecond)} alerts/s, p50 ${ms(r.latencyMs.p50)} ms, p99 ${ms(r.latencyMs.p99)} ms, max ${ms(r.latencyMs.max)} ms${lag}${errors}${r.timedOut ? ', TIMED OUT' : ''}`;
}

/** Versions and settings that decide the figures, recorded beside them. */
async function environment(options: BenchOptions): Promise<Record<string, unknown>> {
  const quiet = async <T>(work: () => Promise<T>): Promise<T | string> => work().catch((error: unknown) => `unknown (${message(error)})`);
  const cpus = os.cpus();
  const sqlite = new Database(':memory:');
  const sqliteVersion = (sqlite.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  sqlite.close();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tmpdir: os.tmpdir(),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    sqlite: sqliteVersion,
    sqliteSynchronous: 'full (Vigil default)',
    alertmanager: await quiet(async () => (await execFileAsync(options.alertmanagerBinary, ['--version'], { timeout: 10_000 })).stdout.split('\n')[0]?.trim()),
    postgres: options.targets.includes('vigil-postgres')
      ? await quiet(() =>
          withPg(options.pgUrl, async (client) => {
            const get = async (q: string) => String(Object.values((await client.query(q)).rows[0] as object)[0]);
            return { version: await get('SHOW server_version'), fsync: await get('SHOW fsync'), synchronous_commit: await get('SHOW synchronous_commit') };
          }),
        )
      : 'not run',
    vigilCommit: await quiet(async () => (await execFileAsync('git', ['--no-optional-locks', 'rev-parse', 'HEAD'], { cwd: repoRoot, timeout: 10_000 })).stdout.trim()),
    vigilUncommittedFiles: await quiet(async () =>
      (await execFileAsync('git', ['--no-optional-locks', 'status', '--porcelain'], { cwd: repoRoot, timeout: 10_000 })).stdout.split('\n').filter((l) => l !== '').length,
    ),
  };
}

async function report(input: { options: BenchOptions; command: string; startedAt: Date; findings: Findings }): Promise<number> {
  const { options, command, startedAt, findings } = input;
  const failedChecks = findings.checks.filter((c) => !c.ok);
  const erroredRuns = [...findings.runs, ...findings.warmups].filter((r) => r.result.errors > 0 || r.result.timedOut);
  const valid = findings.problems.length === 0 && failedChecks.length === 0 && erroredRuns.length === 0;
  const banner = '!!!!!!!! THIS RUN HAD ERRORS: its figures are not a valid benchmark (see below) !!!!!!!!';

  log('');
  if (!valid) log(banner);
  log(`command: ${command}`);
  log(`machine: ${String(findings.environment.cpuModel)}, ${String(findings.environment.cpus)} CPUs, node ${process.version}`);
  log('');
  log(markdownTable(header, tableRows(findings.runs)));
  const rateRun = findings.runs.find((r) => r.target === 'vigil-sqlite' && r.mode === 'rate');
  if (rateRun !== undefined) {
    const p99 = rateRun.result.latencyMs.p99;
    log(`\ntarget: Vigil on SQLite, p99 under 50 ms at ${options.rate} alerts/s: ${p99 < 50 && rateRun.result.errors === 0 ? 'MET' : 'MISSED'} (p99 ${ms(p99)} ms)`);
  }
  const disturbed = findings.runs.filter((r) => r.otherCpuShare >= busyMachine);
  for (const run of disturbed) {
    log(`WARNING: other processes used ${percent(run.otherCpuShare)} of a CPU during ${run.target} ${run.format} (${run.mode}): that figure is disturbed by them`);
  }
  for (const check of failedChecks) log(`FAILED CHECK: ${check.what} (${check.detail})`);
  for (const run of erroredRuns) {
    log(`ERRORS in ${run.target} ${run.format}: ${run.result.errors} of ${run.result.alerts}${run.result.timedOut ? ', timed out' : ''}, statuses ${JSON.stringify(run.result.statusCounts)}`);
    for (const sample of run.result.errorSamples) log(`  alert ${sample.index}: status ${sample.status ?? 'none'}: ${sample.body}`);
  }
  for (const problem of findings.problems) log(`PROBLEM: ${problem}`);

  const file = join(repoRoot, '.bench', `ingest-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  try {
    await mkdir(join(repoRoot, '.bench'), { recursive: true });
    const table = { header, rows: tableRows(findings.runs) };
    const record = { command, options, startedAt: startedAt.toISOString(), valid, disturbed: disturbed.length > 0, table, ...findings };
    await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
    log(`\nresults: ${file}`);
  } catch (error) {
    log(`could not write ${file}: ${message(error)}`);
  }
  if (!valid) log(banner);
  return valid ? 0 : 1;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

process.exitCode = await main();

async function scrape(server: RunningServer): Promise<Sample[]> {
  return parsePromText((await httpGet(`${server.origin}/metrics`)).body);
}

/** What the store's group commit did during a run, from Vigil's own histograms (bucket bounds, so "≤"). */
function storeSummary(before: readonly Sample[], after: readonly Sample[]): string {
  const units = histogramDelta(before, after, 'vigil_store_batch_units');
  const commit = histogramDelta(before, after, 'vigil_store_commit_duration_seconds');
  const sync = histogramDelta(before, after, 'vigil_store_sync_duration_seconds');
  const bound = (h: typeof commit, q: number) => {
    const le = quantileBound(h, q);
    return le === undefined ? 'n/a' : le === Number.POSITIVE_INFINITY ? '> 1 s' : `≤ ${ms(le * 1000)} ms`;
  };
  const mean = (h: typeof commit) => (h.count === 0 ? 'n/a' : `${ms((h.sum / h.count) * 1000)} ms`);
  return (
    `store: ${units.count} batches of ${units.count === 0 ? 0 : (units.sum / units.count).toFixed(1)} writes on average; ` +
    `commit mean ${mean(commit)}, p99 ${bound(commit, 0.99)}, max ${bound(commit, 1)}; ` +
    `sync mean ${mean(sync)}, p99 ${bound(sync, 0.99)}, max ${bound(sync, 1)}`
  );
}

/**
 * What the server's runtime did during a run, from the process metrics: garbage collections by
 * kind and the event loop's longest delay. Beside the store's line it tells a stall's cause.
 */
function runtimeSummary(before: readonly Sample[], after: readonly Sample[]): string {
  const gc = (kind: string) => {
    const h = histogramDelta(before, after, 'vigil_process_nodejs_gc_duration_seconds', { kind });
    const le = quantileBound(h, 1);
    const max = le === undefined ? '' : `, longest ${le === Number.POSITIVE_INFINITY ? '> 5 s' : `≤ ${ms(le * 1000)} ms`}`;
    return `${kind} ${h.count} (${ms(h.sum * 1000)} ms${max})`;
  };
  const lag = sumOf(after, 'vigil_process_nodejs_eventloop_lag_max_seconds');
  return `runtime: GC ${gc('minor')}, ${gc('major')}, ${gc('incremental')}; event-loop delay max ${ms(lag * 1000)} ms`;
}
