import type { AlertEvent, JsonObject } from '../core/alert.js';
import type { Finding } from '../core/finding.js';
import { severityByFortaSeverity } from '../ingest/forta.js';
import { boundedKey, capped, maxSummaryLength } from '../ingest/text.js';

/**
 * Turns a detector's finding into an alert event.
 *
 * The dedup key is the detection and the entity (`VIGIL-FAN-OUT:0xabc`), so a noisy wallet
 * keeps one alert firing with a growing count instead of opening a hundred. The grouping key is
 * the entity's address, so findings of different detectors about the same attacker address
 * correlate into one incident, where their attack stages add up.
 */
export function findingEvent(finding: Finding): AlertEvent {
  const dedupKey = boundedKey(`${finding.alertId}:${finding.entity}`);
  const labels: Record<string, string> = {
    alertId: finding.alertId,
    detector: finding.detector,
    findingType: finding.type,
    entity: finding.entity,
  };
  if (finding.stage !== undefined) labels.stage = finding.stage;
  const raw: JsonObject = {
    name: finding.name,
    description: finding.description,
    alertId: finding.alertId,
    severity: finding.severity,
    type: finding.type,
    metadata: { ...finding.metadata },
    addresses: [...finding.addresses],
    labels: finding.labels.map((l) => ({ ...l })),
    detector: finding.detector,
    entity: finding.entity,
    txHashes: [...finding.txHashes],
    at: finding.at,
    ...(finding.stage === undefined ? {} : { stage: finding.stage }),
  };
  return {
    source: 'detector',
    action: 'trigger',
    dedupKey,
    fingerprint: dedupKey,
    groupKey: boundedKey(`entity:${finding.entity}`),
    severity: severityByFortaSeverity[finding.severity],
    summary: capped(`${finding.name}: ${finding.description}`, maxSummaryLength),
    labels,
    annotations: { ...finding.metadata, ...(finding.txHashes.length === 0 ? {} : { transactions: finding.txHashes.slice(0, 20).join(' ') }) },
    links: [],
    raw,
    occurredAt: finding.at,
  };
}
