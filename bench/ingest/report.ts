import type { AlertFormat, LoadResult } from './load-spec.js';
import type { TargetName } from './options.js';

/** One measured run, as the report shows it. */
export interface MeasuredRun {
  readonly target: TargetName;
  readonly format: AlertFormat;
  readonly mode: 'closed' | 'rate';
  /** What the concurrency column says: the senders, or the offered rate and in-flight cap. */
  readonly load: string;
  readonly result: LoadResult;
  /** CPU seconds the server used during the run (all its threads). */
  readonly serverCpuSeconds: number;
  /**
   * What other processes on the machine (not the server, the load process or the driver) used
   * during the run, as a share of one CPU: the noise of a shared machine.
   */
  readonly otherCpuShare: number;
  /** Vigil on PostgreSQL only: what the PostgreSQL server's processes used, as a share of one CPU. */
  readonly postgresCpuShare?: number;
}

const targetLabel: Record<TargetName, string> = {
  alertmanager: 'Alertmanager 0.25 (memory)',
  'http-floor': 'HTTP floor: Fastify, JSON parse, no work',
  'vigil-sqlite': 'Vigil, SQLite',
  'vigil-postgres': 'Vigil, PostgreSQL',
};

const formatLabel: Record<AlertFormat, string> = {
  'vigil-alertmanager-webhook': 'Alertmanager webhook v4',
  'vigil-pagerduty-v2': 'PagerDuty Events v2',
  'alertmanager-api-v2': 'Alertmanager API v2',
};

export const header = ['target', 'format', 'alerts', 'concurrency', 'alerts/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU', 'other CPU', 'vs Alertmanager'];

/** The table's rows: every figure of Vigil beside Alertmanager's from the same run of the benchmark. */
export function tableRows(runs: readonly MeasuredRun[]): string[][] {
  const reference = (mode: MeasuredRun['mode']) => runs.find((r) => r.target === 'alertmanager' && r.mode === mode)?.result;
  return runs.map((run) => {
    const r = run.result;
    const am = reference(run.mode);
    let versus: string;
    if (run.target === 'alertmanager') versus = 'reference';
    else if (am === undefined) versus = 'n/a (Alertmanager not run)';
    else if (run.mode === 'closed') versus = `${ratio(r.alertsPerSecond, am.alertsPerSecond)} alerts/s (AM ${rate(am.alertsPerSecond)})`;
    else versus = `${ratio(r.latencyMs.p99, am.latencyMs.p99)} p99 (AM ${ms(am.latencyMs.p99)} ms)`;
    return [
      targetLabel[run.target],
      formatLabel[run.format],
      `${r.alerts}`,
      run.load,
      rate(r.alertsPerSecond),
      ms(r.latencyMs.p50),
      ms(r.latencyMs.p99),
      `${r.errors}${r.timedOut ? ` (timed out: ${r.completed}/${r.alerts} answered)` : ''}`,
      `${cpuShare(run.serverCpuSeconds, r.wallSeconds)}${run.postgresCpuShare === undefined ? '' : ` + PG ${percent(run.postgresCpuShare)}`}`,
      percent(run.otherCpuShare),
      versus,
    ];
  });
}

/** A Markdown table whose columns line up in a terminal too. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

export function rate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

/** CPU used per wall second, as a share of one core: 100% is one core busy for the whole run. */
export function cpuShare(cpuSeconds: number, wallSeconds: number): string {
  return wallSeconds > 0 ? percent(cpuSeconds / wallSeconds) : 'n/a';
}

export function percent(share: number): string {
  return Number.isFinite(share) ? `${Math.round(share * 100)}%` : 'n/a';
}

function ratio(a: number, b: number): string {
  return b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : 'n/a';
}
