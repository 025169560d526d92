import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AesSecretBox, keyFromBase64, keyFromFile } from './aes-secret-box.js';

describe('AES-256-GCM secret box', () => {
  const box = new AesSecretBox(Buffer.alloc(32, 1));

  it('opens what it sealed, and never seals the same text the same way twice', () => {
    const a = box.seal('https://hooks.slack.com/services/T0/B0/XYZ');
    const b = box.seal('https://hooks.slack.com/services/T0/B0/XYZ');
    expect(a).not.toBe(b);
    expect(a).not.toContain('hooks.slack.com');
    expect(box.open(a)).toBe('https://hooks.slack.com/services/T0/B0/XYZ');
  });

  it('refuses a value altered at rest or sealed with another key', () => {
    const sealed = box.seal('bot-token');
    const parts = sealed.split('.');
    const flipped = [...parts.slice(0, 3), `${parts[3]!.slice(0, -2)}AA`].join('.');
    expect(() => box.open(flipped)).toThrow(/cannot be decrypted/);
    expect(() => new AesSecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow(/another VIGIL_SECRET_KEY/);
  });

  it('takes VIGIL_SECRET_KEY only as 32 bytes of base64', () => {
    expect(keyFromBase64(Buffer.alloc(32, 3).toString('base64'))).toHaveLength(32);
    expect(() => keyFromBase64('c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('creates the key file once, with mode 0600, and reads the same key after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-key-'));
    try {
      const first = keyFromFile(join(dir, 'data'));
      expect(statSync(join(dir, 'data', 'secret.key')).mode & 0o777).toBe(0o600);
      expect(keyFromFile(join(dir, 'data')).equals(first)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
