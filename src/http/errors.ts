import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { VigilError, isVigilError, type ErrorCode, type ErrorDetail } from '../core/errors.js';

/** The body of every error answer: `{ "error": { "code", "message", "details" } }`. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details: readonly ErrorDetail[] };
}

export function errorBody(error: VigilError): ErrorBody {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

/** `/alerts/0/labels` -> `alerts.0.labels`; the body's root is ``. */
function dotted(instancePath: string): string {
  return instancePath.replace(/^\//, '').replaceAll('/', '.');
}

/** Fastify's own client errors, by code, as Vigil errors. */
const fastifyClientErrors: Readonly<Record<string, (e: FastifyError) => VigilError>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: (e) => new VigilError('MALFORMED_JSON', `the body is not valid JSON: ${e.message}`),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new VigilError('MALFORMED_JSON', 'the body is empty; a JSON document was expected'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new VigilError('BODY_TOO_LARGE', 'the body is larger than this server accepts'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (e) => new VigilError('UNSUPPORTED_MEDIA_TYPE', `${e.message}; send application/json`),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new VigilError('VALIDATION_FAILED', 'Content-Length does not match the body'),
  FST_ERR_CTP_INVALID_TYPE: () => new VigilError('UNSUPPORTED_MEDIA_TYPE', 'the Content-Type header is not valid'),
};

/**
 * Turns anything thrown in a request into a VigilError. A client's mistake maps to its 4xx code;
 * what is left is the server's fault and becomes INTERNAL, without leaking its message.
 */
export function toVigilError(error: unknown): VigilError {
  if (isVigilError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const issues = error.validation as ReadonlyArray<{ instancePath: string; message?: string }>;
    const details = issues.map((v) => ({ path: dotted(v.instancePath), message: v.message ?? 'is invalid' }));
    const first = details[0];
    const summary = first === undefined ? 'is invalid' : `${first.path === '' ? where : `${where}.${first.path}`}: ${first.message}`;
    return new VigilError('VALIDATION_FAILED', `the ${where} does not match the schema (${summary})`, { details });
  }
  const fastifyError = error as Partial<FastifyError> | undefined;
  const code = fastifyError?.code;
  if (code !== undefined) {
    const mapped = fastifyClientErrors[code];
    if (mapped !== undefined) return mapped(fastifyError as FastifyError);
  }
  const status = fastifyError?.statusCode;
  if (status === 413) return new VigilError('BODY_TOO_LARGE', 'the body is larger than this server accepts');
  if (status === 415) return new VigilError('UNSUPPORTED_MEDIA_TYPE', 'send application/json');
  if (status === 429) return new VigilError('RATE_LIMITED', 'too many requests; retry later');
  if (status !== undefined && status >= 400 && status < 500) {
    return new VigilError('VALIDATION_FAILED', fastifyError?.message ?? 'the request is invalid');
  }
  return new VigilError('INTERNAL', 'something went wrong on the server; it has been logged', { cause: error });
}

/** The one error handler: every error answer goes out in the same shape with the status of its code. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const vigilError = toVigilError(error);
  if (vigilError.httpStatus >= 500) request.log.error({ err: error }, 'request failed');
  if (vigilError.code === 'RATE_LIMITED') void reply.header('retry-after', '1');
  return reply.status(vigilError.httpStatus).send(errorBody(vigilError));
}
