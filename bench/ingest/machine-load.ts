import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Linux's USER_HZ, the unit of /proc times; 100 on every mainstream kernel build. */
export const clockTicksPerSecond = 100;

/**
 * CPU seconds the whole machine has spent busy (all CPUs: user, nice, system, irq, softirq,
 * steal), from /proc/stat; NaN where there is no /proc. Against what our own processes used, it
 * tells how much else ran during a run: on a shared machine, that is the benchmark's noise.
 */
export function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU seconds of a process (all its threads), from /proc/PID/stat; NaN where there is none. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds used so far by each process of the PostgreSQL server (the postmaster and its
 * backends, named `postgres`), by process id. On a machine where others use the same PostgreSQL
 * this counts their queries too.
 */
export function postgresCpuByProcess(): Map<number, number> {
  const byPid = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return byPid;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/stat`, 'utf8').includes('(postgres)')) continue;
    } catch {
      continue; // gone meanwhile
    }
    const seconds = processCpuSeconds(Number(entry));
    if (Number.isFinite(seconds)) byPid.set(Number(entry), seconds);
  }
  return byPid;
}

/**
 * CPU seconds the PostgreSQL processes used between two snapshots: for the processes alive at
 * the end, what they used since the first snapshot (or since they started). A backend that exited
 * in between (a pool closing an idle connection) is left out rather than subtracted, since what it
 * used before the run is not the run's.
 */
export function postgresCpuBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** A running total of PostgreSQL's CPU seconds from when it was created; `read()` brings it up to date. */
export class PostgresCpuMeter {
  #last = postgresCpuByProcess();
  #total = 0;

  read(): number {
    const now = postgresCpuByProcess();
    this.#total += postgresCpuBetween(this.#last, now);
    this.#last = now;
    return this.#total;
  }
}

/**
 * Waits, for at most `maxWaitMs`, until other processes use less than `threshold` of one CPU over
 * a one-second sample. `ownCpuSeconds` is what the benchmark's own processes have used so far.
 * Returns the last sample's share of one CPU used by others.
 */
export async function waitForQuiet(options: { ownCpuSeconds: () => number; threshold: number; maxWaitMs: number; onBusy: (share: number) => void }): Promise<number> {
  const until = Date.now() + options.maxWaitMs;
  for (;;) {
    const machine = machineBusySeconds();
    const own = options.ownCpuSeconds();
    const started = performance.now();
    await sleep(1000);
    const share = (machineBusySeconds() - machine - (options.ownCpuSeconds() - own)) / ((performance.now() - started) / 1000);
    if (!(share >= options.threshold) || Date.now() >= until) return share;
    options.onBusy(share);
  }
}
