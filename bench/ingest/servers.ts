import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { request } from 'undici';
import { stopProcess, type Cleanup } from './cleanup.js';
import { processCpuSeconds } from './machine-load.js';

const execFileAsync = promisify(execFile);
const loopback = '127.0.0.1';

/** A server the benchmark started and will stop. */
export interface RunningServer {
  readonly name: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly output: OutputTail;
  /** Why it stopped, if it stopped before `stop()` was called. */
  unexpectedExit(): string | undefined;
  /** CPU time (user + system, all threads) it has used so far, in seconds; NaN where /proc is missing. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** The last lines a process wrote, with Vigil's secrets (tokens, keys) masked. */
export class OutputTail {
  readonly #lines: string[] = [];
  constructor(private readonly max = 200) {}

  push(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line === '') continue;
      this.#lines.push(line.replace(/vgl_\S+/g, 'vgl_[redacted]'));
      if (this.#lines.length > this.max) this.#lines.shift();
    }
  }

  text(): string {
    return this.#lines.join('\n');
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, loopback, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

/** GET on a loopback URL, with a short timeout; never throws for a status. */
export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const response = await request(url, { method: 'GET', headersTimeout: 10_000, bodyTimeout: 10_000 });
  return { status: response.statusCode, body: await response.body.text() };
}

/** The environment for a Vigil process: ours without any VIGIL_* setting, plus `extra`. */
export function vigilEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('VIGIL_')) env[name] = value;
  return { ...env, VIGIL_HOST: loopback, ...extra };
}

/**
 * Vigil as `npm start` runs it: the compiled JavaScript in dist/, which `npm run bench:ingest`
 * builds first. (Run from the TypeScript through tsx, it measured the same within this machine's spread.)
 */
const vigilEntry = ['dist/cli/main.js'];

/** `vigil integration create --kind KIND --service bench --json`, run on the store `env` selects; returns the key. */
export async function createIntegrationKey(options: { repoRoot: string; env: NodeJS.ProcessEnv; kind: 'alertmanager' | 'pagerduty' | 'transactions' }): Promise<string> {
  const args = [...vigilEntry, 'integration', 'create', '--kind', options.kind, '--service', 'bench', '--json'];
  try {
    const { stdout } = await execFileAsync(process.execPath, args, { cwd: options.repoRoot, env: options.env, timeout: 120_000 });
    const key = (JSON.parse(stdout) as { key?: unknown }).key;
    if (typeof key !== 'string' || key === '') throw new Error(`no "key" in ${JSON.stringify(stdout.slice(0, 200))}`);
    return key;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`vigil integration create --kind ${options.kind} failed: ${error instanceof Error ? error.message : String(error)}\n${stderr}`, { cause: error });
  }
}

function watchExit(child: ChildProcess): { unexpectedExit: () => string | undefined; stopping: () => void } {
  let stopping = false;
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    if (!stopping) exit = `exited with ${signal === null ? `code ${code}` : signal}`;
  });
  // Without a listener, a binary that cannot be started (ENOENT) would crash the benchmark before cleanup.
  child.once('error', (error) => (exit = `could not be started: ${error.message}`));
  return { unexpectedExit: () => exit, stopping: () => (stopping = true) };
}

/**
 * Starts a Node.js server process and resolves once it has printed the line `listening` matches
 * (its first group: the origin), which must be on 127.0.0.1.
 */
async function startNodeServer(options: {
  name: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  listening: RegExp;
  cleanup: Cleanup;
  signal: AbortSignal;
}): Promise<RunningServer> {
  const { name } = options;
  const child = options.cleanup.child(spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const output = new OutputTail();
  const exit = watchExit(child);
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const origin = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no line like ${String(options.listening)} within 120 s\n${output.text()}`)), 120_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output.push(chunk);
      buffered += chunk;
      const match = options.listening.exec(buffered);
      if (match === null) return;
      clearTimeout(timer);
      buffered = '';
      resolve(match[1]!);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} ${signal === null ? `exited with code ${code}` : `was killed by ${signal}`} before listening\n${output.text()}`));
    });
    options.signal.addEventListener('abort', () => reject(new Error(`${name}: stopped while starting`)), { once: true });
  });
  const running: RunningServer = {
    name,
    origin,
    output,
    unexpectedExit: exit.unexpectedExit,
    cpuSeconds: () => processCpuSeconds(child.pid),
    stop: async () => {
      exit.stopping();
      await stopProcess(child);
    },
  };
  if (!new RegExp(`^http://${loopback.replace(/\./g, '\\.')}:\\d+$`).test(origin)) {
    await running.stop();
    throw new Error(`${name}: listens on ${origin}, not on ${loopback}`);
  }
  return running;
}

