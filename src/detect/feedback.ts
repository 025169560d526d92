import type { Actor } from '../core/actor.js';
import type { Alert } from '../core/alert.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Feedback, Suppression, Verdict } from '../core/feedback.js';
import type { Finding } from '../core/finding.js';
import type { Ids } from '../core/ids.js';
import type { StoreReader, StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';
import type { FindingFilter } from './detection-engine.js';

export interface FeedbackOptions {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly recorder: Recorder;
  /** False positives about one entity, with no true positive, before the detector is suppressed for it. */
  readonly suppressAfterFalsePositives: number;
}

/** Who raised an alert and about what: the keys precision and suppression are counted by. */
export function alertOrigin(alert: Alert): { detector: string; rule: string; entity: string | null } {
  return {
    detector: alert.labels.detector ?? alert.source,
    rule: alert.labels.alertId ?? alert.labels.alertname ?? alert.groupKey,
    entity: alert.labels.entity ?? null,
  };
}

/**
 * Records verdicts and adapts. When a detector has been wrong about the same entity
 * `suppressAfterFalsePositives` times and never right, its findings about that entity are
 * suppressed; a later true positive lifts the suppression, and a responder can revoke it. Every
 * step is in the audit chain, with the verdict counts that caused it.
 */
export class FeedbackService {
  readonly #options: FeedbackOptions;

  constructor(options: FeedbackOptions) {
    this.#options = options;
  }

  async label(tx: StoreTx, request: { alertId: string; verdict: Verdict; note?: string; actor: Actor }): Promise<{ feedback: Feedback; suppression: Suppression | null; lifted: Suppression | null }> {
    const alert = await tx.getAlert(request.alertId);
    if (alert === undefined) throw new VigilError('NOT_FOUND', `no alert ${request.alertId}`);
    const origin = alertOrigin(alert);
    const feedback: Feedback = {
      id: this.#options.ids.id(),
      alertId: alert.id,
      ...origin,
      verdict: request.verdict,
      note: request.note ?? null,
      actor: request.actor,
      at: this.#options.clock.now(),
    };
    await tx.insertFeedback(feedback);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'alert.labelled',
      subject: `incident:${alert.incidentId}`,
      data: { alertId: alert.id, verdict: request.verdict, detector: origin.detector, rule: origin.rule, entity: origin.entity, note: feedback.note },
      timeline: {
        incidentId: alert.incidentId,
        kind: 'alert.labelled',
        message: `${request.actor.name} marked alert "${alert.summary}" as ${request.verdict === 'true_positive' ? 'a true positive' : 'a false positive'}`,
      },
    });
    if (origin.entity === null) return { feedback, suppression: null, lifted: null };
    const live = (await tx.listSuppressions({ includeRevoked: false })).find((s) => s.detector === origin.detector && s.entity === origin.entity);
    const counts = await tx.verdictCounts(origin.detector, origin.entity);
    if (request.verdict === 'true_positive' && live !== undefined) {
      const lifted = await this.#revoke(tx, { suppression: live, actor: request.actor, reason: `a true positive about ${origin.entity} was confirmed` });
      return { feedback, suppression: null, lifted };
    }
    if (live === undefined && counts.truePositives === 0 && counts.falsePositives >= this.#options.suppressAfterFalsePositives) {
      const suppression: Suppression = {
        id: this.#options.ids.id(),
        detector: origin.detector,
        entity: origin.entity,
        reason: `${counts.falsePositives} false positives and no true positive about ${origin.entity}`,
        createdAt: this.#options.clock.now(),
        revokedAt: null,
        revokedBy: null,
      };
      await tx.insertSuppression(suppression);
      await this.#options.recorder.record(tx, {
        actor: request.actor,
        action: 'suppression.created',
        subject: `suppression:${suppression.id}`,
        data: { detector: suppression.detector, entity: suppression.entity, reason: suppression.reason, ...counts },
      });
      return { feedback, suppression, lifted: null };
    }
    return { feedback, suppression: null, lifted: null };
  }

  /** Lifts a suppression by hand; the detector sees the entity again. */
  async revoke(tx: StoreTx, request: { suppressionId: string; actor: Actor; reason?: string }): Promise<Suppression> {
    const suppression = await tx.getSuppression(request.suppressionId);
    if (suppression === undefined) throw new VigilError('NOT_FOUND', `no suppression ${request.suppressionId}`);
    if (suppression.revokedAt !== null) throw new VigilError('INVALID_TRANSITION', `suppression ${suppression.id} was already revoked`);
    return this.#revoke(tx, { suppression, actor: request.actor, reason: request.reason ?? 'revoked by hand' });
  }

  async #revoke(tx: StoreTx, request: { suppression: Suppression; actor: Actor; reason: string }): Promise<Suppression> {
    const revoked: Suppression = { ...request.suppression, revokedAt: this.#options.clock.now(), revokedBy: request.actor };
    await tx.updateSuppression(revoked);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'suppression.revoked',
      subject: `suppression:${revoked.id}`,
      data: { detector: revoked.detector, entity: revoked.entity, reason: request.reason },
    });
    return revoked;
  }
}

/**
 * The detection engine's view of the live suppressions: an in-memory set refreshed from the
 * store, so the hot path costs one Set lookup per finding.
 */
export class SuppressionFilter implements FindingFilter {
  #live = new Set<string>();

  keep(finding: Finding): boolean {
    return !this.#live.has(key(finding.detector, finding.entity));
  }

  async refresh(reader: StoreReader): Promise<void> {
    const live = await reader.listSuppressions({ includeRevoked: false });
    this.#live = new Set(live.map((s) => key(s.detector, s.entity)));
  }

  get size(): number {
    return this.#live.size;
  }
}

function key(detector: string, entity: string): string {
  return `${detector}\u0000${entity}`;
}
