/** An answer of the API that was not a 2xx, with the API's stable error code and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(options: { status: number; code: string; message: string }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
  }

  /** For people: the code, then what the server said. */
  describe(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** The error a failed call shows: the API's own code and message, or what went wrong on the way. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  if (error instanceof Error) return `The server could not be reached (${error.message}).`;
  return String(error);
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/** Calls the API with the user's token; resolves to the JSON answer or rejects with an `ApiError`. */
export class ApiClient {
  readonly #token: string;
  readonly #onUnauthenticated: (error: ApiError) => void;

  constructor(token: string, onUnauthenticated: (error: ApiError) => void) {
    this.#token = token;
    this.#onUnauthenticated = onUnauthenticated;
  }

  get<T>(path: string): Promise<T> {
    return this.#call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#call<T>('POST', path, body);
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok) return parsed as T;
    const error = isErrorBody(parsed)
      ? new ApiError({ status: response.status, code: parsed.error.code, message: parsed.error.message })
      : new ApiError({ status: response.status, code: `HTTP_${response.status}`, message: response.statusText || 'the server answered with an error' });
    if (error.status === 401) this.#onUnauthenticated(error);
    throw error;
  }
}