/**
 * `vigil serve --host 127.0.0.1 --port 0 --no-log` on the store `env` selects. Resolves when it has
 * printed where it listens and `/readyz` answers 200.
 */
export async function startVigil(options: { name: string; repoRoot: string; env: NodeJS.ProcessEnv; cleanup: Cleanup; signal: AbortSignal }): Promise<RunningServer> {
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each server to DIR when it stops.
  const profile = process.env['BENCH_CPU_PROF'];
  const profiling = profile === undefined || profile === '' ? [] : ['--cpu-prof', '--cpu-prof-dir', profile];
  const running = await startNodeServer({
    name: options.name,
    args: [...profiling, ...vigilEntry, 'serve', '--host', loopback, '--port', '0', '--no-log'],
    cwd: options.repoRoot,
    env: options.env,
    listening: /Vigil is listening on (http:\/\/[^\s]+)/,
    cleanup: options.cleanup,
    signal: options.signal,
  });
  await waitUntil(`${options.name} /readyz`, { check: async () => (await httpGet(`${running.origin}/readyz`)).status === 200, server: running, signal: options.signal });
  return running;
}

/** The HTTP floor (floor-server.ts). Resolves when it has printed where it listens. */
export async function startHttpFloor(options: { repoRoot: string; cleanup: Cleanup; signal: AbortSignal }): Promise<RunningServer> {
  return startNodeServer({
    name: 'http-floor',
    args: ['--import', 'tsx', 'bench/ingest/floor-server.ts'],
    cwd: options.repoRoot,
    listening: /listening on (http:\/\/[^\s]+)/,
    cleanup: options.cleanup,
    signal: options.signal,
  });
}

/**
 * Prometheus Alertmanager on 127.0.0.1, clustering off, routing every alert to a receiver that
 * does nothing. Resolves when `/-/ready` answers 200.
 */
export async function startAlertmanager(options: { binary: string; dir: string; cleanup: Cleanup; signal: AbortSignal }): Promise<RunningServer> {
  const port = await freePort();
  await mkdir(join(options.dir, 'am-data'), { recursive: true });
  const config = join(options.dir, 'am.yml');
  await writeFile(config, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
  const args = [
    `--config.file=${config}`,
    `--storage.path=${join(options.dir, 'am-data')}`,
    `--web.listen-address=${loopback}:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ];
  const child = options.cleanup.child(spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const output = new OutputTail();
  const exit = watchExit(child);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const running: RunningServer = {
    name: 'alertmanager',
    origin: `http://${loopback}:${port}`,
    output,
    unexpectedExit: exit.unexpectedExit,
    cpuSeconds: () => processCpuSeconds(child.pid),
    stop: async () => {
      exit.stopping();
      await stopProcess(child);
    },
  };
  await waitUntil('alertmanager /-/ready', { check: async () => (await httpGet(`${running.origin}/-/ready`)).status === 200, server: running, signal: options.signal });
  return running;
}

/** Polls `check` every 100 ms for up to 30 s; fails early if the server died or the benchmark is stopped. */
async function waitUntil(what: string, options: { check: () => Promise<boolean>; server: RunningServer; signal: AbortSignal }): Promise<void> {
  const { check, server, signal } = options;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (signal.aborted) throw new Error(`${server.name}: stopped while waiting for ${what}`);
    const died = server.unexpectedExit();
    if (died !== undefined) throw new Error(`${server.name} ${died} while waiting for ${what}\n${server.output.text()}`);
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not answer 200 within 30 s\n${server.output.text()}`);
}

/** A fresh schema on a loopback PostgreSQL, dropped at cleanup; `url` selects it through `search_path`. */
export async function createPgSchema(options: { baseUrl: string; cleanup: Cleanup }): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
  const base = new URL(options.baseUrl);
  if (base.hostname !== loopback) throw new Error(`--pg-url must point at ${loopback}, not ${base.hostname}`);
  const schema = `vigil_bench_${process.pid}_${Date.now().toString(36)}`;
  await withPg(options.baseUrl, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  const drop = options.cleanup.step(`drop schema ${schema}`, async () => {
    await withPg(options.baseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  });
  const url = `${options.baseUrl}${options.baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return { schema, url, drop };
}

/** Runs `work` on a fresh connection to `url` and closes it. */
export async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, statement_timeout: 60_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
