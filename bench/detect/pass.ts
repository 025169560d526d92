// One timed pass over the NDJSON file, in a process of its own so its peak RSS is its own:
//   parse:  read the file, split lines, JSON.parse each (the reference: the cost of just reading it)
//   engine: the same, then validate each line into a Transaction and run every detector on it
//   validate: the engine's own input and nothing else: read, JSON.parse and validate each line into
//   a Transaction, no detector (what every detector's work is added to)
//   remember: validate, then keep one number per address the transaction moves value between, in
//   one plain Map of every address ever seen: the least a detector with per-address state can do
//   (no eviction, so no bound on memory; a floor, not a design)
//   --per-detector (engine): also time each detector's observe on its own, to see where the time
//   goes; the timing itself adds about 0.1 µs a detector, so the rate is not the benchmark's then
//   --alloc (engine): also sample what the pass allocates, by the function that allocated it,
//   objects the collector has already freed included (V8's sampling heap profiler): bytes a
//   transaction in all and at the largest sites; sampling slows the pass, so its rate is not the
//   benchmark's either
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { HeapProfiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';
import type { Transaction } from '../../src/core/transaction.js';
import { createDetectors } from '../../src/detect/detect-config.js';
import { DetectionEngine } from '../../src/detect/detection-engine.js';
import { transfersOf } from '../../src/detect/typologies/transfers.js';
import { ndjsonLines } from '../../src/ingest/ndjson-lines.js';
import { parseTransactionLine } from '../../src/ingest/transactions.js';

/** Average bytes between samples: fine enough for sites of tens of bytes a transaction over a million. */
const samplingInterval = 1024;
/** Sites reported, largest first. */
const topSites = 15;

const perDetector = process.argv.includes('--per-detector');
const allocation = process.argv.includes('--alloc');
const [mode, file, configFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (file === undefined || (mode !== 'parse' && mode !== 'validate' && mode !== 'remember' && mode !== 'engine')) throw new Error('usage: pass.ts parse|validate|remember|engine FILE [CONFIG]');

const config: unknown = configFile === undefined ? {} : JSON.parse(await readFile(configFile, 'utf8'));
const detectors = mode === 'engine' ? createDetectors(config) : [];
/** Milliseconds spent in each detector's `observe`, with `--per-detector`. */
const spent = new Float64Array(detectors.length);
const timed = (d: (typeof detectors)[number], i: number) => ({
  name: d.name,
  observe: (tx: Transaction) => {
    const t0 = performance.now();
    try {
      return d.observe(tx);
    } finally {
      spent[i] = (spent[i] ?? 0) + performance.now() - t0;
    }
  },
});
const engine = mode === 'engine' ? new DetectionEngine({ detectors: perDetector ? detectors.map(timed) : detectors }) : undefined;
/** Per address, transfers seen, in `remember` mode. */
const seen = new Map<string, number>();
const latencies: number[] = [];
let lines = 0;
let findings = 0;
let rejected = 0;
let sink = 0;
const session = allocation ? await startSampling() : undefined;
const started = performance.now();
for await (const line of ndjsonLines(createReadStream(file, { highWaterMark: 1 << 20 }), { maxLineBytes: 1 << 20 })) {
  if (line.kind !== 'line') continue;
  lines += 1;
  if (mode === 'parse') {
    const value = JSON.parse(line.text) as { hash?: string };
    sink += value.hash?.length ?? 0;
    continue;
  }
  const t0 = performance.now();
  const parsed = parseTransactionLine(line.text);
  if (!parsed.ok) rejected += 1;
  else if (engine !== undefined) findings += engine.observe(parsed.transaction).length;
  else if (mode === 'remember') sink += remember(parsed.transaction);
  else sink += parsed.transaction.block & 1;
  latencies.push(performance.now() - t0);
}
const seconds = (performance.now() - started) / 1000;
const allocated = session === undefined ? undefined : await allocationSites(session, lines);
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    mode,
    lines,
    seconds,
    perSecond: lines / seconds,
    findings,
    rejected,
    p50Us: at(0.5) * 1000,
    p99Us: at(0.99) * 1000,
    p999Us: at(0.999) * 1000,
    maxUs: (latencies.at(-1) ?? 0) * 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    detectors: engine?.stats() ?? [],
    perDetectorUs: perDetector ? detectors.map((d, i) => ({ name: d.name, us: ((spent[i] ?? 0) * 1000) / lines })) : undefined,
    allocated,
    sink,
  })}\n`,
);

/** The `remember` floor: one number per address a transfer of `tx` moves value between. */
function remember(tx: Transaction): number {
  let sum = 0;
  for (const t of transfersOf(tx)) {
    const from = (seen.get(t.from) ?? 0) + 1;
    seen.set(t.from, from);
    const to = (seen.get(t.to) ?? 0) + 1;
    seen.set(t.to, to);
    sum += from + to;
  }
  return sum;
}

async function startSampling(): Promise<Session> {
  const s = new Session();
  s.connect();
  // Without these two, samples of objects the collector frees are dropped: the profile would
  // show what is alive at the end, not what was allocated on the way. (@types/node lacks them.)
  const parameters = { samplingInterval, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true };
  await s.post('HeapProfiler.startSampling', parameters);
  return s;
}

/**
 * Bytes a transaction in all and by allocating function and file, largest first. What a V8
 * builtin allocates (`new Set`, `new Map`, `Object.assign`) is charged to the builtin as called
 * from its caller. (Under tsx the profile gives no useful line numbers.)
 */
async function allocationSites(s: Session, transactions: number): Promise<{ bytesPerTx: number; sites: { site: string; bytesPerTx: number }[] }> {
  const { profile } = await s.post('HeapProfiler.stopSampling');
  s.disconnect();
  const bySite = new Map<string, number>();
  let total = 0;
  const visit = (node: HeapProfiler.SamplingHeapProfileNode, caller: string): void => {
    const { functionName, url } = node.callFrame;
    const name = functionName === '' ? '(anonymous)' : functionName;
    const site = url === '' ? `${name} (builtin) from ${caller}` : `${name} ${relative(process.cwd(), url.replace(/^file:\/\//, ''))}`;
    if (node.selfSize > 0) {
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children) visit(child, url === '' ? caller : site);
  };
  visit(profile.head, '(root)');
  const sites = [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topSites)
    .map(([site, bytes]) => ({ site, bytesPerTx: Math.round(bytes / transactions) }));
  return { bytesPerTx: Math.round(total / transactions), sites };
}
