import { describe, expect, it } from 'vitest';
import { configFromEnv, defaultConfig } from '../../config.js';

describe('notification settings from the environment', () => {
  it('reads the SMTP server, the public URL and the retry policy', () => {
    const config = configFromEnv({
      VIGIL_PUBLIC_URL: 'https://vigil.example.test',
      VIGIL_SMTP_HOST: 'smtp.example.test',
      VIGIL_SMTP_SECURE: 'true',
      VIGIL_SMTP_PORT: '465',
      VIGIL_SMTP_USER: 'vigil',
      VIGIL_SMTP_PASSWORD: 'pw',
      VIGIL_SMTP_FROM: 'Vigil <vigil@example.test>',
      VIGIL_NOTIFY_BACKOFF_BASE_MS: '500',
      VIGIL_NOTIFY_BACKOFF_FACTOR: '1.5',
      VIGIL_NOTIFY_MAX_ATTEMPTS: '3',
    });
    expect(config.publicUrl).toBe('https://vigil.example.test');
    expect(config.smtp).toEqual({ host: 'smtp.example.test', port: 465, secure: true, user: 'vigil', password: 'pw', from: 'Vigil <vigil@example.test>' });
    expect(config.notify).toEqual({ ...defaultConfig.notify, backoffBaseMs: 500, backoffFactor: 1.5, maxAttempts: 3 });
    expect(configFromEnv({}).smtp).toBeUndefined();
  });

  it('refuses settings that cannot work, saying which', () => {
    expect(() => configFromEnv({ VIGIL_SMTP_HOST: 'smtp.example.test' })).toThrow(/VIGIL_SMTP_FROM/);
    expect(() => configFromEnv({ VIGIL_NOTIFY_BACKOFF_FACTOR: '0.5' })).toThrow(/VIGIL_NOTIFY_BACKOFF_FACTOR/);
    expect(() => configFromEnv({ VIGIL_NOTIFY_TIMEOUT_MS: '30000', VIGIL_NOTIFY_LEASE_MS: '30000' })).toThrow(/at least 3 times/);
  });
});
