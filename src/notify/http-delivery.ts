import type { DeliveryResult } from '../core/notifier.js';

export interface PostJsonOptions {
  readonly url: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Now (ms), to turn an HTTP-date Retry-After into a delay. */
  readonly now: number;
}

/**
 * POSTs a JSON body and classifies the answer the way every webhook sender should: 2xx is
 * delivered; 408, 425, 429 and 5xx may pass later (honouring Retry-After); any other 4xx will
 * never pass (a revoked webhook, a wrong token) and goes straight to dead; a network error or a
 * timeout is retried. The URL is never part of an error message: it often embeds a token.
 */
export async function postJson(options: PostJsonOptions): Promise<DeliveryResult & { readonly responseText?: string }> {
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Vigil-Notifier/0.1', ...options.headers },
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    return { outcome: 'retry', status: null, error: networkError(error, options.timeoutMs) };
  }
  const text = await response.text().catch(() => '');
  const status = response.status;
  if (status >= 200 && status < 300) return { outcome: 'delivered', status, responseText: text };
  const error = `HTTP ${status}${text === '' ? '' : `: ${snippet(text)}`}`;
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now);
    return { outcome: 'retry', status, error, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), responseText: text };
  }
  return { outcome: 'dead', status, error, responseText: text };
}

/** Retry-After as delay-seconds or an HTTP-date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The first 200 characters of a response, on one line, for the timeline. */
export function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function networkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  // fetch's own message is "fetch failed"; the cause says what happened, and never holds the URL.
  if (typeof code === 'string') return `network error: ${code}`;
  return `network error: ${cause?.message ?? (error instanceof Error ? error.message : String(error))}`.replace(/https?:\/\/\S+/g, '[url]');
}
