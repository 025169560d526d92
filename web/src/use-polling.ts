import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './api-client';

export interface Polled<T> {
  /** The last answer, kept while a refresh is under way or after a refresh failed. */
  readonly data: T | undefined;
  /** What went wrong in the last load, for people. */
  readonly error: string | undefined;
  /** When the last successful load finished (ms). */
  readonly loadedAt: number | undefined;
  readonly refresh: () => void;
}

/**
 * Loads `load()` now, again every `intervalMs`, and whenever `refresh()` is called or `key`
 * changes. An answer that arrives after a newer load started is dropped, so a slow poll never
 * overwrites what an action just fetched.
 */
export function usePolling<T>(load: () => Promise<T>, options: { key: string; intervalMs: number }): Polled<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loadedAt: number | undefined }>({
    data: undefined,
    error: undefined,
    loadedAt: undefined,
  });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const refresh = useCallback(() => {
    const mine = ++generation.current;
    loadRef.current().then(
      (data) => {
        if (mine === generation.current) setState({ data, error: undefined, loadedAt: Date.now() });
      },
      (error: unknown) => {
        if (mine === generation.current) setState((previous) => ({ ...previous, error: describeError(error) }));
      },
    );
  }, []);

  const { key, intervalMs } = options;
  useEffect(() => {
    setState({ data: undefined, error: undefined, loadedAt: undefined });
    refresh();
    const timer = window.setInterval(refresh, intervalMs);
    return () => {
      window.clearInterval(timer);
      generation.current++;
    };
  }, [key, intervalMs, refresh]);

  return { ...state, refresh };
}
