import { inspect } from 'node:util';

/**
 * A secret held in memory that never prints itself: logging the config, `JSON.stringify` or
 * `console.log` show `[redacted]`. Only `reveal()` gives the value, to the code that signs or
 * verifies with it.
 */
export class SigningSecret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'SigningSecret([redacted])';
  }
}
