/**
 * The one error type of Vigil. Every failure a caller can see carries a stable `code` from this
 * catalogue; the HTTP status of each code lives in one table so that the API, the CLI and the tests
 * agree on what a code means.
 */

/** Stable error codes. They are part of the API: add new ones, never rename. */
export type ErrorCode =
  | 'MALFORMED_JSON'
  | 'VALIDATION_FAILED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BODY_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL'
  /** Only the incident's communications lead may publish to the status page. */
  | 'NOT_COMMUNICATIONS_LEAD'
  // Playbooks and approvals.
  /** A playbook step needs an approval that has not reached its quorum. */
  | 'APPROVAL_REQUIRED'
  /** The action of an approval request may not be executed before its quorum. */
  | 'QUORUM_NOT_MET'
  /** The person is not one of the request's named approvers, or has no registered key. */
  | 'NOT_AN_APPROVER'
  /** The approver has already approved or rejected this request. */
  | 'ALREADY_DECIDED'
  /** The signature does not verify against the approver's registered key. */
  | 'INVALID_SIGNATURE'
  /** The request is no longer pending (approved, rejected or executed). */
  | 'APPROVAL_CLOSED'
  | 'APPROVAL_EXPIRED'
  /** No approval policy names approvers for this action yet. */
  | 'NO_APPROVAL_POLICY'
  // Chain watchers.
  /** A chain node did not answer, or answered with an error; retrying later may help. */
  | 'CHAIN_UNAVAILABLE'
  /** The in-process transaction stream is closed (the watchers are stopping). */
  | 'STREAM_CLOSED'
  /** The detectors could not run a batch (their thread failed or is stopping); retrying later may help. */
  | 'DETECTION_UNAVAILABLE';

/** What each code answers over HTTP. A client's mistake is always a 4xx. */
export const httpStatusByCode: Readonly<Record<ErrorCode, number>> = {
  MALFORMED_JSON: 400,
  VALIDATION_FAILED: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
  NOT_COMMUNICATIONS_LEAD: 403,
  APPROVAL_REQUIRED: 409,
  QUORUM_NOT_MET: 409,
  NOT_AN_APPROVER: 403,
  ALREADY_DECIDED: 409,
  INVALID_SIGNATURE: 400,
  APPROVAL_CLOSED: 409,
  APPROVAL_EXPIRED: 409,
  NO_APPROVAL_POLICY: 409,
  CHAIN_UNAVAILABLE: 503,
  STREAM_CLOSED: 503,
  DETECTION_UNAVAILABLE: 503,
};

/** One problem with one field of an input, addressed by its path (`alerts.0.labels`). */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export interface VigilErrorOptions {
  readonly details?: readonly ErrorDetail[];
  readonly cause?: unknown;
  /** True when trying the same thing again later may succeed (infrastructure errors). */
  readonly retryable?: boolean;
}

export class VigilError extends Error {
  override readonly name = 'VigilError';
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: VigilErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? [];
    this.retryable = options.retryable ?? false;
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code];
  }
}

/**
 * VALIDATION_FAILED for a list of schema issues (zod's, or any with a path and a message): every
 * issue becomes a detail with its dotted path, and the message names the first.
 */
export function validationFailed(
  what: string,
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
  cause?: unknown,
): VigilError {
  const details = issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = details[0];
  return new VigilError('VALIDATION_FAILED', `${what} is invalid at ${first?.path || '(root)'}: ${first?.message ?? 'unknown problem'}`, {
    details,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** True for a VigilError, optionally of one code. */
export function isVigilError(error: unknown, code?: ErrorCode): error is VigilError {
  return error instanceof VigilError && (code === undefined || error.code === code);
}
