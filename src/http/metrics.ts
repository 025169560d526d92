import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { severities } from '../core/incident.js';
import type { StoreReader } from '../core/store.js';

/** Vigil's Prometheus metrics, on a registry of their own so tests and instances do not share one. */
export class Metrics {
  readonly registry = new Registry();
  readonly alertsIngested: Counter<'source' | 'outcome'>;
  readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly notificationDeliveries: Counter<'kind' | 'outcome'>;

  constructor(reader: StoreReader) {
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
  }
}
