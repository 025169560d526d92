import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VigilError } from '../core/errors.js';
import type { SecretBox } from '../core/secret-box.js';

const VERSION = 'v1';

/**
 * AES-256-GCM with a random 96-bit nonce per value. A sealed value reads
 * `v1.<nonce>.<tag>.<ciphertext>` (base64url), so a later key rotation can tell versions apart.
 */
export class AesSecretBox implements SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new VigilError('VALIDATION_FAILED', `the secret key must be 32 bytes, not ${key.length}`);
    this.#key = key;
  }

  seal(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, nonce, tag, data] = sealed.split('.');
    if (version !== VERSION || nonce === undefined || tag === undefined || data === undefined) {
      throw new VigilError('INTERNAL', 'a stored secret is not in a format this Vigil reads');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(nonce, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new VigilError('INTERNAL', 'a stored secret cannot be decrypted: was it sealed with another VIGIL_SECRET_KEY?', { cause });
    }
  }
}

/** Decodes `VIGIL_SECRET_KEY` (base64 of 32 bytes). */
export function keyFromBase64(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new VigilError('VALIDATION_FAILED', `VIGIL_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32), not ${key.length} bytes`);
  return key;
}

/**
 * The key file in the data directory: read it, or create it once with mode 0600. Creating with
 * `wx` means two processes starting together agree on one key: the loser of the race reads the
 * winner's file. Synchronous because it runs once, on the first secret a process touches.
 */
export function keyFromFile(dataDir: string): Buffer {
  const dir = resolve(dataDir);
  const path = join(dir, 'secret.key');
  mkdirSync(dir, { recursive: true });
  try {
    const key = randomBytes(32);
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return key;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  }
  // The winner may not have written the bytes yet.
  for (let i = 0; i < 50; i++) {
    const text = readFileSync(path, 'utf8').trim();
    if (text !== '') return keyFromBase64(text);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  throw new VigilError('INTERNAL', `the key file ${path} is empty`);
}

/**
 * A SecretBox whose key is loaded on first use, so commands that never touch a secret never
 * create a key file.
 */
export class LazySecretBox implements SecretBox {
  #box: AesSecretBox | undefined;
  readonly #load: () => Buffer;

  constructor(load: () => Buffer) {
    this.#load = load;
  }

  seal(plaintext: string): string {
    return this.#get().seal(plaintext);
  }

  open(sealed: string): string {
    return this.#get().open(sealed);
  }

  #get(): AesSecretBox {
    this.#box ??= new AesSecretBox(this.#load());
    return this.#box;
  }
}
