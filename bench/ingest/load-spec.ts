/**
 * What the benchmark driver (`run.ts`) asks a load process (`load.ts`) to do, and what the load
 * process answers. The two run in separate processes so that the load generator's CPU and event
 * loop are not the server's: the spec travels as JSON on argv, the result as one JSON line on stdout.
 */

/** The wire format of one alert: Vigil's two ingest formats and Alertmanager's own API. */
export type AlertFormat = 'vigil-alertmanager-webhook' | 'vigil-pagerduty-v2' | 'alertmanager-api-v2';

/** Closed loop: a fixed number of senders, each sending its next alert when the last is answered. */
export interface ClosedLoop {
  readonly kind: 'closed';
  readonly concurrency: number;
}

/**
 * Open loop: alert i is due at t0 + i / rate, whether or not earlier ones were answered, so a slow
 * server cannot slow the offered load down (no coordinated omission). In-flight requests are
 * capped so that a stalled server cannot make the load process open sockets without bound.
 */
export interface FixedRate {
  readonly kind: 'rate';
  readonly alertsPerSecond: number;
  readonly maxInFlight: number;
}

export interface LoadSpec {
  /** `http://127.0.0.1:PORT`, nothing else. */
  readonly origin: string;
  readonly format: AlertFormat;
  /** The integration key (Vigil); absent for Alertmanager. */
  readonly key?: string;
  /** Alert numbers `firstIndex .. firstIndex + alerts - 1`; distinct across runs on one server. */
  readonly firstIndex: number;
  readonly alerts: number;
  readonly mode: ClosedLoop | FixedRate;
  /** Wall-clock time (ms since the epoch) after which the load process gives up and reports. */
  readonly deadline: number;
}

export interface LoadResult {
  readonly format: AlertFormat;
  readonly alerts: number;
  /** Requests answered (with any status) or failed at the network level. */
  readonly completed: number;
  /** Requests answered with the expected status (200, or 202 for PagerDuty). */
  readonly accepted: number;
  /** Requests answered with another status, or failed at the network level. */
  readonly errors: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Up to five failed requests, with the alert number, status and the start of the body. */
  readonly errorSamples: readonly { index: number; status: number | null; body: string }[];
  /** From the first request sent to the last answer received. */
  readonly wallSeconds: number;
  /** Accepted alerts per wall second. */
  readonly alertsPerSecond: number;
  /** Latency of every completed request, in ms; for the open loop, measured from when it was due. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  /** Open loop only: per second of the run (by when requests were due), their count, p99 and max latency in ms; shows stalls. */
  readonly perSecond?: readonly { readonly second: number; readonly requests: number; readonly p99: number; readonly max: number }[] | undefined;
  /** Open loop only: how late the load process sent requests (its own lag), in ms. */
  readonly sendLagMs?: { readonly p50: number; readonly p99: number; readonly max: number };
  /** CPU seconds the load process itself used while sending (user + system). */
  readonly loadCpuSeconds: number;
  /** CPU seconds the load process used in all, start-up and preparing the requests included. */
  readonly loadProcessCpuSeconds: number;
  /** The deadline passed before every alert was answered. */
  readonly timedOut: boolean;
}
