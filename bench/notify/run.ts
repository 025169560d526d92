/**
 * `npm run bench:notify`: how long from an alert's ingest to the first notification delivered,
 * p50 and p99, at 100 and 1,000 new incidents per minute.
 *
 * It starts `vigil serve` on SQLite in a fresh temporary directory (127.0.0.1 only), a webhook
 * receiver in this process, and configures Vigil as an exchange would: one person whose contact
 * rule pages a webhook, one escalation policy routing every incident to them. Then, for each rate,
 * it posts generic alerts in an open loop, each opening a new incident, and measures from just
 * before the POST to the moment the receiver has read the page for that incident. Beside it, from
 * the same run: the ingest round trip alone (the part of the path before Vigil can page), and a
 * direct POST of the same page to the same receiver (the floor any delivery pays).
 */
import { execFile } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Cleanup } from '../ingest/cleanup.js';
import { latencySummary } from '../ingest/latency-stats.js';
import { startVigil, vigilEnv } from '../ingest/servers.js';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const log = (text: string) => process.stdout.write(`${text}\n`);

interface Rate {
  readonly perMinute: number;
  readonly seconds: number;
}

const usage = `usage: npm run bench:notify [-- --seconds N] [--rates 100,1000]
  --seconds N     how long each rate runs (default 60 at 100/min, 30 at 1000/min)
  --rates A,B     incidents per minute (default 100,1000)
`;

function parseArgs(args: readonly string[]): Rate[] | undefined {
  let seconds: number | undefined;
  let rates = [100, 1000];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--help' || arg === '-h') return undefined;
    if (arg === '--seconds' && value !== undefined) {
      seconds = Number(value);
      i++;
    } else if (arg === '--rates' && value !== undefined) {
      rates = value.split(',').map(Number);
      i++;
    } else throw new Error(`unknown argument ${arg ?? ''}`);
  }
  if (seconds !== undefined && !(seconds > 0 && seconds <= 600)) throw new Error('--seconds must be in (0, 600]');
  if (rates.some((r) => !(r > 0 && r <= 6000))) throw new Error('--rates must be in (0, 6000] per minute');
  return rates.map((perMinute) => ({ perMinute, seconds: seconds ?? (perMinute <= 100 ? 60 : 30) }));
}

/** The webhook receiver: when each incident's first page arrived, by incident id. */
class Receiver {
  readonly firstPage = new Map<string, number>();
  pages = 0;
  readonly #server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      this.pages += 1;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { incident?: { id?: string } };
        const id = body.incident?.id;
        if (id !== undefined && !this.firstPage.has(id)) this.firstPage.set(id, at);
      } catch {
        // The direct-POST reference sends the same shape; anything else is ignored.
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

const agentOptions = { keepAlive: true };

function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }, ...agentOptions }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function cli(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repoRoot, env, timeout: 120_000 });
  return stdout;
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : `${v.toFixed(1)} ms`);

