import { afterEach, describe, expect, it } from 'vitest';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers.js';
import { parseRetryAfter, postJson } from './http-delivery.js';

describe('posting to a webhook', () => {
  let receiver: HttpReceiver | undefined;
  afterEach(async () => receiver?.close());
  const post = (url: string, timeoutMs = 2_000) => postJson({ url, body: '{}', timeoutMs, now: Date.parse('2026-11-23T10:00:00Z') });

  it('calls 2xx delivered, 429 and 5xx retryable, and other 4xx dead', async () => {
    const statuses = [200, 204, 429, 500, 503, 400, 401, 403, 404, 410];
    receiver = await startHttpReceiver((_r, i) => ({ status: statuses[i]!, ...(statuses[i] === 429 ? { headers: { 'retry-after': '7' } } : {}) }));
    const outcomes = [];
    for (const _ of statuses) {
      const { outcome, status, ...rest } = await post(receiver.url);
      outcomes.push([status, outcome, 'retryAfterMs' in rest ? rest.retryAfterMs : undefined]);
    }
    expect(outcomes).toEqual([
      [200, 'delivered', undefined],
      [204, 'delivered', undefined],
      [429, 'retry', 7_000],
      [500, 'retry', undefined],
      [503, 'retry', undefined],
      [400, 'dead', undefined],
      [401, 'dead', undefined],
      [403, 'dead', undefined],
      [404, 'dead', undefined],
      [410, 'dead', undefined],
    ]);
  });

  it('retries when nobody listens, and never puts the URL (it holds a token) in the error', async () => {
    receiver = await startHttpReceiver();
    const url = `${receiver.url}/hooks/T0/SECRET`;
    await receiver.close();
    receiver = undefined;
    const result = await post(url);
    expect(result).toMatchObject({ outcome: 'retry', status: null });
    expect(result.outcome === 'retry' && result.error).not.toContain('SECRET');
  });

  it('gives up on a receiver that does not answer within the timeout, to retry later', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      expect(await post(`http://127.0.0.1:${port}/`, 200)).toMatchObject({ outcome: 'retry', error: 'timed out after 200 ms' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
