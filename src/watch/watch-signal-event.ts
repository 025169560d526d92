import type { AlertEvent, JsonObject, JsonValue } from '../core/alert.js';
import type { WatchSignal } from './watch-signal.js';

/**
 * Turns a watcher's signal into an alert event of source `watcher`.
 *
 * Dedup keys are the chain and the signal (`watcher:ethereum:stall`), so a stall that is seen
 * again folds into the firing alert and its recovery resolves exactly that alert; every deep
 * reorg folds into one `watcher:ethereum:reorg` alert while it is firing, its count telling how
 * many. The grouping key is the chain, so a node's stall, lag and reorgs meet in one incident.
 */
export function watchSignalEvent(signal: WatchSignal): AlertEvent {
  const dedupKey = `watcher:${signal.chain}:${signal.kind}`;
  const base = {
    source: 'watcher' as const,
    dedupKey,
    fingerprint: dedupKey,
    groupKey: `watcher:${signal.chain}`,
    links: [],
    occurredAt: signal.at,
  };
  const labels = { chain: signal.chain, signal: signal.kind };
  switch (signal.kind) {
    case 'stall': {
      const seconds = Math.round(signal.stalledMs / 1000);
      const annotations: Record<string, string> = { stalledSeconds: String(seconds) };
      if (signal.head !== undefined) annotations.head = String(signal.head);
      if (signal.lastError !== undefined) annotations.lastError = signal.lastError;
      const where = signal.head === undefined ? 'the node has not answered' : `head stuck at ${signal.head}`;
      return {
        ...base,
        action: signal.status === 'firing' ? 'trigger' : 'resolve',
        severity: 'error',
        summary:
          signal.status === 'firing'
            ? `${signal.chain}: no new block for ${seconds} s (${where}${signal.lastError === undefined ? '' : `: ${signal.lastError}`})`
            : `${signal.chain}: blocks are arriving again (head ${signal.head ?? '?'})`,
        labels,
        annotations,
        raw: raw(signal),
      };
    }
    case 'head_lag': {
      const annotations: Record<string, string> = { head: String(signal.head) };
      const parts: string[] = [];
      if (signal.referenceHead !== undefined) annotations.referenceHead = String(signal.referenceHead);
      if (signal.blocksBehind !== undefined) {
        annotations.blocksBehind = String(signal.blocksBehind);
        parts.push(`${signal.blocksBehind} blocks behind the reference node`);
      }
      if (signal.behindMs !== undefined) {
        annotations.secondsBehind = String(Math.round(signal.behindMs / 1000));
        parts.push(`newest block ${Math.round(signal.behindMs / 1000)} s old`);
      }
      return {
        ...base,
        action: signal.status === 'firing' ? 'trigger' : 'resolve',
        severity: 'warning',
        summary:
          signal.status === 'firing'
            ? `${signal.chain}: node head ${signal.head} is lagging (${parts.join(', ')})`
            : `${signal.chain}: node head ${signal.head} has caught up`,
        labels,
        annotations,
        raw: raw(signal),
      };
    }
    case 'reorg':
      return {
        ...base,
        action: 'trigger',
        severity: 'critical',
        summary: `${signal.chain}: reorg of depth ${signal.depth} at height ${signal.height} (ancestor ${signal.ancestor}; ${signal.oldHash} replaced by ${signal.newHash ?? 'nothing yet'})`,
        labels,
        annotations: {
          depth: String(signal.depth),
          ancestor: String(signal.ancestor),
          height: String(signal.height),
          oldTip: String(signal.oldTip),
          oldHash: signal.oldHash,
          newHash: signal.newHash ?? '',
        },
        raw: raw(signal),
      };
  }
}

/** The signal as JSON (undefined fields left out), kept as the alert's evidence. */
function raw(signal: WatchSignal): JsonObject {
  const json: JsonObject = {};
  for (const [key, value] of Object.entries(signal) as [string, JsonValue | undefined][]) if (value !== undefined) json[key] = value;
  return json;
}
