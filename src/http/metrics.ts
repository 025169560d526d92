import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { severities } from '../core/incident.js';
import type { StoreReader, WriteBatch } from '../core/store.js';
import type { DetectorStats } from '../detect/detection-engine.js';
import type { DetectionStats } from '../detect/transaction-detection.js';
import type { WatchedChainStatus } from '../watch/chain-watchers.js';

/** Vigil's Prometheus metrics, on a registry of their own so tests and instances do not share one. */
export class Metrics {
  readonly registry = new Registry();
  readonly alertsIngested: Counter<'source' | 'outcome'>;
  readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly notificationDeliveries: Counter<'kind' | 'outcome'>;
  readonly #batchUnits: Histogram;
  readonly #failedUnits: Counter;
  readonly #commitDuration: Histogram;
  readonly #syncDuration: Histogram;

  /** `watchers` and `detection`: this instance's chain watchers and transaction detectors, read at scrape time. */
  constructor(
    reader: StoreReader,
    watchers: () => readonly WatchedChainStatus[] = () => [],
    detection: () => DetectionStats = () => ({ detectors: [], failures: 0 }),
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_process_' });
    this.alertsIngested = new Counter({
      name: 'vigil_alerts_ingested_total',
      help: 'Alert events received, by source and outcome (opened, grouped, deduplicated, resolved, acknowledged, ignored, rejected).',
      labelNames: ['source', 'outcome'],
      registers: [this.registry],
    });
    this.requestDuration = new Histogram({
      name: 'vigil_http_request_duration_seconds',
      help: 'HTTP request latency, by method, route and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.notificationDeliveries = new Counter({
      name: 'vigil_notification_deliveries_total',
      help: 'Notification delivery attempts made by this instance, by channel kind and outcome (delivered, failed, dead).',
      labelNames: ['kind', 'outcome'],
      registers: [this.registry],
    });
    // The store's group commit: how many writes share a transaction, and what its commit and its
    // sync to disk cost. A latency spike with a slow sync behind it is the disk, not Vigil.
    this.#batchUnits = new Histogram({
      name: 'vigil_store_batch_units',
      help: 'Writes (an ingested alert, an action) committed together in one transaction.',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500],
      registers: [this.registry],
    });
    this.#failedUnits = new Counter({
      name: 'vigil_store_failed_units_total',
      help: 'Writes that failed and were rolled back alone, their batch committed without them.',
      registers: [this.registry],
    });
    const seconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
    this.#commitDuration = new Histogram({
      name: 'vigil_store_commit_duration_seconds',
      help: 'A write transaction, from taking the write lock to the end of its commit.',
      buckets: seconds,
      registers: [this.registry],
    });
    this.#syncDuration = new Histogram({
      name: 'vigil_store_sync_duration_seconds',
      help: 'The sync of the SQLite write-ahead log that makes a committed batch durable before it is answered.',
      buckets: seconds,
      registers: [this.registry],
    });
    new Gauge({
      name: 'vigil_open_incidents',
      help: 'Incidents triggered or acknowledged, by severity.',
      labelNames: ['severity'],
      registers: [this.registry],
      // Read at scrape time: the store is the truth, also for what other instances changed.
      async collect() {
        const counts = await reader.countOpenIncidentsBySeverity();
        for (const severity of severities) this.set({ severity }, counts[severity]);
      },
    });
    // Chain watchers: the node's head beside what was processed shows lag at a glance.
    const watcherGauge = (name: string, help: string, value: (s: WatchedChainStatus) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['chain'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const status of watchers()) {
            const v = value(status);
            if (v !== undefined) this.set({ chain: status.chain }, v);
          }
        },
      });
    watcherGauge('vigil_watcher_head_block', "The watched node's newest block number.", (s) => s.head);
    watcherGauge('vigil_watcher_processed_block', 'The last block whose transactions went to the detectors.', (s) => s.processed);
    watcherGauge('vigil_watcher_blocks_processed', 'Blocks processed by this instance since it started.', (s) => s.blocks);
    watcherGauge('vigil_watcher_transactions_processed', 'Transactions sent to the detectors by this instance since it started.', (s) => s.transactions);
    watcherGauge('vigil_watcher_reorgs', 'Reorgs seen since start, of any depth.', (s) => s.reorgs);
    watcherGauge('vigil_watcher_node_up', '1 when the last poll of the node succeeded, else 0.', (s) => (s.lastError === undefined ? 1 : 0));
    watcherGauge('vigil_watcher_stalled', '1 while the stall alert fires, else 0.', (s) => (s.stall === 'firing' ? 1 : 0));
    watcherGauge('vigil_watcher_saved_block', 'The block of the last progress saved: a restart starts after it.', (s) => s.savedBlock);
    // Counts kept elsewhere (the watchers, the detectors in their thread), copied at each scrape.
    const copiedCounter = (
      meta: { readonly name: string; readonly help: string; readonly labelNames: readonly string[] },
      samples: () => Iterable<readonly [Record<string, string>, number]>,
    ) =>
      new Counter({
        ...meta,
        registers: [this.registry],
        collect() {
          this.reset();
          // A counter never goes down: a negative count (which would make the whole scrape fail) is shown as 0.
          for (const [labels, value] of samples()) this.inc(labels, Math.max(0, value));
        },
      });
    copiedCounter(
      {
        name: 'vigil_watcher_lost_batches_total',
        help: 'Batches whose findings were lost since start (detection or commit failed); past 0, progress is not saved until restart.',
        labelNames: ['chain'],
      },
      () => watchers().map((s) => [{ chain: s.chain }, s.lostBatches] as const),
    );
    const detectorCounter = (name: string, help: string, value: (s: DetectorStats) => number) =>
      copiedCounter({ name, help, labelNames: ['detector'] }, () => detection().detectors.map((s) => [{ detector: s.name }, value(s)] as const));
    detectorCounter('vigil_detector_transactions_total', 'Transactions each detector has seen since start.', (s) => s.transactions);
    detectorCounter('vigil_detector_findings_total', "Findings each detector made that analysts' suppressions kept, since start.", (s) => s.findings);
    detectorCounter('vigil_detector_suppressed_total', "Findings each detector made that analysts' suppressions dropped since start.", (s) => s.suppressed);
    detectorCounter('vigil_detector_errors_total', 'Transactions each detector failed on (it threw; the others still saw them) since start.', (s) => s.errors);
    copiedCounter(
      {
        name: 'vigil_detection_thread_failures_total',
        help: 'Times the detection thread failed (out of memory, a stuck batch) and its detectors started over.',
        labelNames: [],
      },
      () => [[{}, detection().failures]],
    );
  }

  /** Counts one of the store's write transactions (`Store.onWriteBatch`). */
  writeBatch(batch: WriteBatch): void {
    this.#batchUnits.observe(batch.units);
    if (batch.failed > 0) this.#failedUnits.inc(batch.failed);
    this.#commitDuration.observe(batch.commitSeconds);
    if (batch.syncSeconds !== undefined) this.#syncDuration.observe(batch.syncSeconds);
  }
}
