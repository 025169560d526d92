import { createHash } from 'node:crypto';
import type { AlertFormat } from './load-spec.js';

/** One prepared HTTP request: everything is built before the clock starts. */
export interface PreparedRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly expectedStatus: number;
}

/**
 * A 16-hex-digit fingerprint for alert n, as Alertmanager's are: hash-like, so that inserts land
 * all over the dedup index as real fingerprints do, not at its end as a counter's would.
 */
export function fingerprintOf(n: number): string {
  return createHash('sha256').update(`bench-${n}`).digest('hex').slice(0, 16);
}

/** The request that sends alert number `n` in `format`; every n gives a distinct alert. */
export function requestFor(format: AlertFormat, options: { n: number; key: string | undefined; now: string }): PreparedRequest {
  const { n, key, now } = options;
  const json = { 'content-type': 'application/json' };
  switch (format) {
    case 'vigil-alertmanager-webhook':
      return {
        path: '/api/v1/integrations/alertmanager',
        headers: { ...json, authorization: `Bearer ${key ?? ''}` },
        expectedStatus: 200,
        body: JSON.stringify({
          version: '4',
          groupKey: '{}:{alertname="Bench"}',
          truncatedAlerts: 0,
          status: 'firing',
          receiver: 'vigil',
          groupLabels: { alertname: 'Bench' },
          commonLabels: { alertname: 'Bench' },
          commonAnnotations: {},
          externalURL: 'http://am',
          alerts: [
            {
              status: 'firing',
              labels: { alertname: 'Bench', instance: `i-${n}`, severity: 'warning' },
              annotations: { summary: `bench ${n}` },
              startsAt: now,
              endsAt: '0001-01-01T00:00:00Z',
              generatorURL: 'http://prom/graph',
              fingerprint: fingerprintOf(n),
            },
          ],
        }),
      };
    case 'vigil-pagerduty-v2':
      return {
        path: '/v2/enqueue',
        headers: json,
        expectedStatus: 202,
        body: JSON.stringify({
          routing_key: key ?? '',
          event_action: 'trigger',
          dedup_key: `bench-${n}`,
          payload: { summary: `bench ${n}`, source: 'bench', severity: 'warning' },
        }),
      };
    case 'alertmanager-api-v2':
      return {
        path: '/api/v2/alerts',
        headers: json,
        expectedStatus: 200,
        body: JSON.stringify([
          {
            labels: { alertname: 'Bench', instance: `i-${n}` },
            annotations: { summary: `bench ${n}` },
            startsAt: now,
            generatorURL: 'http://prom/graph',
          },
        ]),
      };
  }
}