async function main(): Promise<number> {
  let rates: Rate[] | undefined;
  try {
    rates = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:notify: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (rates === undefined) {
    process.stdout.write(usage);
    return 0;
  }
  const cleanup = new Cleanup();
  const abort = new AbortController();
  process.once('exit', () => cleanup.runSync());
  const receiver = new Receiver();
  try {
    await receiver.start();
    const dir = cleanup.dir(await mkdtemp(join(os.tmpdir(), 'vigil-bench-notify-')));
    const env = vigilEnv({ VIGIL_DATA_DIR: dir, VIGIL_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'), VIGIL_EVENTS_PER_MINUTE: '1000000' });
    const token = (JSON.parse(await cli(env, ['token', 'create', '--role', 'admin', '--name', 'bench', '--json'])) as { token: string }).token;
    const key = (JSON.parse(await cli(env, ['integration', 'create', '--kind', 'generic', '--service', 'hot-wallet', '--json'])) as { key: string }).key;
    const vigil = await startVigil({ name: 'vigil', repoRoot, env, cleanup, signal: abort.signal });
    const admin = { authorization: `Bearer ${token}` };
    const put = async (path: string, body: unknown) => {
      const response = await fetch(`${vigil.origin}${path}`, { method: 'PUT', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status >= 300) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
    };
    await put('/api/v1/people/oncall', {
      handle: 'oncall',
      name: 'On call',
      methods: [{ id: 'pager', kind: 'webhook', url: `${receiver.url}/page`, secret: 'whsec_bench_0123456789' }],
      rules: [{ severities: ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'], methods: ['pager'] }],
    });
    await put('/api/v1/escalation-policies', { name: 'all', levels: [{ name: 'L1', targets: [{ person: 'oncall' }], timeoutMinutes: 30 }] });
    await put('/api/v1/escalation-routing', [{ policy: 'all' }]);

    const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`;
    log(`bench:notify on ${machine}; vigil serve on SQLite (synchronous=full), worker interval 1000 ms (a new incident kicks a round at once)`);
    const rows: string[] = [];
    let sequence = 0;
    for (const rate of rates) {
      const count = Math.max(1, Math.round((rate.perMinute * rate.seconds) / 60));
      const gapMs = 60_000 / rate.perMinute;
      const sent = new Map<string, number>();
      const ingest: number[] = [];
      const direct: number[] = [];
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const due = started + i * gapMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const n = ++sequence;
        const body = JSON.stringify({ summary: `Hot wallet ${n} balance below threshold`, severity: 'error', dedup_key: `bench-${n}`, labels: { wallet: `hw-${n}` } });
        inFlight.push(
          (async () => {
            const t0 = performance.now();
            const answer = await post(`${vigil.origin}/api/v1/alerts`, body, { authorization: `Bearer ${key}` });
            ingest.push(performance.now() - t0);
            if (answer.status !== 200) throw new Error(`ingest answered ${answer.status}: ${answer.text.slice(0, 200)}`);
            const incidentId = (JSON.parse(answer.text) as { alerts: { incidentId: string }[] }).alerts[0]?.incidentId;
            if (incidentId !== undefined) sent.set(incidentId, t0);
            // The reference: the same size of page, straight to the receiver.
            const d0 = performance.now();
            await post(`${receiver.url}/direct`, JSON.stringify({ type: 'vigil.notification', reason: 'reference', incident: { id: `direct-${n}` } }), {});
            direct.push(performance.now() - d0);
          })(),
        );
      }
      await Promise.all(inFlight);
      const deadline = performance.now() + 60_000;
      while ([...sent.keys()].some((id) => !receiver.firstPage.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const latencies = new Float64Array([...sent].flatMap(([id, t0]) => {
        const at = receiver.firstPage.get(id);
        return at === undefined ? [] : [at - t0];
      }));
      const missing = sent.size - latencies.length;
      const page = latencySummary(latencies);
      const ing = latencySummary(new Float64Array(ingest));
      const dir0 = latencySummary(new Float64Array(direct));
      const met = page.p99 < 100 && missing === 0;
      rows.push(
        `| ${rate.perMinute}/min | ${count} | ${ms(page.p50)} | ${ms(page.p99)} | ${ms(page.max)} | ${missing} | ${ms(ing.p50)} / ${ms(ing.p99)} | ${ms(dir0.p50)} / ${ms(dir0.p99)} | ${met ? 'yes' : 'no'} |`,
      );
      log(`${rate.perMinute}/min: ${count} incidents, alert to first page p50 ${ms(page.p50)}, p99 ${ms(page.p99)}; ingest alone p50 ${ms(ing.p50)}, p99 ${ms(ing.p99)}; direct POST p50 ${ms(dir0.p50)}, p99 ${ms(dir0.p99)}; undelivered ${missing}`);
    }
    log('');
    log('| rate | incidents | alert → first page p50 | p99 | max | undelivered | reference: ingest alone p50 / p99 | reference: direct webhook POST p50 / p99 | p99 < 100 ms |');
    log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) log(row);
    return rows.every((r) => r.endsWith('| yes |')) ? 0 : 1;
  } finally {
    abort.abort();
    await receiver.close();
    const failures = await cleanup.run();
    for (const failure of failures) process.stderr.write(`bench:notify: cleanup: ${failure}\n`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:notify: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
